import { tryParseIsoDate } from "../calendar/index.ts";
import { type ClockSettings, timeLeft } from "../law/index.ts";
import {
  isOpen,
  isRegulatorStageOpen,
  type RequestState,
  requestStates,
  stateLabels,
} from "../requests/index.ts";
import { deadlineOn, type ReportCase, stateOn } from "./cases.ts";

// The backlog on one date: the requests open then, by state, by how far past their due date, by team and by
// officer, and the oldest. Team and officer are as they stand now (assignment is not dated in the history).

/** Overdue bands, in the regime's unit (working days; calendar days for subject access). */
export const overdueBands = [
  { name: "1-5", label: "1 to 5 days", min: 1, max: 5 },
  { name: "6-20", label: "6 to 20 days", min: 6, max: 20 },
  { name: "21+", label: "21 days or more", min: 21, max: Number.POSITIVE_INFINITY },
] as const;
export type OverdueBand = (typeof overdueBands)[number]["name"];

/**
 * States in which an answer or a review decision is owed with a clock running. Awaiting clarification or a
 * fee, the clock is stopped (FOIA s.1(3), s.10(2)); during a complaint to the Commissioner (FOIA s.50) the
 * time is the Commissioner's, not a statutory limit on the authority.
 */
function owesAnswer(state: RequestState): boolean {
  // At the regulator stage the reply's deadline is past history: the decision notice's dates are on the queue.
  return isOpen(state) && !isRegulatorStageOpen(state);
}

export interface OpenCase {
  reference: string;
  regime: string;
  state: RequestState;
  receivedDate: string;
  dueDate: string;
  /** Days past the due date (0 when not overdue), in the regime's unit. */
  daysOverdue: number;
  /** Calendar days since receipt. */
  daysOpen: number;
  team: string;
  officer: string;
}

export interface BacklogGroup {
  name: string;
  open: number;
  overdue: number;
}

export interface Backlog {
  asOf: string;
  open: number;
  overdue: number;
  byState: { state: RequestState; label: string; open: number; overdue: number }[];
  byBand: { band: OverdueBand; label: string; requests: number }[];
  byTeam: BacklogGroup[];
  byOfficer: BacklogGroup[];
  /** The longest open, oldest first. */
  oldest: OpenCase[];
  /** Every open request, oldest first (the download). */
  cases: OpenCase[];
}

export const NO_TEAM = "No team";
export const UNASSIGNED = "Unassigned";

/** Every request open at the end of `asOf`, with how it stood against its deadline. */
export function openCases(cases: readonly ReportCase[], asOf: string, settings: ClockSettings): OpenCase[] {
  const open: OpenCase[] = [];
  for (const request of cases) {
    if (request.receivedDate > asOf) continue;
    const state = stateOn(request, asOf);
    if (!state || !isOpen(state)) continue;
    const deadline = deadlineOn(request, state, asOf, settings);
    // The same answer as the work queue's and the request page's (law's timeLeft).
    const standing = timeLeft(
      {
        regime: deadline.regime,
        kind: state === "review-requested" ? "review" : "reply",
        dueDate: deadline.dueDate,
        asOf,
        stopped: deadline.stopped,
      },
      settings,
    );
    const overdue = owesAnswer(state) && standing.overdue;
    open.push({
      reference: request.reference,
      regime: request.regime,
      state,
      receivedDate: request.receivedDate,
      dueDate: deadline.dueDate,
      daysOverdue: overdue ? -(standing.daysLeft ?? -1) : 0,
      daysOpen: tryParseIsoDate(asOf) - tryParseIsoDate(request.receivedDate),
      team: request.team ?? NO_TEAM,
      officer: request.officer ?? UNASSIGNED,
    });
  }
  return open;
}

function groups(open: readonly OpenCase[], key: (c: OpenCase) => string): BacklogGroup[] {
  const byName = new Map<string, BacklogGroup>();
  for (const request of open) {
    const name = key(request);
    const group = byName.get(name) ?? { name, open: 0, overdue: 0 };
    group.open++;
    if (request.daysOverdue > 0) group.overdue++;
    byName.set(name, group);
  }
  return [...byName.values()].sort((a, b) => b.open - a.open || a.name.localeCompare(b.name));
}

export function backlog(
  cases: readonly ReportCase[],
  asOf: string,
  settings: ClockSettings,
  oldestShown = 10,
): Backlog {
  const open = openCases(cases, asOf, settings).sort(
    (a, b) => a.receivedDate.localeCompare(b.receivedDate) || a.reference.localeCompare(b.reference),
  );
  const overdue = open.filter((request) => request.daysOverdue > 0);
  return {
    asOf,
    open: open.length,
    overdue: overdue.length,
    byState: requestStates
      .filter((state) => open.some((request) => request.state === state))
      .map((state) => ({
        state,
        label: stateLabels[state],
        open: open.filter((request) => request.state === state).length,
        overdue: overdue.filter((request) => request.state === state).length,
      })),
    byBand: overdueBands.map((band) => ({
      band: band.name,
      label: band.label,
      requests: overdue.filter((r) => r.daysOverdue >= band.min && r.daysOverdue <= band.max).length,
    })),
    byTeam: groups(open, (request) => request.team),
    byOfficer: groups(open, (request) => request.officer),
    oldest: open.slice(0, oldestShown),
    cases: open,
  };
}
