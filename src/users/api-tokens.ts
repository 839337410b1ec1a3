import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError, invalid } from "../errors.ts";
import {
  type ApiTokenListing,
  findLiveTokenUser,
  findUserById,
  findUserByUsername,
  insertApiToken,
  listApiTokens,
  markTokenUsed,
  revokeApiToken,
  type StaffUser,
} from "./repo.ts";
import { randomSecret, sha256Hex } from "./secrets.ts";

// A recognisable prefix lets secret scanners spot a leaked token; the rest is 256 random bits.
const tokenPrefix = "foidesk_";
const tokenPattern = /^foidesk_[A-Za-z0-9_-]{43}$/;

export interface NewApiToken {
  id: number;
  name: string;
  /** Shown once: only its SHA-256 is stored. */
  token: string;
  user: StaffUser;
}

export async function createApiToken(
  db: Kysely<Database>,
  input: { username: string; name?: string },
  now: Date,
): Promise<NewApiToken> {
  const user = await findUserByUsername(db, input.username);
  if (!user) throw new DomainError("not-found", `there is no user called ${input.username}`, "user");
  if (!user.active) throw invalid("user", `${user.username} is not an active user`);
  const name = (input.name ?? "").trim() || `API token for ${user.username}`;
  if (name.length > 100) throw invalid("name", "A token name must be 100 characters or fewer");
  const token = tokenPrefix + randomSecret(32);
  const id = await insertApiToken(db, { userId: user.id, name, tokenHash: sha256Hex(token), createdAt: now });
  return { id, name, token, user };
}

// Recording every use would write on every API call; once a minute is enough to see which tokens are alive.
const lastUsedResolutionMs = 60_000;

/** The user a presented token acts for, or null when it is unknown, revoked or its user is inactive. */
export async function userForApiToken(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<StaffUser | null> {
  if (!tokenPattern.test(token)) return null;
  const found = await findLiveTokenUser(db, sha256Hex(token));
  if (!found) return null;
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > lastUsedResolutionMs) {
    await markTokenUsed(db, found.tokenId, now);
  }
  return findUserById(db, found.userId);
}

export async function listTokens(db: Kysely<Database>): Promise<ApiTokenListing[]> {
  return listApiTokens(db);
}

export async function revokeToken(db: Kysely<Database>, tokenId: number, now: Date): Promise<void> {
  if (!(await revokeApiToken(db, tokenId, now))) {
    throw new DomainError("not-found", `there is no live API token with id ${tokenId}`, "id");
  }
}

export type { ApiTokenListing };
