import type { FastifyRequest } from "fastify";
import { DomainError } from "../errors.ts";
import { type Actor, assertMayReadRequest } from "../requests/index.ts";
import {
  type Ability,
  hasRole,
  type Role,
  roleLabels,
  rolesWith,
  type StaffUser,
  roles as staffRoles,
} from "../users/index.ts";

// Who may do what is checked here, on the server, for pages and API alike; hiding a link is only courtesy.

/** The signed-in user, or "unauthenticated" (pages redirect to sign-in, the API answers 401). */
export function currentUser(request: FastifyRequest): StaffUser {
  if (!request.user) throw new DomainError("unauthenticated", "Sign in to continue");
  return request.user;
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;
}

/** A hook for `onRequest`: lets through only a signed-in user with one of `roles` (403 otherwise). */
function requireRole(...roles: Role[]) {
  const names = roles.map((role) => roleLabels[role].toLowerCase());
  const articled = names.map(withArticle);
  const who = articled.length > 1 ? `${articled.slice(0, -1).join(", ")} or ${articled.at(-1)}` : articled[0];
  return async function requireRoleHook(request: FastifyRequest): Promise<void> {
    const user = currentUser(request);
    if (!hasRole(user, roles)) {
      throw new DomainError(
        "forbidden",
        `Only ${who} can do this. You are signed in as ${withArticle(roleLabels[user.role].toLowerCase())}.`,
      );
    }
  };
}

/**
 * A hook for `onRequest`: lets through only a signed-in user who may do `ability` (users/abilities.ts), with
 * requireRole's refusal naming the staff roles that have it.
 */
export function requireAbility(ability: Ability) {
  return requireRole(...staffRoles.filter((role) => rolesWith(ability).includes(role)));
}

/** A hook for `onRequest`: any signed-in user. */
export async function requireUser(request: FastifyRequest): Promise<void> {
  currentUser(request);
}

/** The signed-in user as the request history names them: who took an action, in which role. */
export function actorFor(user: StaffUser): Actor {
  return { userId: user.id, label: user.name, role: user.role };
}

/**
 * A hook for `preHandler`: every page and API route about one request (`/requests/:id…`: its page, documents,
 * reply, actions) first asks whether this person may see it, so a subject access request is "not found" to
 * staff outside the SAR team, whichever route is used (requests/sar-access.ts).
 */
export async function requireRequestAccess(request: FastifyRequest): Promise<void> {
  const route = request.routeOptions.url ?? "";
  if (!/\/requests\/:id(\/|$)/.test(route)) return;
  const id = Number((request.params as { id?: unknown }).id);
  if (!Number.isSafeInteger(id) || id <= 0) return;
  await assertMayReadRequest(request.server.db, id, actorFor(currentUser(request)));
}
