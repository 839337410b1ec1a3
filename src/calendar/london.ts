// UK statutory dates are dates in the UK: an instant (passed in, never read here) is turned into the date it
// is in Europe/London, so a request logged at 00:30 BST is received that day, not the day before in UTC.
const londonDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The date ('YYYY-MM-DD') that `instant` falls on in Europe/London. */
export function londonDate(instant: Date): string {
  return londonDay.format(instant);
}
