import type { RoutePlugin } from "../../types.ts";
import { disclosureLogApiRoutes } from "./disclosure-log.ts";
import { meRoutes } from "./me.ts";
import { publicationSchemeApiRoutes } from "./publication-scheme.ts";
import { replyApiRoutes } from "./replies.ts";
import { requesterApiRoutes } from "./requesters.ts";
import { requestApiRoutes } from "./requests.ts";
import { statisticsApiRoutes } from "./statistics.ts";

/**
 * The JSON API, one file of routes per area, registered under /api/v1 behind Bearer token auth. Give each
 * route Zod schemas (params, querystring, body, response) and a summary: the OpenAPI document is made from them.
 */
export const apiRoutes: RoutePlugin[] = [meRoutes, requestApiRoutes, requesterApiRoutes, replyApiRoutes];

/** Public routes under /api/v1, registered outside the token check (api/index.ts); `security: []` in OpenAPI. */
export const publicApiRoutes: RoutePlugin[] = [
  disclosureLogApiRoutes,
  statisticsApiRoutes,
  publicationSchemeApiRoutes,
];
