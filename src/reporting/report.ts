import { type ClockSettings, regimeRule } from "../law/index.ts";
import { requestRegimes } from "../requests/index.ts";
import { type Backlog, backlog } from "./backlog.ts";
import { type CabinetOfficeRow, cabinetOfficeColumns, cabinetOfficeRow } from "./cabinet-office.ts";
import type { ReportCase } from "./cases.ts";
import { toCsv } from "./csv.ts";
import { type ExemptionsUsed, exemptionsUsed, type SentReplyCitations } from "./exemptions.ts";
import { type OutcomeTable, outcomeTable } from "./outcomes.ts";
import { backlogDate, periodQuarter, type QuarterPreset, type ReportPeriod } from "./period.ts";
import { type ReviewSummary, reviewSummary } from "./reviews.ts";
import { type TimelinessRow, timeliness } from "./timeliness.ts";

// The whole compliance report for one period, from the requests and sent replies passed in: pure, the day it
// is made passed in too, so the same input always gives the same report.

export interface ReportInput {
  cases: readonly ReportCase[];
  replies: readonly SentReplyCitations[];
  period: ReportPeriod;
  /** The day the report is made: outcomes stand as on this day (the "time of monitoring"). */
  today: string;
  settings: ClockSettings;
  authority: string;
  /** The regimes in the order the tables list them. */
  regimes: readonly string[];
}

export interface ComplianceReport {
  authority: string;
  period: ReportPeriod;
  quarter: QuarterPreset | null;
  today: string;
  /** The day the backlog is counted on: the period's end, or today while the period runs. */
  backlogDate: string;
  timeliness: TimelinessRow[];
  backlog: Backlog;
  outcomes: OutcomeTable;
  exemptions: ExemptionsUsed;
  reviews: ReviewSummary;
  cabinetOffice: CabinetOfficeRow;
}

export function buildReport(input: ReportInput): ComplianceReport {
  const { cases, period, today, settings } = input;
  const asOf = backlogDate(period, today);
  return {
    authority: input.authority,
    period,
    quarter: periodQuarter(period),
    today,
    backlogDate: asOf,
    timeliness: timeliness(cases, period, settings, input.regimes),
    backlog: backlog(cases, asOf, settings),
    outcomes: outcomeTable(cases, period, today, input.regimes),
    exemptions: exemptionsUsed(input.replies, period, input.regimes),
    reviews: reviewSummary(cases, period, settings, asOf),
    cabinetOffice: cabinetOfficeRow(cases, period, today, settings, input.authority),
  };
}

/** A report's regime column: the law's short name for a request's regime ("FOIA", "Subject access"). */
export const regimeName = (regime: string) =>
  regime === "all" ? "All regimes" : (requestRegimeName(regime) ?? regime.toUpperCase());

const requestRegimeName = (regime: string) =>
  (requestRegimes as readonly string[]).includes(regime) ? regimeRule(regime)?.shortName : undefined;

/** The tables a report can be downloaded as, one CSV each. */
export const reportTables = [
  "timeliness",
  "backlog",
  "outcomes",
  "exemptions",
  "reviews",
  "cabinet-office",
] as const;
export type ReportTable = (typeof reportTables)[number];

/** One table of the report as CSV: counts, references and staff names only, never a requester or withheld text. */
export function reportCsv(report: ComplianceReport, table: ReportTable): string {
  switch (table) {
    case "timeliness":
      return toCsv(
        [
          "Regime",
          "Received",
          "Answered",
          "Met deadline",
          "Permitted extension",
          "In time",
          "Late",
          "In time (%)",
          "Withdrawn or lapsed",
          "Median days taken",
          "95th percentile days taken",
          "Days counted in",
        ],
        report.timeliness.map((row) => [
          regimeName(row.regime),
          row.received,
          row.answered,
          row.metDeadline,
          row.permittedExtension,
          row.inTime,
          row.late,
          row.percentInTime,
          row.withdrawnOrLapsed,
          row.medianDays,
          row.p95Days,
          row.unit === "mixed" ? null : `${row.unit} days`,
        ]),
      );
    case "backlog":
      return toCsv(
        ["Reference", "Regime", "State", "Received", "Due", "Days overdue", "Days open", "Team", "Officer"],
        report.backlog.cases.map((c) => [
          c.reference,
          regimeName(c.regime),
          c.state,
          c.receivedDate,
          c.dueDate,
          c.daysOverdue,
          c.daysOpen,
          c.team,
          c.officer,
        ]),
      );
    case "outcomes":
      return toCsv(
        ["Outcome", ...report.outcomes.regimes.map(regimeName), "All regimes"],
        [
          ...report.outcomes.rows.map((row) => [row.label, ...row.byRegime, row.total]),
          ["Received", ...report.outcomes.received],
          ["Resolvable", ...report.outcomes.resolvable],
          ["Resolvable granted in full (%)", ...report.outcomes.percentGrantedInFull],
        ],
      );
    case "exemptions":
      return toCsv(
        ["Regime", "Provision", "Kind", "Requests"],
        report.exemptions.rows.map((row) => [regimeName(row.regime), row.label, row.kind, row.requests]),
      );
    case "reviews": {
      const r = report.reviews;
      return toCsv(
        ["Measure", "Internal reviews"],
        [
          ["Received", r.received],
          ["Decided", r.decided],
          ...r.outcomes.map((o) => [o.label, o.reviews]),
          ["Outcome not recorded", r.outcomeNotRecorded],
          ["Decided within 20 working days", r.within20],
          ["Decided within an extension (up to 40 working days)", r.withinExtension],
          ["Decided late", r.late],
          ["In time (%)", r.percentInTime],
          [`Open on ${report.backlogDate}`, r.open],
        ],
      );
    }
    case "cabinet-office":
      return toCsv(cabinetOfficeColumns, [
        cabinetOfficeColumns.map((column) => report.cabinetOffice[column]),
      ]);
  }
}
