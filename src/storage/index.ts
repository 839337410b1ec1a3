// File storage: one interface, a local-folder implementation, and an in-memory one for tests.
export {
  type FileStore,
  isStorageKey,
  newStorageKey,
  type StagedFile,
  type StoredFile,
} from "./file-store.ts";
export { localFolderStore } from "./local-folder.ts";
export { memoryFileStore } from "./memory.ts";
export { readPackageFile } from "./package-file.ts";
