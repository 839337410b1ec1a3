import { execFile } from "node:child_process";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import pg from "pg";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "../db/index.ts";
import { DomainError, invalid } from "../errors.ts";
import { requestAndEventCounts } from "../requests/index.ts";
import { type FileStore, isStorageKey, localFolderStore } from "../storage/index.ts";

// Backups that restore. One zip: a manifest, the embedded database's data directory (PGlite's own dump, taken
// inside the process that has it open, so it is one consistent snapshot while the app goes on serving), and
// every file of the file store. Files are written once and never changed, so copying them after the snapshot
// loses nothing the snapshot refers to (only a file destroyed meanwhile by retention, which is then gone on
// purpose). A PostgreSQL server is backed up with its own tools (pg_dump -Fc, or base backups with WAL
// archiving for point-in-time recovery); its backup here holds the files only, and `restore` takes the
// custom-format dump beside it.

export const BACKUP_FORMAT = 1;

/** Where `foidesk serve` says it is using a data folder (live-backup.ts). */
export const SERVE_PID_FILE = "foidesk-serve.pid";

export interface BackupManifest {
  format: number;
  createdAt: string;
  database: "pglite" | "postgres (not included: use pg_dump)";
  files: number;
  requests: number;
  events: number;
}

/** Writes the backup of the open database and the file store, as zip bytes. */
export async function writeBackup(
  handle: DatabaseHandle,
  files: FileStore,
  now: Date,
): Promise<{ zip: Uint8Array; manifest: BackupManifest }> {
  const entries: Record<string, Uint8Array> = {};
  const counts = await requestAndEventCounts(handle.db);
  if (handle.kind === "pglite") {
    if (!handle.pglite) throw new Error("the embedded database is not open in this process");
    const dump = await handle.pglite.dumpDataDir("gzip");
    entries["database.tar.gz"] = new Uint8Array(await dump.arrayBuffer());
  }
  let fileCount = 0;
  for await (const file of files.list()) {
    entries[`files/${file.key}`] = await files.get(file.key);
    fileCount++;
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: now.toISOString(),
    database: handle.kind === "pglite" ? "pglite" : "postgres (not included: use pg_dump)",
    files: fileCount,
    requests: counts.requests,
    events: counts.events,
  };
  entries["foidesk-backup.json"] = strToU8(JSON.stringify(manifest, null, 2));
  // Already-compressed parts are stored, not compressed again.
  return { zip: zipSync(entries, { level: 0 }), manifest };
}

/** Writes `bytes` to `path` whole or not at all (a temporary file renamed into place). */
export async function writeWhole(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, path);
}

async function isEmptyFolder(folder: string): Promise<boolean> {
  try {
    return (await readdir(folder)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw error;
  }
}

export interface RestoreTarget {
  /** PGlite's data folder: must be empty or absent. */
  dataDir?: string;
  /** The file store's folder: must be empty or absent. */
  filesDir?: string;
  /** Or the file store itself (an S3 bucket): must hold no file yet. */
  files?: FileStore;
  /** A PostgreSQL server to restore `pgDump` into (DATABASE_URL). */
  databaseUrl?: string;
  /** A custom-format dump (pg_dump -Fc) of the PostgreSQL database. */
  pgDump?: string;
}

/**
 * A dump of one schema leaves out the extensions it uses, which live in `public`: the disclosure log's RUM index
 * (migration 0035) needs `rum` in the target database before its index can be restored.
 */
async function prepareExtensions(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query("select 1 from pg_available_extensions where name = 'rum'");
    if (rows.length) await client.query("create extension if not exists rum schema public");
  } finally {
    await client.end();
  }
}

/** Restores a backup into empty folders (or a PostgreSQL server with its dump); never over live data. */
export async function restoreBackup(
  archive: Uint8Array,
  target: RestoreTarget,
): Promise<{ manifest: BackupManifest; files: number }> {
  let parts: Record<string, Uint8Array>;
  try {
    parts = unzipSync(archive);
  } catch {
    throw invalid("file", "This is not a foidesk backup (not a zip file)");
  }
  const manifestBytes = parts["foidesk-backup.json"];
  if (!manifestBytes) throw invalid("file", "This is not a foidesk backup (no foidesk-backup.json)");
  const manifest = JSON.parse(strFromU8(manifestBytes)) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT)
    throw invalid("file", `This backup's format (${manifest.format}) is not one this version restores`);
  const store = target.files ?? (target.filesDir ? localFolderStore(target.filesDir) : null);
  if (!store) throw invalid("files", "Say where to restore the files");
  if (target.filesDir && !(await isEmptyFolder(target.filesDir)))
    throw new DomainError(
      "conflict",
      `${target.filesDir} is not empty: restore into an empty folder`,
      "files",
    );
  if (target.files) {
    for await (const _file of target.files.list())
      throw new DomainError(
        "conflict",
        "The file store already holds files: restore into an empty one",
        "files",
      );
  }
  if (target.databaseUrl) {
    if (!target.pgDump) throw invalid("pg-dump", "Give the PostgreSQL dump (pg_dump -Fc) to restore");
    await prepareExtensions(target.databaseUrl);
    // pg_restore keeps going past errors unless told; --exit-on-error makes a failed restore fail.
    await promisify(execFile)("pg_restore", [
      "--no-owner",
      "--exit-on-error",
      `--dbname=${target.databaseUrl}`,
      target.pgDump,
    ]);
  } else {
    const database = parts["database.tar.gz"];
    if (!database) throw invalid("file", "This backup holds no embedded database: restore a PostgreSQL dump");
    if (!target.dataDir) throw invalid("data-dir", "Say where to restore the database");
    if (!(await isEmptyFolder(target.dataDir)))
      throw new DomainError(
        "conflict",
        `${target.dataDir} is not empty: restore into an empty folder`,
        "data-dir",
      );
    const handle = await openDatabase({
      kind: "pglite",
      dataDir: target.dataDir,
      loadDataDir: new Blob([database as Uint8Array<ArrayBuffer>]),
    });
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.close();
    }
    // The snapshot is of the whole data folder, so it names the server that was running: not this one.
    await rm(join(target.dataDir, SERVE_PID_FILE), { force: true });
  }
  let files = 0;
  for (const [name, bytes] of Object.entries(parts)) {
    if (!name.startsWith("files/")) continue;
    const key = name.slice("files/".length);
    if (!isStorageKey(key)) continue;
    // With the file store inside the data folder (the default), the database's snapshot brought it already.
    const present = await store.get(key).catch(() => null);
    if (present && Buffer.from(present).equals(Buffer.from(bytes))) {
      files++;
      continue;
    }
    await store.put(key, bytes);
    files++;
  }
  return { manifest, files };
}
