import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyHelmetOptions } from "@fastify/helmet";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ResolvedWebConfig } from "./config.ts";
import { govukFrontendFolder } from "./views.ts";

/**
 * govuk-frontend's page template starts the body with one inline script (it marks the body `js-enabled` and
 * `govuk-frontend-supported` before first paint). It sits outside any block, so it cannot be overridden;
 * the policy allows exactly that script by its hash, read from the installed template so an upgrade that
 * changes it still matches. No other inline script can run.
 */
export function govukInlineScriptHash(): string {
  const template = readFileSync(join(govukFrontendFolder, "govuk", "template.njk"), "utf8");
  const script = /<script[^>]*>([\s\S]*?)<\/script>/.exec(template)?.[1];
  if (script === undefined) throw new Error("govuk-frontend's template.njk has no inline script to hash");
  return `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`;
}

export function securityHeaders(config: ResolvedWebConfig): FastifyHelmetOptions {
  return {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", govukInlineScriptHash()],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        // Signing out of single sign-on continues at the provider's sign-out page (a redirect from the form).
        formAction: ["'self'", ...(config.sso ? [new URL(config.sso.issuer).origin] : [])],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(config.behindTls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    // Over plain HTTP (a laptop, a test) HSTS would be ignored at best and misleading at worst.
    hsts: config.behindTls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  };
}

/**
 * Whether a form was sent from another site (a forged submission): the browser's `Sec-Fetch-Site` says so,
 * or (without it) its `Origin` is neither the configured base URL nor the address the request came to. A request with
 * neither header (a non-browser client, an old browser) is not a browser's cross-site form.
 */
export function isCrossSiteForm(request: FastifyRequest): boolean {
  const site = request.headers["sec-fetch-site"];
  // A browser that sends Sec-Fetch-Site is believed: under our no-referrer policy Chromium sends `Origin: null`
  // with a same-origin form, so Origin is looked at only when Sec-Fetch-Site is absent.
  if (typeof site === "string") return site !== "same-origin" && site !== "none";
  const origin = request.headers.origin;
  if (typeof origin !== "string") return false;
  const ours = new Set([
    new URL(request.server.config.baseUrl).origin,
    `${request.protocol}://${request.host}`,
  ]);
  return !ours.has(origin);
}

/**
 * An `onSend` hook for answers that carry personal data (staff pages, the API, a requester's tracking page):
 * no browser, shared computer or proxy may keep a copy (UK GDPR Art.32: security of processing).
 */
export async function noStore(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const current = reply.getHeader("cache-control");
  if (typeof current !== "string" || !current.includes("no-store")) reply.header("cache-control", "no-store");
}
