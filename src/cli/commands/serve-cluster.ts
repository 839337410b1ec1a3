import cluster, { type Worker } from "node:cluster";
import { type DatabaseHandle, databaseConfigFromEnv, openDatabase } from "../../db/index.ts";
import { invalid } from "../../errors.ts";
import { secretKeyFromEnv, useSecretKey } from "../../sealed.ts";

// `foidesk serve --workers N` (or WEB_CONCURRENCY): N app processes sharing one port (node:cluster), as a Node
// service is run on a machine with more than one core. One Node process renders pages on one core; with ten
// officers at once the queue of pages waiting for it, not the database, is what they wait for (bench/casework).
// The first run (migrations, the demo) is done once, here, before any process listens; the timers (publication,
// outbox, retention, fees) and the inbound SMTP listener run in process 1 only (they hold leases anyway, so a
// second copy would only wait), and a process that dies is replaced.

/** The environment variable a worker learns its number from ("2/4": the second of four). */
const WORKER_ENV = "FOIDESK_WORKER";

export interface WorkerPlace {
  index: number;
  of: number;
}

/** This process's place among the workers, or null when it is not one of them. */
export function workerPlace(env: NodeJS.ProcessEnv = process.env): WorkerPlace | null {
  if (!cluster.isWorker) return null;
  const match = /^(\d+)\/(\d+)$/.exec(env[WORKER_ENV] ?? "");
  return match ? { index: Number(match[1]), of: Number(match[2]) } : { index: 1, of: 1 };
}

/** The number of app processes: --workers, else WEB_CONCURRENCY (the usual name on hosting platforms), else 1. */
export function workerCount(option: string | undefined, env: NodeJS.ProcessEnv): number {
  const [text, name] =
    option !== undefined ? [option, "--workers"] : [env.WEB_CONCURRENCY ?? "1", "WEB_CONCURRENCY"];
  const count = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(count >= 1 && count <= 64)) throw invalid(name, `"${text}" is not a number of processes (1 to 64)`);
  if (count > 1 && databaseConfigFromEnv(env).kind !== "postgres")
    throw invalid(
      name,
      "Several processes need a PostgreSQL server (DATABASE_URL): the embedded database is opened by one process at a time",
    );
  return count;
}

export interface RunningCluster {
  /** The port the workers share. */
  port: number;
  describe: string;
  stop(): Promise<void>;
}

/**
 * The primary process: migrates and does the first run (`prepare`, whose lines it prints), then starts `count`
 * workers, each running `foidesk serve` again, and resolves once all listen. A worker that exits while the
 * cluster is not stopping is started again after a second (its number kept, so process 1 stays the one with the
 * timers).
 */
export async function startCluster(
  count: number,
  env: NodeJS.ProcessEnv,
  prepare: (handle: DatabaseHandle) => Promise<string[]>,
): Promise<RunningCluster> {
  useSecretKey(secretKeyFromEnv(env));
  const handle = await openDatabase(databaseConfigFromEnv(env));
  let describe: string;
  try {
    for (const line of await prepare(handle)) process.stdout.write(`${line}\n`);
    describe = handle.describe;
  } finally {
    await handle.close();
  }

  let stopping = false;
  const workers = new Map<number, Worker>();
  const fork = (index: number): Promise<number> => {
    const worker = cluster.fork({ [WORKER_ENV]: `${index}/${count}` });
    workers.set(index, worker);
    worker.on("exit", (code, signal) => {
      if (stopping || workers.get(index) !== worker) return;
      process.stderr.write(
        `foidesk: process ${index} (pid ${worker.process.pid}) stopped (${signal ?? `exit code ${code}`}); starting another.\n`,
      );
      setTimeout(() => {
        if (!stopping) fork(index).catch(() => {});
      }, 1000).unref();
    });
    return new Promise((listening, failed) => {
      worker.once("listening", (address) => listening(address.port));
      worker.once("exit", (code) =>
        failed(new Error(`process ${index} stopped before it listened (exit ${code})`)),
      );
    });
  };
  const stop = async () => {
    stopping = true;
    // Each worker finishes the requests it has in hand (stopOnSignals), then exits.
    await Promise.all(
      [...workers.values()].map(
        (worker) =>
          new Promise<void>((gone) => {
            if (worker.isDead()) return gone();
            worker.once("exit", () => gone());
            worker.process.kill("SIGTERM");
          }),
      ),
    );
  };
  try {
    const ports = await Promise.all(Array.from({ length: count }, (_, i) => fork(i + 1)));
    return { port: ports[0]!, describe: `${describe}; ${count} processes`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
