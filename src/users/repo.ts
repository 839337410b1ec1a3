import { type Kysely, sql } from "kysely";
import { type Database, prepared, type Role, type SessionStage } from "../db/index.ts";
import { seal, unseal } from "../sealed.ts";

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
  lastSignInAt: Date | null;
  /** Has a confirmed second factor (TOTP). */
  secondFactor: boolean;
  /** Signs in through single sign-on (no password here). */
  sso: boolean;
  passwordResetRequired: boolean;
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
      "users.last_sign_in_at as lastSignInAt",
      sql<boolean>`users.totp_enabled_at is not null`.as("secondFactor"),
      sql<boolean>`users.sso_subject is not null`.as("sso"),
      "users.password_reset_required as passwordResetRequired",
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

/** What sign-in needs to know of an account: never shown anywhere. */
export interface SignInAccount {
  id: number;
  passwordHash: string | null;
  active: boolean;
  totpSecret: string | null;
  totpEnabled: boolean;
  totpLastStep: number | null;
}

function signInAccounts(db: Kysely<Database>) {
  return db
    .selectFrom("users")
    .select([
      "id",
      "password_hash as passwordHash",
      "active",
      "totp_secret as totpSecret",
      sql<boolean>`totp_enabled_at is not null`.as("totpEnabled"),
      "totp_last_step as totpLastStep",
    ]);
}

function toSignInAccount(row: Omit<SignInAccount, "totpLastStep"> & { totpLastStep: string | null }) {
  return {
    ...row,
    totpSecret: row.totpSecret === null ? null : openTotpSecret(row.totpSecret),
    totpLastStep: row.totpLastStep === null ? null : Number(row.totpLastStep),
  };
}

// Authenticator secrets are sealed at rest (src/sealed.ts): a copy of the database alone gives no codes.
function openTotpSecret(stored: string): string {
  const secret = unseal(stored, "totp-secret");
  if (secret === null)
    throw new Error(
      "an authenticator secret could not be opened: FOIDESK_SECRET_KEY (or the data folder's secret.key) is not the key it was sealed with",
    );
  return secret;
}

export async function findSignInAccount(
  db: Kysely<Database>,
  username: string,
): Promise<SignInAccount | null> {
  const row = await signInAccounts(db)
    .where(sql`lower(username)`, "=", username.toLowerCase())
    .executeTakeFirst();
  return row ? toSignInAccount(row) : null;
}

export async function findSignInAccountById(db: Kysely<Database>, id: number): Promise<SignInAccount | null> {
  const row = await signInAccounts(db).where("id", "=", id).executeTakeFirst();
  return row ? toSignInAccount(row) : null;
}

export async function listUsers(db: Kysely<Database>): Promise<StaffUser[]> {
  return staffUsers(db).orderBy("users.active", "desc").orderBy("users.display_name").execute();
}

/** The teams active staff belong to, by name (a team without members has nothing to queue). */
export async function teamsWithStaff(db: Kysely<Database>): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom("teams")
    .modifyFront(prepared)
    .select(["teams.id", "teams.name"])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("users")
          .select("users.id")
          .whereRef("users.team_id", "=", "teams.id")
          .where("users.active", "=", true),
      ),
    )
    .orderBy("teams.name")
    .orderBy("teams.id")
    .execute();
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
    passwordHash: string | null;
    sso?: { issuer: string; subject: string };
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
      sso_issuer: user.sso?.issuer ?? null,
      sso_subject: user.sso?.subject ?? null,
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
  session: {
    idHash: string;
    userId: number;
    csrfToken: string;
    createdAt: Date;
    expiresAt: Date;
    stage: SessionStage;
    method: "password" | "sso";
    idToken: string | null;
  },
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
      stage: session.stage,
      method: session.method,
      id_token: session.idToken,
    })
    .execute();
}

/**
 * A session and its user in one query (every staff page reads both): the user is one `staffUsers` would give,
 * so the session's user and a user read on their own never differ.
 */
export async function findLiveSession(
  db: Kysely<Database>,
  idHash: string,
  now: Date,
): Promise<{
  userId: number;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
  stage: SessionStage;
  method: "password" | "sso";
  idToken: string | null;
  user: StaffUser;
} | null> {
  // Read on every staff page: prepared (db/prepared.ts).
  const row = await staffUsers(db)
    .modifyFront(prepared)
    .innerJoin("sessions", "sessions.user_id", "users.id")
    .select([
      "sessions.csrf_token as csrfToken",
      "sessions.expires_at as expiresAt",
      "sessions.last_seen_at as lastSeenAt",
      "sessions.stage as stage",
      "sessions.method as method",
      "sessions.id_token as idToken",
    ])
    .where("sessions.id", "=", idHash)
    .where("sessions.expires_at", ">", now)
    .where("users.active", "=", true)
    .executeTakeFirst();
  if (!row) return null;
  const { csrfToken, expiresAt, lastSeenAt, stage, method, idToken, ...user } = row;
  return { userId: user.id, csrfToken, expiresAt, lastSeenAt, stage, method, idToken, user };
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

/** Ends every session of a user at once (deactivated, password reset, second factor reset). */
export async function deleteUserSessions(db: Kysely<Database>, userId: number): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, userId: number, now: Date): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).where("expires_at", "<=", now).execute();
}

// Sign-in throttling, shared by every app process through the database: one counter row per key, with the
// time of its last failure (backoff is measured from it) and the start of its window (the global count).

export type ThrottleKind = "account-address" | "address" | "global";

export interface ThrottleKey {
  kind: ThrottleKind;
  subject: string;
}

export interface ThrottleRow extends ThrottleKey {
  failures: number;
  lastFailureAt: Date | null;
}

/**
 * Locks the keys' rows (creating them empty), lets `decide` see them, and writes back what it returns, in one
 * transaction: concurrent attempts (in any process) queue on the rows' locks, so each sees the others' counts.
 */
export async function withThrottleRows<T>(
  db: Kysely<Database>,
  keys: ThrottleKey[],
  now: Date,
  decide: (rows: ThrottleRow[]) => { result: T; write: ThrottleRow[] },
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    for (const key of keys) {
      await trx
        .insertInto("sign_in_throttle")
        .values({ kind: key.kind, subject: key.subject, window_started: now, failures: 0 })
        .onConflict((conflict) => conflict.columns(["kind", "subject"]).doNothing())
        .execute();
    }
    const rows: ThrottleRow[] = [];
    // One at a time in a fixed order, so two attempts never wait on each other's rows crosswise.
    for (const key of [...keys].sort((a, b) =>
      `${a.kind} ${a.subject}`.localeCompare(`${b.kind} ${b.subject}`),
    )) {
      const row = await trx
        .selectFrom("sign_in_throttle")
        .select(["failures", "last_failure_at as lastFailureAt"])
        .where("kind", "=", key.kind)
        .where("subject", "=", key.subject)
        .forUpdate()
        .executeTakeFirstOrThrow();
      rows.push({ ...key, ...row });
    }
    const ordered = keys.map(
      (key) => rows.find((row) => row.kind === key.kind && row.subject === key.subject)!,
    );
    const { result, write } = decide(ordered);
    for (const row of write) {
      await trx
        .updateTable("sign_in_throttle")
        .set({ failures: row.failures, last_failure_at: row.lastFailureAt })
        .where("kind", "=", row.kind)
        .where("subject", "=", row.subject)
        .execute();
    }
    return result;
  });
}

/**
 * Counts one more failure against this key and returns the count with it, in one statement. A window that
 * opened at or before `windowOpenedBy` has ended: the count starts again at 1.
 */
export async function countSignInFailure(
  db: Kysely<Database>,
  key: ThrottleKey,
  now: Date,
  windowOpenedBy: Date,
): Promise<number> {
  const ended = sql<boolean>`sign_in_throttle.window_started <= ${windowOpenedBy}`;
  const row = await db
    .insertInto("sign_in_throttle")
    .values({ kind: key.kind, subject: key.subject, window_started: now, failures: 1, last_failure_at: now })
    .onConflict((conflict) =>
      conflict.columns(["kind", "subject"]).doUpdateSet({
        failures: sql`case when ${ended} then 1 else sign_in_throttle.failures + 1 end`,
        window_started: sql`case when ${ended} then ${now}::timestamptz else sign_in_throttle.window_started end`,
        last_failure_at: now,
      }),
    )
    .returning("failures")
    .executeTakeFirstOrThrow();
  return row.failures;
}

/** Takes back a failure that was counted in advance but did not happen (the attempt succeeded). */
export async function uncountSignInFailure(db: Kysely<Database>, key: ThrottleKey): Promise<void> {
  await db
    .updateTable("sign_in_throttle")
    .set({ failures: sql`failures - 1` })
    .where("kind", "=", key.kind)
    .where("subject", "=", key.subject)
    .where("failures", ">", 0)
    .execute();
}

export async function forgetSignInFailures(db: Kysely<Database>, key: ThrottleKey): Promise<void> {
  await db
    .deleteFrom("sign_in_throttle")
    .where("kind", "=", key.kind)
    .where("subject", "=", key.subject)
    .execute();
}

/** Failures counted in the global window that is still open, or 0. */
export async function globalSignInFailures(db: Kysely<Database>, windowOpenedBy: Date): Promise<number> {
  const row = await db
    .selectFrom("sign_in_throttle")
    .select("failures")
    .where("kind", "=", "global")
    .where("window_started", ">", windowOpenedBy)
    .executeTakeFirst();
  return row?.failures ?? 0;
}

/** Forgets counters with no failure since `forgottenBy`: the table holds only recent keys. */
export async function pruneSignInThrottle(db: Kysely<Database>, forgottenBy: Date): Promise<void> {
  await db
    .deleteFrom("sign_in_throttle")
    .where("kind", "!=", "global")
    .where((eb) => eb.or([eb("last_failure_at", "<=", forgottenBy), eb("last_failure_at", "is", null)]))
    .where("window_started", "<=", forgottenBy)
    .execute();
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

/** Revokes every live token of a user; returns how many. */
export async function revokeUserTokens(db: Kysely<Database>, userId: number, at: Date): Promise<number> {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// The second factor.

export async function setTotpSecret(
  db: Kysely<Database>,
  userId: number,
  secret: string | null,
  enabledAt: Date | null,
): Promise<void> {
  await db
    .updateTable("users")
    .set({
      totp_secret: secret === null ? null : seal(secret, "totp-secret"),
      totp_enabled_at: enabledAt,
      totp_last_step: null,
    })
    .where("id", "=", userId)
    .execute();
}

/** Records the step of an accepted code, only if it is later than the last: false when another took it first. */
export async function takeTotpStep(db: Kysely<Database>, userId: number, step: number): Promise<boolean> {
  const result = await db
    .updateTable("users")
    .set({ totp_last_step: String(step) })
    .where("id", "=", userId)
    .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", String(step))]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function replaceRecoveryCodes(
  db: Kysely<Database>,
  userId: number,
  hashes: string[],
): Promise<void> {
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  if (hashes.length)
    await db
      .insertInto("recovery_codes")
      .values(hashes.map((hash) => ({ user_id: userId, code_hash: hash })))
      .execute();
}

/** Uses an unused recovery code: true once, false for a wrong or used one. */
export async function useRecoveryCode(db: Kysely<Database>, userId: number, hash: string, at: Date) {
  const result = await db
    .updateTable("recovery_codes")
    .set({ used_at: at })
    .where("user_id", "=", userId)
    .where("code_hash", "=", hash)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countUnusedRecoveryCodes(db: Kysely<Database>, userId: number): Promise<number> {
  const row = await db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

// The account lifecycle and its history.

export async function updateUser(
  db: Kysely<Database>,
  userId: number,
  changes: {
    active?: boolean;
    role?: Role;
    passwordResetRequired?: boolean;
    passwordHash?: string;
    lastSignInAt?: Date;
    name?: string;
    email?: string;
  },
): Promise<void> {
  const set = {
    ...(changes.active !== undefined ? { active: changes.active } : {}),
    ...(changes.role !== undefined ? { role: changes.role } : {}),
    ...(changes.passwordResetRequired !== undefined
      ? { password_reset_required: changes.passwordResetRequired }
      : {}),
    ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
    ...(changes.lastSignInAt !== undefined ? { last_sign_in_at: changes.lastSignInAt } : {}),
    ...(changes.name !== undefined ? { display_name: changes.name } : {}),
    ...(changes.email !== undefined ? { email: changes.email } : {}),
  };
  if (Object.keys(set).length) await db.updateTable("users").set(set).where("id", "=", userId).execute();
}

export async function countActiveAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("role", "=", "admin")
    .where("active", "=", true)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface UserEvent {
  kind: string;
  actorLabel: string;
  detail: string;
  at: Date;
}

export async function insertUserEvent(
  db: Kysely<Database>,
  event: {
    userId: number;
    kind: string;
    actorId: number | null;
    actorLabel: string;
    detail?: string;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto("user_events")
    .values({
      user_id: event.userId,
      kind: event.kind,
      actor_id: event.actorId,
      actor_label: event.actorLabel,
      detail: event.detail ?? "",
      at: event.at,
    })
    .execute();
}

export async function listUserEvents(
  db: Kysely<Database>,
  userId: number,
  limit = 200,
): Promise<UserEvent[]> {
  return db
    .selectFrom("user_events")
    .select(["kind", "actor_label as actorLabel", "detail", "at"])
    .where("user_id", "=", userId)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

// Single sign-on accounts.

export async function findUserIdBySso(
  db: Kysely<Database>,
  issuer: string,
  subject: string,
): Promise<number | null> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where("sso_issuer", "=", issuer)
    .where("sso_subject", "=", subject)
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function usernameTaken(db: Kysely<Database>, username: string): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where(sql`lower(username)`, "=", username.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}
