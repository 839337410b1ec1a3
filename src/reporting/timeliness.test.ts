import { describe, expect, it } from "vitest";
import { reportCase } from "./testing.ts";
import { answerTiming, median, percentile, timeliness } from "./timeliness.ts";

// Hand-worked timings: the due dates are the law module's worked cases (law/regimes.ts).

const ico = { receiptReading: "ico" } as const;
const answeredOn = (
  received: string,
  answered: string,
  more: Parameters<typeof reportCase>[0] = { received },
) =>
  answerTiming(
    reportCase({ ...more, received, events: [...(more.events ?? []), ["record-outcome", answered]] }),
    answered,
    ico,
  );

describe("the timing of one answer", () => {
  it("counts an answer on working day 20 in time and on day 21 late (FOIA s.10(1))", () => {
    // Received Mon 2 March 2026; St Patrick's Day (NI) is not a working day (s.10(6)): day 20 is Tue 31 March.
    expect(answeredOn("2026-03-02", "2026-03-31")).toMatchObject({
      timeliness: "met-deadline",
      daysTaken: 20,
      dueDate: "2026-03-31",
    });
    expect(answeredOn("2026-03-02", "2026-04-01")).toMatchObject({ timeliness: "late", daysTaken: 21 });
  });

  it("skips the bank holidays of every part of the UK over Christmas", () => {
    // Received 1 Dec 2022: Boxing Day, the Christmas and New Year substitutes and Scotland's 3 January.
    expect(answeredOn("2022-12-01", "2023-01-04")).toMatchObject({
      timeliness: "met-deadline",
      daysTaken: 20,
    });
    expect(answeredOn("2022-12-01", "2023-01-05")).toMatchObject({ timeliness: "late", daysTaken: 21 });
  });

  it("does not count the days a clarification was awaited: the count starts again (s.1(3), s.10(6)(b))", () => {
    const clarified = {
      received: "2024-03-01",
      clock: [{ kind: "clarification" as const, requested: "2024-03-05", received: "2024-03-12" }],
      events: [
        ["request-clarification", "2024-03-05"],
        ["receive-clarification", "2024-03-12"],
      ] as [string, string][],
    };
    expect(answeredOn("2024-03-01", "2024-04-12", clarified)).toMatchObject({
      timeliness: "met-deadline",
      daysTaken: 20,
    });
    expect(answeredOn("2024-03-01", "2024-04-15", clarified).timeliness).toBe("late");
    // Without the clarification the same answer is weeks late.
    expect(answeredOn("2024-03-01", "2024-04-12").timeliness).toBe("late");
  });

  it("disregards the days waiting for a fee (s.10(2))", () => {
    const fee = {
      received: "2023-09-01",
      clock: [{ kind: "fee" as const, requested: "2023-09-08", paid: "2023-09-20" }],
      events: [
        ["issue-fees-notice", "2023-09-08"],
        ["receive-fee", "2023-09-20"],
      ] as [string, string][],
    };
    expect(answeredOn("2023-09-01", "2023-10-12", fee)).toMatchObject({
      timeliness: "met-deadline",
      daysTaken: 20,
    });
  });

  it("counts an answer within a public-interest extension in time when its notice was on time (s.10(3), s.17(1))", () => {
    const extended = (noticeOn: string) => ({
      received: "2022-12-01",
      clock: [{ kind: "extension" as const, type: "pit" as const }],
      events: [["extend", noticeOn]] as [string, string][],
    });
    // The s.17 notice is due by day 20, Wed 4 January 2023; the extended due date is Wed 1 February.
    expect(answeredOn("2022-12-01", "2023-01-20", extended("2023-01-04"))).toMatchObject({
      timeliness: "permitted-extension",
      dueDate: "2023-02-01",
      limitDate: "2023-01-04",
    });
    expect(answeredOn("2022-12-01", "2023-01-20", extended("2023-01-05")).timeliness).toBe("late");
    expect(answeredOn("2022-12-01", "2023-02-02", extended("2023-01-04")).timeliness).toBe("late");
    expect(answeredOn("2022-12-01", "2023-01-03", extended("2022-12-20")).timeliness).toBe("met-deadline");
  });

  it("counts a subject access request in calendar days (UK GDPR Art.12(3))", () => {
    expect(answeredOn("2023-09-03", "2023-10-03", { received: "2023-09-03", regime: "sar" })).toMatchObject({
      timeliness: "met-deadline",
      unit: "calendar",
      daysTaken: 30,
    });
  });

  it("counts a subject access month from the day proof of identity arrives (UK GDPR Art.12(6))", () => {
    const identity = {
      received: "2024-05-10",
      regime: "sar",
      clock: [{ kind: "identity" as const, requested: "2024-05-13", received: "2024-05-20" }],
      events: [
        ["request-identity", "2024-05-13"],
        ["identity-received", "2024-05-20"],
      ] as [string, string][],
    };
    expect(answeredOn("2024-05-10", "2024-06-20", identity)).toMatchObject({
      timeliness: "met-deadline",
      dueDate: "2024-06-20",
      daysTaken: 31,
    });
    expect(answeredOn("2024-05-10", "2024-06-21", identity).timeliness).toBe("late");
    // Without the wait for proof of identity the month ended on Mon 10 June.
    expect(answeredOn("2024-05-10", "2024-06-20", { received: "2024-05-10", regime: "sar" }).timeliness).toBe(
      "late",
    );
  });

  it("counts FOISA in Scottish working days (FOISA s.73)", () => {
    // St Andrew's Day 2024 falls on a Saturday: Mon 2 December is the holiday.
    expect(
      answeredOn("2024-11-15", "2024-12-16", { received: "2024-11-15", regime: "foisa" }).timeliness,
    ).toBe("met-deadline");
  });
});

describe("median and 95th percentile", () => {
  it("takes the middle value, or the mean of the two middle values", () => {
    expect(median([])).toBeNull();
    expect(median([7, 1, 4])).toBe(4);
    expect(median([20, 1, 4, 10])).toBe(7);
  });
  it("takes the nearest rank", () => {
    expect(percentile([], 95)).toBeNull();
    expect(percentile([5], 95)).toBe(5);
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(twenty, 95)).toBe(19);
    expect(percentile([...twenty, 21], 95)).toBe(20);
  });
});

describe("timeliness for a period", () => {
  const period = { from: "2026-03-01", to: "2026-04-30" };
  const cases = [
    reportCase({ received: "2026-03-02", events: [["record-outcome", "2026-03-31"]] }),
    reportCase({ received: "2026-03-02", events: [["record-outcome", "2026-04-01"]] }),
    reportCase({ received: "2026-02-02", events: [["record-outcome", "2026-03-02"]] }),
    reportCase({ received: "2026-01-05", events: [["record-outcome", "2026-02-02"]] }),
    reportCase({ received: "2026-03-03", events: [["withdraw", "2026-03-10"]], state: "withdrawn" }),
    reportCase({ received: "2026-03-04", regime: "eir", state: "in-progress" }),
  ];
  const rows = timeliness(cases, period, ico, ["foia", "eir", "foisa", "sar"]);

  it("counts by the date answered, and received by the date of receipt", () => {
    const foia = rows.find((row) => row.regime === "foia");
    expect(foia).toMatchObject({
      received: 3,
      answered: 3,
      metDeadline: 2,
      late: 1,
      inTime: 2,
      withdrawnOrLapsed: 1,
      percentInTime: 66.7,
      meetsIcoExpectation: false,
      unit: "working",
    });
    expect(rows.find((row) => row.regime === "eir")).toMatchObject({
      received: 1,
      answered: 0,
      percentInTime: null,
    });
    expect(rows.at(-1)).toMatchObject({ regime: "all", received: 4, answered: 3 });
  });
});
