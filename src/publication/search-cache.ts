import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";

// Searches kept per database and per version of the disclosure log. A trigger (migration 0008) bumps the
// version on every change to the published replies, in any app process, so a kept answer is used only while
// the log is exactly as it was when the answer was made. Two kinds are kept: a search's counts (the total and
// every facet's, which read every match and are the same on every page) and whole pages of results.

// A page of 20 results with their snippets is some 30 kB as JSON (measured): 500 pages, some 30 MB at most.
const LIMITS = { counts: 2000, pages: 500 } as const;
export type KeptKind = keyof typeof LIMITS;

interface Kept {
  version: number;
  entries: Record<KeptKind, Map<string, unknown>>;
}

const byDatabase = new WeakMap<Kysely<Database>, Kept>();

function keptFor(db: Kysely<Database>, version: number): Kept {
  const kept = byDatabase.get(db);
  if (kept && kept.version === version) return kept;
  // A new version: everything kept before describes a log that no longer exists.
  const fresh: Kept = { version, entries: { counts: new Map(), pages: new Map() } };
  byDatabase.set(db, fresh);
  return fresh;
}

/** What was kept under `key` for this version of the log (most recently used last, so the oldest goes first). */
export function kept<T>(db: Kysely<Database>, version: number, kind: KeptKind, key: string): T | undefined {
  const entries = keptFor(db, version).entries[kind];
  const value = entries.get(key);
  if (value === undefined) return undefined;
  entries.delete(key);
  entries.set(key, value);
  return value as T;
}

export function keep(
  db: Kysely<Database>,
  version: number,
  kind: KeptKind,
  key: string,
  value: unknown,
): void {
  const entries = keptFor(db, version).entries[kind];
  if (entries.size >= LIMITS[kind]) entries.delete(entries.keys().next().value!);
  entries.set(key, value);
}
