import type { RoutePlugin } from "../../types.ts";

/** The back office opens on the work queue. */
export const homeRoutes: RoutePlugin = async (app) => {
  app.get("/", async (_request, reply) => reply.redirect("/staff/requests", 303));
};
