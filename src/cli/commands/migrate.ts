import type { Command } from "commander";
import { databaseConfigFromEnv, migrateToLatest, openDatabase } from "../../db/index.ts";

/** `foidesk migrate`: brings the configured database to the latest schema (serve also does this on start). */
export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("bring the database (DATABASE_URL, else PGlite in FOIDESK_DATA_DIR or ./data) up to date")
    .action(async () => {
      const handle = await openDatabase(databaseConfigFromEnv());
      try {
        const report = await migrateToLatest(handle.db);
        process.stdout.write(
          report.applied.length
            ? `Migrated ${handle.describe}: applied ${report.applied.join(", ")}.\n`
            : `${handle.describe} is up to date (${report.latest}).\n`,
        );
      } finally {
        await handle.close();
      }
    });
}
