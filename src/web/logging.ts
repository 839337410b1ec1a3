import type { FastifyReply, FastifyRequest, FastifyServerOptions } from "fastify";
import type { DestinationStream, LoggerOptions } from "pino";

/** pino options as buildApp takes them; `stream` sends the lines elsewhere (tests collect them). */
export type LogOptions = LoggerOptions & { stream?: DestinationStream };

// Logs never hold what a person typed or a secret: no bodies (Fastify does not log them; these paths are
// a second fence), no cookies, no authorization headers, no tokens in URLs.
const redactedPaths = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "req.body",
  "body",
  "*.password",
  "*.token",
  "*._csrf",
];

// Path segments that look like secrets (tracking links, reset links): long runs of URL-safe characters.
const opaqueSegment = /^[A-Za-z0-9_-]{24,}$/;

/** The URL as logged: no query string (it may hold a token), and no secret-looking path segments. */
export function loggableUrl(url: string): string {
  const path = url.split("?")[0] ?? "";
  const redacted = path
    .split("/")
    .map((segment) => (opaqueSegment.test(segment) ? "[redacted]" : segment))
    .join("/");
  return url.includes("?") ? `${redacted}?[redacted]` : redacted;
}

function serializeRequest(request: FastifyRequest) {
  return { method: request.method, url: loggableUrl(request.url), remoteAddress: request.ip };
}

function serializeReply(reply: FastifyReply) {
  return { statusCode: reply.statusCode };
}

export function loggerOptions(options: LogOptions | false | undefined): FastifyServerOptions["logger"] {
  if (options === false) return false;
  const given = options ?? {};
  const extraPaths = Array.isArray(given.redact) ? given.redact : (given.redact?.paths ?? []);
  return {
    level: process.env.LOG_LEVEL ?? "info",
    ...given,
    redact: { paths: [...redactedPaths, ...extraPaths], censor: "[redacted]" },
    serializers: { ...given.serializers, req: serializeRequest, res: serializeReply },
  } as FastifyServerOptions["logger"];
}
