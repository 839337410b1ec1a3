import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

// A named lease in the database (migration 0009): whichever process takes it does the job; the others, on
// any machine, find it taken until it is given back or runs out (a process that died gives nothing back).

/** Takes the lease `name` until `now + forMs`, if nobody holds it; true when this holder has it. */
export async function takeLease(
  db: Kysely<Database>,
  name: string,
  holder: string,
  now: Date,
  forMs: number,
): Promise<boolean> {
  const until = new Date(now.getTime() + forMs);
  const { rows } = await sql<{ holder: string }>`
    insert into leases (name, holder, held_until) values (${name}, ${holder}, ${until})
    on conflict (name) do update set holder = excluded.holder, held_until = excluded.held_until
      where leases.held_until <= ${now} or leases.holder = excluded.holder
    returning holder
  `.execute(db);
  return rows.length === 1;
}

/** Gives the lease back (only if this holder has it), so the next run need not wait for it to run out. */
export async function giveBackLease(db: Kysely<Database>, name: string, holder: string): Promise<void> {
  await db.deleteFrom("leases").where("name", "=", name).where("holder", "=", holder).execute();
}
