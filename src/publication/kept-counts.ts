import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import type { FacetCount, SearchFilters } from "./repo.ts";

// The counts for a listing without words (the log's front page, and browsing by filters) read every published
// reply, so they are kept for a minute, per database; publishing or taking down in this process forgets them.
// Another app process's change shows in the counts within the minute (results themselves are never kept).

export const COUNTS_KEPT_MS = 60_000;
const MAX_KEPT = 1000;

const kept = new WeakMap<Kysely<Database>, Map<string, { at: number; counts: FacetCount[] }>>();

export function keptCounts(db: Kysely<Database>, filters: SearchFilters, now: number): FacetCount[] | null {
  const entry = kept.get(db)?.get(JSON.stringify(filters));
  return entry && now - entry.at < COUNTS_KEPT_MS ? entry.counts : null;
}

export function keepCounts(
  db: Kysely<Database>,
  filters: SearchFilters,
  counts: FacetCount[],
  now: number,
): void {
  const byFilters = kept.get(db) ?? new Map();
  kept.set(db, byFilters);
  if (byFilters.size >= MAX_KEPT) byFilters.delete(byFilters.keys().next().value!);
  byFilters.set(JSON.stringify(filters), { at: now, counts });
}

/** After publishing or taking down: the next listing counts afresh. */
export function forgetCounts(db: Kysely<Database>): void {
  kept.delete(db);
}
