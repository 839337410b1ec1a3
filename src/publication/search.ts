import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { isInformationRegime } from "../law/index.ts";
import { escapeHtml, replyOutcomes } from "../responses/index.ts";
import {
  exemptionFacetName,
  isExemptionFacet,
  outcomeName,
  regimeNames,
  regimeShortNames,
} from "./facets.ts";
import * as repo from "./repo.ts";
import { keep, kept } from "./search-cache.ts";
import { publicPath } from "./service.ts";
import { queryTerms, SNIPPET_START, SNIPPET_STOP, snippet } from "./snippet.ts";
import { matchesAtMost } from "./word-statistics.ts";

// Searching the disclosure log: PostgreSQL full-text search with English stemming and the websearch syntax
// people know ("quoted phrase", -word, or), ranked by ts_rank over what each reply is about against any of the
// words (where they match many, the best read first from the words' kept ranks, not every match scored:
// repo.ts), with highlighted snippets, filters with counts (estimated for a search matching very many), and
// pages (the first MAX_RESULTS). An empty search lists everything, newest first. Answers are kept per version of the log
// (search-cache.ts).

export const PAGE_SIZE = 20;
/**
 * How deep a search can page: each page further down reads every result above it, and nobody reads a
 * thousand results; the page says so and suggests narrowing the search instead.
 */
export const MAX_RESULTS = 1000;
export const MAX_PAGE = MAX_RESULTS / PAGE_SIZE;
/**
 * Counting a search's results reads every match, so a search counts at most this many: past it (as the
 * planner expects from the words' statistics, or as the count finds when the planner guessed low) the total
 * and the filters' counts are estimated instead, and said to be ("about 25,000"). At 5,000 the counting
 * was most of a cold search's cost (bench/search, 100,000 replies: ~36 of ~80 ms for a word in 2,500).
 */
export const COUNT_EXACTLY_UP_TO = 1000;
/**
 * A search of several words the statistics say can match no more than this many reads them all in one
 * statement, page and number together (repo.searchLog's readUpTo): scoring 10,000 matches costs about what
 * reading their best first does (bench/search: two words in 2,400 of 100,000 replies, 7 ms in one statement,
 * 11.5 ms counting 1,001 and scoring them all again). The counts are still made only up to
 * COUNT_EXACTLY_UP_TO.
 */
export const READ_ALL_UP_TO = 10_000;
export const MAX_QUERY_LENGTH = 200;

// The marks around a snippet's matches (snippet.ts): control characters, which no reply text contains.
const highlighted = new RegExp(`${SNIPPET_START}([^${SNIPPET_START}${SNIPPET_STOP}]*)${SNIPPET_STOP}`, "g");
const strayMarks = new RegExp(`[${SNIPPET_START}${SNIPPET_STOP}]`, "g");

/** The search as the URL carries it (every field text, as a query string gives it). */
export interface DisclosureLogParams {
  q?: string | undefined;
  year?: string | undefined;
  regime?: string | undefined;
  outcome?: string | undefined;
  exemption?: string | undefined;
  topic?: string | undefined;
  sort?: string | undefined;
  page?: string | undefined;
}

export interface ParsedSearch {
  q: string;
  filters: repo.SearchFilters;
  sort: repo.SearchSort;
  page: number;
}

/**
 * The search from the URL. A value that names nothing (a year of "abc", an unknown exemption) is dropped,
 * as a search page should, rather than refused.
 */
export function parseSearch(params: DisclosureLogParams): ParsedSearch {
  const q = (params.q ?? "")
    .replace(/\p{Cc}/gu, " ")
    .trim()
    .slice(0, MAX_QUERY_LENGTH);
  const filters: repo.SearchFilters = {};
  const year = params.year?.trim();
  if (year && /^\d{4}$/.test(year)) filters.year = Number(year);
  const regime = params.regime?.trim();
  if (isInformationRegime(regime)) filters.regime = regime;
  const outcome = params.outcome?.trim();
  if (outcome && (replyOutcomes as readonly string[]).includes(outcome)) filters.outcome = outcome;
  const exemption = params.exemption?.trim();
  if (exemption && isExemptionFacet(exemption)) filters.exemption = exemption;
  const topic = params.topic?.trim();
  if (topic && topic.length <= 200) filters.topic = topic;
  const sort: repo.SearchSort = params.sort === "newest" ? "newest" : "relevance";
  const page = /^\d{1,6}$/.test(params.page?.trim() ?? "") ? Number(params.page) : 1;
  return { q, filters, sort, page: Math.min(Math.max(page, 1), MAX_PAGE) };
}

/** The URL of a search (the query is always in the URL, so a search can be shared and bookmarked). */
export function searchUrl(
  path: string,
  search: { q?: string; filters?: repo.SearchFilters; sort?: repo.SearchSort; page?: number },
): string {
  const params = new URLSearchParams();
  if (search.q) params.set("q", search.q);
  for (const name of repo.facetNames) {
    const value = search.filters?.[name];
    if (value !== undefined) params.set(name, String(value));
  }
  if (search.sort === "newest" && search.q) params.set("sort", "newest");
  if (search.page && search.page > 1) params.set("page", String(search.page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

const entities: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">" };

/**
 * A snippet is cut at words (snippet.ts) ("[redacted]" can lose a bracket at either end); the reply's lines (a
 * heading, a question) are run together with a middle dot, as the snippet has no room for line breaks.
 */
function wholeRedactions(text: string): string {
  return text
    .replace(/(^|\s)redacted\]/g, "$1[redacted]")
    .replace(/\[redacted($|\s)/g, "[redacted]$1")
    .replace(/[ \t]*\n\s*/g, " · ");
}

/**
 * A snippet (snippet.ts: escaped text, matches between \u0001 and \u0002) as safe HTML: decoded and
 * escaped again, so nothing from a reply can become markup, and each match in a <mark>.
 */
export function snippetHtml(headline: string): string {
  const text = wholeRedactions(headline.replace(/&(?:amp|lt|gt);/g, (entity) => entities[entity] ?? entity));
  return escapeHtml(text)
    .replace(highlighted, "<mark>$1</mark>")
    .replace(strayMarks, "")
    .replace(/ \.\.\. /g, " … ");
}

/** The snippet as plain text (the API, the feed, the CSV). */
export function snippetText(headline: string): string {
  return wholeRedactions(headline.replace(/&(?:amp|lt|gt);/g, (entity) => entities[entity] ?? entity))
    .replace(strayMarks, "")
    .replace(/ \.\.\. /g, " … ");
}

export interface FacetValue {
  value: string;
  label: string;
  count: number;
  selected: boolean;
}

export interface DisclosureLogResult {
  reference: string;
  url: string;
  title: string;
  receivedDate: string;
  replyDate: string;
  regime: string;
  regimeName: string;
  outcome: string;
  outcomeName: string;
  exemptions: { key: string; name: string }[];
  topic: string | null;
  publishedAt: Date;
  snippetHtml: string;
  snippetText: string;
}

export interface DisclosureLogPage {
  search: ParsedSearch;
  total: number;
  /** The total and the counts are estimates (a search matching very many replies), rounded. */
  estimated: boolean;
  /** Pages stop at MAX_RESULTS results: there are more than the pages reach. */
  moreThanPages: boolean;
  page: number;
  pages: number;
  pageSize: number;
  results: DisclosureLogResult[];
  facets: Record<repo.FacetName, FacetValue[]>;
}

function facetLabel(name: repo.FacetName, value: string): string {
  switch (name) {
    case "regime":
      return isInformationRegime(value) ? `${regimeNames[value]} (${regimeShortNames[value]})` : value;
    case "outcome":
      return outcomeName(value);
    case "exemption":
      return exemptionFacetName(value);
    default:
      return value;
  }
}

function facetOrder(name: repo.FacetName, values: FacetValue[]): FacetValue[] {
  const byCount = (a: FacetValue, b: FacetValue) => b.count - a.count || a.label.localeCompare(b.label);
  switch (name) {
    case "year":
      return values.sort((a, b) => Number(b.value) - Number(a.value));
    case "regime":
      return values.sort((a, b) => a.value.localeCompare(b.value));
    case "outcome":
      return values.sort(
        (a, b) =>
          replyOutcomes.indexOf(a.value as (typeof replyOutcomes)[number]) -
          replyOutcomes.indexOf(b.value as (typeof replyOutcomes)[number]),
      );
    default:
      return values.sort(byCount).slice(0, 50);
  }
}

/** The start of a reply (a listing without a search), cut at a word. */
function opening(snippet: string): string {
  if (snippet.length < 300) return snippet;
  return `${snippet.replace(/\s+\S*$/, "").replace(/&(?:amp|lt|gt)?$/, "")} …`;
}

function resultOf(row: repo.SearchRow, truncated: boolean): DisclosureLogResult {
  const snippet = truncated ? opening(row.snippet) : row.snippet;
  return {
    reference: row.reference,
    url: publicPath(row.reference),
    title: row.title,
    receivedDate: row.received_date,
    replyDate: row.reply_date,
    regime: row.regime,
    regimeName: isInformationRegime(row.regime) ? regimeShortNames[row.regime] : row.regime,
    outcome: row.outcome,
    outcomeName: outcomeName(row.outcome),
    exemptions: row.exemptions.map((key) => ({ key, name: exemptionFacetName(key) })),
    topic: row.topic,
    publishedAt: row.published_at,
    snippetHtml: snippetHtml(snippet),
    snippetText: snippetText(snippet),
  };
}

// What a search's words make as a query (how many nodes, 0 for only stop words; the query as text; its
// lexemes), remembered for the last thousand searches.
interface QueryShape {
  nodes: number;
  tsquery: string;
  terms: string[];
}
const shapes = new Map<string, QueryShape>();

async function queryShape(db: Kysely<Database>, text: string): Promise<QueryShape> {
  const known = shapes.get(text);
  if (known !== undefined) return known;
  const { nodes, tsquery } = await repo.queryShape(db, text);
  const shape = { nodes, tsquery, terms: queryTerms(tsquery) };
  if (shapes.size >= 1000) shapes.delete(shapes.keys().next().value!);
  shapes.set(text, shape);
  return shape;
}

/** A count said roughly: two significant figures (25,762 is "about 26,000"). */
export function roughly(count: number): number {
  if (count < 100) return Math.round(count);
  const unit = 10 ** (Math.floor(Math.log10(count)) - 1);
  return Math.round(count / unit) * unit;
}

interface Counts {
  counts: repo.FacetCount[];
  estimated: boolean;
}

/**
 * The estimated counts of a search matching more than the counting cap: the counts of browsing with the same
 * filters (kept for this version of the log), each times the share of all replies the words are expected to
 * match (`expected`, from the statistics ANALYZE keeps of the commonest words). That assumes the words are as
 * common in every year, law, outcome, exemption and topic, so the page says the counts are estimates, and
 * they are rounded.
 */
async function estimatedCounts(
  db: Kysely<Database>,
  query: repo.SearchQuery,
  expected: number,
  version: number | null,
): Promise<Counts> {
  // Browsing's counts are the log's, not this search's: kept for this version of the log even when searches
  // are not (a cold search is one nobody made before, not a log nobody has browsed since it changed).
  const logVersion = version ?? (await repo.logVersion(db));
  const key = JSON.stringify(["browsing", query.filters]);
  const browsing =
    kept<Awaited<ReturnType<typeof repo.keptFacetCounts>>>(db, logVersion, "counts", key) ??
    (await repo.keptFacetCounts(db, query.filters));
  keep(db, logVersion, "counts", key, browsing);
  const share = Math.min(1, expected / Math.max(1, browsing.live));
  const counts = browsing.counts
    .map((count) => ({ ...count, count: roughly(count.count * share) }))
    .filter((count) => count.facet === "total" || count.count > 0);
  return { counts, estimated: true };
}

/** Sampled hits enough to go by (a count of 16 is out by a quarter at one standard deviation). */
const SAMPLE_HITS_ENOUGH = 16;

/**
 * How many a search of several words is expected to match, from its sampled hits (repo.sampledMatches): the
 * sample's estimate when it has hits enough and says at least twice the counting cap, so the search is
 * estimated, not counted (twice a cap of 1,000 is 63 hits, where 1,000 matches give 31 on average: over five
 * standard deviations apart); otherwise no more than the cap, so its matches are counted and its number is
 * exact where it is small.
 */
export function expectedFromSample(sample: { hits: number; estimate: number }, exactlyUpTo: number): number {
  return sample.hits >= SAMPLE_HITS_ENOUGH && sample.estimate >= 2 * exactlyUpTo
    ? sample.estimate
    : Math.min(sample.estimate, exactlyUpTo);
}

/**
 * Results, and the counts (the same for every page of a search: kept for this version of the log). The
 * counts are exact when the search has at most `exactlyUpTo` matches; otherwise estimated, without reading
 * the matches: when the statistics expect more than that, at once; when they expected fewer and the capped
 * count finds more, from how far through the table the count got (repo.searchLog). A search the statistics
 * say matches few (READ_ALL_UP_TO) is read whole in one statement, its number exact.
 */
async function searchWithCounts(
  db: Kysely<Database>,
  query: repo.SearchQuery,
  shape: QueryShape,
  counts: boolean,
  version: number | null,
  exactlyUpTo: number,
  readAllUpTo: number,
): Promise<{ rows: repo.SearchRow[]; counts: Counts | null }> {
  const statistics = query.text === null ? null : await repo.wordStatistics(db);
  const atMost = statistics === null ? null : matchesAtMost(shape.tsquery, statistics);
  const planned = atMost === null ? query : { ...query, matchesAtMost: atMost };
  if (!counts) return { rows: (await repo.searchLog(db, planned, false)).rows, counts: null };
  const key = JSON.stringify([query.text, query.filters, exactlyUpTo, readAllUpTo]);
  const known = version === null ? undefined : kept<Counts>(db, version, "counts", key);
  // Several words that can match few are read whole (one word's best are read first from its kept ranks,
  // filtered or not, for less).
  const readAll = shape.nodes > 1 && atMost !== null && atMost <= readAllUpTo;
  // One word: what it can match is its share in the statistics, the planner's own estimate (ts_selfuncs.c),
  // without asking it. Several: their matches among the sampled replies (the planner takes words for unrelated,
  // and "stop and search" is no three words' chance meeting).
  const expected =
    known || query.text === null || readAll
      ? 0
      : shape.nodes === 1 && atMost !== null
        ? atMost
        : shape.nodes > 1
          ? expectedFromSample(await repo.sampledMatches(db, query.text), exactlyUpTo)
          : await repo.estimatedMatches(db, query.text);
  let result: { rows: repo.SearchRow[]; counts: Counts };
  if (known || expected > exactlyUpTo) {
    const rows = (
      await repo.searchLog(db, expected > 0 ? { ...planned, expectedMatches: expected } : planned, false)
    ).rows;
    result = { rows, counts: known ?? (await estimatedCounts(db, query, expected, version)) };
  } else {
    const readUpTo = readAll ? Math.max(readAllUpTo, exactlyUpTo) : exactlyUpTo;
    const counted = await repo.searchLog(db, planned, true, exactlyUpTo, readUpTo);
    result = {
      rows: counted.rows,
      counts: counted.countedAll
        ? { counts: counted.counts ?? [], estimated: false }
        : await estimatedCounts(db, query, Math.max(counted.matches, exactlyUpTo + 1), version),
    };
  }
  if (version !== null && !known) keep(db, version, "counts", key, result.counts);
  return result;
}

/** Pages this long or shorter are kept whole (the CSV export's thousands of rows are not). */
const KEEP_PAGES_UP_TO = 100;

export interface SearchOptions {
  pageSize?: number;
  sort?: repo.SearchSort;
  counts?: boolean;
  snippets?: boolean;
  /** Reuse answers kept for this version of the log (default); false always asks the database. */
  cache?: boolean;
  /** Count exactly when the words are expected to match at most this many replies (COUNT_EXACTLY_UP_TO). */
  countExactlyUpTo?: number;
  /** Read several words whole when they can match at most this many replies (READ_ALL_UP_TO). */
  readAllUpTo?: number;
  /** How searches by relevance find their best matches (auto by default; the bench and tests compare them). */
  ranking?: repo.Ranking;
}

/**
 * One page of the disclosure log for a search, with the counts for every filter. A kept page is shared
 * between callers: read it, do not change it.
 */
export async function searchDisclosureLog(
  db: Kysely<Database>,
  params: DisclosureLogParams,
  options: SearchOptions = {},
): Promise<DisclosureLogPage> {
  const search = parseSearch(params);
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const version = options.cache === false ? null : await repo.logVersion(db);
  const pageKey =
    version !== null && pageSize <= KEEP_PAGES_UP_TO
      ? JSON.stringify([
          search,
          pageSize,
          options.sort,
          options.counts,
          options.snippets,
          options.countExactlyUpTo,
          options.readAllUpTo,
          options.ranking,
        ])
      : null;
  if (version !== null && pageKey !== null) {
    const page = kept<DisclosureLogPage>(db, version, "pages", pageKey);
    if (page) return page;
  }
  // Nothing but stop words ("the", "and") makes no query: list everything, as for an empty search.
  const shape = search.q ? await queryShape(db, search.q) : { nodes: 0, tsquery: "", terms: [] };
  const lexemes = shape.nodes;
  const text = search.q && lexemes > 0 ? search.q : null;
  const query: repo.SearchQuery = {
    text,
    filters: search.filters,
    sort: options.sort ?? search.sort,
    limit: pageSize,
    offset: (search.page - 1) * pageSize,
    ...(options.snippets === false ? { snippets: false } : {}),
    terms: shape.terms,
    ...(shape.nodes === 1 ? { oneWord: true } : {}),
    ...(options.ranking ? { ranking: options.ranking } : {}),
  };
  const result = await searchWithCounts(
    db,
    query,
    shape,
    options.counts !== false,
    version,
    options.countExactlyUpTo ?? COUNT_EXACTLY_UP_TO,
    options.readAllUpTo ?? READ_ALL_UP_TO,
  );
  const { rows } = result;
  const counts = result.counts?.counts ?? null;
  const facets = { year: [], regime: [], outcome: [], exemption: [], topic: [] } as Record<
    repo.FacetName,
    FacetValue[]
  >;
  let total = rows.length + query.offset;
  if (counts) {
    total = 0;
    for (const count of counts) {
      if (count.facet === "total") {
        total = count.count;
        continue;
      }
      const selected = String(search.filters[count.facet] ?? "") === count.value;
      facets[count.facet].push({
        value: count.value,
        label: facetLabel(count.facet, count.value),
        count: count.count,
        selected,
      });
    }
    for (const name of repo.facetNames) facets[name] = facetOrder(name, facets[name]);
  }
  const page: DisclosureLogPage = {
    search,
    total,
    estimated: result.counts?.estimated ?? false,
    moreThanPages: total > MAX_RESULTS && pageSize < MAX_RESULTS,
    page: search.page,
    pages: Math.min(
      Math.max(1, Math.ceil(total / pageSize)),
      Math.max(1, Math.floor(MAX_RESULTS / pageSize)),
    ),
    pageSize,
    results: rows.map((row) =>
      resultOf(
        row.body === undefined ? row : { ...row, snippet: snippet(row.body, shape.terms) },
        text === null,
      ),
    ),
    facets,
  };
  if (version !== null && pageKey !== null) keep(db, version, "pages", pageKey, page);
  return page;
}

/** Which index ranks searches (migration 0035), for /healthz and the startup line. */
export async function searchEngine(
  db: Kysely<Database>,
): Promise<{ index: "rum" | "gin"; description: string }> {
  const index = await repo.searchIndex(db);
  return index.kind === "rum"
    ? {
        index: "rum",
        description: "RUM index (phrases checked inside it), best matches read first from kept word ranks",
      }
    : { index: "gin", description: "GIN index, best matches read first from kept word ranks" };
}

/** The facet's name in words, for "Remove filter" tags and the JSON API. */
export function filterLabel(name: repo.FacetName, value: string | number): string {
  return facetLabel(name, String(value));
}
