// A child process of bench/casework.ts: the web app on the benchmark database, listening on 127.0.0.1 with
// an ephemeral port (printed as one JSON line), so the parent can read this process's resident memory. With
// `processes` above 1, the app runs in that many processes sharing the port (node:cluster), as
// `foidesk serve --workers N` runs it (src/cli/commands/serve-cluster.ts); this process then only starts them
// and adds up their CPU time and queries.
import cluster from "node:cluster";
import type { KyselyPlugin } from "kysely";
import { openDatabase } from "../../src/db/index.ts";
import { memoryFileStore } from "../../src/storage/index.ts";
import { buildApp } from "../../src/web/index.ts";

const { url, now, processes } = JSON.parse(process.argv[2] ?? "{}") as {
  url: string;
  now: string;
  processes?: number;
};
const mb = (bytes: number) => Math.round(bytes / 1024 / 104.8576) / 10;

interface Usage {
  cpuMs: number;
  queries: number;
}

/** The app in this process; returns its address and what it has used. */
async function serve(): Promise<{ address: string; usage: () => Usage; stop: () => Promise<void> }> {
  const handle = await openDatabase({ kind: "postgres", url });
  // The clock stands at the data's "now", so the queue's overdue and due-soon match the in-process runs.
  const fixedNow = new Date(now);
  // Every statement the app runs is counted (a plugin sees each executed query's result once), so the parent
  // can say how many queries a page costs.
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
  return {
    address,
    usage: () => {
      const { user, system } = process.cpuUsage();
      return { cpuMs: (user + system) / 1000, queries };
    },
    stop: async () => {
      await app.close();
      await handle.close();
    },
  };
}

function memory(): Record<string, number> {
  const found: Record<string, number> = {};
  for (const [key, bytes] of Object.entries(process.memoryUsage())) found[`${key}Mb`] = mb(bytes);
  // Started with --expose-gc: the heap still live after a full collection (a leak, or only garbage?).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    found.heapUsedAfterGcMb = mb(process.memoryUsage().heapUsed);
  }
  return found;
}

// What the parent asks on stdin: "cpu", the CPU time used (ms) and queries run, summed over the app's
// processes (the parent divides a run's by its pages); "memory", where the resident memory goes (V8 heap, or
// buffers outside it), of the (first) app process.
let answer: (question: "cpu" | "memory") => Promise<object>;
let stop: () => Promise<void>;

if (cluster.isWorker) {
  const app = await serve();
  process.on("message", (question: "cpu" | "memory") => {
    process.send!({ question, answer: question === "cpu" ? app.usage() : memory() });
  });
  process.on("SIGTERM", () => app.stop().then(() => process.exit(0)));
} else {
  if ((processes ?? 1) > 1) {
    const workers = Array.from({ length: processes! }, () => cluster.fork());
    const addresses = await Promise.all(
      workers.map((worker) => new Promise<{ port: number }>((done) => worker.once("listening", done))),
    );
    const ask = (worker: (typeof workers)[number], question: "cpu" | "memory") =>
      new Promise<{ question: string; answer: Record<string, number> }>((done) => {
        const listen = (message: { question: string; answer: Record<string, number> }) => {
          if (message.question !== question) return;
          worker.off("message", listen);
          done(message);
        };
        worker.on("message", listen);
        worker.send(question);
      });
    answer = async (question) => {
      if (question === "memory") return (await ask(workers[0]!, "memory")).answer;
      const usages = await Promise.all(workers.map((worker) => ask(worker, "cpu")));
      return {
        cpuMs: usages.reduce((sum, usage) => sum + (usage.answer.cpuMs ?? 0), 0),
        queries: usages.reduce((sum, usage) => sum + (usage.answer.queries ?? 0), 0),
        processes: workers.length,
      };
    };
    stop = async () => {
      for (const worker of workers) worker.process.kill("SIGTERM");
      await Promise.all(workers.map((worker) => new Promise((gone) => worker.once("exit", gone))));
    };
    process.stdout.write(`${JSON.stringify({ address: `http://127.0.0.1:${addresses[0]!.port}` })}\n`);
  } else {
    const app = await serve();
    answer = async (question) => (question === "cpu" ? app.usage() : memory());
    stop = app.stop;
    process.stdout.write(`${JSON.stringify({ address: app.address })}\n`);
  }
  process.stdin.setEncoding("utf8").on("data", (text: string) => {
    const question = text.includes("cpu") ? "cpu" : text.includes("memory") ? "memory" : null;
    if (question) void answer(question).then((found) => process.stdout.write(`${JSON.stringify(found)}\n`));
  });
  const end = () => stop().then(() => process.exit(0));
  process.on("SIGTERM", end);
  process.on("SIGINT", end);
}
