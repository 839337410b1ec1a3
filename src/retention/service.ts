import type { Kysely } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database, RetentionRecordType } from "../db/index.ts";
import { DomainError, invalid } from "../errors.ts";
import { destroyRequestMail, type MailTransport } from "../mail/index.ts";
import {
  type Actor,
  detachRequester,
  lockedRequest,
  recordEvent,
  requestIdByReference,
  retentionCandidates,
} from "../requests/index.ts";
import type { FileStore } from "../storage/index.ts";
import { assertCan } from "../users/index.ts";
import * as repo from "./repo.ts";
import { legalHold, recordTypeLabels, recordTypeOf, recordTypes, retentionEnds } from "./rules.ts";

// Retention: the schedule a manager sets, holds, what is due, and anonymisation. Each anonymised request gets
// one "anonymised" event saying what was destroyed (counts and kinds, never the data); its personal values
// are destroyed in the same transaction, and its files removed from the store once that has committed (a
// file left behind by a crash in between is found by the orphan check).

type Db = Kysely<Database>;

/** Where the mail transport keeps copies of sent messages (the outbox folder's .eml files), to destroy them. */
export type MailCopies = Pick<MailTransport, "discard">;

export interface ScheduleEntry {
  recordType: RetentionRecordType;
  label: string;
  /** Months after closure; null: no period set, so such records are kept. */
  months: number | null;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export async function retentionSchedule(db: Db): Promise<ScheduleEntry[]> {
  const rows = new Map((await repo.scheduleRows(db)).map((row) => [row.record_type, row]));
  return recordTypes.map((recordType) => {
    const row = rows.get(recordType);
    return {
      recordType,
      label: recordTypeLabels[recordType],
      months: row?.months ?? null,
      updatedBy: row?.updated_by ?? null,
      updatedAt: row?.updated_at ?? null,
    };
  });
}

export function parseRecordType(value: unknown, field = "recordType"): RetentionRecordType {
  if (typeof value === "string" && (recordTypes as readonly string[]).includes(value))
    return value as RetentionRecordType;
  throw invalid(field, `Choose a record type: ${recordTypes.join(", ")}`);
}

export function parseMonths(value: unknown, field = "months"): number {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  if (!/^\d{1,4}$/.test(text) || Number(text) > 1200)
    throw invalid(field, "Enter the retention period as a whole number of months, from 0 to 1200");
  return Number(text);
}

/** Sets how many months after closure one type of record is kept; a manager's decision. */
export async function setRetentionPeriod(
  db: Db,
  recordType: unknown,
  months: unknown,
  actor: Actor,
  now: Date,
): Promise<ScheduleEntry[]> {
  assertCan(actor, "set-retention-schedule");
  await repo.saveSchedule(db, parseRecordType(recordType), parseMonths(months), actor.label, now);
  return retentionSchedule(db);
}

/** Fills in every period not yet set from `schedule` (the demo's); periods a manager set are kept. */
export async function seedRetentionSchedule(
  db: Db,
  schedule: Record<RetentionRecordType, number>,
  by: string,
  now: Date,
): Promise<void> {
  const set = new Set((await repo.scheduleRows(db)).map((row) => row.record_type));
  for (const recordType of recordTypes)
    if (!set.has(recordType)) await repo.saveSchedule(db, recordType, schedule[recordType], by, now);
}

export interface RetentionRecord {
  requestId: number;
  reference: string;
  recordType: RetentionRecordType;
  closedOn: string;
  /** The first day it may be anonymised. */
  retainUntil: string;
}

export interface HeldRecord extends RetentionRecord {
  hold: string;
}

export interface DueReport {
  today: string;
  /** Requests whose retention period has ended and that nothing holds: what the next run anonymises. */
  due: RetentionRecord[];
  /** Requests whose period has ended but a legal hold keeps. */
  held: HeldRecord[];
  /** Unprocessed email whose period has ended. */
  emails: { id: number; closedOn: string; retainUntil: string }[];
}

type Candidate = Awaited<ReturnType<typeof retentionCandidates>>[number];

function holdOf(candidate: Candidate, today: string): string | null {
  return legalHold(
    {
      state: candidate.state,
      decisionNoticeDate: candidate.decision_notice_date,
      managerHolds: candidate.manager_holds,
    },
    today,
  );
}

/** What the schedule makes due on `now`'s date (London), and what a hold keeps: the list a manager checks. */
export async function dueForAnonymisation(db: Db, now: Date): Promise<DueReport> {
  const today = londonDate(now);
  const periods = new Map((await repo.scheduleRows(db)).map((row) => [row.record_type, row.months]));
  const report: DueReport = { today, due: [], held: [], emails: [] };
  for (const candidate of await retentionCandidates(db)) {
    const recordType = recordTypeOf({
      regime: candidate.regime,
      state: candidate.state,
      reviewed: candidate.reviewed,
      regulator: candidate.regulator,
    });
    const months = periods.get(recordType);
    if (months === undefined || !candidate.closed_at) continue;
    const closedOn = londonDate(candidate.closed_at);
    const retainUntil = retentionEnds(closedOn, months);
    if (retainUntil > today) continue;
    const record = {
      requestId: candidate.id,
      reference: candidate.reference,
      recordType,
      closedOn,
      retainUntil,
    };
    const hold = holdOf(candidate, today);
    if (hold) report.held.push({ ...record, hold });
    else report.due.push(record);
  }
  const emailMonths = periods.get("unprocessed-email");
  if (emailMonths !== undefined)
    for (const email of await repo.unprocessedEmails(db)) {
      const closedOn = londonDate(email.closed_at);
      const retainUntil = retentionEnds(closedOn, emailMonths);
      if (retainUntil <= today) report.emails.push({ id: email.id, closedOn, retainUntil });
    }
  return report;
}

/** What one anonymisation or erasure destroyed: kinds and counts, never the data (the event's payload). */
export interface Destroyed {
  requester: string[];
  requestText: boolean;
  personalValues: number;
  documents: number;
  documentsKeptAsPublished: number;
  correspondence: number;
  sentEmails: number;
  /** Messages in the mail outbox (undelivered ones are never sent) and stored copies of sent ones. */
  outboxMessages: number;
  storedEmailCopies: number;
  drafts: number;
  redactionPhrases: number;
}

/**
 * Destroys one request's personal data in one transaction, recorded as event `eventType` on its history;
 * then removes its files from the store and the mail transport's copies of its sent email. Refused
 * (conflict) while a legal hold applies.
 */
export async function destroyRequestData(
  db: Db,
  files: FileStore,
  requestId: number,
  eventType: "anonymised" | "requester-erased",
  why: Record<string, unknown>,
  actor: Actor,
  now: Date,
  mailCopies?: MailCopies,
): Promise<Destroyed> {
  const today = londonDate(now);
  const { destroyed, keys, copies } = await db.transaction().execute(async (trx) => {
    const row = await lockedRequest(trx, requestId);
    if (!row) throw new DomainError("not-found", "There is no such request");
    if (row.anonymised_at) throw new DomainError("conflict", `${row.reference} has already been anonymised`);
    const [candidate] = await retentionCandidates(trx, { requestIds: [requestId] });
    const hold = candidate ? holdOf(candidate, today) : null;
    if (hold) throw new DomainError("conflict", `${row.reference} is under a legal hold: ${hold}`);
    const documents = await repo.documentsWithPublication(trx, requestId);
    const unpublished = documents.filter((document) => !document.published);
    await repo.deleteDocuments(
      trx,
      requestId,
      unpublished.map((document) => document.id),
    );
    const mail = await repo.destroyReceivedMail(trx, { requestId }, now);
    const rest = await repo.destroyRequestPersonalData(trx, requestId);
    const email = await destroyRequestMail(trx, requestId, now);
    await detachRequester(trx, requestId, row.requester_id, now);
    const counted: Destroyed = {
      requester: ["name", "email", "address", "organisation", "tracking link"],
      requestText: true,
      personalValues: 0,
      documents: unpublished.length,
      documentsKeptAsPublished: documents.length - unpublished.length,
      correspondence: mail.count,
      sentEmails: email.sentEmails,
      outboxMessages: email.outbox,
      storedEmailCopies: email.storedCopies.length,
      ...rest,
    };
    const { seq } = await recordEvent(trx, requestId, eventType, { ...why, destroyed: counted }, actor, now);
    // The values go after the event that records them going: verify checks each points at such an event.
    counted.personalValues = await repo.destroyPersonalValues(trx, requestId, seq, now);
    return {
      destroyed: counted,
      keys: [...unpublished.map((document) => document.storage_key), ...mail.keys],
      copies: email.storedCopies,
    };
  });
  for (const key of keys) await files.delete(key);
  for (const fileName of copies) await mailCopies?.discard(fileName);
  return destroyed;
}

export interface AnonymisationRun {
  today: string;
  dryRun: boolean;
  anonymised: (RetentionRecord & { destroyed?: Destroyed })[];
  held: HeldRecord[];
  failed: { reference: string; error: string }[];
  emails: number;
}

const SYSTEM: Actor = { userId: null, label: "foidesk retention schedule", role: "system" };

/**
 * Anonymises every request that is due (and destroys due unprocessed email). `dryRun` lists what would be
 * destroyed and changes nothing. One request failing does not stop the others.
 */
export async function anonymiseDue(
  db: Db,
  files: FileStore,
  now: Date,
  options: { dryRun?: boolean; actor?: Actor; mailCopies?: MailCopies } = {},
): Promise<AnonymisationRun> {
  const report = await dueForAnonymisation(db, now);
  const run: AnonymisationRun = {
    today: report.today,
    dryRun: options.dryRun === true,
    anonymised: [],
    held: report.held,
    failed: [],
    emails: report.emails.length,
  };
  if (run.dryRun) {
    run.anonymised = report.due;
    return run;
  }
  const periods = new Map((await repo.scheduleRows(db)).map((row) => [row.record_type, row.months]));
  for (const record of report.due) {
    try {
      const destroyed = await destroyRequestData(
        db,
        files,
        record.requestId,
        "anonymised",
        {
          recordType: record.recordType,
          retentionMonths: periods.get(record.recordType) ?? null,
          closedOn: record.closedOn,
        },
        options.actor ?? SYSTEM,
        now,
        options.mailCopies,
      );
      run.anonymised.push({ ...record, destroyed });
    } catch (error) {
      run.failed.push({ reference: record.reference, error: (error as Error).message });
    }
  }
  if (report.emails.length) {
    const ids = report.emails.map((email) => email.id);
    const { keys } = await db.transaction().execute((trx) => repo.destroyReceivedMail(trx, { ids }, now));
    for (const key of keys) await files.delete(key);
  }
  return run;
}

/** Places a manager's legal hold on a request: nothing of it is destroyed until the hold is lifted. */
export async function placeLegalHold(
  db: Db,
  requestId: number,
  reason: unknown,
  actor: Actor,
  now: Date,
): Promise<{ holdId: number }> {
  assertCan(actor, "place-legal-hold");
  const why = typeof reason === "string" ? reason.trim() : "";
  if (!why)
    throw invalid("reason", "Enter why the request is held (for example, the litigation it concerns)");
  if (why.length > 2000) throw invalid("reason", "Keep the reason under 2,000 characters");
  return db.transaction().execute(async (trx) => {
    const [candidate] = await retentionCandidates(trx, { requestIds: [requestId] });
    if (!candidate) throw new DomainError("not-found", "There is no such request, or it has been anonymised");
    const { id } = await repo.insertHold(trx, requestId, why, actor.label, now);
    await recordEvent(trx, requestId, "legal-hold-placed", { holdId: id, reason: why }, actor, now);
    return { holdId: id };
  });
}

/** A hold placed on the request with this reference (as staff and the CLI know it). */
export async function placeLegalHoldByReference(
  db: Db,
  reference: unknown,
  reason: unknown,
  actor: Actor,
  now: Date,
): Promise<{ holdId: number; requestId: number }> {
  assertCan(actor, "place-legal-hold");
  const text = typeof reference === "string" ? reference.trim() : "";
  if (!text) throw invalid("reference", "Enter the request's reference");
  const request = await requestIdByReference(db, text);
  if (!request) throw invalid("reference", `There is no request ${text}`);
  return { ...(await placeLegalHold(db, request.id, reason, actor, now)), requestId: request.id };
}

/** Lifts a hold; `reason`, when given (the back office always asks), must say why and is recorded. */
export async function liftLegalHold(
  db: Db,
  holdId: number,
  actor: Actor,
  now: Date,
  reason?: unknown,
): Promise<void> {
  assertCan(actor, "lift-legal-hold");
  const why = typeof reason === "string" ? reason.trim() : "";
  if (reason !== undefined && !why)
    throw invalid("reason", "Enter why the hold is lifted (for example, the claim was settled)");
  if (why.length > 2000) throw invalid("reason", "Keep the reason under 2,000 characters");
  await db.transaction().execute(async (trx) => {
    const lifted = await repo.liftHold(trx, holdId, actor.label, now);
    if (!lifted) throw new DomainError("not-found", "There is no such hold in force", "holdId");
    await recordEvent(
      trx,
      lifted.request_id,
      "legal-hold-lifted",
      { holdId, ...(why ? { reason: why } : {}) },
      actor,
      now,
    );
  });
}

export async function legalHolds(db: Db) {
  return repo.holdsInForce(db);
}

export interface OrphanCheck {
  /** Files in the store that nothing in the database refers to. */
  orphans: string[];
  /** Of those, the ones removed (only with `remove`, and only files older than an hour). */
  removed: string[];
}

/** A file is younger than this while a document is being added (stored first, then committed). */
const ORPHAN_GRACE_MS = 60 * 60_000;

/** Compares the file store with the database; with `remove`, deletes orphans older than an hour. */
export async function checkOrphanFiles(
  db: Db,
  files: FileStore,
  now: Date,
  options: { remove?: boolean } = {},
): Promise<OrphanCheck> {
  const referenced = await repo.referencedFileKeys(db);
  const check: OrphanCheck = { orphans: [], removed: [] };
  for await (const file of files.list()) {
    if (referenced.has(file.key)) continue;
    check.orphans.push(file.key);
    if (options.remove && now.getTime() - file.storedAt.getTime() >= ORPHAN_GRACE_MS) {
      await files.delete(file.key);
      check.removed.push(file.key);
    }
  }
  return check;
}
