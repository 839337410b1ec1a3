import type { Kysely } from "kysely";
import { type AuthorityProfile, authorityProfile } from "../authority/index.ts";
import {
  addMonthsClamped,
  formatIsoDate,
  type ImportedHolidays,
  londonDate,
  tryParseIsoDate,
  workingCalendar,
} from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError, invalid, parseInput } from "../errors.ts";
import {
  type ClockEvent,
  type ClockSettings,
  feeLapseDate,
  type InformationRegime,
  isEnvironmental,
  isScottishAuthority,
  isSubjectAccess,
  regimeRule,
  timeLeft,
} from "../law/index.ts";
import { type FileStore, newStorageKey, type StagedFile } from "../storage/index.ts";
import { can } from "../users/index.ts";
import { type Action, actionSchema } from "./actions.ts";
import {
  applyToClock,
  type ClockedRequest,
  clockUnderRegime,
  currentDeadline,
  deadlineKindOf,
  decisionNoticeFacts,
  dueColumns,
  isAtRegulatorStage,
  standingOf,
} from "./clock.ts";
import { eventOf, type HistoryEvent, lastEventOf } from "./events.ts";
import { checkChain } from "./history.ts";
import { newRequestSchema, splitQuestions, validityProblems } from "./intake.ts";
import { appendEvent } from "./record-event.ts";
import { formatReference } from "./reference.ts";
import { repeatWarnings } from "./repeats.ts";
import * as replyRepo from "./reply-repo.ts";
import { postalState, replyGuardState } from "./reply-state.ts";
import type { QueueCursor } from "./repo.ts";
import * as repo from "./repo.ts";
import { assertMayRead, maySeeSubjectAccess, policyOf, recordSarDocumentView } from "./sar-access.ts";
import {
  type Actor,
  allowedActions,
  type Effect,
  type GuardContext,
  isOpen,
  letterAwaitingPostRefusal,
  type ReplyGuardState,
  type RequestState,
  refusalFor,
  regimesForAuthority,
  stateAfterRegimeChange,
  transitionFor,
} from "./workflow.ts";

export type { QueueCursor };

// Casework: every change to a request is one transaction that appends one hash-chained event and updates the
// cached state, clock and due date on the request row. Handlers call these functions and nothing else.

type Db = Kysely<Database>;

export interface AuthorityClock {
  settings: ClockSettings;
  unitCode: string;
  referencePattern: string;
  /** A Scottish public authority: FOISA and the EISR apply, not FOIA and the EIR. */
  scottish: boolean;
}

const importedHolidayCache = new Map<string, ImportedHolidays>();

/** The authority's clock settings; imported holidays are kept by content, so their calendar is built once. */
export async function authorityClock(db: Db | repo.Tx): Promise<AuthorityClock> {
  return clockOf(await authorityProfile(db));
}

/** The clock from the authority's settings (read already by a caller that needs its other settings too). */
function clockOf(authority: AuthorityProfile): AuthorityClock {
  const settings: ClockSettings = { receiptReading: authority.receiptReading };
  if (authority.importedHolidays) {
    const key = JSON.stringify(authority.importedHolidays);
    let holidays = importedHolidayCache.get(key);
    if (!holidays) {
      holidays = authority.importedHolidays;
      importedHolidayCache.set(key, holidays);
    }
    settings.extraHolidays = holidays;
  }
  return {
    settings,
    unitCode: authority.unitCode,
    referencePattern: authority.referencePattern,
    scottish: isScottishAuthority(authority.jurisdiction),
  };
}

export interface CreatedRequest {
  id: number;
  reference: string;
  state: RequestState;
  dueDate: string | null;
  valid: boolean;
  problems: string[];
}

/** Logs a new request: its reference, its requester, its first event and its due date, in one transaction. */
export async function createRequest(
  db: Db,
  input: unknown,
  actor: Actor,
  now: Date,
): Promise<CreatedRequest> {
  const request = parseInput(newRequestSchema, input);
  const today = londonDate(now);
  if (request.receivedDate > today)
    throw invalid("receivedDate", "The date received cannot be in the future");
  // As for the assign action: an officer may take a new request, allocating it to others is a manager's call.
  const assigning = can(actor, "assign-request", { assigneeId: request.assigneeId });
  if (request.assigneeId !== undefined && !assigning.allowed)
    throw new DomainError("forbidden", assigning.reason, "assigneeId");
  const problems = validityProblems(request);
  const valid = problems.length === 0;
  const questions = request.questions?.length ? request.questions : splitQuestions(request.body);
  return db.transaction().execute(async (trx) => {
    const clock = await authorityClock(trx);
    if (request.assigneeId !== undefined && !(await repo.activeUser(trx, request.assigneeId)))
      throw invalid("assigneeId", "Choose a member of staff who can be assigned requests");
    // One place for every channel: a request nobody gave a team (the public site, the API, email) joins the
    // authority's intake team, so that it shows in a team's work queue rather than in no one's.
    const teamId = request.teamId ?? (await repo.intakeTeamId(trx));
    const requesterId = await repo.findOrCreateRequester(trx, request.requester);
    const year = Number(request.receivedDate.slice(0, 4));
    const seq = await repo.allocateSequence(trx, request.regime, year);
    const reference = formatReference(clock.referencePattern, {
      unit: clock.unitCode,
      regime: request.regime,
      year,
      seq,
    });
    const state: RequestState = valid ? "received" : "invalid";
    const deadline = valid
      ? currentDeadline(
          {
            regime: request.regime,
            state,
            receivedDate: request.receivedDate,
            clock: [],
            reviewReceivedDate: null,
          },
          clock.settings,
          today,
        )
      : null;
    const { id } = await trx
      .insertInto("requests")
      .values({
        reference,
        regime: request.regime,
        channel: request.channel,
        received_date: request.receivedDate,
        body: request.body,
        questions: JSON.stringify(questions),
        topic: request.topic ?? null,
        state,
        outcome: null,
        valid,
        invalid_reason: valid ? null : problems.join("; "),
        clock: "[]",
        ...dueColumns(request.regime, state, [], deadline),
        review_received_date: null,
        review_outcome: null,
        requester_id: requesterId,
        assignee_id: request.assigneeId ?? null,
        team_id: teamId,
        created_at: now,
        updated_at: now,
        updated_by: actor.label,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const payload = {
      regime: request.regime,
      channel: request.channel,
      receivedDate: request.receivedDate,
      ...(valid ? {} : { problems }),
    };
    await appendEvent(trx, id, 1, valid ? "created" : "recorded-invalid", payload, actor, now);
    return { id, reference, state, dueDate: deadline?.dueDate ?? null, valid, problems };
  });
}

function guardContext(
  row: repo.RequestRowLike,
  events: readonly HistoryEvent[],
  actor: Actor,
  input: Action | ReplyAction,
  today: string,
  reply: ReplyGuardState | null,
  scottish: boolean,
): GuardContext {
  const lastSubmit = lastEventOf(events, "submit-for-approval");
  const lastClarification = (row.clock as ClockEvent[]).findLast(
    (event) => event.kind === "clarification" || event.kind === "fee",
  );
  return {
    request: {
      regime: row.regime,
      state: row.state,
      assigneeId: row.assignee_id,
      clockStopped: row.clock_stopped,
      lastClarificationRequested:
        lastClarification && "requested" in lastClarification ? lastClarification.requested : null,
      dueDate: row.due_date,
      feeRequested: unpaidFeeNotice(row.clock as ClockEvent[]),
    },
    submittedBy: lastSubmit?.actorId ?? null,
    draftEditors: draftEditorsSinceReturn(events),
    originalDecisionTakers: originalDecisionTakers(events),
    regulator: decisionNoticeFacts(row.regime, events),
    approvedOutcome: row.state === "approved" ? (lastSubmit?.payload.outcome ?? null) : null,
    letterAwaitingPost: letterAwaitingPost(events),
    reply,
    actor,
    input: input as Record<string, unknown>,
    today,
    scottish,
  };
}

/** The reply's or the review letter's letter generated to be posted and not yet recorded as posted, if any. */
function letterAwaitingPost(events: readonly HistoryEvent[]): GuardContext["letterAwaitingPost"] {
  for (const letter of ["review", "reply"] as const) {
    const { awaitingPost, generatedOn } = postalState(events, letter);
    if (awaitingPost) return { letter, generatedOn };
  }
  return null;
}

/** The events by which a person takes part in a decision on the request (drafting, sign-off, sending it). */
const decisionEvents = new Set([
  "draft-reply",
  "submit-for-approval",
  "approve",
  "send-reply",
  "record-outcome",
]);

/**
 * Who took part in the decision now under internal review: everyone before the review was asked for. Not
 * whoever recorded a posted letter as posted (the outcome recorded with it is the sent letter's): that is
 * clerical, and does not stop them reviewing.
 */
function originalDecisionTakers(events: readonly HistoryEvent[]): number[] {
  const asked = events.findLastIndex((event) => event.type === "request-review");
  const before = asked < 0 ? events : events.slice(0, asked);
  return [
    ...new Set(
      before.flatMap((event, index) =>
        decisionEvents.has(event.type) &&
        event.actorId !== null &&
        !(event.type === "record-outcome" && before[index - 1]?.type === "record-posted")
          ? [event.actorId]
          : [],
      ),
    ),
  ];
}

/** Everyone who saved the draft reply since it was last returned for changes (four-eyes compares them). */
function draftEditorsSinceReturn(events: readonly HistoryEvent[]): number[] {
  const returned = events.findLastIndex((event) => event.type === "return-for-changes");
  return [
    ...new Set(
      events
        .slice(returned + 1)
        .flatMap((event) => (event.type === "draft-reply" && event.actorId !== null ? [event.actorId] : [])),
    ),
  ];
}

/** The day the fees notice still awaiting payment was given, if one is. */
function unpaidFeeNotice(clock: readonly ClockEvent[]): string | null {
  const fee = clock.findLast((event) => event.kind === "fee");
  return fee?.kind === "fee" && !fee.paid ? fee.requested : null;
}

/** foidesk itself, when a rule acts with no one pressing a button (a fees notice lapsing). */
export const systemActor: Actor = { userId: null, label: "foidesk", role: "system" };

/**
 * A fees notice unpaid three months after it was given lapses by itself (FOIA s.9(2), FOISA s.9(4)): the
 * request is closed as lapsed, dated the day the period ended, by foidesk. Run when the request is read and
 * by the hourly job, with the injected clock, so the same day always gives the same answer. Returns whether
 * it lapsed now.
 */
export async function lapseUnpaidFee(db: Db, requestId: number, now: Date): Promise<boolean> {
  const today = londonDate(now);
  return db.transaction().execute(async (trx) => {
    const row = await repo.lockRequest(trx, requestId);
    if (row?.state !== "awaiting-fee") return false;
    const notice = unpaidFeeNotice(row.clock as ClockEvent[]);
    const lapse = notice ? feeLapseDate(row.regime, notice) : null;
    if (!notice || !lapse || lapse > today) return false;
    const reason = `The fee was not paid within three months of the fees notice of ${notice} (${regimeRule(row.regime)!.feeLapse!.provision})`;
    await actOnRequest(trx, requestId, { type: "lapse", date: lapse, reason }, row.version, systemActor, now);
    return true;
  });
}

/** Lapses every request whose fees notice has run out (the hourly job and `foidesk` commands call it). */
export async function lapseUnpaidFees(db: Db, now: Date): Promise<string[]> {
  const lapsed: string[] = [];
  for (const candidate of await repo.requestsInState(db, "awaiting-fee")) {
    if (await lapseUnpaidFee(db, candidate.id, now)) lapsed.push(candidate.reference);
  }
  return lapsed;
}

function clocked(row: repo.RequestRowLike): ClockedRequest {
  return {
    regime: row.regime,
    state: row.state,
    receivedDate: row.received_date,
    clock: row.clock as ClockEvent[],
    reviewReceivedDate: row.review_received_date,
  };
}

export interface ActionResult {
  id: number;
  reference: string;
  state: RequestState;
  version: number;
  dueDate: string | null;
}

/**
 * Takes one action on a request read at `expectedVersion`. A stale version, an action not allowed from the
 * state, a role that may not take it or a guard that fails is refused, and nothing is written. `alongside`
 * writes what goes with the action in its transaction, such as the email that announces it (the mail outbox).
 */
export async function performAction(
  db: Db,
  requestId: number,
  input: unknown,
  expectedVersion: number,
  actor: Actor,
  now: Date,
  alongside?: (trx: repo.Tx, result: ActionResult) => Promise<void>,
): Promise<ActionResult> {
  const action = parseInput(actionSchema, input);
  return db.transaction().execute(async (trx) => {
    const result = await actOnRequest(trx, requestId, action, expectedVersion, actor, now);
    await alongside?.(trx, result);
    return result;
  });
}

/**
 * The actions that write rows of their own beside the event, with what they record: the reply's and the review
 * letter's save and send (reply-draft.ts, reply-send.ts), and the acknowledgement with how it went
 * (acknowledge.ts).
 */
export type ReplyAction =
  | ({ type: "draft-reply" } & Record<string, unknown>)
  | ({ type: "send-reply" } & Record<string, unknown>)
  | ({ type: "draft-review-letter" } & Record<string, unknown>)
  | ({ type: "send-review-letter" } & Record<string, unknown>)
  | { type: "record-posted"; date: string }
  | { type: "record-review-posted"; date: string }
  | ({ type: "acknowledge" } & Record<string, unknown>);

/**
 * Whether `actor` may take `action` on the request read at `expectedVersion`: the row (locked), its history
 * and the authority's clock when so, the refusal as a DomainError when not. Nothing is written.
 */
async function checkAction(
  trx: repo.Tx,
  requestId: number,
  action: Action | ReplyAction,
  expectedVersion: number,
  actor: Actor,
  today: string,
) {
  const row = await repo.lockRequest(trx, requestId);
  if (!row) throw new DomainError("not-found", "There is no such request");
  if (row.version !== expectedVersion) {
    const when = row.updated_at.toISOString().replace("T", " ").slice(0, 16);
    throw new DomainError(
      "conflict",
      `This request was changed by ${row.updated_by} at ${when} UTC; reload it to see the change`,
      "version",
    );
  }
  const events = await repo.requestEvents(trx, requestId);
  const transition = transitionFor(action.type);
  const reply =
    transition.reply || transition.letter
      ? await replyGuardState(trx, requestId, transition.letter, events)
      : null;
  const authority = await authorityClock(trx);
  const refusal = refusalFor(
    action.type,
    guardContext(row, events, actor, action, today, reply, authority.scottish),
  );
  if (refusal?.kind === "reply")
    throw new DomainError("invalid", refusal.message, refusal.problems?.[0]?.field, refusal.problems);
  if (refusal)
    throw new DomainError(
      refusal.kind === "role" ? "forbidden" : "conflict",
      refusal.message,
      refusal.field ?? "type",
    );
  return { row, events, authority };
}

/**
 * Refuses, as performAction would, an action that may not be taken now; writes nothing. For an action whose
 * effect leaves foidesk before it is recorded (an acknowledgement emailed), so that none goes out in vain.
 */
export async function assertActionAllowed(
  db: Db,
  requestId: number,
  action: Action | ReplyAction,
  expectedVersion: number,
  actor: Actor,
  now: Date,
): Promise<void> {
  await db
    .transaction()
    .execute((trx) => checkAction(trx, requestId, action, expectedVersion, actor, londonDate(now)));
}

/**
 * The request's columns an effect sets: each from the input's field it names, or cleared. The input has been
 * parsed by the action's schema (actions.ts), which gives each field the column's type.
 */
function columnsFromInput(set: Effect["set"], input: Readonly<Record<string, unknown>>): repo.RequestChanges {
  const changes: Record<string, unknown> = {};
  for (const [column, field] of Object.entries(set ?? {}))
    changes[column] = field === null ? null : input[field];
  return changes as repo.RequestChanges;
}

/**
 * performAction inside the caller's transaction, for an action already parsed: the reply's save and send
 * write their own rows in the same transaction as the event.
 */
export async function actOnRequest(
  trx: repo.Tx,
  requestId: number,
  action: Action | ReplyAction,
  expectedVersion: number,
  actor: Actor,
  now: Date,
): Promise<ActionResult> {
  const today = londonDate(now);
  {
    const { row, events, authority } = await checkAction(
      trx,
      requestId,
      action,
      expectedVersion,
      actor,
      today,
    );
    // The transition's effect, as the workflow table declares it, applied in its order (workflow.ts, Effect).
    const effect = transitionFor(action.type).effect ?? {};
    const input: Readonly<Record<string, unknown>> = action;
    const problem = effect.check?.(input);
    if (problem) throw invalid(problem.field, problem.message);
    const changes = columnsFromInput(effect.set, input);
    const payload: Record<string, unknown> = { ...action };
    delete payload.type;
    let state = transitionFor(action.type).to ?? row.state;
    if (effect.assignee) {
      const assignee = await repo.activeUser(trx, Number(input[effect.assignee]));
      if (!assignee) throw invalid("assigneeId", "Choose a member of staff who can be assigned requests");
      changes.assignee_id = assignee.id;
      const teamId = typeof input.teamId === "number" ? input.teamId : undefined;
      changes.team_id = teamId ?? assignee.team_id ?? row.team_id;
      payload.assigneeName = assignee.display_name;
    }
    if (effect.regimeChange && changes.regime) {
      const { dropped } = clockUnderRegime(row.clock as ClockEvent[], changes.regime);
      state = stateAfterRegimeChange(
        row.state,
        dropped.some((event) => event.kind === "extension"),
      );
      Object.assign(payload, await regimeChangeNotes(trx, row, changes.regime, dropped, state));
    }
    const clock = applyToClock(clocked(row), action, today);
    const deadline = currentDeadline(
      {
        ...clocked(row),
        regime: changes.regime ?? row.regime,
        state,
        clock,
        reviewReceivedDate: changes.review_received_date ?? row.review_received_date,
      },
      authority.settings,
      today,
    );
    if (effect.regimeChange) {
      payload.previousDueDate = row.due_date;
      payload.dueDate = deadline.dueDate;
    }
    const seq = row.version + 1;
    await appendEvent(trx, requestId, seq, action.type, payload, actor, now);
    const columns = dueColumns(
      changes.regime ?? row.regime,
      state,
      [...events, eventOf(action.type, payload)],
      deadline,
    );
    await repo.updateRequest(trx, requestId, {
      ...changes,
      state,
      clock: JSON.stringify(clock),
      ...columns,
      version: seq,
      updated_at: now,
      updated_by: actor.label,
    });
    return { id: requestId, reference: row.reference, state, version: seq, dueDate: columns.due_date };
  }
}

/**
 * What a change of regime says in the history beside the old and new regime and the reason: the received
 * date kept, the reference kept, an extension dropped, the reply's approval undone, the draft reply now
 * checked under the new law (its stored regime follows the request's).
 */
async function regimeChangeNotes(
  trx: repo.Tx,
  row: repo.RequestRowLike,
  regime: string,
  dropped: readonly ClockEvent[],
  state: RequestState,
): Promise<Record<string, unknown>> {
  const notes: Record<string, unknown> = {
    previousRegime: row.regime,
    // EIR reg 5(2), FOIA s.10(1), UK GDPR Art.12(3): the time runs from the date of receipt of the request,
    // whatever law it was first logged under (ICO guidance, "Time limits for compliance under the EIR" and
    // "Receiving a request": decide on receipt whether it is environmental or the requester's own data).
    receivedDate: row.received_date,
    referenceNote: `The reference ${row.reference} is unchanged: its regime code records how the request was first logged`,
  };
  const extension = dropped.find((event) => event.kind === "extension");
  if (extension && extension.kind === "extension") {
    const allowed = regimeRule(regime)?.extension?.type;
    notes.droppedExtension = extension.type;
    notes.extensionNote = `The ${extension.type} extension does not apply under ${regime.toUpperCase()} and is dropped${allowed ? `; extend again as "${allowed}" if the new law's grounds are met` : ": it allows none"}`;
  }
  if (state !== row.state && (row.state === "awaiting-approval" || row.state === "approved"))
    notes.approvalNote =
      "The reply goes back to be worked: it must be checked and approved under the new law";
  if (isSubjectAccess(regime)) {
    if (await replyRepo.replyRow(trx, row.id))
      notes.replyNote =
        "The drafted reply is kept but not sent: a subject access request is answered under the UK GDPR, outside foidesk's reply editor";
  } else if (await replyRepo.setDraftRegime(trx, row.id, regime)) {
    notes.replyNote = `The drafted reply is kept and is now checked against ${regime.toUpperCase()}'s ${isEnvironmental(regime as InformationRegime) ? "exceptions" : "exemptions"}`;
  }
  return notes;
}

export interface TimelineEntry {
  seq: number;
  type: string;
  label: string;
  actor: string;
  occurredAt: Date;
  details: Record<string, unknown>;
}

const eventLabels: Record<string, string> = {
  created: "Request logged",
  "recorded-invalid": "Recorded as not a valid request",
  "document-added": "Document added",
  "document-cleaned": "Clean copy made of a document",
  "document-redacted": "Redacted copy made of a PDF",
  "document-released-as-is": "Document released with its hidden data",
  published: "Published to the disclosure log",
  "publication-withdrawn": "Withdrawn from the disclosure log",
  "redaction-removed": "Publication redaction removed",
  "draft-reply": "Reply drafted",
  acknowledge: "Request acknowledged",
  "acknowledgement-email-failed": "Acknowledgement email not delivered",
  "acknowledgement-email-sent": "Acknowledgement email sent",
  "send-reply": "Reply sent",
  "draft-review-letter": "Review letter drafted",
  "send-review-letter": "Review letter sent",
  "review-letter-email-failed": "Review letter email not delivered",
  "review-letter-email-resent": "Review letter emailed again",
  "reply-email-failed": "Reply email not delivered",
  "reply-email-resent": "Reply emailed again",
  "correspondence-received": "Email received",
  "change-regime": "Law the request is handled under changed",
  anonymised: "Anonymised under the retention schedule",
  "requester-erased": "Requester's personal data erased on request",
  "requester-rectified": "Requester's details corrected on request",
  "legal-hold-placed": "Legal hold placed",
  "legal-hold-lifted": "Legal hold lifted",
};

/** Everything the request page shows, for `viewer`: the actions they may take here come from the table. */
export async function requestDetail(
  db: Db,
  where: { id: number } | { reference: string },
  viewer: Actor,
  now: Date,
) {
  let row = await repo.requestWithPeople(db, where);
  if (!row) throw new DomainError("not-found", "There is no such request");
  await assertMayRead(db, row, viewer);
  // A fees notice that has run out lapses when the request is read (FOIA s.9(2)), not only when the job runs.
  if (row.state === "awaiting-fee" && (await lapseUnpaidFee(db, row.id, now)))
    row = (await repo.requestWithPeople(db, { id: row.id }))!;
  const today = londonDate(now);
  const [events, documents, earlier, authority] = await Promise.all([
    repo.requestEvents(db, row.id),
    repo.requestDocuments(db, row.id),
    // s.14(2) and the 60-working-day aggregation look back about a year at most: not the whole history.
    repo.requestsOfRequesterBetween(
      db,
      row.requester_id,
      shiftYear(row.received_date, -1),
      shiftYear(row.received_date, 1),
    ),
    authorityClock(db),
  ]);
  // The names of a SAR's documents are its requester's personal data too: each time staff see them, it is recorded.
  if (isSubjectAccess(row.regime) && documents.length > 0 && viewer.userId !== null)
    await recordSarDocumentView(
      db,
      { requestId: row.id, documentId: null, what: `Saw the list of its ${documents.length} document(s)` },
      viewer,
      now,
    );
  const atRegulator = isAtRegulatorStage(row.state);
  const deadline =
    row.state === "invalid" || atRegulator ? null : currentDeadline(clocked(row), authority.settings, today);
  // Days left and overdue come from law's timeLeft, as on the work queue and the tracking page. At the
  // regulator stage the deadline is the decision notice's (the due-date columns), never the original reply's.
  const standing = atRegulator
    ? standingOf(
        {
          regime: row.regime,
          state: row.state,
          dueDate: row.due_date,
          dueKind: row.due_kind,
          clockStopped: false,
        },
        authority.settings,
        today,
      )
    : deadline
      ? timeLeft(
          {
            regime: deadline.regime,
            kind: deadlineKindOf(row.state),
            dueDate: deadline.dueDate,
            asOf: today,
            stopped: deadline.stopped,
          },
          authority.settings,
        )
      : null;
  const timeline: TimelineEntry[] = events.map((event) => ({
    seq: event.seq,
    type: event.type,
    label: eventLabels[event.type] ?? transitionLabel(event.type),
    actor: event.actorLabel,
    occurredAt: event.occurredAt,
    details: event.payload,
  }));
  // A viewer who may not see subject access requests is not told of the requester's SARs either.
  const seesSar = isSubjectAccess(row.regime) || (await maySeeSubjectAccess(db, viewer));
  const warnings = repeatWarnings(
    { id: row.id, reference: row.reference, receivedDate: row.received_date, body: row.body },
    earlier
      .filter((other) => seesSar || !isSubjectAccess(other.regime))
      .map((other) => ({
        id: other.id,
        reference: other.reference,
        receivedDate: other.received_date,
        body: other.body,
      })),
  );
  return {
    request: row,
    deadline,
    standing,
    overdue: Boolean(standing?.overdue) && isOpen(row.state),
    timeline,
    documents,
    warnings,
    actions: allowedActions(row.state, viewer.role, row.regime)
      // "Record as posted" only while a letter waits to be posted; while one does, little else.
      .filter(
        (transition) =>
          (transition.action !== "record-posted" || postalState(events, "reply").awaitingPost) &&
          (transition.action !== "record-review-posted" || postalState(events, "review").awaitingPost) &&
          !letterAwaitingPostRefusal(transition.action, letterAwaitingPost(events)),
      )
      .map((transition) => ({
        type: transition.action,
        label: transition.label,
      })),
    /** The laws this request could be moved to ("change-regime"): the authority's, but not its own. */
    otherRegimes: regimesForAuthority(authority.scottish).filter((regime) => regime !== row.regime),
  };
}

function shiftYear(date: string, years: number): string {
  return formatIsoDate(addMonthsClamped(tryParseIsoDate(date), 12 * years));
}

function transitionLabel(type: string): string {
  try {
    return transitionFor(type as Action["type"]).label;
  } catch {
    return type;
  }
}

export interface WorkQueueFilter {
  assigneeId?: number | undefined;
  teamId?: number | undefined;
  state?: RequestState | undefined;
  regime?: string | undefined;
  dueWithinWorkingDays?: number | undefined;
  overdue?: boolean | undefined;
  /** The page's number, as the page says it ("51 to 100"); without a cursor, also which rows it holds. */
  page?: number | undefined;
  pageSize?: number | undefined;
  /** The page after this row (the queue's "next" link): read on from it, however deep. */
  after?: QueueCursor | undefined;
  /** The page before this row (the "previous" link). */
  before?: QueueCursor | undefined;
}

/** Working days counted as "due soon" on the queue. */
export const DUE_SOON_WORKING_DAYS = 5;
/** The same for subject access requests, counted in calendar days. */
export const DUE_SOON_CALENDAR_DAYS = 7;

export async function workQueue(db: Db, filter: WorkQueueFilter, now: Date, viewer: Actor) {
  const today = londonDate(now);
  const calendar = workingCalendar("uk");
  const todayDay = tryParseIsoDate(today);
  const after = (days: number) => formatIsoDate(calendar.addWorkingDays(todayDay, days));
  const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 200);
  const page = Math.max(filter.page ?? 1, 1);
  // One read of the authority's row for who sees subject access requests and for the clock; the page waits
  // for it only when the viewer's access to SARs depends on it (staff; the system and a requester always see).
  const reading = authorityProfile(db);
  const policy =
    viewer.role === "system" || viewer.role === "requester" ? undefined : policyOf(await reading);
  const query: repo.QueueQuery = {
    assigneeId: filter.assigneeId,
    teamId: filter.teamId,
    state: filter.state,
    regime: filter.regime,
    dueBy: filter.dueWithinWorkingDays !== undefined ? after(filter.dueWithinWorkingDays) : undefined,
    overdueBefore: filter.overdue ? today : undefined,
    withoutSubjectAccess: !(await maySeeSubjectAccess(db, viewer, policy)),
    limit: pageSize,
    offset: (page - 1) * pageSize,
    after: filter.after,
    before: filter.after ? undefined : filter.before,
  };
  const dueSoonBy = after(DUE_SOON_WORKING_DAYS);
  let [result, settings] = await Promise.all([repo.workQueuePage(db, query, today, dueSoonBy), reading]);
  const authority = clockOf(settings);
  // Nothing left on that side of the cursor (its requests were closed since the link was made): the page by
  // its number instead.
  const fromCursor = query.after !== undefined || query.before !== undefined;
  if (fromCursor && result.rows.length === 0)
    result = await repo.workQueuePage(
      db,
      { ...query, after: undefined, before: undefined },
      today,
      dueSoonBy,
    );
  const rows = result.rows.map((row) => {
    // The same answer as the request page's: law's timeLeft, on the regime's calendar (Scotland's for FOISA
    // and the EISR, FOISA s.73) with the authority's imported holidays, in the regime's unit.
    const standing = standingOf(
      {
        regime: row.regime,
        state: row.state,
        dueDate: row.due_date,
        dueKind: row.due_kind,
        clockStopped: row.clock_stopped,
      },
      authority.settings,
      today,
    );
    const unit = standing?.unit ?? regimeRule(row.regime)?.unit ?? "working";
    // A closed appeal window is neither due nor overdue.
    const daysLeft = standing?.closed ? null : (standing?.daysLeft ?? null);
    const soon = unit === "calendar" ? DUE_SOON_CALENDAR_DAYS : DUE_SOON_WORKING_DAYS;
    return {
      ...row,
      daysLeft,
      unit,
      deadlineKind: standing?.kind ?? null,
      overdue: Boolean(standing?.overdue),
      dueSoon: daysLeft !== null && daysLeft >= 0 && daysLeft <= soon,
    };
  });
  const placeOf = (row: { id: number; due_date: string | null }): QueueCursor => ({
    dueDate: row.due_date,
    id: row.id,
  });
  const [first, last] = [rows[0], rows.at(-1)];
  // Reading forwards, a page further on is known from the extra row read; one back exists from any page but
  // the first. Reading backwards, the other way round.
  const hasNext = result.backwards || result.more;
  const hasPrevious = result.backwards ? result.more : page > 1;
  return {
    rows,
    total: result.total,
    counts: result.counts,
    page,
    pageSize,
    pages: Math.max(1, Math.ceil(result.total / pageSize)),
    /** Where the next page starts (after this page's last row), or null at the end of the queue. */
    next: hasNext && last ? placeOf(last) : null,
    /** Where the previous page ends (before this page's first row), or null on the first page. */
    previous: hasPrevious && first ? placeOf(first) : null,
  };
}

/** A requester and every request they have made, with the repeat and aggregation warnings between them. */
export async function requesterHistory(db: Db, requesterId: number, viewer: Actor) {
  const requester = await repo.requesterById(db, requesterId);
  if (!requester) throw new DomainError("not-found", "There is no such requester");
  const seesSar = await maySeeSubjectAccess(db, viewer);
  const requests = (await repo.requestsOfRequester(db, requesterId)).filter(
    (request) => seesSar || !isSubjectAccess(request.regime),
  );
  const others = requests.map((other) => ({
    id: other.id,
    reference: other.reference,
    receivedDate: other.received_date,
    body: other.body,
  }));
  const warnings = others.flatMap((request) =>
    repeatWarnings(request, others).map((warning) => ({ ...warning, about: request.reference })),
  );
  return {
    requester,
    requests,
    warnings: warnings.filter((warning) => warning.about > warning.reference || warning.kind === "repeated"),
  };
}

export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/**
 * The kinds of file a case may hold, by extension (anything else is refused). A Map, so that a name such as
 * `x.constructor` or `x.__proto__` finds nothing rather than a property every object has.
 */
export const documentTypes: ReadonlyMap<string, string> = new Map(
  Object.entries({
    pdf: "application/pdf",
    doc: "application/msword",
    docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    odt: "application/vnd.oasis.opendocument.text",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ods: "application/vnd.oasis.opendocument.spreadsheet",
    csv: "text/csv",
    txt: "text/plain",
    xlsm: "application/vnd.ms-excel.sheet.macroEnabled.12",
    docm: "application/vnd.ms-word.document.macroEnabled.12",
    pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    pptm: "application/vnd.ms-powerpoint.presentation.macroEnabled.12",
    tif: "image/tiff",
    tiff: "image/tiff",
    rtf: "application/rtf",
    eml: "message/rfc822",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
  }),
);

/** The media type for a file name, or null when its kind is not one a case may hold. */
export function documentTypeFor(filename: string): string | null {
  const extension = filename.includes(".") ? (filename.split(".").pop()?.toLowerCase() ?? "") : "";
  return documentTypes.get(extension) ?? null;
}

export const documentTypesText = [...documentTypes.keys()].join(", ");

/** A file for a request: its bytes, or a file already received into the store (an upload, staged). */
export type DocumentUpload = { filename: string } & ({ bytes: Uint8Array } | { content: StagedFile });

/**
 * Stores a file on a request and records it in the history (one event; the request's version moves on). The
 * file is stored only inside the transaction that records it, and removed again if that fails: no file
 * without its row, no row without its file.
 */
export async function addDocument(
  db: Db,
  files: FileStore,
  requestId: number,
  upload: DocumentUpload,
  actor: Actor,
  now: Date,
) {
  const filename = upload.filename.replace(/[\\/]/g, "_").trim().slice(0, 200);
  const mediaType = documentTypeFor(filename);
  if (!filename || !mediaType) throw invalid("file", `The file must be one of: ${documentTypesText}`);
  const sizeBytes = "bytes" in upload ? upload.bytes.byteLength : upload.content.sizeBytes;
  if (sizeBytes === 0) throw invalid("file", "The file is empty");
  if (sizeBytes > MAX_DOCUMENT_BYTES)
    throw new DomainError("too-large", "The file must be smaller than 20 MB", "file");
  const content =
    "bytes" in upload
      ? await files.stage(
          (async function* () {
            yield upload.bytes;
          })(),
        )
      : upload.content;
  const { sha256 } = content;
  // The store accepts only keys it generates (no filename can name a path).
  const key = newStorageKey(now);
  let stored = false;
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await repo.lockRequest(trx, requestId);
      if (!row) throw new DomainError("not-found", "There is no such request");
      await content.commit(key);
      stored = true;
      const { id } = await trx
        .insertInto("documents")
        .values({
          request_id: requestId,
          filename,
          media_type: mediaType,
          size_bytes: sizeBytes,
          sha256,
          storage_key: key,
          uploaded_by: actor.label,
          uploaded_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const seq = row.version + 1;
      const payload = { documentId: id, filename, sha256, sizeBytes };
      await appendEvent(trx, requestId, seq, "document-added", payload, actor, now);
      await repo.updateRequest(trx, requestId, { version: seq, updated_at: now, updated_by: actor.label });
      return { id, filename, mediaType, sizeBytes, sha256 };
    });
  } catch (error) {
    if (stored) await files.delete(key);
    throw error;
  } finally {
    await content.discard();
  }
}

/** A document's bytes; for a subject access request, only to those who may see it, and the view is recorded. */
export async function readDocument(
  db: Db,
  files: FileStore,
  requestId: number,
  documentId: number,
  viewer: Actor,
  now: Date,
) {
  const request = await db
    .selectFrom("requests")
    .select("regime")
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (!request) throw new DomainError("not-found", "There is no such request");
  await assertMayRead(db, request, viewer);
  const document = (await repo.requestDocuments(db, requestId)).find((doc) => doc.id === documentId);
  if (!document) throw new DomainError("not-found", "There is no such document");
  const bytes = await files.get(document.storage_key);
  if (isSubjectAccess(request.regime))
    await recordSarDocumentView(
      db,
      { requestId, documentId, what: `Opened ${document.filename}` },
      viewer,
      now,
    );
  return { document, bytes };
}

export type ChainVerification =
  | { ok: true; requests: number; events: number }
  | {
      ok: false;
      requests: number;
      events: number;
      reference: string;
      requestId: number;
      seq: number;
      reason: string;
    };

/** Walks every request's hash chain and names the first broken link. */
export async function verifyAuditChain(db: Db, batchSize = 500): Promise<ChainVerification> {
  let afterId = 0;
  let requests = 0;
  let eventCount = 0;
  for (;;) {
    const batch = await repo.requestVersionsAfter(db, afterId, batchSize);
    if (batch.length === 0) return { ok: true, requests, events: eventCount };
    const ids = batch.map((request) => request.id);
    const events = await repo.eventsOfRequests(db, ids);
    const personalValues = await repo.personalValuesOfRequests(db, ids);
    for (const request of batch) {
      const chain = events.get(request.id) ?? [];
      const check = checkChain(chain, request.version, personalValues);
      requests++;
      eventCount += chain.length;
      if (!check.ok)
        return {
          ok: false,
          requests,
          events: eventCount,
          reference: request.reference,
          requestId: request.id,
          seq: check.seq,
          reason: check.reason,
        };
    }
    afterId = batch.at(-1)!.id;
  }
}
