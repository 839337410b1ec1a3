import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/index.ts";
import type { Answers } from "./questions.ts";
import * as repo from "./repo.ts";

// Answers between the pages of the request form live in the database (app processes are stateless), under
// the SHA-256 of a random id held in one essential, HttpOnly cookie. A draft lasts a day from its last change.

export const draftCookie = "foidesk_draft";
export const draftCookiePath = "/request";
export const draftLifetimeMs = 24 * 60 * 60 * 1000;
const claimTimeoutMs = 60 * 1000;
const idShape = /^[A-Za-z0-9_-]{43}$/;

type Db = Kysely<Database>;

export interface Draft {
  idHash: string;
  route: string | null;
  answers: Answers;
  /** Set once sent: the confirmation page shows this request. */
  requestId: number | null;
  trackingToken: string | null;
}

function hashOf(id: string): string {
  return createHash("sha256").update(id, "utf8").digest("hex");
}

export async function readDraft(db: Db, id: string | undefined, now: Date): Promise<Draft | null> {
  if (!id || !idShape.test(id)) return null;
  const row = await repo.liveDraft(db, hashOf(id), now);
  if (!row) return null;
  return {
    idHash: row.id_hash,
    route: row.route,
    answers: row.answers ?? {},
    requestId: row.request_id,
    trackingToken: row.tracking_token,
  };
}

/**
 * Adds a page's answers to the person's draft. A new draft (and id for the cookie) is made when there is none,
 * it has expired, or it was already sent: answers are never added to a request already made.
 */
export async function saveAnswers(
  db: Db,
  id: string | undefined,
  route: string,
  changes: Answers,
  now: Date,
): Promise<{ id: string; created: boolean }> {
  const expiresAt = new Date(now.getTime() + draftLifetimeMs);
  const existing = await readDraft(db, id, now);
  if (id && existing && existing.requestId === null) {
    const answers = { ...existing.answers, ...changes };
    if (await repo.updateDraftAnswers(db, existing.idHash, route, answers, now, expiresAt))
      return { id, created: false };
  }
  const fresh = randomBytes(32).toString("base64url");
  await repo.deleteExpiredDrafts(db, now);
  await repo.insertDraft(db, { idHash: hashOf(fresh), route, answers: changes, now, expiresAt });
  return { id: fresh, created: true };
}

/** Takes the draft for sending; null when it is already being sent or was sent. */
export async function claimForSending(db: Db, draft: Draft, now: Date): Promise<boolean> {
  const claimed = await repo.claimDraft(db, draft.idHash, now, new Date(now.getTime() - claimTimeoutMs));
  return Boolean(claimed);
}

export async function releaseClaim(db: Db, draft: Draft): Promise<void> {
  await repo.releaseDraft(db, draft.idHash);
}

export async function markSent(
  db: Db,
  draft: Draft,
  requestId: number,
  trackingToken: string | null,
  now: Date,
): Promise<void> {
  await repo.markDraftSent(db, draft.idHash, requestId, trackingToken, now);
}
