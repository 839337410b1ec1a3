import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { londonDate } from "../../../calendar/index.ts";
import { DomainError, isDomainError } from "../../../errors.ts";
import {
  type ComplianceReport,
  cabinetOfficeColumns,
  complianceCsv,
  complianceReport,
  quarterOf,
  quarterPresets,
  type ReportScope,
  regimeName,
  reportTables,
} from "../../../reporting/index.ts";
import { maySeeSubjectAccess } from "../../../requests/index.ts";
import { can, listTeams, type StaffUser, type Team } from "../../../users/index.ts";
import { actorFor, currentUser, requireAbility } from "../../auth.ts";
import { errorSummary } from "../../errors.ts";
import type { RoutePlugin } from "../../types.ts";

// The compliance report: a period chosen by quarter or by dates (a GET form: the page is a link that can be
// kept), the summary, a table per section and a CSV of each, with the Cabinet Office's quarterly row.
// Managers and administrators see every request and may choose a team; a case officer or an approver sees only the requests
// of their own team. Views in views/staff/reports/.

const periodQuery = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  team: z.string().max(20).optional(),
});
const tableParams = z.object({ table: z.enum(reportTables) });

function downloadLinks(report: ComplianceReport, team: Team | null) {
  const query = `from=${report.period.from}&to=${report.period.to}${team ? `&team=${team.id}` : ""}`;
  return Object.fromEntries(reportTables.map((table) => [table, `/staff/reports/${table}.csv?${query}`]));
}

/** Who sees their own team's report only: whoever may not report on any team (users/abilities.ts). */
const teamBound = (user: StaffUser) => !can(user, "report-on-any-team").allowed;

/**
 * The team a report covers: an officer's or approver's own, whatever the link asks; for a manager, the team
 * chosen (none: every request). `teams` are the manager's choices, empty for the others.
 */
async function reportTeam(request: FastifyRequest, chosen: string | undefined) {
  const user = currentUser(request);
  if (teamBound(user)) {
    if (user.teamId === null || user.teamName === null)
      throw new DomainError(
        "forbidden",
        "The report shows your team's requests, and you are not in a team. Ask an administrator to add you to one.",
      );
    return { team: { id: user.teamId, name: user.teamName }, teams: [] as Team[] };
  }
  const teams = await listTeams(request.server.db);
  if (!chosen) return { team: null, teams };
  const team = teams.find((candidate) => String(candidate.id) === chosen);
  if (!team) throw new DomainError("not-found", "There is no such team");
  return { team, teams };
}

/** One team's report, or all; the lists naming requests leave out SARs for a reader who may not see them. */
async function reportScope(request: FastifyRequest, team: Team | null): Promise<ReportScope> {
  const seesSar = await maySeeSubjectAccess(request.server.db, actorFor(currentUser(request)));
  return { ...(team ? { teamId: team.id } : {}), hideSubjectAccessCases: !seesSar };
}

export const reportRoutes: RoutePlugin = async (app) => {
  const readers = requireAbility("read-reports");

  app.get(
    "/reports",
    { onRequest: readers, schema: { querystring: periodQuery } },
    async (request, reply) => {
      const today = londonDate(app.now());
      const presets = quarterPresets(today);
      const current = quarterOf(today);
      const { team, teams } = await reportTeam(request, request.query.team);
      const asked = request.query.from !== undefined || request.query.to !== undefined;
      const values = {
        ...(asked
          ? { from: request.query.from, to: request.query.to }
          : { from: current.from, to: current.to }),
        team: team ? String(team.id) : "",
      };
      const shown = {
        presets,
        team,
        // "Information Rights" reads as "Information Rights team"; a name that says "team" already is kept.
        teamLabel: team ? (/\bteam$/i.test(team.name) ? team.name : `${team.name} team`) : null,
        chooseTeam: !teamBound(currentUser(request)),
        teamChoices: [
          { value: "", text: "All teams" },
          ...teams.map((choice) => ({ value: String(choice.id), text: choice.name })),
        ],
        presetQuery: team ? `&team=${team.id}` : "",
      };
      try {
        const report = await complianceReport(
          app.db,
          values,
          app.now(),
          undefined,
          await reportScope(request, team),
        );
        return reply.render("staff/reports/index.njk", {
          ...shown,
          report,
          values,
          downloads: downloadLinks(report, team),
          regimeName,
          cabinetOfficeColumns,
        });
      } catch (error) {
        if (!isDomainError(error) || error.code !== "invalid") throw error;
        return reply.code(422).render("staff/reports/index.njk", {
          ...shown,
          values,
          ...errorSummary(error.problems.map(({ field, message }) => ({ field, message }))),
        });
      }
    },
  );

  app.get(
    "/reports/:table.csv",
    { onRequest: readers, schema: { params: tableParams, querystring: periodQuery } },
    async (request, reply) => {
      const { team } = await reportTeam(request, request.query.team);
      const { name, csv } = await complianceCsv(
        app.db,
        request.params.table,
        request.query,
        app.now(),
        await reportScope(request, team),
      );
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${name}"`)
        .send(csv);
    },
  );
};
