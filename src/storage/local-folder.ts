import { randomBytes } from "node:crypto";
import { link, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { DomainError, invalid } from "../errors.ts";
import { type FileStore, isStorageKey } from "./file-store.ts";

function checkedKey(key: string): string {
  // Only generated keys are accepted, so a key can never name a path outside the folder.
  if (!isStorageKey(key)) throw invalid("key", `"${key}" is not a storage key`);
  return key;
}

/** Files in a folder on this machine (default `data/files`), one file per key. */
export function localFolderStore(folder: string): FileStore {
  const root = resolve(folder);
  const pathOf = (key: string) => join(root, ...checkedKey(key).split("/"));
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Written beside, then hard-linked into place: a reader never sees half a file, and link() fails
      // rather than replace a file already stored under the key.
      const partial = `${path}.${randomBytes(6).toString("hex")}.partial`;
      await writeFile(partial, bytes, { flag: "wx" });
      try {
        await link(partial, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") {
          throw new DomainError("conflict", `a file is already stored under ${key}`, "key");
        }
        throw error;
      } finally {
        await rm(partial, { force: true });
      }
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
      // Only what has the shape of a key (year/month/name): partial files and anything else are not files.
      const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
      for (const entry of entries.sort()) {
        const key = entry.split(/[\\/]/).join("/");
        if (!isStorageKey(key)) continue;
        const info = await stat(join(root, entry)).catch(() => null);
        if (info?.isFile()) yield { key, storedAt: info.mtime };
      }
    },
  };
}
