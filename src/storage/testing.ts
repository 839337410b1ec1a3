import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import type { FileStore } from "./file-store.ts";
import { s3Store } from "./s3.ts";

// Test support: a real S3-compatible server (s3rver: pure JavaScript, its objects in a temporary folder) with
// one bucket; each store opened on it gets a prefix of its own, so tests never see each other's files.

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** A store of its own in the bucket: a fresh prefix each time. */
  store(): FileStore;
  close(): Promise<void>;
}

export async function startS3Server(): Promise<TestS3Server> {
  const folder = await mkdtemp(join(tmpdir(), "foidesk-s3-"));
  const bucket = "foidesk-files";
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: folder,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const opened: { close(): void }[] = [];
  let prefixes = 0;
  return {
    endpoint,
    bucket,
    store() {
      const store = s3Store({
        bucket,
        prefix: `test-${++prefixes}/`,
        endpoint,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      });
      opened.push(store);
      return store;
    },
    async close() {
      for (const store of opened) store.close();
      await server.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
