import { listUsers } from "../../../users/index.ts";
import { requireRole } from "../../auth.ts";
import type { RoutePlugin } from "../../types.ts";

/** Administrators see who can sign in (accounts are created with `foidesk user create`). */
export const userRoutes: RoutePlugin = async (app) => {
  app.get("/users", { onRequest: requireRole("admin") }, async (_request, reply) =>
    reply.render("staff/users.njk", { users: await listUsers(app.db) }),
  );
};
