import { createHash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError, invalid } from "../errors.ts";
import {
  cleanFile,
  FileRefused,
  type Finding,
  findingLabels,
  formatFiles,
  inspectFile,
  type RedactionArea,
  type RedactionPattern,
  redactionFinder,
  redactPdf,
  type TrackedChanges,
} from "../files/index.ts";
import { type FileStore, newStorageKey } from "../storage/index.ts";
import { assertCan } from "../users/index.ts";
import { recordEvent } from "./record-event.ts";
import type { Actor } from "./workflow.ts";

// Release rules (ICO, "How to disclose information safely", 2018): a file with hidden data, or one that
// cannot be inspected, is neither sent to the requester nor published until a clean copy is made (the copy
// goes out; the original stays in the case file) or an approver who did not upload it releases it as it is,
// with a reason. Both are events in the request's history.

type Db = Kysely<Database> | Transaction<Database>;

export interface DocumentCheck {
  documentId: number;
  format: string | null;
  findings: Finding[];
  refused: string | null;
  cleanCopyId: number | null;
  cleanCopyOf: number | null;
  releasedBy: string | null;
  releasedReason: string | null;
  releasedAt: Date | null;
}

type CheckRow = Awaited<ReturnType<typeof checkRows>>[number];

function checkRows(db: Db, documentIds: readonly number[]) {
  return db
    .selectFrom("document_checks")
    .selectAll()
    .where("document_id", "in", [...documentIds])
    .execute();
}

function toCheck(row: CheckRow): DocumentCheck {
  return {
    documentId: row.document_id,
    format: row.format,
    findings: row.findings as Finding[],
    refused: row.refused,
    cleanCopyId: row.clean_copy_id,
    cleanCopyOf: row.clean_copy_of,
    releasedBy: row.released_by,
    releasedReason: row.released_reason,
    releasedAt: row.released_at,
  };
}

/** Inspects a stored document and keeps what was found (again, if it was inspected before). */
export async function inspectDocument(
  db: Db,
  files: FileStore,
  documentId: number,
  now: Date,
): Promise<DocumentCheck> {
  const document = await db
    .selectFrom("documents")
    .selectAll()
    .where("id", "=", documentId)
    .executeTakeFirst();
  if (!document) throw new DomainError("not-found", "There is no such document");
  const bytes = await files.get(document.storage_key);
  let format: string | null = null;
  let findings: Finding[] = [];
  let refused: string | null = null;
  try {
    ({ format, findings } = await inspectFile(document.filename, bytes));
  } catch (error) {
    // A file that breaks a parser is kept from going out like any other unreadable file, not lost to a 500.
    if (!(error instanceof Error)) throw error;
    refused = error instanceof FileRefused ? error.message : `the file could not be read (${error.message})`;
  }
  const values = { format, findings: JSON.stringify(findings), refused, inspected_at: now };
  await db
    .insertInto("document_checks")
    .values({ document_id: documentId, ...values })
    .onConflict((conflict) => conflict.column("document_id").doUpdateSet(values))
    .execute();
  const [row] = await checkRows(db, [documentId]);
  return toCheck(row!);
}

/** The checks of the given documents, inspecting any that were stored before inspection began. */
export async function documentChecks(
  db: Db,
  files: FileStore,
  documentIds: readonly number[],
  now: Date,
): Promise<Map<number, DocumentCheck>> {
  const checks = new Map<number, DocumentCheck>();
  if (documentIds.length === 0) return checks;
  for (const row of await checkRows(db, documentIds)) checks.set(row.document_id, toCheck(row));
  for (const id of documentIds)
    if (!checks.has(id)) checks.set(id, await inspectDocument(db, files, id, now));
  return checks;
}

/** The stored checks only (no inspection): for pages that show findings without waiting on a file. */
export async function storedChecks(
  db: Db,
  documentIds: readonly number[],
): Promise<Map<number, DocumentCheck>> {
  if (documentIds.length === 0) return new Map();
  return new Map((await checkRows(db, documentIds)).map((row) => [row.document_id, toCheck(row)]));
}

/** Each finding in plain words, for the request page, the reply preview and the publication preview. */
export function findingsInWords(check: DocumentCheck): string[] {
  if (check.refused)
    return [`Cannot be inspected, so it cannot be released until it is converted: ${check.refused}`];
  return check.findings.map(
    (finding) => `${findingLabels[finding.kind]} (${finding.where}): ${finding.detail}`,
  );
}

/** Why a file may not leave the building as it is, or null when it may. */
export function releaseBlock(check: DocumentCheck | undefined): string | null {
  if (!check) return "it has not been inspected for hidden data";
  if (check.releasedBy) return null;
  if (check.cleanCopyId) return "a clean copy was made of it: send or publish the clean copy instead";
  if (check.refused)
    return `it cannot be inspected, so it cannot be released until it is converted (${check.refused})`;
  if (check.findings.length === 0) return null;
  const kinds = [...new Set(check.findings.map((finding) => findingLabels[finding.kind].toLowerCase()))];
  return `it holds hidden data (${kinds.join("; ")}): make a clean copy, or an approver who did not upload it may release it as it is`;
}

/** Refuses (409) when any of the files may not go out as it is, naming each file and why. */
export async function assertReleasable(
  db: Db,
  files: FileStore,
  documents: readonly { id: number; filename: string }[],
  what: string,
  now: Date,
): Promise<void> {
  const checks = await documentChecks(
    db,
    files,
    documents.map((document) => document.id),
    now,
  );
  const blocked = documents
    .map((document) => [document.filename, releaseBlock(checks.get(document.id))] as const)
    .filter(([, why]) => why !== null);
  if (blocked.length > 0)
    throw new DomainError(
      "conflict",
      `The ${what} cannot go out: ${blocked.map(([name, why]) => `${name}: ${why}`).join("; ")}.`,
    );
}

async function requestDocument(db: Db, requestId: number, documentId: number) {
  const original = await db
    .selectFrom("documents")
    .selectAll()
    .where("id", "=", documentId)
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  if (!original) throw new DomainError("not-found", "There is no such document");
  return original;
}

/**
 * Keeps a copy made of a document beside it on the request, inspected, with the original marked as copied (so
 * it is never sent or published), and the event in the history; the stored bytes go if the record fails.
 */
async function storeCopy(
  db: Kysely<Database>,
  files: FileStore,
  original: { id: number; request_id: number; filename: string },
  copy: { filename: string; mediaType: string; bytes: Uint8Array; format: string; findings: Finding[] },
  event:
    | { type: "document-cleaned"; details: { cleanFilename: string; summary: unknown } }
    | { type: "document-redacted"; details: { redactedFilename: string; areas: number; labels: unknown } },
  actor: Actor,
  now: Date,
): Promise<number> {
  const key = newStorageKey(now);
  await files.put(key, copy.bytes);
  try {
    return await db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto("documents")
        .values({
          request_id: original.request_id,
          filename: copy.filename,
          media_type: copy.mediaType,
          size_bytes: copy.bytes.byteLength,
          sha256: createHash("sha256").update(copy.bytes).digest("hex"),
          storage_key: key,
          uploaded_by: actor.label,
          uploaded_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await documentChecks(trx, files, [original.id], now);
      await trx
        .insertInto("document_checks")
        .values({
          document_id: id,
          format: copy.format,
          findings: JSON.stringify(copy.findings),
          inspected_at: now,
          clean_copy_of: original.id,
        })
        .execute();
      await trx
        .updateTable("document_checks")
        .set({ clean_copy_id: id })
        .where("document_id", "=", original.id)
        .execute();
      await recordEvent(
        trx,
        original.request_id,
        event.type,
        { documentId: original.id, filename: original.filename, ...event.details, copyDocumentId: id },
        actor,
        now,
      );
      return id;
    });
  } catch (error) {
    await files.delete(key).catch(() => {});
    throw error;
  }
}

/**
 * Makes the clean copy of a document and keeps it on the request beside the original (which is never sent or
 * published once copied). The copy keeps the original's name, so a reply that names the file sends the copy,
 * unless its format changed (`pay.xlsm` → `pay.xlsx`): then its name and media type are the new format's.
 */
export async function makeCleanCopy(
  db: Kysely<Database>,
  files: FileStore,
  requestId: number,
  documentId: number,
  options: { trackedChanges?: TrackedChanges },
  actor: Actor,
  now: Date,
): Promise<{ id: number; filename: string; summary: string }> {
  const original = await requestDocument(db, requestId, documentId);
  let copy: Awaited<ReturnType<typeof cleanFile>>;
  try {
    copy = await cleanFile(original.filename, await files.get(original.storage_key), options);
  } catch (error) {
    if (error instanceof FileRefused)
      throw invalid("document", `A clean copy cannot be made: ${error.message}`);
    throw error;
  }
  const id = await storeCopy(
    db,
    files,
    original,
    { ...copy, findings: [] }, // cleanFile inspected the copy and refuses one with findings
    { type: "document-cleaned", details: { cleanFilename: copy.filename, summary: copy.summary } },
    actor,
    now,
  );
  return { id, filename: copy.filename, summary: copy.summary };
}

/** What an officer asks to be removed from a PDF: phrases, patterns and areas, each box labelled. */
export interface PdfRedactionRequest {
  phrases: readonly string[];
  patterns: readonly RedactionPattern[];
  areas: readonly RedactionArea[];
  /** The exemption written in each box, e.g. "s.40(2)". */
  label: string;
}

/**
 * True redaction of a PDF on a request (ICO, "How to disclose information safely": remove, do not cover): the
 * text, images and line art under every phrase, pattern and area are taken out of the file, each box labelled
 * with the exemption, and the redacted copy goes out instead of the original. The history records how many
 * areas and the labels, never the words removed.
 */
export async function makeRedactedCopy(
  db: Kysely<Database>,
  files: FileStore,
  requestId: number,
  documentId: number,
  redaction: PdfRedactionRequest,
  actor: Actor,
  now: Date,
): Promise<{ id: number; filename: string; areas: number }> {
  const label = redaction.label.trim();
  if (!label) throw invalid("label", "Enter the exemption to write in each box, for example s.40(2)");
  if (label.length > 40) throw invalid("label", "The exemption must be 40 characters or fewer");
  if (redaction.phrases.length === 0 && redaction.patterns.length === 0 && redaction.areas.length === 0)
    throw invalid("phrases", "Enter a phrase, choose a pattern or mark an area to remove");
  const original = await requestDocument(db, requestId, documentId);
  let result: Awaited<ReturnType<typeof redactPdf>>;
  try {
    result = await redactPdf(await files.get(original.storage_key), {
      find: redactionFinder(redaction.phrases, redaction.patterns),
      areas: redaction.areas,
      label,
    });
  } catch (error) {
    if (error instanceof FileRefused) throw invalid("document", `It cannot be redacted: ${error.message}`);
    throw error;
  }
  if (result.redacted.length === 0)
    throw invalid("phrases", "Nothing was found to remove: check the phrases, patterns and areas");
  const filename = original.filename.replace(/(\.pdf)?$/i, "-redacted.pdf");
  const labels = [...new Set(result.redacted.map((area) => area.label).filter(Boolean))];
  const id = await storeCopy(
    db,
    files,
    original,
    {
      filename,
      mediaType: formatFiles.pdf.mediaType,
      bytes: result.bytes,
      format: "pdf",
      findings: (await inspectFile(filename, result.bytes)).findings,
    },
    {
      type: "document-redacted",
      details: { redactedFilename: filename, areas: result.redacted.length, labels },
    },
    actor,
    now,
  );
  return { id, filename, areas: result.redacted.length };
}

/** An approver who did not upload the file releases it as it is, findings and all, with a reason. */
export async function releaseAsIs(
  db: Kysely<Database>,
  files: FileStore,
  requestId: number,
  documentId: number,
  reason: string,
  actor: Actor,
  now: Date,
): Promise<void> {
  // The same people who sign off replies (users/abilities.ts).
  assertCan(actor, "release-file-as-is");
  const why = reason.trim();
  if (!why) throw invalid("reason", "Say why the file can be released as it is");
  if (why.length > 2000) throw invalid("reason", "The reason must be 2,000 characters or fewer");
  const document = await db
    .selectFrom("documents")
    .selectAll()
    .where("id", "=", documentId)
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  if (!document) throw new DomainError("not-found", "There is no such document");
  // Four eyes: the person who put the file on the case does not also wave it through.
  if (document.uploaded_by === actor.label)
    throw new DomainError("forbidden", "You uploaded this file: another approver must release it as it is");
  await db.transaction().execute(async (trx) => {
    const check = (await documentChecks(trx, files, [documentId], now)).get(documentId)!;
    await trx
      .updateTable("document_checks")
      .set({ released_by: actor.label, released_reason: why, released_at: now })
      .where("document_id", "=", documentId)
      .execute();
    await recordEvent(
      trx,
      requestId,
      "document-released-as-is",
      {
        documentId,
        filename: document.filename,
        reason: why,
        findings: check.findings.length,
        refused: check.refused,
      },
      actor,
      now,
    );
  });
}

export interface AuditedFile {
  documentId: number;
  file: string;
  sentAt: Date | null;
  published: boolean;
  format: string | null;
  findings: Finding[];
  error: string | null;
}

export interface AuditedRequest {
  reference: string;
  requestId: number;
  files: AuditedFile[];
}

/**
 * Breach triage (the ICO expects a report within 72 hours, UK GDPR Art. 33): inspects every file already sent
 * to a requester or published (the reply letter included, the never-sent Word copy not), afresh and without
 * changing anything, and lists what each holds, by request. Files were sent before inspection began too.
 */
export async function auditReleasedFiles(db: Kysely<Database>, files: FileStore): Promise<AuditedRequest[]> {
  const rows = await db
    .selectFrom("documents")
    .innerJoin("requests", "requests.id", "documents.request_id")
    .leftJoin("replies", "replies.request_id", "documents.request_id")
    .select([
      "documents.id",
      "documents.request_id",
      "documents.filename",
      "documents.storage_key",
      "requests.reference",
      "replies.sent_at",
      "replies.word_document_id",
    ])
    .where("documents.part_of_reply", "=", true)
    .orderBy("documents.request_id")
    .orderBy("documents.id")
    .execute();
  const published = new Set(
    (
      await db
        .selectFrom("published_attachments")
        .innerJoin("published_replies", "published_replies.id", "published_attachments.published_reply_id")
        .select("published_attachments.storage_key")
        .where("published_replies.withdrawn_at", "is", null)
        .where("published_attachments.storage_key", "is not", null)
        .execute()
    ).map((row) => row.storage_key),
  );
  const byRequest = new Map<number, AuditedRequest>();
  for (const row of rows) {
    if (row.id === row.word_document_id) continue;
    let entry = byRequest.get(row.request_id);
    if (!entry) {
      entry = { reference: row.reference, requestId: row.request_id, files: [] };
      byRequest.set(row.request_id, entry);
    }
    const file: AuditedFile = {
      documentId: row.id,
      file: row.filename,
      sentAt: row.sent_at,
      published: published.has(row.storage_key),
      format: null,
      findings: [],
      error: null,
    };
    try {
      const inspection = await inspectFile(row.filename, await files.get(row.storage_key));
      file.format = inspection.format;
      file.findings = inspection.findings;
    } catch (error) {
      if (
        !(error instanceof FileRefused) &&
        !(error instanceof Error && /no such|ENOENT|not found/i.test(error.message))
      )
        throw error;
      file.error = error.message;
    }
    entry.files.push(file);
  }
  return [...byRequest.values()];
}
