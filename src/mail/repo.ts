import type { ExpressionBuilder, Insertable, Kysely, Transaction, Updateable } from "kysely";
import { authorityProfile } from "../authority/index.ts";
import type { Database, ReceivedMailTable, SentMailTable } from "../db/index.ts";

// The mail module's SQL (STYLE.md: queries live in the owning module's repo.ts).

type Db = Kysely<Database> | Transaction<Database>;

/** Who the authority's mail comes from (its settings: authority module). */
export async function authoritySender(db: Db) {
  const { name, email } = await authorityProfile(db);
  return { name, email };
}

export async function recordSent(db: Db, row: Insertable<SentMailTable>): Promise<number> {
  const { id } = await db.insertInto("sent_mail").values(row).returning("id").executeTakeFirstOrThrow();
  return id;
}

/** What was sent about one request, oldest first (the tracking page's "letters sent"). */
export async function sentMailForRequest(db: Db, requestId: number) {
  return db
    .selectFrom("sent_mail")
    .select(["id", "subject", "kind", "sent_at"])
    .where("request_id", "=", requestId)
    .orderBy("sent_at")
    .orderBy("id")
    .execute();
}

// Inbound mail (inbound.ts): one row per Message-ID.

/**
 * Claims a message for processing: a new row, or a claim left by a process that stopped before finishing
 * (claimed before `staleBefore`). Null when the message is already known: a redelivery, ignored.
 */
export async function claimReceivedMail(
  db: Db,
  row: Insertable<ReceivedMailTable> & { claimed_at: Date },
  staleBefore: Date,
): Promise<number | null> {
  const claimed = await db
    .insertInto("received_mail")
    .values(row)
    .onConflict((conflict) =>
      conflict
        .column("message_id")
        .doUpdateSet({ claimed_at: row.claimed_at })
        .where("received_mail.status", "=", "processing")
        .where("received_mail.claimed_at", "<", staleBefore),
    )
    .returning("id")
    .executeTakeFirst();
  return claimed?.id ?? null;
}

export async function receivedMailIdByMessageId(db: Db, messageId: string): Promise<number | null> {
  const row = await db
    .selectFrom("received_mail")
    .select("id")
    .where("message_id", "=", messageId)
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function finishReceivedMail(
  db: Db,
  id: number,
  changes: Updateable<ReceivedMailTable>,
): Promise<void> {
  await db.updateTable("received_mail").set(changes).where("id", "=", id).execute();
}

/**
 * Still waiting for staff: not processed, or claimed by a process that stopped before finishing (claimed
 * before `staleBefore`). The SQL of `inInbox` in inbound.ts, for queries on `received_mail as m`.
 */
const inInbox = (staleBefore: Date) => (eb: ExpressionBuilder<Database & { m: ReceivedMailTable }, "m">) =>
  eb.or([
    eb("status", "=", "not-processed"),
    eb.and([eb("status", "=", "processing"), eb("claimed_at", "<", staleBefore)]),
  ]);

/** A message staff act on: taken only while it is not processed, so two people cannot both act on it. */
export async function claimNotProcessed(db: Db, id: number, now: Date, staleBefore: Date) {
  return db
    .updateTable("received_mail as m")
    .set({ status: "processing", claimed_at: now })
    .where("id", "=", id)
    .where(inInbox(staleBefore))
    .returningAll()
    .executeTakeFirst();
}

/**
 * Dismisses a message that needs no action, only while it is not processed (or its claim was left by a
 * process that stopped): a second dismissal, or one racing a member of staff logging it, changes nothing.
 */
export async function dismissNotProcessed(
  db: Db,
  id: number,
  dismissal: { reason: string; by: string; at: Date },
  staleBefore: Date,
) {
  return db
    .updateTable("received_mail as m")
    .set({
      status: "dismissed",
      dismissed_at: dismissal.at,
      dismissed_by: dismissal.by,
      dismissed_reason: dismissal.reason,
    })
    .where("id", "=", id)
    .where(inInbox(staleBefore))
    .returning("id")
    .executeTakeFirst();
}

/** Puts a dismissed message back among those not processed; only while it is dismissed. */
export async function restoreDismissed(db: Db, id: number) {
  return db
    .updateTable("received_mail")
    .set({ status: "not-processed", dismissed_at: null, dismissed_by: null, dismissed_reason: null })
    .where("id", "=", id)
    .where("status", "=", "dismissed")
    .returning("id")
    .executeTakeFirst();
}

/** The request an outbound or earlier inbound message belongs to, for the Message-IDs a reply names. */
export async function requestForMessageIds(db: Db, messageIds: readonly string[]) {
  if (messageIds.length === 0) return null;
  const [sent, received] = await Promise.all([
    db
      .selectFrom("sent_mail")
      .select(["request_id", "message_id"])
      .where("message_id", "in", [...messageIds])
      .where("request_id", "is not", null)
      .execute(),
    db
      .selectFrom("received_mail")
      .select(["request_id", "message_id"])
      .where("message_id", "in", [...messageIds])
      .where("request_id", "is not", null)
      .execute(),
  ]);
  const byMessage = new Map([...sent, ...received].map((row) => [row.message_id, row.request_id]));
  // The first id named wins: In-Reply-To comes before References, and References' newest come last.
  for (const id of messageIds) {
    const requestId = byMessage.get(id);
    if (requestId) return requestId;
  }
  return null;
}

/** The columns of a received message that staff lists show (for `received_mail as m`). */
export const receivedMailColumns = [
  "m.id",
  "m.message_id",
  "m.from_name",
  "m.from_address",
  "m.to_addresses",
  "m.subject",
  "m.size_bytes",
  "m.attachments",
  "m.status",
  "m.reason",
  "m.request_id",
  "m.matched_by",
  "m.received_at",
  "m.claimed_at",
  "m.handled_by",
  "m.seen_at",
  "m.dismissed_at",
  "m.dismissed_by",
  "m.dismissed_reason",
] as const;

/**
 * What staff look at: messages not processed (and claims left unfinished) and the latest dismissed (newest
 * dismissal first). The latest handled ones, beside their requests' references, are the requests module's
 * `recentlyHandledMail`.
 */
export async function inboxLists(db: Db, staleBefore: Date, limit: number) {
  const [notProcessed, dismissed] = await Promise.all([
    db
      .selectFrom("received_mail as m")
      .select(receivedMailColumns)
      .where(inInbox(staleBefore))
      .orderBy("m.received_at", "desc")
      .orderBy("m.id", "desc")
      .limit(limit)
      .execute(),
    db
      .selectFrom("received_mail as m")
      .select(receivedMailColumns)
      .where("m.status", "=", "dismissed")
      .orderBy("m.dismissed_at", "desc")
      .orderBy("m.id", "desc")
      .limit(limit)
      .execute(),
  ]);
  return { notProcessed, dismissed };
}

export async function receivedMailById(db: Db, id: number) {
  return db.selectFrom("received_mail").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The messages threaded onto or logged as one request, oldest first. */
export async function receivedMailForRequest(db: Db, requestId: number) {
  return db
    .selectFrom("received_mail")
    .select([
      "id",
      "from_name",
      "from_address",
      "subject",
      "text_body",
      "attachments",
      "status",
      "matched_by",
      "received_at",
      "seen_at",
      "seen_by",
    ])
    .where("request_id", "=", requestId)
    .orderBy("received_at")
    .orderBy("id")
    .execute();
}

export async function markSeen(db: Db, requestId: number, seenBy: string, now: Date): Promise<number> {
  const result = await db
    .updateTable("received_mail")
    .set({ seen_at: now, seen_by: seenBy })
    .where("request_id", "=", requestId)
    .where("status", "=", "threaded")
    .where("seen_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
