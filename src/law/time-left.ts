import { type CalendarKind, tryParseIsoDate, workingCalendar } from "../calendar/index.ts";
import { invalid } from "../errors.ts";
import type { ClockSettings } from "./deadline.ts";
import { type Regime, regimeRule } from "./regimes.ts";

// "How many days are left, and is it overdue?": the one answer every screen and report gives (the work queue,
// the request page, the tracking page, the API and the backlog report all call timeLeft), so that two screens
// can never count the same deadline on different calendars.

/**
 * What a deadline is for, at each stage of a request:
 * - "reply": the request's own time limit (FOIA s.10, EIR reg 5(2), FOISA s.10, EISR reg 5(2), UK GDPR Art.12(3));
 * - "review": the internal review's (s.45 code para 5, EIR reg 11(4), FOISA s.21(1), EISR reg 16(4));
 * - "compliance": the date a decision notice sets for its steps (FOIA s.50(4), FOISA s.49(6)); failing it is
 *   contempt (FOIA s.54, FOISA s.53), so it falls overdue like a reply;
 * - "appeal": the window for appealing a decision notice (28 days to the First-tier Tribunal, FTT GRC Rules
 *   r.22(1)(b); 42 days to the Court of Session, FOISA s.56(b)). A window closes: it is never overdue.
 */
export const deadlineKinds = ["reply", "review", "compliance", "appeal"] as const;
export type DeadlineKind = (typeof deadlineKinds)[number];

export interface TimeLeftInput {
  /** The law the request is handled under, or the review rule timing its internal review. */
  regime: Regime | string;
  kind: DeadlineKind;
  dueDate: string;
  asOf: string;
  /** A clarification, fee or proof of identity is awaited: no days are counted. */
  stopped?: boolean;
}

export interface TimeLeft {
  kind: DeadlineKind;
  dueDate: string;
  /** Working days (FOIA, EIR, FOISA, EISR and their reviews) or calendar days (subject access, regulator stage). */
  unit: "working" | "calendar";
  /** The calendar whose working days are counted (FOISA s.73: Scotland's for FOISA and the EISR). */
  calendar: CalendarKind;
  /** Days from `asOf` to the due date in `unit`: 0 on the day, negative when past; null while stopped. */
  daysLeft: number | null;
  stopped: boolean;
  /** Past the due date with the clock running, for a deadline that can fall overdue (not an appeal window). */
  overdue: boolean;
  /** An appeal window that has closed. */
  closed: boolean;
}

/** The unit and calendar a deadline of `kind` under `regime` is counted in. */
export function deadlineCount(
  regime: string,
  kind: DeadlineKind,
): { unit: "working" | "calendar"; calendar: CalendarKind } {
  const rule = regimeRule(regime);
  if (!rule) throw invalid("regime", `unknown regime "${regime}"`);
  if (kind === "reply") return { unit: rule.unit, calendar: rule.calendar };
  if (kind === "review") {
    // A review rule given as the regime times itself; a request's regime names the rule that times its review.
    const timing = rule.regime.endsWith("review") ? rule : regimeRule(rule.review ?? "internal-review");
    return { unit: timing?.unit ?? "working", calendar: timing?.calendar ?? rule.calendar };
  }
  // The regulator stage counts days, not working days (the decision notice's date; the tribunal rules' 28 days;
  // FOISA s.56's 42), on the regime's calendar for where a last day falls.
  return { unit: "calendar", calendar: rule.calendar };
}

/**
 * How many days are left to `dueDate` on `asOf`, and whether it is overdue. Pure; the calendar is the
 * regime's, with the authority's imported holidays (`settings.extraHolidays`).
 */
export function timeLeft(input: TimeLeftInput, settings?: ClockSettings): TimeLeft {
  const { unit, calendar: kind } = deadlineCount(input.regime, input.kind);
  const due = tryParseIsoDate(input.dueDate);
  if (Number.isNaN(due)) throw invalid("dueDate", `${input.dueDate} is not a date`);
  const asOf = tryParseIsoDate(input.asOf);
  if (Number.isNaN(asOf)) throw invalid("asOf", `${input.asOf} is not a date`);
  const stopped = Boolean(input.stopped);
  const calendar = workingCalendar(kind, settings?.extraHolidays);
  const daysLeft = stopped
    ? null
    : unit === "calendar"
      ? due - asOf
      : due >= asOf
        ? calendar.countWorkingDays(asOf, due)
        : -calendar.countWorkingDays(due, asOf);
  const past = !stopped && asOf > due;
  const window = input.kind === "appeal";
  return {
    kind: input.kind,
    dueDate: input.dueDate,
    unit,
    calendar: kind,
    // A weekend or holiday just after the due date still leaves the request overdue: at least one day.
    daysLeft: past && daysLeft === 0 ? -1 : daysLeft,
    stopped,
    overdue: past && !window,
    closed: past && window,
  };
}
