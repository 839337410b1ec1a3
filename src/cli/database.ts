import { type DatabaseHandle, databaseConfigFromEnv, migrateToLatest, openDatabase } from "../db/index.ts";

/**
 * Opens the configured database (DATABASE_URL, else PGlite in FOIDESK_DATA_DIR or ./data), migrated to the
 * latest schema, runs `work` and closes it whatever happens.
 */
export async function withDatabase<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(databaseConfigFromEnv());
  try {
    await migrateToLatest(handle.db);
    return await work(handle);
  } finally {
    await handle.close();
  }
}
