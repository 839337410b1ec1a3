import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { entryForm, removeEntry, saveEntry, schemeForStaff } from "../../../publication-scheme/index.ts";
import { currentUser, requireAbility } from "../../auth.ts";
import { idParams } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { fieldText, formBody } from "./requests-forms.ts";

// The publication scheme in the back office (managers): the guide to information by class, each entry's last
// review and whether it is due (FOIA s.19(2)(b), s.19(4): the guide is kept up to date), and the forms to add,
// change and remove entries. Saving an entry marks it reviewed today.

const notices: Record<string, string> = { saved: "Entry saved", removed: "Entry removed" };

/** The entry's id in the address, when the form is an edit. */
function entryId(request: FastifyRequest): number | null {
  const id = (request.params as { id?: string } | undefined)?.id;
  return id === undefined ? null : Number(id);
}

async function formContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const id = entryId(request);
  return { ...(await entryForm(request.server.db, null)), entryId: id };
}

function entryInput(body: z.infer<typeof formBody>) {
  return {
    classId: fieldText(body, "classId"),
    title: fieldText(body, "title"),
    description: fieldText(body, "description"),
    availability: fieldText(body, "availability"),
    url: fieldText(body, "url"),
    releaseId: fieldText(body, "releaseId"),
    charge: fieldText(body, "charge"),
  };
}

export const publicationSchemeRoutes: RoutePlugin = async (app) => {
  const managers = requireAbility("edit-publication-scheme");
  const form = { template: "staff/publication-scheme/entry.njk", context: formContext };
  const editor = (request: FastifyRequest) => {
    const user = currentUser(request);
    return { label: user.name, role: user.role };
  };

  app.get(
    "/publication-scheme",
    { onRequest: managers, schema: { querystring: z.object({ done: z.string().optional() }) } },
    async (request, reply) =>
      reply.render("staff/publication-scheme/index.njk", {
        ...(await schemeForStaff(app.db, app.now())),
        notice: notices[request.query.done ?? ""],
      }),
  );

  app.get(
    "/publication-scheme/new",
    { onRequest: managers, schema: { querystring: z.object({ class: z.string().optional() }) } },
    async (request, reply) => {
      const context = await entryForm(app.db, null);
      return reply.render(form.template, { ...context, values: { classId: request.query.class ?? "" } });
    },
  );

  app.post(
    "/publication-scheme/new",
    { onRequest: managers, schema: { body: formBody }, config: { form } },
    async (request, reply) => {
      await saveEntry(app.db, null, entryInput(request.body), editor(request), app.now());
      return reply.redirect("/staff/publication-scheme?done=saved", 303);
    },
  );

  app.get(
    "/publication-scheme/:id/edit",
    { onRequest: managers, schema: { params: idParams } },
    async (request, reply) =>
      reply.render(form.template, {
        ...(await entryForm(app.db, request.params.id)),
        entryId: request.params.id,
      }),
  );

  app.post(
    "/publication-scheme/:id/edit",
    { onRequest: managers, schema: { params: idParams, body: formBody }, config: { form } },
    async (request, reply) => {
      await saveEntry(app.db, request.params.id, entryInput(request.body), editor(request), app.now());
      return reply.redirect("/staff/publication-scheme?done=saved", 303);
    },
  );

  app.post(
    "/publication-scheme/:id/remove",
    { onRequest: managers, schema: { params: idParams, body: formBody } },
    async (request, reply) => {
      await removeEntry(app.db, request.params.id, editor(request));
      return reply.redirect("/staff/publication-scheme?done=removed", 303);
    },
  );
};
