import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// The work queue's indexes again, for the open states as they are now (requests/workflow.ts closedStates):
// since 0020 a decision notice opens the regulator stage (so it is no longer closed) and tribunal-decided and
// regulator-closed close a request. The old indexes left out decision-notice rows, so their predicate no
// longer followed from the queue's `state not in (…)` and PostgreSQL read the whole table for every queue
// (bench/casework: ~130 ms a page at 100,000 requests, twice a page). The key is the queue's order (due date,
// none last, then id), so a page is a range of the index from where the last one stopped (keyset); they cover
// what the queue filters and counts on, so a page's ids and the counts are read from the index alone.
// A test (requests/work-queue.test.ts) keeps these predicates and closedStates the same.
const open = `state not in ('responded', 'withdrawn', 'lapsed', 'invalid', 'review-decided', 'tribunal-decided', 'regulator-closed')`;
const order = "(coalesce(due_date, 'infinity'::date)), id";
const covered = "include (due_date, clock_stopped, due_kind, regime, state)";

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    drop index requests_work_queue_by_team_due;
    drop index requests_work_queue_by_assignee_due;
    drop index requests_work_queue_open_by_due;
    create index requests_work_queue_by_team_due on requests (team_id, ${order}) ${covered} where ${open};
    create index requests_work_queue_by_assignee_due on requests (assignee_id, ${order}) ${covered} where ${open};
    create index requests_work_queue_open_by_due on requests (${order}) ${covered} where ${open};
    analyze requests;
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
