// Staff accounts: passwords, roles, sessions, sign-in throttling and API tokens. I/O only through repo.ts.

export type { SessionStage } from "../db/index.ts";
export {
  type Ability,
  type AbilityRole,
  type AbilitySubject,
  type Asker,
  abilities,
  abilityTable,
  assertCan,
  can,
  type Permission,
  rolesWith,
} from "./abilities.ts";
export {
  countUsers,
  createUser,
  findUserById,
  findUserByUsername,
  listUsers,
  minimumPasswordLength,
  type NewStaffUser,
  teamsWithStaff,
} from "./accounts.ts";
export {
  type ApiTokenListing,
  createApiToken,
  listTokens,
  type NewApiToken,
  revokeToken,
  userForApiToken,
} from "./api-tokens.ts";
export {
  type AccountHistory,
  accountHistory,
  changeRole,
  deactivateUser,
  forcePasswordReset,
  reactivateUser,
  resetSecondFactor,
  type UserActor,
  type UserEvent,
  userById,
  userEventLabels,
} from "./lifecycle.ts";
export { hashPassword, verifyPassword } from "./password.ts";
export { findTeamByName, listTeams, type StaffUser, type Team } from "./repo.ts";
export { hasRole, isRole, type Role, roleLabels, roles } from "./roles.ts";
export {
  beginEnrolment,
  confirmEnrolment,
  type Enrolment,
  enrolKnownSecret,
  recoveryCodesLeft,
  replaceRecoveryCodesFor,
  type SecondFactorFor,
  secondFactorForValues,
  secondFactorRequired,
} from "./second-factor.ts";
export { randomSecret, secretsEqual } from "./secrets.ts";
export {
  defaultSessionIdleMinutes,
  endSession,
  type LiveSession,
  maxSessionIdleMinutes,
  type NewSession,
  type PendingSignIn,
  pendingSignInMs,
  resumeSession,
  type SessionLookup,
  sessionLifetimeMs,
} from "./sessions.ts";
export {
  chooseNewPassword,
  enterSecondFactor,
  finishEnrolment,
  nextStage,
  type SignInInput,
  type SignInOptions,
  type SignInStep,
  signIn,
  userEnrolling,
  wrongCodeMessage,
  wrongCredentialsMessage,
} from "./sign-in.ts";
export {
  type Claims,
  roleFromClaims,
  type SsoClient,
  type SsoPending,
  type SsoSettings,
  signInWithSso,
  ssoClient,
} from "./sso.ts";
export { backoffSeconds, signInAlarm, signInThrottle } from "./throttle.ts";
export { groupedSecret, totpCode } from "./totp.ts";
