import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Sign-in throttling as one counter row per username and per address, incremented and read back by a single
// upsert, so that two processes cannot both see room for one more attempt. The table of attempts it replaces
// was counted and then appended to, which let concurrent guesses pass the limit; it held only throttling data.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table sign_in_throttle (
      kind text not null check (kind in ('username', 'address')),
      subject text not null,
      window_started timestamptz not null,
      failures int not null,
      primary key (kind, subject)
    );
    create index sign_in_throttle_stale on sign_in_throttle (window_started);
    drop table sign_in_attempts;
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
