import { z } from "zod";
import { londonDate } from "../../../calendar/index.ts";
import { isDomainError } from "../../../errors.ts";
import {
  type ComplianceReport,
  cabinetOfficeColumns,
  complianceReport,
  quarterOf,
  quarterPresets,
  regimeName,
  reportCsv,
  reportTables,
} from "../../../reporting/index.ts";
import { requireRole } from "../../auth.ts";
import { errorSummary } from "../../errors.ts";
import type { RoutePlugin } from "../../types.ts";

// The compliance report for the information-rights manager (managers and administrators): a period chosen
// by quarter or by dates (a GET form: the page is a link that can be kept), the summary, a table per
// section and a CSV of each, with the Cabinet Office's quarterly row. Views in views/staff/reports/.

const periodQuery = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
});
const tableParams = z.object({ table: z.enum(reportTables) });

function downloadLinks(report: ComplianceReport) {
  const query = `from=${report.period.from}&to=${report.period.to}`;
  return Object.fromEntries(reportTables.map((table) => [table, `/staff/reports/${table}.csv?${query}`]));
}

export const reportRoutes: RoutePlugin = async (app) => {
  const managers = requireRole("manager", "admin");

  app.get(
    "/reports",
    { onRequest: managers, schema: { querystring: periodQuery } },
    async (request, reply) => {
      const today = londonDate(app.now());
      const presets = quarterPresets(today);
      const current = quarterOf(today);
      const asked = request.query.from !== undefined || request.query.to !== undefined;
      const values = asked ? request.query : { from: current.from, to: current.to };
      try {
        const report = await complianceReport(app.db, values, app.now());
        return reply.render("staff/reports/index.njk", {
          report,
          values,
          presets,
          downloads: downloadLinks(report),
          regimeName,
          cabinetOfficeColumns,
        });
      } catch (error) {
        if (!isDomainError(error) || error.code !== "invalid") throw error;
        return reply.code(422).render("staff/reports/index.njk", {
          values,
          presets,
          ...errorSummary(error.problems.map(({ field, message }) => ({ field, message }))),
        });
      }
    },
  );

  app.get(
    "/reports/:table.csv",
    { onRequest: managers, schema: { params: tableParams, querystring: periodQuery } },
    async (request, reply) => {
      const report = await complianceReport(app.db, request.query, app.now());
      const name = `${request.params.table}-${report.period.from}-to-${report.period.to}.csv`;
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${name}"`)
        .send(reportCsv(report, request.params.table));
    },
  );
};
