import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { closedStates, createRequest, type QueueCursor, workQueue } from "./index.ts";

// The work queue's paging and its indexes: "next" and "previous" read on from a row (keyset), and every
// request shows once, in the queue's order, whichever way a person pages.

/** The queue as the system sees it: every request, subject access included. */
const everyone = { userId: null, label: "test", role: "system" as const };
const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const today = at("2024-03-01");

describe.each(testBackends())("the work queue on $name", (backend) => {
  let handle: DatabaseHandle;
  let team: number;
  beforeAll(async () => {
    handle = await backend.open();
    await handle.db.insertInto("authority").values({ name: "Test Council" }).execute();
    team = (
      await handle.db.insertInto("teams").values({ name: "Queue" }).returning("id").executeTakeFirstOrThrow()
    ).id;
    // 23 requests over 6 days: several share a due date (the id breaks the tie), and two have none.
    for (let index = 0; index < 23; index++) {
      const received = `2024-02-${String(5 + (index % 6)).padStart(2, "0")}`;
      await createRequest(
        handle.db,
        {
          regime: index % 5 === 0 ? "eir" : "foia",
          channel: "email",
          receivedDate: received,
          body: `Question number ${index} about the library opening hours`,
          requester: { name: "Pat Reader", email: `pat${index}@example.org` },
          teamId: team,
        },
        everyone,
        at(received),
      );
    }
    const ids = (await handle.db.selectFrom("requests").select("id").orderBy("id").execute()).map(
      (row) => row.id,
    );
    await handle.db
      .updateTable("requests")
      .set({ due_date: null })
      .where("id", "in", [ids[3]!, ids[17]!])
      .execute();
  });
  afterAll(async () => handle?.close());

  const page = (options: { page?: number; after?: QueueCursor; before?: QueueCursor }) =>
    workQueue(handle.db, { teamId: team, pageSize: 5, ...options }, today, everyone);

  it("keeps its indexes' open states the same as the queue's", async () => {
    // A partial index whose predicate the queue's `state not in (…)` does not imply is never used: the queue
    // then reads the whole table (it did, after decision-notice stopped being closed; migration 0048).
    const { rows } = await sql<{ name: string; definition: string }>`
      select indexname as name, indexdef as definition from pg_indexes
      where tablename = 'requests' and indexname like 'requests_work_queue%'
        and schemaname = current_schema()`.execute(handle.db);
    expect(rows.map((row) => row.name).sort()).toEqual([
      "requests_work_queue_by_assignee_due",
      "requests_work_queue_by_team_due",
      "requests_work_queue_open_by_due",
    ]);
    for (const row of rows) {
      const predicate = row.definition.slice(row.definition.indexOf(" WHERE "));
      const states = [...predicate.matchAll(/'([a-z-]+)'::text/g)].map((match) => match[1]).sort();
      expect(states, row.name).toEqual([...closedStates].sort());
    }
  });

  it("pages forward from each page's last row: every request once, in the queue's order", async () => {
    const whole = await workQueue(handle.db, { teamId: team, pageSize: 100 }, today, everyone);
    expect(whole.rows).toHaveLength(23);
    // Soonest due first, none last, the id breaking ties.
    const key = (row: { due_date: string | null; id: number }) =>
      [row.due_date ?? "9999-12-31", row.id] as const;
    const sorted = [...whole.rows].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1];
    });
    expect(whole.rows.map((row) => row.id)).toEqual(sorted.map((row) => row.id));
    expect(whole.rows.slice(-2).map((row) => row.due_date)).toEqual([null, null]);

    const seen: number[] = [];
    let current = await page({});
    expect(current.previous).toBeNull();
    for (let number = 1; ; number++) {
      expect(current.page).toBe(number);
      // The same rows as asking for the page by its number.
      expect(current.rows.map((row) => row.id)).toEqual(
        (await page({ page: number })).rows.map((row) => row.id),
      );
      seen.push(...current.rows.map((row) => row.id));
      if (!current.next) break;
      expect(current.next).toEqual({ dueDate: current.rows.at(-1)!.due_date, id: current.rows.at(-1)!.id });
      current = await page({ page: number + 1, after: current.next });
      expect(current.previous).not.toBeNull();
    }
    expect(current.page).toBe(5);
    expect(current.rows).toHaveLength(3);
    expect(seen).toEqual(whole.rows.map((row) => row.id));
  });

  it("pages back from each page's first row to the first page", async () => {
    const whole = (await workQueue(handle.db, { teamId: team, pageSize: 100 }, today, everyone)).rows;
    const last = whole.at(-1)!;
    // From past the end (a cursor just after the last row) back to the start, five at a time.
    const seen: number[][] = [];
    let current = await page({ page: 6, before: { dueDate: null, id: last.id + 1 } });
    for (;;) {
      seen.unshift(current.rows.map((row) => row.id));
      expect(current.next).not.toBeNull();
      if (!current.previous) break;
      current = await page({ page: current.page - 1, before: current.previous });
    }
    expect(seen.flat()).toEqual(whole.map((row) => row.id));
    expect(seen.map((ids) => ids.length)).toEqual([3, 5, 5, 5, 5]);
  });

  it("shows the page by its number when nothing is left past its cursor", async () => {
    // The link's cursor was the last row, since closed: "next" from it would be empty.
    const whole = (await workQueue(handle.db, { teamId: team, pageSize: 100 }, today, everyone)).rows;
    const past = await page({ page: 2, after: { dueDate: null, id: whole.at(-1)!.id + 1 } });
    expect(past.rows.map((row) => row.id)).toEqual(whole.slice(5, 10).map((row) => row.id));
    expect(past.previous).not.toBeNull();
    expect(past.next).not.toBeNull();
  });

  it("keeps filters and counts when paging from a cursor", async () => {
    const eir = await workQueue(handle.db, { teamId: team, regime: "eir", pageSize: 2 }, today, everyone);
    expect(eir.total).toBe(5);
    const rest = await workQueue(
      handle.db,
      { teamId: team, regime: "eir", pageSize: 10, page: 2, after: eir.next! },
      today,
      everyone,
    );
    expect(rest.rows.map((row) => row.regime)).toEqual(["eir", "eir", "eir"]);
    expect(rest.counts).toEqual(eir.counts);
    expect(rest.next).toBeNull();
  });
});
