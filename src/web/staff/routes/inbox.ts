import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "../../../db/index.ts";
import { DomainError } from "../../../errors.ts";
import {
  dismissReceived,
  inboxLists,
  inboxStaleBefore,
  inInbox,
  markCorrespondenceRead,
  receivedMailForRequest,
  receivedMessageBytes,
  restoreReceived,
} from "../../../mail/index.ts";
import {
  attachReceivedToRequest,
  emailRegime,
  logReceivedAsRequest,
  receivedMailWithReference,
  recentlyHandledMail,
  requestRegimes,
} from "../../../requests/index.ts";
import { actorFor, currentUser } from "../../auth.ts";
import { appInboundDeps } from "../../inbound.ts";
import { idParams } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { actionPath, requestPath } from "./paths.ts";
import { fieldText, formBody } from "./requests-forms.ts";
import { regimeLabels } from "./requests-present.ts";

// The inbox: email that could not be processed (with why), and the latest that was, each linked to its
// request. A message not processed can be logged as a request, attached to one by its reference, or dismissed
// with a reason (spam, a newsletter) and later restored. The request page's correspondence panel (and its
// "mark as read") is here too.

const listLimit = 50;
const inboxQuery = z.object({ dismissed: z.literal("1").catch("1").optional() });

const matchedByLabels: Record<string, string> = {
  reference: "The reference in the subject",
  "reply-header": "A reply to our email",
  "new-request": "Logged as a new request",
  staff: "By a member of staff",
};

async function messageContext(request: FastifyRequest): Promise<Record<string, unknown>> {
  const { id } = request.params as { id: number };
  const message = await receivedMailWithReference(request.server.db, id);
  if (!message) throw new DomainError("not-found", "There is no such message");
  const open = inInbox(message, request.server.now());
  return {
    message: {
      ...message,
      matchedByLabel: message.matched_by ? matchedByLabels[message.matched_by] : null,
      reason: message.reason ?? (message.status === "processing" ? "Processing did not finish" : null),
    },
    open,
    regimeChoices: requestRegimes.map((regime) => ({ value: regime, text: regimeLabels[regime] })),
    dismissed: message.status === "dismissed",
    values: {
      regime: await emailRegime(request.server.db),
      name: message.from_name,
      reference: "",
      reason: "",
    },
  };
}

/** The request page's correspondence: the email received, the unread flag, and the clarification prompt. */
export async function correspondencePanel(
  db: Kysely<Database>,
  request: { id: number; state: string },
  clarificationRequestedAt: Date | null,
) {
  const received = await receivedMailForRequest(db, request.id);
  const messages = received.map((message) => ({
    ...message,
    unread: message.status === "threaded" && !message.seen_at,
    matchedByLabel: message.matched_by ? matchedByLabels[message.matched_by] : null,
    href: `/staff/inbox/${message.id}`,
  }));
  // FOIA s.1(3), EIR reg 9(4): a reply may be the clarification; the officer decides, then logs it.
  const repliedWhileAwaiting =
    request.state === "awaiting-clarification" &&
    clarificationRequestedAt !== null &&
    messages.some((message) => message.received_at >= clarificationRequestedAt);
  return {
    messages,
    unread: messages.filter((message) => message.unread).length,
    readAction: `/staff/requests/${request.id}/correspondence/read`,
    clarification: repliedWhileAwaiting ? { href: actionPath(request.id, "receive-clarification") } : null,
  };
}

export const inboxRoutes: RoutePlugin = async (app) => {
  const deps = appInboundDeps(app);
  const form = { template: "staff/inbox/show.njk", context: messageContext };

  app.get("/inbox", { schema: { querystring: inboxQuery } }, async (request, reply) => {
    const [lists, recent] = await Promise.all([
      inboxLists(app.db, inboxStaleBefore(app.now()), listLimit),
      recentlyHandledMail(app.db, listLimit),
    ]);
    return reply.render("staff/inbox/index.njk", {
      ...lists,
      recent,
      limit: listLimit,
      justDismissed: request.query.dismissed !== undefined,
    });
  });

  app.get("/inbox/:id", { schema: { params: idParams } }, async (request, reply) =>
    reply.render(form.template, await messageContext(request)),
  );

  app.get("/inbox/:id/message.eml", { schema: { params: idParams } }, async (request, reply) => {
    const raw = await receivedMessageBytes(app.db, app.files, request.params.id);
    if (!raw) throw new DomainError("not-found", "The message was too large to keep");
    return reply
      .type("message/rfc822")
      .header("content-disposition", `attachment; filename="received-${request.params.id}.eml"`)
      .header("cache-control", "private, no-store")
      .send(Buffer.from(raw));
  });

  app.post(
    "/inbox/:id/log",
    { schema: { params: idParams, body: formBody }, config: { form } },
    async (request, reply) => {
      const result = await logReceivedAsRequest(
        deps,
        request.params.id,
        { regime: fieldText(request.body, "regime"), name: fieldText(request.body, "name") ?? "" },
        actorFor(currentUser(request)),
      );
      return reply.redirect(`${requestPath(result.requestId!)}?logged=1`, 303);
    },
  );

  app.post(
    "/inbox/:id/attach",
    { schema: { params: idParams, body: formBody }, config: { form } },
    async (request, reply) => {
      const result = await attachReceivedToRequest(
        deps,
        request.params.id,
        { reference: fieldText(request.body, "reference") },
        actorFor(currentUser(request)),
      );
      return reply.redirect(`${requestPath(result.requestId!)}#correspondence`, 303);
    },
  );

  app.post(
    "/inbox/:id/dismiss",
    { schema: { params: idParams, body: formBody }, config: { form } },
    async (request, reply) => {
      await dismissReceived(
        deps,
        request.params.id,
        { reason: fieldText(request.body, "reason") },
        actorFor(currentUser(request)),
      );
      return reply.redirect("/staff/inbox?dismissed=1", 303);
    },
  );

  app.post(
    "/inbox/:id/restore",
    { schema: { params: idParams, body: formBody }, config: { form } },
    async (request, reply) => {
      await restoreReceived(deps, request.params.id);
      return reply.redirect(`/staff/inbox/${request.params.id}`, 303);
    },
  );

  app.post(
    "/requests/:id/correspondence/read",
    { schema: { params: idParams, body: formBody } },
    async (request, reply) => {
      await markCorrespondenceRead(app.db, request.params.id, actorFor(currentUser(request)), app.now());
      return reply.redirect(`${requestPath(request.params.id)}#correspondence`, 303);
    },
  );
};
