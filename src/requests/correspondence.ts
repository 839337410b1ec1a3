import type { Kysely } from "kysely";
import { z } from "zod";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError, invalid, isDomainError, parseInput } from "../errors.ts";
import { regimeFor } from "../law/index.ts";
import {
  type Delivery,
  finishReceivedMail,
  type InboundResult,
  type MailLog,
  type ParsedMessage,
  type ReceivedMessage,
  referenceCandidates,
  repliedRequestId,
  withStaffClaim,
} from "../mail/index.ts";
import * as repo from "./correspondence-repo.ts";
import { type RequestRegime, requestRegimes } from "./intake.ts";
import { recordEvent } from "./record-event.ts";
import { addDocument, authorityClock, documentTypes, MAX_DOCUMENT_BYTES } from "./service.ts";
import { type IntakeDeps, submitRequest } from "./submission.ts";
import type { Actor } from "./workflow.ts";

// Email on the request side: a message mail has received from a person (mail/inbound's `deliver` port) that
// answers a request (its reference in the subject, or a Message-ID we sent in In-Reply-To/References) is
// threaded onto it as correspondence; any other is logged as a new request and acknowledged, as the public
// site does. Staff do the same from the inbox for a message that was not processed.

/** Who a message received by email is from, as the request's history names them. */
export const emailActor: Actor = { userId: null, label: "Requester (email)", role: "requester" };

/** A new request as the inbound mail hands it to intake (submitRequest). */
export interface EmailSubmission {
  regime: RequestRegime;
  channel: "email";
  receivedDate: string;
  body: string;
  requester: { name: string; email: string };
}

/** What threading and logging received mail needs: intake's (its mail port among them), and the clock. */
export interface CorrespondenceDeps extends IntakeDeps {
  now: () => Date;
  /** Ids and outcomes only: never an address, a subject or the text. */
  log: MailLog;
}

async function findRequest(db: Kysely<Database>, parsed: ParsedMessage) {
  const byHeader = await repliedRequestId(db, parsed);
  if (byHeader) return { requestId: byHeader, matchedBy: "reply-header" as const };
  const matches = await repo.requestsByReference(db, referenceCandidates(parsed.subject ?? ""));
  // Two different references in one subject: the officer decides which request it belongs to.
  if (matches.length === 1) return { requestId: matches[0]!.id, matchedBy: "reference" as const };
  return null;
}

const extensionForType = new Map([...documentTypes].map(([extension, type]) => [type, extension] as const));

interface StoredAttachments {
  documents: { documentId: number; filename: string }[];
  notStored: { filename: string; reason: string }[];
}

/** Each attachment as a document of the request; what cannot be a case document is named with the reason. */
async function storeAttachments(
  deps: CorrespondenceDeps,
  requestId: number,
  parsed: ParsedMessage,
  actor: Actor,
  now: Date,
): Promise<StoredAttachments> {
  const stored: StoredAttachments = { documents: [], notStored: [] };
  for (const [index, attachment] of parsed.attachments.entries()) {
    const extension = extensionForType.get(attachment.contentType.toLowerCase()) ?? "bin";
    const filename = attachment.filename?.trim() || `attachment-${index + 1}.${extension}`;
    if (attachment.related) {
      stored.notStored.push({ filename, reason: "An image shown in the message itself" });
      continue;
    }
    if (attachment.content.byteLength > MAX_DOCUMENT_BYTES) {
      stored.notStored.push({ filename, reason: "Larger than a document may be (20 MB)" });
      continue;
    }
    try {
      const document = await addDocument(
        deps.db,
        deps.files,
        requestId,
        { filename, bytes: new Uint8Array(attachment.content) },
        actor,
        now,
      );
      stored.documents.push({ documentId: document.id, filename: document.filename });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      stored.notStored.push({ filename, reason: error.message });
    }
  }
  return stored;
}

/**
 * Records the message in the request's history (with its attachments as documents) and marks it threaded
 * or logged. A reply while the request awaits clarification is flagged: the officer decides whether it
 * clarifies the request and logs that, which restarts the clock (FOIA s.1(3), EIR reg 9(4)); it is not
 * restarted here.
 */
async function recordCorrespondence(
  deps: CorrespondenceDeps,
  receivedMailId: number,
  requestId: number,
  parsed: ParsedMessage,
  how: {
    status: "threaded" | "logged";
    matchedBy: "reference" | "reply-header" | "new-request" | "staff";
    sha256: string;
    storageKey: string | null;
    handledBy?: string;
  },
  actor: Actor,
  now: Date,
): Promise<{ reference: string }> {
  const request = await repo.requestForCorrespondence(deps.db, requestId);
  if (!request) throw new DomainError("not-found", "There is no such request");
  const attachments = await storeAttachments(deps, requestId, parsed, actor, now);
  await deps.db.transaction().execute(async (trx) => {
    await recordEvent(
      trx,
      requestId,
      "correspondence-received",
      {
        receivedMailId,
        subject: parsed.subject ?? "",
        matchedBy: how.matchedBy,
        sha256: how.sha256,
        documents: attachments.documents,
        notStored: attachments.notStored,
        awaitingClarification: request.state === "awaiting-clarification",
      },
      actor,
      now,
    );
    await finishReceivedMail(trx, receivedMailId, {
      status: how.status,
      reason: null,
      request_id: requestId,
      matched_by: how.matchedBy,
      storage_key: how.storageKey,
      attachments: attachments.documents.length,
      ...(how.handledBy ? { handled_at: now, handled_by: how.handledBy } : {}),
    });
  });
  return { reference: request.reference };
}

/** An email is logged under the authority's own freedom of information law (FOISA in Scotland, s.1). */
export async function emailRegime(db: Kysely<Database>): Promise<RequestRegime> {
  return regimeFor("foi", (await authorityClock(db)).scottish) as RequestRegime;
}

const MAX_REQUEST_TEXT = 50_000;

/** The request as written: the subject and the text, within what a request may hold. */
function requestText(parsed: ParsedMessage): string {
  const text = [parsed.subject?.trim() ?? "", (parsed.text ?? "").trim()].filter(Boolean).join("\n\n");
  if (text.length <= MAX_REQUEST_TEXT) return text;
  const note = "\n\n[The rest of the text is in the email as received.]";
  return text.slice(0, MAX_REQUEST_TEXT - note.length) + note;
}

/** The sender's name as given; an address repeated as the name is no name (FOIA s.8(1)(b)). */
function senderName(name: string | undefined, address: string): string {
  const trimmed = (name ?? "").replace(/\s+/g, " ").trim().slice(0, 200);
  return trimmed.toLowerCase() === address.toLowerCase() ? "" : trimmed;
}

async function logAsRequest(
  deps: CorrespondenceDeps,
  receivedMailId: number,
  parsed: ParsedMessage,
  submission: EmailSubmission,
  meta: { sha256: string; storageKey: string | null; matchedBy: "new-request" | "staff"; handledBy?: string },
  actor: Actor,
  now: Date,
): Promise<Delivery & { status: "logged" }> {
  // Logged and acknowledged as every channel is (tracking link, acknowledgement email, intake team).
  const logged = await submitRequest(deps, submission, actor, now);
  await recordCorrespondence(
    deps,
    receivedMailId,
    logged.id,
    parsed,
    { status: "logged", ...meta },
    actor,
    now,
  );
  deps.log.info(
    {
      receivedMailId,
      requestId: logged.id,
      valid: logged.valid,
      acknowledged: logged.acknowledged,
    },
    "inbound mail logged as a request",
  );
  return { status: "logged", requestId: logged.id, reference: logged.reference };
}

/** The `deliver` port of mail/inbound: threads a message from a person onto its request, or logs a new one. */
export async function deliverReceivedMail(
  deps: CorrespondenceDeps,
  message: ReceivedMessage,
): Promise<Delivery> {
  const { receivedMailId, parsed, from, sha256: hash, storageKey, receivedAt: now } = message;
  const found = await findRequest(deps.db, parsed);
  if (found) {
    const { reference } = await recordCorrespondence(
      deps,
      receivedMailId,
      found.requestId,
      parsed,
      { status: "threaded", matchedBy: found.matchedBy, sha256: hash, storageKey },
      emailActor,
      now,
    );
    deps.log.info(
      { receivedMailId, requestId: found.requestId, matchedBy: found.matchedBy },
      "inbound mail threaded onto a request",
    );
    return { status: "threaded", requestId: found.requestId, reference };
  }
  // FOIA s.8(1), s.8(2): an email is in writing, and its address is an address for correspondence; a
  // request without the sender's name is recorded as not valid, as the staff form records it.
  const submission: EmailSubmission = {
    regime: await emailRegime(deps.db),
    channel: "email",
    // FOIA s.10(1): the clock runs from the day the message arrived here, not from the date it claims.
    receivedDate: londonDate(now),
    body: requestText(parsed),
    requester: { name: senderName(from.name, from.address), email: from.address },
  };
  try {
    return await logAsRequest(
      deps,
      receivedMailId,
      parsed,
      submission,
      { sha256: hash, storageKey, matchedBy: "new-request" },
      emailActor,
      now,
    );
  } catch (error) {
    // Input the intake refuses (an address it cannot accept, say) is for staff to look at.
    if (isDomainError(error) && error.code === "invalid")
      return {
        status: "refused",
        reason: `Not logged as a request: ${error.message}${error.field ? ` (${error.field})` : ""}`,
      };
    throw error;
  }
}

// Staff acting on a message that was not processed: from the inbox page.

/** The staff inbox's choices for a message: log it as a request, or attach it to one by reference. */
export const logReceivedSchema = z.object({
  regime: z.enum(requestRegimes, { error: "Choose FOIA, EIR, FOISA, EISR or subject access" }),
  name: z.string().trim().max(200, { error: "Keep the name under 200 characters" }).default(""),
});
export const attachReceivedSchema = z.object({
  reference: z
    .string({ error: "Enter the request's reference" })
    .trim()
    .min(1, { error: "Enter the request's reference" })
    .max(60, { error: "Enter a reference like 01.FOI.26.000123" }),
});

/** Logs a message that was not processed as a new request (received the day it arrived), and acknowledges it. */
export async function logReceivedAsRequest(
  deps: CorrespondenceDeps,
  id: number,
  input: unknown,
  actor: Actor,
): Promise<InboundResult> {
  const choice = parseInput(logReceivedSchema, input);
  const now = deps.now();
  return withStaffClaim(deps, id, now, async ({ row, message }) => {
    if (!row.from_address) throw invalid("name", "The message has no sender address to reply to");
    const parsed = await message();
    const logged = await logAsRequest(
      deps,
      id,
      parsed,
      {
        regime: choice.regime,
        channel: "email",
        receivedDate: londonDate(row.received_at),
        body: requestText(parsed),
        requester: { name: choice.name, email: row.from_address },
      },
      { sha256: row.sha256, storageKey: row.storage_key, matchedBy: "staff", handledBy: actor.label },
      actor,
      now,
    );
    return { ...logged, receivedMailId: id, reason: null };
  });
}

/** Attaches a message that was not processed to the request with `reference`, as its correspondence. */
export async function attachReceivedToRequest(
  deps: CorrespondenceDeps,
  id: number,
  input: unknown,
  actor: Actor,
): Promise<InboundResult> {
  const { reference } = parseInput(attachReceivedSchema, input);
  const [request] = await repo.requestsByReference(deps.db, [reference]);
  if (!request) throw invalid("reference", `There is no request with the reference ${reference}`);
  const now = deps.now();
  return withStaffClaim(deps, id, now, async ({ row, message }) => {
    const parsed = await message();
    await recordCorrespondence(
      deps,
      id,
      request.id,
      parsed,
      {
        status: "threaded",
        matchedBy: "staff",
        sha256: row.sha256,
        storageKey: row.storage_key,
        handledBy: actor.label,
      },
      actor,
      now,
    );
    deps.log.info({ receivedMailId: id, requestId: request.id }, "inbound mail attached to a request");
    return {
      status: "threaded",
      receivedMailId: id,
      requestId: request.id,
      reference: request.reference,
      reason: null,
    };
  });
}
