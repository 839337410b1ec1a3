import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Work that one app process at a time should do on a schedule (publishing replies that are due): a process
// takes the job's lease for a while, and another process finds it taken. No process keeps state of its own.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table leases (
      name text primary key,
      holder text not null,
      held_until timestamptz not null
    );
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
