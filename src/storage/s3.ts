import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { DomainError, invalid } from "../errors.ts";
import { type FileStore, isStorageKey, measured, type StagedFile } from "./file-store.ts";

// Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, Cloudflare R2, …), one object per key under an
// optional prefix: the same rules as the local folder (only generated keys; a key is never overwritten).

export interface S3StoreOptions {
  bucket: string;
  /** Put before every key, e.g. "foidesk/": several stores can share a bucket. */
  prefix?: string;
  /** For a server other than AWS, e.g. http://minio.internal:9000. */
  endpoint?: string;
  region?: string;
  /** Without them, the AWS SDK's own chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Addresses as endpoint/bucket/key rather than bucket.endpoint/key (most servers other than AWS). */
  forcePathStyle?: boolean;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

export function s3Store(options: S3StoreOptions): FileStore & { close(): void } {
  const client = new S3Client({
    region: options.region ?? "us-east-1",
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    // Checksums only where S3 requires them: by default the SDK sends a streamed body aws-chunked with a
    // trailing checksum, which several S3-compatible servers store as it came, chunk headers and all.
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
  const prefix = options.prefix ?? "";
  const Bucket = options.bucket;
  const objectKey = (key: string) => {
    if (!isStorageKey(key)) throw invalid("key", `"${key}" is not a storage key`);
    return `${prefix}${key}`;
  };
  const exists = async (Key: string) => {
    try {
      await client.send(new HeadObjectCommand({ Bucket, Key }));
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  };
  /** Writes an object under a key used once: a conflict if something is stored there already. */
  const write = async (key: string, Body: Uint8Array | Readable, ContentLength: number) => {
    const Key = objectKey(key);
    const conflict = () => new DomainError("conflict", `a file is already stored under ${key}`, "key");
    // S3 (since 2024) and MinIO refuse the write themselves (If-None-Match); the look first covers servers
    // that ignore it. Keys are random, so the two never race in practice.
    if (await exists(Key)) throw conflict();
    try {
      await client.send(new PutObjectCommand({ Bucket, Key, Body, ContentLength, IfNoneMatch: "*" }));
    } catch (error) {
      if (statusOf(error) === 412) throw conflict();
      throw error;
    }
  };
  return {
    async put(key, bytes) {
      await write(key, bytes, bytes.byteLength);
    },
    // A received file waits in a private temporary folder on this machine (hashed and counted as it
    // arrives), and goes to the bucket only when committed, streamed from there.
    async stage(chunks): Promise<StagedFile> {
      const folder = await mkdtemp(join(tmpdir(), "foidesk-s3-staging-"));
      const path = join(folder, "file");
      const counted = measured(chunks);
      const out = createWriteStream(path, { flags: "wx", mode: 0o600 });
      try {
        await pipeline(Readable.from(counted.chunks), out);
      } catch (error) {
        if (!out.closed) await once(out, "close");
        await rm(folder, { recursive: true, force: true });
        throw error;
      }
      let committed = false;
      return {
        ...counted.result,
        chunks: () => createReadStream(path),
        async commit(key) {
          await write(key, createReadStream(path), counted.result.sizeBytes);
          committed = true;
          await rm(folder, { recursive: true, force: true });
        },
        async discard() {
          if (!committed) await rm(folder, { recursive: true, force: true });
        },
      };
    },
    async get(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key) }));
        return await object.Body!.transformToByteArray();
      } catch (error) {
        if (statusOf(error) === 404)
          throw new DomainError("not-found", `no file is stored under ${key}`, "key");
        throw error;
      }
    },
    async delete(key) {
      // Deleting what is not there is not an error in S3 either.
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },
    async *list() {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: prefix || undefined, ContinuationToken }),
        );
        for (const object of page.Contents ?? []) {
          const key = (object.Key ?? "").slice(prefix.length);
          // Only what has the shape of a key: anything else in the bucket is not this store's.
          if (isStorageKey(key)) yield { key, storedAt: object.LastModified ?? new Date(0) };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
    close: () => client.destroy(),
  };
}

/**
 * The S3 store when FOIDESK_S3_BUCKET is set: FOIDESK_S3_PREFIX, FOIDESK_S3_ENDPOINT, FOIDESK_S3_REGION,
 * FOIDESK_S3_FORCE_PATH_STYLE ("true"/"false"); credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
 * or the SDK's usual chain. Null without a bucket.
 */
export function s3StoreFromEnv(env: NodeJS.ProcessEnv): (FileStore & { close(): void }) | null {
  const bucket = env.FOIDESK_S3_BUCKET?.trim();
  if (!bucket) return null;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw invalid("FOIDESK_S3_BUCKET", `"${bucket}" is not an S3 bucket name`);
  const endpoint = env.FOIDESK_S3_ENDPOINT?.trim();
  if (endpoint && !/^https?:\/\/\S+$/.test(endpoint))
    throw invalid("FOIDESK_S3_ENDPOINT", `"${endpoint}" is not an http(s) address`);
  const pathStyle = env.FOIDESK_S3_FORCE_PATH_STYLE?.trim();
  if (pathStyle && pathStyle !== "true" && pathStyle !== "false")
    throw invalid("FOIDESK_S3_FORCE_PATH_STYLE", `Say "true" or "false", not "${pathStyle}"`);
  const prefix = env.FOIDESK_S3_PREFIX?.trim() ?? "";
  if (prefix && !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/$/.test(prefix))
    throw invalid("FOIDESK_S3_PREFIX", `"${prefix}" is not a prefix such as "foidesk/" (ending in /)`);
  return s3Store({
    bucket,
    ...(prefix ? { prefix } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(env.FOIDESK_S3_REGION ? { region: env.FOIDESK_S3_REGION } : {}),
    ...(pathStyle ? { forcePathStyle: pathStyle === "true" } : {}),
  });
}
