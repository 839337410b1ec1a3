import { type Kysely, sql, type Transaction } from "kysely";
import type { Database, RetentionRecordType } from "../db/index.ts";
import { requestReferenceOf } from "../requests/index.ts";

// The retention module's SQL (STYLE.md). It owns retention_schedule and legal_holds; for anonymisation it
// writes to the requests module's tables as the one place that destroys what they hold, except the
// `requests` table itself, whose reads and writes are the requests module's (requests/retention-repo.ts).

type Db = Kysely<Database> | Transaction<Database>;
export type Tx = Transaction<Database>;

export async function scheduleRows(db: Db) {
  return db.selectFrom("retention_schedule").selectAll().execute();
}

export async function saveSchedule(
  db: Db,
  recordType: RetentionRecordType,
  months: number,
  by: string,
  at: Date,
): Promise<void> {
  await db
    .insertInto("retention_schedule")
    .values({ record_type: recordType, months, updated_at: at, updated_by: by })
    .onConflict((conflict) =>
      conflict.column("record_type").doUpdateSet({ months, updated_at: at, updated_by: by }),
    )
    .execute();
}

/** Email that was never processed onto a request and whose content is still kept. */
export async function unprocessedEmails(db: Db) {
  return db
    .selectFrom("received_mail")
    .select(["id", "storage_key", sql<Date>`coalesce(dismissed_at, received_at)`.as("closed_at")])
    .where("request_id", "is", null)
    .where("status", "in", ["not-processed", "dismissed"])
    .where("destroyed_at", "is", null)
    .orderBy("id")
    .execute();
}

export async function holdsInForce(db: Db, requestId?: number) {
  let query = db
    .selectFrom("legal_holds as h")
    .select([
      "h.id",
      "h.request_id",
      requestReferenceOf<string>("h.request_id").as("reference"),
      "h.reason",
      "h.placed_at",
      "h.placed_by",
    ])
    .where("h.lifted_at", "is", null)
    .orderBy("h.id");
  if (requestId !== undefined) query = query.where("h.request_id", "=", requestId);
  return query.execute();
}

export async function insertHold(db: Db, requestId: number, reason: string, by: string, at: Date) {
  return db
    .insertInto("legal_holds")
    .values({ request_id: requestId, reason, placed_by: by, placed_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function liftHold(db: Db, holdId: number, by: string, at: Date) {
  return db
    .updateTable("legal_holds")
    .set({ lifted_at: at, lifted_by: by })
    .where("id", "=", holdId)
    .where("lifted_at", "is", null)
    .returning(["id", "request_id"])
    .executeTakeFirst();
}

/** The request's documents, each saying whether the disclosure log publishes its file unchanged. */
export async function documentsWithPublication(db: Db, requestId: number) {
  return db
    .selectFrom("documents as d")
    .select([
      "d.id",
      "d.storage_key",
      sql<boolean>`exists (select 1 from published_attachments a where a.storage_key = d.storage_key)`.as(
        "published",
      ),
    ])
    .where("d.request_id", "=", requestId)
    .orderBy("d.id")
    .execute();
}

export async function deleteDocuments(db: Tx, requestId: number, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  // The reply's letters and the internal review's (the same shape, 0038).
  for (const table of ["replies", "review_letters"] as const) {
    await db
      .updateTable(table)
      .set({ letter_document_id: null })
      .where("request_id", "=", requestId)
      .where("letter_document_id", "in", ids)
      .execute();
    await db
      .updateTable(table)
      .set({ word_document_id: null })
      .where("request_id", "=", requestId)
      .where("word_document_id", "in", ids)
      .execute();
  }
  await db.deleteFrom("documents").where("id", "in", ids).execute();
}

/** Empties the correspondence received on a request; gives back the file keys to remove from the store. */
export async function destroyReceivedMail(
  db: Tx,
  where: { requestId: number } | { ids: number[] },
  at: Date,
) {
  let query = db
    .updateTable("received_mail")
    .set({
      from_name: "",
      from_address: null,
      to_addresses: "",
      subject: "",
      text_body: "",
      storage_key: null,
      destroyed_at: at,
    })
    .where("destroyed_at", "is", null);
  query =
    "requestId" in where
      ? query.where("request_id", "=", where.requestId)
      : query.where("id", "in", where.ids.length ? where.ids : [0]);
  // The keys as they were before the update: read first, in the same transaction.
  const before = await ("requestId" in where
    ? db.selectFrom("received_mail").select("storage_key").where("request_id", "=", where.requestId)
    : db
        .selectFrom("received_mail")
        .select("storage_key")
        .where("id", "in", where.ids.length ? where.ids : [0])
  )
    .where("destroyed_at", "is", null)
    .execute();
  const updated = await query.executeTakeFirst();
  return {
    count: Number(updated.numUpdatedRows),
    keys: before.map((row) => row.storage_key).filter((key): key is string => key !== null),
  };
}

/** The rest of what a request holds about its requester: drafts, redaction phrases, the letter's addressee. */
export async function destroyRequestPersonalData(db: Tx, requestId: number) {
  const drafts = await db.deleteFrom("request_drafts").where("request_id", "=", requestId).executeTakeFirst();
  const phrases = await db
    .deleteFrom("request_redactions")
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  // The stored reply keeps its decisions and reasons (reports, consistency); only the letter's addressee goes.
  for (const table of ["replies", "review_letters"] as const)
    await db
      .updateTable(table)
      .set({ content: sql`jsonb_set(content, '{requester}', '{"name": ""}'::jsonb)` as never })
      .where("request_id", "=", requestId)
      .execute();
  return {
    drafts: Number(drafts.numDeletedRows),
    redactionPhrases: Number(phrases.numDeletedRows),
  };
}

export async function destroyPersonalValues(
  db: Tx,
  requestId: number,
  seq: number,
  at: Date,
): Promise<number> {
  const result = await db
    .updateTable("personal_values")
    .set({ salt: null, value: null, destroyed_at: at, destroyed_seq: seq })
    .where("request_id", "=", requestId)
    .where("value", "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Every file key the database refers to: what the file store should hold, and nothing else. */
export async function referencedFileKeys(db: Db): Promise<Set<string>> {
  const { rows } = await sql<{ key: string }>`
    select storage_key as key from documents
    union select storage_key from received_mail where storage_key is not null
    union select storage_key from published_attachments where storage_key is not null
  `.execute(db);
  return new Set(rows.map((row) => row.key));
}

export async function requester(db: Db, requesterId: number) {
  return db.selectFrom("requesters").selectAll().where("id", "=", requesterId).executeTakeFirst();
}
