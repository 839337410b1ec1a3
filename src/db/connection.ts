import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
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

/** DATABASE_URL selects a PostgreSQL server; otherwise embedded PGlite in FOIDESK_DATA_DIR or ./data. */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  if (env.DATABASE_URL)
    return {
      kind: "postgres",
      url: env.DATABASE_URL,
      ...(env.DATABASE_PREPARE === "off" ? { prepare: false } : {}),
    };
  return { kind: "pglite", dataDir: env.FOIDESK_DATA_DIR ?? "data" };
}

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.kind === "postgres") {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolSize ?? 10,
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
