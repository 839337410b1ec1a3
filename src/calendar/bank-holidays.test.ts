import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { bankHolidays, type Division, divisions, listHolidays, oneOffHolidays } from "./bank-holidays.ts";
import { isWeekend, tryParseIsoDate } from "./iso-date.ts";

/**
 * The published lists (gov.uk/bank-holidays, and for 1995–2011 the proclamations), month-day only.
 * Written out by hand from those lists, not generated from the rules.
 */
const published: Record<number, Record<Division, string>> = {
  1995: {
    "england-and-wales": "01-02 04-14 04-17 05-08 05-29 08-28 12-25 12-26",
    scotland: "01-02 01-03 04-14 05-08 05-29 08-07 12-25 12-26",
    "northern-ireland": "01-02 03-17 04-14 04-17 05-08 05-29 07-12 08-28 12-25 12-26",
  },
  1999: {
    "england-and-wales": "01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28 12-31",
    scotland: "01-01 01-04 04-02 05-03 05-31 08-02 12-27 12-28 12-31",
    "northern-ireland": "01-01 03-17 04-02 04-05 05-03 05-31 07-12 08-30 12-27 12-28 12-31",
  },
  2002: {
    "england-and-wales": "01-01 03-29 04-01 05-06 06-03 06-04 08-26 12-25 12-26",
    scotland: "01-01 01-02 03-29 05-06 06-03 06-04 08-05 12-25 12-26",
    "northern-ireland": "01-01 03-18 03-29 04-01 05-06 06-03 06-04 07-12 08-26 12-25 12-26",
  },
  2011: {
    "england-and-wales": "01-03 04-22 04-25 04-29 05-02 05-30 08-29 12-26 12-27",
    scotland: "01-03 01-04 04-22 04-29 05-02 05-30 08-01 11-30 12-26 12-27",
    "northern-ireland": "01-03 03-17 04-22 04-25 04-29 05-02 05-30 07-12 08-29 12-26 12-27",
  },
  2012: {
    "england-and-wales": "01-02 04-06 04-09 05-07 06-04 06-05 08-27 12-25 12-26",
    scotland: "01-02 01-03 04-06 05-07 06-04 06-05 08-06 11-30 12-25 12-26",
    "northern-ireland": "01-02 03-19 04-06 04-09 05-07 06-04 06-05 07-12 08-27 12-25 12-26",
  },
  2020: {
    "england-and-wales": "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28",
    scotland: "01-01 01-02 04-10 05-08 05-25 08-03 11-30 12-25 12-28",
    "northern-ireland": "01-01 03-17 04-10 04-13 05-08 05-25 07-13 08-31 12-25 12-28",
  },
  2022: {
    "england-and-wales": "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27",
    scotland: "01-03 01-04 04-15 05-02 06-02 06-03 08-01 09-19 11-30 12-26 12-27",
    "northern-ireland": "01-03 03-17 04-15 04-18 05-02 06-02 06-03 07-12 08-29 09-19 12-26 12-27",
  },
  2023: {
    "england-and-wales": "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26",
    scotland: "01-02 01-03 04-07 05-01 05-08 05-29 08-07 11-30 12-25 12-26",
    "northern-ireland": "01-02 03-17 04-07 04-10 05-01 05-08 05-29 07-12 08-28 12-25 12-26",
  },
  2024: {
    "england-and-wales": "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26",
    scotland: "01-01 01-02 03-29 05-06 05-27 08-05 12-02 12-25 12-26",
    "northern-ireland": "01-01 03-18 03-29 04-01 05-06 05-27 07-12 08-26 12-25 12-26",
  },
  2025: {
    "england-and-wales": "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    scotland: "01-01 01-02 04-18 05-05 05-26 08-04 12-01 12-25 12-26",
    "northern-ireland": "01-01 03-17 04-18 04-21 05-05 05-26 07-14 08-25 12-25 12-26",
  },
  2026: {
    "england-and-wales": "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28",
    scotland: "01-01 01-02 04-03 05-04 05-25 06-15 08-03 11-30 12-25 12-28",
    "northern-ireland": "01-01 03-17 04-03 04-06 05-04 05-25 07-13 08-31 12-25 12-28",
  },
  2027: {
    "england-and-wales": "01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28",
    scotland: "01-01 01-04 03-26 05-03 05-31 08-02 11-30 12-27 12-28",
    "northern-ireland": "01-01 03-17 03-26 03-29 05-03 05-31 07-12 08-30 12-27 12-28",
  },
  2028: {
    "england-and-wales": "01-03 04-14 04-17 05-01 05-29 08-28 12-25 12-26",
    scotland: "01-03 01-04 04-14 05-01 05-29 08-07 11-30 12-25 12-26",
    "northern-ireland": "01-03 03-17 04-14 04-17 05-01 05-29 07-12 08-28 12-25 12-26",
  },
};

describe("bank holidays by rule", () => {
  for (const [year, lists] of Object.entries(published)) {
    for (const division of divisions) {
      it(`${year} ${division} matches the published list`, () => {
        const dates = bankHolidays(division, Number(year), Number(year)).map((h) => h.date.slice(5));
        expect(dates.join(" ")).toBe(lists[division]);
      });
    }
  }

  it("titles substitutes as GOV.UK does", () => {
    const titles = (division: Division, year: number) =>
      bankHolidays(division, year, year).map((h) => `${h.date} ${h.title}${h.notes ? ` [${h.notes}]` : ""}`);
    // Christmas on a Sunday: Boxing Day keeps its Monday, Christmas takes the Tuesday.
    expect(titles("england-and-wales", 2022)).toContain("2022-12-26 Boxing Day");
    expect(titles("england-and-wales", 2022)).toContain("2022-12-27 Christmas Day [Substitute day]");
    // Scotland, 1 January on a Sunday.
    expect(titles("scotland", 2023).slice(0, 2)).toEqual([
      "2023-01-02 New Year’s Day [Substitute day]",
      "2023-01-03 2nd January [Substitute day]",
    ]);
    expect(titles("scotland", 2024)).toContain("2024-12-02 St Andrew’s Day [Substitute day]");
    expect(titles("northern-ireland", 2026)).toContain(
      "2026-07-13 Battle of the Boyne (Orangemen’s Day) [Substitute day]",
    );
    expect(titles("northern-ireland", 2024)).toContain("2024-03-18 St Patrick’s Day [Substitute day]");
  });

  it("has St Andrew's Day only from 2007, when the 2007 Act first applied", () => {
    expect(bankHolidays("scotland", 2006, 2006).some((h) => h.title.startsWith("St Andrew"))).toBe(false);
    expect(bankHolidays("scotland", 2007, 2007).some((h) => h.date === "2007-11-30")).toBe(true);
  });

  it("every year 1990–2100 has the regular holidays on weekdays, once each, plus that year's one-offs", () => {
    const regular: Record<Division, (year: number) => number> = {
      "england-and-wales": () => 8,
      scotland: (year) => (year >= 2007 ? 9 : 8),
      "northern-ireland": () => 10,
    };
    for (const division of divisions) {
      for (let year = 1990; year <= 2100; year++) {
        const list = bankHolidays(division, year, year);
        const oneOffs = oneOffHolidays.filter(
          (h) => h.date.startsWith(`${year}-`) && h.divisions.includes(division),
        );
        expect(list.length, `${division} ${year}`).toBe(regular[division](year) + oneOffs.length);
        expect(new Set(list.map((h) => h.date)).size).toBe(list.length);
        for (const holiday of list) {
          expect(holiday.date.startsWith(`${year}-`)).toBe(true);
          expect(isWeekend(tryParseIsoDate(holiday.date)), holiday.date).toBe(false);
        }
        expect([...list].sort((a, b) => a.date.localeCompare(b.date))).toEqual(list);
      }
    }
  });

  it("rejects years outside 1990–2100, naming the option", () => {
    expect(() => bankHolidays("scotland", 1989, 1990)).toThrowError(DomainError);
    expect(() => bankHolidays("scotland", 2030, 2020)).toThrowError(/before/);
  });
});

describe("listing for --division all", () => {
  it("is the union by date, with the divisions named when not all share a day", () => {
    const list = listHolidays("all", 2026, 2026);
    const byDate = Object.fromEntries(list.map((h) => [h.date, h.title]));
    expect(byDate["2026-01-01"]).toBe("New Year’s Day");
    expect(byDate["2026-01-02"]).toBe("2nd January (Scotland)");
    expect(byDate["2026-03-17"]).toBe("St Patrick’s Day (Northern Ireland)");
    expect(byDate["2026-04-06"]).toBe("Easter Monday (England and Wales, Northern Ireland)");
    expect(byDate["2026-06-15"]).toBe("Bank holiday for Scotland’s FIFA World Cup (Scotland)");
    expect(byDate["2026-07-13"]).toBe(
      "Battle of the Boyne (Orangemen’s Day) (substitute day, Northern Ireland)",
    );
    expect(byDate["2026-12-28"]).toBe("Boxing Day (substitute day)");
    const dates = list.map((h) => h.date);
    expect(dates).toEqual([...new Set(dates)].sort());
    const separately = new Set(divisions.flatMap((d) => bankHolidays(d, 2026, 2026).map((h) => h.date)));
    expect(new Set(dates)).toEqual(separately);
  });
});
