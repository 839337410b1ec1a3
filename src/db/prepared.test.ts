import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "./connection.ts";
import { PREPARED, PREPARED_PER_CONNECTION } from "./prepared.ts";
import { withServerClient } from "./testing.ts";

// Statements marked for it are prepared on their connection; no other is (a generic plan made a filtered search
// ten times slower, bench/search). What a user would notice if it went wrong: a wrong or failed answer, or a
// slow one, so every test checks the answers as well as what the server holds.
const mark = sql.raw(PREPARED);
const url = process.env.FOIDESK_TEST_POSTGRES_URL;

const admin = <T>(work: (client: pg.Client) => Promise<T>) => withServerClient(url!, work);

describe.runIf(url)("statements prepared on a PostgreSQL connection", () => {
  const schema = `prepared_${process.pid}_${randomBytes(4).toString("hex")}`;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    await admin(async (client) => {
      await client.query(`create schema ${schema}`);
      await client.query(`create table ${schema}.things (id int primary key, name text not null)`);
      await client.query(
        `insert into ${schema}.things select i, 'thing ' || i from generate_series(1, 50) i`,
      );
    });
    // One connection, so that what one statement prepared is there for the next to see.
    handle = await openDatabase({ kind: "postgres", url: url!, schema, poolSize: 1 });
  });
  afterAll(async () => {
    await handle?.close();
    await admin((client) => client.query(`drop schema if exists ${schema} cascade`));
  });

  const preparedTexts = async () =>
    (
      await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(handle.db)
    ).rows.map((row) => row.statement);

  it("prepares a marked statement on its connection, and answers as before", async () => {
    const name = (id: number) =>
      sql<{ name: string }>`select ${mark} name from things where id = ${id}`.execute(handle.db);
    for (let id = 1; id <= 8; id++) expect((await name(id)).rows).toEqual([{ name: `thing ${id}` }]);
    expect(await preparedTexts()).toContain(`select ${PREPARED} name from things where id = $1`);
    // Planned with each run's values, never once for all (a generic plan made the work queue 430 ms).
    const { rows } = await sql<{ generic_plans: number; custom_plans: number }>`
      select generic_plans::int, custom_plans::int from pg_prepared_statements where statement like ${"%name from things%"}`.execute(
      handle.db,
    );
    // (PostgreSQL's own choice, `auto`, takes a generic plan for this one from the sixth run.)
    expect(rows).toHaveLength(1);
    expect(rows[0]!.generic_plans).toBe(0);
    expect(rows[0]!.custom_plans).toBeGreaterThanOrEqual(6);
  });

  it("never prepares a statement that is not marked, or holds several commands, however often it runs", async () => {
    for (let i = 0; i < 8; i++) {
      expect(
        (await sql<{ name: string }>`select name from things where id = ${i + 1}`.execute(handle.db)).rows,
      ).toEqual([{ name: `thing ${i + 1}` }]);
      await sql`select ${mark} 1; select 2`.execute(handle.db);
    }
    const texts = await preparedTexts();
    expect(texts).not.toContain("select name from things where id = $1");
    expect(texts.some((text) => text.includes("select 2"))).toBe(false);
  });

  it("answers with the new shape after another process changes the table, outside a transaction", async () => {
    const all = () =>
      sql<Record<string, unknown>>`select ${mark} * from things where id = ${3}`.execute(handle.db);
    for (let i = 0; i < 3; i++) expect((await all()).rows).toEqual([{ id: 3, name: "thing 3" }]);
    expect(await preparedTexts()).toContain(`select ${PREPARED} * from things where id = $1`);
    await admin((client) =>
      client.query(`alter table ${schema}.things add column colour text default 'red'`),
    );
    expect((await all()).rows).toEqual([{ id: 3, name: "thing 3", colour: "red" }]);
    expect((await all()).rows).toEqual([{ id: 3, name: "thing 3", colour: "red" }]);
  });

  it("keeps at most its limit of statements on a connection, and still answers the rest", async () => {
    const distinct = (i: number) =>
      sql<{ n: number }>`select ${mark} ${sql.lit(i)}::int + ${1}::int as n`.execute(handle.db);
    for (let i = 0; i < PREPARED_PER_CONNECTION + 20; i++)
      expect((await distinct(i)).rows).toEqual([{ n: i + 1 }]);
    expect((await preparedTexts()).length).toBe(PREPARED_PER_CONNECTION);
  });
});
