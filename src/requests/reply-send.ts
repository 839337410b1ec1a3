import type { Kysely } from "kysely";
import { z } from "zod";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError, invalid, parseInput } from "../errors.ts";
import type { MailAttachment } from "../mail/index.ts";
import {
  assertReplyReady,
  type Letterhead,
  parseReply,
  type Reply,
  renderReplyDocx,
  renderReplyPdf,
  replyOutcome,
} from "../responses/index.ts";
import type { FileStore } from "../storage/index.ts";
import { isoDate } from "./actions.ts";
import { assertReleasable } from "./file-release.ts";
import { fileStem, letterMediaTypes, storeLetterFiles } from "./letter-files.ts";
import { letterFonts } from "./letter-fonts.ts";
import { fixedFields, letters, requestRow } from "./letter-kinds.ts";
import { deliverReply, type ReplyMailer, replyMessage } from "./reply-delivery.ts";
import type { LetterKind } from "./reply-repo.ts";
import * as replyRepo from "./reply-repo.ts";
import { postalEvents } from "./reply-state.ts";
import * as repo from "./repo.ts";
import { type ActionResult, actOnRequest } from "./service.ts";
import type { Actor, Outcome } from "./workflow.ts";

// Sending a letter: the PDF letter and the Word document stored on the request, emailed to the requester
// (or posted, and recorded when it was), the outcome recorded, all as events in the request's history.

type Db = Kysely<Database>;

export interface SentReply extends ActionResult {
  outcome: Outcome;
  /** "email": emailed to the requester; "post": they gave only a postal address, so the letter is posted. */
  method: "email" | "post";
  to: string;
  /** Whether the mail server (or the outbox folder) accepted the email (always false for post). */
  emailed: boolean;
  /** Why the email was not sent, when it failed (the request is still responded: resend from the reply page). */
  emailError: string | null;
  letterDocumentId: number;
  wordDocumentId: number;
}

/**
 * Sends the drafted reply. The workflow decides whether it may go (a complete reply; approved, where its
 * outcome needs an approver). In one transaction: the "send-reply" event, the PDF letter and the Word document
 * stored as documents of the reply, the disclosed case documents marked part of it, the reply marked sent,
 * the outcome recorded (state responded), and the email with the letter and the disclosed files stored in the
 * mail outbox (mail/outbox.ts). After the commit the email is handed over; should this process die first, the
 * outbox worker hands it over, once. A refused email leaves a "reply-email-failed" event and `emailError`, the
 * outbox tries again later, and the reply page offers to send it now. With no email address, the letter is
 * to be posted.
 */
export async function sendReply(
  db: Db,
  files: FileStore,
  mailer: ReplyMailer,
  requestId: number,
  expectedVersion: number,
  actor: Actor,
  now: Date,
  letterhead: Letterhead,
  letter: LetterKind = "reply",
): Promise<SentReply> {
  const today = londonDate(now);
  const storedKeys: string[] = [];
  let sent: Omit<SentReply, "emailed" | "emailError"> & { outboxId: number | null };
  try {
    sent = await db.transaction().execute(async (trx) => {
      const locked = await repo.lockRequest(trx, requestId);
      if (!locked) throw new DomainError("not-found", "There is no such request");
      const row = await requestRow(trx, requestId);
      const stored = await replyRepo.lockReplyRow(trx, requestId, letter);
      const method = row.requester_email ? "email" : "post";
      const to = row.requester_email ?? row.requester_address ?? "";
      const stem = `${fileStem(row.reference)}-${letters[letter].stem}`;
      const names = { letter: `${stem}.pdf`, word: `${stem}.docx` };
      // The workflow first: no reply, an incomplete one, or one still to be approved is refused here.
      const first = await actOnRequest(
        trx,
        requestId,
        { type: letters[letter].send, sentBy: method, sentTo: to, letter: names.letter, word: names.word },
        expectedVersion,
        actor,
        now,
      );
      const content = (stored?.content ?? {}) as { review?: unknown };
      const reply = parseReply({
        ...content,
        ...(await fixedFields(trx, row, letter, content)),
        date: today,
      });
      assertReplyReady(reply, { costLimitPence: await replyRepo.costLimitPence(trx) });

      // The disclosed files are case documents, named in the reply.
      const documents = await repo.requestDocuments(trx, requestId);
      const disclosed: typeof documents = [];
      reply.disclosure.forEach((block, k) => {
        if (block.kind !== "attachment") return;
        const document = documents.findLast((candidate) => candidate.filename === block.fileName);
        if (!document)
          throw invalid(
            `disclosure.${k}.fileName`,
            `There is no document called ${block.fileName} on this request: add it, or choose another`,
          );
        if (!disclosed.includes(document)) disclosed.push(document);
      });
      // Release rules: no file with hidden data goes to the requester (ICO, "How to disclose information safely").
      await assertReleasable(trx, files, disclosed, "reply", now);

      const letterPdf = await renderReplyPdf(reply, letterhead, { fonts: await letterFonts() });
      const word = await renderReplyDocx(reply, letterhead);
      const { pdfId: letterId, docxId: wordId } = await storeLetterFiles(
        trx,
        files,
        requestId,
        { pdf: { filename: names.letter, bytes: letterPdf }, docx: { filename: names.word, bytes: word } },
        { by: actor.label, at: now, partOfReply: true },
        storedKeys,
      );
      await replyRepo.markDocumentsPartOfReply(
        trx,
        requestId,
        disclosed.map((document) => document.id),
      );
      await replyRepo.markReplySent(
        trx,
        requestId,
        { content: reply as Record<string, unknown>, at: now, by: actor.label, letterId, wordId },
        letter,
      );
      const outcome = replyOutcome(reply);
      // An email is sent today: the reply records the request's outcome, the review letter the review's
      // decision. A letter is sent when it is posted (FOIA s.10(1)): recordPosted records them then.
      const recorded =
        method === "post"
          ? first
          : await recordAnswer(trx, requestId, reply, today, first.version, actor, now);
      let outboxId: number | null = null;
      if (method === "email") {
        const attachments: MailAttachment[] = [
          { filename: names.letter, contentType: letterMediaTypes.pdf, content: letterPdf },
        ];
        for (const document of disclosed) {
          attachments.push({
            filename: document.filename,
            contentType: document.media_type,
            content: await files.get(document.storage_key),
          });
        }
        outboxId = (await mailer.queue(trx, replyMessage(reply, requestId, to, attachments))).id;
      }
      return {
        ...recorded,
        outcome,
        method,
        to,
        letterDocumentId: letterId,
        wordDocumentId: wordId,
        outboxId,
      };
    });
  } catch (error) {
    // Nothing was recorded: the stored files would belong to no document.
    for (const key of storedKeys) await files.delete(key).catch(() => {});
    throw error;
  }

  const { outboxId, ...result } = sent;
  if (outboxId === null) return { ...result, emailed: false, emailError: null };
  const delivery = await deliverReply(
    db,
    mailer,
    requestId,
    outboxId,
    result.to,
    actor,
    now,
    letters[letter].emailFailed,
  );
  return { ...result, ...delivery, version: delivery.version ?? result.version };
}

/** The outcome (the reply) or the review's decision (the review letter) the sent letter gives, dated `date`. */
function recordAnswer(
  trx: repo.Tx,
  requestId: number,
  reply: Reply,
  date: string,
  expectedVersion: number,
  actor: Actor,
  now: Date,
): Promise<ActionResult> {
  return actOnRequest(
    trx,
    requestId,
    reply.review?.outcome
      ? { type: "decide-review", reviewOutcome: reply.review.outcome, date }
      : { type: "record-outcome", outcome: replyOutcome(reply), date },
    expectedVersion,
    actor,
    now,
  );
}

const postedInput = z.object({ date: isoDate });

/**
 * Records the day a postal reply (or review letter) was posted: the "record-posted" event, then the outcome
 * (or the review's decision) dated that day, in one transaction. The request is responded from then, and
 * the statutory clock counts to that day (FOIA s.10(1): the reply is given when it is sent).
 */
export async function recordPosted(
  db: Db,
  requestId: number,
  input: unknown,
  expectedVersion: number,
  actor: Actor,
  now: Date,
  letter: LetterKind = "reply",
): Promise<ActionResult> {
  const { date } = parseInput(postedInput, input);
  return db.transaction().execute(async (trx) => {
    const posted = await actOnRequest(
      trx,
      requestId,
      { type: postalEvents[letter].posted, date },
      expectedVersion,
      actor,
      now,
    );
    const stored = await replyRepo.replyRow(trx, requestId, letter);
    const reply = parseReply(stored?.content);
    return recordAnswer(trx, requestId, reply, date, posted.version, actor, now);
  });
}
