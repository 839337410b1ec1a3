import { type Kysely, sql, type Transaction } from "kysely";
import { authorityProfile } from "../../authority/index.ts";
import type { Database, Satisfaction } from "../../db/index.ts";

// The public site's SQL (STYLE.md: queries in repo.ts, never in handlers): the authority as the public sees
// it, drafts of requests being made, and feedback.

type Db = Kysely<Database> | Transaction<Database>;

// What the public site reads of a request: the requests module's read models.
export { eventDates } from "../../requests/index.ts";

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
