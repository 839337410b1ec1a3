import { type Kysely, sql, type Transaction } from "kysely";
import { authorityProfile } from "../../authority/index.ts";
import type { Database, PreferredFormat, Satisfaction } from "../../db/index.ts";

// The public site's SQL (STYLE.md: queries in repo.ts, never in handlers): the authority as the public sees
// it, drafts of requests being made, tracking links, and feedback.

type Db = Kysely<Database> | Transaction<Database>;

/** The authority as the public sees it (its settings: authority module). */
export async function authorityForPublic(db: Db) {
  const { name, email, phone, address, jurisdiction } = await authorityProfile(db);
  return { name, email, phone, address, jurisdiction };
}

// Drafts: keyed by the SHA-256 of the random id in the person's cookie.

export async function liveDraft(db: Db, idHash: string, now: Date) {
  return db
    .selectFrom("request_drafts")
    .selectAll()
    .where("id_hash", "=", idHash)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

export async function insertDraft(
  db: Db,
  row: { idHash: string; route: string | null; answers: Record<string, string>; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto("request_drafts")
    .values({
      id_hash: row.idHash,
      route: row.route,
      answers: JSON.stringify(row.answers),
      created_at: row.now,
      updated_at: row.now,
      expires_at: row.expiresAt,
    })
    .execute();
}

/** Saves the answers of a draft not yet sent; false when there is no such draft (expired, or already sent). */
export async function updateDraftAnswers(
  db: Db,
  idHash: string,
  route: string,
  answers: Record<string, string>,
  now: Date,
  expiresAt: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("request_drafts")
    .set({ route, answers: JSON.stringify(answers), updated_at: now, expires_at: expiresAt })
    .where("id_hash", "=", idHash)
    .where("request_id", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Claims a draft for sending: only one submission wins (a double click, two tabs), and a claim left by a
 * crashed process is taken over after `staleBefore`.
 */
export async function claimDraft(db: Db, idHash: string, now: Date, staleBefore: Date) {
  return db
    .updateTable("request_drafts")
    .set({ submitting_since: now })
    .where("id_hash", "=", idHash)
    .where("request_id", "is", null)
    .where("expires_at", ">", now)
    .where((eb) => eb.or([eb("submitting_since", "is", null), eb("submitting_since", "<", staleBefore)]))
    .returningAll()
    .executeTakeFirst();
}

export async function releaseDraft(db: Db, idHash: string): Promise<void> {
  await db
    .updateTable("request_drafts")
    .set({ submitting_since: null })
    .where("id_hash", "=", idHash)
    .execute();
}

/** Sent: the answers are cleared (they are in the request now); the confirmation page needs only the id. */
export async function markDraftSent(
  db: Db,
  idHash: string,
  requestId: number,
  trackingToken: string | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable("request_drafts")
    .set({
      answers: "{}",
      request_id: requestId,
      tracking_token: trackingToken,
      submitting_since: null,
      updated_at: now,
    })
    .where("id_hash", "=", idHash)
    .execute();
}

export async function deleteExpiredDrafts(db: Db, now: Date): Promise<void> {
  await db.deleteFrom("request_drafts").where("expires_at", "<=", now).execute();
}

// Tracking links.

export async function setTracking(
  db: Db,
  requestId: number,
  tokenHash: string,
  preferredFormat: PreferredFormat | null,
): Promise<void> {
  await db
    .updateTable("requests")
    .set({ tracking_token_hash: tokenHash, preferred_format: preferredFormat })
    .where("id", "=", requestId)
    .execute();
}

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

/** Whether a tracking link was sent to this address (any case) since `since`. */
export async function trackingLinkSentSince(db: Db, email: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom("sent_mail")
    .select("id")
    .where(sql<string>`lower(to_address)`, "=", email.toLowerCase())
    .where("kind", "=", "tracking-link")
    .where("sent_at", ">", since)
    .executeTakeFirst();
  return row !== undefined;
}

export async function requestByTrackingHash(db: Db, tokenHash: string) {
  return db
    .selectFrom("requests")
    .select(["id", "version", "updated_at"])
    .where("tracking_token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** The moment each outcome or review was recorded (the reply's date on the tracking page). */
export async function eventDates(db: Db, requestId: number, types: string[]) {
  return db
    .selectFrom("request_events")
    .select(["type", "payload", "occurred_at"])
    .where("request_id", "=", requestId)
    .where("type", "in", types)
    .orderBy("seq")
    .execute();
}

// Feedback.

export async function insertFeedback(
  db: Db,
  row: { satisfaction: Satisfaction | null; comments: string; page: string | null; now: Date },
): Promise<number> {
  const { id } = await db
    .insertInto("feedback")
    .values({ satisfaction: row.satisfaction, comments: row.comments, page: row.page, created_at: row.now })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export async function feedbackPage(db: Db, limit: number, offset: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom("feedback")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .offset(offset)
      .execute(),
    db.selectFrom("feedback").select(sql<number>`count(*)`.as("count")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.count) };
}

// The benchmark's check: every acknowledged request stored, no reference twice.

export async function countRequestsSince(db: Db, since: Date) {
  const row = await db
    .selectFrom("requests")
    .select([sql<number>`count(*)`.as("stored"), sql<number>`count(distinct reference)`.as("distinct")])
    .where("created_at", ">=", since)
    .executeTakeFirstOrThrow();
  return { stored: Number(row.stored), distinct: Number(row.distinct) };
}
