import { bankHolidays, type Division, divisions, type ImportedHolidays } from "../calendar/index.ts";
import type { ClockSettings, Deadline, DeadlineInput } from "./deadline.ts";
import { regimeRule } from "./regimes.ts";

/**
 * The same clock as computeDeadline, written the slow and obvious way: JavaScript Dates stepped one day at a
 * time and a set of holiday dates. It shares no date arithmetic or tables with the fast version, so the tests
 * and bench/clock.ts use it as an oracle. It assumes valid input (computeDeadline is the one that checks)
 * and knows holidays to the end of 2100 only.
 */
export function referenceDeadline(input: DeadlineInput, settings?: ClockSettings): Deadline {
  const rule = regimeRule(input.regime);
  if (!rule) throw new Error(`unknown regime ${input.regime}`);
  const holidays = holidaySet(rule.calendar === "uk" ? divisions : ["scotland"], settings?.extraHolidays);
  const isWorking = (date: string): boolean => {
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    return dow !== 0 && dow !== 6 && !holidays.has(date);
  };
  const events = input.events ?? [];
  let latest = input.received;
  for (const event of events) {
    if (event.kind === "clarification") latest = max(latest, event.received ?? event.requested);
    if (event.kind === "fee") latest = max(latest, event.paid ?? event.requested);
    if (event.kind === "identity") latest = max(latest, event.received ?? event.requested);
  }
  const asOf = input.asOf ?? latest;
  const clarifications = events.flatMap((e) =>
    e.kind === "clarification" ? [[e.requested, e.received]] : [],
  );
  const fees = events.flatMap((e) => (e.kind === "fee" ? [[e.requested, e.paid]] : []));
  const identities = events.flatMap((e) => (e.kind === "identity" ? [[e.requested, e.received]] : []));
  const stopped = [...clarifications, ...fees, ...identities].some(([, end]) => end === undefined);
  const inside = (date: string, stops: (string | undefined)[][]) =>
    stops.some(([from, to]) => date >= (from as string) && date <= (to ?? asOf));
  let extension = 0;
  for (const event of events) {
    if (event.kind === "extension") extension += event.workingDays ?? rule.extension?.defaultLength ?? 0;
  }

  if (rule.unit === "working") {
    let start = input.received;
    for (const [, to] of clarifications) start = max(start, to ?? asOf);
    if (settings?.receiptReading === "code-2018") while (!isWorking(start)) start = nextDay(start);
    const counts = (date: string) => date > start && isWorking(date) && !inside(date, fees);
    const dueAfter = (n: number) => {
      let date = start;
      for (let counted = 0; counted < n; ) {
        date = nextDay(date);
        if (counts(date)) counted++;
      }
      return date;
    };
    let daysUsed = 0;
    for (let date = nextDay(start); date <= asOf; date = nextDay(date)) if (counts(date)) daysUsed++;
    const daysAllowed = rule.limit + extension;
    const dueDate = dueAfter(daysAllowed);
    const deadline: Deadline = {
      regime: rule.regime,
      received: input.received,
      asOf,
      dueDate,
      unit: "working",
      daysAllowed,
      daysUsed,
      daysLeft: daysAllowed - daysUsed,
      stopped,
      overdue: !stopped && asOf > dueDate,
    };
    if (extension > 0 && rule.regime === "foia") deadline.refusalNoticeDue = dueAfter(rule.limit);
    return deadline;
  }

  let start = input.received;
  for (const [, to] of [...fees, ...identities]) start = max(start, to ?? asOf);
  const months = rule.limit + extension;
  const target = daysBetween(start, sameDayMonthsLater(start, months));
  const counts = (date: string) => !inside(date, clarifications);
  // The first working day outside any pause by which `target` unpaused days have passed.
  let dueDate = start;
  for (let counted = 0; ; ) {
    dueDate = nextDay(dueDate);
    if (counts(dueDate)) counted++;
    if (counted >= target && counts(dueDate) && isWorking(dueDate)) break;
  }
  let daysAllowed = 0;
  let daysUsed = 0;
  for (let date = nextDay(start); date <= dueDate; date = nextDay(date)) if (counts(date)) daysAllowed++;
  for (let date = nextDay(start); date <= asOf; date = nextDay(date)) if (counts(date)) daysUsed++;
  return {
    regime: rule.regime,
    received: input.received,
    asOf,
    dueDate,
    unit: "calendar",
    daysAllowed,
    daysUsed,
    daysLeft: daysAllowed - daysUsed,
    stopped,
    overdue: !stopped && asOf > dueDate,
  };
}

const sets = new Map<string, Set<string>>();
const importedSets = new WeakMap<ImportedHolidays, Map<string, Set<string>>>();

function holidaySet(which: readonly Division[], imported: ImportedHolidays | undefined): Set<string> {
  const cache = imported ? (importedSets.get(imported) ?? new Map<string, Set<string>>()) : sets;
  if (imported) importedSets.set(imported, cache);
  const key = which.join();
  let set = cache.get(key);
  if (!set) {
    set = new Set();
    for (const division of which) {
      for (const holiday of bankHolidays(division, 1990, 2100, imported)) set.add(holiday.date);
    }
    cache.set(key, set);
  }
  return set;
}

function max(a: string, b: string): string {
  return a > b ? a : b;
}

function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

function sameDayMonthsLater(date: string, months: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const candidate = new Date(Date.UTC(year, month - 1 + months, day));
  // Date.UTC rolls 31 Feb into March: step back to the last day of the intended month instead.
  if (candidate.getUTCDate() !== day) candidate.setUTCDate(0);
  return candidate.toISOString().slice(0, 10);
}
