import type { Kysely } from "kysely";
import type { Database, SessionStage } from "../db/index.ts";
import {
  deleteExpiredSessions,
  deleteSession,
  findLiveSession,
  insertSession,
  markSessionSeen,
  type StaffUser,
} from "./repo.ts";
import { randomSecret, sha256Hex } from "./secrets.ts";

// NCSC and GOV.UK guidance: a session left unattended ends, and the person is told why and taken back to where
// they were (the GOV.UK Design System's timeout pattern). The limits are OWASP ASVS 4.0 V3.3.2's for level 2:
// 12 hours in all, 30 minutes idle.

/** An office day and some: staff sign in again each morning, however busy. */
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

/** Idle for this long, a session ends (SESSION_IDLE_MINUTES). */
export const defaultSessionIdleMinutes = 30;
export const maxSessionIdleMinutes = sessionLifetimeMs / 60_000;

// Writing the time of every request would be a database write per page; once a minute is enough, at the cost
// of ending an idle session up to a minute early.
const lastSeenResolutionMs = 60_000;

export interface NewSession {
  /** Goes in the cookie, once; the database keeps only its SHA-256. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface LiveSession {
  user: StaffUser;
  csrfToken: string;
  expiresAt: Date;
  /** How the person signed in; an SSO session keeps the provider's ID token, to sign out there too. */
  method: "password" | "sso";
  idToken: string | null;
}

/** A sign-in part-way through: the password is right, another step is due before the back office opens. */
export interface PendingSignIn {
  userId: number;
  stage: Exclude<SessionStage, "signed-in">;
  csrfToken: string;
}

/** A sign-in left half-done (a code not typed) is forgotten after this long. */
export const pendingSignInMs = 10 * 60 * 1000;

export async function startSession(
  db: Kysely<Database>,
  userId: number,
  now: Date,
  options: { stage?: SessionStage; method?: "password" | "sso"; idToken?: string | null } = {},
): Promise<NewSession> {
  const token = randomSecret();
  const csrfToken = randomSecret();
  const stage = options.stage ?? "signed-in";
  const expiresAt = new Date(now.getTime() + (stage === "signed-in" ? sessionLifetimeMs : pendingSignInMs));
  await deleteExpiredSessions(db, userId, now);
  await insertSession(db, {
    idHash: sha256Hex(token),
    userId,
    csrfToken,
    createdAt: now,
    expiresAt,
    stage,
    method: options.method ?? "password",
    idToken: options.idToken ?? null,
  });
  return { token, csrfToken, expiresAt };
}

/**
 * A cookie's session: live (and now marked as used), a sign-in still in progress, ended for inactivity (and
 * now removed), or none.
 */
export type SessionLookup =
  | { status: "live"; session: LiveSession }
  | { status: "pending"; pending: PendingSignIn }
  | { status: "idle" }
  | { status: "none" };

/**
 * The session a cookie's token names, when it exists, has not expired, has been used within `idleMinutes` and
 * its user is still active. Using it keeps it alive.
 */
export async function resumeSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
  idleMinutes: number = defaultSessionIdleMinutes,
): Promise<SessionLookup> {
  if (!token || token.length > 200) return { status: "none" };
  const idHash = sha256Hex(token);
  const session = await findLiveSession(db, idHash, now);
  if (!session) return { status: "none" };
  if (session.stage !== "signed-in") {
    return {
      status: "pending",
      pending: { userId: session.userId, stage: session.stage, csrfToken: session.csrfToken },
    };
  }
  const idleMs = now.getTime() - session.lastSeenAt.getTime();
  if (idleMs >= idleMinutes * 60_000) {
    await deleteSession(db, idHash);
    return { status: "idle" };
  }
  // The session's row is read with its user's (an inactive user has no live session).
  const { user } = session;
  if (idleMs >= lastSeenResolutionMs) await markSessionSeen(db, idHash, now);
  return {
    status: "live",
    session: {
      user,
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt,
      method: session.method,
      idToken: session.idToken,
    },
  };
}

export async function endSession(db: Kysely<Database>, token: string): Promise<void> {
  if (token) await deleteSession(db, sha256Hex(token));
}
