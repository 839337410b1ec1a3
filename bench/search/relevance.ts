// The judged query set for bench/search.ts, made from the generator's own truth: every generated reply is
// about one topic (its `topic` column) and asks questions built from that topic's words. For each query the
// replies that should come first are those about the query's topic whose title (the question asked) uses
// every query word (grade 2); other replies about the topic are relevant (grade 1); the rest are not (0).
// Scored by nDCG@10 and precision@10 (a result of grade 1 or 2 counts), for each search index.
import { type Kysely, sql } from "kysely";
import type { Database } from "../../src/db/index.ts";
import {
  type DisclosureLogResult,
  type SearchOptions,
  searchDisclosureLog,
} from "../../src/publication/search.ts";
import { topics } from "./generate.ts";

export interface JudgedQuery {
  q: string;
  topic: string;
  /** Words the title must use for grade 2 (as generated: the topic's words, not stemmed). */
  titleWords: string[];
}

/**
 * Thirty queries: for thirty topics, the topic's first word (one that tells the topic from the others), and
 * for every third one its first two words, or the two as a quoted phrase when the topic's name is them.
 */
export function judgedQueries(): JudgedQuery[] {
  return Object.entries(topics)
    .slice(0, 30)
    .map(([topic, words], k) => {
      const first = words[0]!;
      if (k % 3 !== 2) return { q: first, topic, titleWords: [first] };
      const two = [first, words[1]!];
      const phrase = topic.toLowerCase() === two.join(" ");
      return { q: phrase ? `"${two.join(" ")}"` : two.join(" "), topic, titleWords: two };
    });
}

function grade(query: JudgedQuery, result: Pick<DisclosureLogResult, "topic" | "title">): number {
  if (result.topic !== query.topic) return 0;
  const title = result.title.toLowerCase();
  return query.titleWords.every((word) => new RegExp(`\\b${word}\\b`).test(title)) ? 2 : 1;
}

const gain = (g: number) => 2 ** g - 1;
const discounted = (grades: number[]) =>
  grades.reduce((sum, g, rank) => sum + gain(g) / Math.log2(rank + 2), 0);

/** How many replies of each grade the corpus holds for the query (the ideal ranking's grades). */
async function idealGrades(db: Kysely<Database>, query: JudgedQuery, k: number): Promise<number[]> {
  const pattern = query.titleWords.map((word) => `(?=.*\\m${word}\\M)`).join("");
  const { rows } = await sql<{ best: number; about: number }>`
    select count(*) filter (where lower(title) ~ ${pattern})::int as best, count(*)::int as about
    from published_replies where withdrawn_at is null and topic = ${query.topic}`.execute(db);
  const best = Math.min(k, rows[0]?.best ?? 0);
  const about = Math.min(k - best, (rows[0]?.about ?? 0) - best);
  return [...Array(best).fill(2), ...Array(Math.max(0, about)).fill(1)];
}

export interface RelevanceReport {
  queries: number;
  ndcgAt10: number;
  precisionAt10: number;
  perQuery: { q: string; ndcg: number; precision: number }[];
}

/** nDCG@10 and precision@10 of the disclosure log's own search (best match first) over the judged set. */
export async function judgeRelevance(
  db: Kysely<Database>,
  options: SearchOptions = {},
): Promise<RelevanceReport> {
  const k = 10;
  const perQuery: RelevanceReport["perQuery"] = [];
  for (const query of judgedQueries()) {
    const page = await searchDisclosureLog(
      db,
      { q: query.q },
      { ...options, cache: false, pageSize: k, snippets: false, counts: false },
    );
    const grades = page.results.slice(0, k).map((result) => grade(query, result));
    const ideal = discounted(await idealGrades(db, query, k));
    const round = (x: number) => Math.round(x * 1000) / 1000;
    perQuery.push({
      q: query.q,
      ndcg: round(ideal > 0 ? discounted(grades) / ideal : 0),
      precision: round(grades.filter((g) => g > 0).length / k),
    });
  }
  const mean = (values: number[]) =>
    Math.round((values.reduce((sum, x) => sum + x, 0) / Math.max(1, values.length)) * 1000) / 1000;
  return {
    queries: perQuery.length,
    ndcgAt10: mean(perQuery.map((query) => query.ndcg)),
    precisionAt10: mean(perQuery.map((query) => query.precision)),
    perQuery,
  };
}
