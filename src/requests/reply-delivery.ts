import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import {
  type MailAttachment,
  type Mailer,
  type OnDelivered,
  type OutboundMessage,
  type OutboxDelivery,
  outboxForRequest,
  queuedMessage,
} from "../mail/index.ts";
import { type Reply, replyEmailSubject, replyPlainText } from "../responses/index.ts";
import type { FileStore } from "../storage/index.ts";
import { lastEventOf } from "./events.ts";
import { letters, requestFields, requestRow } from "./letter-kinds.ts";
import { recordEvent } from "./record-event.ts";
import { replyFor } from "./reply-draft.ts";
import type { LetterKind } from "./reply-repo.ts";
import * as replyRepo from "./reply-repo.ts";
import { type PostalState, postalState } from "./reply-state.ts";
import * as repo from "./repo.ts";
import type { Actor } from "./workflow.ts";

// How a sent letter reaches the requester by email: the message, its hand-over to the mail server (a refusal
// recorded in the history), what the reply page says of it, and sending it again.

type Db = Kysely<Database>;

/** What sending a reply needs of the mailer: the outbox, within the send's transaction, then the hand-over. */
export type ReplyMailer = Pick<Mailer, "queue" | "deliver">;

export function replyMessage(
  reply: Reply,
  requestId: number,
  to: string,
  attachments: MailAttachment[],
): OutboundMessage {
  const letter: LetterKind = reply.review ? "review" : "reply";
  return {
    to,
    subject: replyEmailSubject(reply),
    text: replyPlainText(reply),
    kind: replyRepo.letterMailKinds[letter],
    requestId,
    attachments,
  };
}

/**
 * Hands a queued letter or acknowledgement over; a refusal is recorded in the history (and shown on the reply
 * page), not thrown: the message waits in the outbox for the worker.
 */
export async function deliverReply(
  db: Db,
  mailer: ReplyMailer,
  requestId: number,
  outboxId: number,
  to: string,
  actor: Actor,
  now: Date,
  eventOnFailure: (typeof letters)[LetterKind]["emailFailed"] | "acknowledgement-email-failed",
  eventOnSuccess?: (typeof letters)[LetterKind]["emailResent"] | "acknowledgement-email-sent",
  force = false,
): Promise<{ emailed: boolean; emailError: string | null; version?: number }> {
  const delivery = await mailer.deliver(outboxId, force ? { force } : {});
  if (delivery.status === "skipped") return { emailed: false, emailError: null };
  if (delivery.status === "failed") {
    const { seq } = await db
      .transaction()
      .execute((trx) =>
        recordEvent(trx, requestId, eventOnFailure, { sentTo: to, error: delivery.error }, actor, now),
      );
    return { emailed: false, emailError: delivery.error, version: seq };
  }
  if (!eventOnSuccess) return { emailed: true, emailError: null };
  const { seq } = await db
    .transaction()
    .execute((trx) => recordEvent(trx, requestId, eventOnSuccess, { sentTo: to }, actor, now));
  return { emailed: true, emailError: null, version: seq };
}

/** What the history records when a waiting email of each kind is handed over (by staff or the worker): refused, or accepted. */
const handOverEvents = {
  acknowledgement: { failed: "acknowledgement-email-failed", sent: "acknowledgement-email-sent" },
  [replyRepo.letterMailKinds.reply]: { failed: letters.reply.emailFailed, sent: letters.reply.emailResent },
  [replyRepo.letterMailKinds.review]: {
    failed: letters.review.emailFailed,
    sent: letters.review.emailResent,
  },
} as const;

/** Who the history names for an email the outbox worker handed over by itself. */
const outboxWorker: Actor = { userId: null, label: "foidesk (mail outbox)", role: "system" };

/**
 * What the outbox worker is told of each message it hands over (`foidesk serve` wires it): a request's
 * acknowledgement, reply or review letter is recorded in that request's history as sent, so a timeline whose
 * last word on an email was "not delivered" says when it went after all. Other mail has no event to record.
 */
export function recordOutboxDelivery(db: Db): OnDelivered {
  return async (message, at) => {
    const events = handOverEvents[message.kind as keyof typeof handOverEvents];
    if (message.requestId === null || !events) return;
    const requestId = message.requestId;
    await db
      .transaction()
      .execute((trx) => recordEvent(trx, requestId, events.sent, { sentTo: message.to }, outboxWorker, at));
  };
}

/**
 * The staff outbox's "Send now": a waiting email (even one the outbox gave up on) handed over at once, and,
 * when it is a request's acknowledgement, reply or review letter, recorded in that request's history with
 * who pressed it, as the reply page's "send again" is. Other mail (a tracking link) has no event to record.
 */
export async function sendWaitingEmailNow(
  db: Db,
  mailer: ReplyMailer,
  outboxId: number,
  actor: Actor,
  now: Date,
): Promise<OutboxDelivery["status"]> {
  const message = await queuedMessage(db, outboxId);
  const events = message ? handOverEvents[message.kind as keyof typeof handOverEvents] : undefined;
  if (!message || message.request_id === null || !events)
    return (await mailer.deliver(outboxId, { force: true })).status;
  const { emailed, emailError } = await deliverReply(
    db,
    mailer,
    message.request_id,
    outboxId,
    message.to_address,
    actor,
    now,
    events.failed,
    events.sent,
    true,
  );
  return emailed ? "delivered" : emailError !== null ? "failed" : "skipped";
}

export interface ReplyDelivery {
  method: "email" | "post";
  to: string;
  /** Emails of the reply that reached the mail transport, newest first. */
  emails: { to: string; sentAt: Date }[];
  /** An email of the reply is in the outbox, not yet accepted by the mail server. */
  sending: boolean;
  /** The last failure, when no email has gone since. */
  failure: { error: string; at: Date } | null;
  /** A letter to post: waiting to be posted, when it was generated and when posted (FOIA s.10(1)). */
  postal: PostalState;
}

/** How a sent reply reached the requester, for the reply page: emailed (when), being sent, posted, or failed. */
export async function replyDelivery(
  db: Db,
  requestId: number,
  letter: LetterKind = "reply",
): Promise<ReplyDelivery | null> {
  const stored = await replyRepo.replyRow(db, requestId, letter);
  if (!stored?.sent_at) return null;
  const events = await repo.requestEvents(db, requestId);
  const sentEvent = lastEventOf(events, letters[letter].send);
  const method = sentEvent?.payload.sentBy === "post" ? "post" : "email";
  const emails = (await replyRepo.replyMail(db, requestId, letter)).map((mail) => ({
    to: mail.to_address,
    sentAt: mail.sent_at,
  }));
  const waiting = (await outboxForRequest(db, requestId, replyRepo.letterMailKinds[letter])).some(
    (entry) => entry.waiting,
  );
  const failed = lastEventOf(events, letters[letter].emailFailed);
  const lastEmail = emails[0]?.sentAt;
  const failure =
    failed && (!lastEmail || lastEmail < failed.occurredAt)
      ? { error: failed.payload.error, at: failed.occurredAt }
      : null;
  return {
    method,
    to: sentEvent?.payload.sentTo ?? "",
    emails,
    sending: waiting,
    failure,
    postal: postalState(events, letter),
  };
}

/**
 * Sends the reply's email again: the one still in the outbox (after a refusal) now, or else a fresh copy
 * with the letter and the disclosed files as sent. Refused while the outbox is handing it over.
 */
export async function resendReplyEmail(
  db: Db,
  files: FileStore,
  mailer: ReplyMailer,
  requestId: number,
  actor: Actor,
  now: Date,
  letter: LetterKind = "reply",
): Promise<{ emailed: boolean; emailError: string | null }> {
  const stored = await replyFor(db, requestId, letter);
  if (!stored?.sentAt || !stored.reply || stored.letterDocumentId === null)
    throw new DomainError(
      "conflict",
      `The ${letter === "review" ? "review letter" : "reply"} has not been sent yet`,
      "type",
    );
  const row = await requestRow(db, requestId);
  if (!row.requester_email)
    throw new DomainError("conflict", "The requester gave no email address: the letter is posted", "type");
  const waiting = (await outboxForRequest(db, requestId, replyRepo.letterMailKinds[letter])).find(
    (entry) => entry.waiting,
  );
  let outboxId = waiting?.id;
  if (outboxId === undefined) {
    // The letter first, then the files it discloses (the reply's and the review letter's are on one request).
    const documents = await repo.requestDocuments(db, requestId);
    const named = stored.reply.disclosure.flatMap((block) =>
      block.kind === "attachment" ? [block.fileName] : [],
    );
    const sent = [
      documents.find((document) => document.id === stored.letterDocumentId),
      ...[...new Set(named)].map((name) =>
        documents.findLast((document) => document.part_of_reply && document.filename === name),
      ),
    ].filter((document) => document !== undefined);
    const attachments: MailAttachment[] = [];
    for (const document of sent) {
      attachments.push({
        filename: document.filename,
        contentType: document.media_type,
        content: await files.get(document.storage_key),
      });
    }
    const reply = { ...stored.reply, requester: requestFields(row).requester };
    const message = replyMessage(reply, requestId, row.requester_email, attachments);
    outboxId = (await db.transaction().execute((trx) => mailer.queue(trx, message))).id;
  }
  const result = await deliverReply(
    db,
    mailer,
    requestId,
    outboxId,
    row.requester_email,
    actor,
    now,
    letters[letter].emailFailed,
    letters[letter].emailResent,
    true,
  );
  if (!result.emailed && result.emailError === null)
    throw new DomainError(
      "conflict",
      "The email is being handed to the mail server now: look again in a minute",
    );
  return { emailed: result.emailed, emailError: result.emailError };
}
