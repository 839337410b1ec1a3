import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import {
  deleteExpiredSessions,
  deleteSession,
  findLiveSession,
  findUserById,
  insertSession,
  type StaffUser,
} from "./repo.ts";
import { randomSecret, sha256Hex } from "./secrets.ts";

/** An office day and some: staff sign in again each morning. */
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

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
}

export async function startSession(db: Kysely<Database>, userId: number, now: Date): Promise<NewSession> {
  const token = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs);
  await deleteExpiredSessions(db, userId, now);
  await insertSession(db, { idHash: sha256Hex(token), userId, csrfToken, createdAt: now, expiresAt });
  return { token, csrfToken, expiresAt };
}

/** The session a cookie's token names, when it exists, has not expired and its user is still active. */
export async function findSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<LiveSession | null> {
  if (!token || token.length > 200) return null;
  const session = await findLiveSession(db, sha256Hex(token), now);
  if (!session) return null;
  const user = await findUserById(db, session.userId);
  if (!user?.active) return null;
  return { user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
}

export async function endSession(db: Kysely<Database>, token: string): Promise<void> {
  if (token) await deleteSession(db, sha256Hex(token));
}
