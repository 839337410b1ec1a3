import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Kysely } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Database, migrateToLatest, openDatabase } from "../../db/index.ts";
import { addDocument, createRequest } from "../../requests/index.ts";
import { localFolderStore } from "../../storage/index.ts";
import { postgresSchemaStore, withSearchPath } from "../serve-process.ts";
import { runCli } from "../testing.ts";
import { startServer } from "./serve.ts";

const actor = { userId: null, label: "Post room", role: "officer" as const };
const now = new Date("2024-05-01T09:00:00Z");
/** When the backups are taken: the server's clock and the command's. */
const backedUpAt = new Date("2024-05-02T18:00:00Z");
const foidesk = (argv: string[]) => runCli(argv, { now: () => backedUpAt });

/** Two requests, each with a document in `<live>/files`; gives back the first document's storage key. */
async function loadRequests(db: Kysely<Database>, live: string): Promise<string> {
  await migrateToLatest(db);
  await db.insertInto("authority").values({ name: "Backup Council" }).execute();
  for (const body of ["Bin rounds?", "Street lights?"]) {
    const created = await createRequest(
      db,
      {
        regime: "foia",
        channel: "post",
        receivedDate: "2024-05-01",
        body,
        requester: { name: "A", address: "1 High St" },
      },
      actor,
      now,
    );
    await addDocument(
      db,
      localFolderStore(join(live, "files")),
      created.id,
      { filename: "letter.txt", bytes: new TextEncoder().encode(body) },
      actor,
      now,
    );
  }
  return (await db.selectFrom("documents").select("storage_key").executeTakeFirstOrThrow()).storage_key;
}

/** `foidesk restore …` restores both requests and their files into `fresh`, and the history verifies. */
async function expectRestored(restore: string[], fresh: string, documentKey: string): Promise<void> {
  const restored = await foidesk(restore);
  expect(restored.stderr).toBe("");
  expect(restored.stdout).toMatch(/^Restored the backup of 2024-05-02T18:00:00\.000Z: 2 requests, 2 files\./);
  expect(await foidesk(["audit", "verify"])).toMatchObject({
    code: 0,
    stdout: "History intact: 4 events on 2 requests.\n",
  });
  expect(new TextDecoder().decode(await localFolderStore(join(fresh, "files")).get(documentKey))).toBe(
    "Bin rounds?",
  );
}

describe("foidesk backup and foidesk restore", () => {
  let folder: string;
  let live: string;
  let documentKey = "";
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "foidesk-backup-cli-"));
    live = join(folder, "live");
    vi.stubEnv("DATABASE_URL", "");
    const handle = await openDatabase({ kind: "pglite", dataDir: live });
    documentKey = await loadRequests(handle.db, live);
    await handle.close();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(folder, { recursive: true, force: true });
  });

  it("takes a backup from the running server, and restores it into a fresh folder whose history verifies", async () => {
    vi.stubEnv("FOIDESK_DATA_DIR", live);
    const spy = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const server = await startServer(
      { port: 0, host: "127.0.0.1", demo: false, now: () => backedUpAt },
      {
        ...process.env,
        BASE_URL: "http://127.0.0.1",
        PUBLISH_DUE_EVERY_MINUTES: "0",
        RETENTION_EVERY_HOURS: "0",
      },
    ).finally(() => spy.mockRestore());
    const out = join(folder, "backup.zip");
    try {
      const backup = await foidesk(["backup", "--out", out]);
      expect(backup).toMatchObject({
        code: 0,
        stdout: `The running server (pid ${process.pid}) wrote ${out}.\n`,
      });
    } finally {
      await server.stop();
    }

    const fresh = join(folder, "restored");
    vi.stubEnv("FOIDESK_DATA_DIR", fresh);
    await expectRestored(["restore", out], fresh, documentKey);
    expect((await foidesk(["restore", out])).code).toBe(3);

    // With the server stopped, the command takes the snapshot itself.
    vi.stubEnv("FOIDESK_DATA_DIR", live);
    const again = await foidesk(["backup", "--out", join(folder, "again.zip")]);
    expect(again.stdout).toContain("2 requests, 4 events, 2 files.");
  });
});

// On a PostgreSQL server the database is PostgreSQL's to back up (pg_dump); `foidesk backup` takes the files,
// and `foidesk restore --pg-dump` puts both back into an empty database and an empty folder.
const postgresUrl = process.env.FOIDESK_TEST_POSTGRES_URL;
describe.skipIf(!postgresUrl)("foidesk backup and foidesk restore on PostgreSQL", () => {
  let folder: string;
  const cleanUps: (() => Promise<void>)[] = [];
  afterAll(async () => {
    vi.unstubAllEnvs();
    for (const cleanUp of cleanUps.reverse()) await cleanUp();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("backs up the files, restores them with the database's dump into an empty database, and the history verifies", async () => {
    folder = await mkdtemp(join(tmpdir(), "foidesk-backup-pg-cli-"));
    const live = join(folder, "live");
    const store = await postgresSchemaStore(postgresUrl!, live);
    cleanUps.push(() => store.drop());
    const handle = await store.open();
    const documentKey = await loadRequests(handle.db, live).finally(() => handle.close());

    vi.stubEnv("DATABASE_URL", store.databaseUrl);
    vi.stubEnv("FOIDESK_DATA_DIR", live);
    const out = join(folder, "files.zip");
    const backup = await foidesk(["backup", "--out", out]);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain("The PostgreSQL database is not in it: back it up with pg_dump -Fc");
    const dump = join(folder, "db.dump");
    await promisify(execFile)("pg_dump", ["-Fc", `--schema=${store.schema}`, `--file=${dump}`, postgresUrl!]);

    const database = `foidesk_restore_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    cleanUps.push(async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop database if exists ${database} with (force)`);
      await client.end();
    });
    const restoredUrl = new URL(postgresUrl!);
    restoredUrl.pathname = `/${database}`;
    const fresh = join(folder, "restored");
    vi.stubEnv("DATABASE_URL", withSearchPath(restoredUrl.href, store.schema!));
    vi.stubEnv("FOIDESK_DATA_DIR", fresh);
    await expectRestored(["restore", out, "--pg-dump", dump], fresh, documentKey);
  });
});
