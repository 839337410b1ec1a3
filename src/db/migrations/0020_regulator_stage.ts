import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// The regulator stage's deadlines share the request row's due date (the work queue sorts on it): what the
// due date is for, so that a decision notice's compliance date falls overdue and an appeal window only closes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table requests add column due_kind text
      check (due_kind in ('reply', 'review', 'compliance', 'appeal'));
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
