import { createHash } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";

/**
 * A PostgreSQL connection that prepares the statements marked for it (a named statement, parsed and analysed once
 * per connection instead of on every run), and still plans each run with its parameters' values: the pool sets
 * `plan_cache_mode = force_custom_plan` on each connection. A plan made without the values was far worse wherever it
 * was tried: the work queue's statement took 430 ms instead of 2.6 ms, a filtered search 80-115 ms instead of
 * 6-8 ms after PostgreSQL's `auto` mode switched to one (bench/casework, bench/search). What preparing saves is
 * the parsing: the work queue's statement cost PostgreSQL 2.29 ms of CPU a page unprepared, 1.93 ms prepared.
 *
 * Only marked statements (`PREPARED` in the text), the ones run on every page, so that a connection holds few;
 * never one holding several commands (`;`), which cannot be prepared; at most `PREPARED_PER_CONNECTION` on each
 * connection (each holds memory on the server for as long as the connection lives). A statement whose result
 * changed shape under it (a migration run by another process: "cached plan must not change result type") is
 * never prepared again: run again at once, unprepared, outside a transaction; inside one, the transaction fails
 * that once.
 */
export const PREPARED = "/* prepared */";
/** The mark, for a Kysely select: `.modifyFront(prepared)` (it goes after `select`). */
export const prepared = sql.raw(PREPARED);
export const PREPARED_PER_CONNECTION = 100;
/** How many statement texts the process remembers at once. */
const REMEMBERED = 1000;

interface Seen {
  name: string;
  never: boolean;
}

const seen = new Map<string, Seen>();

function sightingOf(text: string): Seen {
  let sighting = seen.get(text);
  if (!sighting) {
    if (seen.size >= REMEMBERED) seen.clear();
    sighting = { name: nameOf(text), never: !preparable(text) };
    seen.set(text, sighting);
  }
  return sighting;
}

/** Statements that may be prepared: marked, and one command. */
function preparable(text: string): boolean {
  return text.includes(PREPARED) && !text.includes(";");
}

/** The statement's name on the server: its text's hash, so every connection names it alike. */
const nameOf = (text: string) => `foidesk_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;

// "cached plan must not change result type" (feature_not_supported, from the plan cache).
const RESULT_TYPE_CHANGED = /cached plan must not change result type/;

export class PreparingClient extends pg.Client {
  #prepared = 0;
  /** Whether this connection plans prepared statements with each run's values (nothing is prepared until). */
  #customPlans = false;

  /** Sets the connection to plan every run with its values; only then does it prepare statements. */
  async planEachRun(): Promise<void> {
    await super.query("set plan_cache_mode = force_custom_plan");
    this.#customPlans = true;
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg.Client.query's overloads, passed through
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config !== "string" || !Array.isArray(values) || typeof callback === "function")
      return super.query(config, values, callback);
    if (!this.#customPlans || !config.includes(PREPARED)) return super.query(config, values);
    const sighting = sightingOf(config);
    if (sighting.never) return super.query(config, values);
    const { name } = sighting;
    // biome-ignore lint/suspicious/noExplicitAny: the connection's own record of what it has parsed
    const parsed = (this as any).connection?.parsedStatements as Record<string, string> | undefined;
    const known = parsed?.[name] !== undefined;
    if (!known) {
      if (this.#prepared >= PREPARED_PER_CONNECTION) return super.query(config, values);
      this.#prepared++;
    }
    // Outside a transaction block, a statement refused for its changed shape is run again, unprepared;
    // inside one the transaction has failed, and the caller sees the error (once).
    const outsideTransaction = this.getTransactionStatus() === "I";
    const result = super.query({ name, text: config, values }) as Promise<pg.QueryResult>;
    return result.catch((error: unknown) => {
      if (!(error instanceof Error && RESULT_TYPE_CHANGED.test(error.message))) throw error;
      sighting.never = true;
      if (outsideTransaction) return super.query(config, values);
      throw error;
    });
  }
}
