import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import {
  type Actor,
  addDocument,
  createRequest,
  performAction,
  verifyAuditChain,
} from "../requests/index.ts";
import { type FileStore, newStorageKey } from "../storage/index.ts";
import { startS3Server, type TestS3Server } from "../storage/testing.ts";
import { checkOrphanFiles, eraseRequester, findRequester, restoreBackup, writeBackup } from "./index.ts";

// The data lifecycle with the files in an S3-compatible bucket (a real server, s3rver, started here): the
// orphan check lists what nothing refers to, erasure removes the request's objects, and a backup holds the
// bucket's files and restores them into an empty bucket.

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const officer: Actor = { userId: null, label: "Post room", role: "officer" };
const manager: Actor = { userId: null, label: "Ivy Manager", role: "manager" };

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3.close();
});

async function keysIn(store: FileStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const file of store.list()) keys.push(file.key);
  return keys;
}

describe.each(testBackends())("files in an S3 bucket on $name", (backend) => {
  let handle: DatabaseHandle;
  let files: FileStore;
  let folder: string;
  let documentKey = "";
  let strayKey = "";
  beforeAll(async () => {
    handle = await backend.open();
    files = s3.store();
    folder = await mkdtemp(join(tmpdir(), "foidesk-s3-restore-"));
    await handle.db.insertInto("authority").values({ name: "Bucket Council" }).execute();
    const created = await createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: "2024-01-10",
        body: "Bin collections?",
        requester: { name: "Kim Lee", email: "kim.lee@example.org" },
      },
      officer,
      at("2024-01-10"),
    );
    const document = await addDocument(
      handle.db,
      files,
      created.id,
      { filename: "kim-lee-letter.txt", bytes: new TextEncoder().encode("Dear Kim Lee") },
      officer,
      at("2024-01-11"),
    );
    documentKey = (
      await handle.db
        .selectFrom("documents")
        .select("storage_key")
        .where("id", "=", document.id)
        .executeTakeFirstOrThrow()
    ).storage_key;
    await performAction(
      handle.db,
      created.id,
      { type: "withdraw", date: "2024-01-20" },
      2,
      officer,
      at("2024-01-20"),
    );
    // A file whose document never committed (a crash between storing and recording it).
    strayKey = newStorageKey(at("2024-01-12"));
    await files.put(strayKey, new TextEncoder().encode("half-added"));
  });
  afterAll(async () => {
    await handle.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("backs up the bucket's files and restores them into an empty bucket, never over one that has files", async () => {
    const { zip, manifest } = await writeBackup(handle, files, at("2024-02-01"));
    expect(manifest.files).toBe(2);
    if (backend.name !== "pglite") return; // PostgreSQL: its database comes from pg_dump (backup.test.ts).
    const bucket = s3.store();
    const restored = await restoreBackup(zip, { dataDir: join(folder, "data"), files: bucket });
    expect(restored.files).toBe(2);
    expect((await keysIn(bucket)).sort()).toEqual([documentKey, strayKey].sort());
    expect(new TextDecoder().decode(await bucket.get(documentKey))).toBe("Dear Kim Lee");
    const reopened = await openDatabase({ kind: "pglite", dataDir: join(folder, "data") });
    try {
      expect(await verifyAuditChain(reopened.db)).toMatchObject({ ok: true, requests: 1 });
    } finally {
      await reopened.close();
    }
    await expect(restoreBackup(zip, { dataDir: join(folder, "again"), files: bucket })).rejects.toMatchObject(
      { code: "conflict", field: "files" },
    );
  });

  it("finds the orphan, removes the request's objects on erasure, and leaves nothing orphaned", async () => {
    expect((await checkOrphanFiles(handle.db, files, at("2024-01-12"))).orphans).toEqual([strayKey]);
    const person = await findRequester(handle.db, { email: "kim.lee@example.org" });
    await eraseRequester(handle.db, files, person.id, manager, at("2024-03-01"));
    await expect(files.get(documentKey)).rejects.toMatchObject({ code: "not-found" });
    expect(await keysIn(files)).toEqual([strayKey]);
    // Only files older than an hour are removed (younger ones may belong to a document being added now).
    const [stray] = await (async () => {
      const found = [];
      for await (const file of files.list()) found.push(file);
      return found;
    })();
    const soon = new Date(stray!.storedAt.getTime() + 60_000);
    expect((await checkOrphanFiles(handle.db, files, soon, { remove: true })).removed).toEqual([]);
    const hoursLater = new Date(stray!.storedAt.getTime() + 2 * 3_600_000);
    expect((await checkOrphanFiles(handle.db, files, hoursLater, { remove: true })).removed).toEqual([
      strayKey,
    ]);
    expect(await keysIn(files)).toEqual([]);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });
});
