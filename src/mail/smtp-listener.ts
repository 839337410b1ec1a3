import type { Kysely } from "kysely";
import { SMTPServer } from "smtp-server";
import type { Database } from "../db/index.ts";
import { invalid } from "../errors.ts";
import { type InboundDeps, MAX_INBOUND_BYTES, receiveMessage } from "./inbound.ts";
import * as repo from "./repo.ts";

// Receiving: a plain SMTP server (RFC 5321) for the authority's mail relay to deliver to. No sign-in and no
// TLS: it belongs behind the relay, on a private network. Only the configured addresses are accepted.

export interface InboundListenerOptions {
  port: number;
  host: string;
  /** The addresses mail is accepted for (INBOUND_ADDRESSES); any other recipient is refused. */
  addresses: readonly string[];
  deps: InboundDeps;
  /** The size limit announced (RFC 1870) and enforced; by default MAX_INBOUND_BYTES. */
  maxBytes?: number;
}

export interface InboundListener {
  port: number;
  close(): Promise<void>;
}

const emailPattern = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/**
 * INBOUND_ADDRESSES (comma-separated), else the authority's own address; refused naming the variable when
 * neither gives an address, or one is not an address.
 */
export function inboundAddresses(env: NodeJS.ProcessEnv, authorityEmail: string | null): string[] {
  const text = env.INBOUND_ADDRESSES?.trim() || authorityEmail?.trim() || "";
  const addresses = text
    .split(",")
    .map((address) => address.trim())
    .filter(Boolean);
  if (addresses.length === 0)
    throw invalid(
      "INBOUND_ADDRESSES",
      "Set the addresses to receive mail for (the authority has no email address either)",
    );
  const wrong = addresses.find((address) => !emailPattern.test(address));
  if (wrong) throw invalid("INBOUND_ADDRESSES", `"${wrong}" is not an email address`);
  return addresses;
}

/** The addresses to accept mail for: INBOUND_ADDRESSES, else the authority's address (authority settings). */
export async function configuredInboundAddresses(
  db: Kysely<Database>,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const authority = await repo.authoritySender(db);
  return inboundAddresses(env, authority.email || null);
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

function isDataRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("22");
}

export async function startInboundSmtp(options: InboundListenerOptions): Promise<InboundListener> {
  const allowed = new Set(options.addresses.map((address) => address.toLowerCase()));
  const limit = options.maxBytes ?? MAX_INBOUND_BYTES;
  const { deps } = options;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: limit,
    // smtp-server's own log would print addresses: our lines carry ids only.
    logger: false,
    banner: "foidesk inbound mail",
    onRcptTo(address, _session, callback) {
      if (allowed.has(address.address.toLowerCase())) return callback();
      callback(smtpError(550, "5.1.1 No such mailbox here"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let kept = 0;
      let total = 0;
      stream.on("data", (chunk: Buffer) => {
        total += chunk.byteLength;
        // Past the limit only the beginning is kept: its headers describe the message to staff.
        if (kept <= limit) {
          chunks.push(chunk);
          kept += chunk.byteLength;
        }
      });
      stream.on("end", () => {
        const mailFrom = session.envelope.mailFrom;
        const envelope = {
          from: mailFrom ? mailFrom.address : null,
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
        };
        receiveMessage(deps, Buffer.concat(chunks), envelope, { total, limit }).then(
          () => {
            // RFC 1870 s.6: a message over the announced size is refused, after it was recorded for staff.
            if (stream.sizeExceeded) callback(smtpError(552, "5.3.4 Message exceeds the maximum size"));
            else callback(null, "Message received");
          },
          (error: unknown) =>
            callback(
              // A message the database refuses as data (SQLSTATE class 22) would be refused again: said
              // once, permanently. Otherwise nothing was kept (the database did not answer): the relay tries
              // again later (RFC 5321 s.4.2.1).
              isDataRefusal(error)
                ? smtpError(554, "5.6.0 The message could not be stored as received; it was not kept")
                : smtpError(451, "4.3.0 The message could not be processed now; try again later"),
            ),
        );
      });
    },
  });
  server.on("error", (error) => {
    deps.log.error({ err: { name: error.name, message: error.message } }, "inbound SMTP error");
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  deps.log.info({ port }, "inbound SMTP listening");
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
