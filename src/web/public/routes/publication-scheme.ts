import { publicationScheme } from "../../../publication-scheme/index.ts";
import type { RoutePlugin } from "../../types.ts";
import { authorityOf } from "../chrome.ts";

// The publication scheme and its guide to information (FOIA s.19(1)-(3), s.20; FOISA s.23): what the authority
// publishes in each of the model scheme's classes, how to get it and any charge. No staff names.

export const publicationSchemeRoutes: RoutePlugin = async (app) => {
  app.get("/publication-scheme", async (request, reply) =>
    reply.render("public/publication-scheme/index.njk", {
      authority: authorityOf(request),
      classes: await publicationScheme(app.db),
    }),
  );
};
