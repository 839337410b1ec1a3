import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateToLatest, openDatabase } from "../../db/index.ts";
import { addDocument, createRequest } from "../../requests/index.ts";
import { localFolderStore } from "../../storage/index.ts";
import { runCli } from "../testing.ts";
import { startServer } from "./serve.ts";

const actor = { userId: null, label: "Post room", role: "officer" as const };
const now = new Date("2024-05-01T09:00:00Z");

describe("foidesk backup and foidesk restore", () => {
  let folder: string;
  let live: string;
  let documentKey = "";
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "foidesk-backup-cli-"));
    live = join(folder, "live");
    vi.stubEnv("DATABASE_URL", "");
    const handle = await openDatabase({ kind: "pglite", dataDir: live });
    await migrateToLatest(handle.db);
    await handle.db.insertInto("authority").values({ name: "Backup Council" }).execute();
    for (const body of ["Bin rounds?", "Street lights?"]) {
      const created = await createRequest(
        handle.db,
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
        handle.db,
        localFolderStore(join(live, "files")),
        created.id,
        { filename: "letter.txt", bytes: new TextEncoder().encode(body) },
        actor,
        now,
      );
    }
    documentKey = (await handle.db.selectFrom("documents").select("storage_key").executeTakeFirstOrThrow())
      .storage_key;
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
      { port: 0, host: "127.0.0.1", demo: false },
      {
        ...process.env,
        BASE_URL: "http://127.0.0.1",
        PUBLISH_DUE_EVERY_MINUTES: "0",
        RETENTION_EVERY_HOURS: "0",
      },
    ).finally(() => spy.mockRestore());
    const out = join(folder, "backup.zip");
    try {
      const backup = await runCli(["backup", "--out", out]);
      expect(backup).toMatchObject({
        code: 0,
        stdout: `The running server (pid ${process.pid}) wrote ${out}.\n`,
      });
    } finally {
      await server.stop();
    }

    const fresh = join(folder, "restored");
    vi.stubEnv("FOIDESK_DATA_DIR", fresh);
    const restored = await runCli(["restore", out]);
    expect(restored.stderr).toBe("");
    expect(restored.stdout).toMatch(/^Restored the backup of .*: 2 requests, 2 files\./);
    expect(await runCli(["audit", "verify"])).toMatchObject({
      code: 0,
      stdout: "History intact: 4 events on 2 requests.\n",
    });
    expect(new TextDecoder().decode(await localFolderStore(join(fresh, "files")).get(documentKey))).toBe(
      "Bin rounds?",
    );
    expect((await runCli(["restore", out])).code).toBe(3);

    // With the server stopped, the command takes the snapshot itself.
    vi.stubEnv("FOIDESK_DATA_DIR", live);
    const again = await runCli(["backup", "--out", join(folder, "again.zip")]);
    expect(again.stdout).toContain("2 requests, 4 events, 2 files.");
  });
});
