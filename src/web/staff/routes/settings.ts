import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { authoritySettings, updateAuthoritySettings } from "../../../authority/index.ts";
import { sarDocumentViews } from "../../../requests/index.ts";
import { listTeams, roleLabels, roles } from "../../../users/index.ts";
import { requireAbility } from "../../auth.ts";
import type { RoutePlugin } from "../../types.ts";
import { fieldText, formBody } from "./requests-forms.ts";

// The authority's settings that managers change in the back office: for now, the intake team (the rest are set
// with `foidesk authority set`, and the disclosure log's on its own settings page).

async function settingsContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const [settings, teams] = await Promise.all([
    authoritySettings(request.server.db),
    listTeams(request.server.db),
  ]);
  return {
    settings,
    teams,
    roleChoices: roles.map((role) => ({ value: role, text: roleLabels[role] })),
    values: {
      intakeTeam: settings.intakeTeam ?? "",
      sarTeam: settings.sarTeam ?? "",
      sarRoles: settings.sarRoles,
    },
  };
}

export const settingsRoutes: RoutePlugin = async (app) => {
  const managers = requireAbility("manage-settings");
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
      const ticked = request.body.sarRoles;
      await updateAuthoritySettings(
        app.db,
        {
          intakeTeam: fieldText(request.body, "intakeTeam") ?? null,
          // The SAR choices are on the same page; a form without them changes only the intake team.
          ...("sarTeam" in request.body
            ? {
                sarTeam: fieldText(request.body, "sarTeam") ?? null,
                sarRoles: Array.isArray(ticked) ? ticked : typeof ticked === "string" ? [ticked] : [],
              }
            : {}),
        },
        app.now(),
      );
      return reply.redirect("/staff/settings?done=saved", 303);
    },
  );

  // Every view of a subject access request's documents, newest first: for the data protection officer.
  app.get(
    "/settings/subject-access-views",
    {
      onRequest: managers,
      schema: { querystring: z.object({ request: z.coerce.number().int().positive().optional() }) },
    },
    async (request, reply) =>
      reply.render("staff/settings/subject-access-views.njk", {
        views: await sarDocumentViews(app.db, { requestId: request.query.request, limit: 500 }),
      }),
  );
};
