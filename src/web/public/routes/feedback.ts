import { z } from "zod";
import type { RoutePlugin } from "../../types.ts";
import { feedbackForm, satisfactionChoices, saveFeedback } from "../feedback.ts";

const context = () => ({ satisfactionChoices });

/** The beta banner's feedback form; staff read the answers at /staff/feedback. */
export const feedbackRoutes: RoutePlugin = async (app) => {
  app.get(
    "/feedback",
    { schema: { querystring: z.object({ from: z.string().max(500).optional() }) } },
    async (request, reply) =>
      reply.render("public/feedback.njk", { ...context(), values: { from: request.query.from ?? "" } }),
  );

  app.post(
    "/feedback",
    { schema: { body: feedbackForm }, config: { form: { template: "public/feedback.njk", context } } },
    async (request, reply) => {
      await saveFeedback(app.db, request.body, app.now());
      return reply.redirect("/feedback/sent", 303);
    },
  );

  app.get("/feedback/sent", async (_request, reply) => reply.render("public/feedback-sent.njk"));
};
