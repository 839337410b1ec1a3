import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { type AddressObject, type ParsedMail, simpleParser } from "mailparser";
import { z } from "zod";
import { londonDate } from "../calendar/index.ts";
import type { Database, ReceivedMailStatus } from "../db/index.ts";
import { DomainError, invalid, isDomainError, parseInput } from "../errors.ts";
import {
  type Actor,
  addDocument,
  authorityClock,
  documentTypes,
  MAX_DOCUMENT_BYTES,
  type RequestRegime,
  recordEvent,
  requestRegimes,
} from "../requests/index.ts";
import { type FileStore, newStorageKey } from "../storage/index.ts";
import type { MailLog } from "./outbound.ts";
import * as repo from "./repo.ts";

// Inbound email: one raw RFC 5322 message at a time, from the SMTP listener or a saved .eml file. A message
// that answers a request (its reference in the subject, or a Message-ID we sent in In-Reply-To/References) is
// threaded onto it as correspondence; any other is logged as a new request and acknowledged, as the public
// site does. Each Message-ID is handled once. Mail that cannot be a request (no sender, unreadable, too large,
// an automatic reply or a bounce) is kept as "not processed", with the reason, for staff to look at.

/** The largest message accepted (the SMTP listener announces it; larger ones are kept as not processed). */
export const MAX_INBOUND_BYTES = 25 * 1024 * 1024;

/** A claim older than this was left by a process that stopped: the message may be processed again. */
const STALE_CLAIM_MS = 10 * 60_000;
export const inboxStaleBefore = (now: Date) => new Date(now.getTime() - STALE_CLAIM_MS);
/** Still waiting for staff: not processed, or claimed by a process that stopped before finishing. */
export const inInbox = (row: { status: string; claimed_at: Date }, now: Date) =>
  row.status === "not-processed" || (row.status === "processing" && row.claimed_at < inboxStaleBefore(now));

/** Who a message received by email is from, as the request's history names them. */
export const emailActor: Actor = { userId: null, label: "Requester (email)", role: "requester" };

/** A new request as the inbound mail hands it to the public site's intake (web/public submitRequest). */
export interface EmailSubmission {
  regime: RequestRegime;
  channel: "email";
  receivedDate: string;
  body: string;
  requester: { name: string; email: string };
}

export interface LoggedRequest {
  id: number;
  reference: string;
  valid: boolean;
  acknowledged: boolean;
}

export interface InboundDeps {
  db: Kysely<Database>;
  files: FileStore;
  now: () => Date;
  /** Ids and outcomes only: never an address, a subject or the text. */
  log: MailLog;
  /**
   * Logs and acknowledges a new request exactly as the public form does (tracking link, acknowledgement
   * email, intake team): the web layer's submitRequest, bound to its mailer and base URL.
   */
  logRequest(submission: EmailSubmission, actor: Actor, now: Date): Promise<LoggedRequest>;
}

/** What the SMTP conversation said: the null reverse-path `""` marks a bounce (RFC 5321 s.4.5.5). */
export interface InboundEnvelope {
  from: string | null;
  to: readonly string[];
}

export interface InboundResult {
  status: ReceivedMailStatus | "duplicate";
  receivedMailId: number | null;
  requestId: number | null;
  reference: string | null;
  reason: string | null;
}

interface ReadMessage {
  parsed: ParsedMail | null;
  /** Why the message cannot be processed, before any request is looked at. */
  problem: string | null;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The header block alone (up to the first blank line, 256 KB at most): enough to describe a large message. */
function headerBlock(raw: Uint8Array): Buffer {
  const text = Buffer.from(raw.subarray(0, 256 * 1024));
  const end = text.indexOf("\r\n\r\n");
  const lfEnd = text.indexOf("\n\n");
  const cut = [end, lfEnd].filter((index) => index >= 0).sort((a, b) => a - b)[0] ?? text.length;
  return Buffer.concat([text.subarray(0, cut), Buffer.from("\r\n\r\n")]);
}

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`
    : `${Math.ceil(bytes / 1024)} KB`;

async function readRaw(raw: Uint8Array, size: MessageSize): Promise<ReadMessage> {
  const tooLarge = size.total > size.limit;
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(tooLarge ? headerBlock(raw) : Buffer.from(raw), {
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
    });
  } catch {
    return { parsed: null, problem: "The message could not be read as an email (RFC 5322)" };
  }
  if (parsed.headers.size === 0)
    return { parsed: null, problem: "The message has no headers: it is not an email (RFC 5322)" };
  withoutNul(parsed);
  if (tooLarge)
    return {
      parsed,
      problem: `The message is larger than ${sizeText(size.limit)} (${sizeText(size.total)}), so it was not kept`,
    };
  return { parsed, problem: null };
}

/**
 * Takes U+0000 out of what is kept from a message (PostgreSQL cannot store it in text, and no person types
 * it), once, as it is read: the message is then kept and processed like any other instead of failing.
 */
function withoutNul(parsed: ParsedMail): void {
  const clean = (text: string | undefined) => text?.replaceAll("\u0000", "");
  if (parsed.subject !== undefined) parsed.subject = clean(parsed.subject)!;
  if (parsed.text !== undefined) parsed.text = clean(parsed.text)!;
  if (typeof parsed.html === "string") parsed.html = clean(parsed.html)!;
  if (parsed.messageId !== undefined) parsed.messageId = clean(parsed.messageId)!;
  for (const field of [parsed.from, parsed.to, parsed.cc, parsed.replyTo]) {
    for (const group of Array.isArray(field) ? field : field ? [field] : [])
      for (const entry of group.value) {
        entry.name = clean(entry.name) ?? "";
        if (entry.address !== undefined) entry.address = clean(entry.address)!;
      }
  }
  for (const attachment of parsed.attachments)
    if (attachment.filename !== undefined) attachment.filename = clean(attachment.filename)!;
}

function firstAddress(value: AddressObject | AddressObject[] | undefined) {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  for (const group of list)
    for (const entry of group.value) if (entry.address) return { name: entry.name, address: entry.address };
  return null;
}

function allAddresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((group) => group.value.map((entry) => entry.address ?? "").filter(Boolean));
}

function headerText(parsed: ParsedMail, name: string): string | null {
  const value = parsed.headers.get(name);
  if (value === undefined) return null;
  if (typeof value === "string") return value.trim();
  if (typeof value === "object" && value && "value" in value && typeof value.value === "string")
    return value.value.trim();
  if (typeof value === "object" && value && "text" in value) return String(value.text).trim();
  return String(value).trim();
}

/** Why the message is automatic (an out-of-office reply, a bounce, a mailing), or null for a person's email. */
export function automaticReason(parsed: ParsedMail, envelope: InboundEnvelope | null): string | null {
  const autoSubmitted = headerText(parsed, "auto-submitted")?.toLowerCase();
  // RFC 3834 s.5: anything but "no" was sent by a program, not by a person (auto-replied, auto-generated).
  if (autoSubmitted && autoSubmitted !== "no")
    return `An automatic message (Auto-Submitted: ${autoSubmitted})`;
  const precedence = headerText(parsed, "precedence")?.toLowerCase();
  // RFC 3834 s.3.1.8 and RFC 2076: Precedence bulk, junk or list marks mass mailings and auto-replies.
  if (precedence && ["bulk", "junk", "list", "auto_reply"].includes(precedence))
    return `Bulk or automatic mail (Precedence: ${precedence})`;
  // RFC 5321 s.4.5.5: delivery notifications are sent with a null reverse-path, kept as an empty Return-Path.
  const returnPath = parsed.headers.get("return-path") as AddressObject | undefined;
  const emptyReturnPath = returnPath !== undefined && !firstAddress(returnPath);
  if (envelope?.from === "" || emptyReturnPath) return "A bounce or delivery report (empty Return-Path)";
  // RFC 6522: a delivery status report (RFC 3464) is multipart/report.
  const contentType = parsed.headers.get("content-type") as { value?: string } | undefined;
  if (contentType?.value?.toLowerCase() === "multipart/report") return "A delivery report (multipart/report)";
  return null;
}

/** The Message-IDs a reply names: In-Reply-To first, then References newest first. */
function repliedTo(parsed: ParsedMail): string[] {
  const references = Array.isArray(parsed.references)
    ? parsed.references
    : parsed.references
      ? parsed.references.split(/\s+/)
      : [];
  const inReplyTo = (parsed.inReplyTo ?? "").split(/\s+/);
  return [...new Set([...inReplyTo, ...references.reverse()].map((id) => id.trim()).filter(Boolean))].slice(
    0,
    50,
  );
}

/** Words of a subject that could be a reference ("Re: Your request 01.FOI.26.000123." gives 01.FOI.26.000123). */
export function referenceCandidates(subject: string): string[] {
  return [
    ...new Set(
      subject
        .split(/[\s,;:()[\]<>"']+/)
        .map((word) => word.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ""))
        .filter((word) => word.length >= 4 && word.length <= 60 && /\d/.test(word)),
    ),
  ].slice(0, 20);
}

async function findRequest(db: Kysely<Database>, parsed: ParsedMail) {
  const byHeader = await repo.requestForMessageIds(db, repliedTo(parsed));
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
  deps: InboundDeps,
  requestId: number,
  parsed: ParsedMail,
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
  deps: InboundDeps,
  receivedMailId: number,
  requestId: number,
  parsed: ParsedMail,
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
    await repo.finishReceivedMail(trx, receivedMailId, {
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
  return (await authorityClock(db)).scottish ? "foisa" : "foia";
}

const MAX_REQUEST_TEXT = 50_000;

/** The request as written: the subject and the text, within what a request may hold. */
function requestText(parsed: ParsedMail): string {
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
  deps: InboundDeps,
  receivedMailId: number,
  parsed: ParsedMail,
  submission: EmailSubmission,
  meta: { sha256: string; storageKey: string | null; matchedBy: "new-request" | "staff"; handledBy?: string },
  actor: Actor,
  now: Date,
): Promise<InboundResult> {
  const logged = await deps.logRequest(submission, actor, now);
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
  return {
    status: "logged",
    receivedMailId,
    requestId: logged.id,
    reference: logged.reference,
    reason: null,
  };
}

async function keepRaw(files: FileStore, raw: Uint8Array, now: Date): Promise<string> {
  const key = newStorageKey(now);
  await files.put(key, raw);
  return key;
}

/** A message's real size (only its beginning is kept past the limit) and the largest accepted. */
export interface MessageSize {
  total: number;
  limit: number;
}

/** Processes one message as received (`size`: the SMTP listener's count and limit). */
export async function receiveMessage(
  deps: InboundDeps,
  raw: Uint8Array,
  envelope: InboundEnvelope | null = null,
  size: MessageSize = { total: raw.byteLength, limit: MAX_INBOUND_BYTES },
): Promise<InboundResult> {
  const now = deps.now();
  const hash = sha256(raw);
  const totalBytes = size.total;
  const { parsed, problem } = await readRaw(raw, size);
  const from = parsed ? firstAddress(parsed.from) : null;
  // A message without a Message-ID (RFC 5322 s.3.6.4 says it SHOULD have one) is known by its content.
  const messageId = (parsed?.messageId?.trim() || `<${hash}@no-message-id.invalid>`).slice(0, 998);
  const receivedMailId = await repo.claimReceivedMail(
    deps.db,
    {
      message_id: messageId,
      from_name: (from?.name ?? "").slice(0, 200),
      from_address: from?.address.slice(0, 320) ?? null,
      to_addresses: (envelope?.to.length ? [...envelope.to] : allAddresses(parsed?.to))
        .join(", ")
        .slice(0, 2000),
      subject: (parsed?.subject ?? "").slice(0, 1000),
      text_body: problem ? "" : (parsed?.text ?? "").slice(0, 1_000_000),
      size_bytes: totalBytes,
      sha256: hash,
      storage_key: null,
      attachments: parsed?.attachments.length ?? 0,
      status: "processing",
      received_at: now,
      claimed_at: now,
    },
    inboxStaleBefore(now),
  );
  if (receivedMailId === null) {
    const existing = await repo.receivedMailIdByMessageId(deps.db, messageId);
    deps.log.info({ receivedMailId: existing }, "inbound mail already received: ignored");
    return { status: "duplicate", receivedMailId: existing, requestId: null, reference: null, reason: null };
  }
  const notProcessed = async (reason: string, storageKey: string | null): Promise<InboundResult> => {
    await repo.finishReceivedMail(deps.db, receivedMailId, {
      status: "not-processed",
      reason,
      storage_key: storageKey,
    });
    deps.log.info({ receivedMailId }, "inbound mail not processed");
    return { status: "not-processed", receivedMailId, requestId: null, reference: null, reason };
  };

  let storageKey: string | null = null;
  try {
    storageKey = totalBytes > size.limit ? null : await keepRaw(deps.files, raw, now);
    if (problem || !parsed) return await notProcessed(problem ?? "The message could not be read", storageKey);
    if (!from) return await notProcessed("The message has no sender address (From)", storageKey);
    const automatic = automaticReason(parsed, envelope);
    if (automatic) return await notProcessed(automatic, storageKey);

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
      return { status: "threaded", receivedMailId, requestId: found.requestId, reference, reason: null };
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
        return await notProcessed(
          `Not logged as a request: ${error.message}${error.field ? ` (${error.field})` : ""}`,
          storageKey,
        );
      throw error;
    }
  } catch (error) {
    deps.log.error(
      { err: { name: (error as Error).name, message: (error as Error).message }, receivedMailId },
      "inbound mail failed",
    );
    // The original is kept for staff, whatever failed: the relay must not be asked to send it again.
    const reason = `Processing failed (logged with received mail id ${receivedMailId})`;
    try {
      await repo.finishReceivedMail(deps.db, receivedMailId, {
        status: "not-processed",
        reason,
        storage_key: storageKey,
      });
    } catch {
      throw error;
    }
    return { status: "not-processed", receivedMailId, requestId: null, reference: null, reason };
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

/** Why staff could not act on message `id`: it does not exist, or its state has moved on (`conflict`). */
async function refusal(db: Kysely<Database>, id: number, conflict: string): Promise<never> {
  if (!(await repo.receivedMailById(db, id))) throw new DomainError("not-found", "There is no such message");
  throw new DomainError("conflict", conflict);
}

async function takeForStaff(deps: InboundDeps, id: number, now: Date) {
  const row = await repo.claimNotProcessed(deps.db, id, now, inboxStaleBefore(now));
  return row ?? refusal(deps.db, id, "This message has already been dealt with");
}

async function storedMessage(deps: InboundDeps, row: { storage_key: string | null; subject: string }) {
  if (row.storage_key) return simpleParser(Buffer.from(await deps.files.get(row.storage_key)));
  // Too large to keep: what is known of it is its headers, kept on the row.
  return simpleParser(Buffer.from(`Subject: ${row.subject.replace(/[\r\n]+/g, " ")}\r\n\r\n`));
}

async function withStaffClaim<T>(deps: InboundDeps, id: number, work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    // Give the message back, so that it can be dealt with once the problem is put right.
    await repo.finishReceivedMail(deps.db, id, { status: "not-processed" }).catch(() => {});
    throw error;
  }
}

/** Logs a message that was not processed as a new request (received the day it arrived), and acknowledges it. */
export async function logReceivedAsRequest(
  deps: InboundDeps,
  id: number,
  input: unknown,
  actor: Actor,
): Promise<InboundResult> {
  const choice = parseInput(logReceivedSchema, input);
  const now = deps.now();
  const row = await takeForStaff(deps, id, now);
  return withStaffClaim(deps, id, async () => {
    if (!row.from_address) throw invalid("name", "The message has no sender address to reply to");
    const parsed = await storedMessage(deps, row);
    return logAsRequest(
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
  });
}

/** Attaches a message that was not processed to the request with `reference`, as its correspondence. */
export async function attachReceivedToRequest(
  deps: InboundDeps,
  id: number,
  input: unknown,
  actor: Actor,
): Promise<InboundResult> {
  const { reference } = parseInput(attachReceivedSchema, input);
  const [request] = await repo.requestsByReference(deps.db, [reference]);
  if (!request) throw invalid("reference", `There is no request with the reference ${reference}`);
  const now = deps.now();
  const row = await takeForStaff(deps, id, now);
  return withStaffClaim(deps, id, async () => {
    const parsed = await storedMessage(deps, row);
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

export const dismissReceivedSchema = z.object({
  reason: z
    .string({ error: "Say why the message needs no action" })
    .trim()
    .min(1, { error: "Say why the message needs no action" })
    .max(500, { error: "Keep the reason under 500 characters" }),
});

/** Dismisses a message that was not processed and needs no action (spam, a newsletter), with the reason. */
export async function dismissReceived(
  deps: Pick<InboundDeps, "db" | "now" | "log">,
  id: number,
  input: unknown,
  actor: Actor,
): Promise<void> {
  const { reason } = parseInput(dismissReceivedSchema, input);
  const now = deps.now();
  const dismissed = await repo.dismissNotProcessed(
    deps.db,
    id,
    { reason, by: actor.label, at: now },
    inboxStaleBefore(now),
  );
  if (!dismissed) await refusal(deps.db, id, "This message has already been dealt with");
  deps.log.info({ receivedMailId: id }, "inbound mail dismissed");
}

/** Puts a dismissed message back among those not processed, to be dealt with. */
export async function restoreReceived(deps: Pick<InboundDeps, "db" | "log">, id: number): Promise<void> {
  if (!(await repo.restoreDismissed(deps.db, id)))
    await refusal(deps.db, id, "This message is not dismissed: it has already been restored or dealt with");
  deps.log.info({ receivedMailId: id }, "inbound mail restored");
}

/** The officer has read the new correspondence on a request: the flag goes from the page and the queue. */
export async function markCorrespondenceRead(
  db: Kysely<Database>,
  requestId: number,
  actor: Actor,
  now: Date,
): Promise<number> {
  return repo.markSeen(db, requestId, actor.label, now);
}

/** The original message, as received (a download for staff); null when it was too large to keep. */
export async function receivedMessageBytes(
  db: Kysely<Database>,
  files: FileStore,
  id: number,
): Promise<Uint8Array | null> {
  const row = await repo.receivedMailById(db, id);
  if (!row) throw new DomainError("not-found", "There is no such message");
  return row.storage_key ? files.get(row.storage_key) : null;
}
