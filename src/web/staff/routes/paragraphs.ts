import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { exemption, exemptions, proceduralRefusals, regimeOfId } from "../../../law/index.ts";
import {
  deleteParagraph,
  libraryParagraph,
  paragraphLibrary,
  saveParagraph,
} from "../../../requests/index.ts";
import { paragraphKindLabels, paragraphKinds, placeholders } from "../../../responses/index.ts";
import { can } from "../../../users/index.ts";
import { actorFor, currentUser, requireAbility } from "../../auth.ts";
import { idParams } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { fieldText, formBody } from "./requests-forms.ts";

// The paragraph library: every member of staff reads it (and inserts from it in the reply editor); managers
// add, change and delete paragraphs. Seeded with foidesk's stock wording the first time it is opened.

const listQuery = z.object({
  kind: z.string().optional(),
  exemption: z.string().optional(),
  done: z.string().optional(),
});

const notices: Record<string, string> = {
  added: "Paragraph added",
  changed: "Paragraph changed",
  deleted: "Paragraph deleted",
};

const exemptionName = (id: string | null) =>
  id
    ? `${regimeOfId(id).toUpperCase()} ${exemption(id)?.choice ?? proceduralRefusals.find((entry) => entry.id === id)?.printed ?? id}`
    : "Any";

function formContext(request: FastifyRequest): Record<string, unknown> {
  return {
    kindChoices: paragraphKinds.map((kind) => ({ value: kind, text: paragraphKindLabels[kind] })),
    exemptionChoices: [
      { value: "", text: "None: not tied to one exemption" },
      ...exemptions.map((entry) => ({
        value: entry.id,
        text: `${entry.regime.toUpperCase()} ${entry.choice}`,
      })),
      ...proceduralRefusals
        .filter((entry) => !entry.exemptionId)
        .map((entry) => ({ value: entry.id, text: `${entry.regime.toUpperCase()} ${entry.printed}` })),
    ],
    placeholders: Object.entries(placeholders).map(([name, meaning]) => ({ name: `{{${name}}}`, meaning })),
    paragraphId: (request.params as { id?: number }).id ?? null,
  };
}

async function editContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const { id } = request.params as { id: number };
  const paragraph = await libraryParagraph(request.server.db, id);
  return {
    ...formContext(request),
    paragraph,
    values: {
      kind: paragraph.kind,
      exemptionId: paragraph.exemptionId ?? "",
      title: paragraph.title,
      text: paragraph.text,
    },
  };
}

function paragraphInput(body: Record<string, unknown>) {
  return {
    kind: fieldText(body, "kind"),
    exemptionId: fieldText(body, "exemptionId"),
    title: fieldText(body, "title") ?? "",
    text: fieldText(body, "text") ?? "",
  };
}

export const paragraphRoutes: RoutePlugin = async (app) => {
  const managers = requireAbility("edit-paragraph-library");

  app.get("/paragraphs", { schema: { querystring: listQuery } }, async (request, reply) => {
    const kind = paragraphKinds.find((candidate) => candidate === request.query.kind);
    const exemptionId = request.query.exemption?.trim() || undefined;
    const library = await paragraphLibrary(app.db, app.now(), { kind, exemptionId });
    return reply.render("staff/paragraphs/index.njk", {
      paragraphs: library.map((paragraph) => ({
        ...paragraph,
        kindLabel: paragraphKindLabels[paragraph.kind],
        exemptionName: exemptionName(paragraph.exemptionId),
      })),
      canEdit: can(currentUser(request), "edit-paragraph-library").allowed,
      filter: { kind: kind ?? "", exemption: exemptionId ?? "" },
      kindChoices: [
        { value: "", text: "All" },
        ...paragraphKinds.map((value) => ({ value, text: paragraphKindLabels[value] })),
      ],
      notice: notices[request.query.done ?? ""],
    });
  });

  app.get("/paragraphs/new", { onRequest: managers }, async (request, reply) =>
    reply.render("staff/paragraphs/form.njk", { ...formContext(request), values: { kind: "advice" } }),
  );

  app.post(
    "/paragraphs/new",
    {
      onRequest: managers,
      schema: { body: formBody },
      config: { form: { template: "staff/paragraphs/form.njk", context: formContext } },
    },
    async (request, reply) => {
      await saveParagraph(
        app.db,
        null,
        paragraphInput(request.body),
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect("/staff/paragraphs?done=added", 303);
    },
  );

  app.get("/paragraphs/:id", { onRequest: managers, schema: { params: idParams } }, async (request, reply) =>
    reply.render("staff/paragraphs/form.njk", await editContext(request)),
  );

  app.post(
    "/paragraphs/:id",
    {
      onRequest: managers,
      schema: { params: idParams, body: formBody },
      config: { form: { template: "staff/paragraphs/form.njk", context: editContext } },
    },
    async (request, reply) => {
      const { id } = request.params;
      await saveParagraph(
        app.db,
        id,
        paragraphInput(request.body),
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect("/staff/paragraphs?done=changed", 303);
    },
  );

  app.get(
    "/paragraphs/:id/delete",
    { onRequest: managers, schema: { params: idParams } },
    async (request, reply) =>
      reply.render("staff/paragraphs/delete.njk", {
        paragraph: await libraryParagraph(app.db, request.params.id),
      }),
  );

  app.post(
    "/paragraphs/:id/delete",
    { onRequest: managers, schema: { params: idParams, body: formBody } },
    async (request, reply) => {
      await deleteParagraph(app.db, request.params.id, actorFor(currentUser(request)));
      return reply.redirect("/staff/paragraphs?done=deleted", 303);
    },
  );
};
