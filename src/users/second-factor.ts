import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError, invalid } from "../errors.ts";
import {
  countUnusedRecoveryCodes,
  findSignInAccountById,
  insertUserEvent,
  replaceRecoveryCodes,
  type SignInAccount,
  setTotpSecret,
  takeTotpStep,
  useRecoveryCode,
} from "./repo.ts";
import type { Role } from "./roles.ts";
import { sha256Hex } from "./secrets.ts";
import { matchTotp, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, otpauthUri } from "./totp.ts";

// A second factor for local accounts: a TOTP authenticator app, and recovery codes for a lost phone.
// NCSC's guidance on multi-factor authentication for online services: required at least for accounts with
// privileged access; here managers and administrators always, everyone when the authority chooses.

/** Who must have a second factor: SECOND_FACTOR_REQUIRED_FOR. */
export type SecondFactorFor = "managers" | "everyone";
export const secondFactorForValues: readonly SecondFactorFor[] = ["managers", "everyone"];

const privilegedRoles: readonly Role[] = ["manager", "admin"];

export function secondFactorRequired(role: Role, policy: SecondFactorFor): boolean {
  return policy === "everyone" || privilegedRoles.includes(role);
}

/** Who did something to an account: a member of staff, or the command line. */
export interface UserActor {
  userId: number | null;
  label: string;
}

export interface Enrolment {
  secret: string;
  uri: string;
}

/**
 * The secret to add to an authenticator app: the one already offered when enrolment was started and not
 * confirmed (a reloaded page must not invalidate a code already scanned), else a new one.
 */
export async function beginEnrolment(
  db: Kysely<Database>,
  user: { id: number; username: string },
  issuer: string,
): Promise<Enrolment> {
  const account = await findSignInAccountById(db, user.id);
  if (!account) throw new DomainError("not-found", "There is no such user");
  if (account.totpEnabled)
    throw new DomainError("conflict", "An authenticator app is already set up for this account");
  let secret = account.totpSecret;
  if (!secret) {
    secret = newTotpSecret();
    await setTotpSecret(db, user.id, secret, null);
  }
  return { secret, uri: otpauthUri({ issuer, account: user.username, secret }) };
}

const wrongCodeMessage = "Enter the 6-digit code your authenticator app shows now";

/** Confirms enrolment with a code from the app; returns the recovery codes, shown this once. */
export async function confirmEnrolment(
  db: Kysely<Database>,
  userId: number,
  code: string,
  actor: UserActor,
  now: Date,
): Promise<string[]> {
  const account = await findSignInAccountById(db, userId);
  if (!account?.totpSecret || account.totpEnabled)
    throw new DomainError("conflict", "Start setting up the authenticator app again", "code");
  const step = matchTotp(account.totpSecret, code, now, null);
  if (step === null) throw invalid("code", wrongCodeMessage);
  const codes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await setTotpSecret(trx, userId, account.totpSecret, now);
    await takeTotpStep(trx, userId, step);
    await replaceRecoveryCodes(trx, userId, codes.map(recoveryCodeHash));
    await insertUserEvent(trx, {
      userId,
      kind: "second-factor-enrolled",
      actorId: actor.userId,
      actorLabel: actor.label,
      at: now,
    });
  });
  return codes;
}

function recoveryCodeHash(code: string): string {
  return sha256Hex(normaliseRecoveryCode(code)!);
}

/**
 * Checks a code typed at sign-in: a current TOTP code not used before, or an unused recovery code (then
 * used up). Which one it was, or null.
 */
export async function checkSecondFactor(
  db: Kysely<Database>,
  account: SignInAccount,
  typed: string,
  now: Date,
): Promise<"totp" | "recovery-code" | null> {
  if (!account.totpEnabled || !account.totpSecret) return null;
  const step = matchTotp(account.totpSecret, typed, now, account.totpLastStep);
  // The update takes the step only if no other sign-in took it first: a code is good once.
  if (step !== null) return (await takeTotpStep(db, account.id, step)) ? "totp" : null;
  const recovery = normaliseRecoveryCode(typed);
  if (recovery && (await useRecoveryCode(db, account.id, sha256Hex(recovery), now))) return "recovery-code";
  return null;
}

/** New recovery codes for a signed-in person; the old ones stop working. */
export async function replaceRecoveryCodesFor(
  db: Kysely<Database>,
  userId: number,
  actor: UserActor,
  now: Date,
): Promise<string[]> {
  const account = await findSignInAccountById(db, userId);
  if (!account?.totpEnabled)
    throw new DomainError("conflict", "Set up an authenticator app before making recovery codes");
  const codes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await replaceRecoveryCodes(trx, userId, codes.map(recoveryCodeHash));
    await insertUserEvent(trx, {
      userId,
      kind: "recovery-codes-replaced",
      actorId: actor.userId,
      actorLabel: actor.label,
      at: now,
    });
  });
  return codes;
}

export async function recoveryCodesLeft(db: Kysely<Database>, userId: number): Promise<number> {
  return countUnusedRecoveryCodes(db, userId);
}

/**
 * Enrols an account with a secret chosen elsewhere, without recovery codes: only for the demo, whose secret is
 * published so that anyone trying the demo can sign in as its manager and administrator.
 */
export async function enrolKnownSecret(
  db: Kysely<Database>,
  userId: number,
  secret: string,
  actor: UserActor,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await setTotpSecret(trx, userId, secret, now);
    await insertUserEvent(trx, {
      userId,
      kind: "second-factor-enrolled",
      actorId: actor.userId,
      actorLabel: actor.label,
      detail: "the demo's published key",
      at: now,
    });
  });
}
