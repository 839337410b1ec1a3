import { type Division, divisions, type ImportedHolidays, ruleHolidayDays } from "./bank-holidays.ts";
import { type DayNumber, dayFromCivil, isWeekend, tryParseIsoDate } from "./iso-date.ts";

/**
 * Which days count as working days:
 * - "uk": FOIA s.10(6) and EIR reg 2(1): not a Saturday, Sunday, Christmas Day, Good Friday or a bank holiday
 *   in *any* part of the United Kingdom, so Scotland's 2 January and Northern Ireland's 12 July stop the
 *   clock for an authority in Cardiff too.
 * - "scotland": FOISA s.73: not a Saturday, Sunday, Christmas Day or a bank holiday in Scotland.
 */
export type CalendarKind = "uk" | "scotland";

const kindDivisions: Readonly<Record<CalendarKind, readonly Division[]>> = {
  uk: divisions,
  scotland: ["scotland"],
};

/** The tables run from 1990 to the end of 2101, so a deadline counted from late 2100 still fits. */
export const tableFirstDay: DayNumber = dayFromCivil(1990, 1, 1);
export const tableLastDay: DayNumber = dayFromCivil(2101, 12, 31);
const tableFirstYear = 1990;
const tableLastYear = 2101;

/**
 * Working days precomputed once per kind: `before[i]` is the number of working days before day
 * `tableFirstDay + i`, and `workingDays` lists them in order, so counting and adding working days are O(1).
 * Days outside the table give NaN rather than throwing: callers check the result once.
 */
export class WorkingCalendar {
  readonly kind: CalendarKind;
  readonly #working: Uint8Array;
  readonly #before: Int32Array;
  readonly #workingDays: Int32Array;

  constructor(kind: CalendarKind, imported?: ImportedHolidays) {
    this.kind = kind;
    const size = tableLastDay - tableFirstDay + 1;
    const working = new Uint8Array(size);
    for (let day = tableFirstDay; day <= tableLastDay; day++)
      working[day - tableFirstDay] = isWeekend(day) ? 0 : 1;
    for (const division of kindDivisions[kind]) {
      for (let year = tableFirstYear; year <= tableLastYear; year++) {
        for (const day of ruleHolidayDays(division, year)) working[day - tableFirstDay] = 0;
      }
      for (const holiday of imported?.[division] ?? []) {
        const day = tryParseIsoDate(holiday.date);
        if (day >= tableFirstDay && day <= tableLastDay) working[day - tableFirstDay] = 0;
      }
    }
    const before = new Int32Array(size + 1);
    const list: number[] = [];
    for (let index = 0; index < size; index++) {
      if (working[index] === 1) list.push(tableFirstDay + index);
      before[index + 1] = list.length;
    }
    this.#working = working;
    this.#before = before;
    this.#workingDays = Int32Array.from(list);
  }

  isWorkingDay(day: DayNumber): boolean {
    return this.#working[day - tableFirstDay] === 1;
  }

  /** Working days on or before `day` since the table starts (NaN outside the table). */
  workingDaysThrough(day: DayNumber): number {
    return this.#before[day - tableFirstDay + 1] ?? Number.NaN;
  }

  /** Working days `d` with `after < d <= through` (0 when `through <= after`). */
  countWorkingDays(after: DayNumber, through: DayNumber): number {
    if (through <= after) return 0;
    return this.workingDaysThrough(through) - this.workingDaysThrough(after);
  }

  /** The `n`th working day after `after` (n >= 1): working day 1 is the first one after it. */
  addWorkingDays(after: DayNumber, n: number): DayNumber {
    return this.#workingDays[this.workingDaysThrough(after) + n - 1] ?? Number.NaN;
  }

  /** `day` itself if it is a working day, otherwise the next one. */
  nextWorkingDay(day: DayNumber): DayNumber {
    return this.#workingDays[this.workingDaysThrough(day - 1)] ?? Number.NaN;
  }
}

const plainCalendars = new Map<CalendarKind, WorkingCalendar>();
const importedCalendars = new WeakMap<ImportedHolidays, Map<CalendarKind, WorkingCalendar>>();

/**
 * The calendar for a kind, built once and cached: per kind for the rules alone, and per imported feed object
 * (keep the parsed feed and pass the same object again to reuse its calendar).
 */
export function workingCalendar(kind: CalendarKind, imported?: ImportedHolidays): WorkingCalendar {
  const cache = imported
    ? (importedCalendars.get(imported) ?? new Map<CalendarKind, WorkingCalendar>())
    : plainCalendars;
  if (imported) importedCalendars.set(imported, cache);
  let calendar = cache.get(kind);
  if (!calendar) {
    calendar = new WorkingCalendar(kind, imported);
    cache.set(kind, calendar);
  }
  return calendar;
}
