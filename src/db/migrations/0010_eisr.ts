import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// The Environmental Information (Scotland) Regulations 2004 as a regime of their own: a Scottish public
// authority's environmental request is recorded as 'eisr', not 'eir', so its clock, exceptions and refusal
// notice are the Scottish ones. The checks of 0001 and 0004 are replaced (their names are PostgreSQL's
// defaults for a column check); rows already recorded are unchanged.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table requests drop constraint requests_regime_check;
    alter table requests add constraint requests_regime_check
      check (regime in ('foia', 'eir', 'foisa', 'eisr', 'sar'));

    alter table published_replies drop constraint published_replies_regime_check;
    alter table published_replies add constraint published_replies_regime_check
      check (regime in ('foia', 'eir', 'foisa', 'eisr'));
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
