import { createHash } from "node:crypto";
import pg from "pg";

/**
 * A PostgreSQL connection that prepares the statements the app runs again and again (a named statement, parsed
 * once per connection), so the server can reuse its plan instead of planning each time: planning was about a
 * third of the database's time for a work-queue page or a search (bench/casework, bench/search). PostgreSQL
 * decides per statement whether a plan made without the parameters' values is as good as one made with them
 * (plan_cache_mode `auto`: after five executions it keeps the generic plan only if it is expected to cost no
 * more), so a statement whose best plan depends on its values is still planned with them.
 *
 * A statement is named once the process has seen its text `PREPARE_AFTER` times (a one-off statement is not
 * kept on the server); only statements with parameters and without `;` (never several commands, which a
 * prepared statement cannot hold; never a migration's DDL, which takes no parameters); at most
 * `PREPARED_PER_CONNECTION` on each connection (each holds memory on the server for as long as the connection
 * lives). A statement whose result changed shape under it (a migration run by another process: "cached plan
 * must not change result type") is never prepared again: run again at once, unprepared, outside a transaction;
 * inside one, the transaction fails that once.
 */
export const PREPARE_AFTER = 2;
export const PREPARED_PER_CONNECTION = 250;
/** How many statement texts the process remembers (and counts) at once. */
const REMEMBERED = 5000;

interface Seen {
  count: number;
  name: string | null;
  never: boolean;
}

const seen = new Map<string, Seen>();

function sightingOf(text: string): Seen {
  let sighting = seen.get(text);
  if (!sighting) {
    if (seen.size >= REMEMBERED) seen.clear();
    sighting = { count: 0, name: null, never: !preparable(text) };
    seen.set(text, sighting);
  }
  return sighting;
}

/** Statements that can be prepared: one command with parameters (never DDL, transaction control or a script). */
function preparable(text: string): boolean {
  return !text.includes(";") && /\$1\b/.test(text);
}

/** The statement's name on the server: its text's hash, so every connection names it alike. */
const nameOf = (text: string) => `foidesk_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;

// "cached plan must not change result type" (feature_not_supported, from the plan cache).
const RESULT_TYPE_CHANGED = /cached plan must not change result type/;

export class PreparingClient extends pg.Client {
  #prepared = 0;

  // biome-ignore lint/suspicious/noExplicitAny: pg.Client.query's overloads, passed through
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config !== "string" || !Array.isArray(values) || typeof callback === "function")
      return super.query(config, values, callback);
    const sighting = sightingOf(config);
    if (sighting.never) return super.query(config, values);
    sighting.count++;
    if (sighting.count < PREPARE_AFTER) return super.query(config, values);
    sighting.name ??= nameOf(config);
    const name = sighting.name;
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
