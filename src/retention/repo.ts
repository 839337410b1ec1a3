import { type Kysely, sql, type Transaction } from "kysely";
import type { Database, RetentionRecordType } from "../db/index.ts";
import { closedStates, transitions } from "../requests/index.ts";

// The retention module's SQL (STYLE.md). It owns retention_schedule and legal_holds; for anonymisation it
// writes to the requests module's tables as the one place that destroys what they hold.

type Db = Kysely<Database> | Transaction<Database>;
export type Tx = Transaction<Database>;

/** Events after which a request is closed: actions leading to a closed state, and logging an invalid one. */
const closingEvents = [
  "recorded-invalid",
  ...new Set(
    transitions
      .filter((transition) => transition.to && (closedStates as readonly string[]).includes(transition.to))
      .map((transition) => transition.action),
  ),
];

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

/**
 * Closed requests not yet anonymised, with what decides their record type, closure date and legal hold.
 * `requestId` narrows it to one request (erasure), whatever its state.
 */
export async function retentionCandidates(db: Db, only?: { requestIds: number[] }) {
  let query = db
    .selectFrom("requests as r")
    .select([
      "r.id",
      "r.reference",
      "r.regime",
      "r.state",
      "r.requester_id",
      sql<Date | null>`(select max(e.occurred_at) from request_events e where e.request_id = r.id and e.type in (${sql.join(closingEvents)}))`.as(
        "closed_at",
      ),
      sql<boolean>`exists (select 1 from request_events e where e.request_id = r.id and e.type = 'request-review')`.as(
        "reviewed",
      ),
      sql<boolean>`exists (select 1 from request_events e where e.request_id = r.id and e.type in ('record-complaint', 'record-decision-notice'))`.as(
        "regulator",
      ),
      sql<
        string | null
      >`(select e.payload->>'date' from request_events e where e.request_id = r.id and e.type = 'record-decision-notice' order by e.seq desc limit 1)`.as(
        "decision_notice_date",
      ),
      sql<
        string[]
      >`coalesce((select array_agg(h.reason order by h.id) from legal_holds h where h.request_id = r.id and h.lifted_at is null), '{}')`.as(
        "manager_holds",
      ),
    ])
    .where("r.anonymised_at", "is", null)
    .orderBy("r.id");
  query = only
    ? query.where("r.id", "in", only.requestIds.length ? only.requestIds : [0])
    : query.where("r.state", "in", [...closedStates]);
  return query.execute();
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
    .innerJoin("requests as r", "r.id", "h.request_id")
    .select(["h.id", "h.request_id", "r.reference", "h.reason", "h.placed_at", "h.placed_by"])
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

export async function lockedRequest(db: Tx, requestId: number) {
  return db
    .selectFrom("requests")
    .select(["id", "reference", "requester_id", "anonymised_at"])
    .where("id", "=", requestId)
    .forUpdate()
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

/**
 * Points the request at a new requester with no name, email, address or organisation (keeping only the
 * requester type that reports count), and deletes the old requester once no request refers to it.
 */
export async function detachRequester(db: Tx, requestId: number, requesterId: number, at: Date) {
  const old = await db
    .selectFrom("requesters")
    .select("type")
    .where("id", "=", requesterId)
    .executeTakeFirst();
  const anonymous = await db
    .insertInto("requesters")
    .values({
      name: "",
      email: null,
      address: null,
      organisation: null,
      type: old?.type ?? "public",
      created_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .updateTable("requests")
    .set({
      requester_id: anonymous.id,
      body: "",
      questions: "[]",
      tracking_token_hash: null,
      anonymised_at: at,
    })
    .where("id", "=", requestId)
    .execute();
  await db
    .deleteFrom("requesters")
    .where("id", "=", requesterId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("requests").select("id").where("requester_id", "=", requesterId))),
    )
    .execute();
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

export async function requestsOfRequester(db: Db, requesterId: number) {
  return db
    .selectFrom("requests")
    .select(["id", "reference"])
    .where("requester_id", "=", requesterId)
    .orderBy("id")
    .execute();
}

export async function requester(db: Db, requesterId: number) {
  return db.selectFrom("requesters").selectAll().where("id", "=", requesterId).executeTakeFirst();
}

export async function requestIdByReference(db: Db, reference: string) {
  return db.selectFrom("requests").select("id").where("reference", "=", reference).executeTakeFirst();
}
