import { z } from "zod";
import { endSession, signIn } from "../../../users/index.ts";
import { sameSitePath } from "../../input.ts";
import { formText, optionalFormText } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { clearSessionCookie, sessionCookie, setSessionCookie } from "../session.ts";

/** Only a path inside the back office: `next` must not send anyone to another site. */
export function safeReturnPath(next: string | undefined): string {
  // Checked after normalising, so that `/staff/../elsewhere` is not inside and `Ā` becomes `%C4%80`.
  const path = sameSitePath(next, "/staff");
  const inside = path === "/staff" || path.startsWith("/staff/") || path.startsWith("/staff?");
  return inside ? path : "/staff";
}

const signInForm = z.object({
  username: formText("Enter your username", { max: 200 }),
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(1000),
  next: optionalFormText({ max: 2000 }),
});

/** Sign-in and sign-out: the only staff pages open to someone not signed in. */
export const signInRoutes: RoutePlugin = async (app) => {
  app.get(
    "/sign-in",
    {
      schema: {
        querystring: z.object({
          next: z.string().optional(),
          signedOut: z.string().optional(),
          timedOut: z.string().optional(),
        }),
      },
    },
    async (request, reply) => {
      if (request.user) return reply.redirect(safeReturnPath(request.query.next), 303);
      return reply.render("staff/sign-in.njk", {
        next: request.query.next ? safeReturnPath(request.query.next) : undefined,
        signedOut: request.query.signedOut === "1",
        timedOutAfterMinutes: request.query.timedOut === "1" ? app.config.sessionIdleMinutes : undefined,
      });
    },
  );

  app.post(
    "/sign-in",
    { schema: { body: signInForm }, config: { form: { template: "staff/sign-in.njk" } } },
    async (request, reply) => {
      const { username, password, next } = request.body;
      const signedIn = await signIn(app.db, { username, password, ip: request.ip }, app.now());
      setSessionCookie(request, reply, signedIn);
      return reply.redirect(safeReturnPath(next), 303);
    },
  );

  app.post("/sign-out", async (request, reply) => {
    await endSession(app.db, request.cookies[sessionCookie] ?? "");
    clearSessionCookie(reply);
    return reply.redirect("/staff/sign-in?signedOut=1", 303);
  });
};
