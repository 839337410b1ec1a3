import { type Kysely, sql } from "kysely";
import type { Database, Role } from "../db/index.ts";

// Every query of the users module: staff accounts, teams, sessions, sign-in attempts and API tokens.

/** A member of staff as the rest of the product sees them: never with the password hash. */
export interface StaffUser {
  id: number;
  username: string;
  name: string;
  email: string;
  role: Role;
  teamId: number | null;
  teamName: string | null;
  active: boolean;
}

function staffUsers(db: Kysely<Database>) {
  return db
    .selectFrom("users")
    .leftJoin("teams", "teams.id", "users.team_id")
    .select([
      "users.id as id",
      "users.username as username",
      "users.display_name as name",
      "users.email as email",
      "users.role as role",
      "users.team_id as teamId",
      "teams.name as teamName",
      "users.active as active",
    ]);
}

export async function findUserByUsername(db: Kysely<Database>, username: string): Promise<StaffUser | null> {
  const row = await staffUsers(db)
    .where(sql`lower(users.username)`, "=", username.toLowerCase())
    .executeTakeFirst();
  return row ?? null;
}

export async function findUserById(db: Kysely<Database>, id: number): Promise<StaffUser | null> {
  return (await staffUsers(db).where("users.id", "=", id).executeTakeFirst()) ?? null;
}

export async function findPasswordHash(
  db: Kysely<Database>,
  username: string,
): Promise<{ id: number; passwordHash: string; active: boolean } | null> {
  const row = await db
    .selectFrom("users")
    .select(["id", "password_hash as passwordHash", "active"])
    .where(sql`lower(username)`, "=", username.toLowerCase())
    .executeTakeFirst();
  return row ?? null;
}

export async function listUsers(db: Kysely<Database>): Promise<StaffUser[]> {
  return staffUsers(db).orderBy("users.active", "desc").orderBy("users.display_name").execute();
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertUser(
  db: Kysely<Database>,
  user: {
    username: string;
    name: string;
    email: string;
    role: Role;
    teamId: number | null;
    passwordHash: string;
  },
): Promise<number> {
  const row = await db
    .insertInto("users")
    .values({
      username: user.username,
      display_name: user.name,
      email: user.email,
      role: user.role,
      team_id: user.teamId,
      password_hash: user.passwordHash,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Replaces the hash only if it is still `previous`: a password changed meanwhile is never overwritten. */
export async function replacePasswordHash(
  db: Kysely<Database>,
  userId: number,
  previous: string,
  passwordHash: string,
): Promise<void> {
  await db
    .updateTable("users")
    .set({ password_hash: passwordHash })
    .where("id", "=", userId)
    .where("password_hash", "=", previous)
    .execute();
}

/** The team's id, creating the team on first mention. */
export async function teamIdFor(db: Kysely<Database>, name: string): Promise<number> {
  const row = await db
    .insertInto("teams")
    .values({ name })
    .onConflict((conflict) => conflict.column("name").doUpdateSet({ name }))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface Team {
  id: number;
  name: string;
}

export async function listTeams(db: Kysely<Database>): Promise<Team[]> {
  return db.selectFrom("teams").select(["id", "name"]).orderBy("name").execute();
}

/** The team of this name, matched without regard to case (an exact match first). */
export async function findTeamByName(db: Kysely<Database>, name: string): Promise<Team | null> {
  const row = await db
    .selectFrom("teams")
    .select(["id", "name"])
    .where(sql`lower(name)`, "=", name.toLowerCase())
    .orderBy(sql`name = ${name}`, "desc")
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

// Sessions: the row's id is the SHA-256 of the cookie's token, never the token itself.

export async function insertSession(
  db: Kysely<Database>,
  session: { idHash: string; userId: number; csrfToken: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto("sessions")
    .values({
      id: session.idHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
      last_seen_at: session.createdAt,
    })
    .execute();
}

export async function findLiveSession(
  db: Kysely<Database>,
  idHash: string,
  now: Date,
): Promise<{ userId: number; csrfToken: string; expiresAt: Date; lastSeenAt: Date } | null> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.user_id as userId",
      "sessions.csrf_token as csrfToken",
      "sessions.expires_at as expiresAt",
      "sessions.last_seen_at as lastSeenAt",
    ])
    .where("sessions.id", "=", idHash)
    .where("sessions.expires_at", ">", now)
    .where("users.active", "=", true)
    .executeTakeFirst();
  return row ?? null;
}

/** Records a use of the session; never moves the time back (another process may have written a later one). */
export async function markSessionSeen(db: Kysely<Database>, idHash: string, at: Date): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ last_seen_at: at })
    .where("id", "=", idHash)
    .where("last_seen_at", "<", at)
    .execute();
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", idHash).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, userId: number, now: Date): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).where("expires_at", "<=", now).execute();
}

// Sign-in throttling, shared by every app process through the database: one counter per username and per
// address, counting failures within a window that opens at the first of them.

export type ThrottleKind = "username" | "address";

/**
 * Counts one more attempt against this username or address and returns the count with it, in one statement:
 * the row's lock makes concurrent attempts (in any process) queue, so each sees a different count. A window
 * that opened at or before `windowOpenedBy` has ended: the count starts again at 1.
 */
export async function countSignInAttempt(
  db: Kysely<Database>,
  kind: ThrottleKind,
  subject: string,
  now: Date,
  windowOpenedBy: Date,
): Promise<number> {
  const ended = sql<boolean>`sign_in_throttle.window_started <= ${windowOpenedBy}`;
  const row = await db
    .insertInto("sign_in_throttle")
    .values({ kind, subject, window_started: now, failures: 1 })
    .onConflict((conflict) =>
      conflict.columns(["kind", "subject"]).doUpdateSet({
        failures: sql`case when ${ended} then 1 else sign_in_throttle.failures + 1 end`,
        window_started: sql`case when ${ended} then ${now}::timestamptz else sign_in_throttle.window_started end`,
      }),
    )
    .returning("failures")
    .executeTakeFirstOrThrow();
  return row.failures;
}

/** Takes back an attempt that was counted but did not fail (it succeeded, or was refused unchecked). */
export async function uncountSignInAttempt(
  db: Kysely<Database>,
  kind: ThrottleKind,
  subject: string,
): Promise<void> {
  await db
    .updateTable("sign_in_throttle")
    .set({ failures: sql`failures - 1` })
    .where("kind", "=", kind)
    .where("subject", "=", subject)
    .where("failures", ">", 0)
    .execute();
}

export async function forgetSignInAttempts(
  db: Kysely<Database>,
  kind: ThrottleKind,
  subject: string,
): Promise<void> {
  await db.deleteFrom("sign_in_throttle").where("kind", "=", kind).where("subject", "=", subject).execute();
}

/** Forgets counters whose window has ended: the table holds only the last window's usernames and addresses. */
export async function pruneSignInThrottle(db: Kysely<Database>, windowOpenedBy: Date): Promise<void> {
  await db.deleteFrom("sign_in_throttle").where("window_started", "<=", windowOpenedBy).execute();
}

// API tokens: only the SHA-256 of a token is kept.

export interface ApiTokenListing {
  id: number;
  username: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function insertApiToken(
  db: Kysely<Database>,
  token: { userId: number; name: string; tokenHash: string; createdAt: Date },
): Promise<number> {
  const row = await db
    .insertInto("api_tokens")
    .values({
      user_id: token.userId,
      name: token.name,
      token_hash: token.tokenHash,
      created_at: token.createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findLiveTokenUser(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<{ tokenId: number; userId: number; lastUsedAt: Date | null } | null> {
  const row = await db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select([
      "api_tokens.id as tokenId",
      "api_tokens.user_id as userId",
      "api_tokens.last_used_at as lastUsedAt",
    ])
    .where("api_tokens.token_hash", "=", tokenHash)
    .where("api_tokens.revoked_at", "is", null)
    .where("users.active", "=", true)
    .executeTakeFirst();
  return row ?? null;
}

export async function markTokenUsed(db: Kysely<Database>, tokenId: number, at: Date): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", tokenId).execute();
}

export async function listApiTokens(db: Kysely<Database>): Promise<ApiTokenListing[]> {
  return db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select([
      "api_tokens.id as id",
      "users.username as username",
      "api_tokens.name as name",
      "api_tokens.created_at as createdAt",
      "api_tokens.last_used_at as lastUsedAt",
      "api_tokens.revoked_at as revokedAt",
    ])
    .orderBy("api_tokens.id")
    .execute();
}

/** Revokes a live token; false when there is no such token or it was already revoked. */
export async function revokeApiToken(db: Kysely<Database>, tokenId: number, at: Date): Promise<boolean> {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("id", "=", tokenId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
