import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// The intake team: the team a new request joins when nobody chose one (requests from the public site, the API
// and email), so that it shows in that team's work queue. Unset: such requests belong to no team.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table authority add column intake_team_id int references teams (id) on delete set null;
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
