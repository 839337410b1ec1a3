import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bankHolidays } from "./bank-holidays.ts";
import { dayFromCivil, isWeekend, tryParseIsoDate } from "./iso-date.ts";
import { tableFirstDay, tableLastDay, workingCalendar } from "./working-calendar.ts";

const uk = workingCalendar("uk");
const scotland = workingCalendar("scotland");
const day = (iso: string) => tryParseIsoDate(iso);
const lastCountable = dayFromCivil(2100, 12, 31);
const days = fc.integer({ min: tableFirstDay, max: lastCountable });

describe("working calendars", () => {
  it("are built once and cached", () => {
    expect(workingCalendar("uk")).toBe(uk);
    expect(workingCalendar("scotland")).toBe(scotland);
  });

  it("UK-wide (FOIA s.10(6)): a holiday in any division is not a working day", () => {
    expect(uk.isWorkingDay(day("2023-07-12"))).toBe(false); // NI only
    expect(uk.isWorkingDay(day("2023-03-17"))).toBe(false); // NI only
    expect(uk.isWorkingDay(day("2023-01-03"))).toBe(false); // Scotland only
    expect(uk.isWorkingDay(day("2023-04-10"))).toBe(false); // Easter Monday, not Scotland
    expect(uk.isWorkingDay(day("2023-07-11"))).toBe(true);
  });

  it("Scotland (FOISA s.73): only Scottish bank holidays", () => {
    expect(scotland.isWorkingDay(day("2023-07-12"))).toBe(true);
    expect(scotland.isWorkingDay(day("2023-04-10"))).toBe(true);
    expect(scotland.isWorkingDay(day("2023-01-03"))).toBe(false);
    expect(scotland.isWorkingDay(day("2023-04-07"))).toBe(false); // Good Friday
    expect(scotland.isWorkingDay(day("2026-06-15"))).toBe(false); // the World Cup holiday
  });

  it("marks exactly the weekdays that are not holidays", () => {
    const holidays = new Set(
      (["england-and-wales", "scotland", "northern-ireland"] as const).flatMap((d) =>
        bankHolidays(d, 1990, 2100).map((h) => tryParseIsoDate(h.date)),
      ),
    );
    for (let d = tableFirstDay; d <= lastCountable; d++) {
      if (uk.isWorkingDay(d) !== (!isWeekend(d) && !holidays.has(d))) throw new Error(`day ${d}`);
    }
  });

  it("adding n working days then counting back gives n, and lands on a working day", () => {
    fc.assert(
      fc.property(days, fc.integer({ min: 1, max: 200 }), fc.boolean(), (start, n, scottish) => {
        const calendar = scottish ? scotland : uk;
        const end = calendar.addWorkingDays(start, n);
        expect(calendar.isWorkingDay(end)).toBe(true);
        expect(calendar.countWorkingDays(start, end)).toBe(n);
        expect(calendar.countWorkingDays(start, end - 1)).toBe(n - 1);
      }),
    );
  });

  it("counts as a day-by-day loop does", () => {
    fc.assert(
      fc.property(days, fc.integer({ min: 0, max: 120 }), (from, length) => {
        let expected = 0;
        for (let d = from + 1; d <= from + length; d++) if (uk.isWorkingDay(d)) expected++;
        expect(uk.countWorkingDays(from, from + length)).toBe(expected);
        let next = from;
        while (!uk.isWorkingDay(next)) next++;
        expect(uk.nextWorkingDay(from)).toBe(next);
      }),
    );
  });

  it("gives NaN past the end of the table instead of a wrong day", () => {
    expect(uk.addWorkingDays(tableLastDay - 3, 10)).toBeNaN();
  });
});
