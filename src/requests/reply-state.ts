import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/index.ts";
import { isDomainError } from "../errors.ts";
import { parseReply, type Reply, replyOutcome, validateReply } from "../responses/index.ts";
import * as replyRepo from "./reply-repo.ts";
import type { ReplyGuardState } from "./workflow.ts";

// The drafted reply as the workflow's guards see it: parsed, checked against the authority's cost limit, its
// outcome worked out. Kept apart from replies.ts so the casework service can read it without a cycle.

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

/** The request's drafted reply (or review letter) for the guards, or null when none has been drafted. */
export async function replyGuardState(
  db: Db,
  requestId: number,
  letter: replyRepo.LetterKind = "reply",
): Promise<CheckedReply | null> {
  // One after the other: inside a transaction both go down the same connection.
  const row = await replyRepo.replyRow(db, requestId, letter);
  if (!row) return null;
  const checked = checkReply(row.content, await replyRepo.costLimitPence(db));
  return { ...checked, sent: row.sent_at !== null, reviewOutcome: checked.reply?.review?.outcome ?? null };
}
