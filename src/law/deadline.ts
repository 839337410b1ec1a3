import {
  addMonthsClamped,
  type DayNumber,
  dayFromCivil,
  formatIsoDate,
  type ImportedHolidays,
  parseIsoDate,
  tryParseIsoDate,
  type WorkingCalendar,
  workingCalendar,
} from "../calendar/index.ts";
import { invalid } from "../errors.ts";
import {
  type ExtensionType,
  extensionTypes,
  type Regime,
  type RegimeRule,
  regimeRule,
  regimes,
} from "./regimes.ts";

/**
 * Events that move the clock. Dates are 'YYYY-MM-DD'. A stop without its end (`received`, `paid`) is still
 * running: the clock is stopped now.
 */
export type ClockEvent =
  /** FOIA s.1(3), EIR reg 9, FOISA s.1(3), EISR reg 9(4): restarts the count; pauses a subject access clock. */
  | { kind: "clarification"; requested: string; received?: string }
  /** FOIA s.10(2), EIR reg 8, FOISA s.10(2), EISR reg 8: days to the fee not counted; restarts a SAR month. */
  | { kind: "fee"; requested: string; paid?: string }
  /** UK GDPR Art.12(6), ICO right-of-access guidance: subject access only; the month runs from its receipt. */
  | { kind: "identity"; requested: string; received?: string }
  /** `workingDays`: the extra working days (default and maximum 20); not given for a subject access request. */
  | { kind: "extension"; type: ExtensionType; workingDays?: number };

/** A clock stop: a clarification, fee or proof of identity asked for. */
export type ClockStop = Exclude<ClockEvent, { kind: "extension" }>;

/** The day a clock stop ended (the fee paid, the clarification or proof received), if it has. */
export function stopEnded(stop: ClockStop): string | undefined {
  return stop.kind === "fee" ? stop.paid : stop.received;
}

export interface ClockSettings {
  /**
   * A request received on a non-working day (a Saturday, or a bank holiday):
   * - "ico" (default): the day of receipt is day 0 and the next working day is day 1 (ICO guidance);
   * - "code-2018": deemed received on the next working day (s.45 code of practice, 2018), which is then day 0,
   *   so the due date is one working day later. Received Sat 8 April 2023: "ico" → Wed 10 May, "code-2018" →
   *   Thu 11 May (regimes.ts has the case). Identical for requests received on a working day. Not used for
   *   subject access, which counts calendar days from the day of receipt.
   */
  receiptReading?: "ico" | "code-2018";
  /** Holidays imported from a GOV.UK-format file (calendar's parseGovUkFeed); they add to the rules. */
  extraHolidays?: ImportedHolidays;
}

export interface DeadlineInput {
  regime: Regime;
  /** The date of receipt. */
  received: string;
  events?: readonly ClockEvent[];
  /** The date the answer is "as of" (daysUsed, overdue, stopped); defaults to the latest date in the input. */
  asOf?: string;
}

export interface Deadline {
  regime: Regime;
  received: string;
  asOf: string;
  /**
   * The date the reply is due, extensions and clock stops included. While the clock is stopped this is the
   * earliest it can be: as if the clarification, fee or proof of identity arrived on `asOf`.
   */
  dueDate: string;
  /** FOIA public-interest extension only: the s.17(1) refusal notice is still due at day 20. */
  refusalNoticeDue?: string;
  /** Working days, or calendar days for subject access. */
  unit: "working" | "calendar";
  /** The time allowed, in `unit`: 20, 40 with an extension; for subject access the days in the month(s). */
  daysAllowed: number;
  /** Days counted from the date of receipt to `asOf`, not counting stopped days. */
  daysUsed: number;
  /** daysAllowed − daysUsed: negative once working days past the due date have passed. */
  daysLeft: number;
  /** A clarification, fee or proof of identity has been asked for and has not arrived by `asOf`. */
  stopped: boolean;
  /** `asOf` is after the due date and the clock is not stopped. */
  overdue: boolean;
}

/**
 * The field names in errors are the JSON names of the flat form used by the CLI and batch input: `regime`,
 * `received`, `asOf`, `clarificationRequested`, `clarified`, `feeRequested`, `feePaid`,
 * `identityRequested`, `identityReceived`, `extension`, `extensionDays`, `reading`. The CLI shows them as options (`--fee-paid`).
 */
const firstDay = dayFromCivil(1990, 1, 1);
const lastDay = dayFromCivil(2100, 12, 31);
const noEvents: readonly ClockEvent[] = [];
const noIntervals: readonly number[] = [];

function day(text: unknown, field: string): DayNumber {
  const value = typeof text === "string" ? tryParseIsoDate(text) : Number.NaN;
  if (Number.isNaN(value)) return parseIsoDate(text, field); // throws the precise message
  if (value < firstDay || value > lastDay)
    throw invalid(field, `${text} is outside the supported years 1990–2100`);
  return value;
}

interface Stop {
  from: DayNumber;
  to: DayNumber; // asOf while still open
  open: boolean;
}

/** Sorted, merged [from, to] intervals (inclusive) clipped to after `start`, as a flat list. */
function intervalsAfter(stops: readonly Stop[], start: DayNumber): number[] {
  const clipped: [number, number][] = [];
  for (const stop of stops) {
    const from = stop.from > start ? stop.from : start + 1;
    if (from <= stop.to) clipped.push([from, stop.to]);
  }
  if (clipped.length > 1) clipped.sort((a, b) => a[0] - b[0]);
  const flat: number[] = [];
  for (const [from, to] of clipped) {
    const last = flat.length - 1;
    if (flat.length > 0 && from <= (flat[last] as number) + 1) {
      if (to > (flat[last] as number)) flat[last] = to;
    } else flat.push(from, to);
  }
  return flat;
}

function checkStopDates(
  received: DayNumber,
  asOf: DayNumber | undefined,
  requested: string,
  arrived: string | undefined,
  fields: readonly [string, string],
): Stop {
  const [requestedField, arrivedField] = fields;
  const from = day(requested, requestedField);
  if (from < received) throw invalid(requestedField, `${requested} is before the request was received`);
  if (asOf !== undefined && from > asOf) {
    throw invalid(requestedField, `${requested} is after the as-of date ${formatIsoDate(asOf)}`);
  }
  if (arrived === undefined) return { from, to: asOf ?? from, open: true };
  const to = day(arrived, arrivedField);
  if (to < from) throw invalid(arrivedField, `${arrived} is before it was asked for on ${requested}`);
  if (asOf !== undefined && to > asOf) {
    throw invalid(arrivedField, `${arrived} is after the as-of date ${formatIsoDate(asOf)}`);
  }
  return { from, to, open: false };
}

/**
 * The one deadline function: every caller (casework on each event, the CLI, the benchmark) uses it. Pure and
 * fast: the calendars are precomputed tables, so the cost does not grow with the number of days counted.
 * Throws `invalid(field, message)` for bad input (see the field names above).
 */
export function computeDeadline(input: DeadlineInput, settings?: ClockSettings): Deadline {
  const rule = regimeRule(input.regime);
  if (!rule) throw invalid("regime", `unknown regime "${String(input.regime)}" (use ${regimes.join(", ")})`);
  const received = day(input.received, "received");
  const reading = settings?.receiptReading ?? "ico";
  if (reading !== "ico" && reading !== "code-2018") {
    throw invalid("reading", `unknown reading "${String(reading)}" (use ico or code-2018)`);
  }
  let asOf = input.asOf === undefined ? undefined : day(input.asOf, "asOf");
  if (asOf !== undefined && asOf < received)
    throw invalid("asOf", `${input.asOf} is before the request was received`);

  let clarifications: Stop[] | undefined;
  let fees: Stop[] | undefined;
  let identities: Stop[] | undefined;
  let extension = 0;
  let latest = received;
  for (const event of input.events ?? noEvents) {
    if (event.kind === "clarification") {
      const stop = checkStopDates(received, asOf, event.requested, event.received, [
        "clarificationRequested",
        "clarified",
      ]);
      if (stop.to > latest) latest = stop.to;
      clarifications = clarifications ?? [];
      clarifications.push(stop);
    } else if (event.kind === "fee") {
      if (rule.fee === "none") throw invalid("feeRequested", `a fee does not apply to ${rule.regime}`);
      const stop = checkStopDates(received, asOf, event.requested, event.paid, ["feeRequested", "feePaid"]);
      if (stop.to > latest) latest = stop.to;
      fees = fees ?? [];
      fees.push(stop);
    } else if (event.kind === "identity") {
      if (rule.identity === "none") {
        throw invalid(
          "identityRequested",
          `proof of identity stops the clock only for sar, not ${rule.regime}`,
        );
      }
      const stop = checkStopDates(received, asOf, event.requested, event.received, [
        "identityRequested",
        "identityReceived",
      ]);
      if (stop.to > latest) latest = stop.to;
      identities = identities ?? [];
      identities.push(stop);
    } else if (event.kind === "extension") {
      extension += extensionLength(rule, event.type, event.workingDays, extension);
    } else {
      throw invalid("events", `unknown clock event "${String((event as { kind?: unknown }).kind)}"`);
    }
  }
  if (asOf === undefined) {
    // Open stops were given `to: from` above; with no as-of date the latest date known stands in for it.
    asOf = latest;
    for (const stop of clarifications ?? []) if (stop.open) stop.to = asOf;
    for (const stop of fees ?? []) if (stop.open) stop.to = asOf;
    for (const stop of identities ?? []) if (stop.open) stop.to = asOf;
  }
  const calendar = workingCalendar(rule.calendar, settings?.extraHolidays);
  return rule.unit === "working"
    ? workingDeadline(
        rule,
        calendar,
        received,
        asOf,
        clarifications,
        fees,
        extension,
        reading,
        input.received,
      )
    : calendarDeadline(
        rule,
        calendar,
        received,
        asOf,
        clarifications,
        restarts(rule, fees, identities),
        extension,
        input.received,
      );
}

function extensionLength(
  rule: RegimeRule,
  type: unknown,
  workingDays: number | undefined,
  sofar: number,
): number {
  if (!extensionTypes.includes(type as ExtensionType)) {
    throw invalid("extension", `unknown extension "${String(type)}" (use ${extensionTypes.join(", ")})`);
  }
  const allowed = rule.extension;
  if (!allowed || allowed.type !== type) {
    const which = allowed ? ` (${rule.regime} allows ${allowed.type})` : ` (${rule.regime} has none)`;
    throw invalid("extension", `a ${String(type)} extension does not apply to ${rule.regime}${which}`);
  }
  if (rule.unit === "calendar" && workingDays !== undefined) {
    throw invalid("extensionDays", "a subject access extension is two further months, not a number of days");
  }
  const length = workingDays ?? allowed.defaultLength;
  if (!Number.isInteger(length) || length < 1 || length > allowed.maxLength) {
    throw invalid(
      "extensionDays",
      `${length} is not a whole number of working days from 1 to ${allowed.maxLength}`,
    );
  }
  if (sofar + length > allowed.maxLength) {
    throw invalid(
      "extension",
      `extensions add up to more than the ${allowed.maxLength} allowed for ${rule.regime}`,
    );
  }
  return length;
}

function beyondTable(field: string): never {
  throw invalid(field, "the due date falls after 2101, beyond the supported calendar");
}

/** The day on which `n` counted working days have passed since `start`, skipping disregarded intervals. */
function dueAfter(
  calendar: WorkingCalendar,
  start: DayNumber,
  disregarded: readonly number[],
  n: number,
): DayNumber {
  let cursor = start;
  let remaining = n;
  for (let i = 0; i < disregarded.length; i += 2) {
    const from = disregarded[i] as number;
    if (from > calendar.addWorkingDays(cursor, remaining)) break;
    remaining -= calendar.countWorkingDays(cursor, from - 1);
    cursor = disregarded[i + 1] as number;
  }
  return calendar.addWorkingDays(cursor, remaining);
}

/** FOIA, EIR, FOISA, internal review: count working days after the date of receipt. */
function workingDeadline(
  rule: RegimeRule,
  calendar: WorkingCalendar,
  received: DayNumber,
  asOf: DayNumber,
  clarifications: Stop[] | undefined,
  fees: Stop[] | undefined,
  extension: number,
  reading: "ico" | "code-2018",
  receivedText: string,
): Deadline {
  let start = received;
  let stopped = false;
  for (const stop of clarifications ?? []) {
    if (stop.to > start) start = stop.to; // s.10(6)(b): the date of receipt is the day the clarification arrives
    if (stop.open) stopped = true;
  }
  if (reading === "code-2018" && !calendar.isWorkingDay(start)) start = calendar.nextWorkingDay(start);
  let disregarded: readonly number[] = noIntervals;
  if (fees) {
    for (const stop of fees) if (stop.open) stopped = true;
    disregarded = intervalsAfter(fees, start);
  }

  const daysAllowed = rule.limit + extension;
  const due = dueAfter(calendar, start, disregarded, daysAllowed);
  if (Number.isNaN(due)) beyondTable("received");
  let daysUsed = calendar.countWorkingDays(start, asOf);
  for (let i = 0; i < disregarded.length; i += 2) {
    const from = disregarded[i] as number;
    const to = disregarded[i + 1] as number;
    if (from > asOf) break;
    daysUsed -= calendar.countWorkingDays(from - 1, to < asOf ? to : asOf);
  }
  const deadline: Deadline = {
    regime: rule.regime,
    received: receivedText,
    asOf: formatIsoDate(asOf),
    dueDate: formatIsoDate(due),
    unit: "working",
    daysAllowed,
    daysUsed,
    daysLeft: daysAllowed - daysUsed,
    stopped,
    overdue: !stopped && asOf > due,
  };
  // FOIA s.17(1): the refusal notice under a public-interest extension is due within the s.10(1) time.
  if (extension > 0 && rule.extension?.type === "pit")
    deadline.refusalNoticeDue = formatIsoDate(dueAfter(calendar, start, disregarded, rule.limit));
  return deadline;
}

/** Days of the paused intervals on or before `through`. */
function pausedThrough(paused: readonly number[], through: DayNumber): number {
  let total = 0;
  for (let i = 0; i < paused.length; i += 2) {
    const from = paused[i] as number;
    if (from > through) break;
    const to = paused[i + 1] as number;
    total += (to < through ? to : through) - from + 1;
  }
  return total;
}

/** The stops whose end starts the subject access month again: a fee and proof of identity (regimes.ts). */
function restarts(rule: RegimeRule, fees: Stop[] | undefined, identities: Stop[] | undefined): Stop[] {
  const restarting: Stop[] = [];
  if (rule.fee === "restart") restarting.push(...(fees ?? []));
  if (rule.identity === "restart") restarting.push(...(identities ?? []));
  return restarting;
}

/** Subject access: calendar months from the relevant day, clarification days added, rolled to a working day. */
function calendarDeadline(
  rule: RegimeRule,
  calendar: WorkingCalendar,
  received: DayNumber,
  asOf: DayNumber,
  clarifications: Stop[] | undefined,
  restarting: readonly Stop[],
  extension: number,
  receivedText: string,
): Deadline {
  let start = received;
  let stopped = false;
  for (const stop of restarting) {
    // ICO right-of-access guidance: the month runs from the day the fee or proof of identity is received
    if (stop.to > start) start = stop.to;
    if (stop.open) stopped = true;
  }
  let paused: readonly number[] = noIntervals;
  if (clarifications) {
    for (const stop of clarifications) if (stop.open) stopped = true;
    paused = intervalsAfter(clarifications, start);
  }
  // The due date is the first working day, outside any pause, by which the month's days have been counted.
  let end = addMonthsClamped(start, rule.limit + extension);
  for (let i = 0; i < paused.length; i += 2) {
    const from = paused[i] as number;
    const to = paused[i + 1] as number;
    if (from > calendar.nextWorkingDay(end)) break;
    // A pause inside the month adds its length; one in the days rolled over to a working day (the month ended
    // at a weekend) pushes the due date to the first working day after it.
    end = from <= end ? end + (to - from + 1) : to + 1;
  }
  const due = calendar.nextWorkingDay(end);
  if (Number.isNaN(due)) beyondTable("received");
  const daysAllowed = due - start - pausedThrough(paused, due);
  const daysUsed = asOf > start ? asOf - start - pausedThrough(paused, asOf) : 0;
  return {
    regime: rule.regime,
    received: receivedText,
    asOf: formatIsoDate(asOf),
    dueDate: formatIsoDate(due),
    unit: "calendar",
    daysAllowed,
    daysUsed,
    daysLeft: daysAllowed - daysUsed,
    stopped,
    overdue: !stopped && asOf > due,
  };
}
