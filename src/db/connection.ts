import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { wholeNumberFromEnv } from "../env.ts";
import { SchemaScopedPostgresDialect } from "./introspection.ts";
import { PreparingClient } from "./prepared.ts";
import type { Database } from "./schema.ts";

// Both backends return `date` as its ISO text and `bigint` (counts) as a number, so that rows look the same
// whichever database is behind them.
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const parsers = {
  [DATE_OID]: (value: string) => value,
  [INT8_OID]: (value: string) => Number(value),
  [NUMERIC_OID]: (value: string) => Number(value),
};

export type DatabaseConfig =
  | {
      kind: "postgres";
      url: string;
      schema?: string;
      poolSize?: number;
      /** Prepare statements run often (prepared.ts); off behind a pooler that cannot keep them. Default on. */
      prepare?: boolean;
    }
  | { kind: "pglite"; dataDir?: string; loadDataDir?: Blob };

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: "postgres" | "pglite";
  /** A description safe to print: never the password. */
  describe: string;
  /** The embedded database itself, for a dump of its data directory (PGlite only). */
  pglite?: PGlite;
  close(): Promise<void>;
}

/**
 * How many connections an app process keeps to a PostgreSQL server when DATABASE_POOL_SIZE does not say: twice
 * the machine's cores, shared between its app processes (`of`, WEB_CONCURRENCY), at least 2 each. A statement
 * waiting for a connection costs nothing; one running beside more others than there are cores shares them and
 * holds its locks and buffers meanwhile, so a pool larger than the cores can serve makes each search slower,
 * not more of them (bench/search, 10 callers at 100,000 replies on 2 cores: pool 10 against 4 in the README).
 */
export function defaultPoolSize(processes = 1, cores = availableParallelism()): number {
  return Math.max(2, Math.round((2 * cores) / Math.max(1, processes)));
}

/** DATABASE_POOL_SIZE, when set (not empty): connections per app process, 1 to 1,000. */
function poolSizeFromEnv(env: NodeJS.ProcessEnv, processes: number): number {
  const set = env.DATABASE_POOL_SIZE ? env : { ...env, DATABASE_POOL_SIZE: undefined };
  return wholeNumberFromEnv(set, "DATABASE_POOL_SIZE", defaultPoolSize(processes), {
    min: 1,
    max: 1000,
    unit: "connections",
  });
}

/**
 * DATABASE_URL selects a PostgreSQL server; otherwise embedded PGlite in FOIDESK_DATA_DIR or ./data.
 * `processes`: how many app processes share the server (each opens its own pool).
 */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env, processes = 1): DatabaseConfig {
  if (env.DATABASE_URL)
    return {
      kind: "postgres",
      url: env.DATABASE_URL,
      poolSize: poolSizeFromEnv(env, processes),
      ...(env.DATABASE_PREPARE === "off" ? { prepare: false } : {}),
    };
  return { kind: "pglite", dataDir: env.FOIDESK_DATA_DIR ?? "data" };
}

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.kind === "postgres") {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolSize ?? defaultPoolSize(),
      ...(config.prepare === false ? {} : { Client: PreparingClient }),
      ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          parsers[oid as keyof typeof parsers] ??
          pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // Prepared statements are planned with each run's values (prepared.ts); unnamed ones always are.
    // (A connection that could not be set prepares nothing; its error, if it is broken, comes with its next use.)
    if (config.prepare !== false)
      pool.on("connect", (client) => {
        (client as unknown as PreparingClient).planEachRun().catch(() => {});
      });
    const db = new Kysely<Database>({ dialect: new SchemaScopedPostgresDialect({ pool }) });
    const url = new URL(config.url);
    return {
      db,
      kind: "postgres",
      describe: `PostgreSQL ${url.host}${url.pathname}${config.schema ? ` (schema ${config.schema})` : ""}`,
      close: () => db.destroy(),
    };
  }
  const dataDir = config.dataDir;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(config.loadDataDir ? { loadDataDir: config.loadDataDir } : {}),
    parsers,
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: "pglite",
    describe: dataDir ? `embedded PGlite in ${dataDir}` : "embedded PGlite in memory",
    pglite: client,
    close: () => db.destroy(),
  };
}
