import { randomBytes } from "node:crypto";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import Fastify, { type FastifyServerOptions } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { createMailer, type MailTransport, memoryOutboxTransport } from "../mail/index.ts";
import type { FileStore } from "../storage/index.ts";
import { ssoClient } from "../users/index.ts";
import { apiPlugin } from "./api/index.ts";
import { assetRoutes } from "./assets.ts";
import { type ResolvedWebConfig, resolveWebConfig, type WebConfig } from "./config.ts";
import { answerClientError, handleFrameworkError, installErrorHandling } from "./errors.ts";
import { healthRoutes } from "./health.ts";
import { withoutNul } from "./input.ts";
import { type LogOptions, loggerOptions } from "./logging.ts";
import { publicPlugin } from "./public/index.ts";
import { type ZodTypeProvider, zodSerializerCompiler, zodValidatorCompiler } from "./schemas.ts";
import { securityHeaders } from "./security.ts";
import { staffPlugin } from "./staff/index.ts";
import type { App } from "./types.ts";
import { createViews, registerViews } from "./views.ts";
import "./types.ts";

export interface AppDeps {
  db: Kysely<Database>;
  files: FileStore;
  config: WebConfig;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** pino options (with `stream` to capture lines), or false for silence. */
  logger?: LogOptions | false;
  /** Outbound mail: the transport (the outbox in memory when not given) and the From address. */
  mail?: { transport: MailTransport; from?: string; claimMs?: number };
}

/** A hop count means "trust that many proxies in front of us" (Fastify accepts it; its types do not). */
function trustProxyOption(trust: ResolvedWebConfig["trustProxy"]): FastifyServerOptions["trustProxy"] {
  if (typeof trust !== "number") return trust;
  return (_address: string, hop: number) => hop < trust;
}

/**
 * The whole web app, not yet listening: `serve` calls `listen`, tests call `inject`. Shared services are
 * decorated once here (`app.db`, `app.now`, `app.files`, `app.config`, `app.mailer`); each area is an
 * encapsulated plugin.
 */
export function buildApp(deps: AppDeps): App {
  const config = resolveWebConfig(deps.config);
  const views = createViews(config);
  const app = Fastify({
    logger: loggerOptions(deps.logger),
    trustProxy: trustProxyOption(config.trustProxy),
    // The correlation id: shown on the error page, logged with every line about the request.
    genReqId: () => randomBytes(8).toString("hex"),
    bodyLimit: 1024 * 1024,
    // A path that is not valid percent-encoding, or a parameter too long to be an id (414): the app's own
    // error page or JSON error, as for any other refusal.
    frameworkErrors: (error, request, reply) => handleFrameworkError(error, request, reply, views),
    // Headers too large (431), a malformed request line: answered before there is a request to route.
    clientErrorHandler: (error, socket) => answerClientError(error, socket, views),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(zodSerializerCompiler);

  app.decorate("db", deps.db);
  app.decorate("now", deps.now ?? (() => new Date()));
  app.decorate("files", deps.files);
  app.decorate("config", config);
  const mailTransport = deps.mail?.transport ?? memoryOutboxTransport();
  const mailFrom = deps.mail?.from;
  app.decorate(
    "mailer",
    createMailer({
      db: deps.db,
      transport: mailTransport,
      now: app.now,
      log: app.log,
      ...(mailFrom ? { from: mailFrom } : {}),
      ...(deps.mail?.claimMs ? { claimMs: deps.mail.claimMs } : {}),
    }),
  );
  app.addHook("onClose", async () => app.mailer.close());
  app.decorateRequest("user", null);
  app.decorateRequest("csrfToken", "");
  app.decorateRequest("signedOutIdle", false);
  app.decorateRequest("staffSession", null);
  app.decorateRequest("pendingSignIn", null);
  app.decorate("sso", config.sso ? ssoClient(config.sso) : null);

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  app.register(helmet, securityHeaders(config));
  app.register(cookie);
  app.register(formbody);
  registerViews(app, config, views);
  // U+0000 is taken out of every form, query, JSON body and path parameter before anything reads them.
  app.addHook("preValidation", async (request) => {
    request.body = withoutNul(request.body);
    request.query = withoutNul(request.query);
    request.params = withoutNul(request.params);
  });
  installErrorHandling(app);

  app.register(assetRoutes);
  app.register(healthRoutes);
  app.register(staffPlugin, { prefix: "/staff" });
  app.register(apiPlugin, { prefix: "/api" });
  app.register(publicPlugin);
  return app;
}
