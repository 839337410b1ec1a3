import type { FastifyRequest } from "fastify";
import { sameSitePath } from "../input.ts";
import { loggableUrl } from "../logging.ts";
import type { PublicAuthority } from "./authority.ts";

// What every public page shows around its content (views/public/layout.njk): the quick exit, the cookie
// banner, the beta banner's feedback link, and the analytics script only once the person has accepted it.

/** The person's choice about analytics cookies. Essential itself: it records the choice (1 year). */
export const cookiePolicyCookie = "foidesk_cookie_policy";
export const cookiePolicyMaxAgeSeconds = 365 * 24 * 60 * 60;
export type CookieChoice = "accepted" | "rejected";

export function cookieChoice(request: FastifyRequest): CookieChoice | null {
  const value = request.cookies?.[cookiePolicyCookie];
  return value === "accepted" || value === "rejected" ? value : null;
}

/** A path on this site to go back to: never another site, never a scheme-relative `//host`. */
export function localPath(path: string | undefined, fallback = "/"): string {
  return sameSitePath(path, fallback);
}

/** The page a piece of feedback is about, without any secret in it (a tracking link's token). */
export function feedbackPage(path: string): string {
  return loggableUrl(path).replace(/\?\[redacted\]$/, "");
}

// The authority each public request is about, loaded once per request by the public plugin (a WeakMap, so
// nothing is added to Fastify's request object and nothing outlives the request).
const authorities = new WeakMap<FastifyRequest, PublicAuthority>();

export function rememberAuthority(request: FastifyRequest, authority: PublicAuthority): void {
  authorities.set(request, authority);
}

export function authorityOf(request: FastifyRequest): PublicAuthority {
  return (
    authorities.get(request) ?? {
      name: request.server.config.serviceName,
      email: "",
      phone: "",
      address: "",
      jurisdiction: "england-and-wales",
      scottish: false,
    }
  );
}

export interface PublicChrome {
  /** The authority's name (the header and page titles), once the public plugin has loaded it. */
  authorityName: string | null;
  quickExitUrl: string;
  /** "ask": the banner's question; "saved": its confirmation (after a choice made without JavaScript). */
  cookieBanner: "ask" | "saved" | null;
  cookieChoice: CookieChoice | null;
  /** The analytics script to load: only when accepted. */
  analyticsScript: string | null;
  /** Offered to the banner's script, to load at once when the person accepts (no reload). */
  analyticsOnConsent: string | null;
  /** Where the cookie banner's form returns to: this page, without the confirmation flag. */
  returnTo: string;
  feedbackHref: string;
  /** The header's links: what is already published comes before asking (issue 17). */
  navigation: { text: string; href: string; current: boolean; active: boolean }[];
}

/** The public header's links, in order; the one for this page (or the area it is in) marked. */
export const publicNavigationEntries = [
  { text: "Make a request", href: "/request" },
  { text: "Disclosure log", href: "/disclosure-log" },
  { text: "Statistics", href: "/statistics" },
  { text: "Publication scheme", href: "/publication-scheme" },
] as const;

export function publicNavigation(path: string): PublicChrome["navigation"] {
  return publicNavigationEntries.map((entry) => ({
    ...entry,
    current: path === entry.href,
    active: path.startsWith(`${entry.href}/`),
  }));
}

export function publicChrome(request: FastifyRequest): PublicChrome {
  const [path = "/", query = ""] = request.url.split("?");
  const params = new URLSearchParams(query);
  const saved = params.get("cookies") === "saved";
  params.delete("cookies");
  const rest = params.toString();
  const choice = cookieChoice(request);
  const config = request.server.config;
  const onCookiesPage = path === "/cookies";
  return {
    authorityName: authorities.get(request)?.name ?? null,
    quickExitUrl: config.quickExitUrl,
    cookieBanner: onCookiesPage ? null : !choice ? "ask" : saved ? "saved" : null,
    cookieChoice: choice,
    analyticsScript: choice === "accepted" ? config.analyticsScript : null,
    analyticsOnConsent: config.analyticsScript,
    returnTo: localPath(rest ? `${path}?${rest}` : path),
    feedbackHref: `/feedback?from=${encodeURIComponent(feedbackPage(path))}`,
    navigation: publicNavigation(path),
  };
}
