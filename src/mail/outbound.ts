import { randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import nodemailer from "nodemailer";
import type { Database } from "../db/index.ts";
import { deliverQueued, type OutboxDelivery, type QueuedMessage, queueMessage } from "./outbox.ts";
import * as repo from "./repo.ts";
import type { MailEnvelope, MailLog, MailTransport } from "./transports.ts";

// Outbound mail: the mailer builds a real RFC 5322 message (plain text and HTML parts) with nodemailer, stores
// it in the outbox (`mailer.queue`, in the transaction of the change it announces), hands it to the transport
// (the development outbox or SMTP) after the commit (`mailer.deliver`), and records it in `sent_mail`, so staff
// can list what was sent and the tracking page shows letters. Every message goes through the outbox (mail/
// outbox.ts): one the mail server refuses, or whose process dies first, is handed over later by the worker.

export interface OutboundMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What kind of message this is, e.g. "acknowledgement". */
  kind: string;
  /** The request the message is about, when there is one. */
  requestId?: number;
  /** Files sent with the message, such as the reply's PDF letter. */
  attachments?: readonly MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface SentMessage {
  messageId: string;
}

export interface Mailer {
  /**
   * Queues the message on its own and hands it over at once; a refusal is thrown, and the message waits in
   * the outbox for the worker. For a message that announces a change, `queue` it in the change's transaction.
   */
  send(message: OutboundMessage): Promise<SentMessage>;
  /** Composes the message and stores it in the outbox within `trx`; `deliver` hands it over after the commit. */
  queue(trx: Transaction<Database>, message: OutboundMessage): Promise<QueuedMessage>;
  /** Hands one queued message over (once: see mail/outbox.ts); `force` for staff's "send again". */
  deliver(outboxId: number, options?: { force?: boolean }): Promise<OutboxDelivery>;
  /** The stored copy of a sent message (.eml bytes), when the transport keeps one (the outbox does). */
  stored(fileName: string): Promise<Uint8Array | null>;
  /** Destroys the stored copy (retention, erasure). */
  discard(fileName: string): Promise<void>;
  /** "outbox" or "smtp". */
  readonly transport: MailTransport["kind"];
  close(): Promise<void>;
}

export interface MailerOptions {
  db: Kysely<Database>;
  transport: MailTransport;
  /** The From address; by default the authority's name and email address (authority settings). */
  from?: string;
  now?: () => Date;
  log?: MailLog;
  /** How long a hand-over may take before another process takes it for dead (mail/outbox.ts). */
  claimMs?: number;
}

const silent: MailLog = { info() {}, error() {} };

/** `"Westmarch Constabulary" <foi@westmarch.police.example>`; a placeholder until the authority has an address. */
export async function defaultFrom(db: Kysely<Database>): Promise<string> {
  const authority = await repo.authoritySender(db);
  const address = authority.email || "foi@localhost";
  const name = (authority.name || "Freedom of Information").replace(/["\\\r\n]/g, "");
  return `"${name}" <${address}>`;
}

function domainOf(from: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? "localhost";
}

/** One message as RFC 5322 bytes (CRLF line endings), with its Message-ID. */
export async function composeMessage(
  message: OutboundMessage,
  from: string,
  now: Date,
): Promise<{ raw: Buffer; messageId: string; envelope: MailEnvelope }> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  const messageId = `<${randomBytes(16).toString("hex")}@${domainOf(from)}>`;
  const info = await composer.sendMail({
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    ...(message.attachments?.length
      ? {
          attachments: message.attachments.map((file) => ({
            filename: file.filename,
            contentType: file.contentType,
            content: Buffer.from(file.content),
          })),
        }
      : {}),
    messageId,
    date: now,
    headers: { "Auto-Submitted": "auto-generated" },
  });
  const envelope = { from: String(info.envelope.from || ""), to: info.envelope.to.map(String) };
  return { raw: info.message as Buffer, messageId: info.messageId, envelope };
}

export function createMailer(options: MailerOptions): Mailer {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? silent;
  const { transport } = options;
  const mailer: Mailer = {
    transport: transport.kind,
    async send(message) {
      // Through the outbox like every message: a refusal leaves it waiting for the worker, and is thrown.
      const queued = await options.db.transaction().execute((trx) => mailer.queue(trx, message));
      const delivery = await mailer.deliver(queued.id);
      if (delivery.status === "failed") throw new Error(delivery.error);
      return { messageId: queued.messageId };
    },
    async queue(trx, message) {
      const queuedAt = now();
      const from = options.from ?? (await defaultFrom(trx));
      const { raw, messageId, envelope } = await composeMessage(message, from, queuedAt);
      return queueMessage(
        trx,
        {
          raw,
          messageId,
          envelope,
          to: message.to,
          subject: message.subject,
          kind: message.kind,
          requestId: message.requestId ?? null,
        },
        queuedAt,
      );
    },
    deliver: (outboxId, deliverOptions = {}) =>
      deliverQueued(options.db, outboxId, {
        transport,
        now: now(),
        log,
        ...(options.claimMs !== undefined ? { claimMs: options.claimMs } : {}),
        ...(deliverOptions.force ? { force: true } : {}),
      }),
    stored: (fileName) => transport.stored(fileName),
    discard: (fileName) => transport.discard(fileName),
    close: () => transport.close(),
  };
  return mailer;
}

/**
 * For mail recorded as sent outside foidesk (the demo's history, test fixtures): nothing is queued or
 * emailed, and the hand-over reports success.
 */
export const recordOnlyMailer: Pick<Mailer, "send" | "queue" | "deliver"> = {
  send: async () => ({ messageId: "<recorded-only@foidesk.invalid>" }),
  queue: async () => ({ id: 0, messageId: "<recorded-only@foidesk.invalid>" }),
  deliver: async () => ({ status: "delivered", messageId: "<recorded-only@foidesk.invalid>" }),
};
