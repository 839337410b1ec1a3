import { invalid } from "../errors.ts";
import {
  type ClockEvent,
  type ClockSettings,
  type ClockStop,
  computeDeadline,
  type Deadline,
  type DeadlineKind,
  regimeRule,
  stopEnded,
  type TimeLeft,
  timeLeft,
} from "../law/index.ts";
import type { Action } from "./actions.ts";
import type { RequestState } from "./workflow.ts";

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

/** The clock events after `action`; throws `invalid` when its date cannot be right. */
export function applyToClock(request: ClockedRequest, action: Action, today: string): ClockEvent[] {
  const clock = request.clock.map((event) => ({ ...event }));
  if ("date" in action && action.date) {
    if (action.date > today) throw invalid("date", "The date cannot be in the future");
    if (action.date < request.receivedDate)
      throw invalid("date", "The date cannot be before the request was received");
  }
  const lastOpen = <K extends "clarification" | "fee" | "identity">(kind: K) =>
    clock.findLast((event) => event.kind === kind && !stopEnded(event as ClockStop)) as
      | Extract<ClockEvent, { kind: K }>
      | undefined;
  switch (action.type) {
    case "request-clarification":
      clock.push({ kind: "clarification", requested: action.date });
      break;
    case "receive-clarification": {
      const open = lastOpen("clarification");
      if (!open) throw invalid("date", "No clarification is awaited");
      if (action.date < open.requested)
        throw invalid("date", `The clarification cannot arrive before it was asked for on ${open.requested}`);
      open.received = action.date;
      break;
    }
    case "issue-fees-notice":
      clock.push({ kind: "fee", requested: action.date });
      break;
    case "receive-fee": {
      const open = lastOpen("fee");
      if (!open) throw invalid("date", "No fee is awaited");
      if (action.date < open.requested)
        throw invalid("date", `The fee cannot be paid before the notice of ${open.requested}`);
      open.paid = action.date;
      break;
    }
    case "request-identity":
      clock.push({ kind: "identity", requested: action.date });
      break;
    case "identity-received": {
      const open = lastOpen("identity");
      if (!open) throw invalid("date", "No proof of identity is awaited");
      if (action.date < open.requested)
        throw invalid(
          "date",
          `The proof of identity cannot arrive before it was asked for on ${open.requested}`,
        );
      open.received = action.date;
      break;
    }
    case "extend":
      clock.push({ kind: "extension", type: action.extension });
      break;
    case "extend-review":
      clock.push({ kind: "extension", type: "internal-review", workingDays: action.workingDays });
      break;
    case "change-regime":
      return clockUnderRegime(clock, action.regime).clock;
    default:
      break;
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
