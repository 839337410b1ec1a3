import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../db/index.ts";
import * as repo from "./repo.ts";
import type { MailEnvelope, MailLog, MailTransport } from "./transports.ts";

// The outbox: a message that must not be lost (a reply) is stored in `mail_outbox` in the same transaction
// as the change it announces, so either both are there or neither. It is then handed to the transport,
// straight after the commit and, should that process die first, by the outbox worker (one process at a time,
// under a lease, as publication does).
//
// Exactly once, as far as it can be: a hand-over first claims the message (`handed_over_at`, committed), so
// no second process sends it while the first is at it; once the transport accepts it, `sent_mail` gets its
// row and the outbox row is marked delivered in one transaction. A claim runs out (`claimMs`) when its process
// died. The message is handed over again with the same Message-ID:
// - the outbox folder keeps one copy per Message-ID, so nothing is sent twice (mail/transports.ts);
// - an SMTP server cannot be asked whether it has a message, so if the process died in the moment between
//   the server's "250 accepted" and our commit (milliseconds), the requester gets the message a second time
//   with the same Message-ID, which many mail systems (Gmail, Exchange's duplicate detection) drop. That
//   narrow window is the remaining at-least-once case; a death anywhere else sends the message once.

type Db = Kysely<Database> | Transaction<Database>;

/** How long a hand-over may take before another process takes it for dead (MAIL_HANDOVER_TIMEOUT_SECONDS). */
export const DEFAULT_CLAIM_MS = 10 * 60_000;
/** Waits before trying again after a refusal: 1 minute, 5, 30, 2 hours; then the outbox gives up. */
const RETRY_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];

export interface QueuedMessage {
  id: number;
  messageId: string;
}

export interface OutboxEntry {
  raw: Buffer;
  messageId: string;
  envelope: MailEnvelope;
  to: string;
  subject: string;
  kind: string;
  requestId: number | null;
}

/** Stores a composed message in the outbox, in the caller's transaction; nothing is sent yet. */
export async function queueMessage(db: Db, entry: OutboxEntry, now: Date): Promise<QueuedMessage> {
  const { id } = await db
    .insertInto("mail_outbox")
    .values({
      message_id: entry.messageId,
      request_id: entry.requestId,
      kind: entry.kind,
      to_address: entry.to,
      subject: entry.subject,
      envelope: JSON.stringify(entry.envelope),
      raw: entry.raw,
      queued_at: now,
      next_attempt_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id, messageId: entry.messageId };
}

export type OutboxDelivery =
  | { status: "delivered"; messageId: string }
  | { status: "failed"; messageId: string; error: string; gaveUp: boolean }
  /** Already delivered, given up, destroyed, or being handed over by another process: nothing was done. */
  | { status: "skipped" };

export interface DeliverOptions {
  transport: MailTransport;
  now: Date;
  claimMs?: number;
  log?: MailLog;
  /** Hand it over now even if its next attempt is later or the outbox gave up (staff's "send again"). */
  force?: boolean;
}

/** Claims one message (unless another process holds it), hands it over, and records the result. */
export async function deliverQueued(
  db: Kysely<Database>,
  id: number,
  options: DeliverOptions,
): Promise<OutboxDelivery> {
  const { transport, now } = options;
  const claimMs = options.claimMs ?? DEFAULT_CLAIM_MS;
  const claimed = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("mail_outbox")
      .select([
        "id",
        "message_id",
        "raw",
        "envelope",
        "queued_at",
        "handed_over_at",
        "next_attempt_at",
        "given_up_at",
        "attempts",
      ])
      .where("id", "=", id)
      .where("delivered_at", "is", null)
      .where("raw", "is not", null)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return null;
    if (row.handed_over_at && now.getTime() - row.handed_over_at.getTime() < claimMs) return null;
    if (!options.force && (row.given_up_at || row.next_attempt_at > now)) return null;
    await trx
      .updateTable("mail_outbox")
      .set({ handed_over_at: now, attempts: row.attempts + 1, given_up_at: null })
      .where("id", "=", id)
      .execute();
    return row;
  });
  if (!claimed?.raw) return { status: "skipped" };
  const messageId = claimed.message_id;
  const envelope = claimed.envelope as MailEnvelope;
  let fileName: string | null;
  try {
    ({ fileName } = await transport.deliver(Buffer.from(claimed.raw), envelope, {
      messageId,
      date: claimed.queued_at,
    }));
  } catch (error) {
    const message = (error as Error).message || "the mail server refused the message";
    const gaveUp = claimed.attempts + 1 > RETRY_MS.length;
    await db
      .updateTable("mail_outbox")
      .set({
        handed_over_at: null,
        last_error: message,
        next_attempt_at: new Date(now.getTime() + (RETRY_MS[claimed.attempts] ?? 0)),
        given_up_at: gaveUp ? now : null,
      })
      .where("id", "=", id)
      .execute();
    options.log?.error({ err: { message }, messageId, outboxId: id, gaveUp }, "mail not sent");
    return { status: "failed", messageId, error: message, gaveUp };
  }
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("mail_outbox")
      .select(["to_address", "subject", "kind", "request_id"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const sentMailId = await repo.recordSent(trx, {
      message_id: messageId,
      to_address: row.to_address,
      subject: row.subject,
      kind: row.kind,
      request_id: row.request_id,
      transport: transport.kind,
      file_name: fileName,
      sent_at: now,
    });
    // The transport has it (and the folder outbox its own copy): the queued bytes are not kept twice.
    await trx
      .updateTable("mail_outbox")
      .set({ delivered_at: now, sent_mail_id: sentMailId, raw: null, handed_over_at: null, last_error: null })
      .where("id", "=", id)
      .execute();
  });
  options.log?.info({ messageId, outboxId: id, transport: transport.kind }, "mail sent");
  return { status: "delivered", messageId };
}

/** Messages the worker should hand over now: waiting, and not claimed by a process still within its time. */
export async function waitingMessages(db: Db, now: Date, claimMs = DEFAULT_CLAIM_MS): Promise<number[]> {
  const stale = new Date(now.getTime() - claimMs);
  const rows = await db
    .selectFrom("mail_outbox")
    .select("id")
    .where("delivered_at", "is", null)
    .where("raw", "is not", null)
    .where("given_up_at", "is", null)
    .where("next_attempt_at", "<=", now)
    .where((eb) => eb.or([eb("handed_over_at", "is", null), eb("handed_over_at", "<=", stale)]))
    .orderBy("next_attempt_at")
    .orderBy("id")
    .limit(100)
    .execute();
  return rows.map((row) => row.id);
}

/** Whom and what one queued message is for (its request, kind and address), sent or not; undefined if none. */
export async function queuedMessage(db: Db, id: number) {
  return db
    .selectFrom("mail_outbox")
    .select(["id", "request_id", "kind", "to_address"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Whether a message of `kind` was queued for `address` (in any case) after `since`: sent or still waiting. */
export async function queuedForSince(db: Db, address: string, kind: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom("mail_outbox")
    .select("id")
    .where(sql<string>`lower(to_address)`, "=", address.toLowerCase())
    .where("kind", "=", kind)
    .where("queued_at", ">", since)
    .executeTakeFirst();
  return row !== undefined;
}

/** What the outbox holds for one request's messages of `kind`, newest first (the reply page's status). */
export async function outboxForRequest(db: Db, requestId: number, kind: string) {
  return db
    .selectFrom("mail_outbox")
    .select([
      "id",
      "message_id",
      "queued_at",
      "attempts",
      "handed_over_at",
      "last_error",
      "given_up_at",
      "delivered_at",
      sql<boolean>`raw is not null`.as("waiting"),
    ])
    .where("request_id", "=", requestId)
    .where("kind", "=", kind)
    .where("destroyed_at", "is", null)
    .orderBy("id", "desc")
    .execute();
}

/**
 * Destroys what the outbox and the sent-mail record hold about one request's messages (retention, erasure):
 * addresses, subjects and undelivered bytes; gives back the transport's stored copies to discard.
 */
export async function destroyRequestMail(db: Transaction<Database>, requestId: number, at: Date) {
  const outbox = await db
    .updateTable("mail_outbox")
    .set({
      to_address: "",
      subject: "",
      envelope: JSON.stringify({ from: "", to: [] }),
      raw: null,
      destroyed_at: at,
    })
    .where("request_id", "=", requestId)
    .where("destroyed_at", "is", null)
    .executeTakeFirst();
  const copies = await db
    .selectFrom("sent_mail")
    .select("file_name")
    .where("request_id", "=", requestId)
    .where("file_name", "is not", null)
    .execute();
  const sent = await db
    .updateTable("sent_mail")
    .set({ to_address: "", subject: "", file_name: null })
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  return {
    outbox: Number(outbox.numUpdatedRows),
    sentEmails: Number(sent.numUpdatedRows),
    storedCopies: copies.map((row) => row.file_name).filter((name): name is string => name !== null),
  };
}
