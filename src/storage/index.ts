// File storage: one interface; a local folder, an S3-compatible bucket, and memory for tests.
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
export { type S3StoreOptions, s3Store, s3StoreFromEnv } from "./s3.ts";
