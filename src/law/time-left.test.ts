import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatIsoDate, parseGovUkFeed, tryParseIsoDate } from "../calendar/index.ts";
import { computeDeadline } from "./deadline.ts";
import { timeLeft } from "./time-left.ts";

describe("timeLeft: days left and overdue, for every law, calendar and stage", () => {
  it("counts FOISA on Scotland's calendar and FOIA on the UK's (FOISA s.73, FOIA s.10(6))", () => {
    // Mon 14 July 2025 to Tue 15 July: Northern Ireland's 12 July substitute is Mon 14 July.
    const foia = timeLeft({ regime: "foia", kind: "reply", dueDate: "2025-07-18", asOf: "2025-07-11" });
    const foisa = timeLeft({ regime: "foisa", kind: "reply", dueDate: "2025-07-18", asOf: "2025-07-11" });
    expect(foia).toMatchObject({ unit: "working", calendar: "uk", daysLeft: 4, overdue: false });
    expect(foisa).toMatchObject({ unit: "working", calendar: "scotland", daysLeft: 5, overdue: false });
  });

  it("counts the authority's imported holidays", () => {
    const feed = parseGovUkFeed('{"england-and-wales":{"events":[{"title":"Extra","date":"2027-06-07"}]}}');
    const input = { regime: "foia", kind: "reply", dueDate: "2027-06-10", asOf: "2027-06-03" } as const;
    expect(timeLeft(input).daysLeft).toBe(5);
    expect(timeLeft(input, { extraHolidays: feed }).daysLeft).toBe(4);
  });

  it("says overdue from the day after the due date, and a weekend after it still counts as a day late", () => {
    const due = { regime: "foia", kind: "reply", dueDate: "2026-03-06" } as const; // a Friday
    expect(timeLeft({ ...due, asOf: "2026-03-06" })).toMatchObject({ daysLeft: 0, overdue: false });
    expect(timeLeft({ ...due, asOf: "2026-03-07" })).toMatchObject({ daysLeft: -1, overdue: true });
    expect(timeLeft({ ...due, asOf: "2026-03-10" })).toMatchObject({ daysLeft: -2, overdue: true });
  });

  it("counts subject access and the regulator stage in calendar days", () => {
    expect(
      timeLeft({ regime: "sar", kind: "reply", dueDate: "2026-03-09", asOf: "2026-03-02" }),
    ).toMatchObject({ unit: "calendar", daysLeft: 7 });
    expect(
      timeLeft({ regime: "foia", kind: "compliance", dueDate: "2026-03-09", asOf: "2026-03-10" }),
    ).toMatchObject({ unit: "calendar", daysLeft: -1, overdue: true, closed: false });
  });

  it("times an EISR review on Scotland's calendar and a FOIA review on the UK's", () => {
    expect(
      timeLeft({ regime: "eisr", kind: "review", dueDate: "2025-07-18", asOf: "2025-07-11" }),
    ).toMatchObject({ calendar: "scotland", daysLeft: 5 });
    expect(
      timeLeft({ regime: "foia", kind: "review", dueDate: "2025-07-18", asOf: "2025-07-11" }),
    ).toMatchObject({ calendar: "uk", daysLeft: 4 });
  });

  it("closes an appeal window rather than making it overdue", () => {
    expect(
      timeLeft({ regime: "foia", kind: "appeal", dueDate: "2026-03-09", asOf: "2026-03-20" }),
    ).toMatchObject({ overdue: false, closed: true });
  });

  it("counts nothing while the clock is stopped", () => {
    expect(
      timeLeft({ regime: "foia", kind: "reply", dueDate: "2026-03-09", asOf: "2026-03-20", stopped: true }),
    ).toMatchObject({ daysLeft: null, overdue: false });
  });

  it("agrees with computeDeadline on the day a reply is due and on whether it is overdue, for every law", () => {
    const regimes = ["foia", "eir", "foisa", "eisr", "sar"] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...regimes),
        fc.integer({ min: tryParseIsoDate("2000-01-01"), max: tryParseIsoDate("2090-01-01") }),
        fc.integer({ min: 0, max: 120 }),
        (regime, received, after) => {
          const receivedDate = formatIsoDate(received);
          const asOf = formatIsoDate(received + after);
          const deadline = computeDeadline({ regime, received: receivedDate, asOf });
          const left = timeLeft({ regime, kind: "reply", dueDate: deadline.dueDate, asOf });
          expect(left.overdue).toBe(deadline.overdue);
          expect(left.daysLeft === 0).toBe(asOf === deadline.dueDate);
          expect((left.daysLeft as number) > 0).toBe(asOf < deadline.dueDate);
          if (regime === "sar" || left.daysLeft! >= 0) expect(left.daysLeft).toBe(deadline.daysLeft);
        },
      ),
    );
  });
});
