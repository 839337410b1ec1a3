import { z } from "zod";
import { DomainError } from "../../../errors.ts";
import { isCrossSiteForm } from "../../security.ts";
import type { RoutePlugin } from "../../types.ts";
import { cookiePolicyCookie, cookiePolicyMaxAgeSeconds, localPath } from "../chrome.ts";
import { draftCookie } from "../drafts.ts";

// Cookies: only essential ones until the person chooses. The banner's buttons and the cookies page post here;
// without JavaScript the person comes back to the page they were on, with the confirmation showing.

const cookieForm = z.object({
  analytics: z.enum(["yes", "no"], { error: "Select whether you want to accept analytics cookies" }),
  returnTo: z.string().max(2000).optional(),
});

/** Every cookie this site sets; anything else found after a "no" is an analytics cookie and is removed. */
const essentialCookies = new Set([cookiePolicyCookie, draftCookie, "foidesk_session", "foidesk_signin"]);

export const cookieRoutes: RoutePlugin = async (app) => {
  app.get(
    "/cookies",
    { schema: { querystring: z.object({ cookies: z.string().optional() }) } },
    async (request, reply) =>
      reply.render("public/cookies.njk", {
        savedNotice: request.query.cookies === "saved" && request.cookies[cookiePolicyCookie],
      }),
  );

  app.post(
    "/cookies",
    { schema: { body: cookieForm }, config: { form: { template: "public/cookies.njk" } } },
    async (request, reply) => {
      // Consent is the person's own choice: another site may not make it for them (a forged form).
      if (isCrossSiteForm(request))
        throw new DomainError("forbidden", "Your cookie choice must be made on this site's cookies page.");
      const accepted = request.body.analytics === "yes";
      reply.setCookie(cookiePolicyCookie, accepted ? "accepted" : "rejected", {
        path: "/",
        maxAge: cookiePolicyMaxAgeSeconds,
        httpOnly: true,
        sameSite: "lax",
        secure: app.config.behindTls,
      });
      if (!accepted) {
        for (const name of Object.keys(request.cookies)) {
          if (!essentialCookies.has(name)) reply.clearCookie(name, { path: "/" });
        }
      }
      // The banner's script asks for JSON and updates the page in place (nothing typed on it is lost).
      if (String(request.headers.accept ?? "").includes("application/json")) {
        return reply.send({ saved: true, analytics: accepted });
      }
      const back = localPath(request.body.returnTo, "/cookies");
      return reply.redirect(`${back}${back.includes("?") ? "&" : "?"}cookies=saved`, 303);
    },
  );
};
