import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { authoritySettings, updateAuthoritySettings } from "../../../authority/index.ts";
import { listTeams } from "../../../users/index.ts";
import { requireRole } from "../../auth.ts";
import type { RoutePlugin } from "../../types.ts";
import { fieldText, formBody } from "./requests-forms.ts";

// The authority's settings that managers change in the back office: for now, the intake team (the rest are set
// with `foidesk authority set`, and the disclosure log's on its own settings page).

async function settingsContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const [settings, teams] = await Promise.all([
    authoritySettings(request.server.db),
    listTeams(request.server.db),
  ]);
  return { settings, teams, values: { intakeTeam: settings.intakeTeam ?? "" } };
}

export const settingsRoutes: RoutePlugin = async (app) => {
  const managers = requireRole("manager", "admin");
  const form = { template: "staff/settings/index.njk", context: settingsContext };

  app.get(
    "/settings",
    { onRequest: managers, schema: { querystring: z.object({ done: z.string().optional() }) } },
    async (request, reply) =>
      reply.render(form.template, {
        ...(await settingsContext(request)),
        notice: request.query.done === "saved" ? "Settings saved" : undefined,
      }),
  );

  app.post(
    "/settings",
    { onRequest: managers, schema: { body: formBody }, config: { form } },
    async (request, reply) => {
      await updateAuthoritySettings(
        app.db,
        { intakeTeam: fieldText(request.body, "intakeTeam") ?? null },
        app.now(),
      );
      return reply.redirect("/staff/settings?done=saved", 303);
    },
  );
};
