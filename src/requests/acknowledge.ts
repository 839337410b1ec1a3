import type { Kysely } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError, parseInput } from "../errors.ts";
import type { Mailer } from "../mail/index.ts";
// The wording itself, not the mail index: mail's inbound side reaches into requests (a cycle otherwise).
import { acknowledgementLetter, acknowledgementMessage, outboxForRequest } from "../mail/index.ts";
import { renderLetterDocx, renderLetterPdf } from "../responses/index.ts";
import type { FileStore } from "../storage/index.ts";
import { type Action, actionSchema } from "./actions.ts";
import { fileStem, storeLetterFiles } from "./letter-files.ts";
import { letterFonts } from "./letter-fonts.ts";
import { deliverReply } from "./reply-delivery.ts";
import { replyLetterhead } from "./reply-files.ts";
import * as repo from "./repo.ts";
import { type ActionResult, actOnRequest, assertActionAllowed, performAction } from "./service.ts";
import { newTrackingToken, setTrackingToken, trackingUrl } from "./tracking-link.ts";
import type { Actor } from "./workflow.ts";

// Acknowledging a request is one thing on every channel (the web form, email, the API, a member of staff):
// the message to the requester (an email, or a letter to post when they gave no email address), the
// "acknowledge" event saying how and to whom it went, and the state "acknowledged". Every channel calls
// acknowledgeRequest; nothing else records an acknowledgement.
// The s.45 code of practice (2018) para 2.9 expects requests to be acknowledged promptly; the letter or
// email gives the reference, the date received and the date the reply is due.

type Db = Kysely<Database>;

/**
 * The port an acknowledgement email goes out through, declared here and given by the caller (the app's
 * mailer, or a test's); intake and acknowledging never reach into the web layer for it.
 */
export type AcknowledgementMailer = Pick<Mailer, "queue" | "deliver">;

export interface AcknowledgeDeps {
  db: Db;
  files: FileStore;
  mailer: AcknowledgementMailer;
  /** The site's address, for the tracking link. */
  baseUrl: string;
  /** The name the message is signed with while the authority's settings give none. */
  serviceName?: string | undefined;
}

export interface Acknowledged extends ActionResult {
  /** "email": emailed; "post": a letter to post (the requester gave only a postal address). */
  method: "email" | "post";
  /** The email address or the postal address it went to. */
  to: string;
  /** The letter's PDF and Word documents on the request, when posted. */
  letterDocumentId: number | null;
  wordDocumentId: number | null;
}

/**
 * Acknowledges the request read at `expectedVersion`. By email when the requester gave an address: in one
 * transaction the event, the state and the email stored in the mail outbox (mail/outbox.ts), so neither goes
 * without the other; after the commit the email is handed over at once. A refusal is recorded in the history
 * ("acknowledgement-email-failed") and the email waits in the outbox, whose worker hands it over once the mail
 * server accepts it (as should this process die before the hand-over). By post otherwise: in one transaction
 * the letter (PDF and Word, on the letterhead) is stored on the request and the acknowledgement recorded as
 * posted. Either way it carries the requester's private tracking link: `trackingToken` when the channel has
 * just made one (the web form), else a new one (only a hash is kept, so an earlier link cannot be given again;
 * it stops working).
 */
export async function acknowledgeRequest(
  deps: AcknowledgeDeps,
  requestId: number,
  expectedVersion: number,
  actor: Actor,
  now: Date,
  options: { trackingToken?: string | undefined; note?: string | undefined } = {},
): Promise<Acknowledged> {
  const note = options.note?.trim() ? { note: options.note.trim() } : {};
  const plain: Action = { type: "acknowledge", ...note };
  await assertActionAllowed(deps.db, requestId, plain, expectedVersion, actor, now);
  const row = await repo.requestWithPeople(deps.db, { id: requestId });
  if (!row) throw new DomainError("not-found", "There is no such request");
  const email = row.requester_email?.trim() || null;
  const address = row.requester_address?.trim() || null;
  if (!email && !address)
    throw new DomainError(
      "conflict",
      "The requester gave no email or postal address to send the acknowledgement to: add one first",
      "type",
    );
  const token = options.trackingToken ?? newTrackingToken();
  const letterhead = await replyLetterhead(deps.db, deps.serviceName);
  const today = londonDate(now);
  const words = {
    authorityName: letterhead.name,
    reference: row.reference,
    regime: row.regime as Parameters<typeof acknowledgementMessage>[0]["regime"],
    requesterName: row.requester_name.trim(),
    receivedDate: row.received_date,
    dueDate: row.due_date,
    body: row.body.trim(),
    preferredFormat: row.preferred_format,
    trackingUrl: trackingUrl(deps.baseUrl, token),
  };

  if (email) {
    const action = { ...plain, sentBy: "email", sentTo: email };
    const message = acknowledgementMessage({ ...words, requestId, email });
    const { result, outboxId } = await deps.db.transaction().execute(async (trx) => {
      const result = await actOnRequest(trx, requestId, action, expectedVersion, actor, now);
      if (!options.trackingToken) await setTrackingToken(trx, requestId, token);
      return { result, outboxId: (await deps.mailer.queue(trx, message)).id };
    });
    const delivery = await deliverReply(
      deps.db,
      deps.mailer,
      requestId,
      outboxId,
      email,
      actor,
      now,
      "acknowledgement-email-failed",
    );
    return {
      ...result,
      version: delivery.version ?? result.version,
      method: "email",
      to: email,
      letterDocumentId: null,
      wordDocumentId: null,
    };
  }

  const to = address!;
  const letter = acknowledgementLetter({ ...words, address: to }, today);
  const [pdf, docx] = await Promise.all([
    renderLetterPdf(letter, letterhead, { fonts: await letterFonts() }),
    renderLetterDocx(letter, letterhead),
  ]);
  const stem = `${fileStem(row.reference)}-acknowledgement`;
  const names = { pdf: `${stem}.pdf`, docx: `${stem}.docx` };
  const storedKeys: string[] = [];
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const result = await actOnRequest(
        trx,
        requestId,
        { ...plain, sentBy: "post", sentTo: to, letter: names.pdf, word: names.docx },
        expectedVersion,
        actor,
        now,
      );
      const { pdfId, docxId } = await storeLetterFiles(
        trx,
        deps.files,
        requestId,
        { pdf: { filename: names.pdf, bytes: pdf }, docx: { filename: names.docx, bytes: docx } },
        { by: actor.label, at: now, partOfReply: false },
        storedKeys,
      );
      if (!options.trackingToken) await setTrackingToken(trx, requestId, token);
      return { ...result, method: "post" as const, to, letterDocumentId: pdfId, wordDocumentId: docxId };
    });
  } catch (error) {
    // Nothing was recorded: the stored files would belong to no document.
    for (const key of storedKeys) await deps.files.delete(key).catch(() => {});
    throw error;
  }
}

/**
 * Where the acknowledgement email is, for the page shown after acknowledging: accepted by the mail server
 * ("sent"), still in the outbox for its worker to try again ("waiting"), or left there after every try
 * ("given-up": only "Send now" in the staff outbox sends it).
 */
export async function acknowledgementEmailState(
  db: Db,
  requestId: number,
): Promise<"sent" | "waiting" | "given-up"> {
  const latest = (await outboxForRequest(db, requestId, "acknowledgement"))[0];
  if (!latest?.waiting) return "sent";
  return latest.given_up_at ? "given-up" : "waiting";
}

/**
 * One action from a page or the API, as `performAction` takes it: an acknowledgement goes through
 * acknowledgeRequest (the message or letter with the event), every other action through performAction.
 */
export async function takeAction(
  deps: AcknowledgeDeps,
  requestId: number,
  input: unknown,
  expectedVersion: number,
  actor: Actor,
  now: Date,
): Promise<ActionResult> {
  const action = parseInput(actionSchema, input);
  if (action.type !== "acknowledge")
    return performAction(deps.db, requestId, action, expectedVersion, actor, now);
  return acknowledgeRequest(deps, requestId, expectedVersion, actor, now, { note: action.note });
}
