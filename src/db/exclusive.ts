import { sql, type Transaction } from "kysely";
import type { DatabaseHandle } from "./connection.ts";
import type { Database } from "./schema.ts";

// One process at a time for work that must happen once, such as a first run's demo load: on PostgreSQL a
// session advisory lock, named for the schema so that each authority (and each test) on one server has its own;
// the others wait for it, then find the work done. An embedded PGlite folder is opened by one process only,
// so nothing can race there.

/** Runs `work` while holding the database-wide lock `name`; other processes asking for it wait. */
export async function whileExclusive<T>(
  handle: DatabaseHandle,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  if (handle.kind !== "postgres") return work();
  // The lock belongs to one connection, held for the whole of `work`; `work` itself uses the pool's others.
  return handle.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${lockKey(name)})`.execute(connection);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${lockKey(name)})`.execute(connection);
    }
  });
}

/** An advisory lock's key: the name within this schema (each authority, and each test, has its own). */
const lockKey = (name: string) => sql`hashtextextended(${`foidesk:${name}:`} || current_schema(), 0)`;

/**
 * Takes the lock `name` until `trx` ends: another transaction asking for it waits until this one has
 * committed, then sees what it wrote.
 */
export async function lockForTransaction(trx: Transaction<Database>, name: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${lockKey(name)})`.execute(trx);
}
