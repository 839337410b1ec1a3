import { randomBytes } from "node:crypto";
import type { Selectable } from "kysely";
import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import { authorityProfile } from "../authority/index.ts";
import { type Database, prepared, type RequestEventTable, type RequestRow } from "../db/index.ts";
import { type HistoryEvent, parseEvent } from "./events.ts";
import {
  type ChainedEvent,
  eventHash,
  openPayload,
  type PersonalRef,
  type PersonalValue,
  personalDigest,
  personalStrings,
  sealPayload,
} from "./history.ts";
import { closedStates, type RequestState } from "./workflow.ts";

// The requests module's SQL, and only here (STYLE.md). Each function reads like the query it runs.

type Db = Kysely<Database> | Transaction<Database>;

/** The team a new request joins when none is chosen (authority settings), or null. */
export async function intakeTeamId(db: Db): Promise<number | null> {
  return (await authorityProfile(db)).intakeTeamId;
}

/** The same person asking again is one requester: matched on email, else on name and postal address. */
export async function findOrCreateRequester(
  db: Db,
  requester: {
    name: string;
    email?: string | undefined;
    address?: string | undefined;
    organisation?: string | undefined;
    type: string;
  },
): Promise<number> {
  const values = {
    name: requester.name,
    email: requester.email ?? null,
    address: requester.address ?? null,
    organisation: requester.organisation ?? null,
    type: requester.type,
  };
  if (requester.email) {
    // One requester per email (unique index, 0005): concurrent intake of the same person meets here.
    const row = await db
      .insertInto("requesters")
      .values(values)
      .onConflict((conflict) =>
        conflict
          .expression(sql`lower(email)`)
          .where("email", "is not", null)
          .doUpdateSet({ email: sql`requesters.email` }),
      )
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }
  if (requester.name && requester.address) {
    const existing = await db
      .selectFrom("requesters")
      .select("id")
      .where(sql`lower(name)`, "=", requester.name.toLowerCase())
      .where("address", "=", requester.address)
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();
    if (existing) return existing.id;
  }
  const created = await db.insertInto("requesters").values(values).returning("id").executeTakeFirstOrThrow();
  return created.id;
}

/**
 * The next sequence number for a regime and year. The upsert takes the counter row's lock until the creating
 * transaction ends, so concurrent creators (in any number of processes) queue, and a rollback returns the
 * number: unique and gap-free.
 */
export async function allocateSequence(
  db: Transaction<Database>,
  regime: string,
  year: number,
): Promise<number> {
  const row = await db
    .insertInto("reference_counters")
    .values({ regime, year, last_seq: 1 })
    .onConflict((conflict) =>
      conflict.columns(["regime", "year"]).doUpdateSet({ last_seq: sql`reference_counters.last_seq + 1` }),
    )
    .returning("last_seq")
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export async function lockRequest(db: Transaction<Database>, id: number): Promise<RequestRow | undefined> {
  return db.selectFrom("requests").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

/** The hash the request's next event chains to: its last event's, read alone (not the whole history). */
export async function lastEventHash(db: Db, requestId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom("request_events")
    .select("hash")
    .where("request_id", "=", requestId)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.hash;
}

/**
 * Appends an event: its personal values go to their own rows first, the payload keeps references to them
 * (history.ts), and the hash is taken over what is stored. Returns the hash.
 */
export async function insertEvent(db: Db, event: Omit<ChainedEvent, "hash">): Promise<string> {
  const refs: PersonalRef[] = [];
  for (const value of personalStrings(event.payload)) {
    const salt = randomBytes(16).toString("hex");
    const row = await db
      .insertInto("personal_values")
      .values({ request_id: event.requestId, salt, value })
      .returning("id")
      .executeTakeFirstOrThrow();
    refs.push({ $personal: row.id, sha256: personalDigest(salt, value) });
  }
  const stored = { ...event, payload: sealPayload(event.payload, refs) };
  const hash = eventHash(stored);
  await db
    .insertInto("request_events")
    .values({
      request_id: event.requestId,
      seq: event.seq,
      type: event.type,
      payload: JSON.stringify(stored.payload),
      actor_id: event.actorId,
      actor_label: event.actorLabel,
      occurred_at: event.occurredAt,
      prev_hash: event.prevHash,
      hash,
    })
    .execute();
  return hash;
}

function toChainedEvent(row: Selectable<RequestEventTable>): ChainedEvent {
  return {
    requestId: row.request_id,
    seq: row.seq,
    type: row.type,
    payload: row.payload,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    occurredAt: row.occurred_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * A request's events as people read them: each personal value in place (or a note that it was destroyed).
 * The hashes are of the stored form; `eventsOfRequests` gives that, for checking the chain.
 */
export async function requestEvents(db: Db, requestId: number): Promise<HistoryEvent[]> {
  const rows = await db
    .selectFrom("request_events")
    .selectAll()
    .where("request_id", "=", requestId)
    .orderBy("seq")
    .execute();
  const values = new Map(
    (
      await db
        .selectFrom("personal_values")
        .select(["id", "value"])
        .where("request_id", "=", requestId)
        .execute()
    ).map((row) => [row.id, row.value] as const),
  );
  return rows.map((row) => parseEvent({ ...toChainedEvent(row), payload: openPayload(row.payload, values) }));
}

/** The personal values of some requests, by id, as `checkChain` needs them. */
export async function personalValuesOfRequests(
  db: Db,
  requestIds: number[],
): Promise<Map<number, PersonalValue>> {
  if (requestIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("personal_values")
    .select(["id", "request_id", "salt", "value", "destroyed_seq"])
    .where("request_id", "in", requestIds)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        requestId: row.request_id,
        salt: row.salt,
        value: row.value,
        destroyedSeq: row.destroyed_seq,
      },
    ]),
  );
}

export async function activeUser(db: Db, id: number) {
  return db
    .selectFrom("users")
    .select(["id", "display_name", "team_id", "role"])
    .where("id", "=", id)
    .where("active", "=", true)
    .executeTakeFirst();
}

export async function requestWithPeople(db: Db, where: { id: number } | { reference: string }) {
  let query = db
    .selectFrom("requests as r")
    .innerJoin("requesters as q", "q.id", "r.requester_id")
    .leftJoin("users as a", "a.id", "r.assignee_id")
    .leftJoin("teams as t", "t.id", "r.team_id")
    .selectAll("r")
    .select([
      "q.name as requester_name",
      "q.email as requester_email",
      "q.address as requester_address",
      "q.organisation as requester_organisation",
      "q.type as requester_type",
      "a.display_name as assignee_name",
      "t.name as team_name",
    ]);
  query =
    "id" in where ? query.where("r.id", "=", where.id) : query.where("r.reference", "=", where.reference);
  return query.executeTakeFirst();
}

export async function requestDocuments(db: Db, requestId: number) {
  return db.selectFrom("documents").selectAll().where("request_id", "=", requestId).orderBy("id").execute();
}

export interface QueueQuery {
  assigneeId?: number | undefined;
  teamId?: number | undefined;
  state?: RequestState | undefined;
  regime?: string | undefined;
  /** Open requests due on or before this date (and not stopped). */
  dueBy?: string | undefined;
  /** Open requests due before this date, clock running: overdue. */
  overdueBefore?: string | undefined;
  /** Leave out subject access requests (the viewer may not see them: sar-access.ts). */
  withoutSubjectAccess?: boolean | undefined;
  limit: number;
  /** Rows to skip (a page picked by number), unless the page starts from a cursor. */
  offset: number;
  /** The page after this row (keyset: read on from it in the index, however deep). */
  after?: QueueCursor | undefined;
  /** The page before this row. */
  before?: QueueCursor | undefined;
}

/** The queue's counts (json_build_object's numbers). */
interface QueueCounts {
  open: number;
  overdue: number;
  dueSoon: number;
  total: number;
}

/** Where a page of the queue starts or ends: a row's place in the queue's order. */
export interface QueueCursor {
  dueDate: string | null;
  id: number;
}

/** The queue's order, due date (none last) then id: the key of its indexes (migration 0048). */
const queueOrder = sql<string>`coalesce(r.due_date, 'infinity'::date)`;
const placeOf = (cursor: QueueCursor) =>
  sql`(coalesce(${cursor.dueDate}::date, 'infinity'::date), ${cursor.id}::int)`;

/** The open-request scope of a work queue; the predicate matches the partial indexes' (migration 0001). */
function queueScope(db: Db, query: Omit<QueueQuery, "limit" | "offset">) {
  let scope = db.selectFrom("requests as r").where("r.state", "not in", [...closedStates]);
  if (query.assigneeId !== undefined) scope = scope.where("r.assignee_id", "=", query.assigneeId);
  if (query.teamId !== undefined) scope = scope.where("r.team_id", "=", query.teamId);
  if (query.regime) scope = scope.where("r.regime", "=", query.regime as RequestRow["regime"]);
  if (query.state) scope = scope.where("r.state", "=", query.state);
  if (query.withoutSubjectAccess) scope = scope.where("r.regime", "<>", "sar");
  return scope;
}

/** The due-date filters (due within some days, overdue) as one condition, or null when neither is asked. */
function dueCondition(query: QueueQuery): RawBuilder<boolean> | null {
  const conditions: RawBuilder<boolean>[] = [];
  if (query.dueBy) conditions.push(sql<boolean>`r.due_date <= ${query.dueBy} and not r.clock_stopped`);
  if (query.overdueBefore)
    // An appeal window closes; it never falls overdue (law's timeLeft says the same).
    conditions.push(
      sql<boolean>`r.due_date < ${query.overdueBefore} and not r.clock_stopped and r.due_kind is distinct from 'appeal'`,
    );
  return conditions.length ? sql<boolean>`(${sql.join(conditions, sql` and `)})` : null;
}

/**
 * One page of a work queue, soonest due first (so overdue first), with the counts a manager watches. A page
 * is read from a cursor (keyset: a range of the queue index, as cheap on the last page as the first) or by
 * number; one row more than the page is read to know whether the queue goes on in that direction.
 */
export async function workQueuePage(db: Db, query: QueueQuery, today: string, dueSoonBy: string) {
  // The page's ids first, from the queue index alone, then the joins for those 50 rows only (bench/casework:
  // a deep page of a 1,000,000-request database went from ~1 s to ~3 ms).
  const backwards = query.before !== undefined && query.after === undefined;
  const direction = backwards ? "desc" : "asc";
  const due = dueCondition(query);
  let page = queueScope(db, query)
    .select(["r.id", "r.due_date"])
    .orderBy(queueOrder, direction)
    .orderBy("r.id", direction)
    .limit(query.limit + 1);
  if (due) page = page.where(due);
  if (query.after) page = page.where(sql<boolean>`(${queueOrder}, r.id) > ${placeOf(query.after)}`);
  else if (query.before) page = page.where(sql<boolean>`(${queueOrder}, r.id) < ${placeOf(query.before)}`);
  else page = page.offset(query.offset);
  // The counts a manager watches, and the number the filters leave, in one pass over the queue's covering
  // index (migration 0048).
  const counting = queueScope(db, query).select(
    sql<QueueCounts>`json_build_object(
      'open', count(*),
      'overdue', count(*) filter (where r.due_date < ${today} and not r.clock_stopped and r.due_kind is distinct from 'appeal'),
      'dueSoon', count(*) filter (where r.due_date >= ${today} and r.due_date <= ${dueSoonBy} and not r.clock_stopped),
      'total', ${due ? sql`count(*) filter (where ${due})` : sql`count(*)`})`.as("counts"),
  );
  // The page and its counts in one statement (the counts, uncorrelated, are computed once); an empty page
  // has no row to carry them, so then they are read alone.
  // Prepared: parsed once a connection (db/prepared.ts).
  const read = await db
    .selectFrom(page.as("p"))
    .modifyFront(prepared)
    .innerJoin("requests as r", "r.id", "p.id")
    .innerJoin("requesters as q", "q.id", "r.requester_id")
    .leftJoin("users as a", "a.id", "r.assignee_id")
    .leftJoin("teams as t", "t.id", "r.team_id")
    .select([
      "r.id",
      "r.reference",
      "r.regime",
      "r.state",
      "r.received_date",
      "r.due_date",
      "r.due_kind",
      "r.clock_stopped",
      "r.topic",
      "r.version",
      sql<string>`left(r.body, 140)`.as("summary"),
      // Email threaded onto the request that no officer has read yet (mail/inbound.ts; a partial index).
      sql<boolean>`exists (select 1 from received_mail m where m.request_id = r.id and m.status = 'threaded' and m.seen_at is null)`.as(
        "new_correspondence",
      ),
      "q.name as requester_name",
      "a.display_name as assignee_name",
      "t.name as team_name",
      counting.as("counts"),
    ])
    .orderBy(sql`coalesce(p.due_date, 'infinity'::date)`)
    .orderBy("p.id")
    .execute();
  const counts = read[0]?.counts ?? (await counting.executeTakeFirstOrThrow()).counts;
  // The extra row is the farthest from where the page started: the last, or (reading backwards) the first.
  const more = read.length > query.limit;
  const kept = more ? (backwards ? read.slice(1) : read.slice(0, query.limit)) : read;
  const rows = kept.map(({ counts: _, ...row }) => row);
  return {
    rows,
    /** Whether the queue goes on past this page in the direction it was read (after it; before it, backwards). */
    more,
    backwards,
    total: Number(counts.total),
    counts: { open: Number(counts.open), overdue: Number(counts.overdue), dueSoon: Number(counts.dueSoon) },
  };
}

export async function requesterById(db: Db, id: number) {
  return db.selectFrom("requesters").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A requester's requests received between two dates: the look-back the request page's warnings need. */
export async function requestsOfRequesterBetween(db: Db, requesterId: number, from: string, to: string) {
  return db
    .selectFrom("requests")
    .select(["id", "reference", "regime", "received_date", "body"])
    .where("requester_id", "=", requesterId)
    .where("received_date", ">=", from)
    .where("received_date", "<=", to)
    .orderBy("received_date", "desc")
    .limit(200)
    .execute();
}

export async function requestsOfRequester(db: Db, requesterId: number) {
  return db
    .selectFrom("requests")
    .select(["id", "reference", "regime", "state", "outcome", "received_date", "due_date", "body"])
    .where("requester_id", "=", requesterId)
    .orderBy("received_date", "desc")
    .orderBy("id", "desc")
    .execute();
}

/** Request ids in order, a batch at a time, for walking every chain. */
export async function requestVersionsAfter(db: Db, afterId: number, limit: number) {
  return db
    .selectFrom("requests")
    .select(["id", "reference", "version"])
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
}

export async function eventsOfRequests(db: Db, requestIds: number[]): Promise<Map<number, ChainedEvent[]>> {
  const byRequest = new Map<number, ChainedEvent[]>(requestIds.map((id) => [id, []]));
  if (requestIds.length === 0) return byRequest;
  const rows = await db
    .selectFrom("request_events")
    .selectAll()
    .where("request_id", "in", requestIds)
    .orderBy("request_id")
    .orderBy("seq")
    .execute();
  for (const row of rows) {
    byRequest.get(row.request_id)?.push(toChainedEvent(row));
  }
  return byRequest;
}

export type Tx = Transaction<Database>;
export type RequestRowLike = RequestRow;
export type RequestChanges = Partial<{
  regime: RequestRow["regime"];
  assignee_id: number | null;
  team_id: number | null;
  outcome: string | null;
  review_received_date: string | null;
  review_outcome: string | null;
}>;

export async function updateRequest(
  db: Db,
  id: number,
  changes: RequestChanges &
    Partial<
      Pick<
        RequestRow,
        "state" | "due_date" | "refusal_notice_due" | "clock_stopped" | "version" | "updated_by"
      >
    > & {
      clock?: string;
      updated_at?: Date;
    },
): Promise<void> {
  await db.updateTable("requests").set(changes).where("id", "=", id).execute();
}

/** The requests in one state (the fee lapse job reads those awaiting a fee). */
export async function requestsInState(db: Db, state: RequestState) {
  return db
    .selectFrom("requests")
    .select(["id", "reference"])
    .where("state", "=", state)
    .orderBy("id")
    .execute();
}
