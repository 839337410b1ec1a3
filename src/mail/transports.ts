import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
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
  /**
   * Sends (or stores) the message; the file name when a copy is kept. The outbox folder keeps one copy per
   * Message-ID: handing the same message over again stores nothing new (mail/outbox.ts relies on it).
   */
  deliver(
    raw: Buffer,
    envelope: MailEnvelope,
    message: { messageId: string; date: Date },
  ): Promise<{ fileName: string | null }>;
  stored(fileName: string): Promise<Uint8Array | null>;
  /** Destroys the kept copy (retention, erasure); nothing when none is kept. */
  discard(fileName: string): Promise<void>;
  close(): Promise<void>;
}

// File names the outbox makes: a UTC timestamp and a random suffix, so they sort by time and never collide.
const outboxFileName = /^\d{8}T\d{6}Z-[0-9a-f]{12}\.eml$/;

export function isOutboxFileName(name: string): boolean {
  return outboxFileName.test(name);
}

/** The message's date and a digest of its Message-ID: the same message always gets the same name. */
function fileNameOf(message: { messageId: string; date: Date }): string {
  const stamp = message.date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${createHash("sha256").update(message.messageId).digest("hex").slice(0, 12)}.eml`;
}

/** Development: each message becomes `<folder>/<time>-<random>.eml`, to open in any mail program. */
export function outboxTransport(folder: string): MailTransport {
  const root = resolve(folder);
  return {
    kind: "outbox",
    async deliver(raw, _envelope, message) {
      await mkdir(root, { recursive: true });
      const fileName = fileNameOf(message);
      // Written beside, then linked into place: a copy is never half a message, and a second hand-over of
      // the same message (after a crash before it was marked delivered) finds it there and adds nothing.
      const partial = join(root, `${fileName}.${randomBytes(6).toString("hex")}.partial`);
      await writeFile(partial, raw, { flag: "wx" });
      try {
        await link(partial, join(root, fileName));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      } finally {
        await rm(partial, { force: true });
      }
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
    async discard(fileName) {
      if (isOutboxFileName(fileName)) await rm(join(root, fileName), { force: true });
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
    async deliver(raw, _envelope, message) {
      const fileName = fileNameOf(message);
      if (!messages.has(fileName)) messages.set(fileName, raw);
      return { fileName };
    },
    async stored(fileName) {
      const raw = messages.get(fileName);
      return raw ? new Uint8Array(raw) : null;
    },
    async discard(fileName) {
      messages.delete(fileName);
    },
    async close() {},
  };
}

/**
 * Production: `SMTP_URL`, e.g. `smtps://user:pass@smtp.example.org:465`. No copy is kept. A hand-over that
 * hangs gives up after two minutes of silence, well inside the outbox's claim (mail/outbox.ts).
 */
export function smtpTransport(url: string): MailTransport {
  const smtp = nodemailer.createTransport({
    url,
    connectionTimeout: 60_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    kind: "smtp",
    async deliver(raw, envelope) {
      await smtp.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw });
      return { fileName: null };
    },
    async stored() {
      return null;
    },
    async discard() {},
    async close() {
      smtp.close();
    },
  };
}

/** SMTP when `SMTP_URL` is set, otherwise the outbox folder `<data folder>/outbox`. */
export function transportFromEnv(env: NodeJS.ProcessEnv, dataDir: string): MailTransport {
  return env.SMTP_URL ? smtpTransport(env.SMTP_URL) : outboxTransport(join(dataDir, "outbox"));
}

/** Where log lines go: never the address or the body, only ids (the logger is pino's shape). */
export interface MailLog {
  info(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}
