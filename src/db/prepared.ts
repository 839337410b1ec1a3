import { createHash } from "node:crypto";
import pg from "pg";

/**
 * A PostgreSQL connection that prepares the statements marked for it (a named statement, parsed and planned
 * once per connection), so the server can reuse a plan instead of making one each time. Only marked ones: a plan
 * made without the parameters' values can be far worse than one made with them (bench/search: PostgreSQL's
 * `auto` plan cache took a generic plan for a filtered search after five runs, 6-8 ms became 80-115 ms), so a
 * statement is marked (`PREPARED`, in its text) only where one plan suits every value and that was measured.
 *
 * Never a statement holding several commands (`;`), which cannot be prepared; at most
 * `PREPARED_PER_CONNECTION` on each connection (each holds memory on the server for as long as the connection
 * lives). A statement whose result changed shape under it (a migration run by another process: "cached plan
 * must not change result type") is never prepared again: run again at once, unprepared, outside a transaction;
 * inside one, the transaction fails that once.
 */
export const PREPARED = "/* prepared */";
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

  // biome-ignore lint/suspicious/noExplicitAny: pg.Client.query's overloads, passed through
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config !== "string" || !Array.isArray(values) || typeof callback === "function")
      return super.query(config, values, callback);
    if (!config.includes(PREPARED)) return super.query(config, values);
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
