import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError, invalid } from "../errors.ts";
import {
  countActiveAdmins,
  deleteUserSessions,
  findUserById,
  findUserByUsername,
  insertUserEvent,
  listUserEvents,
  replaceRecoveryCodes,
  revokeUserTokens,
  type StaffUser,
  setTotpSecret,
  type UserEvent,
  updateUser,
} from "./repo.ts";
import { isRole, type Role, roleLabels, roles } from "./roles.ts";
import type { UserActor } from "./second-factor.ts";

// What an administrator does to an account over its life, each recorded in the account's history. Changes
// that take access away end the account's sessions and API tokens in the same transaction, so the next
// request made with them is refused (sessions and tokens are also checked against `active` on every use).

export type { UserActor, UserEvent };

async function subject(db: Kysely<Database>, username: string): Promise<StaffUser> {
  const user = await findUserByUsername(db, username);
  if (!user) throw new DomainError("not-found", `there is no user called ${username}`, "username");
  return user;
}

/** An account may not lock the last administrator out: someone must be able to manage accounts. */
async function keepAnAdministrator(db: Kysely<Database>, user: StaffUser, what: string) {
  if (user.role === "admin" && user.active && (await countActiveAdmins(db)) <= 1)
    throw new DomainError(
      "conflict",
      `${user.username} is the only active administrator, so cannot be ${what}`,
    );
}

export async function deactivateUser(
  db: Kysely<Database>,
  username: string,
  actor: UserActor,
  now: Date,
): Promise<{ user: StaffUser; tokensRevoked: number }> {
  const user = await subject(db, username);
  if (!user.active) throw new DomainError("conflict", `${user.username} is already deactivated`);
  if (actor.userId === user.id) throw new DomainError("conflict", "You cannot deactivate your own account");
  await keepAnAdministrator(db, user, "deactivated");
  const tokensRevoked = await db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { active: false });
    await deleteUserSessions(trx, user.id);
    const revoked = await revokeUserTokens(trx, user.id, now);
    await insertUserEvent(trx, {
      userId: user.id,
      kind: "deactivated",
      actorId: actor.userId,
      actorLabel: actor.label,
      detail: revoked ? `${revoked} API token${revoked === 1 ? "" : "s"} revoked` : "",
      at: now,
    });
    return revoked;
  });
  return { user: (await findUserById(db, user.id))!, tokensRevoked };
}

/** Lets a deactivated account sign in again (its old API tokens stay revoked). */
export async function reactivateUser(db: Kysely<Database>, username: string, actor: UserActor, now: Date) {
  const user = await subject(db, username);
  if (user.active) throw new DomainError("conflict", `${user.username} is already active`);
  await db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { active: true });
    await insertUserEvent(trx, {
      userId: user.id,
      kind: "reactivated",
      actorId: actor.userId,
      actorLabel: actor.label,
      at: now,
    });
  });
  return (await findUserById(db, user.id))!;
}

export async function changeRole(
  db: Kysely<Database>,
  username: string,
  role: string,
  actor: UserActor,
  now: Date,
): Promise<StaffUser> {
  if (!isRole(role)) throw invalid("role", `A role must be one of: ${roles.join(", ")}`);
  const user = await subject(db, username);
  if (user.role === role)
    throw new DomainError("conflict", `${user.username} is already ${article(role)}`, "role");
  if (role !== "admin") await keepAnAdministrator(db, user, "given another role");
  await db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { role });
    // A role with more power takes effect at the next request; the person signs in again, so that a role
    // needing a second factor gets one before it is used.
    await deleteUserSessions(trx, user.id);
    await insertUserEvent(trx, {
      userId: user.id,
      kind: "role-changed",
      actorId: actor.userId,
      actorLabel: actor.label,
      detail: `${roleLabels[user.role]} to ${roleLabels[role]}`,
      at: now,
    });
  });
  return (await findUserById(db, user.id))!;
}

function article(role: Role): string {
  const label = roleLabels[role].toLowerCase();
  return `${/^[aeiou]/.test(label) ? "an" : "a"} ${label}`;
}

/** The next sign-in must choose a new password; the account's sessions end now. */
export async function forcePasswordReset(
  db: Kysely<Database>,
  username: string,
  actor: UserActor,
  now: Date,
) {
  const user = await subject(db, username);
  if (user.sso)
    throw new DomainError(
      "conflict",
      `${user.username} signs in through single sign-on and has no password here`,
    );
  await db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { passwordResetRequired: true });
    await deleteUserSessions(trx, user.id);
    await insertUserEvent(trx, {
      userId: user.id,
      kind: "password-reset-required",
      actorId: actor.userId,
      actorLabel: actor.label,
      at: now,
    });
  });
  return (await findUserById(db, user.id))!;
}

/** A lost phone and lost recovery codes: the authenticator is forgotten, and set up again at the next sign-in. */
export async function resetSecondFactor(db: Kysely<Database>, username: string, actor: UserActor, now: Date) {
  const user = await subject(db, username);
  if (!user.secondFactor)
    throw new DomainError("conflict", `${user.username} has no authenticator app set up`);
  await db.transaction().execute(async (trx) => {
    await setTotpSecret(trx, user.id, null, null);
    await replaceRecoveryCodes(trx, user.id, []);
    await deleteUserSessions(trx, user.id);
    await insertUserEvent(trx, {
      userId: user.id,
      kind: "second-factor-reset",
      actorId: actor.userId,
      actorLabel: actor.label,
      at: now,
    });
  });
  return (await findUserById(db, user.id))!;
}

export interface AccountHistory {
  user: StaffUser;
  events: UserEvent[];
}

export async function accountHistory(db: Kysely<Database>, username: string): Promise<AccountHistory> {
  const user = await subject(db, username);
  return { user, events: await listUserEvents(db, user.id) };
}

export async function userById(db: Kysely<Database>, id: number): Promise<StaffUser> {
  const user = await findUserById(db, id);
  if (!user) throw new DomainError("not-found", "There is no such user");
  return user;
}

/** What each kind of history entry says, for pages and the CLI. */
export const userEventLabels: Record<string, string> = {
  created: "Account created",
  "signed-in": "Signed in",
  deactivated: "Deactivated",
  reactivated: "Reactivated",
  "role-changed": "Role changed",
  "password-reset-required": "Password reset required",
  "password-changed": "Password changed",
  "second-factor-enrolled": "Authenticator app set up",
  "second-factor-reset": "Authenticator app reset",
  "recovery-codes-replaced": "New recovery codes made",
};
