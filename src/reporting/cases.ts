import { type ClockEvent, type ClockSettings, type Deadline, stopEnded } from "../law/index.ts";
import { type ClockedRequest, currentDeadline, type RequestState, transitions } from "../requests/index.ts";

// One request as the reports see it: the row's cached facts and the dates of its workflow events. The
// history is the truth: the state, clock and dates at any day are read back from it, so a report for a past
// quarter counts what stood then, not what stands now.

export interface CaseEvent {
  type: string;
  /** The date the action took effect: the date typed with it (a reply's date, a withdrawal's), else the day it was logged. */
  date: string;
}

export interface ReportCase {
  id: number;
  reference: string;
  regime: string;
  /** The state now (the row's cache of the history). */
  state: RequestState;
  receivedDate: string;
  outcome: string | null;
  /** The clock events as they stand now (requests' clock, cached on the row). */
  clock: ClockEvent[];
  reviewReceivedDate: string | null;
  reviewOutcome: string | null;
  team: string | null;
  officer: string | null;
  /** Workflow events in the order they happened. */
  events: CaseEvent[];
}

const nextState = new Map(transitions.map((transition) => [transition.action as string, transition.to]));

/** The state the history had reached by the end of `date`. */
export function stateOn(request: ReportCase, date: string): RequestState | null {
  let state: RequestState | null = null;
  for (const event of request.events) {
    if (event.date > date) break;
    if (event.type === "created") state = "received";
    else if (event.type === "recorded-invalid") state = "invalid";
    else state = nextState.get(event.type) ?? state;
  }
  return state;
}

/** The date of the last event of `type` (null when it never happened). */
export function lastDate(request: ReportCase, type: string): string | null {
  return request.events.findLast((event) => event.type === type)?.date ?? null;
}

/**
 * The clock as it stood at the end of `date`: stops not yet begun are left out, stops not yet ended are
 * open, and only the extensions already claimed count (in the order they were claimed).
 */
export function clockOn(request: ReportCase, date: string): ClockEvent[] {
  const claimed = (type: string) => request.events.filter((e) => e.type === type && e.date <= date).length;
  let requestExtensions = claimed("extend");
  let reviewExtensions = claimed("extend-review");
  const clock: ClockEvent[] = [];
  for (const event of request.clock) {
    if (event.kind === "extension") {
      const review = event.type === "internal-review";
      if (review ? reviewExtensions-- > 0 : requestExtensions-- > 0) clock.push({ ...event });
    } else if (event.requested <= date) {
      const ended = stopEnded(event);
      clock.push(ended && ended <= date ? { ...event } : { kind: event.kind, requested: event.requested });
    }
  }
  return clock;
}

/** The request's deadline (or its internal review's, in a review state) as it stood on `date`. */
export function deadlineOn(
  request: ReportCase,
  state: RequestState,
  date: string,
  settings: ClockSettings,
  clock: ClockEvent[] = clockOn(request, date),
): Deadline {
  const clocked: ClockedRequest = {
    regime: request.regime,
    state,
    receivedDate: request.receivedDate,
    clock,
    reviewReceivedDate: request.reviewReceivedDate,
  };
  return currentDeadline(clocked, settings, date);
}

/**
 * The deadline on `date` with every extension claimed by then, and the one the law sets without those that
 * `extension` picks out: the two a timing is judged against.
 */
export function deadlinesOn(
  request: ReportCase,
  state: RequestState,
  date: string,
  settings: ClockSettings,
  extension: (event: ClockEvent) => boolean,
): { extended: Deadline; limit: Deadline } {
  const clock = clockOn(request, date);
  return {
    extended: deadlineOn(request, state, date, settings, clock),
    limit: deadlineOn(
      request,
      state,
      date,
      settings,
      clock.filter((event) => !extension(event)),
    ),
  };
}
