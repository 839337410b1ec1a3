import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type nunjucks from "nunjucks";
import { z } from "zod";
import { type DomainErrorCode, isDomainError } from "../errors.ts";
import { type FieldError, fieldErrorsFrom } from "./schemas.ts";
import { closeAfterAnswer } from "./staged-close.ts";

// The one place where errors become HTTP answers: a status for each domain error code, the GOV.UK error
// summary for forms, an error page otherwise, and `{"errors":[{"field","message"}]}` for the API.

export const httpStatusForCode: Record<DomainErrorCode, number> = {
  invalid: 422,
  "not-found": 404,
  conflict: 409,
  forbidden: 403,
  unauthenticated: 401,
  "too-large": 413,
  "rate-limited": 429,
};

export const technicalProblemMessage = "Sorry, there was a technical problem. Please try again.";

type ProblemKind = DomainErrorCode | "bad-request" | "technical";

export interface Problem {
  status: number;
  kind: ProblemKind;
  message: string;
  fieldErrors: FieldError[];
}

const pageTitles: Record<ProblemKind, string> = {
  invalid: "There is a problem",
  "not-found": "Page not found",
  conflict: "This has changed since you opened it",
  forbidden: "You do not have permission to do this",
  unauthenticated: "Sign in to continue",
  "too-large": "What you sent is too large",
  "rate-limited": "Too many attempts",
  "bad-request": "There is a problem with what was sent",
  technical: "Sorry, there is a problem with the service",
};

/** What went wrong, in words for the person and a status for HTTP. */
export function problemFor(error: unknown): Problem {
  if (error instanceof z.ZodError) {
    const context = (error as { validationContext?: string }).validationContext;
    // A malformed id in the path names nothing that exists.
    if (context === "params") {
      return { status: 404, kind: "not-found", message: pageTitles["not-found"], fieldErrors: [] };
    }
    return { status: 422, kind: "invalid", message: pageTitles.invalid, fieldErrors: fieldErrorsFrom(error) };
  }
  if (isDomainError(error)) {
    // Every field the input got wrong, so the error summary links to each of them.
    const fieldErrors = error.problems.length
      ? error.problems.map(({ field, message }) => ({ field, message }))
      : error.field
        ? [{ field: error.field, message: error.message }]
        : [];
    return { status: httpStatusForCode[error.code], kind: error.code, message: error.message, fieldErrors };
  }
  const status = (error as FastifyError | undefined)?.statusCode ?? 500;
  if (status === 413) {
    return { status, kind: "too-large", message: "The file or text you sent is too large.", fieldErrors: [] };
  }
  if (status === 429) {
    return {
      status,
      kind: "rate-limited",
      message: "Too many requests. Wait a minute, then try again.",
      fieldErrors: [],
    };
  }
  if (status === 414 || status === 431) {
    return {
      status,
      kind: "too-large",
      message: "The web address or its headers are too long.",
      fieldErrors: [],
    };
  }
  if (status >= 400 && status < 500) {
    return { status, kind: "bad-request", message: "The request could not be understood.", fieldErrors: [] };
  }
  return { status: 500, kind: "technical", message: technicalProblemMessage, fieldErrors: [] };
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url === "/api" || request.url.startsWith("/api/") || request.url.startsWith("/healthz");
}

function layoutFor(request: FastifyRequest): string {
  // Public pages carry the quick exit and the cookie banner, error pages included.
  return request.url.startsWith("/staff") ? "staff/layout.njk" : "public/layout.njk";
}

/** What the person typed, to put back in the form: text only, never the CSRF token or a file. */
export function formValues(body: unknown): Record<string, string | string[]> {
  if (!body || typeof body !== "object") return {};
  const values: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === "_csrf") continue;
    if (typeof value === "string") values[name] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === "string")) values[name] = value;
  }
  return values;
}

/** `errors` by field for the inputs, `errorList` for the summary: each message links to its field. */
export function errorSummary(fieldErrors: FieldError[], fallback?: string) {
  const errors: Record<string, string> = {};
  for (const { field, message } of fieldErrors) errors[field] ??= message;
  const errorList = fieldErrors.length
    ? fieldErrors.map(({ field, message }) => ({ text: message, href: `#${field}` }))
    : fallback
      ? [{ text: fallback }]
      : [];
  return { errors, errorList };
}

function safeReturnPath(request: FastifyRequest): string | undefined {
  if (request.method !== "GET" || !request.url.startsWith("/staff")) return undefined;
  return request.url;
}

type FormOption = NonNullable<NonNullable<FastifyRequest["routeOptions"]["config"]>["form"]>;

/** The route's form, if any: a request refused before routing (a malformed path) has no route. */
function formOf(request: FastifyRequest): FormOption | undefined {
  try {
    return request.routeOptions.config?.form;
  } catch {
    return undefined;
  }
}

/**
 * What the form's page needs to be shown again. Loading it can itself be refused (the paragraph or request
 * the form is about does not exist, or is not one this form applies to): that refusal is then the answer.
 */
async function formContext(
  form: FormOption,
  request: FastifyRequest,
): Promise<{ ok: true; context: Record<string, unknown> } | { ok: false; problem: Problem }> {
  try {
    return { ok: true, context: form.context ? await form.context(request) : {} };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { ok: false, problem: problemFor(error) };
  }
}

async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: Problem,
  { withForm } = { withForm: true },
): Promise<FastifyReply> {
  if (problem.kind === "unauthenticated" && request.url.startsWith("/staff")) {
    const query = new URLSearchParams();
    const next = safeReturnPath(request);
    if (next) query.set("next", next);
    if (request.signedOutIdle) query.set("timedOut", "1");
    return reply.redirect(`/staff/sign-in${query.size ? `?${query}` : ""}`, 303);
  }
  const form = withForm ? formOf(request) : undefined;
  if (form && ["invalid", "conflict", "rate-limited"].includes(problem.kind)) {
    const extra = await formContext(form, request);
    if (!extra.ok) return sendPage(request, reply, extra.problem, { withForm: false });
    return reply.code(problem.status).render(form.template, {
      ...extra.context,
      values: formValues(request.body),
      ...errorSummary(problem.fieldErrors, problem.message),
    });
  }
  if (form && problem.kind === "technical") {
    // Nothing typed is lost: the form comes back as it was sent, with the message and the reference.
    const extra = await formContext(form, request);
    if (!extra.ok) return sendPage(request, reply, extra.problem, { withForm: false });
    return reply.code(problem.status).render(form.template, {
      ...extra.context,
      values: formValues(request.body),
      ...errorSummary([], `${technicalProblemMessage} If it keeps happening, quote reference ${request.id}.`),
    });
  }
  const template =
    problem.kind === "technical"
      ? "errors/technical-problem.njk"
      : problem.kind === "not-found"
        ? "errors/not-found.njk"
        : "errors/problem.njk";
  return reply.code(problem.status).render(template, {
    layout: layoutFor(request),
    title: pageTitles[problem.kind],
    message: problem.message,
    fieldErrors: problem.fieldErrors,
  });
}

function sendJson(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.status === 401) reply.header("www-authenticate", 'Bearer realm="foidesk"');
  const errors = problem.fieldErrors.length ? problem.fieldErrors : [{ message: problem.message }];
  return reply.code(problem.status).type("application/json").send({ errors, correlationId: request.id });
}

export async function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const problem = problemFor(error);
  if (problem.status >= 500) request.log.error({ err: error }, "request failed");
  else request.log.info({ status: problem.status, problem: problem.kind }, "request refused");
  if (reply.sent) return;
  closeAfterAnswer(request.raw, reply);
  try {
    return isApiRequest(request)
      ? sendJson(request, reply, problem)
      : await sendPage(request, reply, problem);
  } catch (renderError) {
    // The error page itself failed (a broken template, the database gone while loading a form's choices).
    request.log.error({ err: renderError }, "error page failed");
    return reply
      .code(500)
      .type("text/plain; charset=utf-8")
      .send(`${technicalProblemMessage}\nReference: ${request.id}\n`);
  }
}

export async function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  const problem: Problem = { status: 404, kind: "not-found", message: "Not found", fieldErrors: [] };
  return isApiRequest(request) ? sendJson(request, reply, problem) : sendPage(request, reply, problem);
}

/** The error page without a routed request (no decorated reply, no session): the public layout. */
function bareProblemPage(views: nunjucks.Environment, problem: Problem, correlationId?: string): string {
  return views.render("errors/problem.njk", {
    layout: "public/layout.njk",
    title: pageTitles[problem.kind],
    message: problem.message,
    fieldErrors: [],
    user: null,
    currentPath: "/",
    correlationId,
    chrome: { cookieBanner: null, feedbackHref: "/feedback", returnTo: "/" },
  });
}

/**
 * Fastify's refusals before routing (a path that is not valid percent-encoding: 400; a parameter longer
 * than the router allows: 414): its reply there has no `render`, so the page is rendered here.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  views: nunjucks.Environment,
): FastifyReply {
  const problem = problemFor(error);
  request.log.info({ status: problem.status, problem: problem.kind }, "request refused");
  reply.header("x-request-id", request.id);
  closeAfterAnswer(request.raw, reply);
  if (isApiRequest(request)) return sendJson(request, reply, problem);
  return reply
    .code(problem.status)
    .type("text/html; charset=utf-8")
    .send(bareProblemPage(views, problem, request.id));
}

/**
 * A request refused by Node's HTTP parser before Fastify sees it (headers over the size limit: 431; a
 * malformed request line: 400): the same error page, or the API's JSON error shape, written to the socket.
 */
export function answerClientError(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
  views: nunjucks.Environment,
): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const status =
    error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const problem = problemFor({ statusCode: status });
  const requestLine = Buffer.isBuffer(error.rawPacket)
    ? error.rawPacket.subarray(0, 200).toString("latin1")
    : "";
  const api = /^[A-Z]+ \/(api|healthz)(\/|\?|\s)/.test(requestLine);
  let type = "application/json";
  let body = JSON.stringify({ errors: [{ message: problem.message }] });
  if (!api) {
    try {
      body = bareProblemPage(views, problem);
      type = "text/html; charset=utf-8";
    } catch {
      type = "text/plain; charset=utf-8";
      body = `${problem.message}\n`;
    }
  }
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
}
