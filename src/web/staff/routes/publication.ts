import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "../../../db/index.ts";
import { DomainError } from "../../../errors.ts";
import {
  addRedactionRule,
  addRequestRedaction,
  exemptionFacetName,
  maskKindLabels,
  outcomeName,
  publicationPage,
  publicationSettings,
  publicationStatus,
  publishReply,
  removeRedactionRule,
  removeRequestRedaction,
  setPublishAfterDays,
  similarPublishedReplies,
  withdrawReply,
} from "../../../publication/index.ts";
import { can } from "../../../users/index.ts";
import { actorFor, currentUser, requireAbility } from "../../auth.ts";
import { idParams, recordId } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { fieldText, formBody } from "./requests-forms.ts";

// Publishing a request's reply to the disclosure log: the preview (every masked span and why), the request's
// own redactions (any officer), publishing and taking down (managers); the authority-wide redaction rules and
// when replies publish themselves (managers). And the request page's panel: where the reply stands, and the
// published replies most like the request.

const redactionParams = z.object({ id: recordId, redactionId: recordId });
const ruleParams = z.object({ ruleId: recordId });

const publicationPath = (requestId: number) => `/staff/requests/${requestId}/publication`;

const notices: Record<string, string> = {
  published: "Published to the disclosure log",
  withdrawn: "Taken down from the disclosure log",
  "redaction-added": "Redaction added: the preview below shows it",
  "redaction-removed": "Redaction removed",
};

/** The request page's panel (included by views/staff/requests/show.njk). */
export async function publicationPanel(db: Kysely<Database>, requestId: number) {
  const [status, similar] = await Promise.all([
    publicationStatus(db, requestId),
    similarPublishedReplies(db, requestId, 5),
  ]);
  return { status, similar, href: publicationPath(requestId) };
}

async function previewContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const { id: requestId } = request.params as { id: number };
  const user = currentUser(request);
  const page = await publicationPage(
    request.server.db,
    request.server.files,
    requestId,
    request.server.now(),
  );
  const preview = page.preview;
  return {
    page,
    preview: preview && {
      ...preview,
      outcomeName: outcomeName(preview.outcome),
      exemptionNames: preview.exemptions.map(exemptionFacetName),
      masks: preview.masks.map((mask) => ({ ...mask, kindLabel: maskKindLabels[mask.kind] })),
    },
    canPublish: can(user, "publish-reply").allowed,
    paths: {
      self: publicationPath(requestId),
      request: `/staff/requests/${requestId}`,
      redactions: `${publicationPath(requestId)}/redactions`,
      publish: `${publicationPath(requestId)}/publish`,
      withdraw: `${publicationPath(requestId)}/withdraw`,
    },
  };
}

async function settingsContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const settings = await publicationSettings(request.server.db);
  return {
    settings,
    values: { publishAfterDays: settings.publishAfterDays === null ? "" : String(settings.publishAfterDays) },
  };
}

/** Checkbox values arrive as one string or several. */
function checked(body: Record<string, unknown>, name: string): number[] {
  const value = body[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.map(Number).filter((number) => Number.isInteger(number) && number > 0);
}

export const publicationRoutes: RoutePlugin = async (app) => {
  const previewForm = { template: "staff/publication/preview.njk", context: previewContext };
  const managers = requireAbility("publish-reply");

  app.get(
    "/requests/:id/publication",
    { schema: { params: idParams, querystring: z.object({ done: z.string().optional() }) } },
    async (request, reply) =>
      reply.render("staff/publication/preview.njk", {
        ...(await previewContext(request)),
        notice: notices[request.query.done ?? ""],
      }),
  );

  app.post(
    "/requests/:id/publication/redactions",
    { schema: { params: idParams, body: formBody }, config: { form: previewForm } },
    async (request, reply) => {
      const { id: requestId } = request.params;
      await addRequestRedaction(
        app.db,
        requestId,
        { phrase: fieldText(request.body, "phrase"), reason: fieldText(request.body, "reason") },
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect(`${publicationPath(requestId)}?done=redaction-added#redactions`, 303);
    },
  );

  app.post(
    "/requests/:id/publication/redactions/:redactionId/delete",
    { schema: { params: redactionParams, body: formBody } },
    async (request, reply) => {
      const { id: requestId, redactionId } = request.params;
      await removeRequestRedaction(app.db, requestId, redactionId, actorFor(currentUser(request)), app.now());
      return reply.redirect(`${publicationPath(requestId)}?done=redaction-removed#redactions`, 303);
    },
  );

  app.post(
    "/requests/:id/publication/publish",
    { onRequest: managers, schema: { params: idParams, body: formBody }, config: { form: previewForm } },
    async (request, reply) => {
      const { id: requestId } = request.params;
      await publishReply(
        app.db,
        app.files,
        requestId,
        { checkedFileIds: checked(request.body, "checkedFiles") },
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect(`${publicationPath(requestId)}?done=published`, 303);
    },
  );

  app.post(
    "/requests/:id/publication/withdraw",
    { onRequest: managers, schema: { params: idParams, body: formBody }, config: { form: previewForm } },
    async (request, reply) => {
      const { id: requestId } = request.params;
      try {
        await withdrawReply(
          app.db,
          requestId,
          fieldText(request.body, "takedownReason") ?? "",
          actorFor(currentUser(request)),
          app.now(),
        );
      } catch (error) {
        // The page has a redaction form with its own "reason": the takedown's field has a name of its own.
        if (error instanceof DomainError && error.field === "reason")
          throw new DomainError(error.code, error.message, "takedownReason");
        throw error;
      }
      return reply.redirect(`${publicationPath(requestId)}?done=withdrawn`, 303);
    },
  );

  const settingsForm = { template: "staff/publication/settings.njk", context: settingsContext };

  app.get(
    "/publication",
    { onRequest: managers, schema: { querystring: z.object({ done: z.string().optional() }) } },
    async (request, reply) =>
      reply.render("staff/publication/settings.njk", {
        ...(await settingsContext(request)),
        notice: { "rule-added": "Rule added", "rule-removed": "Rule removed", saved: "Saved" }[
          request.query.done ?? ""
        ],
      }),
  );

  app.post(
    "/publication/rules",
    { onRequest: managers, schema: { body: formBody }, config: { form: settingsForm } },
    async (request, reply) => {
      await addRedactionRule(
        app.db,
        {
          kind: fieldText(request.body, "kind"),
          pattern: fieldText(request.body, "pattern"),
          reason: fieldText(request.body, "reason"),
        },
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect("/staff/publication?done=rule-added", 303);
    },
  );

  app.post(
    "/publication/rules/:ruleId/delete",
    { onRequest: managers, schema: { params: ruleParams, body: formBody } },
    async (request, reply) => {
      await removeRedactionRule(app.db, request.params.ruleId, actorFor(currentUser(request)));
      return reply.redirect("/staff/publication?done=rule-removed", 303);
    },
  );

  app.post(
    "/publication/settings",
    { onRequest: managers, schema: { body: formBody }, config: { form: settingsForm } },
    async (request, reply) => {
      await setPublishAfterDays(
        app.db,
        fieldText(request.body, "publishAfterDays"),
        actorFor(currentUser(request)),
      );
      return reply.redirect("/staff/publication?done=saved", 303);
    },
  );
};
