import { z } from "zod";
import {
  atomFeed,
  type DisclosureLogPage,
  type FacetName,
  filterLabel,
  listingCsv,
  MAX_QUERY_LENGTH,
  MAX_RESULTS,
  publishedFile,
  publishedPage,
  searchDisclosureLog,
  searchUrl,
  sitemap,
} from "../../../publication/index.ts";
import { attachmentHeader } from "../../attachment.ts";
import { recordId } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { authorityOf } from "../chrome.ts";

// The public disclosure log: the list and search (the query kept in the URL), a reply's page and files, the
// Atom feed (of the whole log or of a search), the listing as CSV, and sitemap.xml. Views in
// views/public/disclosure-log/; the work is done by the publication module.

/** A query-string value: the first when repeated. */
const text = z.preprocess(
  (value) => (Array.isArray(value) ? value[0] : value),
  z.string().max(1000).optional(),
);
export const disclosureLogQuery = z.object({
  q: text,
  year: text,
  regime: text,
  outcome: text,
  exemption: text,
  topic: text,
  sort: text,
  page: text,
});

const facetTitles: Record<FacetName, { label: string; any: string }> = {
  year: { label: "Year of reply", any: "Any year" },
  regime: { label: "Law", any: "Any law" },
  outcome: { label: "Outcome", any: "Any outcome" },
  exemption: { label: "Exemption cited", any: "Any exemption" },
  topic: { label: "Topic", any: "Any topic" },
};

/** Numbers as the page writes them (25,762); made once, as making a number format costs more than using it. */
const counted = new Intl.NumberFormat("en-GB");

/** Rows the CSV export carries at most; narrow the search for the rest. */
export const CSV_MAX_ROWS = 10_000;

function pagination(log: DisclosureLogPage) {
  if (log.pages <= 1) return null;
  const { q, filters, sort } = log.search;
  const href = (page: number) => searchUrl("/disclosure-log", { q, filters, sort, page });
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let number = 1; number <= log.pages; number++) {
    if (number === 1 || number === log.pages || Math.abs(number - log.page) <= 1) {
      items.push({ number, href: href(number), current: number === log.page });
    } else if (!("ellipsis" in (items.at(-1) ?? {}))) items.push({ ellipsis: true });
  }
  return {
    items,
    previous: log.page > 1 ? { href: href(log.page - 1) } : undefined,
    next: log.page < log.pages ? { href: href(log.page + 1) } : undefined,
  };
}

function listingView(log: DisclosureLogPage) {
  const { q, filters, sort } = log.search;
  const facetNames = Object.keys(facetTitles) as FacetName[];
  return {
    log,
    q,
    sort,
    facets: facetNames.map((name) => {
      const selected = filters[name] === undefined ? "" : String(filters[name]);
      const values = log.facets[name];
      const items = [
        { value: "", text: facetTitles[name].any, selected: selected === "" },
        ...values.map((value) => ({
          value: value.value,
          text: `${value.label} (${counted.format(value.count)})`,
          selected: value.value === selected,
        })),
      ];
      // A filter chosen from an old link still shows, even with nothing left to count.
      if (selected && !values.some((value) => value.value === selected))
        items.push({ value: selected, text: `${filterLabel(name, selected)} (0)`, selected: true });
      return { name, label: facetTitles[name].label, items };
    }),
    activeFilters: facetNames
      .filter((name) => filters[name] !== undefined)
      .map((name) => ({
        label: `${facetTitles[name].label}: ${filterLabel(name, filters[name]!)}`,
        removeHref: searchUrl("/disclosure-log", { q, filters: { ...filters, [name]: undefined }, sort }),
      })),
    clearHref: searchUrl("/disclosure-log", { q }),
    sortLinks: q
      ? [
          {
            text: "Best match",
            current: sort === "relevance",
            href: searchUrl("/disclosure-log", { q, filters }),
          },
          {
            text: "Newest",
            current: sort === "newest",
            href: searchUrl("/disclosure-log", { q, filters, sort: "newest" }),
          },
        ]
      : [],
    feedHref: searchUrl("/disclosure-log/feed.atom", { q, filters }),
    csvHref: searchUrl("/disclosure-log.csv", { q, filters }),
    apiHref: searchUrl("/api/v1/disclosure-log", { q, filters }),
    pagination: pagination(log),
    totalText: `${log.estimated ? "About " : ""}${counted.format(log.total)}`,
    firstResult: log.total === 0 ? 0 : (log.page - 1) * log.pageSize + 1,
    lastResult: Math.min(log.page * log.pageSize, log.total),
  };
}

function describeSearch(log: DisclosureLogPage): string {
  const parts: string[] = [];
  if (log.search.q) parts.push(`replies matching “${log.search.q}”`);
  for (const [name, value] of Object.entries(log.search.filters))
    if (value !== undefined)
      parts.push(
        `${facetTitles[name as FacetName].label.toLowerCase()}: ${filterLabel(name as FacetName, value)}`,
      );
  return parts.join(", ");
}

export const disclosureLogRoutes: RoutePlugin = async (app) => {
  app.get("/disclosure-log", { schema: { querystring: disclosureLogQuery } }, async (request, reply) => {
    const log = await searchDisclosureLog(app.db, request.query, { cache: app.config.searchCache });
    return reply.render("public/disclosure-log/index.njk", {
      ...listingView(log),
      authority: authorityOf(request),
      maxQueryLength: MAX_QUERY_LENGTH,
      maxResults: counted.format(MAX_RESULTS),
    });
  });

  app.get(
    "/disclosure-log/feed.atom",
    { schema: { querystring: disclosureLogQuery } },
    async (request, reply) => {
      const log = await searchDisclosureLog(
        app.db,
        { ...request.query, page: "1" },
        { pageSize: 50, sort: "published", counts: false, cache: app.config.searchCache },
      );
      const { q, filters } = log.search;
      const feed = atomFeed({
        baseUrl: app.config.baseUrl,
        authorityName: authorityOf(request).name,
        selfPath: searchUrl("/disclosure-log/feed.atom", { q, filters }),
        alternatePath: searchUrl("/disclosure-log", { q, filters }),
        description: describeSearch(log),
        entries: log.results,
        emptyUpdated: new Date(0),
      });
      return reply.type("application/atom+xml; charset=utf-8").send(feed);
    },
  );

  app.get("/disclosure-log.csv", { schema: { querystring: disclosureLogQuery } }, async (request, reply) => {
    const log = await searchDisclosureLog(
      app.db,
      { ...request.query, page: "1" },
      { pageSize: CSV_MAX_ROWS, counts: false, snippets: false },
    );
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", attachmentHeader("disclosure-log.csv"))
      .send(listingCsv(app.config.baseUrl, log.results));
  });

  app.get(
    "/disclosure-log/:reference",
    { schema: { params: z.object({ reference: z.string().min(1).max(100) }) } },
    async (request, reply) => {
      const page = await publishedPage(app.db, request.params.reference);
      if (page.status === "withdrawn")
        return reply.code(410).render("public/disclosure-log/gone.njk", { page });
      return reply.render("public/disclosure-log/show.njk", { page });
    },
  );

  app.get(
    "/disclosure-log/:reference/files/:id/:name",
    {
      schema: {
        params: z.object({
          reference: z.string().min(1).max(100),
          id: recordId,
          name: z.string().max(300),
        }),
      },
    },
    async (request, reply) => {
      const { reference, id } = request.params;
      const file = await publishedFile(app.db, app.files, reference, id);
      const textual = file.mediaType.startsWith("text/");
      return reply
        .type(textual ? `${file.mediaType}; charset=utf-8` : file.mediaType)
        .header("content-disposition", attachmentHeader(file.fileName))
        .send(Buffer.from(file.bytes));
    },
  );

  app.get(
    "/sitemap.xml",
    { schema: { querystring: z.object({ page: z.coerce.number().int().min(1).max(10_000).optional() }) } },
    async (request, reply) =>
      reply
        .type("application/xml; charset=utf-8")
        .send(await sitemap(app.db, app.config.baseUrl, request.query.page)),
  );
};
