import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Measured on 1,000,000 requests (bench/casework): the planner walked the all-teams due-date index and threw
// most rows away. Team and assignee queues get indexes in their own order (due date, then id: the page's
// order), covering the clock flag the counts read. One requester per email address, so concurrent intake
// cannot split a person's history (earlier duplicates are merged into the first record first).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    drop index requests_work_queue_by_team;
    drop index requests_work_queue_by_assignee;
    create index requests_work_queue_by_team_due on requests (team_id, due_date, id) include (clock_stopped)
      where state not in ('responded', 'withdrawn', 'lapsed', 'invalid', 'review-decided', 'decision-notice');
    create index requests_work_queue_by_assignee_due on requests (assignee_id, due_date, id) include (clock_stopped)
      where state not in ('responded', 'withdrawn', 'lapsed', 'invalid', 'review-decided', 'decision-notice');

    update requests r set requester_id = d.keep
      from (select id, min(id) over (partition by lower(email)) as keep from requesters where email is not null) d
      where r.requester_id = d.id and d.id <> d.keep;
    delete from requesters q
      using (select id, min(id) over (partition by lower(email)) as keep from requesters where email is not null) d
      where q.id = d.id and d.id <> d.keep;
    create unique index requesters_email_unique on requesters (lower(email)) where email is not null;
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
