import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "./connection.ts";
import { migrateToLatest } from "./migrate.ts";
import { testBackends } from "./testing.ts";

describe.each(testBackends())("database on $name", (backend) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await backend.open();
  });
  afterAll(async () => handle?.close());

  it("is migrated to the latest schema, and migrating again applies nothing", async () => {
    const report = await migrateToLatest(handle.db);
    expect(report.applied).toEqual([]);
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
      handle.db,
    );
    expect(tables.rows.map((row) => row.name)).toEqual(
      expect.arrayContaining(["requests", "request_events"]),
    );
  });

  it("returns dates as ISO text and counts as numbers, whatever the backend", async () => {
    const result = await sql<{ day: string; count: number }>`
      select date '2022-12-01' as day, count(*) as count from generate_series(1, 3)`.execute(handle.db);
    expect(result.rows[0]).toEqual({ day: "2022-12-01", count: 3 });
  });

  it("keeps each test file's rows apart from every other's", async () => {
    const rows = await handle.db.selectFrom("teams").selectAll().execute();
    expect(rows).toEqual([]);
  });
});

describe.each(testBackends())("two databases at once on $name", (backend) => {
  it("migrates a second database while the first is open (each keeps its own migration bookkeeping)", async () => {
    const first = await backend.open();
    const second = await backend.open();
    try {
      expect((await migrateToLatest(second.db)).applied).toEqual([]);
      await second.db.insertInto("teams").values({ name: "Only in the second" }).execute();
      expect(await first.db.selectFrom("teams").selectAll().execute()).toEqual([]);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
