// Dates as a letter prints them. The reply carries ISO dates; nothing here reads the clock.

const months = [
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

/** "2026-03-12" → "12 March 2026" (GOV.UK style: no leading zero, no ordinal). */
export function formatLongDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  const name = months[(month ?? 0) - 1];
  if (!year || !name || !day) return isoDate;
  return `${day} ${name} ${year}`;
}
