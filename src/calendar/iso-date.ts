import { invalid } from "../errors.ts";

/**
 * Dates are ISO strings ('YYYY-MM-DD') at every boundary and day numbers inside: whole days since
 * 1970-01-01, with no time of day and no time zone. A request is received on a date in the United Kingdom;
 * turning an instant into that date (Europe/London) is the caller's job, since this module never reads a clock.
 */
export type DayNumber = number;

/** Days from 1970-01-01 to the given Gregorian date (Howard Hinnant's days_from_civil). */
export function dayFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export interface CivilDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

/** The Gregorian date of a day number (Howard Hinnant's civil_from_days). */
export function civilFromDay(dayNumber: DayNumber): CivilDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(dayNumber: DayNumber): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isWeekend(dayNumber: DayNumber): boolean {
  const dow = weekday(dayNumber);
  return dow === 0 || dow === 6;
}

function digit(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : Number.NaN;
}

/**
 * The day number of a strict 'YYYY-MM-DD' string, or NaN when the text is not one or names a day that does
 * not exist (2023-02-30). Hand-rolled because the clock parses dates millions of times a second.
 */
export function tryParseIsoDate(text: string): DayNumber {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
  const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const month = digit(text, 5) * 10 + digit(text, 6);
  const day = digit(text, 8) * 10 + digit(text, 9);
  // NaN fails every comparison, so a non-digit anywhere falls out here.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return Number.NaN;
  return dayFromCivil(year, month, day);
}

const isoShape = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a date or throws `invalid(field, …)` saying whether the shape or the day itself is wrong. */
export function parseIsoDate(text: unknown, field: string): DayNumber {
  if (typeof text !== "string") throw invalid(field, "a date is required (YYYY-MM-DD)");
  const dayNumber = tryParseIsoDate(text);
  if (!Number.isNaN(dayNumber)) return dayNumber;
  if (!isoShape.test(text)) throw invalid(field, `"${text}" is not a date in the form YYYY-MM-DD`);
  throw invalid(field, `${text} is not a real date`);
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function formatUncached(dayNumber: DayNumber): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

// Formatting is on the hot path of every deadline, so the supported years are memoised lazily, in an array
// filled up front with "" so that it stays a packed array rather than a sparse (dictionary) one.
const cacheFirst = dayFromCivil(1990, 1, 1);
const cacheLast = dayFromCivil(2101, 12, 31);
const cache: string[] = new Array<string>(cacheLast - cacheFirst + 1).fill("");

export function formatIsoDate(dayNumber: DayNumber): string {
  if (dayNumber < cacheFirst || dayNumber > cacheLast) return formatUncached(dayNumber);
  const index = dayNumber - cacheFirst;
  const cached = cache[index] as string;
  if (cached !== "") return cached;
  const text = formatUncached(dayNumber);
  cache[index] = text;
  return text;
}

const weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const longMonthNames = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "2026-03-12" → "12 March 2026" (GOV.UK style: no leading zero, no ordinal); other text as it is. */
export function formatLongDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  const name = longMonthNames[(month ?? 0) - 1];
  if (!year || !name || !day) return isoDate;
  return `${day} ${name} ${year}`;
}

/** For people: "Thu 29 Dec 2022" (GOV.UK style, no leading zero). */
export function formatHumanDate(dayNumber: DayNumber): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${weekdayNames[weekday(dayNumber)]} ${day} ${monthNames[month - 1]} ${year}`;
}

/**
 * The same day of the month `months` later, or the last day of that month when it is shorter
 * (31 Jan + 1 month = 28 or 29 Feb): the ICO's "corresponding calendar date" for subject access.
 */
export function addMonthsClamped(dayNumber: DayNumber, months: number): DayNumber {
  const { year, month, day } = civilFromDay(dayNumber);
  const monthIndex = month - 1 + months;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = (((monthIndex % 12) + 12) % 12) + 1;
  return dayFromCivil(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}
