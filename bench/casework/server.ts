// A child process of bench/casework.ts: the web app on the benchmark database, listening on 127.0.0.1 with
// an ephemeral port (printed as one JSON line), so the parent can read this process's resident memory.
import type { KyselyPlugin } from "kysely";
import { openDatabase } from "../../src/db/index.ts";
import { memoryFileStore } from "../../src/storage/index.ts";
import { buildApp } from "../../src/web/index.ts";

const { url, now } = JSON.parse(process.argv[2] ?? "{}") as { url: string; now: string };
const handle = await openDatabase({ kind: "postgres", url });
// The clock stands at the data's "now", so the queue's overdue and due-soon match the in-process runs.
const fixedNow = new Date(now);
// Every statement the app runs is counted (a plugin sees each executed query's result once), so the parent can
// say how many queries a page costs.
let queries = 0;
const counter: KyselyPlugin = {
  transformQuery: ({ node }) => node,
  transformResult: async ({ result }) => {
    queries++;
    return result;
  },
};
const app = buildApp({
  db: handle.db.withPlugin(counter),
  files: memoryFileStore(),
  config: { baseUrl: "http://127.0.0.1" },
  now: () => fixedNow,
  logger: false,
});
const address = await app.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`${JSON.stringify({ address })}\n`);
const stop = async () => {
  await app.close();
  await handle.close();
  process.exit(0);
};
// "memory" on stdin: where the resident memory goes (V8 heap, or buffers outside it).
// "cpu" on stdin: the CPU time this process has used, in milliseconds, and the queries it has run (the parent
// divides a run's by its pages).
process.stdin.setEncoding("utf8").on("data", (text: string) => {
  if (text.includes("cpu")) {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000, queries })}\n`);
    return;
  }
  if (!text.includes("memory")) return;
  const mb = (bytes: number) => Math.round(bytes / 1024 / 104.8576) / 10;
  const memory: Record<string, number> = {};
  for (const [key, bytes] of Object.entries(process.memoryUsage())) memory[`${key}Mb`] = mb(bytes);
  // Started with --expose-gc: the heap still live after a full collection (a leak, or only garbage?).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    memory.heapUsedAfterGcMb = mb(process.memoryUsage().heapUsed);
  }
  process.stdout.write(`${JSON.stringify(memory)}\n`);
});
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
