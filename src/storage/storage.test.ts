import { mkdtemp, readdir, rm } from "node:fs/promises";
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
