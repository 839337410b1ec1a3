import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import { z } from "zod";
import type { Database, RequestStateName } from "../db/index.ts";
import { informationRegimes } from "../law/index.ts";
import type { EventType } from "./events.ts";
import { closedStates } from "./workflow.ts";

// The requests module's read models: what other modules read of requests, their requesters, replies and
// history, asked here so that the `requests` table has one owner (DESIGN.md). Each query is the one its
// module ran before; the module re-exports it from its own repo.ts.

type Db = Kysely<Database> | Transaction<Database>;

// ---- Publication ----------------------------------------------------------------------------------------

/** The request, its requester and its reply (sent or not): what publishing reads. */
export async function requestForPublication(db: Db, requestId: number) {
  return db
    .selectFrom("requests as r")
    .innerJoin("requesters as q", "q.id", "r.requester_id")
    .leftJoin("replies as p", "p.request_id", "r.id")
    .select([
      "r.id",
      "r.reference",
      "r.regime",
      "r.state",
      "r.topic",
      "r.version",
      "q.name as requester_name",
      "q.email as requester_email",
      "q.address as requester_address",
      "q.organisation as requester_organisation",
      "q.type as requester_type",
      "p.content as reply_content",
      "p.sent_at as reply_sent_at",
      "p.letter_document_id",
      "p.word_document_id",
    ])
    .where("r.id", "=", requestId)
    .executeTakeFirst();
}

/**
 * Requests whose reply was sent before `sentBefore` and which have never been published (a withdrawn reply
 * stays withdrawn until someone publishes it again by hand). SAR replies are never published.
 */
export async function requestsDueForPublication(db: Db, sentBefore: Date, limit: number) {
  return db
    .selectFrom("replies as p")
    .innerJoin("requests as r", "r.id", "p.request_id")
    .leftJoin("published_replies as pub", "pub.request_id", "r.id")
    .select(["r.id", "r.reference", "p.sent_at"])
    .where("p.sent_at", "is not", null)
    .where("p.sent_at", "<=", sentBefore)
    .where("r.regime", "in", informationRegimes)
    .where("pub.id", "is", null)
    .orderBy("p.sent_at")
    .limit(limit)
    .execute();
}

/** The request's words, for finding published replies like it. */
export async function requestText(db: Db, requestId: number) {
  return db
    .selectFrom("requests")
    .select(["id", "body", "questions", "topic"])
    .where("id", "=", requestId)
    .executeTakeFirst();
}

/** How many requests and events there are: a backup's manifest says what it holds (retention/backup.ts). */
export async function requestAndEventCounts(db: Db): Promise<{ requests: number; events: number }> {
  const { rows } = await sql<{ requests: number; events: number }>`
    select (select count(*) from requests) as requests, (select count(*) from request_events) as events
  `.execute(db);
  return { requests: Number(rows[0]?.requests ?? 0), events: Number(rows[0]?.events ?? 0) };
}

// ---- Read beside another module's rows: SQL the other module composes into its own query -----------------
// Another module's table that names a request (a released table, a legal hold) shows the request's reference or
// asks whether its reply has gone; these expressions say how, so the owner's query stays one statement and the
// `requests` and `replies` tables are still read only here.

/** The reference of the request whose id is in `column` of the caller's query (null when the column is). */
export function requestReferenceOf<T extends string | null = string | null>(column: string): RawBuilder<T> {
  return sql<T>`(select q.reference from requests q where q.id = ${sql.ref(column)})`;
}

/** Whether the reply to the request whose id is in `column` has been sent (FOIA s.10: only then is it given). */
export function replySentFor(column: string): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from replies p where p.request_id = ${sql.ref(column)} and p.sent_at is not null)`;
}

// ---- The public site: tracking links, answers' dates, the benchmark's check ----------------------------

/**
 * The requests whose tracking link may be sent again to `email` (any case): those that have a link and have
 * changed since `changedSince` (older links have expired), newest first.
 */
export async function trackableRequestsOf(db: Db, email: string, changedSince: Date, limit: number) {
  return db
    .selectFrom("requests as r")
    .innerJoin("requesters as p", "p.id", "r.requester_id")
    .select(["r.id", "r.reference", "r.received_date", "p.name", "p.email"])
    .where(sql<string>`lower(p.email)`, "=", email.toLowerCase())
    .where("r.tracking_token_hash", "is not", null)
    .where("r.updated_at", ">", changedSince)
    .orderBy("r.id", "desc")
    .limit(limit)
    .execute();
}

export async function requestByTrackingHash(db: Db, tokenHash: string) {
  return db
    .selectFrom("requests")
    .select(["id", "version", "updated_at"])
    .where("tracking_token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** The moment each outcome or review was recorded (the reply's date on the tracking page). */
export async function eventDates(db: Db, requestId: number, types: EventType[]) {
  const rows = await db
    .selectFrom("request_events")
    .select(["type", "payload", "occurred_at"])
    .where("request_id", "=", requestId)
    .where("type", "in", types)
    .orderBy("seq")
    .execute();
  return rows.map((row) => ({ type: row.type, date: actionDate(row), occurred_at: row.occurred_at }));
}

/** An action's own date (a reply's, a review's), read from its stored payload; null when it has none. */
const datedPayload = z.looseObject({ date: z.string().optional() });

function actionDate(row: { type: string; payload: unknown }): string | null {
  const parsed = datedPayload.safeParse(row.payload);
  if (!parsed.success)
    throw new Error(
      `The stored payload of a "${row.type}" event is not valid: date: ${parsed.error.issues[0]!.message}`,
    );
  return parsed.data.date ?? null;
}

// ---- Reporting --------------------------------------------------------------------------------------------

/** What a report covers: requests received by `to`, changed since `after` or still open; one team's, if given. */
export interface ReportedRequests {
  to: string;
  after: Date;
  teamId?: number | undefined;
}

function relevantRequests(db: Db, covered: ReportedRequests) {
  return db
    .selectFrom("requests as r")
    .where("r.received_date", "<=", covered.to)
    .where((eb) =>
      eb.or([eb("r.updated_at", ">=", covered.after), eb("r.state", "not in", [...closedStates])]),
    )
    .$if(covered.teamId !== undefined, (query) => query.where("r.team_id", "=", covered.teamId as number));
}

/** The requests a report covers, with their team and officer. */
export async function reportedRequests(db: Db, covered: ReportedRequests) {
  return relevantRequests(db, covered)
    .leftJoin("teams as t", "t.id", "r.team_id")
    .leftJoin("users as u", "u.id", "r.assignee_id")
    .select([
      "r.id",
      "r.reference",
      "r.regime",
      "r.state",
      "r.received_date",
      "r.outcome",
      "r.clock",
      "r.review_received_date",
      "r.review_outcome",
      "t.name as team",
      "u.display_name as officer",
    ])
    .orderBy("r.id")
    .execute();
}

/** The events of the requests a report covers, in order, each with its own date when it has one. */
export async function reportedRequestEvents(db: Db, covered: ReportedRequests) {
  return relevantRequests(db, covered)
    .innerJoin("request_events as e", "e.request_id", "r.id")
    .select(["e.request_id", "e.type", "e.occurred_at", sql<string | null>`e.payload->>'date'`.as("date")])
    .orderBy("e.request_id")
    .orderBy("e.seq")
    .execute();
}

/** The replies sent between `after` and `before` (one team's, if given): regime, when, exemptions, refusal. */
export async function sentReplies(db: Db, sent: { after: Date; before: Date; teamId?: number | undefined }) {
  return db
    .selectFrom("replies as p")
    .innerJoin("requests as r", "r.id", "p.request_id")
    .select([
      "r.regime",
      "p.sent_at",
      sql<unknown>`jsonb_path_query_array(p.content, '$.exemptions[*].exemptionIds[*]')`.as("exemption_ids"),
      sql<string | null>`p.content->'refusal'->>'ground'`.as("refusal_ground"),
    ])
    .where("p.sent_at", ">=", sent.after)
    .where("p.sent_at", "<", sent.before)
    .$if(sent.teamId !== undefined, (query) => query.where("r.team_id", "=", sent.teamId as number))
    .orderBy("p.request_id")
    .execute();
}

// ---- The demo's disclosure log (publication) --------------------------------------------------------------

/** The information requests in `states`, with their requesters, oldest first. */
export async function answeredRequests(db: Db, states: readonly RequestStateName[]) {
  return db
    .selectFrom("requests as r")
    .innerJoin("requesters as q", "q.id", "r.requester_id")
    .select([
      "r.id",
      "r.reference",
      "r.regime",
      "r.received_date",
      "r.body",
      "r.topic",
      "r.outcome",
      "q.name as requester_name",
      "q.email as requester_email",
      "q.address as requester_address",
    ])
    .where("r.state", "in", states)
    .where("r.regime", "in", informationRegimes)
    .orderBy("r.id")
    .execute();
}

/** The request's last "record-outcome" event: its date (null when it has none) and when it was recorded. */
export async function lastOutcomeRecorded(db: Db, requestId: number) {
  const row = await db
    .selectFrom("request_events")
    .select(["payload", "occurred_at"])
    .where("request_id", "=", requestId)
    .where("type", "=", "record-outcome")
    .orderBy("seq", "desc")
    .executeTakeFirst();
  return (
    row && {
      date: actionDate({ type: "record-outcome", payload: row.payload }),
      occurred_at: row.occurred_at,
    }
  );
}

/** Requests a statistics table could answer: those in `states` (their reply can still be drafted), newest first. */
export async function requestsBeingWorked(db: Db, states: readonly RequestStateName[]) {
  return db
    .selectFrom("requests")
    .select(["id", "reference", "topic"])
    .where("state", "in", states)
    .where("regime", "!=", "sar")
    .orderBy("received_date", "desc")
    .orderBy("id", "desc")
    .limit(200)
    .execute();
}

/** What the datasets module checks of a request before a table is released into its reply. */
export async function requestSummary(db: Db, id: number) {
  return db
    .selectFrom("requests")
    .select([
      "id",
      "reference",
      "version",
      "state",
      "regime",
      sql<number>`coalesce(jsonb_array_length(questions), 0)`.as("questions"),
    ])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The first open request (in progress or extended) on `topic`, with its assignee: the demo's worked example. */
export async function assignedOpenRequestOnTopic(db: Db, topic: string) {
  return db
    .selectFrom("requests as r")
    .innerJoin("users as u", "u.id", "r.assignee_id")
    .select(["r.id", "u.id as userId", "u.display_name", "u.role"])
    .where("r.topic", "=", topic)
    .where("r.state", "in", ["in-progress", "extended"])
    .orderBy("r.id")
    .executeTakeFirst();
}

/** The reference of the first request whose text is `body` (the demo names its requests by their text). */
export async function referenceOfRequestWithBody(db: Db, body: string) {
  return db
    .selectFrom("requests")
    .select("reference")
    .where("body", "=", body)
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}
