import type { FastifyReply, FastifyRequest } from "fastify";
import { DomainError } from "../../errors.ts";
import { type NewSession, randomSecret, resumeSession, secretsEqual } from "../../users/index.ts";

// The staff session lives in a cookie holding a random token (the database keeps its SHA-256); each session
// has its own CSRF token. Before sign-in, a short-lived cookie holds a CSRF token for the sign-in form, so
// that no other site can sign someone in as the attacker.

export const sessionCookie = "foidesk_session";
export const signInFormCookie = "foidesk_signin";
const cookiePath = "/staff";
const tokenShape = /^[A-Za-z0-9_-]{43}$/;

function cookieOptions(request: FastifyRequest) {
  return {
    path: cookiePath,
    httpOnly: true,
    sameSite: "lax" as const,
    secure: request.server.config.behindTls,
  };
}

/** onRequest: who is signed in, and the CSRF token this request's forms carry. */
export async function loadStaffSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = request.cookies[sessionCookie];
  if (token) {
    const { db, now, config } = request.server;
    const found = await resumeSession(db, token, now(), config.sessionIdleMinutes);
    if (found.status === "live") {
      request.user = found.session.user;
      request.csrfToken = found.session.csrfToken;
      request.staffSession = found.session;
      return;
    }
    if (found.status === "pending") {
      // Part-way through signing in: only the sign-in steps' pages are open, with this session's token.
      request.pendingSignIn = found.pending;
      request.csrfToken = found.pending.csrfToken;
      return;
    }
    request.signedOutIdle = found.status === "idle";
    reply.clearCookie(sessionCookie, { path: cookiePath });
  }
  let formToken = request.cookies[signInFormCookie];
  if (!formToken || !tokenShape.test(formToken)) {
    formToken = randomSecret();
    reply.setCookie(signInFormCookie, formToken, { ...cookieOptions(request), maxAge: 60 * 60 });
  }
  request.csrfToken = formToken;
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** preValidation (after the body is parsed, before it is used): every state-changing request carries the token. */
export async function verifyCsrf(request: FastifyRequest): Promise<void> {
  if (!unsafeMethods.has(request.method)) return;
  const body = request.body as Record<string, unknown> | undefined;
  const sent = typeof body?._csrf === "string" ? body._csrf : request.headers["x-csrf-token"];
  if (typeof sent !== "string" || !request.csrfToken || !secretsEqual(sent, request.csrfToken)) {
    throw new DomainError(
      "forbidden",
      "This form could not be sent because the page was open too long or came from somewhere else. Go back, reload the page and try again.",
    );
  }
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: NewSession): void {
  // Max-Age (the seconds left by the app's clock), not Expires: a browser dates an Expires by its own clock,
  // and drops the cookie at once if the server's clock is behind it, signing the person out.
  const secondsLeft = Math.floor((session.expiresAt.getTime() - request.server.now().getTime()) / 1000);
  reply.setCookie(sessionCookie, session.token, {
    ...cookieOptions(request),
    maxAge: Math.max(0, secondsLeft),
  });
  reply.clearCookie(signInFormCookie, { path: cookiePath });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(sessionCookie, { path: cookiePath });
}
