import { z } from "zod";
import { type FacetName, searchDisclosureLog } from "../../../publication/index.ts";
import type { RoutePlugin } from "../../types.ts";

// The disclosure log as JSON: public, like the pages (no token), so that anyone can reuse what is published.
// Registered under /api/v1 outside the token-protected scope (api/index.ts), and marked so in OpenAPI.

const text = z.preprocess(
  (value) => (Array.isArray(value) ? value[0] : value),
  z.string().max(1000).optional(),
);

export const disclosureLogApiQuery = z.object({
  q: text.describe(
    'Words to find, in web-search syntax: "a phrase", -leave-out, this or that. Empty lists all.',
  ),
  year: text.describe("The year of the reply, e.g. 2026"),
  regime: text.describe("foia, eir, foisa or eisr"),
  outcome: text.describe(
    "granted-in-full, partially-withheld, withheld-in-full, not-held, ncnd, refused-cost, …",
  ),
  exemption: text.describe(
    'An exemption cited, by section or exception: "foia-31", "foisa-35", "eir-12-5-b", "eisr-10-5-b"',
  ),
  topic: text.describe("A topic, exactly as listed in facets.topic"),
  sort: text.describe("relevance (the default for a search) or newest"),
  page: text.describe("From 1; 20 replies a page"),
});

const facetValueSchema = z.object({
  value: z.string(),
  label: z.string(),
  count: z.number().int(),
  selected: z.boolean(),
});

const resultSchema = z.object({
  reference: z.string(),
  url: z.string().describe("The reply's page"),
  title: z.string().describe("The first question asked"),
  receivedDate: z.string().describe("YYYY-MM-DD"),
  replyDate: z.string().describe("YYYY-MM-DD"),
  regime: z.string(),
  outcome: z.string(),
  outcomeLabel: z.string(),
  exemptions: z.array(z.object({ key: z.string(), label: z.string() })),
  topic: z.string().nullable(),
  publishedAt: z.string().describe("When it was published (ISO 8601)"),
  snippet: z.string().describe("Text around the words found (plain text)"),
  snippetHtml: z.string().describe("The same, escaped, with each match in <mark>"),
});

export const disclosureLogResponseSchema = z
  .object({
    query: z.object({
      q: z.string(),
      filters: z.record(z.string(), z.union([z.string(), z.number()])),
      sort: z.string(),
    }),
    total: z.number().int(),
    totalEstimated: z
      .boolean()
      .describe("So many replies match that the total and the facet counts are estimates (rounded)"),
    page: z.number().int(),
    pages: z.number().int(),
    pageSize: z.number().int(),
    results: z.array(resultSchema),
    facets: z.record(z.string(), z.array(facetValueSchema)),
  })
  .describe("One page of the disclosure log, with the counts for every filter");

export const disclosureLogApiRoutes: RoutePlugin = async (app) => {
  app.get(
    "/disclosure-log",
    {
      schema: {
        summary: "Search the disclosure log (public: no token needed)",
        tags: ["disclosure log"],
        querystring: disclosureLogApiQuery,
        response: { 200: disclosureLogResponseSchema },
        security: [],
      },
    },
    async (request) => {
      const log = await searchDisclosureLog(app.db, request.query, { cache: app.config.searchCache });
      const filters: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(log.search.filters))
        if (value !== undefined) filters[name as FacetName] = value;
      return {
        query: { q: log.search.q, filters, sort: log.search.sort },
        total: log.total,
        totalEstimated: log.estimated,
        page: log.page,
        pages: log.pages,
        pageSize: log.pageSize,
        results: log.results.map((result) => ({
          reference: result.reference,
          url: `${app.config.baseUrl.replace(/\/+$/, "")}${result.url}`,
          title: result.title,
          receivedDate: result.receivedDate,
          replyDate: result.replyDate,
          regime: result.regime,
          outcome: result.outcome,
          outcomeLabel: result.outcomeName,
          exemptions: result.exemptions.map((exemption) => ({ key: exemption.key, label: exemption.name })),
          topic: result.topic,
          publishedAt: result.publishedAt.toISOString(),
          snippet: result.snippetText,
          snippetHtml: result.snippetHtml,
        })),
        facets: log.facets,
      };
    },
  );
};
