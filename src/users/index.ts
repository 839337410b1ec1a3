// Staff accounts: passwords, roles, sessions, sign-in throttling and API tokens. I/O only through repo.ts.
export {
  countUsers,
  createUser,
  findUserById,
  findUserByUsername,
  listUsers,
  minimumPasswordLength,
  type NewStaffUser,
} from "./accounts.ts";
export {
  type ApiTokenListing,
  createApiToken,
  listTokens,
  type NewApiToken,
  revokeToken,
  userForApiToken,
} from "./api-tokens.ts";
export { hashPassword, verifyPassword } from "./password.ts";
export { findTeamByName, listTeams, type StaffUser, type Team } from "./repo.ts";
export { hasRole, isRole, type Role, roleLabels, roles } from "./roles.ts";
export { randomSecret, secretsEqual } from "./secrets.ts";
export {
  defaultSessionIdleMinutes,
  endSession,
  type LiveSession,
  maxSessionIdleMinutes,
  type NewSession,
  resumeSession,
  type SessionLookup,
  sessionLifetimeMs,
} from "./sessions.ts";
export {
  type SignedIn,
  type SignInInput,
  signIn,
  signInThrottle,
  tooManyAttemptsMessage,
  wrongCredentialsMessage,
} from "./sign-in.ts";
