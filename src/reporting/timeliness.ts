import { type ClockSettings, regimeRule } from "../law/index.ts";
import { deadlinesOn, lastDate, type ReportCase } from "./cases.ts";
import { inPeriod, type ReportPeriod } from "./period.ts";

/**
 * How one answer stands against the statutory time:
 * - "met-deadline": within the regime's own limit (FOIA s.10(1), EIR reg 5(2), FOISA s.10(1), EISR reg 5(2):
 *   20 working days; UK GDPR Art.12(3): one month), clock stops and disregarded days as the law counts them;
 * - "permitted-extension": after that limit but by the extended due date, where the extension was claimed
 *   within the limit: FOIA s.10(3) with the s.17(1)/(2) refusal notice due by day 20 (the notice is the
 *   "extend" event), EIR reg 7(3) and EISR reg 7(2) (notice within 20 working days), UK GDPR Art.12(3) (the
 *   requester told within the first month). An extension claimed late does not make a late answer in time;
 * - "late": anything else.
 * "In time" is the first two, as the Cabinet Office's FOI statistics count "in time" (met the deadline or a
 * permitted extension).
 */
export type Timeliness = "met-deadline" | "permitted-extension" | "late";

export interface AnswerTiming {
  timeliness: Timeliness;
  /** Days counted from receipt to the answer, clock stops not counted: working days, calendar for SAR. */
  daysTaken: number;
  unit: "working" | "calendar";
  dueDate: string;
  /** The due date without any extension. */
  limitDate: string;
}

/** The timing of an answer given on `answered` (the date of the record-outcome event). */
export function answerTiming(request: ReportCase, answered: string, settings: ClockSettings): AnswerTiming {
  const { extended: withExtension, limit } = deadlinesOn(
    request,
    "responded",
    answered,
    settings,
    (event) => event.kind === "extension",
  );
  const noticeDate = lastDate(request, "extend");
  const timeliness: Timeliness =
    answered <= limit.dueDate
      ? "met-deadline"
      : answered <= withExtension.dueDate && noticeDate !== null && noticeDate <= limit.dueDate
        ? "permitted-extension"
        : "late";
  return {
    timeliness,
    daysTaken: withExtension.daysUsed,
    unit: withExtension.unit,
    dueDate: withExtension.dueDate,
    limitDate: limit.dueDate,
  };
}

export interface TimelinessRow {
  /** A regime ("foia"), or "all". */
  regime: string;
  /** Received in the period (valid requests). */
  received: number;
  /** Answered in the period (the outcome recorded), whenever received. */
  answered: number;
  metDeadline: number;
  permittedExtension: number;
  inTime: number;
  late: number;
  /** Closed in the period without an answer: withdrawn or lapsed. */
  withdrawnOrLapsed: number;
  /** inTime / answered × 100, one decimal place; null when nothing was answered. */
  percentInTime: number | null;
  /** ICO FOI self-assessment toolkit (timeliness): fewer than 90% answered within 20 working days is "unsatisfactory". */
  meetsIcoExpectation: boolean | null;
  medianDays: number | null;
  p95Days: number | null;
  /** The unit of the days; "mixed" in a total over regimes that count differently (the days are then left out). */
  unit: "working" | "calendar" | "mixed";
}

/**
 * ICO FOI self-assessment toolkit, topic 1 (timeliness, response rates): 95% or more within 20 working days
 * is good, 90–95% adequate, fewer than 90% unsatisfactory; the same for internal reviews.
 */
export const ICO_EXPECTED_PERCENT = 90;

/** The median: the middle value, or the mean of the two middle values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The nearest-rank percentile: the smallest value with at least `p`% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

export interface AnsweredInPeriod {
  request: ReportCase;
  answered: string;
  timing: AnswerTiming;
}

/** The requests answered in the period (by the date their outcome was recorded), with their timing. */
export function answeredIn(
  cases: readonly ReportCase[],
  period: ReportPeriod,
  settings: ClockSettings,
): AnsweredInPeriod[] {
  const answered: AnsweredInPeriod[] = [];
  for (const request of cases) {
    const date = lastDate(request, "record-outcome");
    if (inPeriod(date, period))
      answered.push({ request, answered: date, timing: answerTiming(request, date, settings) });
  }
  return answered;
}

function row(
  regime: string,
  received: number,
  answered: readonly AnsweredInPeriod[],
  withdrawnOrLapsed: number,
): TimelinessRow {
  const count = (timeliness: Timeliness) => answered.filter((a) => a.timing.timeliness === timeliness).length;
  const metDeadline = count("met-deadline");
  const permittedExtension = count("permitted-extension");
  const inTime = metDeadline + permittedExtension;
  const units = new Set(answered.map((a) => a.timing.unit));
  const unit = units.size > 1 ? "mixed" : (answered[0]?.timing.unit ?? regimeRule(regime)?.unit ?? "working");
  const days = unit === "mixed" ? [] : answered.map((a) => a.timing.daysTaken);
  const percentInTime = percent(inTime, answered.length);
  return {
    regime,
    received,
    answered: answered.length,
    metDeadline,
    permittedExtension,
    inTime,
    late: answered.length - inTime,
    withdrawnOrLapsed,
    percentInTime,
    meetsIcoExpectation: percentInTime === null ? null : percentInTime >= ICO_EXPECTED_PERCENT,
    medianDays: median(days),
    p95Days: percentile(days, 95),
    unit,
  };
}

/** Timeliness per regime (in `regimes` order, then any other found) and for all regimes together. */
export function timeliness(
  cases: readonly ReportCase[],
  period: ReportPeriod,
  settings: ClockSettings,
  regimes: readonly string[],
): TimelinessRow[] {
  const valid = cases.filter((request) => request.events[0]?.type !== "recorded-invalid");
  const answered = answeredIn(valid, period, settings);
  const closedUnanswered = valid.filter(
    (request) =>
      inPeriod(lastDate(request, "withdraw"), period) || inPeriod(lastDate(request, "lapse"), period),
  );
  const received = valid.filter((request) => inPeriod(request.receivedDate, period));
  const seen = [...regimes, ...new Set(valid.map((request) => request.regime))];
  const rows = [...new Set(seen)]
    .map((regime) =>
      row(
        regime,
        received.filter((request) => request.regime === regime).length,
        answered.filter((a) => a.request.regime === regime),
        closedUnanswered.filter((request) => request.regime === regime).length,
      ),
    )
    .filter((r) => regimes.includes(r.regime) || r.received + r.answered + r.withdrawnOrLapsed > 0);
  return [...rows, row("all", received.length, answered, closedUnanswered.length)];
}
