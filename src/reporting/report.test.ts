import { describe, expect, it } from "vitest";
import { backlog } from "./backlog.ts";
import { cabinetOfficeRow } from "./cabinet-office.ts";
import { exemptionsUsed } from "./exemptions.ts";
import { outcomeTable } from "./outcomes.ts";
import { parsePeriod, quarterOf, quarterPresets } from "./period.ts";
import { buildReport, reportCsv, reportTables } from "./report.ts";
import { reviewSummary } from "./reviews.ts";
import { reportCase } from "./testing.ts";

const ico = { receiptReading: "ico" } as const;
const regimes = ["foia", "eir", "foisa", "sar"];

describe("the period", () => {
  it("names the field of each problem", () => {
    const problems = (input: { from?: unknown; to?: unknown }) => {
      try {
        parsePeriod(input, "2026-10-15", { from: "--from", to: "--to" });
        return [];
      } catch (error) {
        return (error as { problems: { field: string; message: string }[] }).problems;
      }
    };
    expect(problems({ from: "2026-02-30", to: "" })).toEqual([
      { field: "--from", message: "The start date must be a real date, like 2026-07-01" },
      { field: "--to", message: "Enter the end date" },
    ]);
    expect(problems({ from: "2026-09-30", to: "2026-07-01" })).toEqual([
      { field: "--to", message: "The end date must be on or after the start date" },
    ]);
    expect(problems({ from: "2026-10-16", to: "2026-12-31" })[0]?.field).toBe("--from");
    expect(parsePeriod({ from: " 2026-07-01 ", to: "2026-09-30" }, "2026-10-15")).toEqual({
      from: "2026-07-01",
      to: "2026-09-30",
    });
  });

  it("knows the calendar quarters", () => {
    expect(quarterOf("2026-08-15")).toEqual({
      from: "2026-07-01",
      to: "2026-09-30",
      name: "2026 Q3",
      label: "July to September 2026",
    });
    expect(quarterPresets("2026-02-01", 3).map((q) => q.name)).toEqual(["2026 Q1", "2025 Q4", "2025 Q3"]);
  });
});

describe("the backlog on a date", () => {
  const cases = [
    // Due Tue 31 March 2026: on Thu 2 April, 2 working days overdue.
    reportCase({
      reference: "A",
      received: "2026-03-02",
      state: "in-progress",
      team: "Disclosure",
      officer: "Olu",
    }),
    // Received 2 Feb 2026, due Mon 2 March: 22 working days overdue by Thu 2 April (St Patrick's Day not counted).
    reportCase({ reference: "B", received: "2026-02-02", state: "in-progress", team: "Disclosure" }),
    // Waiting for a clarification: the clock is stopped, never overdue.
    reportCase({
      reference: "C",
      received: "2026-01-05",
      state: "awaiting-clarification",
      clock: [{ kind: "clarification", requested: "2026-01-06" }],
      events: [["request-clarification", "2026-01-06"]],
    }),
    // Answered on 1 April: not open on 2 April, though it was open on 31 March.
    reportCase({ reference: "D", received: "2026-03-02", events: [["record-outcome", "2026-04-01"]] }),
    // Received after the date.
    reportCase({ reference: "E", received: "2026-04-03", state: "received" }),
  ];

  it("counts open requests by state, overdue band, team and officer", () => {
    const result = backlog(cases, "2026-04-02", ico);
    expect(result).toMatchObject({ open: 3, overdue: 2 });
    expect(result.byState).toEqual([
      { state: "received", label: "Received", open: 2, overdue: 2 },
      { state: "awaiting-clarification", label: "Awaiting clarification", open: 1, overdue: 0 },
    ]);
    expect(result.byBand.map((band) => band.requests)).toEqual([1, 0, 1]);
    expect(result.byTeam).toEqual([
      { name: "Disclosure", open: 2, overdue: 2 },
      { name: "No team", open: 1, overdue: 0 },
    ]);
    expect(result.byOfficer[0]).toEqual({ name: "Unassigned", open: 2, overdue: 1 });
    expect(result.oldest.map((c) => [c.reference, c.daysOverdue])).toEqual([
      ["C", 0],
      ["B", 22],
      ["A", 2],
    ]);
    expect(backlog(cases, "2026-03-31", ico).open).toBe(4);
  });
});

describe("outcomes of the requests received", () => {
  it("puts each in one category as it stands on the day of monitoring", () => {
    const period = { from: "2026-07-01", to: "2026-09-30" };
    const answered = (outcome: string, regime = "foia") =>
      reportCase({ received: "2026-07-01", regime, outcome, events: [["record-outcome", "2026-07-20"]] });
    const table = outcomeTable(
      [
        answered("granted-in-full"),
        answered("granted-in-full", "eir"),
        answered("partially-withheld"),
        answered("ncnd"),
        answered("not-held"),
        answered("refused-cost"),
        reportCase({
          received: "2026-07-02",
          state: "awaiting-fee",
          events: [["issue-fees-notice", "2026-07-03"]],
        }),
        reportCase({ received: "2026-07-02", state: "in-progress" }),
        reportCase({ received: "2026-07-02", state: "withdrawn", events: [["withdraw", "2026-07-04"]] }),
        reportCase({
          received: "2026-06-30",
          outcome: "granted-in-full",
          events: [["record-outcome", "2026-07-20"]],
        }),
      ],
      period,
      "2026-10-15",
      regimes,
    );
    const row = (category: string) => table.rows.find((r) => r.category === category);
    expect(row("granted-in-full")).toMatchObject({ byRegime: [1, 1, 0, 0], total: 2 });
    expect(row("ncnd")?.total).toBe(1);
    expect(row("on-hold")?.total).toBe(1);
    expect(row("not-yet-processed")?.total).toBe(1);
    expect(row("withdrawn-or-lapsed")?.total).toBe(1);
    expect(table.received.at(-1)).toBe(9);
    // Resolvable: answered less not held.
    expect(table.resolvable.at(-1)).toBe(5);
    expect(table.percentGrantedInFull.at(-1)).toBe(40);
  });
});

describe("exemptions used", () => {
  it("counts each request once per exemption, with procedural refusals, per regime", () => {
    const used = exemptionsUsed(
      [
        {
          regime: "foia",
          sentDate: "2026-07-10",
          exemptionIds: ["foia-31-1-a", "foia-31-1-a", "foia-40-2"],
          refusalGround: null,
        },
        { regime: "foia", sentDate: "2026-07-11", exemptionIds: ["foia-31-1-a"], refusalGround: null },
        { regime: "foia", sentDate: "2026-07-12", exemptionIds: [], refusalGround: "cost" },
        { regime: "eir", sentDate: "2026-07-12", exemptionIds: ["eir-12-5-b"], refusalGround: null },
        { regime: "foia", sentDate: "2026-10-01", exemptionIds: ["foia-23-1"], refusalGround: null },
        { regime: "foia", sentDate: "2026-07-13", exemptionIds: [], refusalGround: null },
      ],
      { from: "2026-07-01", to: "2026-09-30" },
      regimes,
    );
    expect(used.replies).toEqual([
      { regime: "foia", sent: 4, citingAny: 3 },
      { regime: "eir", sent: 1, citingAny: 1 },
    ]);
    expect(used.rows.map((row) => [row.regime, row.label, row.kind, row.requests])).toEqual([
      ["foia", "Section 31(1)(a) Law enforcement", "exemption", 2],
      ["foia", expect.stringContaining("Section 12"), "procedural refusal", 1],
      ["foia", expect.stringContaining("Section 40(2)"), "exemption", 1],
      ["eir", expect.stringContaining("Regulation 12(5)(b)"), "exception", 1],
    ]);
  });
});

describe("internal reviews", () => {
  const review = (asked: string, decided: string | null, outcome: string | null, extended = false) =>
    reportCase({
      received: "2026-01-05",
      state: decided ? "review-decided" : "review-requested",
      reviewReceivedDate: asked,
      reviewOutcome: outcome,
      clock: extended ? [{ kind: "extension", type: "internal-review", workingDays: 20 }] : [],
      events: [
        ["record-outcome", "2026-01-20"],
        ["request-review", asked],
        ...(extended ? ([["extend-review", asked]] as [string, string][]) : []),
        ...(decided ? ([["decide-review", decided]] as [string, string][]) : []),
      ],
    });

  it("times each against 20 working days, 40 when extended (s.45 code paras 5.4, 5.5)", () => {
    // Asked Mon 2 March 2026: day 20 is Tue 31 March (St Patrick's Day not counted).
    const summary = reviewSummary(
      [
        review("2026-03-02", "2026-03-31", "upheld"),
        review("2026-03-02", "2026-04-01", "overturned"),
        review("2026-03-02", "2026-04-01", "partly-overturned", true),
        review("2026-03-20", null, null),
      ],
      { from: "2026-03-01", to: "2026-04-30" },
      ico,
      "2026-04-30",
    );
    expect(summary).toMatchObject({
      received: 4,
      decided: 3,
      within20: 1,
      withinExtension: 1,
      late: 1,
      percentInTime: 66.7,
      open: 1,
      outcomeNotRecorded: 0,
    });
    expect(summary.outcomes.map((o) => o.reviews)).toEqual([1, 1, 1]);
  });
});

describe("the Cabinet Office's quarterly row and the downloads", () => {
  const period = { from: "2026-07-01", to: "2026-09-30" };
  const cases = [
    reportCase({
      received: "2026-07-01",
      outcome: "granted-in-full",
      events: [["record-outcome", "2026-07-10"]],
    }),
    reportCase({
      received: "2026-07-01",
      outcome: "withheld-in-full",
      clock: [{ kind: "extension", type: "pit" }],
      events: [
        ["extend", "2026-07-20"],
        ["record-outcome", "2026-08-20"],
      ],
    }),
    reportCase({
      received: "2026-07-01",
      regime: "eir",
      outcome: "ncnd",
      events: [["record-outcome", "2026-09-01"]],
    }),
    reportCase({
      received: "2026-07-01",
      regime: "foisa",
      outcome: "not-held",
      events: [["record-outcome", "2026-07-10"]],
    }),
    reportCase({ received: "2026-09-28", state: "in-progress", reference: "=HYPERLINK(1)" }),
  ];

  it("counts the FOIA and EIR requests received in the quarter", () => {
    const row = cabinetOfficeRow(cases, period, "2026-10-15", ico, "Westmarch Constabulary");
    expect(row).toMatchObject({
      Quarter: "2026 Q3",
      "Total requests received": 4,
      "FOI requests received": 3,
      "EIR requests received": 1,
      Processed: 3,
      "Not yet processed": 1,
      "Met deadline": 1,
      "Permitted extension to deadline": 1,
      "Deadline exceeded": 1,
      "Responded to in time (%)": 66.7,
      "Resolvable requests": 3,
      "Granted in full": 1,
      "Withheld in full": 2,
      "Withheld in full: of which neither confirm nor deny": 1,
      "Information not held": 0,
    });
  });

  it("writes every table as CSV, a formula-like cell made harmless", () => {
    const report = buildReport({
      cases,
      replies: [],
      period,
      today: "2026-10-15",
      settings: ico,
      authority: "Westmarch Constabulary",
      regimes,
    });
    for (const table of reportTables) expect(reportCsv(report, table)).toMatch(/\r\n$/);
    const cabinet = reportCsv(report, "cabinet-office").split("\r\n");
    expect(cabinet[0]).toMatch(/^Public authority,Quarter,Period start/);
    expect(cabinet[1]).toMatch(/^Westmarch Constabulary,2026 Q3,2026-07-01,2026-09-30,2026-10-15,4,3,1,/);
    expect(reportCsv(report, "backlog")).toContain("'=HYPERLINK(1)");
  });
});
