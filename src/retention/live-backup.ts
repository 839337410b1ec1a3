import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { DatabaseHandle } from "../db/index.ts";
import type { FileStore } from "../storage/index.ts";
import { SERVE_PID_FILE, writeBackup, writeWhole } from "./backup.ts";

// A backup while the app runs. The embedded database is open in the serving process only (PGlite is one
// process's), so `foidesk backup` asks that process: it writes the wanted path beside the data, sends
// SIGUSR2, and the server writes its own consistent snapshot there. The server says it is running by a
// pid file in its data folder, removed when it stops.

const REQUEST_FILE = "foidesk-backup-request";

/**
 * Marks the data folder as served by this process and answers backup requests, dated by `now`; returns the
 * undo.
 */
export async function answerBackupRequests(
  dataDir: string,
  handle: DatabaseHandle,
  files: FileStore,
  log: { error(details: Record<string, unknown>, message: string): void },
  now: () => Date,
): Promise<() => Promise<void>> {
  await writeFile(join(dataDir, SERVE_PID_FILE), String(process.pid));
  const onSignal = () => {
    void (async () => {
      const out = (await readFile(join(dataDir, REQUEST_FILE), "utf8")).trim();
      await rm(join(dataDir, REQUEST_FILE), { force: true });
      const { zip } = await writeBackup(handle, files, now());
      await writeWhole(out, zip);
    })().catch((error: unknown) => log.error({ err: error }, "could not write the backup asked for"));
  };
  process.on("SIGUSR2", onSignal);
  return async () => {
    process.off("SIGUSR2", onSignal);
    await rm(join(dataDir, SERVE_PID_FILE), { force: true });
  };
}

/** The pid of a live server using this data folder, or null. */
export async function servingProcess(dataDir: string): Promise<number | null> {
  const text = await readFile(join(dataDir, SERVE_PID_FILE), "utf8").catch(() => null);
  const pid = text && /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
  if (!pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null; // a server that died without tidying up
  }
}

/** Asks the serving process for a backup at `out` and waits (up to `timeoutMs`) until it is written. */
export async function askServerForBackup(dataDir: string, pid: number, out: string, timeoutMs = 300_000) {
  const target = resolve(out);
  await rm(target, { force: true });
  await writeFile(join(dataDir, REQUEST_FILE), target);
  process.kill(pid, "SIGUSR2");
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await stat(target).catch(() => null)) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`the running server (pid ${pid}) wrote no backup within ${timeoutMs / 1000} s`);
}
