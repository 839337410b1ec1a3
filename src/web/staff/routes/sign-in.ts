import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { DomainError } from "../../../errors.ts";
import { seal, unseal } from "../../../sealed.ts";
import {
  beginEnrolment,
  chooseNewPassword,
  endSession,
  enterSecondFactor,
  finishEnrolment,
  groupedSecret,
  type SessionStage,
  type SignInOptions,
  type SsoPending,
  signIn,
  signInWithSso,
  userEnrolling,
} from "../../../users/index.ts";
import { sameSitePath } from "../../input.ts";
import { formText, optionalFormText } from "../../schemas.ts";
import type { App, RoutePlugin } from "../../types.ts";
import { qrCodeSvg } from "../qr.ts";
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

const codeForm = z.object({
  code: formText("Enter the code from your authenticator app", { max: 100 }),
  next: optionalFormText({ max: 2000 }),
});

const newPasswordForm = z.object({
  password: z.string().max(1000).default(""),
  confirm: z.string().max(1000).default(""),
  next: optionalFormText({ max: 2000 }),
});

const nextQuery = z.object({ next: z.string().optional() });

const stagePaths: Record<Exclude<SessionStage, "signed-in">, string> = {
  "second-factor": "/staff/sign-in/code",
  "new-password": "/staff/sign-in/new-password",
  enrol: "/staff/sign-in/authenticator",
};

/** Where a sign-in goes after a step: the next step's page, or the page the person wanted. */
function afterStep(stage: SessionStage, next: string | undefined): string {
  if (stage === "signed-in") return safeReturnPath(next);
  return next
    ? `${stagePaths[stage]}?${new URLSearchParams({ next: safeReturnPath(next) })}`
    : stagePaths[stage];
}

function signInOptions(app: App, request: FastifyRequest): SignInOptions {
  return {
    secondFactorFor: app.config.secondFactorFor,
    onAlarm: (failures) =>
      request.log.warn(
        { signInFailures: failures },
        "sign-in alarm: failed sign-ins across all accounts passed the threshold; an attack may be under way",
      ),
  };
}

function cookieToken(request: FastifyRequest): string {
  return request.cookies[sessionCookie] ?? "";
}

/** The step's page only while the sign-in is at that step; otherwise back to the start. */
function atStage(request: FastifyRequest, reply: FastifyReply, stage: SessionStage): boolean {
  if (request.pendingSignIn?.stage === stage) return true;
  void reply.redirect("/staff/sign-in", 303);
  return false;
}

const ssoCookie = "foidesk_sso";
const SSO_COOKIE_SECONDS = 10 * 60;

/** The enrolment page's content: the secret as a QR code and as text to type. */
export async function enrolmentView(app: App, user: { id: number; username: string }) {
  const enrolment = await beginEnrolment(app.db, user, app.config.serviceName);
  return {
    secret: groupedSecret(enrolment.secret),
    qrCode: await qrCodeSvg(enrolment.uri),
  };
}

/** Sign-in (in steps), single sign-on and sign-out: the only staff pages open to someone not signed in. */
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
      if (request.pendingSignIn)
        return reply.redirect(afterStep(request.pendingSignIn.stage, request.query.next), 303);
      return reply.render("staff/sign-in.njk", {
        next: request.query.next ? safeReturnPath(request.query.next) : undefined,
        signedOut: request.query.signedOut === "1",
        timedOutAfterMinutes: request.query.timedOut === "1" ? app.config.sessionIdleMinutes : undefined,
        sso: app.config.sso ? { label: app.config.sso.label } : null,
      });
    },
  );

  app.post(
    "/sign-in",
    {
      schema: { body: signInForm },
      config: {
        form: {
          template: "staff/sign-in.njk",
          context: () => ({ sso: app.config.sso ? { label: app.config.sso.label } : null }),
        },
      },
    },
    async (request, reply) => {
      const { username, password, next } = request.body;
      const step = await signIn(
        app.db,
        { username, password, ip: request.ip },
        app.now(),
        signInOptions(app, request),
      );
      setSessionCookie(request, reply, step);
      return reply.redirect(afterStep(step.stage, next), 303);
    },
  );

  app.get("/sign-in/code", { schema: { querystring: nextQuery } }, async (request, reply) => {
    if (!atStage(request, reply, "second-factor")) return reply;
    return reply.render("staff/sign-in-code.njk", {
      next: request.query.next ? safeReturnPath(request.query.next) : undefined,
    });
  });

  app.post(
    "/sign-in/code",
    { schema: { body: codeForm }, config: { form: { template: "staff/sign-in-code.njk" } } },
    async (request, reply) => {
      const step = await enterSecondFactor(
        app.db,
        { token: cookieToken(request), code: request.body.code, ip: request.ip },
        app.now(),
        signInOptions(app, request),
      );
      setSessionCookie(request, reply, step);
      return reply.redirect(afterStep(step.stage, request.body.next), 303);
    },
  );

  app.get("/sign-in/new-password", { schema: { querystring: nextQuery } }, async (request, reply) => {
    if (!atStage(request, reply, "new-password")) return reply;
    return reply.render("staff/sign-in-new-password.njk", {
      next: request.query.next ? safeReturnPath(request.query.next) : undefined,
    });
  });

  app.post(
    "/sign-in/new-password",
    { schema: { body: newPasswordForm }, config: { form: { template: "staff/sign-in-new-password.njk" } } },
    async (request, reply) => {
      const { password, confirm, next } = request.body;
      const step = await chooseNewPassword(
        app.db,
        { token: cookieToken(request), password, confirm },
        app.now(),
        signInOptions(app, request),
      );
      setSessionCookie(request, reply, step);
      return reply.redirect(afterStep(step.stage, next), 303);
    },
  );

  const enrollingView = async (request: FastifyRequest) =>
    enrolmentView(app, await userEnrolling(app.db, cookieToken(request), app.now()));

  app.get("/sign-in/authenticator", { schema: { querystring: nextQuery } }, async (request, reply) => {
    if (!atStage(request, reply, "enrol")) return reply;
    return reply.header("cache-control", "no-store").render("staff/authenticator.njk", {
      ...(await enrollingView(request)),
      during: "sign-in",
      action: "/staff/sign-in/authenticator",
      next: request.query.next ? safeReturnPath(request.query.next) : undefined,
    });
  });

  app.post(
    "/sign-in/authenticator",
    {
      schema: { body: codeForm },
      config: {
        form: {
          template: "staff/authenticator.njk",
          context: async (request) => ({
            ...(await enrollingView(request)),
            during: "sign-in",
            action: "/staff/sign-in/authenticator",
          }),
        },
      },
    },
    async (request, reply) => {
      const step = await finishEnrolment(
        app.db,
        { token: cookieToken(request), code: request.body.code },
        app.now(),
        signInOptions(app, request),
      );
      setSessionCookie(request, reply, step);
      // The codes are shown once, on this page; the session is already signed in.
      request.user = step.user;
      request.csrfToken = step.csrfToken;
      return reply.header("cache-control", "no-store").render("staff/recovery-codes.njk", {
        recoveryCodes: step.recoveryCodes,
        continueTo: afterStep(step.stage, request.body.next),
      });
    },
  );

  // Single sign-on: to the provider with a fresh state, nonce and PKCE verifier, kept in a short-lived cookie,
  // sealed (src/sealed.ts): the browser carries it but can neither read nor change it.
  app.get("/sign-in/sso", { schema: { querystring: nextQuery } }, async (request, reply) => {
    if (!app.sso) throw new DomainError("not-found", "Single sign-on is not set up");
    const { url, pending } = await app.sso.start(
      `${app.config.baseUrl}/staff/sign-in/sso/callback`,
      safeReturnPath(request.query.next),
    );
    const until = app.now().getTime() + SSO_COOKIE_SECONDS * 1000;
    reply.setCookie(ssoCookie, seal(JSON.stringify({ ...pending, until }), "sso-pending"), {
      path: "/staff/sign-in/sso",
      httpOnly: true,
      sameSite: "lax",
      secure: app.config.behindTls,
      maxAge: SSO_COOKIE_SECONDS,
    });
    return reply.redirect(url, 303);
  });

  app.get("/sign-in/sso/callback", async (request, reply) => {
    if (!app.sso) throw new DomainError("not-found", "Single sign-on is not set up");
    const pending = readPending(request.cookies[ssoCookie], app.now());
    reply.clearCookie(ssoCookie, { path: "/staff/sign-in/sso" });
    if (!pending)
      throw new DomainError(
        "unauthenticated",
        "Single sign-on took too long or was started elsewhere. Try again.",
      );
    const callbackUrl = new URL(request.url, app.config.baseUrl);
    const signedIn = await app.sso.finish(callbackUrl, pending);
    const session = await signInWithSso(app.db, app.sso.settings, signedIn, app.now(), cookieToken(request));
    setSessionCookie(request, reply, session);
    return reply.redirect(safeReturnPath(pending.next), 303);
  });

  app.post("/sign-out", async (request, reply) => {
    const session = request.staffSession;
    await endSession(app.db, cookieToken(request));
    clearSessionCookie(reply);
    const signedOutPage = "/staff/sign-in?signedOut=1";
    if (session?.method === "sso" && app.sso) {
      // Signing out here also signs out at the provider, which sends the person back to our page.
      const there = await app.sso.signOutUrl(session.idToken, `${app.config.baseUrl}${signedOutPage}`);
      if (there) return reply.redirect(there, 303);
    }
    return reply.redirect(signedOutPage, 303);
  });
};

const pendingShape = z.object({
  state: z.string().min(1).max(200),
  nonce: z.string().min(1).max(200),
  verifier: z.string().min(43).max(128),
  next: z.string().max(2000),
  until: z.number(),
});

/** What the cookie holds, if it is the one this app sealed and it has not expired; null otherwise. */
function readPending(cookie: string | undefined, now: Date): SsoPending | null {
  if (!cookie || cookie.length > 4000) return null;
  const opened = unseal(cookie, "sso-pending");
  if (opened === null) return null;
  try {
    const parsed = pendingShape.safeParse(JSON.parse(opened));
    if (!parsed.success || parsed.data.until < now.getTime()) return null;
    const { until: _until, ...pending } = parsed.data;
    return pending;
  } catch {
    return null;
  }
}
