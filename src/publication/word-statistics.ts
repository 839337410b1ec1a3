// What PostgreSQL's statistics say of the disclosure log's words, and what a search can match at most by them.
// Pure: repo.ts reads the statistics (pg_stats, kept by ANALYZE); search.ts decides with them how to count and
// rank a search before reading any of its matches.

import { queryTerms } from "./snippet.ts";

/** The statistics ANALYZE keeps of the replies' search vectors (pg_stats.most_common_elems, ts_typanalyze.c). */
export interface WordStatistics {
  /** How many replies the table holds, as the planner counts them (pg_class.reltuples). */
  replies: number;
  /** The share of replies that contain each of the commonest lexemes. */
  shares: ReadonlyMap<string, number>;
  /** The smallest share kept: a lexeme not kept is in fewer replies than that (at the last ANALYZE). */
  floor: number;
}

/** How many replies contain the lexeme, by the statistics (a share of a sample: an estimate, not a count). */
export function repliesWith(statistics: WordStatistics, lexeme: string): number {
  return Math.round((statistics.shares.get(lexeme) ?? statistics.floor) * statistics.replies);
}

/**
 * How many replies a query (`websearch_to_tsquery(…)::text`) can match at most, by the statistics; null when
 * they cannot say (no word it needs, or a word it must not have inside an "or"). Without "or", every word not
 * negated must be in a match (a phrase's words too), so no more replies match than contain its rarest word;
 * with "or" and no negation, no more than contain any of them.
 */
export function matchesAtMost(tsquery: string, statistics: WordStatistics): number | null {
  const terms = queryTerms(tsquery);
  if (terms.length === 0) return null;
  // The operators, with the quoted lexemes taken out (a lexeme may hold "|" or "!").
  const operators = tsquery.replace(/'(?:[^']|'')*'/g, "");
  const counts = terms.map((term) => repliesWith(statistics, term));
  if (!operators.includes("|")) return Math.min(...counts);
  if (operators.includes("!")) return null;
  return Math.min(
    statistics.replies,
    counts.reduce((sum, count) => sum + count, 0),
  );
}
