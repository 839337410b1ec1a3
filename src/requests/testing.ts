import type { Kysely } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
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
  const content: ReplyInput = sampleReply({ ...row, outcome }, londonDate(now));
  let current = (await saveReplyDraft(db, requestId, content, version, options.officer, now)).version;
  if (outcomeNeedsApproval(outcome, row.regime) && row.state !== "approved") {
    if (!options.approver) throw new Error(`"${outcome}" needs an approver`);
    current = (await submitReply(db, requestId, current, options.officer, now)).version;
    current = (await performAction(db, requestId, { type: "approve" }, current, options.approver, now))
      .version;
  }
  const mailer = { send: async () => ({ messageId: `<test-${requestId}@foidesk.invalid>` }) };
  const sent = await sendReply(
    db,
    memoryFileStore(),
    mailer,
    requestId,
    current,
    options.officer,
    now,
    await replyLetterhead(db),
  );
  return sent.version;
}
