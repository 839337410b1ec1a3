import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import { isSubjectAccess } from "../law/index.ts";
import { lastEventOf } from "./events.ts";
import type { LetterKind } from "./reply-repo.ts";
import * as replyRepo from "./reply-repo.ts";
import * as repo from "./repo.ts";

// The two letters a request is answered with, the reply and the internal review's letter: what differs
// between them, and the fields the request itself decides on either, whatever a draft says.

type Db = Kysely<Database>;

/** What is stored on the reply from the request itself, whatever a draft says (the request is the truth). */
export function requestFields(row: NonNullable<Awaited<ReturnType<typeof repo.requestWithPeople>>>) {
  if (isSubjectAccess(row.regime))
    throw new DomainError(
      "conflict",
      "Replies to subject access requests are not drafted in foidesk: send the personal data under the UK GDPR",
      "regime",
    );
  return {
    reference: row.reference,
    regime: row.regime,
    receivedDate: row.received_date,
    requester: {
      name: row.requester_name,
      ...(row.requester_address ? { address: row.requester_address } : {}),
      ...(row.requester_email ? { email: row.requester_email } : {}),
    },
  };
}

export async function requestRow(db: Db | repo.Tx, requestId: number) {
  const row = await repo.requestWithPeople(db, { id: requestId });
  if (!row) throw new DomainError("not-found", "There is no such request");
  return row;
}

export type { LetterKind };

/** What differs between the two letters: the workflow's actions, the events, the files' names. */
export const letters = {
  reply: {
    draft: "draft-reply",
    send: "send-reply",
    emailFailed: "reply-email-failed",
    emailResent: "reply-email-resent",
    stem: "reply",
  },
  review: {
    draft: "draft-review-letter",
    send: "send-review-letter",
    emailFailed: "review-letter-email-failed",
    emailResent: "review-letter-email-resent",
    stem: "review-letter",
  },
} as const;

/**
 * The fields the request decides, whatever a draft says: for the review letter also the dates of the review
 * request and of the reply under review (the sent reply's date, or the outcome recorded before foidesk
 * drafted replies).
 */
export async function fixedFields(
  db: Db | repo.Tx,
  row: NonNullable<Awaited<ReturnType<typeof repo.requestWithPeople>>>,
  letter: LetterKind,
  content: { review?: unknown } | undefined,
) {
  const fields = requestFields(row);
  if (letter === "reply") return fields;
  if (!row.review_received_date)
    throw new DomainError("conflict", "No internal review has been asked for on this request", "type");
  const sent = await replyRepo.replyRow(db, row.id, "reply");
  const sentDate = sent?.sent_at ? (sent.content as { date?: unknown }).date : undefined;
  const recorded = lastEventOf(await repo.requestEvents(db, row.id), "record-outcome");
  const replyDate = String(sentDate ?? recorded?.payload.date ?? row.review_received_date);
  const review = typeof content?.review === "object" && content.review !== null ? content.review : {};
  return { ...fields, review: { ...review, requestedDate: row.review_received_date, replyDate } };
}
