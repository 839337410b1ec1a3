import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { createUser, type NewStaffUser, type StaffUser } from "./accounts.ts";

// What other modules' tests use from users: a member of staff, and a single sign-on provider of their own.
export { signInAtProvider, startTestProvider, type TestProvider } from "./oidc-test-provider.ts";

/** A member of staff for a test, whose password is `<username>-password-1`, created by "tests" at `now`. */
export function addTestUser(
  db: Kysely<Database>,
  user: Omit<NewStaffUser, "password"> & { password?: string },
  now: Date,
): Promise<StaffUser> {
  const password = user.password ?? `${user.username}-password-1`;
  return createUser(db, { ...user, password }, { userId: null, label: "tests" }, now);
}
