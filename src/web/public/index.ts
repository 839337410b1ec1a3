import type { RoutePlugin } from "../types.ts";
import { publicAuthority } from "./authority.ts";
import { rememberAuthority } from "./chrome.ts";
import { publicRoutes } from "./routes/index.ts";

/**
 * The public website (issue 4), at the root: make a request, track it, cookies, feedback. Every page carries
 * the quick exit and the cookie banner (views/public/layout.njk) and is never stored by the browser's cache.
 */
export const publicPlugin: RoutePlugin = async (app) => {
  app.addHook("onRequest", async (request) => {
    try {
      rememberAuthority(request, await publicAuthority(app.db, app.config.serviceName));
    } catch (error) {
      // The page can still be shown (the form keeps what was typed); the action itself will say if it fails.
      request.log.error({ err: error }, "authority settings could not be read");
    }
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    // A shared or borrowed device must not show these pages again from its cache or history.
    if (String(reply.getHeader("content-type") ?? "").startsWith("text/html")) {
      reply.header("cache-control", "no-store");
    }
    return payload;
  });
  for (const routes of publicRoutes) await app.register(routes);
};

export { listFeedback, satisfactionLabels } from "./feedback.ts";
