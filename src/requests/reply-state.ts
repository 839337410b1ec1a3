import type { Kysely, Transaction } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { isDomainError } from "../errors.ts";
import { parseReply, type Reply, replyOutcome, validateReply } from "../responses/index.ts";
import { type HistoryEvent, isEventOf, lastEventOf } from "./events.ts";
import * as replyRepo from "./reply-repo.ts";
import type { ReplyGuardState } from "./workflow.ts";

// The drafted reply as the workflow's guards see it: parsed, checked against the authority's cost limit, its
// outcome worked out. Kept apart from reply-draft.ts so the casework service can read it without a cycle.

type Db = Kysely<Database> | Transaction<Database>;

export interface CheckedReply extends ReplyGuardState {
  /** The parsed draft; null when what is stored no longer parses (its problems say why). */
  reply: Reply | null;
}

/** A stored draft, parsed and validated: what stops it being approved or sent, and its outcome. */
export function checkReply(content: unknown, costLimitPence: number): CheckedReply {
  let reply: Reply;
  try {
    reply = parseReply(content);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    // A draft saved under an older schema: every field it fails is a problem to fix.
    return { reply: null, outcome: "granted-in-full", problems: error.problems };
  }
  return { reply, outcome: replyOutcome(reply), problems: validateReply(reply, { costLimitPence }) };
}

/** The events that send each letter and record it as posted. */
export const postalEvents = {
  reply: { send: "send-reply", posted: "record-posted" },
  review: { send: "send-review-letter", posted: "record-review-posted" },
} as const;

export interface PostalState {
  /** The letter went to be posted and no one has recorded it as posted yet. */
  awaitingPost: boolean;
  /** The day the letter was generated (sent), ISO; null when it has not been. */
  generatedOn: string | null;
  /** The day recorded as the day it was posted, ISO; null when it has not been (or it was emailed). */
  postedOn: string | null;
}

/** From the history: whether the letter is a postal one waiting to be posted, and its dates. */
export function postalState(events: readonly HistoryEvent[], letter: replyRepo.LetterKind): PostalState {
  const names = postalEvents[letter];
  const sendAt = events.findLastIndex((event) => event.type === names.send);
  const sent = events[sendAt];
  if (!sent || !isEventOf(sent, names.send))
    return { awaitingPost: false, generatedOn: null, postedOn: null };
  const posted = lastEventOf(events.slice(sendAt + 1), names.posted);
  const postal = sent.payload.sentBy === "post";
  return {
    awaitingPost: postal && !posted,
    generatedOn: londonDate(sent.occurredAt),
    postedOn: posted ? posted.payload.date : null,
  };
}

/** The request's drafted reply (or review letter) for the guards, or null when none has been drafted. */
export async function replyGuardState(
  db: Db,
  requestId: number,
  letter: replyRepo.LetterKind = "reply",
  events: readonly HistoryEvent[] = [],
): Promise<CheckedReply | null> {
  // One after the other: inside a transaction both go down the same connection.
  const row = await replyRepo.replyRow(db, requestId, letter);
  if (!row) return null;
  const checked = checkReply(row.content, await replyRepo.costLimitPence(db));
  const { awaitingPost, generatedOn } = postalState(events, letter);
  return {
    ...checked,
    sent: row.sent_at !== null,
    reviewOutcome: checked.reply?.review?.outcome ?? null,
    awaitingPost,
    generatedOn,
  };
}
