import { sql } from "kysely";
import { searchEngine } from "../publication/index.ts";
import type { RoutePlugin } from "./types.ts";

const databaseTimeoutMs = 2000;

/**
 * `GET /healthz` for load balancers: 200 when the database answers `select 1`, 503 otherwise; it names the
 * index that ranks disclosure-log searches (RUM or GIN, migration 0035).
 */
export const healthRoutes: RoutePlugin = async (app) => {
  app.get("/healthz", { logLevel: "warn" }, async (request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const [, engine] = await Promise.race([
        Promise.all([sql`select 1`.execute(app.db), searchEngine(app.db)]),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error("the database did not answer in time")),
            databaseTimeoutMs,
          );
        }),
      ]);
      return { status: "ok", search: engine.index };
    } catch (error) {
      request.log.warn({ err: error }, "health check: the database did not answer");
      return reply.code(503).send({ status: "unavailable" });
    } finally {
      clearTimeout(timer);
    }
  });
};
