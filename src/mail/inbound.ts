import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { type AddressObject, type ParsedMail, simpleParser } from "mailparser";
import { z } from "zod";
import type { Database, ReceivedMailStatus } from "../db/index.ts";
import { DomainError, parseInput } from "../errors.ts";
import { sizeText } from "../responses/index.ts";
import { type FileStore, newStorageKey } from "../storage/index.ts";
import * as repo from "./repo.ts";
import type { MailLog } from "./transports.ts";

// Inbound email, as transport: one raw RFC 5322 message at a time, from the SMTP listener or a saved .eml file,
// kept once per Message-ID. Mail that cannot be from a person (no sender, unreadable, too large, an automatic
// reply or a bounce) is kept as "not processed", with the reason, for staff to look at; any other is handed to
// the `deliver` port, which the request side fills (threading onto a request or logging a new one). Mail knows
// the Message-IDs it sent and received, and nothing else of requests.

/** The largest message accepted (the SMTP listener announces it; larger ones are kept as not processed). */
export const MAX_INBOUND_BYTES = 25 * 1024 * 1024;

/** A claim older than this was left by a process that stopped: the message may be processed again. */
const STALE_CLAIM_MS = 10 * 60_000;
export const inboxStaleBefore = (now: Date) => new Date(now.getTime() - STALE_CLAIM_MS);
/** Still waiting for staff: not processed, or claimed by a process that stopped before finishing. */
export const inInbox = (row: { status: string; claimed_at: Date }, now: Date) =>
  row.status === "not-processed" || (row.status === "processing" && row.claimed_at < inboxStaleBefore(now));

/** A message as mailparser reads it. */
export type ParsedMessage = ParsedMail;

/** A message from a person, read and kept, for the request side to thread or log. */
export interface ReceivedMessage {
  receivedMailId: number;
  parsed: ParsedMail;
  from: { name: string; address: string };
  sha256: string;
  /** Where the original is kept; null when it was too large to keep. */
  storageKey: string | null;
  receivedAt: Date;
}

/** What the request side did with a message: threaded or logged it, or refused it (kept for staff). */
export type Delivery =
  | { status: "threaded" | "logged"; requestId: number; reference: string }
  | { status: "refused"; reason: string };

export interface InboundDeps {
  db: Kysely<Database>;
  files: FileStore;
  now: () => Date;
  /** Ids and outcomes only: never an address, a subject or the text. */
  log: MailLog;
  /** The port the request side fills: threads the message onto a request or logs it as a new one. */
  deliver(message: ReceivedMessage): Promise<Delivery>;
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

/**
 * The request an earlier message belongs to, when this one answers it: a Message-ID we sent or received,
 * named in In-Reply-To or References (RFC 5322 s.3.6.4).
 */
export async function repliedRequestId(db: Kysely<Database>, parsed: ParsedMail): Promise<number | null> {
  return repo.requestForMessageIds(db, repliedTo(parsed));
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

    const delivered = await deps.deliver({
      receivedMailId,
      parsed,
      from: { name: from.name, address: from.address },
      sha256: hash,
      storageKey,
      receivedAt: now,
    });
    if (delivered.status === "refused") return await notProcessed(delivered.reason, storageKey);
    return { ...delivered, receivedMailId, reason: null };
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

/** Who acted, as the inbox names them. */
export interface StaffMember {
  label: string;
}

/** Why staff could not act on message `id`: it does not exist, or its state has moved on (`conflict`). */
async function refusal(db: Kysely<Database>, id: number, conflict: string): Promise<never> {
  if (!(await repo.receivedMailById(db, id))) throw new DomainError("not-found", "There is no such message");
  throw new DomainError("conflict", conflict);
}

async function storedMessage(files: FileStore, row: { storage_key: string | null; subject: string }) {
  if (row.storage_key) return simpleParser(Buffer.from(await files.get(row.storage_key)));
  // Too large to keep: what is known of it is its headers, kept on the row.
  return simpleParser(Buffer.from(`Subject: ${row.subject.replace(/[\r\n]+/g, " ")}\r\n\r\n`));
}

/** A message not processed, claimed for a member of staff to act on: its row and, when asked, the message. */
export interface StaffClaim {
  row: NonNullable<Awaited<ReturnType<typeof repo.claimNotProcessed>>>;
  message(): Promise<ParsedMail>;
}

/**
 * Claims message `id` (not processed) for staff and runs `work` on it. If the work fails, the message is given
 * back, so that it can be dealt with once the problem is put right.
 */
export async function withStaffClaim<T>(
  deps: Pick<InboundDeps, "db" | "files">,
  id: number,
  now: Date,
  work: (claim: StaffClaim) => Promise<T>,
): Promise<T> {
  const row =
    (await repo.claimNotProcessed(deps.db, id, now, inboxStaleBefore(now))) ??
    (await refusal(deps.db, id, "This message has already been dealt with"));
  try {
    return await work({ row, message: () => storedMessage(deps.files, row) });
  } catch (error) {
    await repo.finishReceivedMail(deps.db, id, { status: "not-processed" }).catch(() => {});
    throw error;
  }
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
  actor: StaffMember,
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
  actor: StaffMember,
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
