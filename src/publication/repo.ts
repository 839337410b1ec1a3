import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import { authorityProfile } from "../authority/index.ts";
import { type Database, prepared } from "../db/index.ts";
import type { InformationRegime } from "../law/index.ts";
import type { PublishedRecord } from "./record.ts";
import type { WordStatistics } from "./word-statistics.ts";

// The publication module's SQL, and only here (STYLE.md). Two halves: reading a request's reply to publish it
// (casework tables, staff only), and the disclosure log itself, which reads published_replies and
// published_attachments only, so that nothing public ever touches a casework table.

type Db = Kysely<Database> | Transaction<Database>;

// ---- Publishing: the casework a published record is built from -------------------------------------------

/** The authority's settings publishing reads (authority module). */
export async function authorityForPublication(db: Db) {
  const { name, email, phone, address, publishAfterDays } = await authorityProfile(db);
  return { name, email, phone, address, publishAfterDays };
}

export { setPublishAfterDays } from "../authority/index.ts";
// What publishing reads of a request: the requests module's read models.
export { requestForPublication, requestsDueForPublication, requestText } from "../requests/index.ts";

/** Files sent to the requester with the reply, except the letter itself (it carries their name and address). */
export async function replyAttachments(db: Db, requestId: number, letterIds: readonly (number | null)[]) {
  const letters = letterIds.filter((id): id is number => id !== null);
  let query = db
    .selectFrom("documents")
    .select(["id", "filename", "media_type", "size_bytes", "storage_key"])
    .where("request_id", "=", requestId)
    .where("part_of_reply", "=", true);
  if (letters.length > 0) query = query.where("id", "not in", letters);
  // Nor the internal review's letter (its PDF and Word copy carry them too).
  const reviewLetter = await db
    .selectFrom("review_letters")
    .select(["letter_document_id", "word_document_id"])
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  const reviewIds = [reviewLetter?.letter_document_id, reviewLetter?.word_document_id].filter(
    (id): id is number => typeof id === "number",
  );
  if (reviewIds.length > 0) query = query.where("id", "not in", reviewIds);
  return query.orderBy("id").execute();
}

export async function requestRedactions(db: Db, requestId: number) {
  return db
    .selectFrom("request_redactions")
    .selectAll()
    .where("request_id", "=", requestId)
    .orderBy("id")
    .execute();
}

export async function insertRequestRedaction(
  db: Db,
  redaction: { requestId: number; phrase: string; reason: string; by: string; at: Date },
) {
  return db
    .insertInto("request_redactions")
    .values({
      request_id: redaction.requestId,
      phrase: redaction.phrase,
      reason: redaction.reason,
      created_by: redaction.by,
      created_at: redaction.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** Deletes a request's redaction; what it was (who added it, when), or undefined when there was none. */
export async function deleteRequestRedaction(db: Db, requestId: number, id: number) {
  return db
    .deleteFrom("request_redactions")
    .where("request_id", "=", requestId)
    .where("id", "=", id)
    .returning(["id", "created_by", "created_at"])
    .executeTakeFirst();
}

export async function redactionRules(db: Db) {
  return db.selectFrom("redaction_rules").selectAll().orderBy("id").execute();
}

export async function insertRedactionRule(
  db: Db,
  rule: { kind: "phrase" | "pattern"; pattern: string; reason: string; by: string; at: Date },
) {
  return db
    .insertInto("redaction_rules")
    .values({
      kind: rule.kind,
      pattern: rule.pattern,
      reason: rule.reason,
      created_by: rule.by,
      created_at: rule.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function deleteRedactionRule(db: Db, id: number): Promise<number> {
  const result = await db.deleteFrom("redaction_rules").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---- Writing the published record ----------------------------------------------------------------------

export interface PublishedRow {
  requestId: number | null;
  reference: string;
  regime: InformationRegime;
  receivedDate: string;
  replyDate: string;
  year: number;
  topic: string | null;
  outcome: string;
  exemptions: readonly string[];
  title: string;
  /** The questions asked (masked), one a line: ranked with the title and topic. */
  questionsText: string;
  reply: unknown;
  bodyText: string;
  attachmentText: string;
  publishedAt: Date;
  publishedBy: string;
}

/**
 * English stemming; the title and topic weigh most, then the reply, then its files' text. Angle brackets
 * become spaces first: PostgreSQL's parser reads `<script>…</script>` as markup and would skip the words.
 */
export function searchVector(row: {
  title: string;
  topic: string | null;
  bodyText: string;
  attachmentText: string;
}): RawBuilder<string> {
  const words = (text: string) => sql`to_tsvector('english', translate(${text}, '<>', '  '))`;
  return sql<string>`setweight(${words(row.title)}, 'A')
    || setweight(${words(row.topic ?? "")}, 'A')
    || setweight(${words(row.bodyText)}, 'B')
    || setweight(${words(row.attachmentText)}, 'D')`;
}

/** What results are ranked by: what the reply is about, small enough to stay in the row (0006). */
export function rankVector(row: {
  title: string;
  topic: string | null;
  questionsText: string;
}): RawBuilder<string> {
  return sql<string>`setweight(to_tsvector('english', ${row.title}), 'A')
    || setweight(to_tsvector('english', ${row.topic ?? ""}), 'A')
    || setweight(to_tsvector('english', translate(${row.questionsText}, '<>', '  ')), 'B')`;
}

function publishedValues(row: PublishedRow) {
  return {
    request_id: row.requestId,
    reference: row.reference,
    regime: row.regime,
    received_date: row.receivedDate,
    reply_date: row.replyDate,
    year: row.year,
    topic: row.topic,
    outcome: row.outcome,
    exemptions: sql<string[]>`${sql.val([...row.exemptions])}::text[]` as unknown as string[],
    title: row.title,
    reply: JSON.stringify(row.reply),
    body_text: row.bodyText,
    search: searchVector(row) as unknown as string,
    rank_vector: rankVector(row) as unknown as string,
    published_at: row.publishedAt,
    published_by: row.publishedBy,
    withdrawn_at: null,
    withdrawn_by: null,
    withdrawn_reason: null,
  };
}

export interface AttachmentRow {
  position: number;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  /** A masked copy (text, CSV), or null with `storageKey` naming a file published unchanged. */
  content: Uint8Array | null;
  storageKey: string | null;
  maskedSpans: number;
}

/** The row a published record is stored as: the record's fields, and who published it, when and for which request. */
export function publishedRow(
  record: PublishedRecord,
  publication: { requestId: number | null; publishedAt: Date; publishedBy: string },
): PublishedRow {
  return {
    ...publication,
    reference: record.reference,
    regime: record.regime,
    receivedDate: record.receivedDate,
    replyDate: record.replyDate,
    year: record.year,
    topic: record.topic,
    outcome: record.outcome,
    exemptions: record.exemptions,
    title: record.title,
    questionsText: record.questionsText,
    reply: record.reply,
    bodyText: record.bodyText,
    attachmentText: record.attachmentText,
  };
}

/** Publishes (or publishes again) one reply: one row per reference, its files replaced. */
export async function savePublishedReply(
  db: Transaction<Database>,
  row: PublishedRow,
  attachments: readonly AttachmentRow[],
): Promise<number> {
  const values = publishedValues(row);
  const { id } = await db
    .insertInto("published_replies")
    .values(values)
    .onConflict((conflict) => conflict.column("reference").doUpdateSet(values))
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.deleteFrom("published_attachments").where("published_reply_id", "=", id).execute();
  if (attachments.length > 0)
    await db
      .insertInto("published_attachments")
      .values(
        attachments.map((file) => ({
          published_reply_id: id,
          position: file.position,
          file_name: file.fileName,
          media_type: file.mediaType,
          size_bytes: file.sizeBytes,
          content: file.content,
          storage_key: file.storageKey,
          masked_spans: file.maskedSpans,
        })),
      )
      .execute();
  return id;
}

/** Many published replies at once (the benchmark's generator). */
export async function insertPublishedReplies(db: Db, rows: readonly PublishedRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto("published_replies").values(rows.map(publishedValues)).execute();
}

/** Takes a reply down: its row stays (the page answers 410 Gone), its content and files go. */
export async function withdrawPublishedReply(
  db: Transaction<Database>,
  requestId: number,
  withdrawal: { by: string; reason: string; at: Date },
): Promise<{ id: number; reference: string } | undefined> {
  const row = await db
    .updateTable("published_replies")
    .set({
      withdrawn_at: withdrawal.at,
      withdrawn_by: withdrawal.by,
      withdrawn_reason: withdrawal.reason,
      // Nothing of what was published stays: a takedown is often because something was missed.
      title: "",
      topic: null,
      reply: "{}",
      body_text: "",
      search: sql<string>`''::tsvector` as unknown as string,
      rank_vector: sql<string>`''::tsvector` as unknown as string,
    })
    .where("request_id", "=", requestId)
    .where("withdrawn_at", "is", null)
    .returning(["id", "reference"])
    .executeTakeFirst();
  if (row) await db.deleteFrom("published_attachments").where("published_reply_id", "=", row.id).execute();
  return row;
}

/** Whether and when a request's reply is on the disclosure log (or was taken down). */
export async function publicationOfRequest(db: Db, requestId: number) {
  return db
    .selectFrom("published_replies")
    .select([
      "id",
      "reference",
      "published_at",
      "published_by",
      "withdrawn_at",
      "withdrawn_by",
      "withdrawn_reason",
    ])
    .where("request_id", "=", requestId)
    .executeTakeFirst();
}

// ---- The disclosure log: published_replies and published_attachments only -------------------------------

export interface SearchFilters {
  year?: number | undefined;
  regime?: string | undefined;
  outcome?: string | undefined;
  exemption?: string | undefined;
  topic?: string | undefined;
}

export type FacetName = keyof SearchFilters;
export const facetNames: readonly FacetName[] = ["year", "regime", "outcome", "exemption", "topic"];

export type SearchSort = "relevance" | "newest" | "published";

export interface SearchQuery {
  /** websearch_to_tsquery syntax; null lists everything (newest first). */
  text: string | null;
  /** The text's words as lexemes, those not negated (snippet.ts queryTerms): what a reply is ranked by. */
  terms?: readonly string[];
  /** The text is one word and nothing else (one node): a reply ranks against it as by its word alone. */
  oneWord?: boolean;
  filters: SearchFilters;
  /** relevance (for a text query), newest reply first, or newest on the log first (the feed). */
  sort: SearchSort;
  limit: number;
  offset: number;
  /** False: no snippets (the CSV export needs none, and each result's text is the bulk of a page's rows). */
  snippets?: boolean;
  /** How a search by relevance finds its best matches (auto when not given). */
  ranking?: Ranking;
  /** How many replies its word is expected to match, when known (the planner's statistics, or a capped count). */
  expectedMatches?: number;
  /** How many replies its words can match at most, by the statistics (word-statistics.ts), when they can say. */
  matchesAtMost?: number;
  /** How many of each word's best postings a search reads first (FIRST_POSTINGS; tests make it small). */
  firstPostings?: number;
}

/**
 * How a search by relevance finds its best matches, the same ones either way: from the words' kept ranks, best
 * first (bestMatches), or by scoring every match; `auto` (the app) chooses by the search (rankingOf).
 */
export type Ranking = "auto" | "best-first" | "every-match";
export const rankings: readonly Ranking[] = ["auto", "best-first", "every-match"];

/**
 * How a search by relevance finds its best matches when the caller does not say (auto). One word: best first
 * from its kept ranks, which are its order, so the first rows of its range of the index are the page (at
 * 1,000,000 replies a common word matches a quarter of the log); with a filter, only when the word is expected
 * to match at least BEST_FIRST_FROM (most of its best fail the filter and more must be read: below that,
 * scoring its matches costs less). Several words, when the statistics say they can match at least
 * BEST_FIRST_FROM (matchesAtMost, their rarest word's number: the planner's guess for all of them together
 * assumes they are unrelated, 2 for "body worn video", which 2,495 match; without statistics every match is
 * scored): best first, SEVERAL_WORDS_DEPTH rows a word, then the replies not read that could still rank with
 * the page (unreadRanges), and when those cannot be told apart, every match is scored after all (search.ts
 * reads several words that can match fewer whole, with its count, before it gets here). A reply's rank for
 * several words is bounded only by each word's alone, and each word's ranks take few values (title, topic,
 * questions), so the bound can stay above the page's last until every reply at a word's top rank is read,
 * which grows with the log; the replies not read that could rank with the page are those in every word's
 * postings from a rank down at once, found in the kept ranks without reading a reply.
 *
 * bench/search at 1,000,000 replies, one search at a time (this 2-core machine, December 2026), the four
 * whose 1,600 rows a word do not settle the page: knife crime 275 -> 60 ms, police helicopter 311 -> 76,
 * "body worn video" 327 -> 142, drones or helicopters 392 -> 97 (medians; every match scored after the round,
 * before). Reading 200, 400 or 800 rows a word first left wider ranges to read: 1,600 was the least in all.
 */
function rankingOf(query: SearchQuery): { bestFirst: boolean; depth: number } {
  const everything = { bestFirst: true, depth: Number.POSITIVE_INFINITY };
  const ranking = query.ranking ?? "auto";
  if (ranking !== "auto") return ranking === "best-first" ? everything : { bestFirst: false, depth: 0 };
  const terms = query.terms ?? [];
  const filtered = Object.values(query.filters).some((value) => value !== undefined);
  if (terms.length === 0) return { bestFirst: false, depth: 0 };
  if (terms.length === 1 && !filtered) return everything;
  if (terms.length === 1) {
    const expected = query.expectedMatches ?? query.matchesAtMost ?? 0;
    return expected >= BEST_FIRST_FROM ? everything : { bestFirst: false, depth: 0 };
  }
  return (query.matchesAtMost ?? 0) >= BEST_FIRST_FROM
    ? { bestFirst: true, depth: SEVERAL_WORDS_DEPTH }
    : { bestFirst: false, depth: 0 };
}

const BEST_FIRST_FROM = 10_000;
const SEVERAL_WORDS_DEPTH = 1_600;

const tsquery = (text: string) => sql`websearch_to_tsquery('english', ${text})`;

/**
 * Which index finds a search's matches (migration 0035): RUM, which keeps each word's positions and so checks a
 * phrase inside the index, or GIN, which must read each candidate's text for it. Either way the best matches
 * come from the kept word ranks (0050, bestMatches).
 */
export type SearchIndex = { kind: "rum" } | { kind: "gin" };

const searchIndexes = new WeakMap<object, Promise<SearchIndex>>();

/** The search index of this database (read once per connection pool: it changes only by a migration). */
export function searchIndex(db: Db): Promise<SearchIndex> {
  const known = searchIndexes.get(db);
  if (known) return known;
  const found = sql<{ rum: boolean }>`
    select exists (
      select 1 from pg_class c join pg_am am on am.oid = c.relam
      where c.relname = 'published_replies_search_rum' and am.amname = 'rum'
        and c.relnamespace = (select oid from pg_namespace where nspname = current_schema())
    ) as rum`
    .execute(db)
    .then(({ rows }): SearchIndex => (rows[0]?.rum ? { kind: "rum" } : { kind: "gin" }));
  // A failed look (the database down a moment) is asked again next time, not remembered.
  found.catch(() => searchIndexes.delete(db));
  searchIndexes.set(db, found);
  return found;
}

/**
 * The text as a query: how many nodes it makes (0 for nothing but stop words and punctuation; 1, one word)
 * and the query itself as text (its lexemes, which snippets mark).
 */
export async function queryShape(db: Db, text: string): Promise<{ nodes: number; tsquery: string }> {
  const { rows } = await sql<{ n: number; q: string }>`
    select numnode(${tsquery(text)}) as n, ${tsquery(text)}::text as q`.execute(db);
  return { nodes: rows[0]?.n ?? 0, tsquery: rows[0]?.q ?? "" };
}

function filterConditions(filters: SearchFilters, except?: FacetName, dates = true): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  if (filters.year !== undefined && except !== "year")
    // The date range as well: the newest-first index then starts at the year's end instead of today.
    conditions.push(
      dates
        ? sql`year = ${filters.year} and reply_date >= ${`${filters.year}-01-01`}::date and reply_date < ${`${filters.year + 1}-01-01`}::date`
        : sql`year = ${filters.year}`,
    );
  if (filters.regime !== undefined && except !== "regime") conditions.push(sql`regime = ${filters.regime}`);
  if (filters.outcome !== undefined && except !== "outcome")
    conditions.push(sql`outcome = ${filters.outcome}`);
  if (filters.exemption !== undefined && except !== "exemption")
    conditions.push(sql`exemptions @> array[${filters.exemption}]::text[]`);
  if (filters.topic !== undefined && except !== "topic") conditions.push(sql`topic = ${filters.topic}`);
  return conditions;
}

function where(query: SearchQuery, except?: FacetName): RawBuilder<unknown> {
  const conditions = [sql`withdrawn_at is null`, ...filterConditions(query.filters, except)];
  if (query.text !== null) conditions.push(sql`search @@ ${tsquery(query.text)}`);
  return sql.join(conditions, sql` and `);
}

export interface SearchRow {
  id: number;
  reference: string;
  regime: string;
  received_date: string;
  reply_date: string;
  topic: string | null;
  outcome: string;
  exemptions: string[];
  title: string;
  published_at: Date;
  rank: number;
  /** Browsing (no words): the reply's opening, escaped. A search's snippets are cut from `body` (snippet.ts). */
  snippet: string;
  /** With words and snippets: the reply's text. */
  body?: string;
}

export interface FacetCount {
  facet: FacetName | "total";
  value: string;
  count: number;
}

// The opening is escaped as snippet.ts escapes a search's snippets (entities for &, < and >), so that both
// are read alike (search.ts decodes and escapes again).
const escaped = (text: RawBuilder<unknown>) =>
  sql`replace(replace(replace(${text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;

/** The row's snippet fields: none, the opening (browsing), or a search's text to cut its snippet from. */
function snippetOf(query: SearchQuery): RawBuilder<unknown> {
  if (query.snippets === false) return sql`'snippet', ''`;
  if (query.text === null) return sql`'snippet', ${escaped(sql`left(r.body_text, 320)`)}`;
  return sql`'snippet', '', 'body', r.body_text`;
}

/** The order of results; `alias` qualifies the columns (none: the select list's own names, `rank` included). */
function orderOf(query: SearchQuery, alias?: string): RawBuilder<unknown> {
  const column = (name: string) => sql.ref(alias ? `${alias}.${name}` : name);
  const sort = query.text === null && query.sort === "relevance" ? "newest" : query.sort;
  if (sort === "relevance")
    return sql`${column("rank")} desc, ${column("reply_date")} desc, ${column("id")} desc`;
  if (sort === "published") return sql`${column("published_at")} desc, ${column("id")} desc`;
  return sql`${column("reply_date")} desc, ${column("id")} desc`;
}

const and = (conditions: RawBuilder<unknown>[]) =>
  conditions.length ? sql.join(conditions, sql` and `) : sql`true`;

function parseRows(rows: unknown): SearchRow[] {
  return ((rows ?? []) as (SearchRow & { published_at: string })[]).map((row) => ({
    ...row,
    published_at: new Date(row.published_at),
  }));
}

/** A reply's rank: ts_rank over what it is about against any of the words (0 for a search with none). */
function rankOf(terms: readonly string[]): RawBuilder<unknown> {
  return terms.length > 0 ? sql`ts_rank(rank_vector, ${anyOfTerms(terms)})` : sql`0::real`;
}

/**
 * The best RERANKED of a search (by rank, then newest) are put in order again by ts_rank over what each is
 * about against the whole query, which rewards the words together and near each other (tsrank.c, calc_rank_and:
 * bench/search's judged queries, nDCG@10 0.905 with it, 0.898 by rank alone); the rest follow by rank.
 */
const RERANKED = 100;

/** How many of a search's best by rank its page needs: all of the reranked when the page is among them. */
function bestNeeded(query: SearchQuery): number {
  const wanted = query.offset + query.limit;
  return query.offset < RERANKED ? Math.max(wanted, RERANKED) : wanted;
}

/**
 * The `p` CTE of a search by relevance, from `best` (id, reply_date, published_at, rank: its best by rank,
 * at least bestNeeded of them when it has them): the first RERANKED put in order again (equals in that order
 * as they were: a reply with none of the words, ranked 0, stays after every reply with one), the page cut
 * from them; `rank` is minus the position.
 */
function rerankedPage(query: SearchQuery, text: string): RawBuilder<unknown> {
  // One word ranks the same against the whole query: its best are in order already.
  if (query.oneWord)
    return sql`
    p as (
      select id, reply_date, published_at,
        -row_number() over (order by rank desc, reply_date desc, id desc)::real as rank
      from best order by rank desc limit ${query.limit} offset ${query.offset}
    )`;
  // A search with no word but those it leaves out ranks every match 0: newest first, nothing to rank again.
  const within = (query.terms ?? []).length > 0 ? sql`n.n <= ${RERANKED}` : sql`false`;
  return sql`
    numbered as (
      select id, reply_date, published_at, rank > 0 as about,
        row_number() over (order by rank desc, reply_date desc, id desc) as n
      from best
    ),
    -- A reply about none of the words ranks 0 again, whatever the query's other words (one it leaves out can be
    -- in a reply's questions and not its text): it stays after every reply about one of them.
    reranked as (
      select n.id, n.reply_date, n.published_at, -row_number() over (
        order by not ${within},
          case when ${within} then (case when n.about then ts_rank(r.rank_vector, ${tsquery(text)}) else 0 end) end desc,
          n.n
      )::real as rank
      from numbered n join published_replies r on r.id = n.id
    ),
    p as (select * from reranked order by rank desc limit ${query.limit} offset ${query.offset})`;
}

/** Where a page's rows come from: the replies (every match, ranked as read) or the matches a count kept. */
interface PageSource {
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>;
  rank: RawBuilder<unknown>;
}

/**
 * The page of a search without words or in date order (the newest-first indexes, every match ranked 0), or
 * by relevance by scoring every match; from the replies, or from `source` (the matches a count kept).
 */
function pageOf(query: SearchQuery, source?: PageSource): RawBuilder<unknown> {
  const relevance = query.text !== null && query.sort === "relevance";
  const {
    from,
    where: condition,
    rank,
  } = source ?? {
    from: sql`published_replies`,
    where: where(query),
    rank: relevance ? rankOf(query.terms ?? []) : sql`0::real`,
  };
  if (relevance && query.text !== null)
    return sql`
    best as (
      select id, reply_date, published_at, ${rank} as rank from ${from}
      where ${condition} order by rank desc, reply_date desc, id desc limit ${bestNeeded(query)}
    ),
    ${rerankedPage(query, query.text)}`;
  return sql`
    p as (
      select id, reply_date, published_at, 0::real as rank from ${from}
      where ${condition} order by ${orderOf(query)} limit ${query.limit} offset ${query.offset}
    )`;
}

/**
 * A page of results: `countedAll` when `counts` are exact (every match counted); `readAll` when the page was
 * made from every match (so `matches` is exact, though the counts may not have been made); otherwise `matches`
 * is an estimate, or 0 when not counted.
 */
type SearchResult = {
  rows: SearchRow[];
  counts: FacetCount[] | null;
  countedAll: boolean;
  readAll: boolean;
  matches: number;
};

// The search statements are prepared (db/prepared.ts: parsed once a connection, planned with each search's
// words): PostgreSQL's CPU for the bench's query mix, 6.5 -> 6.2 ms a search.

/**
 * One page of results (best first, newest first, or newest on the log first), each with its snippet; with
 * `counts`, the number of results and each facet's counts among the results of the query with every other
 * filter applied (so that choosing a year still shows how many there are in the other years). A search counts
 * at most `countUpTo` + 1 of its matches, and when it has no more, its page is made from them in the same
 * statement (ranking a few hundred matches costs less than reading each word's best). When it finds more, its
 * counts are not exact (`countedAll` false; `matches` is then an estimate of how many it has) and the caller
 * estimates them instead (search.ts), so no search reads more matches to count than that, however many it has;
 * its page comes from the words' best (bestMatches). A search the statistics say matches few may be read up to
 * `readUpTo` (more than `countUpTo`): its page is then made from them all in the same statement, with its exact
 * number of matches, and its counts only when no more than `countUpTo` (search.ts, READ_ALL_UP_TO).
 */
export async function searchLog(
  db: Db,
  query: SearchQuery,
  counts: boolean,
  countUpTo = Number.POSITIVE_INFINITY,
  readUpTo = countUpTo,
): Promise<SearchResult> {
  const rowsOf = pageRows(query);
  const text = query.text;
  if (text === null) {
    const { rows } = await sql<{ rows: unknown; counts: FacetCount[] | null }>`
      ${prepared} with ${pageOf(query)}${
        counts ? sql`, ${facetCounts(query, sql`published_facet_counts`, sql`sum(replies)`, false)}` : sql``
      }
      select (select ${rowsOf} from p join published_replies r on r.id = p.id) as rows,
        ${counts ? sql`(select json_agg(facet_counts) from facet_counts)` : sql`null`} as counts
    `.execute(db);
    const found = parseRows(rows[0]?.rows);
    return counts
      ? { rows: found, counts: rows[0]?.counts ?? [], countedAll: true, readAll: true, matches: 0 }
      : { rows: found, counts: null, countedAll: false, readAll: false, matches: 0 };
  }
  const counted = counts ? await countedSearch(db, query, text, countUpTo, readUpTo) : null;
  if (counted?.readAll) return counted;
  const expected = Math.max(query.expectedMatches ?? 0, counted?.matches ?? 0);
  const ranking =
    query.sort === "relevance"
      ? rankingOf({ ...query, ...(expected > 0 ? { expectedMatches: expected } : {}) })
      : { bestFirst: false, depth: 0 };
  const best = ranking.bestFirst ? await bestMatches(db, query, text, ranking.depth) : null;
  const rows =
    best ??
    parseRows(
      (
        await sql<{ rows: unknown }>`
          ${prepared} with ${pageOf(query)}
          select ${rowsOf} as rows from p join published_replies r on r.id = p.id`.execute(db)
      ).rows[0]?.rows,
    );
  return counted
    ? { ...counted, rows }
    : { rows, counts: null, countedAll: false, readAll: false, matches: 0 };
}

/** The page's rows as JSON, from `p` (id, rank) joined to the replies as `r`, in the query's order. */
function pageRows(query: SearchQuery): RawBuilder<unknown> {
  const rowJson = sql`json_build_object('id', r.id, 'reference', r.reference, 'regime', r.regime,
    'received_date', r.received_date, 'reply_date', r.reply_date, 'topic', r.topic, 'outcome', r.outcome,
    'exemptions', r.exemptions, 'title', r.title, 'published_at', r.published_at, 'rank', p.rank,
    ${snippetOf(query)})`;
  return sql`coalesce(json_agg(${rowJson} order by ${orderOf(query, "p")}), '[]')`;
}

/**
 * A search's matches, no more than `readUpTo` + 1 of them (in no order: the index's). When that is all of
 * them, its page is made from them and its number is exact, and when they are no more than `countUpTo`, its
 * counts are made too. Past the cap neither is made (the caller finds its page another way), and how many it
 * has is estimated: the capped count reads the matches in the table's order (a bitmap scan), so the part of
 * the table it got through says how many there are in all (their density, times the whole).
 */
async function countedSearch(
  db: Db,
  query: SearchQuery,
  text: string,
  countUpTo: number,
  readUpTo: number,
): Promise<SearchResult> {
  const capped = Number.isFinite(readUpTo);
  const relevance = query.sort === "relevance";
  const page = pageOf(query, {
    from: sql`matched`,
    where: and(filterConditions(query.filters)),
    rank: sql`rank`,
  });
  const { rows } = await sql<{
    rows: unknown;
    counts: FacetCount[] | null;
    matched: number;
    share: number | null;
  }>`
    ${prepared} with
    matched as materialized (
      select id, reply_date, published_at, year, regime, outcome, topic, exemptions,
        ${relevance ? rankOf(query.terms ?? []) : sql`0::real`} as rank, ctid
      from published_replies
      where withdrawn_at is null and search @@ ${tsquery(text)}
      ${capped ? sql`limit ${Math.floor(readUpTo) + 1}` : sql``}
    ),
    ${page},
    ${facetCounts(query, sql`matched`, sql`count(*)`, true)},
    read as (select count(*)::int as matched, max(ctid) as last from matched)
    select
      -- Past the cap the matches are not all of them: no page, no counts (so neither is made).
      ${
        capped
          ? sql`case when (select matched from read) <= ${Math.floor(readUpTo)}
              then (select ${pageRows(query)} from p join published_replies r on r.id = p.id) end`
          : sql`(select ${pageRows(query)} from p join published_replies r on r.id = p.id)`
      } as rows,
      ${
        Number.isFinite(countUpTo)
          ? sql`case when (select matched from read) <= ${Math.floor(countUpTo)}
              then (select json_agg(facet_counts) from facet_counts) end`
          : sql`(select json_agg(facet_counts) from facet_counts)`
      } as counts,
      (select matched from read) as matched,
      (select ((last::text::point)[0] + 1) / greatest(1, pg_relation_size('published_replies') / current_setting('block_size')::int)::float8 from read) as share
  `.execute(db);
  const matched = rows[0]?.matched ?? 0;
  const readAll = matched <= readUpTo;
  const countedAll = matched <= countUpTo;
  const share = Math.min(1, Math.max(rows[0]?.share ?? 1, 1e-6));
  return {
    rows: readAll ? parseRows(rows[0]?.rows) : [],
    counts: countedAll ? (rows[0]?.counts ?? []) : null,
    countedAll,
    readAll,
    matches: readAll ? matched : Math.round(matched / share),
  };
}

/**
 * The words as one tsquery, any of them, each as the lexeme it is: a query of one word each (0050's
 * published_search_term, the kept ranks' own, which quotes as tsquery does), joined by tsquery's `||` (or).
 */
function anyOfTerms(terms: readonly string[]): RawBuilder<unknown> {
  return sql`(${sql.join(
    terms.map((term) => sql`published_search_term(${term})`),
    sql` || `,
  )})`;
}

/** The first postings of a search: how many of its best it reads for each word, at first (then 8 times more). */
const FIRST_POSTINGS = 200;

/**
 * The best matches of a search, without scoring every match. A reply's rank is ts_rank over its rank vector
 * against the OR of the search's words: the mean of each word's own rank in it (tsrank.c, calc_rank_or), which
 * migration 0050 keeps per word, best first. So the replies read from the top of each word's postings, ranked
 * and checked against the whole query and the filters in rank order until the page is full, are the best of
 * all unless a reply not read could rank higher: one not read has at most, for each word, the rank of the last
 * posting read for it (and comes after it, newest first, where it equals it), and nothing for a word whose
 * postings were all read. When that bound says it could, those replies are found from the words' kept ranks
 * (bestOfUnread) when they can be told apart (unreadRanges), and otherwise each word's postings are read
 * eight times deeper.
 * Once every word's postings have been read, the other matches rank 0 (none of the words in what they are
 * about) and follow, newest first. Null when it would read deeper than `deepest` (the caller scores every
 * match instead).
 */
async function bestMatches(
  db: Db,
  query: SearchQuery,
  text: string,
  deepest = Number.POSITIVE_INFINITY,
): Promise<SearchRow[] | null> {
  const terms = query.terms ?? [];
  const wanted = bestNeeded(query);
  const found = { rows: [] as SearchRow[], count: 0 };
  const [onlyTerm] = terms;
  if (terms.length === 1 && onlyTerm !== undefined && wanted > 0)
    for (let depth = query.firstPostings ?? Math.max(FIRST_POSTINGS, 2 * wanted); ; depth *= 8) {
      const one = await bestOfOneWord(db, query, text, onlyTerm, depth);
      if (one.found >= wanted) return one.rows;
      // Fewer than it may read: every posting of the word has been read.
      if (one.read < depth) {
        found.rows = one.rows;
        found.count = one.found;
        break;
      }
      if (depth * 8 > deepest) return null;
    }
  else if (terms.length > 0 && wanted > 0)
    // With a depth it may not pass, several words read that deep at once: at 1,000,000 replies none of the
    // bench's found its page in 200 rows a word, and a round of 200 cost 4-7 ms before the round of 1,600.
    for (
      let depth =
        query.firstPostings ?? (Number.isFinite(deepest) ? deepest : Math.max(FIRST_POSTINGS, 2 * wanted));
      ;
      depth *= 8
    ) {
      const round = await bestRead(db, query, text, terms, depth);
      const enough = readEnough(round, terms, depth, wanted);
      if (enough === "deeper") {
        const ranges = unreadRanges(round, terms, depth, wanted);
        if (ranges !== null) return bestOfUnread(db, query, text, terms, round, ranges);
      }
      if (enough === "deeper" && depth * 8 > deepest) return null;
      if (enough === "deeper") continue;
      found.rows = round.rows;
      found.count = round.found;
      if (enough === "exact") return found.rows;
      break;
    }
  // Every posting read and the page not full: the rest of the matches, newest first.
  const end = query.offset + query.limit;
  const skip = Math.max(0, query.offset - found.count);
  const take = end - Math.max(query.offset, found.count);
  if (take <= 0) return found.rows;
  const anyWord = terms.length > 0 ? sql`and not (rank_vector @@ ${anyOfTerms(terms)})` : sql``;
  const { rows } = await sql<{ rows: unknown }>`
    ${prepared} with p as (
      select id, reply_date, published_at,
        -(${found.count}::int + row_number() over (order by reply_date desc, id desc))::real as rank
      from published_replies
      where ${where(query)} ${anyWord}
      order by reply_date desc, id desc limit ${take} offset ${skip}
    )
    select ${pageRows(query)} as rows from p join published_replies r on r.id = p.id`.execute(db);
  return [...found.rows, ...parseRows(rows[0]?.rows)];
}

/**
 * The best matches of a search with one word (not left out), from its first `depth` postings: a reply's rank
 * is its word's, so the postings are in the page's order, and the first that are live matches passing the
 * filters are the best of all. They are checked in that order and no more are read once the page has them (a
 * nested loop under a limit: at 100,000 replies, 100 of "parking"'s best in 0.4 ms, where ranking its first
 * 200 took 3). `read`: how many postings there were to read, when the page did not fill.
 */
async function bestOfOneWord(
  db: Db,
  query: SearchQuery,
  text: string,
  term: string,
  depth: number,
): Promise<{ rows: SearchRow[]; found: number; read: number }> {
  const wanted = bestNeeded(query);
  const { rows } = await sql<{ rows: unknown; found: number; read: number | null }>`
    ${prepared} with
    best as (
      select r.id, r.reply_date, r.published_at, p.score as rank
      from (
        select reply_id, score, reply_date as posted from published_search_terms where lexeme = ${term}
        order by score desc, reply_date desc, reply_id desc limit ${depth}
      ) as p
      join published_replies r on r.id = p.reply_id
      where ${where(query)}
      order by p.score desc, p.posted desc, p.reply_id desc limit ${wanted}
    ),
    ${rerankedPage(query, text)}
    select
      (select ${pageRows(query)} from p join published_replies r on r.id = p.id) as rows,
      (select count(*)::int from best) as found,
      case when (select count(*) from best) < ${wanted} then (
        select count(*)::int from (select 1 from published_search_terms where lexeme = ${term} limit ${depth}) as read
      ) end as read
  `.execute(db);
  return { rows: parseRows(rows[0]?.rows), found: rows[0]?.found ?? 0, read: rows[0]?.read ?? depth };
}

/** The last posting read for a word (in the index's order), and how many were read. */
export interface LastRead {
  lexeme: string;
  score: number;
  reply_date: string;
  reply_id: number;
  read: number;
}

/** What a round of bestMatches found: the page's rows, how many matches it ranked, the last's key, and the words' last postings. */
export interface BestRound {
  rows: SearchRow[];
  /** The ids of its best, in no order (what a read of the replies not read must beat). */
  ids: number[];
  found: number;
  last: { rank: number; reply_date: string; id: number } | null;
  lasts: LastRead[];
}

/** Ranks agree to float4's precision: a mean worked out in SQL and in JavaScript can differ in the last place. */
const SAME_RANK = 1e-6;

/**
 * Whether a round's matches are the best of all (exact), need the unranked rest after them (fill: every posting
 * read, the page not full), or could be beaten by a reply not read (deeper).
 */
export function readEnough(
  round: Pick<BestRound, "found" | "last" | "lasts">,
  terms: readonly string[],
  depth: number,
  wanted: number,
): "exact" | "fill" | "deeper" {
  const open = round.lasts.filter((last) => last.read >= depth);
  if (open.length === 0) return round.found >= wanted ? "exact" : "fill";
  if (round.found < wanted || round.last === null) return "deeper";
  const bound = open.reduce((sum, last) => sum + last.score, 0) / terms.length;
  const { rank, reply_date, id } = round.last;
  if (rank > bound * (1 + SAME_RANK)) return "exact";
  if (rank < bound * (1 - SAME_RANK)) return "deeper";
  // A reply not read that ranks the same comes after the last read of every word still open, newest first.
  const after = (a: { reply_date: string; id: number }, b: { reply_date: string; id: number }) =>
    a.reply_date > b.reply_date || (a.reply_date === b.reply_date && a.id >= b.id);
  return open.every((last) => after({ reply_date, id }, { reply_date: last.reply_date, id: last.reply_id }))
    ? "exact"
    : "deeper";
}

/** Of a word's postings not read, those a reply needs to rank with the page's last: `from` up to the last read. */
export interface UnreadRange {
  last: LastRead;
  from: number;
}

/**
 * After a round whose page could still be beaten (readEnough: deeper), where the replies not read may be. Each
 * has, for each word still open, at most the rank of its last posting read (and none for a word all of whose
 * postings were read), so one ranking with the page's last, T (the mean over the n words), needs for an open
 * word w at least nT less the others' lasts. When that is more than 0 for every open word, such a reply is in
 * every open word's postings not read, from there down: the replies in all of those ranges at once are all it
 * can be, and no more need be read or scored (bestOfUnread). Null when a reply without one of the open words
 * could still rank with it (then only deeper, or every match, will tell): "or" of words seldom together.
 * Bounds are widened by SAME_RANK, so a mean worked out another way cannot fall outside them.
 */
export function unreadRanges(
  round: Pick<BestRound, "found" | "last" | "lasts">,
  terms: readonly string[],
  depth: number,
  wanted: number,
): UnreadRange[] | null {
  if (round.found < wanted || round.last === null) return null;
  const open = round.lasts.filter((last) => last.read >= depth);
  if (open.length === 0) return null;
  const needed = terms.length * round.last.rank * (1 - SAME_RANK);
  const lasts = open.reduce((sum, last) => sum + last.score, 0);
  const ranges = open.map((last) => ({ last, from: needed - (lasts - last.score) }));
  return ranges.every((range) => range.from > 0) ? ranges : null;
}

/**
 * The page of a search from its round's best and the replies not read that could rank with them
 * (unreadRanges): those in every open word's range at once (index-only reads of the kept ranks, joined on the
 * reply) whose words' ranks together reach the round's last; these and the round's best are ranked and checked
 * against the query and the filters as a round's are. bench/search at 1,000,000 replies: see rankingOf.
 */
async function bestOfUnread(
  db: Db,
  query: SearchQuery,
  text: string,
  terms: readonly string[],
  round: BestRound,
  ranges: readonly UnreadRange[],
): Promise<SearchRow[]> {
  const rank = round.last?.rank ?? 0;
  const unread = ranges.map(
    ({ last, from }, i) => sql`(
        select reply_id, score from published_search_terms
        where lexeme = ${last.lexeme} and score >= ${from}::real
          and (score, reply_date, reply_id) < (${last.score}::real, ${last.reply_date}::date, ${last.reply_id}::int)
      ) as ${sql.id(`w${i}`)}`,
  );
  const joined = sql.join(
    unread.map((range, i) => (i === 0 ? range : sql`join ${range} using (reply_id)`)),
    sql` `,
  );
  const sum = sql.join(
    ranges.map((_, i) => sql.ref(`w${i}.score`)),
    sql` + `,
  );
  const { rows } = await sql<{ rows: unknown }>`
    ${prepared} with
    unread as (
      select reply_id from ${joined}
      where (${sum})::float8 / ${terms.length} >= ${rank * (1 - SAME_RANK)}
    ),
    -- One list, each read by its key (an "or" of the two would have the planner read every reply).
    ${rankedBest(query, text, terms, sql`select reply_id from unread union select unnest(${sql.val(round.ids)}::int[])`)},
    ${rerankedPage(query, text)}
    select ${pageRows(query)} as rows from p join published_replies r on r.id = p.id
  `.execute(db);
  return parseRows(rows[0]?.rows);
}

/**
 * The `ranked` and `best` CTEs of a round: the replies `ids` (a select of reply ids) ranked, then, in that order
 * until bestNeeded pass, checked against the query and the filters: offset 0 keeps the check above the sort, so
 * only the best few replies' text is read.
 */
function rankedBest(
  query: SearchQuery,
  text: string,
  terms: readonly string[],
  ids: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`
    ranked as (
      select id, reply_date, published_at, search, ${rankOf(terms)} as rank
      from published_replies
      where id in (${ids}) and ${and([sql`withdrawn_at is null`, ...filterConditions(query.filters)])}
      order by rank desc, reply_date desc, id desc offset 0
    ),
    best as (
      select id, reply_date, published_at, rank from ranked where search @@ ${tsquery(text)}
      limit ${bestNeeded(query)}
    )`;
}

async function bestRead(
  db: Db,
  query: SearchQuery,
  text: string,
  terms: readonly string[],
  depth: number,
): Promise<BestRound> {
  const { rows } = await sql<{
    rows: unknown;
    ids: number[] | null;
    found: number;
    last: BestRound["last"];
    lasts: LastRead[] | null;
  }>`
    ${prepared} with
    postings as (
      select t.lexeme, s.reply_id, s.score, s.reply_date, s.n
      from unnest(${sql.val([...terms])}::text[]) as t(lexeme)
      cross join lateral (
        -- Numbered in the order read (the index's, so no sort): the last read of a word is its highest.
        select reply_id, score, reply_date,
          row_number() over (order by score desc, reply_date desc, reply_id desc) as n
        from (
          select reply_id, score, reply_date from published_search_terms
          where lexeme = t.lexeme order by score desc, reply_date desc, reply_id desc limit ${depth}
        ) as read
      ) as s
    ),
    -- By hashing, not sorting the postings (3.5 of a round's 21 ms at 1,000,000 replies when sorted).
    lasts as (
      select p.lexeme, p.score, p.reply_date, p.reply_id, p.n as read
      from postings p join (select lexeme, max(n) as n from postings group by lexeme) as m using (lexeme, n)
    ),
    ${rankedBest(query, text, terms, sql`select reply_id from postings`)},
    ${rerankedPage(query, text)}
    select
      (select ${pageRows(query)} from p join published_replies r on r.id = p.id) as rows,
      (select array_agg(id) from best) as ids,
      (select count(*)::int from best) as found,
      (select json_build_object('rank', rank, 'reply_date', reply_date, 'id', id) from best
        order by rank, reply_date, id limit 1) as last,
      (select json_agg(lasts) from lasts) as lasts
  `.execute(db);
  const row = rows[0];
  return {
    rows: parseRows(row?.rows),
    ids: row?.ids ?? [],
    found: row?.found ?? 0,
    last: row?.last ?? null,
    lasts: (row?.lasts ?? []).map((last) => ({ ...last, read: Number(last.read) })),
  };
}

/** How long the words' statistics are used before they are read again (ANALYZE changes them, never a search). */
const STATISTICS_FOR_MS = 60_000;

const statisticsRead = new WeakMap<object, { at: number; statistics: Promise<WordStatistics | null> }>();

/**
 * What ANALYZE keeps of the replies' words (word-statistics.ts), read at most once a minute per connection
 * pool; null before the table has been analysed (PGlite never runs autovacuum).
 */
export function wordStatistics(db: Db): Promise<WordStatistics | null> {
  const known = statisticsRead.get(db);
  const now = performance.now();
  if (known && now - known.at < STATISTICS_FOR_MS) return known.statistics;
  const statistics = sql<{ replies: number; elems: string[] | null; freqs: number[] | null }>`
    select c.reltuples::float8 as replies, s.most_common_elems::text::text[] as elems,
      s.most_common_elem_freqs::float8[] as freqs
    from pg_class c
    left join pg_stats s on s.schemaname = current_schema() and s.tablename = 'published_replies'
      and s.attname = 'search'
    where c.oid = 'published_replies'::regclass`
    .execute(db)
    .then(({ rows }): WordStatistics | null => {
      const row = rows[0];
      if (!row?.elems || !row.freqs || row.replies <= 0) return null;
      // The shares, then the least and the most of them (pg_stats.most_common_elem_freqs, for a tsvector).
      const shares = new Map(row.elems.map((lexeme, i) => [lexeme, row.freqs![i] ?? 0]));
      return { replies: row.replies, shares, floor: row.freqs[row.elems.length] ?? 0 };
    });
  statistics.catch(() => statisticsRead.delete(db));
  statisticsRead.set(db, { at: now, statistics });
  return statistics;
}

/**
 * How many live replies the planner expects the words to match, from the statistics ANALYZE keeps of the
 * commonest words (no match is read): good for a single common word, a guess for phrases and several words.
 */
export async function estimatedMatches(db: Db, text: string): Promise<number> {
  const { rows } = await sql<{ "QUERY PLAN": unknown }>`
    explain (format json) select 1 from published_replies
    where withdrawn_at is null and search @@ ${tsquery(text)}`.execute(db);
  const plan = rows[0]?.["QUERY PLAN"];
  const parsed = (typeof plan === "string" ? JSON.parse(plan) : plan) as { Plan: { "Plan Rows": number } }[];
  return Number(parsed[0]?.Plan["Plan Rows"] ?? 0);
}

/** One reply in SAMPLE_ONE_IN is in the sample index (migration 0051: `(hashint4(id) & 31) = 0`). */
const SAMPLE_ONE_IN = 32;

/**
 * How many live replies the words match, from their matches among the sampled replies (migration 0051's
 * index, whose predicate this repeats word for word): `hits` of them, so about `hits` times SAMPLE_ONE_IN in
 * all. Made from lists SAMPLE_ONE_IN times shorter than the words' own, so it costs little however many match
 * (bench/search at 1,000,000 replies: about 1 ms, where counting up to the cap cost 16-25 ms); unlike the
 * planner's guess it sees words that go together. With few hits it says little: the caller decides.
 */
export async function sampledMatches(db: Db, text: string): Promise<{ hits: number; estimate: number }> {
  const { rows } = await sql<{ hits: number }>`
    ${prepared} select count(*)::int as hits from published_replies
    where withdrawn_at is null and (hashint4(id) & ${sql.lit(SAMPLE_ONE_IN - 1)}) = 0
      and search @@ ${tsquery(text)}`.execute(db);
  const hits = rows[0]?.hits ?? 0;
  return { hits, estimate: hits * SAMPLE_ONE_IN };
}

/**
 * The counts of browsing with these filters (no words), from the kept counts per combination of facet values,
 * and how many live replies there are in all: what a search matching very many is estimated from.
 */
export async function keptFacetCounts(
  db: Db,
  filters: SearchFilters,
): Promise<{ counts: FacetCount[]; live: number }> {
  const browsing: SearchQuery = { text: null, filters, sort: "newest", limit: 0, offset: 0 };
  const { rows } = await sql<{ counts: FacetCount[] | null; live: number | null }>`
    with ${facetCounts(browsing, sql`published_facet_counts`, sql`sum(replies)`, false)}
    select (select json_agg(facet_counts) from facet_counts) as counts,
      (select sum(replies)::int from published_facet_counts) as live
  `.execute(db);
  return { counts: rows[0]?.counts ?? [], live: rows[0]?.live ?? 0 };
}

/**
 * The `grouped` and `facet_counts` CTEs over `source` (the matches, or the kept counts, whose rows `count`
 * adds up): one pass for four facets, each grouping set counting with its own filter left out (grouping()
 * says which set a row is: 15 none, 7 year, 11 regime, 13 outcome, 14 topic); then the exemptions cited.
 * `dates`: the source has reply dates (a year's filter then also uses them).
 */
function facetCounts(
  query: SearchQuery,
  source: RawBuilder<unknown>,
  count: RawBuilder<unknown>,
  dates: boolean,
): RawBuilder<unknown> {
  const counted = (except?: FacetName) =>
    sql`${count} filter (where ${and(filterConditions(query.filters, except, dates))})`;
  const exemptionFilter = and(filterConditions(query.filters, "exemption", dates));
  // Each count leaves out at most one filter, so a row failing two or more is in none of them: with several
  // filters, most rows (browsing an exemption in a topic at 100,000 replies: 6.5 -> 3.4 ms).
  const filters = filterConditions(query.filters, undefined, dates);
  const inSome =
    filters.length >= 2
      ? sql`where ${sql.join(
          filters.map((condition) => sql`coalesce((${condition})::int, 0)`),
          sql` + `,
        )} >= ${filters.length - 1}`
      : sql``;
  return sql`
    grouped as (
      select year, regime, outcome, topic, grouping(year, regime, outcome, topic) as g,
        ${counted()} as total,
        ${counted("year")} as by_year,
        ${counted("regime")} as by_regime,
        ${counted("outcome")} as by_outcome,
        ${counted("topic")} as by_topic
      from ${source} ${inSome}
      group by grouping sets ((), (year), (regime), (outcome), (topic))
    ),
    facet_counts as (
      select facet, value, count from (
        select
          case g when 15 then 'total' when 7 then 'year' when 11 then 'regime' when 13 then 'outcome' else 'topic' end as facet,
          case g when 15 then '' when 7 then year::text when 11 then regime when 13 then outcome else topic end as value,
          coalesce(case g when 15 then total when 7 then by_year when 11 then by_regime when 13 then by_outcome else by_topic end, 0)::int as count
        from grouped
      ) as counted
      where facet = 'total' or (value is not null and count > 0)
      union all
      select 'exemption', key, ${count}::int
        from ${source} cross join lateral unnest(exemptions) as key where ${exemptionFilter}
        group by key having ${count} > 0
    )`;
}

export async function logVersion(db: Db): Promise<number> {
  const row = await db.selectFrom("disclosure_log_version").select("version").executeTakeFirst();
  return Number(row?.version ?? 0);
}

export async function publishedByReference(db: Db, reference: string) {
  return db
    .selectFrom("published_replies")
    .select([
      "id",
      "reference",
      "regime",
      "received_date",
      "reply_date",
      "topic",
      "outcome",
      "exemptions",
      "title",
      "reply",
      "published_at",
      "withdrawn_at",
    ])
    .where("reference", "=", reference)
    .executeTakeFirst();
}

export async function publishedAttachmentList(db: Db, publishedReplyId: number) {
  return db
    .selectFrom("published_attachments")
    .select(["id", "position", "file_name", "media_type", "size_bytes"])
    .where("published_reply_id", "=", publishedReplyId)
    .orderBy("position")
    .execute();
}

export async function publishedAttachment(db: Db, reference: string, attachmentId: number) {
  return db
    .selectFrom("published_attachments as a")
    .innerJoin("published_replies as r", "r.id", "a.published_reply_id")
    .select(["a.id", "a.file_name", "a.media_type", "a.size_bytes", "a.content", "a.storage_key"])
    .where("r.reference", "=", reference)
    .where("r.withdrawn_at", "is", null)
    .where("a.id", "=", attachmentId)
    .executeTakeFirst();
}

export async function countPublished(db: Db): Promise<number> {
  const row = await db
    .selectFrom("published_replies")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("withdrawn_at", "is", null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Published replies' references and when each was published, in the order they were first published. */
export async function sitemapEntries(db: Db, limit: number, offset: number) {
  return db
    .selectFrom("published_replies")
    .select(["reference", "published_at"])
    .where("withdrawn_at", "is", null)
    .orderBy("id")
    .limit(limit)
    .offset(offset)
    .execute();
}

/**
 * Published replies ranked against an OR of the words of a request (ts_rank: how many of them each reply
 * uses, and how often), leaving out the request's own reply.
 */
export async function similarTo(db: Db, orQuery: string, excludeRequestId: number, limit: number) {
  const query = tsquery(orQuery);
  const { rows } = await sql<{
    reference: string;
    title: string;
    reply_date: string;
    outcome: string;
    rank: number;
  }>`
    select reference, title, reply_date, outcome, ts_rank(search, ${query}, 1) as rank
    from published_replies
    where withdrawn_at is null and search @@ ${query}
      and (request_id is null or request_id <> ${excludeRequestId})
    order by rank desc, reply_date desc
    limit ${limit}
  `.execute(db);
  return rows;
}
