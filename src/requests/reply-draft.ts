import type { Kysely } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError, isDomainError } from "../errors.ts";
import { parseReply, type Reply, type ReplyInput, reviewLetterStart } from "../responses/index.ts";
import { fixedFields, letters, requestRow } from "./letter-kinds.ts";
import type { LetterKind } from "./reply-repo.ts";
import * as replyRepo from "./reply-repo.ts";
import { type CheckedReply, checkReply } from "./reply-state.ts";
import { type ActionResult, actOnRequest, performAction } from "./service.ts";
import type { Actor, Outcome } from "./workflow.ts";

// The reply a request is answered with, as drafted in the back office (responses' structured reply, saved as
// it is written) and submitted for approval; every save is an event in the request's hash-chained history.

type Db = Kysely<Database>;

export interface StoredReply extends CheckedReply {
  requestId: number;
  /** The draft as saved (a ReplyInput); what the editor shows. */
  content: ReplyInput;
  updatedAt: Date;
  updatedBy: string;
  sentAt: Date | null;
  letterDocumentId: number | null;
  wordDocumentId: number | null;
}

/** The request's reply (or review letter) as drafted or sent, checked; null when none has been drafted. */
export async function replyFor(
  db: Db,
  requestId: number,
  letter: LetterKind = "reply",
): Promise<StoredReply | null> {
  const row = await replyRepo.replyRow(db, requestId, letter);
  if (!row) return null;
  const checked = checkReply(row.content, await replyRepo.costLimitPence(db));
  return {
    ...checked,
    requestId,
    content: row.content as ReplyInput,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    sentAt: row.sent_at,
    letterDocumentId: row.letter_document_id,
    wordDocumentId: row.word_document_id,
  };
}

/**
 * A new reply for a request, not yet saved: the request restated (its questions, one per numbered line) and
 * signed by whoever drafts it. Decisions are left for the case officer.
 */
export async function newReplyInput(
  db: Db,
  requestId: number,
  actor: Actor,
  now: Date,
  letter: LetterKind = "reply",
) {
  const row = await requestRow(db, requestId);
  const questions = (row.questions.length ? row.questions : [row.body]).map((text) => ({ text }));
  // The review letter starts from the reply under review (responses' reviewLetterStart).
  const reviewed = letter === "review" ? (await replyFor(db, requestId, "reply"))?.content : undefined;
  const start = reviewed ? reviewLetterStart(reviewed) : { questions };
  return {
    ...start,
    ...(await fixedFields(db, row, letter, undefined)),
    date: londonDate(now),
    signOff: { name: actor.label, jobTitle: "" },
  } as unknown as ReplyInput;
}

export interface SavedReply extends ActionResult {
  outcome: Outcome;
  problems: CheckedReply["problems"];
}

/**
 * Saves a draft (it may be incomplete: `validateReply` says what it lacks) as an event in the history. Only
 * while the request is worked: once submitted for approval the draft is locked until it is returned.
 */
export async function saveReplyDraft(
  db: Db,
  requestId: number,
  input: unknown,
  expectedVersion: number,
  actor: Actor,
  now: Date,
  letter: LetterKind = "reply",
): Promise<SavedReply> {
  return db.transaction().execute(async (trx) => {
    const row = await requestRow(trx, requestId);
    const fields = await fixedFields(trx, row, letter, input as { review?: unknown });
    let draft: Reply | undefined;
    let parseError: unknown;
    try {
      draft = parseReply({ ...(input as object), ...fields, date: londonDate(now) });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      parseError = error;
    }
    const limit = await replyRepo.costLimitPence(trx);
    const checked = draft ? checkReply(draft, limit) : null;
    // The workflow decides first (locked, stale), so a person editing a locked reply is told why.
    const result = await actOnRequest(
      trx,
      requestId,
      {
        type: letters[letter].draft,
        ...(checked ? { replyOutcome: checked.outcome, openProblems: checked.problems.length } : {}),
        ...(draft?.review?.outcome ? { reviewOutcome: draft.review.outcome } : {}),
      },
      expectedVersion,
      actor,
      now,
    );
    if (!draft || !checked) throw parseError;
    await replyRepo.saveReplyContent(
      trx,
      requestId,
      draft as Record<string, unknown>,
      now,
      actor.label,
      letter,
    );
    return { ...result, outcome: checked.outcome, problems: checked.problems };
  });
}

/** Submits the drafted reply for approval, with the outcome it amounts to (the guards check it is complete). */
export async function submitReply(
  db: Db,
  requestId: number,
  expectedVersion: number,
  actor: Actor,
  now: Date,
  note?: string,
): Promise<ActionResult> {
  const stored = await replyFor(db, requestId);
  if (!stored)
    throw new DomainError("conflict", "There is no reply to submit: draft the reply first", "type");
  return performAction(
    db,
    requestId,
    { type: "submit-for-approval", outcome: stored.outcome, ...(note ? { note } : {}) },
    expectedVersion,
    actor,
    now,
  );
}
