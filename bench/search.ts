// `npm run bench -- search [options]`, or `node bench/search.ts [options]` (--help lists them).
// With N published replies (generated once per backend, reused after): the disclosure log's search over HTTP
// under autocannon (10 connections) for one-word, two-word, phrase and filtered queries; the same searches
// through the publication module's SQL without HTTP, at the same concurrency; reply pages per second; and the
// database's size per 100,000 replies. On PostgreSQL (its own database) and PGlite (its own folder). On a
// PostgreSQL server with the rum extension the searches are measured twice in the same run, side by side: with
// the RUM index the migrations chose, and on a copy of the database given the GIN index instead; each index's
// relevance is scored on a judged query set (search/relevance.ts). The machine's load is printed with each run.
// Every search asks the database (the app's kept searches off), except the `mixKept` runs: the same mix with
// searches kept per version of the log, as the app runs by default. One JSON object on stdout; progress on
// stderr.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import {
  type Database,
  type DatabaseHandle,
  defaultPoolSize,
  migrateToLatest,
  openDatabase,
} from "../src/db/index.ts";
import { insertPublishedReplies } from "../src/publication/repo.ts";
import {
  type DisclosureLogParams,
  type SearchOptions,
  searchDisclosureLog,
  searchEngine,
} from "../src/publication/search.ts";
import { seededRandom } from "../src/random.ts";
import { type Latency, summarise } from "./casework/measure.ts";
import { generatedReply } from "./search/generate.ts";
import { judgeRelevance } from "./search/relevance.ts";

const usage = `usage: search [options]
  --n N               published replies on PostgreSQL (default 100000); a database holding them is reused
  --pglite-n N        published replies on PGlite (default: the same as --n, at most 100000)
  --fresh             drop the generated replies and make them again
  --server URL        PostgreSQL server (default postgres://postgres@127.0.0.1:5432)
  --database NAME     the bench's own database (default foidesk_search_bench)
  --pglite-dir DIR    PGlite's folder (default /tmp/foidesk-search-bench-pglite-<n>)
  --seed S            generator seed (default 20260306)
  --duration SECONDS  autocannon time per query kind (default 10); the SQL runs get the same
  --connections C     autocannon connections, and concurrent SQL callers (default 10)
  --pool P            connections to PostgreSQL, for the SQL callers and the app (default: the app's own,
                      DATABASE_POOL_SIZE's default, defaultPoolSize: twice the cores)
  --batch B           rows per insert (default 500)
  --skip-pglite, --skip-postgres, --skip-http`;

function option(args: string[], name: string, fallback: string): string {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
}
const log = (message: string) => process.stderr.write(`[search] ${message}\n`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The query mix, by kind. Words from the generator's topics: some rare, some common. */
export const queryMix: Record<string, DisclosureLogParams[]> = {
  oneWord: [
    { q: "parking" },
    { q: "drones" },
    { q: "overtime" },
    { q: "taser" },
    { q: "custody" },
    { q: "budget" },
  ],
  twoWord: [
    { q: "speed cameras" },
    { q: "knife crime" },
    { q: "facial recognition" },
    { q: "sickness absence" },
    { q: "police helicopter" },
    { q: "dangerous dogs" },
  ],
  phrase: [
    { q: '"stop and search"' },
    { q: '"body worn video"' },
    { q: '"county lines"' },
    { q: '"purchase cards"' },
    { q: '"domestic abuse" -refuges' },
    { q: "drones or helicopters" },
  ],
  filtered: [
    { q: "gangs", exemption: "foia-31" },
    { q: "parking", year: "2024" },
    { q: "overtime", outcome: "refused-cost" },
    { q: "knife", regime: "foia", year: "2023" },
    { year: "2025", outcome: "not-held" },
    { exemption: "foia-40", topic: "Complaints" },
  ],
};

function searchPath(params: DisclosureLogParams, base = "/disclosure-log"): string {
  const query = new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  ).toString();
  return query ? `${base}?${query}` : base;
}

// ---- Data -------------------------------------------------------------------------------------------------

async function ensurePostgresDatabase(server: string, database: string): Promise<string> {
  const admin = new pg.Client({ connectionString: `${server.replace(/\/+$/, "")}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [database]);
    if (!rowCount) await admin.query(`create database ${database.replace(/[^a-z0-9_]/gi, "")}`);
  } finally {
    await admin.end();
  }
  return `${server.replace(/\/+$/, "")}/${database}`;
}

/**
 * The GIN twin: a copy of the bench database (made from it as a template, so the same rows) whose search index
 * is GIN, as where the rum extension is missing. Made again when it does not hold `n` replies.
 */
async function ensureGinTwin(server: string, database: string, twin: string, n: number, fresh: boolean) {
  const base = server.replace(/\/+$/, "");
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [twin]);
    let current = false;
    if (rowCount && !fresh) {
      const client = new pg.Client({ connectionString: `${base}/${twin}` });
      await client.connect();
      const { rows } = await client.query<{ n: number }>("select count(*)::int as n from published_replies");
      await client.end();
      current = rows[0]?.n === n;
    }
    if (!current) {
      log(`postgres: copying the database for the GIN twin ${twin}`);
      if (rowCount) await admin.query(`drop database ${twin}`);
      await admin.query(`create database ${twin} template ${database}`);
    }
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ connectionString: `${base}/${twin}` });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      "select 1 from pg_class where relname = 'published_replies_search_rum'",
    );
    if (rowCount) {
      log(`postgres: giving ${twin} the GIN index`);
      await client.query("drop index published_replies_search_rum");
      await client.query(
        "create index if not exists published_replies_search on published_replies using gin (search) where withdrawn_at is null",
      );
      // The sampled replies' index (migration 0051) as a server without RUM has it: GIN, the same replies.
      const sample = await client.query<{ indexdef: string }>(
        "select indexdef from pg_indexes where indexname = 'published_replies_search_sample' and indexdef like '%USING rum%'",
      );
      const definition = sample.rows[0]?.indexdef;
      if (definition) {
        await client.query("drop index published_replies_search_sample");
        await client.query(definition.replace(/USING rum \(search [^)]*\)/, "USING gin (search)"));
      }
      await client.query("vacuum analyze published_replies");
    }
  } finally {
    await client.end();
  }
  return `${base}/${twin}`;
}

async function countReplies(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from published_replies`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Makes the table hold exactly `n` generated replies (reused when it already does). */
async function generate(
  db: Kysely<Database>,
  n: number,
  seed: number,
  batch: number,
  fresh: boolean,
  label: string,
) {
  const existing = await countReplies(db);
  if (existing === n && !fresh) {
    log(`${label}: ${n} replies already there`);
    return { generatedSeconds: null };
  }
  await sql`truncate published_replies restart identity cascade`.execute(db);
  // The search index is made again after the load, as a bulk load is done: kept up row by row, RUM's index
  // was most of the load's time (100,000 replies at ~550 a second).
  const { rows: searchIndexes } = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes
    where tablename = 'published_replies' and schemaname = current_schema() and indexname like 'published_replies_search%'
  `.execute(db);
  for (const index of searchIndexes) await sql`drop index ${sql.id(index.name)}`.execute(db);
  const random = seededRandom(seed);
  const now = new Date("2026-11-26T09:00:00Z");
  const started = performance.now();
  for (let at = 0; at < n; at += batch) {
    const rows = Array.from({ length: Math.min(batch, n - at) }, (_, k) =>
      generatedReply(random, at + k + 1, now),
    );
    await insertPublishedReplies(db, rows);
    if ((at / batch) % 20 === 0) {
      const rate = (at + rows.length) / ((performance.now() - started) / 1000);
      log(`${label}: ${at + rows.length}/${n} (${Math.round(rate)}/s)`);
    }
  }
  for (const index of searchIndexes) {
    log(`${label}: making ${index.name} again`);
    await sql.raw(index.definition).execute(db);
  }
  await sql`vacuum analyze published_replies`.execute(db);
  // As autovacuum leaves them in time: the kept ranks' pages all-visible, so their index is read alone.
  await sql`vacuum analyze published_search_terms`.execute(db);
  const seconds = round((performance.now() - started) / 1000);
  log(`${label}: generated ${n} replies in ${seconds}s`);
  return { generatedSeconds: seconds };
}

async function sizes(db: Kysely<Database>, n: number) {
  const { rows } = await sql<{ name: string; bytes: number }>`
    select c.relname as name, pg_total_relation_size(c.oid)::bigint as bytes
    from pg_class c
    where c.relname = 'published_replies' or (c.relkind = 'i' and c.relname like 'published_replies%')
  `.execute(db);
  const mb = (bytes: number) => round(bytes / 1024 / 1024);
  const total = rows.find((row) => row.name === "published_replies")?.bytes ?? 0;
  const indexes: Record<string, number> = {};
  for (const row of rows) if (row.name !== "published_replies") indexes[row.name] = mb(Number(row.bytes));
  // Each word's kept rank per reply (migration 0050), with its index.
  const { rows: kept } = await sql<{ bytes: number; heap: number; buffers: string }>`
    select pg_total_relation_size('published_search_terms')::bigint as bytes,
      pg_relation_size('published_replies')::bigint as heap, current_setting('shared_buffers') as buffers`.execute(
    db,
  );
  return {
    // The server's buffer pool beside the replies' own pages (what a search that reads every match visits):
    // at 1,000,000 replies, 467 MB of them through the default 128 MB.
    sharedBuffers: kept[0]?.buffers ?? "",
    heapMb: mb(Number(kept[0]?.heap ?? 0)),
    totalMb: mb(Number(total)),
    per100kMb: mb((Number(total) * 100_000) / Math.max(1, n)),
    indexesMb: indexes,
    searchTermsMb: mb(Number(kept[0]?.bytes ?? 0)),
  };
}

// ---- Measuring --------------------------------------------------------------------------------------------

/** The search pages' work without HTTP: `connections` callers at once, for `seconds`, cycling the queries. */
async function measureSql(
  db: Kysely<Database>,
  queries: DisclosureLogParams[],
  seconds: number,
  connections: number,
  cache = false,
  extra: SearchOptions = {},
): Promise<Latency & { perSecond: number; loadAverage1m: number; snippetsMsP50?: number }> {
  const options = { ...extra, cache };
  for (const query of queries) await searchDisclosureLog(db, query, options); // warm
  const samples: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, caller) => {
      for (let i = caller; performance.now() < deadline; i += connections) {
        const begin = performance.now();
        await searchDisclosureLog(db, queries[i % queries.length]!, options);
        samples.push(performance.now() - begin);
      }
    }),
  );
  return {
    ...summarise(samples),
    perSecond: round(samples.length / ((performance.now() - started) / 1000)),
    loadAverage1m: round(loadavg()[0] ?? 0, 2),
  };
}

interface AutocannonInstance {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (
  options: Record<string, unknown>,
  done: (
    error: Error | null,
    result: { requests: { average: number }; non2xx: number; errors: number },
  ) => void,
) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

async function measureHttp(address: string, paths: string[], seconds: number, connections: number) {
  const samples: number[] = [];
  let bad = 0;
  const result = await new Promise<{ requests: { average: number }; non2xx: number; errors: number }>(
    (resolve, reject) => {
      const instance = autocannon(
        {
          url: address,
          connections,
          duration: seconds,
          requests: paths.map((path) => ({ method: "GET", path })),
        },
        (error, outcome) => (error ? reject(error) : resolve(outcome)),
      );
      instance.on("response", (_client, status, _bytes, ms) => {
        if (status >= 400) bad++;
        samples.push(ms);
      });
    },
  );
  return {
    ...summarise(samples),
    perSecond: round(result.requests.average),
    non2xx: result.non2xx + bad - Math.min(bad, result.non2xx),
    errors: result.errors,
  };
}

function spawnServer(config: unknown): { child: ChildProcess; address: Promise<string> } {
  const path = new URL("./search/server.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, [path, JSON.stringify(config)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const address = (async () => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    const line = await lines.next();
    clearTimeout(timer);
    if (line.done) throw new Error("the server ended without listening");
    return (JSON.parse(line.value) as { address: string }).address;
  })();
  return { child, address };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

async function sampleReferences(db: Kysely<Database>, count: number, seed: number): Promise<string[]> {
  const { rows } = await sql<{ reference: string }>`
    select reference from published_replies where withdrawn_at is null
    order by md5(reference || ${String(seed)}) limit ${count}`.execute(db);
  return rows.map((row) => row.reference);
}

interface BackendPlan {
  name: "postgres" | "pglite";
  n: number;
  open(): Promise<DatabaseHandle>;
  serverConfig: unknown;
  /** PostgreSQL with RUM: the GIN twin, opened after the data is there (the copy needs no one connected). */
  twin?(): Promise<DatabaseHandle>;
}

async function runBackend(
  plan: BackendPlan,
  options: {
    seed: number;
    batch: number;
    fresh: boolean;
    seconds: number;
    connections: number;
    http: boolean;
  },
) {
  let handle = await plan.open();
  const migrated = await migrateToLatest(handle.db);
  // A migration that rewrote the replies leaves dead rows behind it.
  if (migrated.applied.length > 0) await sql`vacuum analyze published_replies`.execute(handle.db);
  const generation = await generate(handle.db, plan.n, options.seed, options.batch, options.fresh, plan.name);
  const engine = await searchEngine(handle.db);
  let twin: DatabaseHandle | null = null;
  if (plan.twin && engine.index === "rum") {
    await handle.close();
    twin = await plan.twin();
    handle = await plan.open();
  }
  const size = await sizes(handle.db, plan.n);
  const twinSize = twin ? await sizes(twin.db, plan.n) : null;
  const references = await sampleReferences(handle.db, 200, options.seed);
  const counts: Record<string, number> = {};
  for (const queries of Object.values(queryMix))
    for (const query of queries)
      counts[searchPath(query, "")] = (await searchDisclosureLog(handle.db, query, { cache: false })).total;

  // Each run on the migrations' index, then at once the same on the GIN twin, so both see the same load; and
  // on the GIN twin (or the one database, without rum) every match scored as before the kept word ranks
  // (migration 0050): "everyMatch", the same results found the old way.
  const engines: { name: string; db: Kysely<Database>; options?: SearchOptions }[] = [
    { name: engine.index, db: handle.db },
    ...(twin ? [{ name: "gin", db: twin.db }] : []),
    { name: "everyMatch", db: (twin ?? handle).db, options: { ranking: "every-match" } },
  ];
  const byEngine: Record<string, Record<string, unknown>> = Object.fromEntries(
    engines.map((e) => [e.name, {}]),
  );
  const all = Object.values(queryMix).flat();
  const runs: [string, DisclosureLogParams[], number, boolean][] = [
    ...Object.entries(queryMix).map(
      ([kind, queries]) =>
        [kind, queries, options.connections, false] as [string, DisclosureLogParams[], number, boolean],
    ),
    ["mix", all, options.connections, false],
    ["mixOneAtATime", all, 1, false],
    ["mixKept", all, options.connections, true],
    // The same mix without snippets: what ts_headline costs (computed for the page's rows only, repo.ts).
    ["mixNoSnippets", all, options.connections, false],
  ];
  for (const [kind, queries, connections, cache] of runs)
    for (const e of engines) {
      log(`${plan.name} (${e.name}): SQL ${kind}`);
      byEngine[e.name]![kind] = await measureSql(
        e.db,
        queries,
        options.seconds,
        connections,
        cache,
        kind === "mixNoSnippets" ? { ...e.options, snippets: false } : e.options,
      );
    }
  // The same queries one at a time with the ways taking turns, query by query: each way's median per kind
  // then sees the same load on a shared machine, where runs one after another may not.
  const interleaved: Record<string, Record<string, number>> = {};
  for (const [kind, queries] of Object.entries(queryMix)) {
    const samples: Record<string, number[]> = Object.fromEntries(engines.map((e) => [e.name, []]));
    for (const query of queries)
      for (let round = 0; round < 6; round++)
        for (const e of engines) {
          const begin = performance.now();
          await searchDisclosureLog(e.db, query, { ...e.options, cache: false });
          if (round > 0) samples[e.name]!.push(performance.now() - begin);
        }
    interleaved[kind] = Object.fromEntries(
      engines.map((e) => [`${e.name}P50`, summarise(samples[e.name]!).p50]),
    );
  }
  const relevance: Record<string, unknown> = {};
  for (const e of engines) {
    log(`${plan.name} (${e.name}): relevance on the judged queries`);
    relevance[e.name] = await judgeRelevance(e.db, e.options);
  }
  await twin?.close();
  const sqlRuns = byEngine[engine.index]!;
  // Best first (the app, on its index and on GIN) beside every match scored, in the same run.
  const sideBySide: Record<string, unknown> = {};
  for (const [kind] of runs) {
    const of = (name: string) => byEngine[name]?.[kind] as (Latency & { perSecond: number }) | undefined;
    const best = of(engine.index)!;
    const every = of("everyMatch")!;
    const gin = of("gin");
    sideBySide[kind] = {
      [`${engine.index}P50`]: best.p50,
      ...(gin ? { ginP50: gin.p50 } : {}),
      everyMatchP50: every.p50,
      [`${engine.index}P95`]: best.p95,
      ...(gin ? { ginP95: gin.p95 } : {}),
      everyMatchP95: every.p95,
      [`${engine.index}PerSecond`]: best.perSecond,
      ...(gin ? { ginPerSecond: gin.perSecond } : {}),
      everyMatchPerSecond: every.perSecond,
      throughputRatio: round(best.perSecond / Math.max(0.1, every.perSecond), 2),
    };
  }

  let http: Record<string, unknown> | null = null;
  if (options.http) {
    // PGlite allows one process in its folder: the server child takes it over while HTTP is measured.
    if (plan.name === "pglite") await handle.close();
    let server = spawnServer({ ...(plan.serverConfig as object), searchCache: false });
    try {
      const address = await server.address;
      http = {};
      for (const [kind, queries] of Object.entries(queryMix)) {
        log(`${plan.name}: HTTP ${kind}`);
        await measureHttp(
          address,
          queries.map((query) => searchPath(query)),
          2,
          options.connections,
        );
        http[kind] = await measureHttp(
          address,
          queries.map((query) => searchPath(query)),
          options.seconds,
          options.connections,
        );
      }
      log(`${plan.name}: HTTP mix, JSON API mix, reply pages`);
      http.mix = await measureHttp(
        address,
        all.map((query) => searchPath(query)),
        options.seconds,
        options.connections,
      );
      http.apiMix = await measureHttp(
        address,
        all.map((query) => searchPath(query, "/api/v1/disclosure-log")),
        options.seconds,
        options.connections,
      );
      http.replyPage = await measureHttp(
        address,
        references.map((reference) => `/disclosure-log/${reference}`),
        options.seconds,
        options.connections,
      );
      await stopServer(server.child);
      log(`${plan.name}: HTTP mix, kept searches`);
      server = spawnServer({ ...(plan.serverConfig as object), searchCache: true });
      const keptAt = await server.address;
      for (const query of all)
        await fetch(`${keptAt}${searchPath(query)}`).then((response) => response.text());
      http.mixKept = await measureHttp(
        keptAt,
        all.map((query) => searchPath(query)),
        options.seconds,
        options.connections,
      );
    } finally {
      await stopServer(server.child);
      if (plan.name === "pglite") handle = await plan.open();
    }
  }
  await handle.close();

  const overhead: Record<string, unknown> = {};
  if (http)
    for (const kind of [...Object.keys(queryMix), "mix", "mixKept"]) {
      const viaHttp = (http[kind] as Latency).p95;
      const viaSql = (sqlRuns[kind] as Latency).p95;
      const allowed = Math.max(viaSql * 0.3, 5);
      overhead[kind] = {
        sqlP95: viaSql,
        httpP95: viaHttp,
        addedMs: round(viaHttp - viaSql, 2),
        allowedMs: round(allowed, 2),
        withinAim: viaHttp - viaSql <= allowed,
      };
    }
  return {
    n: plan.n,
    searchIndex: engine.description,
    generation,
    size,
    ...(twinSize ? { ginTwinSize: twinSize } : {}),
    resultCounts: counts,
    sql: sqlRuns,
    ...(twin ? { sqlGin: byEngine.gin } : {}),
    sqlEveryMatch: byEngine.everyMatch,
    sideBySide,
    interleavedOneAtATime: interleaved,
    relevance,
    http,
    httpOverheadP95: overhead,
  };
}

export async function main(args: string[]): Promise<void> {
  if (args.includes("--help")) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const n = Number(option(args, "--n", "100000"));
  const pgliteN = Number(option(args, "--pglite-n", String(Math.min(n, 100_000))));
  const server = option(args, "--server", "postgres://postgres@127.0.0.1:5432");
  const database = option(args, "--database", "foidesk_search_bench");
  const seed = Number(option(args, "--seed", "20260306"));
  const options = {
    seed,
    batch: Number(option(args, "--batch", "500")),
    fresh: args.includes("--fresh"),
    seconds: Number(option(args, "--duration", "10")),
    connections: Number(option(args, "--connections", "10")),
    pool: Number(option(args, "--pool", String(defaultPoolSize()))),
    http: !args.includes("--skip-http"),
  };
  const report: Record<string, unknown> = {
    bench: "search",
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, loadAverage: loadavg().map((x) => round(x, 2)), node: process.version },
    note: "the machine is shared: loadAverage here and loadAverage1m in each run say how busy it was",
    options: { n, pgliteN, ...options, queryMix },
    aims: {
      postgresSearchP95Ms: n >= 1_000_000 ? 100 : 50,
      rumThroughputAtLeast: "5× the GIN path's cold mix at 100,000 replies",
      httpAddsAtMost: "30% of the SQL p95, or 5 ms, whichever is larger",
    },
  };
  if (!args.includes("--skip-postgres")) {
    const url = await ensurePostgresDatabase(server, database);
    report.postgres = await runBackend(
      {
        name: "postgres",
        n,
        open: () => openDatabase({ kind: "postgres", url, poolSize: options.pool }),
        serverConfig: { url, pool: options.pool },
        twin: async () => {
          const twinUrl = await ensureGinTwin(server, database, `${database}_gin`, n, options.fresh);
          const twin = await openDatabase({ kind: "postgres", url: twinUrl, poolSize: options.pool });
          // A twin copied before a migration gets it now, as a server without RUM would (GIN indexes).
          const migrated = await migrateToLatest(twin.db);
          if (migrated.applied.length > 0) await sql`vacuum analyze published_replies`.execute(twin.db);
          return twin;
        },
      },
      options,
    );
  }
  if (!args.includes("--skip-pglite")) {
    const dir = option(args, "--pglite-dir", `/tmp/foidesk-search-bench-pglite-${pgliteN}`);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    report.pglite = await runBackend(
      {
        name: "pglite",
        n: pgliteN,
        open: () => openDatabase({ kind: "pglite", dataDir: dir }),
        serverConfig: { pgliteDir: dir },
      },
      options,
    );
  }
  report.finishedAt = new Date().toISOString();
  report.loadAverageAtEnd = loadavg().map((x) => round(x, 2));
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

if (import.meta.main) await main(process.argv.slice(2));
