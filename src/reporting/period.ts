import { addMonthsClamped, formatIsoDate, tryParseIsoDate } from "../calendar/index.ts";
import { DomainError, type FieldProblem } from "../errors.ts";

// The period a report covers: two dates, both included. Quarters are calendar quarters (January to March is
// Q1), as the Cabinet Office's quarterly FOI statistics count them.

export interface ReportPeriod {
  from: string;
  to: string;
}

export interface QuarterPreset extends ReportPeriod {
  /** "2026 Q3" */
  name: string;
  /** "July to September 2026" */
  label: string;
}

const monthName = new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" });
const nameOfMonth = (month: number) => monthName.format(new Date(Date.UTC(2000, month, 1)));

/** The longest period a report may cover: about five years of requests. */
const MAX_DAYS = 5 * 366;

/**
 * Checks the two dates; every problem names its field (`fields` maps them to the form's names or the CLI's
 * options). `today` bounds the start: a report cannot begin in the future.
 */
export function parsePeriod(
  input: { from?: unknown; to?: unknown },
  today: string,
  fields: { from: string; to: string } = { from: "from", to: "to" },
): ReportPeriod {
  const problems: FieldProblem[] = [];
  const read = (value: unknown, field: string, name: string): number => {
    const text = typeof value === "string" ? value.trim() : "";
    if (text === "") {
      problems.push({ field, message: `Enter the ${name} date` });
      return Number.NaN;
    }
    const day = tryParseIsoDate(text);
    if (Number.isNaN(day))
      problems.push({ field, message: `The ${name} date must be a real date, like 2026-07-01` });
    return day;
  };
  const from = read(input.from, fields.from, "start");
  const to = read(input.to, fields.to, "end");
  if (!Number.isNaN(from) && from > tryParseIsoDate(today))
    problems.push({ field: fields.from, message: "The start date cannot be in the future" });
  if (!Number.isNaN(from) && !Number.isNaN(to)) {
    if (to < from)
      problems.push({ field: fields.to, message: "The end date must be on or after the start date" });
    else if (to - from > MAX_DAYS)
      problems.push({ field: fields.to, message: "A report can cover at most five years" });
  }
  const first = problems[0];
  if (first) throw new DomainError("invalid", first.message, first.field, problems);
  return { from: formatIsoDate(from), to: formatIsoDate(to) };
}

/** The calendar quarter that `date` falls in. */
export function quarterOf(date: string): QuarterPreset {
  const year = Number(date.slice(0, 4));
  const quarter = Math.floor((Number(date.slice(5, 7)) - 1) / 3);
  const start = tryParseIsoDate(`${year}-${String(quarter * 3 + 1).padStart(2, "0")}-01`);
  const end = addMonthsClamped(start, 3) - 1;
  return {
    from: formatIsoDate(start),
    to: formatIsoDate(end),
    name: `${year} Q${quarter + 1}`,
    label: `${nameOfMonth(quarter * 3)} to ${nameOfMonth(quarter * 3 + 2)} ${year}`,
  };
}

/** The quarter `today` is in and the `count - 1` before it, newest first: the page's presets. */
export function quarterPresets(today: string, count = 5): QuarterPreset[] {
  const presets: QuarterPreset[] = [];
  let quarter = quarterOf(today);
  for (let i = 0; i < count; i++) {
    presets.push(quarter);
    quarter = quarterOf(formatIsoDate(tryParseIsoDate(quarter.from) - 1));
  }
  return presets;
}

/** The quarter the period is exactly, or null. */
export function periodQuarter(period: ReportPeriod): QuarterPreset | null {
  const quarter = quarterOf(period.from);
  return quarter.from === period.from && quarter.to === period.to ? quarter : null;
}

/** The date a report's backlog is counted at: the period's end, or today while the period is still running. */
export function backlogDate(period: ReportPeriod, today: string): string {
  return period.to < today ? period.to : today;
}

/** The date falls in the period, both ends included (false when there is no date). */
export const inPeriod = (date: string | null, period: ReportPeriod): date is string =>
  date !== null && date >= period.from && date <= period.to;
