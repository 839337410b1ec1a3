import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError, invalid } from "../errors.ts";
import { fileText, postcodePattern } from "../files/index.ts";
import { isInformationRegime } from "../law/index.ts";
import { type Actor, documentChecks, recordEvent, releaseBlock } from "../requests/index.ts";
import { parseReply, type Reply } from "../responses/index.ts";
import type { FileStore } from "../storage/index.ts";
import { assertCan } from "../users/index.ts";
import {
  type AttachmentSource,
  buildPublishedRecord,
  isMaskableFile,
  type PublicationSource,
  previewPublication,
} from "./record.ts";
import { createRedactor, type Redactor, type RequesterIdentifiers, ruleProblem } from "./redaction.ts";
import * as repo from "./repo.ts";

// Publishing replies to the disclosure log, previewing them, taking them down, and the redactions that apply.
// Handlers call these functions and nothing else. Publishing and taking down are recorded in the request's
// history (requests.recordEvent), in the same transaction as the published record itself.

type Db = Kysely<Database>;

/** foidesk itself, when it publishes what is due (`foidesk publish --due`). */
export const automaticPublisher: Actor = {
  userId: null,
  label: "foidesk (automatic publication)",
  role: "system",
};

export const publicPath = (reference: string) => `/disclosure-log/${encodeURIComponent(reference)}`;

/** Requester types that are a person (each part of the name is masked), not a company or a group. */
const organisationTypes = new Set(["business", "campaign-group"]);

interface Loaded {
  request: NonNullable<Awaited<ReturnType<typeof repo.requestForPublication>>>;
  reply: Reply | null;
  requester: RequesterIdentifiers;
  redactor: Redactor;
  attachments: (AttachmentSource & { storageKey: string })[];
  redactions: Awaited<ReturnType<typeof repo.requestRedactions>>;
}

const utf8 = new TextDecoder("utf-8");

async function load(db: Db, files: FileStore, requestId: number, now: Date): Promise<Loaded> {
  const request = await repo.requestForPublication(db, requestId);
  if (!request) throw new DomainError("not-found", "There is no such request");
  const [redactions, rules, authority, documents] = await Promise.all([
    repo.requestRedactions(db, requestId),
    repo.redactionRules(db),
    repo.authorityForPublication(db),
    repo.replyAttachments(db, requestId, [request.letter_document_id, request.word_document_id]),
  ]);
  const requester: RequesterIdentifiers = {
    name: request.requester_name,
    email: request.requester_email,
    address: request.requester_address,
    organisation: request.requester_organisation,
    individual: !organisationTypes.has(request.requester_type),
  };
  const keep = [
    authority.email,
    authority.phone,
    ...[...authority.address.matchAll(postcodePattern)].map((match) => match[0]),
  ].filter(Boolean);
  const redactor = createRedactor({
    requester,
    requestRedactions: redactions,
    rules: rules.map((rule) => ({ kind: rule.kind, pattern: rule.pattern, reason: rule.reason })),
    keep,
  });
  const checks = await documentChecks(
    db,
    files,
    documents.map((document) => document.id),
    now,
  );
  const attachments = await Promise.all(
    documents.map(async (document) => {
      const maskable = isMaskableFile(document.media_type);
      const bytes = await files.get(document.storage_key);
      return {
        documentId: document.id,
        fileName: document.filename,
        mediaType: document.media_type,
        sizeBytes: document.size_bytes,
        storageKey: document.storage_key,
        text: maskable ? utf8.decode(bytes).replace(/^\uFEFF/, "") : null,
        releaseBlock: releaseBlock(checks.get(document.id)),
        contentText: maskable ? null : await fileText(document.filename, bytes).catch(() => null),
      };
    }),
  );
  let reply: Reply | null = null;
  if (request.reply_content) {
    try {
      reply = parseReply(request.reply_content);
    } catch {
      reply = null;
    }
  }
  return { request, reply, requester, redactor, attachments, redactions };
}

/** Why the request's reply cannot be published yet, or null when it can. */
function notPublishable(loaded: Loaded): string | null {
  if (!isInformationRegime(loaded.request.regime))
    return "Replies to subject access requests are never published.";
  if (!loaded.request.reply_content) return "There is no reply to publish yet.";
  if (!loaded.request.reply_sent_at)
    return "The reply has not been sent yet. Publish it once it has been sent.";
  if (!loaded.reply) return "The reply as saved cannot be read; open it, correct it and send it again.";
  return null;
}

function sourceOf(loaded: Loaded, reply: Reply, checkedFileIds: readonly number[]): PublicationSource {
  return {
    reference: loaded.request.reference,
    topic: loaded.request.topic,
    reply,
    attachments: loaded.attachments,
    checkedFileIds,
  };
}

/** The staff page: what publishing would show (every mask highlighted, with why), and where it stands. */
export async function publicationPage(db: Db, files: FileStore, requestId: number, now: Date) {
  const loaded = await load(db, files, requestId, now);
  const [status, authority] = await Promise.all([
    repo.publicationOfRequest(db, requestId),
    repo.authorityForPublication(db),
  ]);
  const problem = notPublishable(loaded);
  const preview =
    loaded.reply && !problem ? previewPublication(sourceOf(loaded, loaded.reply, []), loaded.redactor) : null;
  return {
    request: {
      id: loaded.request.id,
      reference: loaded.request.reference,
      regime: loaded.request.regime,
      state: loaded.request.state,
      version: loaded.request.version,
      sentAt: loaded.request.reply_sent_at,
    },
    problem,
    preview,
    redactions: loaded.redactions,
    status: status
      ? {
          ...status,
          published: status.withdrawn_at === null,
          url: publicPath(status.reference),
        }
      : null,
    publishAfterDays: authority.publishAfterDays,
  };
}

/** Where a request's reply stands on the disclosure log (the request page's panel). */
export async function publicationStatus(db: Db, requestId: number) {
  const status = await repo.publicationOfRequest(db, requestId);
  if (!status) return null;
  return {
    reference: status.reference,
    publishedAt: status.published_at,
    publishedBy: status.published_by,
    withdrawnAt: status.withdrawn_at,
    withdrawnBy: status.withdrawn_by,
    withdrawnReason: status.withdrawn_reason,
    published: status.withdrawn_at === null,
    url: publicPath(status.reference),
  };
}

export interface PublishOptions {
  /** PDF, Word and other files a manager has checked and chooses to publish unchanged. */
  checkedFileIds?: readonly number[];
}

/** Publishes a sent reply (or publishes it again, after new redactions or a takedown). */
export async function publishReply(
  db: Db,
  files: FileStore,
  requestId: number,
  options: PublishOptions,
  actor: Actor,
  now: Date,
): Promise<{ reference: string; url: string }> {
  assertCan(actor, "publish-reply");
  const loaded = await load(db, files, requestId, now);
  const problem = notPublishable(loaded);
  if (problem || !loaded.reply) throw new DomainError("conflict", problem ?? "There is no reply to publish");
  const knownIds = new Set(loaded.attachments.map((file) => file.documentId));
  const checked = (options.checkedFileIds ?? []).filter((id) => knownIds.has(id));
  const record = buildPublishedRecord(
    sourceOf(loaded, loaded.reply, checked),
    loaded.redactor,
    loaded.requester,
  );
  const encoder = new TextEncoder();
  const attachments = record.attachments.flatMap((plan, position): repo.AttachmentRow[] => {
    if (plan.status === "held-back") return [];
    if (plan.status === "masked-copy") {
      const content = encoder.encode(plan.text);
      return [
        {
          position,
          fileName: plan.fileName,
          mediaType: plan.mediaType,
          sizeBytes: content.byteLength,
          content,
          storageKey: null,
          maskedSpans: plan.maskedSpans,
        },
      ];
    }
    const source = loaded.attachments.find((file) => file.documentId === plan.documentId)!;
    return [
      {
        position,
        fileName: plan.fileName,
        mediaType: plan.mediaType,
        sizeBytes: plan.sizeBytes,
        content: null,
        storageKey: source.storageKey,
        maskedSpans: 0,
      },
    ];
  });
  await db.transaction().execute(async (trx) => {
    await repo.savePublishedReply(
      trx,
      repo.publishedRow(record, { requestId, publishedAt: now, publishedBy: actor.label }),
      attachments,
    );
    const heldBack = record.attachments.filter((plan) => plan.status === "held-back").length;
    await recordEvent(
      trx,
      requestId,
      "published",
      {
        note: `${publicPath(record.reference)}: ${attachments.length} file${attachments.length === 1 ? "" : "s"} published${heldBack ? `, ${heldBack} held back` : ""}`,
      },
      actor,
      now,
    );
  });
  return { reference: record.reference, url: publicPath(record.reference) };
}

/** Takes a reply down from the disclosure log; its page then answers 410 Gone. */
export async function withdrawReply(
  db: Db,
  requestId: number,
  reason: string,
  actor: Actor,
  now: Date,
): Promise<{ reference: string }> {
  assertCan(actor, "take-down-reply");
  const why = reason.trim();
  if (!why) throw invalid("reason", "Enter why the reply is being taken down");
  if (why.length > 2000) throw invalid("reason", "Keep the reason under 2,000 characters");
  return db.transaction().execute(async (trx) => {
    const withdrawn = await repo.withdrawPublishedReply(trx, requestId, {
      by: actor.label,
      reason: why,
      at: now,
    });
    if (!withdrawn) throw new DomainError("conflict", "This reply is not on the disclosure log");
    await recordEvent(trx, requestId, "publication-withdrawn", { reason: why }, actor, now);
    return { reference: withdrawn.reference };
  });
}

const dayMs = 24 * 60 * 60 * 1000;

/** The rule: a reply is due once `publishAfterDays` whole days have passed since it was sent. */
export function isDueForPublication(sentAt: Date, publishAfterDays: number | null, now: Date): boolean {
  if (publishAfterDays === null) return false;
  return now.getTime() - sentAt.getTime() >= publishAfterDays * dayMs;
}

/** Requests whose sent reply is due for automatic publication and was never published. */
export async function dueForPublication(db: Db, now: Date, limit = 1000) {
  const authority = await repo.authorityForPublication(db);
  const days = authority.publishAfterDays;
  if (days === null) return [];
  const due = await repo.requestsDueForPublication(db, new Date(now.getTime() - days * dayMs), limit);
  return due.filter((row) => row.sent_at && isDueForPublication(row.sent_at, days, now));
}

export interface PublishDueReport {
  published: { reference: string; url: string }[];
  failed: { reference: string; problem: string }[];
}

/** Publishes everything due (the cron job): one reply at a time, so one failure stops nothing else. */
export async function publishDue(db: Db, files: FileStore, now: Date): Promise<PublishDueReport> {
  const report: PublishDueReport = { published: [], failed: [] };
  for (const request of await dueForPublication(db, now)) {
    try {
      report.published.push(await publishReply(db, files, request.id, {}, automaticPublisher, now));
    } catch (error) {
      report.failed.push({
        reference: request.reference,
        problem: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return report;
}

// ---- Redactions ---------------------------------------------------------------------------------------

export async function addRequestRedaction(
  db: Db,
  requestId: number,
  input: { phrase?: string | undefined; reason?: string | undefined },
  actor: Actor,
  now: Date,
) {
  const phrase = input.phrase?.trim() ?? "";
  const reason = input.reason?.trim() ?? "";
  const problems = [];
  if (phrase.length < 2) problems.push({ field: "phrase", message: "Enter the phrase or name to mask" });
  else if (phrase.length > 500)
    problems.push({ field: "phrase", message: "Keep the phrase under 500 characters" });
  if (reason.length > 500)
    problems.push({ field: "reason", message: "Keep the reason under 500 characters" });
  if (problems.length) throw new DomainError("invalid", problems[0]!.message, problems[0]!.field, problems);
  if (!(await repo.requestText(db, requestId)))
    throw new DomainError("not-found", "There is no such request");
  return repo.insertRequestRedaction(db, { requestId, phrase, reason, by: actor.label, at: now });
}

/**
 * Removes a request's redaction: a manager's decision, since the words it masked may then be published (as
 * adding a rule is), recorded in the request's history with who added it; never the masked words themselves.
 */
export async function removeRequestRedaction(
  db: Db,
  requestId: number,
  redactionId: number,
  actor: Actor,
  now: Date,
): Promise<void> {
  assertCan(actor, "remove-publication-redaction");
  await db.transaction().execute(async (trx) => {
    const removed = await repo.deleteRequestRedaction(trx, requestId, redactionId);
    if (!removed) throw new DomainError("not-found", "There is no such redaction");
    await recordEvent(
      trx,
      requestId,
      "redaction-removed",
      { redactionId: removed.id, addedBy: removed.created_by, addedAt: removed.created_at.toISOString() },
      actor,
      now,
    );
  });
}

export async function publicationSettings(db: Db) {
  const [rules, authority] = await Promise.all([repo.redactionRules(db), repo.authorityForPublication(db)]);
  return { rules, publishAfterDays: authority.publishAfterDays };
}

export async function addRedactionRule(
  db: Db,
  input: { kind?: string | undefined; pattern?: string | undefined; reason?: string | undefined },
  actor: Actor,
  now: Date,
) {
  assertCan(actor, "change-redaction-rules");
  const kind = input.kind === "pattern" ? "pattern" : input.kind === "phrase" ? "phrase" : null;
  const pattern = input.pattern?.trim() ?? "";
  const reason = input.reason?.trim() ?? "";
  const problems = [];
  if (!kind) problems.push({ field: "kind", message: "Choose a phrase or a pattern" });
  const problem = kind ? ruleProblem({ kind, pattern }) : null;
  if (problem) problems.push({ field: "pattern", message: problem });
  if (!reason) problems.push({ field: "reason", message: "Enter why this is masked" });
  else if (reason.length > 500)
    problems.push({ field: "reason", message: "Keep the reason under 500 characters" });
  if (problems.length || !kind)
    throw new DomainError("invalid", problems[0]!.message, problems[0]!.field, problems);
  return repo.insertRedactionRule(db, { kind, pattern, reason, by: actor.label, at: now });
}

export async function removeRedactionRule(db: Db, id: number, actor: Actor): Promise<void> {
  assertCan(actor, "change-redaction-rules");
  if ((await repo.deleteRedactionRule(db, id)) === 0)
    throw new DomainError("not-found", "There is no such rule");
}

export async function setPublishAfterDays(db: Db, input: string | undefined, actor: Actor): Promise<void> {
  assertCan(actor, "change-publication-timing");
  const text = input?.trim() ?? "";
  if (text === "") return repo.setPublishAfterDays(db, null);
  if (!/^\d{1,4}$/.test(text) || Number(text) > 3650)
    throw invalid("publishAfterDays", "Enter a number of days from 0 to 3650, or leave it empty");
  return repo.setPublishAfterDays(db, Number(text));
}
