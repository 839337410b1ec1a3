import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import type { Mailer } from "../mail/index.ts";
import type { FileStore } from "../storage/index.ts";
import type { LiveSession, PendingSignIn, SsoClient, StaffUser } from "../users/index.ts";
import type { ResolvedWebConfig } from "./config.ts";
import type { ZodTypeProvider } from "./schemas.ts";

/** A page whose form is shown again, with the error summary, when its input is refused. */
export interface FormPage {
  template: string;
  /** Anything else the template needs (choices for a select, the request being edited). */
  context?: (request: FastifyRequest) => Record<string, unknown> | Promise<Record<string, unknown>>;
}

declare module "fastify" {
  interface FastifyInstance {
    db: Kysely<Database>;
    now: () => Date;
    files: FileStore;
    config: ResolvedWebConfig;
    mailer: Mailer;
    /** The OpenID Connect client when single sign-on is configured. */
    sso: SsoClient | null;
  }
  interface FastifyRequest {
    /** The signed-in member of staff (session) or the API token's user; null when anonymous. */
    user: StaffUser | null;
    /** The token every staff form must send back as `_csrf`. */
    csrfToken: string;
    /** The cookie's session had just ended for inactivity (the sign-in page says so). */
    signedOutIdle: boolean;
    /** The signed-in staff session (how they signed in), when there is one. */
    staffSession: LiveSession | null;
    /** A sign-in part-way through (a code or a new password still to come). */
    pendingSignIn: PendingSignIn | null;
  }
  interface FastifyReply {
    /** Renders a Nunjucks view with the page context (user, CSRF token, navigation) and sends it as HTML. */
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
  interface FastifyContextConfig {
    form?: FormPage;
  }
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
    /** OpenAPI operationId; by default made from the method and path. */
    operationId?: string;
    /** OpenAPI security requirements; `[]` marks a public route (no token). */
    security?: Record<string, string[]>[];
  }
}

/** The app as route files see it: Zod schemas on routes type the request. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** One file of routes: `export const xRoutes: RoutePlugin = async (app) => { app.get(…) }`. */
export type RoutePlugin = FastifyPluginAsync<Record<never, never>, RawServerDefault, ZodTypeProvider>;
