import { type Kysely, sql } from "kysely";

/**
 * Runs a migration written as one SQL script. PGlite prepares each query, and a prepared statement holds
 * one command, so the script is split at each `;` that ends a line (migrations put none inside a string).
 */
export async function runScript(db: Kysely<unknown>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0 && !/^(--[^\n]*\n?)+$/.test(statement));
  for (const statement of statements) await sql.raw(statement).execute(db);
}
