import { z } from "zod";
import { DomainError } from "../../../errors.ts";
import { readMessage } from "../../../mail/index.ts";
import { sendWaitingEmailNow, sentMailById, sentMailPage, waitingMailList } from "../../../requests/index.ts";
import { actorFor, currentUser } from "../../auth.ts";
import { idParams } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { formBody } from "./requests-forms.ts";

// The outbox: what waits to be handed to the mail server (refused, or queued and not yet handed over), with
// its state; then every message the mail module sent, newest first, and each one as the requester received
// it (from the development outbox's .eml file; SMTP keeps no copy).

const pageSize = 50;
/** The most waiting messages listed; the outbox worker hands them over oldest first. */
const waitingShown = 100;
const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1).optional(),
  sent: z.enum(["delivered", "failed", "skipped"]).optional().catch(undefined),
});
/** What "Send now" did, for the page's banner. */
const sendNowOutcomes = {
  delivered: "Handed to the mail server",
  failed: "The mail server refused it again: it stays in the list below",
  skipped: "Already sent, or being handed over now: look again in a minute",
};

export const outboxRoutes: RoutePlugin = async (app) => {
  app.get("/outbox", { schema: { querystring: pageQuery } }, async (request, reply) => {
    const page = request.query.page ?? 1;
    const [{ rows, total }, waiting] = await Promise.all([
      sentMailPage(app.db, pageSize, (page - 1) * pageSize),
      waitingMailList(app.db, waitingShown),
    ]);
    return reply.render("staff/outbox/index.njk", {
      waiting,
      sentNow: request.query.sent ? sendNowOutcomes[request.query.sent] : null,
      messages: rows,
      total,
      page,
      pages: Math.max(1, Math.ceil(total / pageSize)),
      transport: app.mailer.transport,
    });
  });

  // "Send now": a waiting message, even one the outbox gave up on, handed over at once (claimed as the worker
  // would, so it is never sent twice) and recorded in its request's history with who sent it.
  app.post(
    "/outbox/waiting/:id/send",
    { schema: { params: idParams, body: formBody } },
    async (request, reply) => {
      const status = await sendWaitingEmailNow(
        app.db,
        app.mailer,
        request.params.id,
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect(`/staff/outbox?sent=${status}`, 303);
    },
  );

  const sentMessage = async (id: number) => {
    const message = await sentMailById(app.db, id);
    if (!message) throw new DomainError("not-found", "There is no such message");
    const raw = message.file_name ? await app.mailer.stored(message.file_name) : null;
    return { message, raw };
  };

  app.get("/outbox/:id", { schema: { params: idParams } }, async (request, reply) => {
    const { message, raw } = await sentMessage(request.params.id);
    return reply.render("staff/outbox/show.njk", { message, stored: raw ? readMessage(raw) : null });
  });

  app.get("/outbox/:id/message.eml", { schema: { params: idParams } }, async (request, reply) => {
    const { message, raw } = await sentMessage(request.params.id);
    if (!raw) throw new DomainError("not-found", "No copy of this message was kept");
    return (
      reply
        .type("message/rfc822")
        // Outbox file names are generated (time and random hex), so they are safe in the header as they are.
        .header("content-disposition", `attachment; filename="${message.file_name}"`)
        .header("cache-control", "private, no-store")
        .send(Buffer.from(raw))
    );
  });
};
