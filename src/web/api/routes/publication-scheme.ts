import { z } from "zod";
import { publicationScheme } from "../../../publication-scheme/index.ts";
import type { RoutePlugin } from "../../types.ts";

// The publication scheme's guide to information as JSON (FOIA s.19, s.20; FOISA s.23): public, like the page
// (no token), registered under /api/v1 outside the token-protected scope and marked so in OpenAPI.

const entrySchema = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string(),
  availability: z
    .enum(["web", "on-request", "disclosure-log", "statistics"])
    .describe("web: a web address; on-request: by email or post; disclosure-log or statistics: on this site"),
  availabilityLabel: z.string(),
  url: z.string().nullable().describe("Where to find it (absolute); null when it is available on request"),
  charge: z.string().describe("Any charge; empty when it is free"),
  reviewedOn: z.string().describe("When the entry was last reviewed (YYYY-MM-DD)"),
});

export const publicationSchemeResponseSchema = z
  .object({
    classes: z.array(
      z.object({
        position: z.number().int().describe("1 to 7, the model publication scheme's order"),
        title: z.string(),
        description: z.string(),
        entries: z.array(entrySchema),
      }),
    ),
  })
  .describe("The guide to information, by the model publication scheme's classes");

export const publicationSchemeApiRoutes: RoutePlugin = async (app) => {
  app.get(
    "/publication-scheme",
    {
      schema: {
        summary: "The publication scheme's guide to information (public: no token needed)",
        tags: ["publication scheme"],
        response: { 200: publicationSchemeResponseSchema },
        security: [],
      },
    },
    async () => {
      const site = app.config.baseUrl.replace(/\/+$/, "");
      const classes = await publicationScheme(app.db);
      return {
        classes: classes.map((schemeClass) => ({
          position: schemeClass.position,
          title: schemeClass.title,
          description: schemeClass.description,
          entries: schemeClass.entries.map((entry) => ({
            id: entry.id,
            title: entry.title,
            description: entry.description,
            availability: entry.availability,
            availabilityLabel: entry.availabilityLabel,
            url: entry.link?.startsWith("/") ? `${site}${entry.link}` : entry.link,
            charge: entry.charge,
            reviewedOn: entry.reviewedOn,
          })),
        })),
      };
    },
  );
};
