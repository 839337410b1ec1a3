import type { RoutePlugin } from "../../types.ts";
import { lawFor } from "../authority.ts";
import { authorityOf } from "../chrome.ts";

/** The start page (what can be asked, and how), and the accessibility statement. */
export const startRoutes: RoutePlugin = async (app) => {
  app.get("/", async (request, reply) => {
    const authority = authorityOf(request);
    return reply.render("public/start.njk", {
      authority,
      foiLaw: lawFor("foi", authority),
      eirLaw: lawFor("eir", authority),
    });
  });

  app.get("/accessibility", async (request, reply) =>
    reply.render("public/accessibility.njk", { authority: authorityOf(request) }),
  );
};
