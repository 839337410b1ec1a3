import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError, invalid } from "../errors.ts";
import { hashPassword, needsRehash, verifyAgainstNobody, verifyPassword } from "./password.ts";
import {
  countSignInAttempt,
  findPasswordHash,
  findUserById,
  forgetSignInAttempts,
  pruneSignInThrottle,
  replacePasswordHash,
  type StaffUser,
  uncountSignInAttempt,
} from "./repo.ts";
import { type NewSession, startSession } from "./sessions.ts";

/**
 * Throttling is counted in the database so that every app process behind a load balancer shares it. An attempt
 * is counted before the password is checked, by a statement that returns the count with it, so no two attempts
 * can both take the last place (counting first and recording after let concurrent guesses through). A
 * username's count restarts after a successful sign-in; an address's does not, so signing in to one's own
 * account cannot reset an attack on others. The window opens at a key's first counted failure.
 */
export const signInThrottle = {
  windowMinutes: 15,
  maxFailuresPerUsername: 5,
  maxFailuresPerAddress: 20,
} as const;

export const tooManyAttemptsMessage = `You have tried to sign in too many times. Wait ${signInThrottle.windowMinutes} minutes, then try again.`;
export const wrongCredentialsMessage = "Enter a correct username and password";

export interface SignInInput {
  username: string;
  password: string;
  /** The client's address, as the web server sees it (behind a proxy: the forwarded address). */
  ip: string;
}

export interface SignedIn extends NewSession {
  user: StaffUser;
}

export async function signIn(db: Kysely<Database>, input: SignInInput, now: Date): Promise<SignedIn> {
  const username = input.username.trim();
  if (!username) throw invalid("username", "Enter your username");
  if (!input.password) throw invalid("password", "Enter your password");

  const windowOpenedBy = new Date(now.getTime() - signInThrottle.windowMinutes * 60_000);
  const name = username.toLowerCase();
  await pruneSignInThrottle(db, windowOpenedBy);
  const [byUsername, byAddress] = await Promise.all([
    countSignInAttempt(db, "username", name, now, windowOpenedBy),
    countSignInAttempt(db, "address", input.ip, now, windowOpenedBy),
  ]);
  if (
    byUsername > signInThrottle.maxFailuresPerUsername ||
    byAddress > signInThrottle.maxFailuresPerAddress
  ) {
    // Refused unchecked: not a failure, so waiting out the window is enough, and a locked username's owner
    // retrying does not lock out everyone else at their address.
    await Promise.all([
      uncountSignInAttempt(db, "username", name),
      uncountSignInAttempt(db, "address", input.ip),
    ]);
    throw new DomainError("rate-limited", tooManyAttemptsMessage, "username");
  }
  const account = await findPasswordHash(db, username);
  const matches = account
    ? await verifyPassword(input.password, account.passwordHash)
    : await verifyAgainstNobody(input.password);
  const succeeded = matches && account?.active === true;
  if (!succeeded || !account) throw invalid("username", wrongCredentialsMessage);
  await Promise.all([
    forgetSignInAttempts(db, "username", name),
    uncountSignInAttempt(db, "address", input.ip),
  ]);
  // The password is known only now: a hash made before the parameters were raised is made again with them.
  if (needsRehash(account.passwordHash)) {
    await replacePasswordHash(db, account.id, account.passwordHash, await hashPassword(input.password));
  }

  const user = (await findUserById(db, account.id))!;
  const session = await startSession(db, user.id, now);
  return { ...session, user };
}
