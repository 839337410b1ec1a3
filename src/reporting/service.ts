import type { Kysely } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import { isSubjectAccess } from "../law/index.ts";
import { authorityClock, requestRegimes } from "../requests/index.ts";
import { parsePeriod } from "./period.ts";
import * as repo from "./repo.ts";
import { buildReport, type ComplianceReport, type ReportTable, reportCsv } from "./report.ts";

// The compliance report: the period checked (each problem naming its field: the form's, or the CLI's
// option), the requests and sent replies read (all, or one team's: `scope`), the report built by the pure
// core with the authority's clock.

export async function complianceReport(
  db: Kysely<Database>,
  input: { from?: unknown; to?: unknown },
  now: Date,
  fields?: { from: string; to: string },
  scope: repo.ReportScope = {},
): Promise<ComplianceReport> {
  const today = londonDate(now);
  const period = parsePeriod(input, today, fields);
  const [cases, replies, clock, authority] = await Promise.all([
    repo.reportCases(db, period, scope),
    repo.sentReplyCitations(db, period, scope),
    authorityClock(db),
    repo.authorityName(db),
  ]);
  const report = buildReport({
    cases,
    replies,
    period,
    today,
    settings: clock.settings,
    authority,
    regimes: requestRegimes,
  });
  if (!scope.hideSubjectAccessCases) return report;
  const listed = (open: typeof report.backlog.cases) => open.filter((c) => !isSubjectAccess(c.regime));
  return {
    ...report,
    backlog: {
      ...report.backlog,
      oldest: listed(report.backlog.oldest),
      cases: listed(report.backlog.cases),
    },
  };
}

/**
 * One table of the compliance report as a CSV download, with its file name. The Cabinet Office return is the
 * authority's, every request counted: one team's share of it would be read as the whole, so there is none
 * for a team's scope.
 */
export async function complianceCsv(
  db: Kysely<Database>,
  table: ReportTable,
  input: { from?: unknown; to?: unknown },
  now: Date,
  scope: repo.ReportScope = {},
): Promise<{ name: string; csv: string }> {
  if (scope.teamId !== undefined && table === "cabinet-office")
    throw new DomainError(
      "not-found",
      "The Cabinet Office return counts every request of the authority, so there is none for one team",
    );
  const report = await complianceReport(db, input, now, undefined, scope);
  return {
    name: `${table}-${report.period.from}-to-${report.period.to}.csv`,
    csv: reportCsv(report, table),
  };
}
