import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isDomainError } from "../errors.ts";
import {
  type FileStore,
  isStorageKey,
  localFolderStore,
  memoryFileStore,
  newStorageKey,
  s3StoreFromEnv,
} from "./index.ts";
import { startS3Server } from "./testing.ts";

const folders: string[] = [];

// A real S3-compatible server for the S3 store.
const s3 = await startS3Server();
const bucketStore = async () => s3.store();

afterAll(async () => {
  await s3.close();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function folderStore(): Promise<FileStore> {
  const folder = await mkdtemp(join(tmpdir(), "foidesk-files-"));
  folders.push(folder);
  return localFolderStore(folder);
}

const now = new Date("2024-05-01T10:00:00Z");
const bytes = (text: string) => new TextEncoder().encode(text);
async function* pieces(...texts: string[]) {
  for (const text of texts) yield bytes(text);
}
async function keysIn(store: FileStore): Promise<string[]> {
  const keys = [];
  for await (const file of store.list()) keys.push(file.key);
  return keys;
}

describe("storage keys", () => {
  it("are generated, dated and unique", () => {
    const a = newStorageKey(now);
    const b = newStorageKey(now);
    expect(a).toMatch(/^2024\/05\/[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
    expect(isStorageKey(a)).toBe(true);
  });

  it("reject anything a user could have typed", () => {
    for (const key of [
      "../etc/passwd",
      "2024/05/../../x",
      "letter.pdf",
      "2024/05/ABC",
      "/2024/05/" + "a".repeat(32),
    ]) {
      expect(isStorageKey(key)).toBe(false);
    }
  });
});

describe.each([
  { name: "local folder", open: folderStore },
  { name: "memory", open: async () => memoryFileStore() },
  { name: "S3 bucket", open: bucketStore },
])("$name file store", ({ open }) => {
  it("gives back exactly the bytes it was given", async () => {
    const store = await open();
    const key = newStorageKey(now);
    const content = new Uint8Array([0, 1, 2, 255, 254, 10, 13]);
    await store.put(key, content);
    expect(Buffer.from(await store.get(key))).toEqual(Buffer.from(content));
  });

  it("answers not-found for a key that holds nothing, and after a delete", async () => {
    const store = await open();
    const key = newStorageKey(now);
    await expect(store.get(key)).rejects.toMatchObject({ code: "not-found" });
    await store.put(key, bytes("letter"));
    await store.delete(key);
    await expect(store.get(key)).rejects.toMatchObject({ code: "not-found" });
    await store.delete(key); // deleting twice is harmless
  });

  it("never replaces a stored file", async () => {
    const store = await open();
    const key = newStorageKey(now);
    await store.put(key, bytes("first"));
    await expect(store.put(key, bytes("second"))).rejects.toMatchObject({ code: "conflict" });
    expect(new TextDecoder().decode(await store.get(key))).toBe("first");
  });

  it("lists what it holds, and nothing once deleted", async () => {
    const store = await open();
    const keys = [newStorageKey(now), newStorageKey(new Date("2023-01-05T10:00:00Z"))];
    for (const key of keys) await store.put(key, bytes("x"));
    const listed = [];
    for await (const file of store.list()) listed.push(file.key);
    expect(listed).toEqual([...keys].sort());
    for (const key of keys) await store.delete(key);
    const after = [];
    for await (const file of store.list()) after.push(file.key);
    expect(after).toEqual([]);
  });

  it("stages a received file, hashed and counted, and stores it only when committed", async () => {
    const store = await open();
    const staged = await store.stage(pieces("first part, ", "second part"));
    expect(staged.sizeBytes).toBe(23);
    expect(staged.sha256).toBe(createHash("sha256").update("first part, second part").digest("hex"));
    expect(await keysIn(store)).toEqual([]);
    const again: Buffer[] = [];
    for await (const chunk of staged.chunks()) again.push(Buffer.from(chunk));
    expect(Buffer.concat(again).toString()).toBe("first part, second part");
    const key = newStorageKey(now);
    await staged.commit(key);
    await staged.discard(); // after a commit, the stored file stays
    expect(new TextDecoder().decode(await store.get(key))).toBe("first part, second part");
    expect(await keysIn(store)).toEqual([key]);
  });

  it("keeps nothing of a staged file that is discarded, or whose upload broke off", async () => {
    const store = await open();
    const staged = await store.stage(pieces("unwanted"));
    await staged.discard();
    await staged.discard();
    async function* refused() {
      yield bytes("the beginning");
      throw new Error("refused: too large");
    }
    await expect(store.stage(refused())).rejects.toThrow("refused: too large");
    expect(await keysIn(store)).toEqual([]);
  });

  it("commits a staged file under a free key only", async () => {
    const store = await open();
    const key = newStorageKey(now);
    await store.put(key, bytes("first"));
    const staged = await store.stage(pieces("second"));
    await expect(staged.commit(key)).rejects.toMatchObject({ code: "conflict" });
    await staged.discard();
    expect(new TextDecoder().decode(await store.get(key))).toBe("first");
  });

  it("refuses keys it did not generate", async () => {
    const store = await open();
    const error = await store.get("../../etc/passwd").catch((caught: unknown) => caught);
    expect(isDomainError(error) && error.code).toBe("invalid");
  });
});

describe("local folder store", () => {
  it("keeps files under the folder, leaving no partial files behind", async () => {
    const folder = await mkdtemp(join(tmpdir(), "foidesk-files-"));
    folders.push(folder);
    const store = localFolderStore(folder);
    const key = newStorageKey(now);
    await store.put(key, bytes("reply"));
    const [year, month, name] = key.split("/");
    expect(await readdir(join(folder, year!, month!))).toEqual([name]);
    expect(await readdir(join(folder, ".staging"))).toEqual([]);
  });

  it("clears staged files a stopped process left behind a day ago, and keeps recent ones", async () => {
    const folder = await mkdtemp(join(tmpdir(), "foidesk-files-"));
    folders.push(folder);
    await mkdir(join(folder, ".staging"));
    // Dated by the file system's clock, as the store dates them (the test clock may be moved, the disk's not).
    await writeFile(join(folder, ".staging", "in-progress"), "another process's upload");
    const written = (await stat(join(folder, ".staging", "in-progress"))).mtimeMs;
    const dayAndMore = new Date(written - 25 * 60 * 60 * 1000);
    await writeFile(join(folder, ".staging", "abandoned"), "half an upload");
    await utimes(join(folder, ".staging", "abandoned"), dayAndMore, dayAndMore);
    const store = localFolderStore(folder);
    const staged = await store.stage(pieces("new"));
    const left = await readdir(join(folder, ".staging"));
    expect(left).toContain("in-progress");
    expect(left).not.toContain("abandoned");
    await staged.discard();
  });

  it("removes a staged file from the disk when it is discarded or its upload breaks off", async () => {
    const folder = await mkdtemp(join(tmpdir(), "foidesk-files-"));
    folders.push(folder);
    const store = localFolderStore(folder);
    const staged = await store.stage(pieces("unwanted"));
    expect(await readdir(join(folder, ".staging"))).toHaveLength(1);
    await staged.discard();
    async function* refused() {
      yield bytes("the beginning");
      throw new Error("refused");
    }
    await expect(store.stage(refused())).rejects.toThrow("refused");
    expect(await readdir(folder, { recursive: true })).toEqual([".staging"]);
  });
});

describe("S3 store", () => {
  it("keeps to its prefix: another store's objects in the bucket are not its own", async () => {
    const mine = await bucketStore();
    const theirs = await bucketStore();
    const key = newStorageKey(now);
    await theirs.put(key, bytes("theirs"));
    const listed = [];
    for await (const file of mine.list()) listed.push(file.key);
    expect(listed).toEqual([]);
    await expect(mine.get(key)).rejects.toMatchObject({ code: "not-found" });
  });

  it("is chosen by FOIDESK_S3_BUCKET, each setting checked and named when wrong", () => {
    expect(s3StoreFromEnv({})).toBeNull();
    const store = s3StoreFromEnv({ FOIDESK_S3_BUCKET: "foidesk-files", FOIDESK_S3_ENDPOINT: s3.endpoint });
    expect(store).not.toBeNull();
    store?.close();
    for (const [name, value] of [
      ["FOIDESK_S3_BUCKET", "Not A Bucket"],
      ["FOIDESK_S3_ENDPOINT", "minio:9000"],
      ["FOIDESK_S3_FORCE_PATH_STYLE", "yes"],
      ["FOIDESK_S3_PREFIX", "../x"],
    ] as const)
      expect(() => s3StoreFromEnv({ FOIDESK_S3_BUCKET: "foidesk-files", [name]: value })).toThrow(
        expect.objectContaining({ field: name }),
      );
  });
});
