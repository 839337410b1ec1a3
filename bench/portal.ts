// `npm run bench -- portal [options]`: the public intake under load. 50 clients submit requests through
// POST /api/v1/requests for 30 s against PostgreSQL, then against PGlite; the server runs in a child process.
// Reports submissions per second, latency percentiles, acknowledged (201) against stored (rows in the
// database) and duplicate references. One JSON object on stdout; progress on stderr.
//
// Each client is a closed loop (send, wait for the answer, send again) that finishes the request it has in
// flight when time is up, so every 201 can be checked against the database. (autocannon drops requests in
// flight when its duration ends, which would make "acknowledged" undercount what was stored.)
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { type DatabaseConfig, openDatabase } from "../src/db/index.ts";

const usage = `usage: portal [options]
  --seconds S     how long the clients submit, per backend (default 30)
  --clients C     concurrent clients (default 50)
  --server URL    PostgreSQL server (default postgres://postgres@127.0.0.1:5432)
  --database NAME the bench's own database, dropped and created afresh (default foidesk_portal_bench)
  --only NAME     postgres or pglite`;

function option(args: string[], name: string, fallback: string): string {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
}

const progress = (line: string) => process.stderr.write(`portal: ${line}\n`);
const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function freshPostgresDatabase(server: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`--database ${name}: letters, digits and _ only`);
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return `${server}/${name}`;
}

async function startServer(database: DatabaseConfig, outbox: string) {
  const path = new URL("./portal/server.ts", import.meta.url).pathname;
  const child: ChildProcess = spawn(process.execPath, [path, JSON.stringify({ database, outbox })], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await Promise.race([
    lines.next(),
    once(child, "exit").then(() => {
      throw new Error("the bench server stopped before it was ready");
    }),
  ]);
  const { address, token } = JSON.parse(String(first.value)) as { address: string; token: string };
  return {
    address,
    token,
    stop: async () => {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

interface LoadResult {
  seconds: number;
  latenciesMs: number[];
  statuses: Record<string, number>;
  references: string[];
  errors: number;
}

/** `clients` closed loops posting requests until `seconds` have passed; each finishes its last request. */
async function submitFor(
  address: string,
  token: string,
  clients: number,
  seconds: number,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  const references: string[] = [];
  let errors = 0;
  let sequence = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async (clientId: number) => {
    while (performance.now() < deadline) {
      const n = ++sequence;
      const body = JSON.stringify({
        regime: n % 5 === 0 ? "eir" : "foia",
        requester: { name: `Bench Requester ${n}`, email: `requester${n}@example.org` },
        body: `Client ${clientId}, submission ${n}: how many requests did you receive last year?`,
      });
      const sent = performance.now();
      try {
        const response = await fetch(`${address}/api/v1/requests`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body,
        });
        const answer = (await response.json()) as { reference?: string };
        latenciesMs.push(performance.now() - sent);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 201 && answer.reference) references.push(answer.reference);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, id) => client(id)));
  return { seconds: (performance.now() - started) / 1000, latenciesMs, statuses, references, errors };
}

async function storedReferences(database: DatabaseConfig): Promise<string[]> {
  const handle = await openDatabase(database);
  try {
    const rows = await handle.db.selectFrom("requests").select("reference").execute();
    return rows.map((row) => row.reference);
  } finally {
    await handle.close();
  }
}

async function run(backend: "postgres" | "pglite", args: string[], clients: number, seconds: number) {
  const folder = await mkdtemp(join(tmpdir(), `foidesk-portal-${backend}-`));
  const outbox = join(folder, "outbox");
  try {
    const database: DatabaseConfig =
      backend === "postgres"
        ? {
            kind: "postgres",
            url: await freshPostgresDatabase(
              option(args, "--server", "postgres://postgres@127.0.0.1:5432"),
              option(args, "--database", "foidesk_portal_bench"),
            ),
          }
        : { kind: "pglite", dataDir: join(folder, "pglite") };
    const server = await startServer(database, outbox);
    progress(`${backend}: ${clients} clients for ${seconds} s against ${server.address}`);
    let load: LoadResult;
    try {
      load = await submitFor(server.address, server.token, clients, seconds);
    } finally {
      await server.stop();
    }
    const stored = await storedReferences(database);
    const storedSet = new Set(stored);
    const acknowledgedSet = new Set(load.references);
    const sorted = [...load.latenciesMs].sort((a, b) => a - b);
    const emails = (await readdir(outbox).catch(() => [])).filter((name) => name.endsWith(".eml")).length;
    const result = {
      backend,
      clients,
      seconds: round(load.seconds, 2),
      submissions: load.latenciesMs.length + load.errors,
      submissionsPerSecond: round(load.references.length / load.seconds),
      latencyMs: {
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted.at(-1) ?? Number.NaN),
      },
      statuses: load.statuses,
      networkErrors: load.errors,
      acknowledged: load.references.length,
      stored: stored.length,
      acknowledgedButMissing: load.references.filter((reference) => !storedSet.has(reference)).length,
      storedButNotAcknowledged: stored.filter((reference) => !acknowledgedSet.has(reference)).length,
      duplicateReferences: load.references.length - acknowledgedSet.size + (stored.length - storedSet.size),
      acknowledgementEmailsWritten: emails,
    };
    progress(
      `${backend}: ${result.submissionsPerSecond}/s, p95 ${result.latencyMs.p95} ms, acknowledged ${result.acknowledged}, stored ${result.stored}`,
    );
    return result;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

export async function main(args: string[]): Promise<void> {
  if (args.includes("--help")) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const seconds = Number(option(args, "--seconds", "30"));
  const clients = Number(option(args, "--clients", "50"));
  if (!(seconds > 0) || !(clients > 0 && Number.isInteger(clients))) throw new Error(usage);
  const only = option(args, "--only", "");
  const backends = (["postgres", "pglite"] as const).filter((backend) => !only || backend === only);
  const results = [];
  for (const backend of backends) results.push(await run(backend, args, clients, seconds));
  const ok = results.every(
    (result) =>
      result.acknowledged === result.stored &&
      result.acknowledgedButMissing === 0 &&
      result.duplicateReferences === 0,
  );
  process.stdout.write(
    `${JSON.stringify({ bench: "portal", node: process.version, ok, results }, null, 2)}\n`,
  );
  if (!ok) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
