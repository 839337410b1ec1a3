import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database, SessionStage } from "../db/index.ts";
import { DomainError, invalid } from "../errors.ts";
import { hashPassword, needsRehash, verifyAgainstNobody, verifyPassword } from "./password.ts";
import {
  findSignInAccount,
  findSignInAccountById,
  findUserById,
  insertUserEvent,
  replacePasswordHash,
  type StaffUser,
  updateUser,
} from "./repo.ts";
import {
  checkSecondFactor,
  confirmEnrolment,
  type SecondFactorFor,
  secondFactorRequired,
} from "./second-factor.ts";
import { endSession, type NewSession, type PendingSignIn, resumeSession, startSession } from "./sessions.ts";
import { attemptFailed, attemptKeys, attemptSucceeded, reserveAttempt } from "./throttle.ts";

// Signing in with a password, in steps: the password, then (when the account has one) the second factor, then
// (when an administrator asked) a new password, then (when the account must have a second factor and has
// none) setting one up. Each step that passes replaces the session with a new one (a new cookie: no session
// fixation); only the last opens the back office.

export const wrongCredentialsMessage = "Enter a correct username and password";
export const wrongCodeMessage =
  "The code is not right. Enter the code your authenticator app shows now, or a recovery code";

export interface SignInOptions {
  secondFactorFor: SecondFactorFor;
  /** Called once when failed sign-ins across all accounts reach the alarm threshold. */
  onAlarm?: (failures: number) => void;
  /** The alarm threshold (SIGN_IN_ALARM_FAILURES; default signInThrottle.alarmFailures). */
  alarmFailures?: number;
}

/** Managers and administrators must have a second factor; others may (SECOND_FACTOR_REQUIRED_FOR). */
export const defaultSignInOptions: SignInOptions = { secondFactorFor: "managers" };

export interface SignInInput {
  username: string;
  password: string;
  /** The client's address, as the web server sees it (behind a proxy: the forwarded address). */
  ip: string;
}

/** A step passed: the new session's cookie, and where the sign-in has got to. */
export interface SignInStep extends NewSession {
  user: StaffUser;
  stage: SessionStage;
}

const pendingStages = ["second-factor", "new-password", "enrol"] as const;

interface AccountState {
  role: StaffUser["role"];
  totpEnabled: boolean;
  passwordResetRequired: boolean;
}

/** The step after `after` that this account still needs, or "signed-in". */
export function nextStage(
  state: AccountState,
  after: "password" | SessionStage,
  policy: SecondFactorFor,
): SessionStage {
  const needs: Record<(typeof pendingStages)[number], boolean> = {
    "second-factor": state.totpEnabled,
    "new-password": state.passwordResetRequired,
    enrol: !state.totpEnabled && secondFactorRequired(state.role, policy),
  };
  const from = after === "password" ? 0 : pendingStages.indexOf(after as (typeof pendingStages)[number]) + 1;
  return pendingStages.slice(from).find((stage) => needs[stage]) ?? "signed-in";
}

async function stateOf(db: Kysely<Database>, user: StaffUser): Promise<AccountState> {
  const account = await findSignInAccountById(db, user.id);
  return {
    role: user.role,
    totpEnabled: account?.totpEnabled === true,
    passwordResetRequired: user.passwordResetRequired,
  };
}

/** Replaces the cookie's session with one at `stage`; on reaching the end, records the sign-in. */
async function advance(
  db: Kysely<Database>,
  previousToken: string | null,
  user: StaffUser,
  stage: SessionStage,
  now: Date,
  how: string,
): Promise<SignInStep> {
  if (previousToken) await endSession(db, previousToken);
  const session = await startSession(db, user.id, now, { stage });
  if (stage === "signed-in") await recordSignIn(db, user.id, how, now);
  return { ...session, user, stage };
}

export async function recordSignIn(db: Kysely<Database>, userId: number, how: string, now: Date) {
  await updateUser(db, userId, { lastSignInAt: now });
  await insertUserEvent(db, {
    userId,
    kind: "signed-in",
    actorId: userId,
    actorLabel: "themselves",
    detail: how,
    at: now,
  });
}

async function throttled<T>(
  db: Kysely<Database>,
  username: string,
  ip: string,
  now: Date,
  options: SignInOptions = defaultSignInOptions,
  attempt: () => Promise<T | null>,
  refusal: DomainError,
): Promise<T> {
  const keys = attemptKeys(username, ip);
  await reserveAttempt(db, keys, now);
  const result = await attempt();
  if (result === null) {
    const alarm = await attemptFailed(db, now, options.alarmFailures);
    if (alarm !== null) options.onAlarm?.(alarm);
    throw refusal;
  }
  await attemptSucceeded(db, keys);
  return result;
}

/** The first step: username and password. */
export async function signIn(
  db: Kysely<Database>,
  input: SignInInput,
  now: Date,
  options: SignInOptions = defaultSignInOptions,
): Promise<SignInStep> {
  const username = input.username.trim();
  if (!username) throw invalid("username", "Enter your username");
  if (!input.password) throw invalid("password", "Enter your password");
  const account = await throttled(
    db,
    username,
    input.ip,
    now,
    options,
    async () => {
      const found = await findSignInAccount(db, username);
      const matches = found?.passwordHash
        ? await verifyPassword(input.password, found.passwordHash)
        : await verifyAgainstNobody(input.password);
      return matches && found?.active ? found : null;
    },
    invalid("username", wrongCredentialsMessage),
  );
  // The password is known only now: a hash made before the parameters were raised is made again with them.
  if (account.passwordHash && needsRehash(account.passwordHash)) {
    await replacePasswordHash(db, account.id, account.passwordHash, await hashPassword(input.password));
  }
  const user = (await findUserById(db, account.id))!;
  const stage = nextStage(await stateOf(db, user), "password", options.secondFactorFor);
  return advance(db, null, user, stage, now, "password");
}

/** The sign-in in progress that a cookie's token names, at `stage`; otherwise the person starts again. */
async function pendingAt(
  db: Kysely<Database>,
  token: string,
  stage: PendingSignIn["stage"],
  now: Date,
): Promise<{ pending: PendingSignIn; user: StaffUser }> {
  const found = await resumeSession(db, token, now);
  if (found.status !== "pending" || found.pending.stage !== stage) {
    throw new DomainError("unauthenticated", "Sign in to continue");
  }
  const user = await findUserById(db, found.pending.userId);
  if (!user?.active) throw new DomainError("unauthenticated", "Sign in to continue");
  return { pending: found.pending, user };
}

/** The second step: a code from the authenticator app, or a recovery code. Throttled as passwords are. */
export async function enterSecondFactor(
  db: Kysely<Database>,
  input: { token: string; code: string; ip: string },
  now: Date,
  options: SignInOptions = defaultSignInOptions,
): Promise<SignInStep> {
  const { user } = await pendingAt(db, input.token, "second-factor", now);
  if (!input.code.trim()) throw invalid("code", "Enter the code from your authenticator app");
  const how = await throttled(
    db,
    user.username,
    input.ip,
    now,
    options,
    async () => {
      const account = await findSignInAccountById(db, user.id);
      return account ? checkSecondFactor(db, account, input.code, now) : null;
    },
    invalid("code", wrongCodeMessage),
  );
  const stage = nextStage(await stateOf(db, user), "second-factor", options.secondFactorFor);
  return advance(
    db,
    input.token,
    user,
    stage,
    now,
    how === "totp" ? "password and authenticator app" : "password and recovery code",
  );
}

const newPasswordSchema = z
  .object({
    password: z
      .string()
      .min(10, "A password must be at least 10 characters")
      .max(200, "A password must be 200 characters or fewer"),
    confirm: z.string(),
  })
  .refine((form) => form.password === form.confirm, {
    message: "Enter the same password twice",
    path: ["confirm"],
  });

/** The step an administrator asked for: a new password, different from the old one. */
export async function chooseNewPassword(
  db: Kysely<Database>,
  input: { token: string; password: string; confirm: string },
  now: Date,
  options: SignInOptions = defaultSignInOptions,
): Promise<SignInStep> {
  const { user } = await pendingAt(db, input.token, "new-password", now);
  const parsed = newPasswordSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(String(issue.path[0] ?? "password"), issue.message);
  }
  const account = (await findSignInAccountById(db, user.id))!;
  if (account.passwordHash && (await verifyPassword(input.password, account.passwordHash)))
    throw invalid("password", "Choose a password different from the one you had");
  await updateUser(db, user.id, {
    passwordHash: await hashPassword(input.password),
    passwordResetRequired: false,
  });
  await insertUserEvent(db, {
    userId: user.id,
    kind: "password-changed",
    actorId: user.id,
    actorLabel: "themselves",
    at: now,
  });
  const refreshed = (await findUserById(db, user.id))!;
  const stage = nextStage(await stateOf(db, refreshed), "new-password", options.secondFactorFor);
  return advance(db, input.token, refreshed, stage, now, "password");
}

/** The user whose sign-in is waiting for them to set up an authenticator app (the enrolment page). */
export async function userEnrolling(db: Kysely<Database>, token: string, now: Date): Promise<StaffUser> {
  return (await pendingAt(db, token, "enrol", now)).user;
}

/** The last step for an account that must have a second factor: the first code from the new app. */
export async function finishEnrolment(
  db: Kysely<Database>,
  input: { token: string; code: string },
  now: Date,
  options: SignInOptions = defaultSignInOptions,
): Promise<SignInStep & { recoveryCodes: string[] }> {
  const { user } = await pendingAt(db, input.token, "enrol", now);
  const recoveryCodes = await confirmEnrolment(
    db,
    user.id,
    input.code,
    { userId: user.id, label: "themselves" },
    now,
  );
  const stage = nextStage(await stateOf(db, user), "enrol", options.secondFactorFor);
  return {
    ...(await advance(db, input.token, user, stage, now, "password, then set up an authenticator app")),
    recoveryCodes,
  };
}
