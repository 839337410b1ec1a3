// Dates as a letter prints them ("12 March 2026"): the calendar module's one formatter, so that the letters
// and the pages name the months in one place. The reply carries ISO dates; nothing here reads the clock.
export { formatLongDate } from "../calendar/index.ts";
