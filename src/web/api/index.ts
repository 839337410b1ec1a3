import { requireRequestAccess } from "../auth.ts";
import { noStore } from "../security.ts";
import type { RoutePlugin } from "../types.ts";
import { authenticateBearer } from "./auth.ts";
import { openApiCollector } from "./openapi.ts";
import { apiRoutes, publicApiRoutes } from "./routes/index.ts";

const apiVersion = "1.0.0";

/** The JSON API, registered at /api: the OpenAPI document, version 1 behind Bearer tokens, and public data. */
export const apiPlugin: RoutePlugin = async (app) => {
  const openapi = openApiCollector("/api/v1");
  app.addHook("onRoute", openapi.onRoute);

  app.get("/openapi.json", async () =>
    openapi.document({
      baseUrl: app.config.baseUrl,
      title: `${app.config.serviceName} API`,
      version: apiVersion,
    }),
  );

  await app.register(
    async (v1) => {
      v1.addHook("onRequest", authenticateBearer);
      v1.addHook("onSend", noStore);
      v1.addHook("preHandler", requireRequestAccess);
      for (const routes of apiRoutes) await v1.register(routes);
    },
    { prefix: "/v1" },
  );
  // Public data (the disclosure log, released statistics): the same /v1 prefix, in a scope of its own without the token check.
  await app.register(
    async (open) => {
      for (const routes of publicApiRoutes) await open.register(routes);
    },
    { prefix: "/v1" },
  );
};
