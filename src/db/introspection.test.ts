import { randomBytes } from "node:crypto";
import type pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "./connection.ts";
import { migrateToLatest } from "./migrate.ts";
import { withServerClient } from "./testing.ts";

// CI once failed because a test's CLI command could not migrate: "schema durable_… does not exist", naming a
// schema another test run had just dropped. The migrator looked at every schema on the shared server.
const url = process.env.FOIDESK_TEST_POSTGRES_URL;

const admin = <T>(work: (client: pg.Client) => Promise<T>) => withServerClient(url!, work);

describe.runIf(url)("migrating one authority's schema on a shared PostgreSQL server", () => {
  const made: string[] = [];
  const fresh = async (prefix: string) => {
    const schema = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
    await admin((client) => client.query(`create schema ${schema}`));
    made.push(schema);
    return schema;
  };
  afterAll(() =>
    admin(async (client) => {
      for (const schema of made) await client.query(`drop schema if exists ${schema} cascade`);
    }),
  );

  it("sees only its own schema's tables", async () => {
    const other = await fresh("introspect_other");
    await admin((client) => client.query(`create table ${other}.elsewhere (id int)`));
    const handle = await openDatabase({ kind: "postgres", url: url!, schema: await fresh("introspect_own") });
    try {
      await migrateToLatest(handle.db);
      const tables = await handle.db.introspection.getTables({ withInternalKyselyTables: true });
      expect(tables.map((table) => table.name)).toContain("requests");
      expect(tables.map((table) => table.name)).toContain("kysely_migration");
      expect(tables.map((table) => table.name)).not.toContain("elsewhere");
      const requests = tables.find((table) => table.name === "requests")!;
      expect(requests.columns.find((column) => column.name === "id")).toMatchObject({
        isAutoIncrementing: true,
        isNullable: false,
      });
    } finally {
      await handle.close();
    }
  });

  it("migrates while other schemas on the server are being created and dropped", async () => {
    let churning = true;
    const churn = admin(async (client) => {
      let rounds = 0;
      while (churning || rounds < 20) {
        const schema = `introspect_churn_${process.pid}_${rounds++}`;
        await client.query(`create schema ${schema}; create table ${schema}.t (id int)`);
        await client.query(`drop schema ${schema} cascade`);
      }
      return rounds;
    });
    const handles: DatabaseHandle[] = [];
    try {
      for (let round = 0; round < 4; round++) {
        const handle = await openDatabase({
          kind: "postgres",
          url: url!,
          schema: await fresh("introspect_mig"),
        });
        handles.push(handle);
        await migrateToLatest(handle.db);
        // Up to date: a second run applies nothing.
        expect((await migrateToLatest(handle.db)).applied).toEqual([]);
      }
    } finally {
      churning = false;
      expect(await churn).toBeGreaterThanOrEqual(20);
      for (const handle of handles) await handle.close();
    }
  });
});
