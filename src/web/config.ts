import { invalid } from "../errors.ts";
import {
  defaultSessionIdleMinutes,
  isRole,
  maxSessionIdleMinutes,
  type Role,
  type SecondFactorFor,
  secondFactorForValues,
} from "../users/index.ts";

/** Single sign-on with an OpenID Connect provider (Microsoft Entra ID, Google Workspace, any compliant one). */
export interface SsoConfig {
  /** The provider's issuer URL; its /.well-known/openid-configuration is read at the first sign-in. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The ID token or userinfo claim listing the person's groups or app roles (default "groups"). */
  rolesClaim?: string;
  /** Provider group or role → foidesk role; a person in none of them cannot sign in. */
  roleMap: Record<string, Role>;
  /** Scopes asked for (default "openid email profile"). */
  scopes?: string;
  /** What the button says: "Sign in with <label>" (default "your organisation's account"). */
  label?: string;
}

/** What the web app needs to know about where and how it runs. */
export interface WebConfig {
  /** The address people use, e.g. `https://foi.example.gov.uk`; https means cookies are Secure and HSTS is sent. */
  baseUrl: string;
  /** Fastify's trustProxy: set when behind a load balancer, so `request.ip` is the client's (sign-in throttling). */
  trustProxy?: boolean | string | string[] | number;
  /** Shown in the header and page titles. */
  serviceName?: string;
  /** Largest file a staff form accepts. */
  maxUploadBytes?: number;
  /** Re-read templates on every render (development). */
  reloadViews?: boolean;
  /** Where the public site's "Exit this page" (and the Escape key) sends people: a neutral site. */
  quickExitUrl?: string;
  /** An analytics script on our own origin (e.g. `/assets/analytics.js`), loaded only after consent. */
  analyticsScript?: string;
  /** Keep disclosure-log searches per version of the log (default true; false: the benchmark's cold runs). */
  searchCache?: boolean;
  /** A staff session unused for this many minutes ends (default 30). */
  sessionIdleMinutes?: number;
  /** Who must sign in with a second factor: managers and administrators (default), or everyone. */
  secondFactorFor?: SecondFactorFor;
  /** Single sign-on; without it, staff sign in with a username and password only. */
  sso?: SsoConfig;
}

export interface ResolvedWebConfig {
  baseUrl: string;
  trustProxy: boolean | string | string[] | number;
  serviceName: string;
  maxUploadBytes: number;
  reloadViews: boolean;
  /** Derived from baseUrl: the app is reached over TLS (directly or through a proxy). */
  behindTls: boolean;
  quickExitUrl: string;
  analyticsScript: string | null;
  searchCache: boolean;
  sessionIdleMinutes: number;
  secondFactorFor: SecondFactorFor;
  sso: Required<SsoConfig> | null;
}

export const DEFAULT_QUICK_EXIT_URL = "https://www.bbc.co.uk/weather";

export function resolveWebConfig(config: WebConfig): ResolvedWebConfig {
  let url: URL;
  try {
    url = new URL(config.baseUrl);
  } catch {
    throw new Error(`baseUrl "${config.baseUrl}" is not an absolute URL`);
  }
  const quickExitUrl = config.quickExitUrl ?? DEFAULT_QUICK_EXIT_URL;
  if (!/^https?:\/\/[^\s"<>]+$/.test(quickExitUrl))
    throw new Error(`quickExitUrl "${quickExitUrl}" is not an http(s) address`);
  // The Content-Security-Policy allows scripts from our own origin only.
  if (config.analyticsScript && !/^\/[^/\\\s"<>][^\s"<>]*$/.test(config.analyticsScript))
    throw new Error(
      `analyticsScript "${config.analyticsScript}" must be a path on this site, like /assets/analytics.js`,
    );
  const sessionIdleMinutes = idleMinutes(
    String(config.sessionIdleMinutes ?? defaultSessionIdleMinutes),
    "sessionIdleMinutes",
  );
  return {
    baseUrl: url.origin + url.pathname.replace(/\/$/, ""),
    trustProxy: config.trustProxy ?? false,
    serviceName: config.serviceName ?? "FOI casework",
    maxUploadBytes: config.maxUploadBytes ?? 20 * 1024 * 1024,
    reloadViews: config.reloadViews ?? false,
    behindTls: url.protocol === "https:",
    quickExitUrl,
    analyticsScript: config.analyticsScript ?? null,
    searchCache: config.searchCache ?? true,
    sessionIdleMinutes,
    secondFactorFor: config.secondFactorFor ?? "managers",
    sso: config.sso
      ? {
          rolesClaim: "groups",
          scopes: "openid email profile",
          label: "your organisation's account",
          ...config.sso,
        }
      : null,
  };
}

/** OIDC_ROLE_MAP: "group=role,group=role" (a group's name or id as the provider sends it). */
export function parseRoleMap(text: string, field: string): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const entry of text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf("=");
    const group = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim();
    if (at <= 0 || !group) throw invalid(field, `"${entry}" is not group=role`);
    if (!isRole(role)) throw invalid(field, `"${role}" is not a role (officer, approver, manager or admin)`);
    map[group] = role;
  }
  if (!Object.keys(map).length)
    throw invalid(field, "map at least one group to a role, like foi-officers=officer");
  return map;
}

/** OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ROLE_MAP, OIDC_ROLES_CLAIM, OIDC_SCOPES, OIDC_LABEL. */
function ssoFromEnv(env: NodeJS.ProcessEnv): SsoConfig | null {
  if (!env.OIDC_ISSUER) return null;
  for (const name of ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ROLE_MAP"])
    if (!env[name]) throw invalid(name, `${name} must be set when OIDC_ISSUER is`);
  try {
    new URL(env.OIDC_ISSUER);
  } catch {
    throw invalid("OIDC_ISSUER", `"${env.OIDC_ISSUER}" is not an absolute URL`);
  }
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID!,
    clientSecret: env.OIDC_CLIENT_SECRET!,
    roleMap: parseRoleMap(env.OIDC_ROLE_MAP!, "OIDC_ROLE_MAP"),
    ...(env.OIDC_ROLES_CLAIM ? { rolesClaim: env.OIDC_ROLES_CLAIM } : {}),
    ...(env.OIDC_SCOPES ? { scopes: env.OIDC_SCOPES } : {}),
    ...(env.OIDC_LABEL ? { label: env.OIDC_LABEL } : {}),
  };
}

function secondFactorFromEnv(text: string): SecondFactorFor {
  const value = text.trim() as SecondFactorFor;
  if (!secondFactorForValues.includes(value))
    throw invalid(
      "SECOND_FACTOR_REQUIRED_FOR",
      `"${text}" is not one of: ${secondFactorForValues.join(", ")}`,
    );
  return value;
}

/** The idle limit: whole minutes, up to the longest a session lasts; refused naming `field` otherwise. */
function idleMinutes(text: string, field: string): number {
  const minutes = /^\s*\d{1,6}\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(minutes >= 1 && minutes <= maxSessionIdleMinutes))
    throw invalid(field, `"${text}" is not a number of minutes from 1 to ${maxSessionIdleMinutes}`);
  return minutes;
}

/**
 * BASE_URL, TRUST_PROXY (true, a hop count or addresses), MAX_UPLOAD_MB, QUICK_EXIT_URL, ANALYTICS_SCRIPT,
 * SEARCH_CACHE (off: every search asks the database), SESSION_IDLE_MINUTES, SECOND_FACTOR_REQUIRED_FOR, the
 * OIDC_* single sign-on settings; the port fills in a local base URL.
 */
export function webConfigFromEnv(env: NodeJS.ProcessEnv, port: number): WebConfig {
  const trust = env.TRUST_PROXY;
  let trustProxy: WebConfig["trustProxy"] = false;
  if (trust === "true") trustProxy = true;
  else if (trust && /^\d+$/.test(trust)) trustProxy = Number(trust);
  else if (trust && trust !== "false") trustProxy = trust.split(",").map((entry) => entry.trim());
  const sso = ssoFromEnv(env);
  return {
    baseUrl: env.BASE_URL ?? `http://localhost:${port}`,
    trustProxy,
    ...(env.SERVICE_NAME ? { serviceName: env.SERVICE_NAME } : {}),
    ...(env.MAX_UPLOAD_MB ? { maxUploadBytes: Number(env.MAX_UPLOAD_MB) * 1024 * 1024 } : {}),
    reloadViews: env.NODE_ENV === "development",
    ...(env.QUICK_EXIT_URL ? { quickExitUrl: env.QUICK_EXIT_URL } : {}),
    ...(env.ANALYTICS_SCRIPT ? { analyticsScript: env.ANALYTICS_SCRIPT } : {}),
    ...(env.SEARCH_CACHE === "off" ? { searchCache: false } : {}),
    ...(env.SESSION_IDLE_MINUTES !== undefined
      ? { sessionIdleMinutes: idleMinutes(env.SESSION_IDLE_MINUTES, "SESSION_IDLE_MINUTES") }
      : {}),
    ...(env.SECOND_FACTOR_REQUIRED_FOR
      ? { secondFactorFor: secondFactorFromEnv(env.SECOND_FACTOR_REQUIRED_FOR) }
      : {}),
    ...(sso ? { sso } : {}),
  };
}
