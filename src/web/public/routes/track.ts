import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { askForReview, resendLinkPauseMinutes } from "../../../requests/index.ts";
import { attachmentHeader } from "../../attachment.ts";
import { recordId } from "../../schemas.ts";
import { noStore } from "../../security.ts";
import type { RoutePlugin } from "../../types.ts";
import { authorityOf } from "../chrome.ts";
import {
  replyDocument,
  resendLinkForm,
  resendTrackingLinksInBackground,
  reviewForm,
  trackingView,
} from "../tracking.ts";

const tokenParams = z.object({ token: z.string().max(100) });

/** The private tracking link: where the request is, its letters and reply, and asking for an internal review. */
export const trackRoutes: RoutePlugin = async (app) => {
  // The request, its letters and the requester's name: never kept by a browser or a proxy.
  app.addHook("onSend", noStore);
  const template = "public/track.njk";
  const context = async (request: FastifyRequest) => {
    const { token } = request.params as { token: string };
    return { token, view: await trackingView(app.db, token, authorityOf(request), app.now()) };
  };

  // "Send me my link again": the same answer whether or not we know the address.
  const resendTemplate = "public/track-resend.njk";
  app.get("/track", async (_request, reply) => reply.render(resendTemplate));
  app.post(
    "/track",
    { schema: { body: resendLinkForm }, config: { form: { template: resendTemplate } } },
    async (request, reply) => {
      const deps = { db: app.db, mailer: app.mailer, baseUrl: app.config.baseUrl, log: request.log };
      const { email } = request.body;
      const [authority, now] = [authorityOf(request), app.now()];
      // Looked up and queued once the answer has gone, so the answer takes as long for any address.
      reply.raw.once("finish", () => resendTrackingLinksInBackground(deps, email, authority, now));
      return reply.redirect("/track/sent", 303);
    },
  );
  app.get("/track/sent", async (request, reply) =>
    reply.render("public/track-resent.njk", {
      authority: authorityOf(request),
      pauseMinutes: resendLinkPauseMinutes,
    }),
  );

  app.get(
    "/track/:token",
    { schema: { params: tokenParams, querystring: z.object({ review: z.string().optional() }) } },
    async (request, reply) => {
      const view = await trackingView(app.db, request.params.token, authorityOf(request), app.now());
      return reply.render(template, {
        token: request.params.token,
        view,
        reviewRequested: request.query.review === "requested",
      });
    },
  );

  app.get(
    "/track/:token/documents/:documentId",
    {
      schema: {
        params: tokenParams.extend({ documentId: recordId }),
      },
    },
    async (request, reply) => {
      const { token, documentId } = request.params;
      const { document, bytes } = await replyDocument(app.db, app.files, token, documentId, app.now());
      return reply
        .type(document.media_type)
        .header("content-disposition", attachmentHeader(document.filename))
        .header("cache-control", "private, no-store")
        .send(Buffer.from(bytes));
    },
  );

  app.post(
    "/track/:token/review",
    { schema: { params: tokenParams, body: reviewForm }, config: { form: { template, context } } },
    async (request, reply) => {
      const { token } = request.params;
      await askForReview(
        { db: app.db, mailer: app.mailer, log: request.log },
        token,
        request.body.grounds,
        authorityOf(request).name,
        app.now(),
      );
      return reply.redirect(`/track/${token}?review=requested`, 303);
    },
  );
};
