import type { Kysely } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import { recordOnlyMailer } from "../mail/index.ts";
import { testMailer } from "../mail/testing.ts";
import { type ReplyInput, sampleReply } from "../responses/index.ts";
import { type FileStore, memoryFileStore } from "../storage/index.ts";
import type { ReplyMailer } from "./reply-delivery.ts";
import { newReplyInput, saveReplyDraft, submitReply } from "./reply-draft.ts";
import { replyLetterhead } from "./reply-files.ts";
import { recordPosted, type SentReply, sendReply } from "./reply-send.ts";
import * as repo from "./repo.ts";
import { performAction } from "./service.ts";
import { type Actor, type Outcome, outcomeNeedsApproval, type ReviewOutcome } from "./workflow.ts";

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

/** Where a sample reply goes: by default a file store in memory and a mailer that only records. */
export interface SendOptions extends AnswerOptions {
  files?: FileStore;
  mailer?: ReplyMailer;
}

/**
 * Drafts, (submits and approves,) and sends a sample reply: a request taken to its reply. A letter to post
 * waits to be recorded as posted (FOIA s.10(1)).
 */
export async function sendSampleReply(
  db: Kysely<Database>,
  requestId: number,
  version: number,
  options: SendOptions,
  now: Date,
): Promise<SentReply> {
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
  return sendReply(
    db,
    options.files ?? memoryFileStore(),
    options.mailer ?? recordOnlyMailer,
    requestId,
    current,
    options.officer,
    now,
    await replyLetterhead(db),
  );
}

/** Sends a sample reply (sendSampleReply) and gives it; returns the request's version afterwards. */
export async function answerRequest(
  db: Kysely<Database>,
  requestId: number,
  version: number,
  options: AnswerOptions,
  now: Date,
): Promise<number> {
  const sent = await sendSampleReply(db, requestId, version, options, now);
  // A letter to post is given when it is posted (FOIA s.10(1)): posted and recorded the same day.
  if (sent.method === "post")
    return (await recordPosted(db, requestId, { date: londonDate(now) }, sent.version, options.officer, now))
      .version;
  return sent.version;
}

/**
 * The internal review carried out as the law asks: the review letter drafted from the reply under review,
 * with `outcome` and its reasons (and, when overturned, what happens next), and sent by `reviewer`, someone
 * not involved in the original decision. Returns the request's version afterwards.
 */
export async function reviewRequest(
  db: Kysely<Database>,
  requestId: number,
  version: number,
  reviewer: Actor,
  outcome: ReviewOutcome,
  now: Date,
): Promise<number> {
  const draft = await newReplyInput(db, requestId, reviewer, now, "review");
  const content = {
    ...draft,
    review: {
      ...(draft.review as object),
      outcome,
      reasons: ["I have looked again at the request, the information held and the reply."],
      nextSteps:
        outcome === "upheld" ? "" : "We will send you a new reply within 20 working days of this letter.",
    },
  } as ReplyInput;
  const saved = await saveReplyDraft(db, requestId, content, version, reviewer, now, "review");
  const sent = await sendReply(
    db,
    memoryFileStore(),
    recordOnlyMailer,
    requestId,
    saved.version,
    reviewer,
    now,
    await replyLetterhead(db),
    "review",
  );
  return sent.version;
}

/** The three people the service tests act as: a case officer, an approver and a manager. */
export async function threeStaff(db: Kysely<Database>): Promise<[Actor, Actor, Actor]> {
  const users = await db
    .insertInto("users")
    .values([
      { username: "o", display_name: "Olivia Okafor", role: "officer", password_hash: "x" },
      { username: "a", display_name: "Abi Patel", role: "approver", password_hash: "x" },
      { username: "m", display_name: "Mina Hughes", role: "manager", password_hash: "x" },
    ])
    .returning(["id", "display_name", "role"])
    .execute();
  return users.map((user) => ({ userId: user.id, label: user.display_name, role: user.role })) as [
    Actor,
    Actor,
    Actor,
  ];
}

/** The domain error `promise` is refused with; anything else (or no refusal) fails the test. */
export async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal, but it was allowed");
}

/** A mailer (the real one, over an in-memory transport) that keeps what it is given, or refuses everything. */
export function recordingMailer(db: Kysely<Database>, now: () => Date, fail = false) {
  const mailer = testMailer(db, now, { refusing: fail });
  return Object.assign(mailer, { sent: mailer.queued });
}
