import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import nodemailer from "nodemailer";

/** The SMTP envelope: bare addresses, as nodemailer worked them out from the headers. */
export interface MailEnvelope {
  from: string;
  to: string[];
}

/** Delivers composed messages: to the development outbox (a folder of .eml files) or to an SMTP server. */
export interface MailTransport {
  kind: "outbox" | "smtp";
  /** Sends (or stores) the message; the file name when a copy is kept. */
  deliver(raw: Buffer, envelope: MailEnvelope, sentAt: Date): Promise<{ fileName: string | null }>;
  stored(fileName: string): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

// File names the outbox makes: a UTC timestamp and a random suffix, so they sort by time and never collide.
const outboxFileName = /^\d{8}T\d{6}Z-[0-9a-f]{12}\.eml$/;

export function isOutboxFileName(name: string): boolean {
  return outboxFileName.test(name);
}

function newFileName(sentAt: Date): string {
  const stamp = sentAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(6).toString("hex")}.eml`;
}

/** Development: each message becomes `<folder>/<time>-<random>.eml`, to open in any mail program. */
export function outboxTransport(folder: string): MailTransport {
  const root = resolve(folder);
  return {
    kind: "outbox",
    async deliver(raw, _envelope, sentAt) {
      await mkdir(root, { recursive: true });
      const fileName = newFileName(sentAt);
      await writeFile(join(root, fileName), raw, { flag: "wx" });
      return { fileName };
    },
    async stored(fileName) {
      if (!isOutboxFileName(fileName)) return null;
      try {
        return new Uint8Array(await readFile(join(root, fileName)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async close() {},
  };
}

/** Tests and throwaway runs: the outbox in memory. */
export function memoryOutboxTransport(): MailTransport & { messages: Map<string, Buffer> } {
  const messages = new Map<string, Buffer>();
  return {
    kind: "outbox",
    messages,
    async deliver(raw, _envelope, sentAt) {
      const fileName = newFileName(sentAt);
      messages.set(fileName, raw);
      return { fileName };
    },
    async stored(fileName) {
      const raw = messages.get(fileName);
      return raw ? new Uint8Array(raw) : null;
    },
    async close() {},
  };
}

/** Production: `SMTP_URL`, e.g. `smtps://user:pass@smtp.example.org:465`. No copy is kept. */
export function smtpTransport(url: string): MailTransport {
  const smtp = nodemailer.createTransport(url);
  return {
    kind: "smtp",
    async deliver(raw, envelope) {
      await smtp.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw });
      return { fileName: null };
    },
    async stored() {
      return null;
    },
    async close() {
      smtp.close();
    },
  };
}

/** SMTP when `SMTP_URL` is set, otherwise the outbox folder `<data folder>/outbox`. */
export function transportFromEnv(env: NodeJS.ProcessEnv, dataDir: string): MailTransport {
  return env.SMTP_URL ? smtpTransport(env.SMTP_URL) : outboxTransport(join(dataDir, "outbox"));
}
