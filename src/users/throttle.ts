import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import {
  countSignInFailure,
  forgetSignInFailures,
  globalSignInFailures,
  pruneSignInThrottle,
  type ThrottleKey,
  type ThrottleRow,
  uncountSignInFailure,
  withThrottleRows,
} from "./repo.ts";

// Throttling that cannot be turned into a lock-out. Failures are counted per (account, address) and per
// address, never per account alone: someone guessing a colleague's password from elsewhere slows only
// themselves, and the colleague at their own desk signs in as usual. Past a few free failures each further
// one doubles the wait (backoff from the last failure), up to a cap; a key is forgotten once it has been quiet
// that long. Failures across every account are also counted, raising an alarm (a log line and a notice for
// administrators) when a spread-out attack passes a threshold; the alarm never refuses anyone. (NCSC password
// guidance: throttle rather than lock out; OWASP ASVS 4.0 V2.2.1.)

export interface BackoffRule {
  /** Failures allowed before any wait. */
  free: number;
  /** The wait after the first failure past the free ones; each further failure doubles it. */
  firstDelaySeconds: number;
}

export const signInThrottle = {
  accountAddress: { free: 5, firstDelaySeconds: 30 } satisfies BackoffRule,
  address: { free: 30, firstDelaySeconds: 2 } satisfies BackoffRule,
  maxDelaySeconds: 15 * 60,
  /** A key with no failure for this long starts again from nothing. */
  forgetAfterMinutes: 30,
  /** Failures across all accounts within `alarmWindowMinutes` that raise the alarm. */
  alarmFailures: 100,
  alarmWindowMinutes: 15,
} as const;

/** How long after its last failure a key with `failures` failures must wait (0: no wait). */
export function backoffSeconds(failures: number, rule: BackoffRule): number {
  if (failures < rule.free) return 0;
  const doublings = Math.min(failures - rule.free, 30);
  return Math.min(rule.firstDelaySeconds * 2 ** doublings, signInThrottle.maxDelaySeconds);
}

/** The moment a key may be tried again, or null when it may be tried now. */
export function retryAt(row: Pick<ThrottleRow, "failures" | "lastFailureAt">, rule: BackoffRule, now: Date) {
  const wait = backoffSeconds(row.failures, rule);
  if (wait === 0 || !row.lastFailureAt || isForgotten(row.lastFailureAt, now)) return null;
  const at = new Date(row.lastFailureAt.getTime() + wait * 1000);
  return at > now ? at : null;
}

function isForgotten(lastFailureAt: Date, now: Date): boolean {
  return now.getTime() - lastFailureAt.getTime() >= signInThrottle.forgetAfterMinutes * 60_000;
}

/** "Wait 2 minutes", rounded up, in words. */
export function waitInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export interface AttemptKeys {
  accountAddress: ThrottleKey;
  address: ThrottleKey;
}

export function attemptKeys(username: string, ip: string): AttemptKeys {
  // The username lower-cased, as sign-in matches it; a space cannot be in a username, so the key is unambiguous.
  return {
    accountAddress: { kind: "account-address", subject: `${username.trim().toLowerCase()} ${ip}` },
    address: { kind: "address", subject: ip },
  };
}

/**
 * Counts the attempt as a failure in advance (so that concurrent guesses cannot all pass), or refuses it,
 * uncounted, when either key must still wait. Call `attemptSucceeded` or `attemptFailed` after checking.
 */
export async function reserveAttempt(db: Kysely<Database>, keys: AttemptKeys, now: Date): Promise<void> {
  await pruneSignInThrottle(db, new Date(now.getTime() - signInThrottle.forgetAfterMinutes * 60_000));
  const rules = [signInThrottle.accountAddress, signInThrottle.address];
  const waitUntil = await withThrottleRows(db, [keys.accountAddress, keys.address], now, (rows) => {
    const waits = rows.map((row, index) => retryAt(row, rules[index]!, now)).filter((at) => at !== null);
    if (waits.length) return { result: new Date(Math.max(...waits.map((at) => at.getTime()))), write: [] };
    const write = rows.map((row) => ({
      ...row,
      failures: row.lastFailureAt && !isForgotten(row.lastFailureAt, now) ? row.failures + 1 : 1,
      lastFailureAt: now,
    }));
    return { result: null, write };
  });
  if (waitUntil) {
    const seconds = Math.ceil((waitUntil.getTime() - now.getTime()) / 1000);
    throw new DomainError(
      "rate-limited",
      `You have tried to sign in too many times. Wait ${waitInWords(seconds)}, then try again.`,
      "username",
    );
  }
}

/** The attempt was right: this account at this address starts again from nothing; the address's count is taken back. */
export async function attemptSucceeded(db: Kysely<Database>, keys: AttemptKeys): Promise<void> {
  await Promise.all([forgetSignInFailures(db, keys.accountAddress), uncountSignInFailure(db, keys.address)]);
}

/**
 * The attempt was wrong (its failure is already counted against its keys): counts it globally and returns
 * the global count when this failure is the one that reaches the alarm threshold (once per window), else null.
 */
export async function attemptFailed(
  db: Kysely<Database>,
  now: Date,
  alarmFailures: number = signInThrottle.alarmFailures,
): Promise<number | null> {
  const windowOpenedBy = new Date(now.getTime() - signInThrottle.alarmWindowMinutes * 60_000);
  const failures = await countSignInFailure(db, { kind: "global", subject: "all" }, now, windowOpenedBy);
  return failures === alarmFailures ? failures : null;
}

/** Failures across all accounts in the alarm's window, and whether they have raised it (for administrators). */
export async function signInAlarm(
  db: Kysely<Database>,
  now: Date,
  alarmFailures: number = signInThrottle.alarmFailures,
) {
  const windowOpenedBy = new Date(now.getTime() - signInThrottle.alarmWindowMinutes * 60_000);
  const failures = await globalSignInFailures(db, windowOpenedBy);
  return { failures, raised: failures >= alarmFailures };
}
