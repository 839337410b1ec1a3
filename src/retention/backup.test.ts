import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { loadDemoData } from "../demo/index.ts";
import { verifyAuditChain } from "../requests/index.ts";
import { localFolderStore, memoryFileStore } from "../storage/index.ts";
import { restoreBackup, writeBackup } from "./backup.ts";

const now = new Date("2026-03-10T10:00:00Z");

/** What a person would check after a restore: the requests, documents, published replies and the history. */
async function holdings(handle: DatabaseHandle) {
  const { rows } = await sql<{ requests: number; documents: number; published: number; names: string }>`
    select (select count(*) from requests) as requests, (select count(*) from documents) as documents,
      (select count(*) from published_replies where withdrawn_at is null) as published,
      (select string_agg(reference || ':' || state, ',' order by reference) from requests) as names
  `.execute(handle.db);
  return { ...rows[0], audit: await verifyAuditChain(handle.db) };
}

describe.each(testBackends())("backup and restore on $name", (backend) => {
  let handle: DatabaseHandle;
  const files = memoryFileStore(() => now);
  let folder: string;
  const cleanUps: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    handle = await backend.open();
    folder = await mkdtemp(join(tmpdir(), "foidesk-backup-"));
    await loadDemoData(handle.db, now, files);
  });
  afterAll(async () => {
    for (const cleanUp of cleanUps) await cleanUp();
    await handle.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("restores into fresh folders the same requests, documents, published replies and a passing audit", async () => {
    const before = await holdings(handle);
    expect(before.requests).toBeGreaterThan(5);
    expect(before.documents).toBeGreaterThan(0);
    expect(before.published).toBeGreaterThan(0);
    expect(before.audit).toMatchObject({ ok: true });
    const { zip, manifest } = await writeBackup(handle, files, now);
    expect(manifest).toMatchObject({ format: 1, files: files.size, requests: before.requests });

    const target = { dataDir: join(folder, "data"), filesDir: join(folder, "files") };
    let restored: DatabaseHandle;
    if (backend.name === "pglite") {
      expect((await restoreBackup(zip, target)).files).toBe(files.size);
      restored = await openDatabase({ kind: "pglite", dataDir: target.dataDir });
    } else {
      // PostgreSQL: the database comes from pg_dump's custom format, the files from the backup.
      const url = process.env.FOIDESK_TEST_POSTGRES_URL!;
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db);
      const schema = rows[0]!.schema;
      const dump = join(folder, "db.dump");
      await promisify(execFile)("pg_dump", ["-Fc", `--schema=${schema}`, `--file=${dump}`, url]);
      const database = `foidesk_restore_${randomBytes(4).toString("hex")}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create database ${database}`);
      await admin.end();
      cleanUps.push(async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`drop database if exists ${database} with (force)`);
        await client.end();
      });
      const restoredUrl = new URL(url);
      restoredUrl.pathname = `/${database}`;
      await restoreBackup(zip, { filesDir: target.filesDir, databaseUrl: restoredUrl.href, pgDump: dump });
      restored = await openDatabase({ kind: "postgres", url: restoredUrl.href, schema, poolSize: 2 });
    }
    try {
      expect(await holdings(restored)).toEqual(before);
      const document = await restored.db
        .selectFrom("documents")
        .select("storage_key")
        .executeTakeFirstOrThrow();
      expect(Buffer.from(await localFolderStore(target.filesDir).get(document.storage_key))).toEqual(
        Buffer.from(await files.get(document.storage_key)),
      );
    } finally {
      await restored.close();
    }
    // Never over live data.
    await expect(restoreBackup(zip, target)).rejects.toMatchObject({ code: "conflict" });
    await expect(restoreBackup(new Uint8Array([1, 2, 3]), target)).rejects.toMatchObject({ code: "invalid" });
  });
});
