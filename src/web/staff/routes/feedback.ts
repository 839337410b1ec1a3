import { z } from "zod";
import { listFeedback, satisfactionLabels } from "../../public/index.ts";
import type { RoutePlugin } from "../../types.ts";

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1).optional() });

/** What people said through the public site's beta banner, newest first. */
export const feedbackRoutes: RoutePlugin = async (app) => {
  app.get("/feedback", { schema: { querystring: pageQuery } }, async (request, reply) => {
    const feedback = await listFeedback(app.db, request.query.page ?? 1);
    return reply.render("staff/feedback/index.njk", { feedback, satisfactionLabels });
  });
};
