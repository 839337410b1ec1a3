import type { Kysely } from "kysely";
import { z } from "zod";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError, invalid, isDomainError, parseInput } from "../errors.ts";
import { isSubjectAccess } from "../law/index.ts";
import { type MailAttachment, type Mailer, type OutboundMessage, outboxForRequest } from "../mail/index.ts";
import {
  assertReplyReady,
  defaultParagraphLibrary,
  fillPlaceholders,
  formatLongDate,
  type Letterhead,
  libraryParagraphSchema,
  type ParagraphKind,
  type PlaceholderName,
  paragraphKinds,
  parseReply,
  type Reply,
  type ReplyInput,
  renderReplyDocx,
  renderReplyPdf,
  replyOutcome,
  replyPlainText,
} from "../responses/index.ts";
import type { FileStore } from "../storage/index.ts";
import { isoDate } from "./actions.ts";
import { lastEventOf } from "./events.ts";
import { assertReleasable } from "./file-release.ts";
import { fileStem, letterMediaTypes, storeLetterFiles } from "./letter-files.ts";
import { letterFonts } from "./letter-fonts.ts";
import { recordEvent } from "./record-event.ts";
import type { LetterKind } from "./reply-repo.ts";
import * as replyRepo from "./reply-repo.ts";
import { type CheckedReply, checkReply, type PostalState, postalEvents, postalState } from "./reply-state.ts";
import * as repo from "./repo.ts";
import { type ActionResult, actOnRequest, performAction } from "./service.ts";
import type { Actor, Outcome } from "./workflow.ts";

// The reply a request is answered with: drafted in the back office (responses' structured reply, saved as
// it is written), checked by the workflow's guards when it is submitted, approved and sent, and sent as a
// PDF letter and a Word document stored on the request, emailed to the requester (or posted). Every save and
// the send are events in the request's hash-chained history.

type Db = Kysely<Database>;

/** What is stored on the reply from the request itself, whatever a draft says (the request is the truth). */
function requestFields(row: NonNullable<Awaited<ReturnType<typeof repo.requestWithPeople>>>) {
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

async function requestRow(db: Db | repo.Tx, requestId: number) {
  const row = await repo.requestWithPeople(db, { id: requestId });
  if (!row) throw new DomainError("not-found", "There is no such request");
  return row;
}

export type { LetterKind };

/** What differs between the two letters: the workflow's actions, the events, the files' and email's names. */
const letters = {
  reply: {
    draft: "draft-reply",
    send: "send-reply",
    emailFailed: "reply-email-failed",
    emailResent: "reply-email-resent",
    stem: "reply",
    subject: (reference: string) => `Our reply to your request ${reference}`,
  },
  review: {
    draft: "draft-review-letter",
    send: "send-review-letter",
    emailFailed: "review-letter-email-failed",
    emailResent: "review-letter-email-resent",
    stem: "review-letter",
    subject: (reference: string) => `The result of the internal review of your request ${reference}`,
  },
} as const;

/**
 * The fields the request decides, whatever a draft says: for the review letter also the dates of the review
 * request and of the reply under review (the sent reply's date, or the outcome recorded before foidesk
 * drafted replies).
 */
async function fixedFields(
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
  // The review letter starts from the reply under review: its decisions and reasons, to confirm or change;
  // only what is newly disclosed goes under Disclosure.
  const reviewed = letter === "review" ? (await replyFor(db, requestId, "reply"))?.content : undefined;
  const start = reviewed
    ? {
        questions: reviewed.questions,
        exemptions: reviewed.exemptions,
        refusal: reviewed.refusal,
        reasons: reviewed.reasons,
        advice: reviewed.advice,
        subjectAccessReference: reviewed.subjectAccessReference,
      }
    : { questions };
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

/** The authority's letterhead, from its settings; `fallbackName` while they give no name. */
export async function replyLetterhead(db: Db, fallbackName = "Freedom of Information"): Promise<Letterhead> {
  const authority = await replyRepo.authorityLetterhead(db);
  return {
    name: authority.name || fallbackName,
    address: authority.address,
    ...(authority.email ? { email: authority.email } : {}),
    ...(authority.phone ? { telephone: authority.phone } : {}),
  };
}

export interface ReplyFile {
  filename: string;
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * The reply as a PDF letter or Word document: once sent, the very files that were sent (kept on the request);
 * before, the draft rendered now, dated today, with the request's reference and requester as when it is sent.
 */
export async function renderReplyFile(
  db: Db,
  files: FileStore,
  requestId: number,
  format: "pdf" | "docx",
  now: Date,
  letter: LetterKind = "reply",
): Promise<ReplyFile> {
  const stored = await replyFor(db, requestId, letter);
  if (!stored)
    throw new DomainError(
      "not-found",
      `No ${letter === "review" ? "review letter" : "reply"} has been drafted for this request`,
    );
  const sentId = format === "pdf" ? stored.letterDocumentId : stored.wordDocumentId;
  if (stored.sentAt && sentId !== null) {
    const [document] = await replyRepo.documentsByIds(db, requestId, [sentId]);
    if (document)
      return {
        filename: document.filename,
        mediaType: document.media_type,
        bytes: await files.get(document.storage_key),
      };
  }
  const row = await requestRow(db, requestId);
  const reply = parseReply({
    ...stored.content,
    ...(await fixedFields(db, row, letter, stored.content)),
    date: stored.sentAt ? (stored.reply?.date ?? londonDate(now)) : londonDate(now),
  });
  const letterhead = await replyLetterhead(db);
  const bytes =
    format === "pdf"
      ? await renderReplyPdf(reply, letterhead, { fonts: await letterFonts() })
      : await renderReplyDocx(reply, letterhead);
  const stem = `${fileStem(row.reference)}-${letters[letter].stem}${stored.sentAt ? "" : "-draft"}`;
  return { filename: `${stem}.${format}`, mediaType: letterMediaTypes[format], bytes };
}

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

/** What sending a reply needs of the mailer: the outbox, within the send's transaction, then the hand-over. */
export type ReplyMailer = Pick<Mailer, "queue" | "deliver">;

function replyMessage(
  reply: Reply,
  requestId: number,
  to: string,
  attachments: MailAttachment[],
): OutboundMessage {
  const letter: LetterKind = reply.review ? "review" : "reply";
  return {
    to,
    subject: letters[letter].subject(reply.reference),
    text: replyPlainText(reply),
    kind: replyRepo.letterMailKinds[letter],
    requestId,
    attachments,
  };
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

/** Hands the queued reply over; a refusal is recorded in the history (and shown on the reply page), not thrown. */
async function deliverReply(
  db: Db,
  mailer: ReplyMailer,
  requestId: number,
  outboxId: number,
  to: string,
  actor: Actor,
  now: Date,
  eventOnFailure: (typeof letters)[LetterKind]["emailFailed"],
  eventOnSuccess?: (typeof letters)[LetterKind]["emailResent"],
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

// The paragraph library: managers keep it, officers insert from it.

export interface ParagraphEntry {
  id: number;
  kind: ParagraphKind;
  exemptionId: string | null;
  title: string;
  text: string;
  updatedAt: Date;
  updatedBy: string;
}

const paragraphInputSchema = libraryParagraphSchema.omit({ key: true });
export type ParagraphInput = z.input<typeof paragraphInputSchema>;

function toEntry(row: Awaited<ReturnType<typeof replyRepo.paragraphs>>[number]): ParagraphEntry {
  return {
    id: row.id,
    kind: (paragraphKinds as readonly string[]).includes(row.kind) ? (row.kind as ParagraphKind) : "other",
    exemptionId: row.exemption_id,
    title: row.title,
    text: row.body,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** Fills an empty library with foidesk's stock paragraphs (the catalogue's samples and standard wording). */
export async function ensureParagraphLibrary(db: Db, now: Date): Promise<number> {
  return replyRepo.seedParagraphsIfEmpty(
    db,
    defaultParagraphLibrary.map((paragraph) => ({
      kind: paragraph.kind,
      exemption_id: paragraph.exemptionId ?? null,
      title: paragraph.title,
      body: paragraph.text,
    })),
    now,
  );
}

/** The library (seeded on first use), optionally of one kind or for one exemption. */
export async function paragraphLibrary(
  db: Db,
  now: Date,
  filter: { kind?: string | undefined; exemptionId?: string | undefined } = {},
): Promise<ParagraphEntry[]> {
  await ensureParagraphLibrary(db, now);
  return (await replyRepo.paragraphs(db, filter)).map(toEntry);
}

export async function libraryParagraph(db: Db, id: number): Promise<ParagraphEntry> {
  const row = await replyRepo.paragraphById(db, id);
  if (!row) throw new DomainError("not-found", "There is no such paragraph in the library");
  return toEntry(row);
}

function assertLibraryEditor(actor: Actor): void {
  if (!["manager", "admin"].includes(actor.role))
    throw new DomainError("forbidden", "Only a manager can change the paragraph library");
}

/** Adds a paragraph (id null) or changes one; managers only. */
export async function saveParagraph(
  db: Db,
  id: number | null,
  input: unknown,
  actor: Actor,
  now: Date,
): Promise<number> {
  assertLibraryEditor(actor);
  const paragraph = parseInput(paragraphInputSchema, input);
  const values = {
    kind: paragraph.kind,
    exemption_id: paragraph.exemptionId || null,
    title: paragraph.title,
    body: paragraph.text,
  };
  if (id === null) return replyRepo.insertParagraph(db, values, now, actor.label);
  if (!(await replyRepo.updateParagraph(db, id, values, now, actor.label)))
    throw new DomainError("not-found", "There is no such paragraph in the library");
  return id;
}

export async function deleteParagraph(db: Db, id: number, actor: Actor): Promise<void> {
  assertLibraryEditor(actor);
  if (!(await replyRepo.deleteParagraph(db, id)))
    throw new DomainError("not-found", "There is no such paragraph in the library");
}

/** A library paragraph with the request's placeholders filled, ready to insert into its reply. */
export async function paragraphForRequest(
  db: Db,
  requestId: number,
  paragraphId: number,
  now: Date,
): Promise<string> {
  const [paragraph, row, letterhead] = await Promise.all([
    libraryParagraph(db, paragraphId),
    requestRow(db, requestId),
    replyLetterhead(db),
  ]);
  const values: Partial<Record<PlaceholderName, string>> = {
    requesterName: row.requester_name || undefined,
    reference: row.reference,
    date: formatLongDate(londonDate(now)),
    receivedDate: formatLongDate(row.received_date),
    authorityName: letterhead.name,
  };
  return fillPlaceholders(paragraph.text, values).text;
}
