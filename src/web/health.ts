import { sql } from "kysely";
import type { RoutePlugin } from "./types.ts";

const databaseTimeoutMs = 2000;

/** `GET /healthz` for load balancers: 200 when the database answers `select 1`, 503 otherwise. */
export const healthRoutes: RoutePlugin = async (app) => {
  app.get("/healthz", { logLevel: "warn" }, async (request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sql`select 1`.execute(app.db),
        new Promise((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error("the database did not answer in time")),
            databaseTimeoutMs,
          );
        }),
      ]);
      return { status: "ok" };
    } catch (error) {
      request.log.warn({ err: error }, "health check: the database did not answer");
      return reply.code(503).send({ status: "unavailable" });
    } finally {
      clearTimeout(timer);
    }
  });
};
