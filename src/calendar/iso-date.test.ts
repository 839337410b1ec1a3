import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DomainError } from "../errors.ts";
import {
  addMonthsClamped,
  civilFromDay,
  dayFromCivil,
  formatHumanDate,
  formatIsoDate,
  parseIsoDate,
  tryParseIsoDate,
  weekday,
} from "./iso-date.ts";

const msPerDay = 86_400_000;

describe("ISO dates", () => {
  it("parses strictly: impossible days and loose shapes are rejected", () => {
    expect(formatIsoDate(tryParseIsoDate("2024-02-29"))).toBe("2024-02-29");
    for (const text of ["2023-02-29", "2023-02-30", "2100-02-29", "2023-04-31", "2023-13-01", "2023-00-10"]) {
      expect(tryParseIsoDate(text), text).toBeNaN();
    }
    for (const text of [
      "2023-2-3",
      "20230203",
      "2023-02-0a",
      "2023/02/03",
      " 2023-02-03",
      "2023-02-03T00:00",
      "",
    ]) {
      expect(tryParseIsoDate(text), text).toBeNaN();
    }
    expect(formatIsoDate(tryParseIsoDate("2000-02-29"))).toBe("2000-02-29");
  });

  it("says whether the shape or the day is wrong, naming the field", () => {
    const attempt = (text: unknown) => {
      try {
        parseIsoDate(text, "received");
      } catch (error) {
        return error as DomainError;
      }
      throw new Error("expected an error");
    };
    expect(attempt("2023-02-30")).toMatchObject({
      code: "invalid",
      field: "received",
      message: "2023-02-30 is not a real date",
    });
    expect(attempt("30/02/2023").message).toContain("YYYY-MM-DD");
    expect(attempt(undefined).field).toBe("received");
  });

  it("agrees with Date on day numbers, weekdays and formatting", () => {
    fc.assert(
      fc.property(fc.integer({ min: -30_000, max: 100_000 }), (dayNumber) => {
        const date = new Date(dayNumber * msPerDay);
        const iso = date.toISOString().slice(0, 10);
        expect(formatIsoDate(dayNumber)).toBe(iso);
        expect(tryParseIsoDate(iso)).toBe(dayNumber);
        expect(weekday(dayNumber)).toBe(date.getUTCDay());
        const { year, month, day } = civilFromDay(dayNumber);
        expect(dayFromCivil(year, month, day)).toBe(dayNumber);
      }),
    );
  });

  it("formats for people with the weekday", () => {
    expect(formatHumanDate(tryParseIsoDate("2022-12-29"))).toBe("Thu 29 Dec 2022");
    expect(formatHumanDate(tryParseIsoDate("2026-01-01"))).toBe("Thu 1 Jan 2026");
  });

  it("adds months by the corresponding date, clamped to the end of a short month", () => {
    const plus = (iso: string, months: number) =>
      formatIsoDate(addMonthsClamped(tryParseIsoDate(iso), months));
    expect(plus("2023-01-31", 1)).toBe("2023-02-28");
    expect(plus("2024-01-31", 1)).toBe("2024-02-29");
    expect(plus("2023-03-31", 1)).toBe("2023-04-30");
    expect(plus("2023-09-03", 1)).toBe("2023-10-03");
    expect(plus("2023-12-15", 1)).toBe("2024-01-15");
    expect(plus("2023-11-30", 3)).toBe("2024-02-29");
  });
});
