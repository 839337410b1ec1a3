import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { sql } from "kysely";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "./connection.ts";
import { migrateToLatest } from "./migrate.ts";

/** The 0031 migration's sealing of older histories, for the test that runs it on such a history. */
export { sealExistingHistories } from "./migrations/0031_retention.ts";

// Test isolation: every test file gets its own database: a fresh PGlite loaded from a migrated template
// (made once per run by vitest.setup.ts), and on PostgreSQL a schema of its own, dropped afterwards.

export interface TestBackend {
  name: "pglite" | "postgres";
  open(): Promise<DatabaseHandle>;
}

export const DEFAULT_TEST_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

/** Whether a PostgreSQL server answers at `url` within a second. */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Runs `work` on a connection of its own to the server at `url`, beside the app's pool (making or dropping
 * schemas, changing a table as another process would), closed afterwards.
 */
export async function withServerClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function openPglite(): Promise<DatabaseHandle> {
  const template = process.env.FOIDESK_TEST_PGLITE_TEMPLATE;
  if (template) {
    const bytes = await readFile(template);
    return openDatabase({ kind: "pglite", loadDataDir: new Blob([bytes]) });
  }
  const handle = await openDatabase({ kind: "pglite" });
  await migrateToLatest(handle.db);
  return handle;
}

async function openPostgresSchema(url: string): Promise<DatabaseHandle> {
  const schema = `test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = await openDatabase({ kind: "postgres", url, schema, poolSize: 5 });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    close: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(handle.db).catch(() => {});
      await handle.close();
    },
  };
}

/** PGlite always; PostgreSQL too when vitest.setup.ts found one answering (FOIDESK_TEST_POSTGRES_URL). */
export function testBackends(): TestBackend[] {
  const backends: TestBackend[] = [{ name: "pglite", open: openPglite }];
  const url = process.env.FOIDESK_TEST_POSTGRES_URL;
  if (url) backends.push({ name: "postgres", open: () => openPostgresSchema(url) });
  return backends;
}

/** Migration 0042 on its own, for the test that it seals secrets stored before it in plain text. */
export { up as sealTotpSecrets } from "./migrations/0042_sealed_totp_secrets.ts";
