import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// When each staff session was last used, so that an idle one ends (users/sessions.ts). Sessions from before
// this migration count as last used when they began: one left open since then signs in again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table sessions add column last_seen_at timestamptz;
    update sessions set last_seen_at = created_at;
    alter table sessions alter column last_seen_at set not null;
    alter table sessions alter column last_seen_at set default now();
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
