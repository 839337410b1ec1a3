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

/** Runs `work` holding the lease `name` (given back afterwards), or returns null when another holder has it. */
export async function withLease<T>(
  db: Kysely<Database>,
  lease: { name: string; holder: string; now: Date; forMs: number },
  work: () => Promise<T>,
): Promise<T | null> {
  if (!(await takeLease(db, lease.name, lease.holder, lease.now, lease.forMs))) return null;
  try {
    return await work();
  } finally {
    await giveBackLease(db, lease.name, lease.holder);
  }
}

export interface RepeatedJob {
  /** Resolves when the run in progress (if any) has finished. */
  stop(): Promise<void>;
}

/** Runs `job` now and every `everyMs`, skipping a tick while the last run still goes; `job` handles its errors. */
export function repeatJob(job: () => Promise<void>, everyMs: number): RepeatedJob {
  let running: Promise<void> | null = null;
  const run = () => {
    if (running) return;
    running = job().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  run();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** Where a repeated job reports (the app's logger): references only, never a requester's details. */
export interface JobLog {
  info(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}
