import { invalid } from "../errors.ts";
import {
  appealDeadline,
  type ClockEvent,
  type ClockSettings,
  type ClockStop,
  computeDeadline,
  type Deadline,
  type DeadlineKind,
  type ExtensionType,
  regimeRule,
  stopEnded,
  type TimeLeft,
  timeLeft,
} from "../law/index.ts";
import { isEventOf, type RequestEvent } from "./events.ts";
import {
  type ActionType,
  type ClockStopKind,
  type RequestState,
  regulatorStageOpenStates,
  transitionFor,
} from "./workflow.ts";

// The statutory clock of one request, kept as the list of clock events its history has produced (cached on
// the request row) and turned into a deadline by the law module on every event.

export interface ClockedRequest {
  regime: string;
  state: RequestState;
  receivedDate: string;
  clock: ClockEvent[];
  reviewReceivedDate: string | null;
}

const reviewStates: readonly RequestState[] = ["review-requested"];

/** What the deadline cached on a request in `state` is for (law's timeLeft counts each kind its own way). */
export function deadlineKindOf(state: RequestState): DeadlineKind {
  return reviewStates.includes(state) ? "review" : "reply";
}

/** The cached deadline of a request row as every screen shows it: days left and overdue, by law's timeLeft. */
export function standingOf(
  row: {
    regime: string;
    state: RequestState;
    dueDate: string | null;
    /** What the due date is for, as stored; a reply or review deadline when not stored. */
    dueKind?: DeadlineKind | null;
    clockStopped: boolean;
  },
  settings: ClockSettings,
  asOf: string,
): TimeLeft | null {
  if (!row.dueDate || row.state === "invalid") return null;
  return timeLeft(
    {
      regime: row.regime,
      kind: row.dueKind ?? deadlineKindOf(row.state),
      dueDate: row.dueDate,
      asOf,
      stopped: row.clockStopped,
    },
    settings,
  );
}

/** How each clock stop is named in the messages of a date that cannot be right, and the field its end sets. */
const stopWords: Record<ClockStopKind, { awaited: string; ended: string; endedField: "received" | "paid" }> =
  {
    clarification: {
      awaited: "No clarification is awaited",
      ended: "The clarification cannot arrive before it was asked for on",
      endedField: "received",
    },
    fee: {
      awaited: "No fee is awaited",
      ended: "The fee cannot be paid before the notice of",
      endedField: "paid",
    },
    identity: {
      awaited: "No proof of identity is awaited",
      ended: "The proof of identity cannot arrive before it was asked for on",
      endedField: "received",
    },
  };

/**
 * The clock events after `action`, as its transition's clock effect (the workflow table) says; throws `invalid`
 * when its date cannot be right. Any dated action's date is checked, whatever its effect.
 */
export function applyToClock(
  request: ClockedRequest,
  action: { type: ActionType } & Readonly<Record<string, unknown>>,
  today: string,
): ClockEvent[] {
  const effect = transitionFor(action.type).effect?.clock;
  const input = action;
  const clock = request.clock.map((event) => ({ ...event }));
  const date = typeof input.date === "string" ? input.date : "";
  if (date) {
    if (date > today) throw invalid("date", "The date cannot be in the future");
    if (date < request.receivedDate)
      throw invalid("date", "The date cannot be before the request was received");
  }
  if (!effect) return clock;
  if ("stop" in effect) {
    clock.push({ kind: effect.stop, requested: date });
  } else if ("resume" in effect) {
    const words = stopWords[effect.resume];
    const open = clock.findLast(
      (event): event is ClockStop => event.kind === effect.resume && !stopEnded(event),
    );
    if (!open) throw invalid("date", words.awaited);
    if (date < open.requested) throw invalid("date", `${words.ended} ${open.requested}`);
    if (open.kind === "fee") open.paid = date;
    else open.received = date;
  } else if ("extend" in effect) {
    clock.push(
      effect.extend === "reply"
        ? { kind: "extension", type: input.extension as ExtensionType }
        : { kind: "extension", type: "internal-review", workingDays: Number(input.workingDays) },
    );
  } else {
    return clockUnderRegime(clock, String(input[effect.underRegime])).clock;
  }
  return clock;
}

/**
 * The clock under another regime. Clarifications and fees carry over: the new regime's rule says how each
 * moves its clock (a FOIA clarification restarts the count, a SAR one pauses it). An extension the new
 * regime does not allow is dropped (the one each regime allows is its rule's `extension`), and so is proof of
 * identity under a law that does not ask for it (UK GDPR Art.12(6) is for subject access only).
 */
export function clockUnderRegime(
  clock: readonly ClockEvent[],
  regime: string,
): { clock: ClockEvent[]; dropped: ClockEvent[] } {
  const rule = regimeRule(regime);
  const allowed = rule?.extension?.type;
  const identity = rule?.identity ?? "none";
  const dropped = clock.filter(
    (event) =>
      (event.kind === "extension" && event.type !== "internal-review" && event.type !== allowed) ||
      (event.kind === "identity" && identity === "none"),
  );
  return { clock: clock.filter((event) => !dropped.includes(event)), dropped };
}

/**
 * The deadline that matters now: the internal review's while one is open (timed by the rule the request's
 * regime names: EISR reg 16(4) for the EISR, the s.45 code otherwise), otherwise the request's own.
 */
export function currentDeadline(request: ClockedRequest, settings: ClockSettings, asOf: string): Deadline {
  const reviewExtension = (event: ClockEvent) =>
    event.kind === "extension" && event.type === "internal-review";
  if (reviewStates.includes(request.state) && request.reviewReceivedDate) {
    return computeDeadline(
      {
        regime: regimeRule(request.regime)?.review ?? "internal-review",
        received: request.reviewReceivedDate,
        events: request.clock.filter(reviewExtension),
        asOf: asOf < request.reviewReceivedDate ? request.reviewReceivedDate : asOf,
      },
      settings,
    );
  }
  return computeDeadline(
    {
      regime: request.regime as Deadline["regime"],
      received: request.receivedDate,
      events: request.clock.filter((event) => !reviewExtension(event)),
      asOf: asOf < request.receivedDate ? request.receivedDate : asOf,
    },
    settings,
  );
}

/** The states of the regulator stage, open or closed: the request's own deadline no longer runs. */
const regulatorStates: readonly RequestState[] = [
  ...regulatorStageOpenStates,
  "tribunal-decided",
  "regulator-closed",
];

/** The regulator stage, open or closed: the due-date columns hold the decision notice's deadline, if any. */
export function isAtRegulatorStage(state: RequestState): boolean {
  return regulatorStates.includes(state);
}

/** What the history says of the decision notice: its steps still owed and the last day to appeal it. */
export function decisionNoticeFacts(
  regime: string,
  events: readonly RequestEvent[],
): { stepsOutstanding: boolean; complianceDate: string | null; appealDeadline: string | null } {
  const at = events.findLastIndex((event) => event.type === "record-decision-notice");
  const found = events[at];
  if (!found || !isEventOf(found, "record-decision-notice"))
    return { stepsOutstanding: false, complianceDate: null, appealDeadline: null };
  const notice = found.payload;
  const complied = events.slice(at + 1).some((event) => event.type === "record-compliance");
  return {
    stepsOutstanding: Boolean(notice.steps) && !complied,
    complianceDate: notice.complianceDate ?? null,
    appealDeadline: appealDeadline(regime, notice.date),
  };
}

/** The deadline cached on the request row: what the work queue sorts by and every screen shows. */
export interface DueColumns {
  due_date: string | null;
  due_kind: DeadlineKind | null;
  refusal_notice_due: string | null;
  clock_stopped: boolean;
}

/**
 * The due-date columns of a request in `state` with history `events` (the last one included) and current
 * deadline `deadline` (null for an invalid request). At the regulator stage the deadline is the decision
 * notice's compliance date while its steps are owed (FOIA s.50(4), s.54), then its appeal window (FOIA s.57,
 * FOISA s.56), which closes rather than falls overdue; a complaint under consideration or an appeal before
 * the tribunal has no deadline of ours, and the original reply's deadline is not shown again (it was met or
 * missed before).
 */
export function dueColumns(
  regime: string,
  state: RequestState,
  events: readonly RequestEvent[],
  deadline: Deadline | null,
): DueColumns {
  const none = { due_date: null, due_kind: null, refusal_notice_due: null, clock_stopped: false };
  if (isAtRegulatorStage(state)) {
    if (state !== "decision-notice") return none;
    const facts = decisionNoticeFacts(regime, events);
    if (facts.stepsOutstanding && facts.complianceDate)
      return { ...none, due_date: facts.complianceDate, due_kind: "compliance" };
    return { ...none, due_date: facts.appealDeadline, due_kind: "appeal" };
  }
  if (!deadline) return none;
  return {
    due_date: deadline.dueDate,
    due_kind: deadlineKindOf(state),
    refusal_notice_due: deadline.refusalNoticeDue ?? null,
    clock_stopped: deadline.stopped,
  };
}
