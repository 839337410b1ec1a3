import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError, invalid, isDomainError } from "../errors.ts";
import { isSubjectAccess } from "../law/index.ts";
import {
  type Actor,
  newReplyInput,
  type RequestState,
  replyFor,
  requestSummary,
  requestsBeingWorked,
  saveReplyDraft,
  transitions,
} from "../requests/index.ts";
import { type ReplyInput, withAdvice, withRefusal } from "../responses/index.ts";
import { assertCan } from "../users/index.ts";
import { statisticsPath } from "./public-pages.ts";
import * as repo from "./repo.ts";
import { loadDataset } from "./stored-dataset.ts";
import { answerFor, type TableRequest } from "./tables.ts";

// A table, or a refusal by policy, put into a request's draft reply: the edits are responses' (pure); this
// loads the stored draft through requests and saves it back.

type Db = Kysely<Database>;

/** A table in the reply of the request it answered: whether the reply now links to it, or why not. */
export interface TableInReply {
  requestId: number;
  added: boolean;
  problem: string | null;
}

/** The states in which a reply can still be drafted: read from the workflow's "draft-reply" transition. */
export const draftingStates: readonly RequestState[] = (() => {
  const from = transitions.find((transition) => transition.action === "draft-reply")?.from;
  if (!Array.isArray(from)) throw new Error("the draft-reply transition lists no states");
  return from;
})();

/**
 * Adds a paragraph of advice and assistance (FOIA s.16, EIR reg 9, FOISA s.15) linking to the release's public
 * page; a problem is returned, not thrown.
 */
export async function adviceInReply(
  db: Db,
  releaseId: number,
  title: string,
  requestId: number,
  actor: Actor,
  now: Date,
  options: { baseUrl: string },
): Promise<TableInReply> {
  const url = `${options.baseUrl}${statisticsPath(releaseId)}`;
  try {
    await changeReply(db, requestId, actor, now, (content) =>
      withAdvice(content, {
        purpose: "published-information",
        text: `We have published a table of the figures we can release safely: ${title}. Small numbers in it are withheld, so that no one can be identified from it and the information withheld above cannot be worked out from it.`,
        link: { url, text: title },
      }),
    );
    return { requestId, added: true, problem: null };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const undecided = error.problems.some((problem) => /^questions\.\d+\.decision$/.test(problem.field));
    return {
      requestId,
      added: false,
      problem: undecided
        ? "The reply does not yet have a decision for each question, so it cannot be saved with the table in it. Choose the decisions in the reply, then add the table to it from this page."
        : error.message,
    };
  }
}

/** Adds an earlier release to the reply of the request it answered (when that could not be done at release). */
export async function addReleaseToReply(
  db: Db,
  releaseId: number,
  actor: Actor,
  now: Date,
  options: { baseUrl: string },
): Promise<TableInReply> {
  assertCan(actor, "edit-statistical-reply");
  const row = await repo.releaseForStaff(db, releaseId);
  if (!row) throw new DomainError("not-found", "There is no such release");
  if (row.request_id === null)
    throw new DomainError("conflict", "This table was not released for a request", "request");
  const added = await adviceInReply(db, releaseId, row.title, row.request_id, actor, now, options);
  if (added.problem) throw new DomainError("conflict", added.problem, "reply");
  return added;
}

export async function workedRequest(db: Db, requestId: number) {
  const summary = await requestSummary(db, requestId);
  if (!summary) throw invalid("request", "There is no such request");
  if (isSubjectAccess(summary.regime))
    throw invalid("request", "A subject access request is not answered with a table");
  if (!draftingStates.includes(summary.state))
    throw invalid(
      "request",
      `The reply to ${summary.reference} cannot be changed now (the request is ${summary.state.replace(/-/g, " ")})`,
    );
  return summary;
}

/** Applies a change to the request's draft reply (a new draft when there is none) and saves it. */
async function changeReply(
  db: Db,
  requestId: number,
  actor: Actor,
  now: Date,
  change: (content: ReplyInput) => ReplyInput,
): Promise<void> {
  const summary = await workedRequest(db, requestId);
  const stored = await replyFor(db, requestId);
  const content = stored?.content ?? (await newReplyInput(db, requestId, actor, now));
  await saveReplyDraft(db, requestId, change(structuredClone(content)), summary.version, actor, now);
}

/**
 * Puts a refusal by the release policy into the request's draft reply: the policy's exemptions applied to
 * every question with its reason and the tests it weighed (responses' `withRefusal`: FOIA s.17(1)(b)-(c),
 * s.17(3)). Returns the request's id, for the reply editor.
 */
export async function addRefusalToReply(
  db: Db,
  datasetId: number,
  request: TableRequest & { requestId: number },
  actor: Actor,
  now: Date,
): Promise<number> {
  assertCan(actor, "edit-statistical-reply");
  const loaded = await loadDataset(db, datasetId);
  const answered = await answerFor(db, loaded, request);
  const result = answered.answer;
  if (result.outcome !== "refused")
    throw new DomainError(
      "conflict",
      "The release policy allows this table: release it instead",
      "dimensions",
    );
  if (result.exemptions.length === 0)
    throw new DomainError(
      "conflict",
      "The release policy names no exemption for this table: explain in the reply why it is not provided",
      "dimensions",
    );
  const summary = await workedRequest(db, request.requestId);
  await changeReply(db, request.requestId, actor, now, (content) =>
    withRefusal(
      content,
      {
        exemptionIds: result.exemptions,
        reason: result.reason,
        harm: result.harm,
        publicInterest: result.publicInterest,
      },
      summary.questions,
    ),
  );
  return request.requestId;
}

/** Requests a table could answer (their reply is still being drafted), for the build form. */
export async function requestChoices(db: Db) {
  return requestsBeingWorked(db, draftingStates);
}
