import type { RoutePlugin } from "../types.ts";

/** The public site (issue 4) grows here; until then the root leads to the back office. */
export const publicPlugin: RoutePlugin = async (app) => {
  app.get("/", async (_request, reply) => reply.redirect("/staff", 303));
};
