import type { Kysely } from "kysely";
import * as oidc from "openid-client";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import {
  findUserById,
  findUserIdBySso,
  insertUser,
  insertUserEvent,
  type StaffUser,
  updateUser,
  usernameTaken,
} from "./repo.ts";
import { type Role, roleLabels, roles } from "./roles.ts";
import { endSession, type NewSession, startSession } from "./sessions.ts";
import { recordSignIn } from "./sign-in.ts";

// Single sign-on with OpenID Connect: the authorisation code flow with PKCE (RFC 7636) and a nonce, through
// openid-client, which checks the ID token's signature, issuer, audience, expiry and nonce. The provider is the
// source of truth for who may sign in and with which role: its groups (or app roles) claim is mapped to a
// foidesk role at every sign-in, and an account is made the first time a person signs in ("just in time").
// Deactivating the account in foidesk still stops it. The second factor is the provider's to ask for.

export interface SsoSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  rolesClaim: string;
  roleMap: Record<string, Role>;
  scopes: string;
}

/** What is kept in a short-lived cookie between leaving for the provider and coming back. */
export interface SsoPending {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

function isLoopback(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** Reads the provider's metadata once per process (again after a failure). */
export function ssoClient(settings: SsoSettings) {
  let configuration: Promise<oidc.Configuration> | null = null;
  const discover = () => {
    const issuer = new URL(settings.issuer);
    configuration ??= oidc
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        // Plain http only for a provider on this machine (development and the tests); anything else is https.
        ...(isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
        timeout: 10,
      })
      .catch((error: unknown) => {
        configuration = null;
        throw new DomainError(
          "conflict",
          `The sign-in service at ${settings.issuer} could not be reached. Try again, or sign in with a password. (${error instanceof Error ? error.message : String(error)})`,
        );
      });
    return configuration;
  };

  return {
    settings,
    /** Where to send the person, and what to remember until they come back. */
    async start(redirectUri: string, next: string): Promise<{ url: string; pending: SsoPending }> {
      const config = await discover();
      const verifier = oidc.randomPKCECodeVerifier();
      const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier, next };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: settings.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },

    /** The person's claims, once the code in `callbackUrl` is exchanged and the ID token checked. */
    async finish(callbackUrl: URL, pending: SsoPending): Promise<{ claims: Claims; idToken: string }> {
      const config = await discover();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw new DomainError(
          "unauthenticated",
          `Single sign-on did not complete: ${error instanceof Error ? error.message : String(error)}. Try again.`,
        );
      }
      const idTokenClaims = tokens.claims()!;
      let claims: Claims = { ...idTokenClaims };
      // Providers that keep groups out of the ID token give them from userinfo (oidc-provider, Okta).
      if (claims[settings.rolesClaim] === undefined && config.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, idTokenClaims.sub);
        claims = { ...info, ...idTokenClaims };
      }
      return { claims, idToken: tokens.id_token! };
    },

    /** The provider's sign-out page, which sends the person back to `returnTo` (RP-initiated logout). */
    async signOutUrl(idToken: string | null, returnTo: string): Promise<string | null> {
      const config = await discover();
      if (!config.serverMetadata().end_session_endpoint) return null;
      return oidc.buildEndSessionUrl(config, {
        post_logout_redirect_uri: returnTo,
        ...(idToken ? { id_token_hint: idToken } : {}),
      }).href;
    },
  };
}

export type SsoClient = ReturnType<typeof ssoClient>;

export type Claims = Record<string, unknown> & { sub: string; iss?: string };

/** The most senior foidesk role any of the person's groups maps to, or null. */
export function roleFromClaims(
  claims: Claims,
  rolesClaim: string,
  roleMap: Record<string, Role>,
): Role | null {
  const raw = claims[rolesClaim];
  const groups = Array.isArray(raw)
    ? raw.filter((group): group is string => typeof group === "string")
    : typeof raw === "string"
      ? raw.split(/[\s,]+/).filter(Boolean)
      : [];
  const mapped = groups.map((group) => roleMap[group]).filter((role): role is Role => role !== undefined);
  if (!mapped.length) return null;
  return roles[Math.max(...mapped.map((role) => roles.indexOf(role)))]!;
}

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** A username for a new account: the provider's preferred username or email's local part, made unique. */
async function freeUsername(db: Kysely<Database>, claims: Claims): Promise<string> {
  const wanted = text(claims.preferred_username) || text(claims.email) || `sso-${claims.sub}`;
  const base =
    wanted
      .toLowerCase()
      .replace(/@.*$/, "")
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^[^a-z0-9]+/, "")
      .slice(0, 56) || "sso-user";
  const padded = base.length >= 2 ? base : `${base}-user`;
  // A local account with the same name is never taken over: the new one gets a number.
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? padded : `${padded}-${n}`;
    if (!(await usernameTaken(db, candidate))) return candidate;
  }
}

export interface SsoSignIn extends NewSession {
  user: StaffUser;
  created: boolean;
}

/**
 * Signs in the person the provider vouched for: their account (made now if new) with the role their groups
 * give, kept in step with the provider. Refused when no group maps to a role or the account is deactivated.
 */
export async function signInWithSso(
  db: Kysely<Database>,
  settings: SsoSettings,
  signedIn: { claims: Claims; idToken: string },
  now: Date,
  previousToken?: string,
): Promise<SsoSignIn> {
  const { claims } = signedIn;
  const role = roleFromClaims(claims, settings.rolesClaim, settings.roleMap);
  if (!role) {
    throw new DomainError(
      "forbidden",
      "Your organisation's account is not in a group that may use this service. Ask your administrator to add you to one.",
    );
  }
  const issuer = text(claims.iss) || settings.issuer;
  const name =
    text(claims.name) || text(claims.preferred_username) || text(claims.email) || "Single sign-on user";
  const email = text(claims.email);
  let userId = await findUserIdBySso(db, issuer, claims.sub);
  const created = userId === null;
  if (userId === null) {
    const username = await freeUsername(db, claims);
    userId = await db.transaction().execute(async (trx) => {
      const id = await insertUser(trx, {
        username,
        name,
        email,
        role,
        teamId: null,
        passwordHash: null,
        sso: { issuer, subject: claims.sub },
      });
      await insertUserEvent(trx, {
        userId: id,
        kind: "created",
        actorId: null,
        actorLabel: "single sign-on",
        detail: `first sign-in, as ${roleLabels[role]}`,
        at: now,
      });
      return id;
    });
  }
  const user = (await findUserById(db, userId))!;
  if (!user.active)
    throw new DomainError("forbidden", "Your account has been deactivated. Ask your administrator.");
  if (!created && (user.role !== role || user.name !== name || user.email !== email)) {
    await updateUser(db, user.id, { role, name, email });
    if (user.role !== role)
      await insertUserEvent(db, {
        userId: user.id,
        kind: "role-changed",
        actorId: null,
        actorLabel: "single sign-on",
        detail: `${roleLabels[user.role]} to ${roleLabels[role]}, from the provider's groups`,
        at: now,
      });
  }
  if (previousToken) await endSession(db, previousToken);
  const session = await startSession(db, user.id, now, { method: "sso", idToken: signedIn.idToken });
  await recordSignIn(db, user.id, "single sign-on", now);
  return { ...session, user: (await findUserById(db, user.id))!, created };
}
