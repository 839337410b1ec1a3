import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { easterSunday } from "./easter.ts";
import { civilFromDay, formatIsoDate, weekday } from "./iso-date.ts";

describe("Easter", () => {
  it("matches published Easter Sundays", () => {
    const known: Record<number, string> = {
      1990: "1990-04-15",
      1995: "1995-04-16",
      2000: "2000-04-23",
      2008: "2008-03-23",
      2011: "2011-04-24",
      2019: "2019-04-21",
      2023: "2023-04-09",
      2024: "2024-03-31",
      2025: "2025-04-20",
      2026: "2026-04-05",
      2027: "2027-03-28",
      2028: "2028-04-16",
      2038: "2038-04-25",
      2100: "2100-03-28",
    };
    for (const [year, date] of Object.entries(known))
      expect(formatIsoDate(easterSunday(Number(year)))).toBe(date);
  });

  it("is always a Sunday between 22 March and 25 April", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 4099 }), (year) => {
        const easter = easterSunday(year);
        expect(weekday(easter)).toBe(0);
        const { month, day } = civilFromDay(easter);
        expect(month * 100 + day).toBeGreaterThanOrEqual(322);
        expect(month * 100 + day).toBeLessThanOrEqual(425);
      }),
    );
  });
});
