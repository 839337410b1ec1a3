import { DomainError, invalid } from "../errors.ts";
import { type FileStore, isStorageKey, measured } from "./file-store.ts";

/**
 * Files held in memory: for tests and for a throwaway demo; the same rules as the folder store. `now` dates
 * each file as it is stored (tests pass their own clock).
 */
export function memoryFileStore(now: () => Date = () => new Date()): FileStore & { readonly size: number } {
  const files = new Map<string, Uint8Array>();
  const storedAt = new Map<string, Date>();
  const checked = (key: string) => {
    if (!isStorageKey(key)) throw invalid("key", `"${key}" is not a storage key`);
    return key;
  };
  return {
    get size() {
      return files.size;
    },
    async put(key, bytes) {
      if (files.has(checked(key))) {
        throw new DomainError("conflict", `a file is already stored under ${key}`, "key");
      }
      files.set(key, new Uint8Array(bytes));
      storedAt.set(key, now());
    },
    async get(key) {
      const bytes = files.get(checked(key));
      if (!bytes) throw new DomainError("not-found", `no file is stored under ${key}`, "key");
      return new Uint8Array(bytes);
    },
    async delete(key) {
      files.delete(checked(key));
      storedAt.delete(key);
    },
    async stage(chunks) {
      const counted = measured(chunks);
      const received: Uint8Array[] = [];
      for await (const chunk of counted.chunks) received.push(new Uint8Array(chunk));
      let committed = false;
      return {
        ...counted.result,
        async *chunks() {
          yield* received;
        },
        async commit(key) {
          if (files.has(checked(key)))
            throw new DomainError("conflict", `a file is already stored under ${key}`, "key");
          files.set(key, Buffer.concat(received));
          storedAt.set(key, now());
          committed = true;
        },
        async discard() {
          if (!committed) received.length = 0;
        },
      };
    },
    async *list() {
      for (const key of [...files.keys()].sort()) yield { key, storedAt: storedAt.get(key) ?? now() };
    },
  };
}
