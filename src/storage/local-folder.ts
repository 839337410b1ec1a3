import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { link, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DomainError, invalid } from "../errors.ts";
import { type FileStore, isStorageKey, measured, type StagedFile } from "./file-store.ts";

function checkedKey(key: string): string {
  // Only generated keys are accepted, so a key can never name a path outside the folder.
  if (!isStorageKey(key)) throw invalid("key", `"${key}" is not a storage key`);
  return key;
}

/** Staged files older than this were left by a process that stopped mid-upload. */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

/** Removes staged files older than a day than `newest` (times as the file system keeps them, not the clock's). */
async function removeAbandoned(staging: string, newest: string): Promise<void> {
  const now = (await stat(newest)).mtimeMs;
  for (const name of await readdir(staging).catch(() => [] as string[])) {
    const path = join(staging, name);
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs < now - ABANDONED_AFTER_MS) await rm(path, { force: true });
  }
}

/** Files in a folder on this machine (default `data/files`), one file per key. */
export function localFolderStore(folder: string): FileStore {
  const root = resolve(folder);
  // Received files wait here: inside the folder, so committing is a hard link on the same file system, and
  // under a name no key can have, so `list` never reports them.
  const staging = join(root, ".staging");
  let swept: Promise<void> | undefined;
  const pathOf = (key: string) => join(root, ...checkedKey(key).split("/"));

  const store: FileStore = {
    async put(key, bytes) {
      const staged = await store.stage(
        (async function* () {
          yield bytes;
        })(),
      );
      try {
        await staged.commit(key);
      } finally {
        await staged.discard();
      }
    },
    async stage(chunks): Promise<StagedFile> {
      await mkdir(staging, { recursive: true });
      const path = join(staging, randomBytes(16).toString("hex"));
      const counted = measured(chunks);
      const out = createWriteStream(path, { flags: "wx" });
      try {
        await pipeline(Readable.from(counted.chunks), out);
      } catch (error) {
        // Removed only once closed: a stream still opening would otherwise create the file again after.
        if (!out.closed) await once(out, "close");
        await rm(path, { force: true });
        throw error;
      }
      // Once per process: what a process stopped mid-upload left, dated against the file just written.
      swept ??= removeAbandoned(staging, path).catch(() => {});
      await swept;
      let committed = false;
      return {
        ...counted.result,
        chunks: () => createReadStream(path),
        async commit(key) {
          const target = pathOf(key);
          await mkdir(dirname(target), { recursive: true });
          // A hard link: a reader never sees half a file, and link() fails rather than replace a file
          // already stored under the key.
          try {
            await link(path, target);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "EEXIST") {
              throw new DomainError("conflict", `a file is already stored under ${key}`, "key");
            }
            throw error;
          }
          committed = true;
          await rm(path, { force: true });
        },
        async discard() {
          if (!committed) await rm(path, { force: true });
        },
      };
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          throw new DomainError("not-found", `no file is stored under ${key}`, "key");
        }
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async *list() {
      // Only what has the shape of a key (year/month/name): staged files and anything else are not files.
      const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
      for (const entry of entries.sort()) {
        const key = entry.split(/[\\/]/).join("/");
        if (!isStorageKey(key)) continue;
        const info = await stat(join(root, entry)).catch(() => null);
        if (info?.isFile()) yield { key, storedAt: info.mtime };
      }
    },
  };
  return store;
}
