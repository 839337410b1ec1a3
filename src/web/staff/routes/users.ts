import type { FastifyRequest } from "fastify";
import { z } from "zod";
import {
  accountHistory,
  changeRole,
  deactivateUser,
  forcePasswordReset,
  listUsers,
  reactivateUser,
  resetSecondFactor,
  roles,
  signInAlarm,
  type UserActor,
  userEventLabels,
} from "../../../users/index.ts";
import { currentUser, requireAbility } from "../../auth.ts";
import type { RoutePlugin } from "../../types.ts";

const usernameParams = z.object({ username: z.string().min(1).max(64) });
const roleForm = z.object({ role: z.string({ error: "Choose a role" }).min(1, "Choose a role") });

function actor(request: FastifyRequest): UserActor {
  const user = currentUser(request);
  return { userId: user.id, label: user.name };
}

const done: Record<string, string> = {
  deactivated: "deactivated: their sessions and API tokens have stopped",
  reactivated: "reactivated",
  role: "given a new role; they will sign in again",
  "password-reset": "asked to choose a new password at their next sign-in; their sessions have ended",
  "second-factor-reset": "asked to set up an authenticator app again at their next sign-in",
};

/**
 * Administrators manage accounts: who can sign in, last sign-in, and each account's history; deactivate,
 * reactivate, change a role, require a new password, reset an authenticator app. Accounts are created with
 * `foidesk user create` or by single sign-on.
 */
export const userRoutes: RoutePlugin = async (app) => {
  app.get("/users", { onRequest: requireAbility("manage-users") }, async (_request, reply) =>
    reply.render("staff/users.njk", {
      users: await listUsers(app.db),
      alarm: await signInAlarm(app.db, app.now()),
    }),
  );

  app.get(
    "/users/:username",
    {
      onRequest: requireAbility("manage-users"),
      schema: { params: usernameParams, querystring: z.object({ done: z.string().optional() }) },
    },
    async (request, reply) => {
      const history = await accountHistory(app.db, request.params.username);
      return reply.render("staff/user.njk", {
        person: history.user,
        events: history.events,
        eventLabels: userEventLabels,
        roles,
        done: request.query.done ? done[request.query.done] : undefined,
        isSelf: history.user.id === currentUser(request).id,
      });
    },
  );

  const back = (username: string, what: string) =>
    `/staff/users/${encodeURIComponent(username)}?done=${what}`;
  const userPage = {
    template: "staff/user.njk",
    context: async (request: FastifyRequest) => {
      const { username } = request.params as { username: string };
      const history = await accountHistory(app.db, username);
      return { person: history.user, events: history.events, eventLabels: userEventLabels, roles };
    },
  };

  app.post(
    "/users/:username/deactivate",
    {
      onRequest: requireAbility("manage-users"),
      schema: { params: usernameParams },
      config: { form: userPage },
    },
    async (request, reply) => {
      const { user } = await deactivateUser(app.db, request.params.username, actor(request), app.now());
      return reply.redirect(back(user.username, "deactivated"), 303);
    },
  );

  app.post(
    "/users/:username/reactivate",
    {
      onRequest: requireAbility("manage-users"),
      schema: { params: usernameParams },
      config: { form: userPage },
    },
    async (request, reply) => {
      const user = await reactivateUser(app.db, request.params.username, actor(request), app.now());
      return reply.redirect(back(user.username, "reactivated"), 303);
    },
  );

  app.post(
    "/users/:username/role",
    {
      onRequest: requireAbility("manage-users"),
      schema: { params: usernameParams, body: roleForm },
      config: { form: userPage },
    },
    async (request, reply) => {
      const user = await changeRole(
        app.db,
        request.params.username,
        request.body.role,
        actor(request),
        app.now(),
      );
      return reply.redirect(back(user.username, "role"), 303);
    },
  );

  app.post(
    "/users/:username/reset-password",
    {
      onRequest: requireAbility("manage-users"),
      schema: { params: usernameParams },
      config: { form: userPage },
    },
    async (request, reply) => {
      const user = await forcePasswordReset(app.db, request.params.username, actor(request), app.now());
      return reply.redirect(back(user.username, "password-reset"), 303);
    },
  );

  app.post(
    "/users/:username/reset-second-factor",
    {
      onRequest: requireAbility("manage-users"),
      schema: { params: usernameParams },
      config: { form: userPage },
    },
    async (request, reply) => {
      const user = await resetSecondFactor(app.db, request.params.username, actor(request), app.now());
      return reply.redirect(back(user.username, "second-factor-reset"), 303);
    },
  );
};
