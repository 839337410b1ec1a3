import type { Kysely } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { recordOnlyMailer } from "../mail/index.ts";
import { type ReplyInput, sampleReply } from "../responses/index.ts";
import { memoryFileStore } from "../storage/index.ts";
import { replyLetterhead, saveReplyDraft, sendReply, submitReply } from "./replies.ts";
import * as repo from "./repo.ts";
import { performAction } from "./service.ts";
import { type Actor, type Outcome, outcomeNeedsApproval } from "./workflow.ts";

// Test support: a request answered the only way the law allows, by drafting a complete reply with `outcome`,
// having it signed off where the outcome needs it, and sending it (as a case officer would on the pages).

export interface AnswerOptions {
  officer: Actor;
  /** Signs off an outcome that needs it (four-eyes). */
  approver?: Actor;
  outcome?: Outcome;
}

/** Saves a complete sample reply with `outcome` as the request's draft; returns the request's version. */
export async function draftSampleReply(
  db: Kysely<Database>,
  requestId: number,
  version: number,
  options: AnswerOptions,
  now: Date,
): Promise<number> {
  const row = await repo.requestWithPeople(db, { id: requestId });
  if (!row) throw new Error(`no request ${requestId}`);
  const outcome = options.outcome ?? "granted-in-full";
  const content: ReplyInput = sampleReply({ ...row, outcome }, londonDate(now));
  return (await saveReplyDraft(db, requestId, content, version, options.officer, now)).version;
}

/** Drafts, (submits and approves,) and sends a sample reply; returns the request's version afterwards. */
export async function answerRequest(
  db: Kysely<Database>,
  requestId: number,
  version: number,
  options: AnswerOptions,
  now: Date,
): Promise<number> {
  const outcome = options.outcome ?? "granted-in-full";
  const row = await repo.requestWithPeople(db, { id: requestId });
  if (!row) throw new Error(`no request ${requestId}`);
  let current = await draftSampleReply(db, requestId, version, options, now);
  if (outcomeNeedsApproval(outcome, row.regime) && row.state !== "approved") {
    if (!options.approver) throw new Error(`"${outcome}" needs an approver`);
    current = (await submitReply(db, requestId, current, options.officer, now)).version;
    current = (await performAction(db, requestId, { type: "approve" }, current, options.approver, now))
      .version;
  }
  const sent = await sendReply(
    db,
    memoryFileStore(),
    recordOnlyMailer,
    requestId,
    current,
    options.officer,
    now,
    await replyLetterhead(db),
  );
  return sent.version;
}
