import { describe, expect, it } from "vitest";
import { parseGovUkFeed } from "../calendar/index.ts";
import { type DomainError, isDomainError } from "../errors.ts";
import { type ClockEvent, computeDeadline, type DeadlineInput } from "./deadline.ts";
import { referenceDeadline } from "./reference-deadline.ts";
import { type Regime, regimeRule, regimes, type WorkedCase } from "./regimes.ts";

function eventsOf(worked: WorkedCase): ClockEvent[] {
  const events: ClockEvent[] = [];
  if (worked.clarificationRequested) {
    events.push({
      kind: "clarification",
      requested: worked.clarificationRequested,
      received: worked.clarified,
    });
  }
  if (worked.feeRequested) events.push({ kind: "fee", requested: worked.feeRequested, paid: worked.feePaid });
  if (worked.identityRequested) {
    events.push({ kind: "identity", requested: worked.identityRequested, received: worked.identityReceived });
  }
  if (worked.extension) events.push({ kind: "extension", type: worked.extension });
  return events;
}

function rejection(input: DeadlineInput, settings?: Parameters<typeof computeDeadline>[1]): DomainError {
  try {
    computeDeadline(input, settings);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error("expected the input to be rejected");
}

describe("worked due-date cases beside each regime", () => {
  for (const regime of regimes) {
    const rule = regimeRule(regime);
    it(`${regime} has worked cases`, () => expect(rule?.workedCases.length).toBeGreaterThan(0));
    for (const worked of rule?.workedCases ?? []) {
      it(`${regime}: ${worked.why}`, () => {
        const input = { regime, received: worked.received, events: eventsOf(worked) };
        const settings = { receiptReading: worked.reading };
        const deadline = computeDeadline(input, settings);
        expect(deadline.dueDate).toBe(worked.dueDate);
        expect(deadline.refusalNoticeDue).toBe(worked.refusalNoticeDue);
        expect(referenceDeadline(input, settings)).toEqual(deadline);
      });
    }
  }
});

describe("days used, days left, overdue, stopped", () => {
  const foia = (asOf: string, events: ClockEvent[] = []) =>
    computeDeadline({ regime: "foia", received: "2022-12-01", asOf, events });

  it("counts working days to the as-of date", () => {
    expect(foia("2022-12-01")).toMatchObject({ daysUsed: 0, daysLeft: 20, overdue: false });
    expect(foia("2022-12-30")).toMatchObject({ daysAllowed: 20, daysUsed: 19, daysLeft: 1, overdue: false });
    expect(foia("2023-01-03")).toMatchObject({ daysUsed: 19, daysLeft: 1, overdue: false }); // Scotland's holiday
    expect(foia("2023-01-04")).toMatchObject({ daysUsed: 20, daysLeft: 0, overdue: false });
    expect(foia("2023-01-05")).toMatchObject({ daysUsed: 21, daysLeft: -1, overdue: true, stopped: false });
  });

  it("a clarification not yet received stops the clock; the due date shown is the earliest possible", () => {
    const waiting = foia("2022-12-09", [{ kind: "clarification", requested: "2022-12-05" }]);
    expect(waiting).toMatchObject({ stopped: true, overdue: false, daysUsed: 0, daysLeft: 20 });
    expect(waiting.dueDate).toBe(computeDeadline({ regime: "foia", received: "2022-12-09" }).dueDate);
    const late = foia("2023-03-01", [{ kind: "clarification", requested: "2022-12-05" }]);
    expect(late).toMatchObject({ stopped: true, overdue: false });
  });

  it("proof of identity not yet received stops a subject access clock, and it starts again on arrival", () => {
    const events: ClockEvent[] = [{ kind: "identity", requested: "2024-05-13" }];
    const waiting = computeDeadline({ regime: "sar", received: "2024-05-10", asOf: "2024-06-25", events });
    expect(waiting).toMatchObject({ stopped: true, overdue: false, dueDate: "2024-07-25" });
  });

  it("an unpaid fee stops the clock; the days since the fees notice are not used", () => {
    const waiting = foia("2022-12-16", [{ kind: "fee", requested: "2022-12-08" }]);
    // Days 1–4 (2, 5, 6, 7 December) were used before the fees notice on the 8th.
    expect(waiting).toMatchObject({ stopped: true, overdue: false, daysUsed: 4, daysLeft: 16 });
  });

  it("subject access counts calendar days", () => {
    const sar = computeDeadline({ regime: "sar", received: "2023-09-03", asOf: "2023-09-13" });
    expect(sar).toMatchObject({
      unit: "calendar",
      dueDate: "2023-10-03",
      daysAllowed: 30,
      daysUsed: 10,
      daysLeft: 20,
    });
    const paused = computeDeadline({
      regime: "sar",
      received: "2024-05-10",
      asOf: "2024-05-16",
      events: [{ kind: "clarification", requested: "2024-05-13" }],
    });
    // 11 and 12 May counted; 13–16 May stopped (4 days), so at the earliest 10 June + 4.
    expect(paused).toMatchObject({ stopped: true, daysUsed: 2, dueDate: "2024-06-14" });
  });

  it("defaults the as-of date to the latest date given", () => {
    const deadline = computeDeadline({
      regime: "foia",
      received: "2023-09-01",
      events: [{ kind: "fee", requested: "2023-09-08", paid: "2023-09-20" }],
    });
    expect(deadline.asOf).toBe("2023-09-20");
    expect(deadline.daysUsed).toBe(4);
  });

  it("a shorter public-interest extension", () => {
    const deadline = computeDeadline({
      regime: "foia",
      received: "2022-12-01",
      events: [{ kind: "extension", type: "pit", workingDays: 10 }],
    });
    expect(deadline).toMatchObject({
      daysAllowed: 30,
      dueDate: "2023-01-18",
      refusalNoticeDue: "2023-01-04",
    });
  });

  it("imported holidays move due dates", () => {
    const feed = parseGovUkFeed('{"england-and-wales":{"events":[{"title":"Extra","date":"2027-06-07"}]}}');
    const plain = computeDeadline({ regime: "foia", received: "2027-06-01" });
    const withExtra = computeDeadline({ regime: "foia", received: "2027-06-01" }, { extraHolidays: feed });
    expect(plain.dueDate).toBe("2027-06-29");
    expect(withExtra.dueDate).toBe("2027-06-30");
    expect(
      computeDeadline({ regime: "foisa", received: "2027-06-01" }, { extraHolidays: feed }).dueDate,
    ).toBe("2027-06-29");
  });
});

describe("bad input names the field", () => {
  const cases: [string, DeadlineInput, string, RegExp][] = [
    [
      "unknown regime",
      { regime: "fooi" as Regime, received: "2023-01-01" },
      "regime",
      /unknown regime "fooi"/,
    ],
    [
      "impossible date",
      { regime: "foia", received: "2023-02-30" },
      "received",
      /2023-02-30 is not a real date/,
    ],
    ["not a date", { regime: "foia", received: "1/2/2023" }, "received", /YYYY-MM-DD/],
    ["before 1990", { regime: "foia", received: "1989-12-29" }, "received", /1990–2100/],
    [
      "clarified before requested",
      {
        regime: "foia",
        received: "2023-01-02",
        events: [{ kind: "clarification", requested: "2023-01-10", received: "2023-01-05" }],
      },
      "clarified",
      /2023-01-05 is before it was asked for on 2023-01-10/,
    ],
    [
      "clarification asked before the request arrived",
      {
        regime: "foia",
        received: "2023-01-02",
        events: [{ kind: "clarification", requested: "2022-12-30" }],
      },
      "clarificationRequested",
      /before the request was received/,
    ],
    [
      "paid before requested",
      {
        regime: "eir",
        received: "2023-01-02",
        events: [{ kind: "fee", requested: "2023-01-10", paid: "2023-01-09" }],
      },
      "feePaid",
      /before it was asked for/,
    ],
    [
      "an impossible fee date",
      { regime: "foisa", received: "2023-01-02", events: [{ kind: "fee", requested: "2023-02-29" }] },
      "feeRequested",
      /not a real date/,
    ],
    [
      "extension of another regime",
      { regime: "eir", received: "2023-01-02", events: [{ kind: "extension", type: "pit" }] },
      "extension",
      /pit extension does not apply to eir/,
    ],
    [
      "FOISA has no extension",
      { regime: "foisa", received: "2023-01-02", events: [{ kind: "extension", type: "pit" }] },
      "extension",
      /foisa has none/,
    ],
    [
      "too long an extension",
      {
        regime: "foia",
        received: "2023-01-02",
        events: [{ kind: "extension", type: "pit", workingDays: 25 }],
      },
      "extensionDays",
      /from 1 to 20/,
    ],
    [
      "two extensions beyond the maximum",
      {
        regime: "eir",
        received: "2023-01-02",
        events: [
          { kind: "extension", type: "eir-complex", workingDays: 15 },
          { kind: "extension", type: "eir-complex", workingDays: 10 },
        ],
      },
      "extension",
      /more than the 20 allowed/,
    ],
    [
      "days on a subject access extension",
      {
        regime: "sar",
        received: "2023-01-02",
        events: [{ kind: "extension", type: "sar", workingDays: 10 }],
      },
      "extensionDays",
      /two further months/,
    ],
    [
      "a fee on an internal review",
      {
        regime: "internal-review",
        received: "2023-01-02",
        events: [{ kind: "fee", requested: "2023-01-03" }],
      },
      "feeRequested",
      /does not apply/,
    ],
    [
      "proof of identity on a FOIA request",
      {
        regime: "foia",
        received: "2023-01-02",
        events: [{ kind: "identity", requested: "2023-01-03" }],
      },
      "identityRequested",
      /only for sar/,
    ],
    [
      "proof of identity received before it was asked for",
      {
        regime: "sar",
        received: "2024-05-10",
        events: [{ kind: "identity", requested: "2024-05-13", received: "2024-05-12" }],
      },
      "identityReceived",
      /before it was asked for/,
    ],
    [
      "as-of before receipt",
      { regime: "foia", received: "2023-01-02", asOf: "2023-01-01" },
      "asOf",
      /before/,
    ],
    [
      "an event after the as-of date",
      {
        regime: "foia",
        received: "2023-01-02",
        asOf: "2023-01-05",
        events: [{ kind: "clarification", requested: "2023-01-03", received: "2023-01-09" }],
      },
      "clarified",
      /after the as-of date/,
    ],
  ];
  for (const [name, input, field, message] of cases) {
    it(name, () => {
      const error = rejection(input);
      expect(error.code).toBe("invalid");
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
    });
  }

  it("unknown reading", () => {
    const error = rejection({ regime: "foia", received: "2023-01-02" }, { receiptReading: "x" as "ico" });
    expect(error.field).toBe("reading");
  });
});
