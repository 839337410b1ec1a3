// A child process of bench/casework.ts: the web app on the benchmark database, listening on 127.0.0.1 with
// an ephemeral port (printed as one JSON line), so the parent can read this process's resident memory.
import { openDatabase } from "../../src/db/index.ts";
import { memoryFileStore } from "../../src/storage/index.ts";
import { buildApp } from "../../src/web/index.ts";

const { url, now } = JSON.parse(process.argv[2] ?? "{}") as { url: string; now: string };
const handle = await openDatabase({ kind: "postgres", url });
// The clock stands at the data's "now", so the queue's overdue and due-soon match the in-process runs.
const fixedNow = new Date(now);
const app = buildApp({
  db: handle.db,
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
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
