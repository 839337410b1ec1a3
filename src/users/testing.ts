import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { createUser, type NewStaffUser, type StaffUser } from "./accounts.ts";

// What other modules' tests use from users: a member of staff, and a single sign-on provider of their own.
export { signInAtProvider, startTestProvider, type TestProvider } from "./oidc-test-provider.ts";

/** A test's member of staff's password, unless the test gives one. */
export const testPasswordOf = (username: string): string => `${username}-password-1`;

/** A member of staff for a test, whose password is testPasswordOf theirs, created by "tests" at `now`. */
export function addTestUser(
  db: Kysely<Database>,
  user: Omit<NewStaffUser, "password"> & { password?: string },
  now: Date,
): Promise<StaffUser> {
  const password = user.password ?? testPasswordOf(user.username);
  return createUser(db, { ...user, password }, { userId: null, label: "tests" }, now);
}
