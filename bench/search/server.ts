// A child process of bench/search.ts: the web app on the bench database (PostgreSQL or a PGlite folder),
// listening on 127.0.0.1 with an ephemeral port (printed as one JSON line), so that the load generator does
// not share this process's event loop.
import { openDatabase } from "../../src/db/index.ts";
import { memoryFileStore } from "../../src/storage/index.ts";
import { buildApp } from "../../src/web/index.ts";

const config = JSON.parse(process.argv[2] ?? "{}") as {
  url?: string;
  pgliteDir?: string;
  searchCache?: boolean;
  pool?: number;
};
const handle = config.url
  ? await openDatabase({
      kind: "postgres",
      url: config.url,
      ...(config.pool ? { poolSize: config.pool } : {}),
    })
  : await openDatabase({ kind: "pglite", dataDir: config.pgliteDir! });
const app = buildApp({
  db: handle.db,
  files: memoryFileStore(),
  config: { baseUrl: "http://127.0.0.1", searchCache: config.searchCache ?? true },
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
