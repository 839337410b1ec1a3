import { invalid } from "../errors.ts";
import { easterSunday } from "./easter.ts";
import { type DayNumber, dayFromCivil, daysInMonth, formatIsoDate, isWeekend, weekday } from "./iso-date.ts";

/** The three divisions of the GOV.UK bank-holidays feed; bank holidays differ between them. */
export type Division = "england-and-wales" | "scotland" | "northern-ireland";
export const divisions: readonly Division[] = ["england-and-wales", "scotland", "northern-ireland"];
export const divisionNames: Readonly<Record<Division, string>> = {
  "england-and-wales": "England and Wales",
  scotland: "Scotland",
  "northern-ireland": "Northern Ireland",
};

export function isDivision(value: unknown): value is Division {
  return value === "england-and-wales" || value === "scotland" || value === "northern-ireland";
}

/** One holiday as the GOV.UK feed gives it: `notes` is "Substitute day" or "" (the feed's own values). */
export interface BankHoliday {
  date: string;
  title: string;
  notes: string;
}

/** Holidays added from a GOV.UK-format file (see gov-uk-feed.ts); they add to the rules, never remove. */
export type ImportedHolidays = Readonly<Partial<Record<Division, readonly BankHoliday[]>>>;

/** The years the rules below are maintained for. */
export const firstRuleYear = 1990;
export const lastRuleYear = 2100;

const substituteDay = "Substitute day";

interface RuleHoliday {
  day: DayNumber;
  title: string;
  notes: string;
}

function firstMonday(year: number, month: number): DayNumber {
  const first = dayFromCivil(year, month, 1);
  return first + ((8 - weekday(first)) % 7);
}

function lastMonday(year: number, month: number): DayNumber {
  const last = dayFromCivil(year, month, daysInMonth(year, month));
  return last - ((weekday(last) + 6) % 7);
}

/** A fixed-date holiday that falls on a Saturday or Sunday moves to the following Monday. */
function mondayIfWeekend(day: DayNumber, title: string): RuleHoliday {
  if (!isWeekend(day)) return { day, title, notes: "" };
  return { day: day + ((8 - weekday(day)) % 7), title, notes: substituteDay };
}

/**
 * Places a run of consecutive fixed-date holidays (Christmas and Boxing Day; Scotland's 1 and 2 January),
 * moving any that fall at a weekend to the next weekday not already taken.
 * `weekdaysFirst`: GOV.UK keeps a holiday that falls on a weekday on its own date and gives the substitute
 * to the weekend one (Christmas on a Sunday: Boxing Day Mon 26, Christmas substitute Tue 27); for Scotland's
 * New Year it substitutes in order instead (1 Jan on a Sunday: New Year's Day substitute Mon 2, 2nd January
 * substitute Tue 3). The dates are the same either way; only the titles differ.
 */
function placeRun(
  items: readonly { day: DayNumber; title: string }[],
  weekdaysFirst: boolean,
): RuleHoliday[] {
  const placed: RuleHoliday[] = [];
  const taken = new Set<DayNumber>();
  const pending: { day: DayNumber; title: string }[] = [];
  for (const item of items) {
    if (!isWeekend(item.day) && (weekdaysFirst || !taken.has(item.day))) {
      placed.push({ day: item.day, title: item.title, notes: "" });
      taken.add(item.day);
    } else if (weekdaysFirst) {
      pending.push(item);
    } else {
      let day = item.day;
      while (isWeekend(day) || taken.has(day)) day++;
      placed.push({ day, title: item.title, notes: substituteDay });
      taken.add(day);
    }
  }
  for (const item of pending) {
    let day = item.day;
    while (isWeekend(day) || taken.has(day)) day++;
    placed.push({ day, title: item.title, notes: substituteDay });
    taken.add(day);
  }
  return placed;
}

/**
 * New Year's Day, England, Wales and Northern Ireland: by royal proclamation each year since 1974 under s.1(3)
 * of the Banking and Financial Dealings Act 1971, with the Monday after when it falls at a weekend.
 */
function newYear(year: number): RuleHoliday[] {
  return [mondayIfWeekend(dayFromCivil(year, 1, 1), "New Year’s Day")];
}

/** Scotland: New Year's Day and 2 January, 1971 Act Sch.1 para 2, substitutes by proclamation. */
function scottishNewYear(year: number): RuleHoliday[] {
  const first = dayFromCivil(year, 1, 1);
  return placeRun(
    [
      { day: first, title: "New Year’s Day" },
      { day: first + 1, title: "2nd January" },
    ],
    false,
  );
}

/**
 * Christmas Day (a common-law holiday in England, Wales and NI; 1971 Act Sch.1 para 2 in Scotland) and Boxing
 * Day (Sch.1 paras 1 and 3: 26 December, or 27 December when 25 or 26 is a Sunday; the Saturday substitutes
 * and Scotland's Boxing Day by proclamation under s.1(3)). gov.uk/bank-holidays shows both in every division.
 */
function christmas(year: number): RuleHoliday[] {
  const christmasDay = dayFromCivil(year, 12, 25);
  return placeRun(
    [
      { day: christmasDay, title: "Christmas Day" },
      { day: christmasDay + 1, title: "Boxing Day" },
    ],
    true,
  );
}

/** Good Friday: common law in England, Wales and NI; 1971 Act Sch.1 para 2 in Scotland. */
function goodFriday(year: number): RuleHoliday {
  return { day: easterSunday(year) - 2, title: "Good Friday", notes: "" };
}

/** Easter Monday: 1971 Act Sch.1 paras 1 and 3 (not a bank holiday in Scotland). */
function easterMonday(year: number): RuleHoliday {
  return { day: easterSunday(year) + 1, title: "Easter Monday", notes: "" };
}

/**
 * Early May bank holiday: the first Monday in May, by royal proclamation each year since 1978 (Sch.1 para 2
 * in Scotland). Moved twice by proclamation to mark VE Day.
 */
function earlyMay(year: number): RuleHoliday {
  // 1995: moved from Monday 1 May to Monday 8 May, the 50th anniversary of VE Day (royal proclamation).
  if (year === 1995)
    return { day: dayFromCivil(1995, 5, 8), title: "Early May bank holiday (VE day)", notes: "" };
  // 2020: moved from Monday 4 May to Friday 8 May, the 75th anniversary of VE Day (royal proclamation, 2019).
  if (year === 2020)
    return { day: dayFromCivil(2020, 5, 8), title: "Early May bank holiday (VE day)", notes: "" };
  return { day: firstMonday(year, 5), title: "Early May bank holiday", notes: "" };
}

/**
 * Spring bank holiday: the last Monday in May (1971 Act Sch.1 paras 1 and 3; by proclamation in Scotland).
 * Moved by royal proclamation for each jubilee, the extra jubilee day being a one-off below.
 */
function spring(year: number): RuleHoliday {
  const moved: Readonly<Record<number, DayNumber>> = {
    2002: dayFromCivil(2002, 6, 4), // Golden Jubilee: moved from 27 May to Tuesday 4 June
    2012: dayFromCivil(2012, 6, 4), // Diamond Jubilee: moved from 28 May to Monday 4 June
    2022: dayFromCivil(2022, 6, 2), // Platinum Jubilee: moved from 30 May to Thursday 2 June
  };
  return { day: moved[year] ?? lastMonday(year, 5), title: "Spring bank holiday", notes: "" };
}

/** Summer bank holiday: last Monday in August (Sch.1 paras 1 and 3); first Monday in August in Scotland (para 2). */
function summer(year: number, division: Division): RuleHoliday {
  const day = division === "scotland" ? firstMonday(year, 8) : lastMonday(year, 8);
  return { day, title: "Summer bank holiday", notes: "" };
}

/** St Patrick's Day, Northern Ireland: 1971 Act Sch.1 para 3; a weekend date moves to the Monday (proclamation). */
function stPatricksDay(year: number): RuleHoliday {
  return mondayIfWeekend(dayFromCivil(year, 3, 17), "St Patrick’s Day");
}

/** Battle of the Boyne, Northern Ireland: 12 July by royal proclamation each year (s.1(3)); weekend → Monday. */
function battleOfTheBoyne(year: number): RuleHoliday {
  return mondayIfWeekend(dayFromCivil(year, 7, 12), "Battle of the Boyne (Orangemen’s Day)");
}

/**
 * St Andrew's Day, Scotland, from 2007: St Andrew's Day Bank Holiday (Scotland) Act 2007 s.1 (30 November, or
 * the following Monday when it falls on a Saturday or Sunday).
 */
function stAndrewsDay(year: number): RuleHoliday[] {
  if (year < 2007) return [];
  return [mondayIfWeekend(dayFromCivil(year, 11, 30), "St Andrew’s Day")];
}

const everywhere: readonly Division[] = divisions;

/**
 * One-off bank holidays, each appointed by royal proclamation under s.1(3) of the 1971 Act (the days moved
 * to make room for them are in earlyMay and spring above). Checked against gov.uk/bank-holidays from 2012.
 */
export const oneOffHolidays: readonly { date: string; title: string; divisions: readonly Division[] }[] = [
  { date: "1999-12-31", title: "Millennium Day", divisions: everywhere },
  { date: "2002-06-03", title: "Queen’s Golden Jubilee", divisions: everywhere },
  { date: "2011-04-29", title: "Royal wedding", divisions: everywhere }, // Prince William and Catherine Middleton
  { date: "2012-06-05", title: "Queen’s Diamond Jubilee", divisions: everywhere },
  { date: "2022-06-03", title: "Platinum Jubilee bank holiday", divisions: everywhere },
  {
    date: "2022-09-19",
    title: "Bank Holiday for the State Funeral of Queen Elizabeth II",
    divisions: everywhere,
  },
  { date: "2023-05-08", title: "Bank holiday for the coronation of King Charles III", divisions: everywhere },
  // Proclaimed 4 February 2026 at the First Minister's request: Scotland's first men's World Cup finals
  // since 1998 (opening match Sunday 14 June). Scotland only. The title is ours.
  { date: "2026-06-15", title: "Bank holiday for Scotland’s FIFA World Cup", divisions: ["scotland"] },
];

const oneOffsByYear = new Map<number, { day: DayNumber; title: string; divisions: readonly Division[] }[]>();
for (const holiday of oneOffHolidays) {
  const year = Number(holiday.date.slice(0, 4));
  const [y, m, d] = holiday.date.split("-").map(Number) as [number, number, number];
  const list = oneOffsByYear.get(year) ?? [];
  list.push({ day: dayFromCivil(y, m, d), title: holiday.title, divisions: holiday.divisions });
  oneOffsByYear.set(year, list);
}

function ruleHolidays(division: Division, year: number): RuleHoliday[] {
  const list: RuleHoliday[] = [];
  if (division === "scotland") {
    list.push(
      ...scottishNewYear(year),
      goodFriday(year),
      earlyMay(year),
      spring(year),
      summer(year, division),
    );
    list.push(...stAndrewsDay(year));
  } else {
    list.push(...newYear(year), goodFriday(year), easterMonday(year), earlyMay(year), spring(year));
    list.push(summer(year, division));
    if (division === "northern-ireland") list.push(stPatricksDay(year), battleOfTheBoyne(year));
  }
  list.push(...christmas(year));
  for (const oneOff of oneOffsByYear.get(year) ?? []) {
    if (oneOff.divisions.includes(division)) list.push({ day: oneOff.day, title: oneOff.title, notes: "" });
  }
  return list.sort((a, b) => a.day - b.day);
}

/**
 * The days the rules make holidays in one division and year, for the working-day tables (which also run
 * through 2101 so that a deadline late in 2100 can still be counted).
 */
export function ruleHolidayDays(division: Division, year: number): DayNumber[] {
  return ruleHolidays(division, year).map((holiday) => holiday.day);
}

function checkYears(fromYear: number, toYear: number): void {
  for (const [field, year] of [
    ["from", fromYear],
    ["to", toYear],
  ] as const) {
    if (!Number.isInteger(year) || year < firstRuleYear || year > lastRuleYear) {
      throw invalid(field, `${year} is not a year from ${firstRuleYear} to ${lastRuleYear}`);
    }
  }
  if (fromYear > toYear) throw invalid("to", `${toYear} is before ${fromYear}`);
}

/**
 * The bank holidays of one division from `fromYear` to `toYear` inclusive, in date order: the rules plus any
 * imported holidays (an imported date the rules already have keeps the rule's title). Years 1990–2100.
 */
export function bankHolidays(
  division: Division,
  fromYear: number,
  toYear: number,
  imported?: ImportedHolidays,
): BankHoliday[] {
  checkYears(fromYear, toYear);
  const result: BankHoliday[] = [];
  const seen = new Set<string>();
  for (let year = fromYear; year <= toYear; year++) {
    for (const holiday of ruleHolidays(division, year)) {
      const date = formatIsoDate(holiday.day);
      seen.add(date);
      result.push({ date, title: holiday.title, notes: holiday.notes });
    }
  }
  const extra = imported?.[division] ?? [];
  let added = false;
  for (const holiday of extra) {
    const year = Number(holiday.date.slice(0, 4));
    if (year < fromYear || year > toYear || seen.has(holiday.date)) continue;
    seen.add(holiday.date);
    result.push({ date: holiday.date, title: holiday.title, notes: holiday.notes });
    added = true;
  }
  if (added) result.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return result;
}

/** A holiday's title for a listing: "Boxing Day (substitute day)". */
export function holidayLabel(holiday: BankHoliday): string {
  return holiday.notes ? `${holiday.title} (${holiday.notes.toLowerCase()})` : holiday.title;
}

export interface HolidayListing {
  date: string;
  title: string;
}

/**
 * Holidays for one division, or for `"all"`: the union over the UK (the days FOIA s.10(6) excludes), one entry
 * per date, naming the divisions when not all three share it:
 * "Easter Monday (England and Wales, Northern Ireland)", "2nd January (substitute day, Scotland)".
 */
export function listHolidays(
  division: Division | "all",
  fromYear: number,
  toYear: number,
  imported?: ImportedHolidays,
): HolidayListing[] {
  if (division !== "all") {
    return bankHolidays(division, fromYear, toYear, imported).map((h) => ({
      date: h.date,
      title: holidayLabel(h),
    }));
  }
  const byDate = new Map<string, Map<string, { title: string; notes: string; divisions: Division[] }>>();
  for (const each of divisions) {
    for (const holiday of bankHolidays(each, fromYear, toYear, imported)) {
      const groups = byDate.get(holiday.date) ?? new Map();
      const key = `${holiday.title}\u0000${holiday.notes}`;
      const group = groups.get(key) ?? { title: holiday.title, notes: holiday.notes, divisions: [] };
      group.divisions.push(each);
      groups.set(key, group);
      byDate.set(holiday.date, groups);
    }
  }
  return [...byDate.keys()].sort().map((date) => {
    const titles = [...(byDate.get(date)?.values() ?? [])].map((group) => {
      const qualifiers: string[] = [];
      if (group.notes) qualifiers.push(group.notes.toLowerCase());
      if (group.divisions.length < divisions.length)
        qualifiers.push(...group.divisions.map((d) => divisionNames[d]));
      return qualifiers.length ? `${group.title} (${qualifiers.join(", ")})` : group.title;
    });
    return { date, title: titles.join("; ") };
  });
}
