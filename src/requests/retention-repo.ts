import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../db/index.ts";
import { closedStates, transitions } from "./workflow.ts";

// What the retention module reads and writes of the `requests` table, which has one owner (this module): the
// closed requests due for review, and anonymising one (its row locked, its requester detached).

type Db = Kysely<Database> | Transaction<Database>;
type Tx = Transaction<Database>;

/** Events after which a request is closed: actions leading to a closed state, and logging an invalid one. */
const closingEvents = [
  "recorded-invalid",
  ...new Set(
    transitions
      .filter((transition) => transition.to && (closedStates as readonly string[]).includes(transition.to))
      .map((transition) => transition.action),
  ),
];

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

export async function lockedRequest(db: Tx, requestId: number) {
  return db
    .selectFrom("requests")
    .select(["id", "reference", "requester_id", "anonymised_at"])
    .where("id", "=", requestId)
    .forUpdate()
    .executeTakeFirst();
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

/** The requester's requests, oldest first: what their export and erasure name. */
export async function requestReferencesOfRequester(db: Db, requesterId: number) {
  return db
    .selectFrom("requests")
    .select(["id", "reference"])
    .where("requester_id", "=", requesterId)
    .orderBy("id")
    .execute();
}

export async function requestIdByReference(db: Db, reference: string) {
  return db.selectFrom("requests").select("id").where("reference", "=", reference).executeTakeFirst();
}

/** Every column of the requester's requests, oldest first: the requester's export. */
export async function requestRecordsOfRequester(db: Db, requesterId: number) {
  return db
    .selectFrom("requests")
    .selectAll()
    .where("requester_id", "=", requesterId)
    .orderBy("id")
    .execute();
}
