// The calendar: dates, Easter, UK bank holidays by rule and by import, and working days. Pure, no I/O, no
// clock: it knows nothing of the law (the law module decides which calendar a regime counts in).
export {
  type BankHoliday,
  bankHolidays,
  type Division,
  divisionNames,
  divisions,
  firstRuleYear,
  type HolidayListing,
  holidayLabel,
  type ImportedHolidays,
  isDivision,
  lastRuleYear,
  listHolidays,
  oneOffHolidays,
} from "./bank-holidays.ts";
export { easterSunday } from "./easter.ts";
export { parseGovUkFeed } from "./gov-uk-feed.ts";
export {
  addMonthsClamped,
  type CivilDate,
  civilFromDay,
  type DayNumber,
  dayFromCivil,
  daysInMonth,
  formatHumanDate,
  formatIsoDate,
  formatLongDate,
  isWeekend,
  parseIsoDate,
  tryParseIsoDate,
  weekday,
} from "./iso-date.ts";
export { londonDate } from "./london.ts";
export {
  type CalendarKind,
  tableFirstDay,
  tableLastDay,
  WorkingCalendar,
  workingCalendar,
} from "./working-calendar.ts";
