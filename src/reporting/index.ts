// Reporting: timeliness, backlog, outcomes, exemptions used, internal reviews and the Cabinet Office's
// quarterly statistics, for the information-rights manager. A pure core (the day passed in) over a
// read-only repo; the web page and `foidesk report` call complianceReport (or complianceCsv) and nothing else.
export { type Backlog, NO_TEAM, type OpenCase, overdueBands, UNASSIGNED } from "./backlog.ts";
export { type CabinetOfficeRow, cabinetOfficeColumns } from "./cabinet-office.ts";
export type { CaseEvent, ReportCase } from "./cases.ts";
export type { ExemptionRow, ExemptionsUsed, SentReplyCitations } from "./exemptions.ts";
export {
  cabinetOfficeOutcomes,
  type OutcomeCategory,
  type OutcomeTable,
  outcomeCategoryLabels,
} from "./outcomes.ts";
export { parsePeriod, type QuarterPreset, quarterOf, quarterPresets, type ReportPeriod } from "./period.ts";
export type { ReportScope } from "./repo.ts";
export {
  buildReport,
  type ComplianceReport,
  type ReportTable,
  regimeName,
  reportCsv,
  reportTables,
} from "./report.ts";
export { type ReviewSummary, reviewOutcomeLabels } from "./reviews.ts";
export { complianceCsv, complianceReport } from "./service.ts";
export { ICO_EXPECTED_PERCENT, type Timeliness, type TimelinessRow } from "./timeliness.ts";
