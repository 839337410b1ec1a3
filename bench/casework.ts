// `npm run bench -- casework [options]`, or `node bench/casework.ts [options]` (--help lists them).
// With N requests in PostgreSQL (generated once, reused after): the work queue for one team (first and a deep
// page), the request page for random requests, the same over HTTP when the staff pages exist (the server in a
// child process, so its resident memory can be read), the work queue's plan, and references made by 100
// concurrent creators in two processes. One JSON object on stdout; progress on stderr.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { loadavg } from "node:os";
import { createInterface } from "node:readline";
import { sql } from "kysely";
import pg from "pg";
import { openDatabase } from "../src/db/index.ts";
import { seededRandom } from "../src/random.ts";
import { type Actor, closedStates, requestDetail, workQueue } from "../src/requests/index.ts";
import { seal } from "../src/sealed.ts";
import { enterSecondFactor, hashPassword, signIn, totpCode } from "../src/users/index.ts";
import { newTotpSecret } from "../src/users/totp.ts";
import type { CreatorConfig, CreatorReport } from "./casework/creator.ts";
import { databaseUrl, load } from "./casework/load.ts";
import { captureQueries, explain, type Latency, timeCalls, timeConcurrentCalls } from "./casework/measure.ts";

/** The queue as the system sees it: every request, subject access included. */
const everyone = { userId: null, label: "bench", role: "system" as const };

const usage = `usage: casework [options]
  --n N                 requests to generate (default 1000000); a database holding them already is reused
  --fresh               drop and rebuild the bench database
  --server URL          PostgreSQL server (default postgres://postgres@127.0.0.1:5432)
  --database NAME       the bench's own database (default foidesk_bench)
  --seed S              generator seed (default 20221201)
  --years Y             years of received dates (default 6)
  --teams T             teams (default 20; three staff each, plus managers)
  --batch B             requests per load transaction (default 5000)
  --iterations I        timed calls per measurement (default 300), after --warmup W (default 30)
  --budget SECONDS      time allowed per measurement (default 120)
  --creators C          concurrent reference creators (default 100), split over --processes P (default 2)
  --references R        requests they create (default 2000), --creator-pool K connections per process (default 25)
  --reference-year Y    the SAR year they use (default 1999; its rows are removed before and after)
  --server-options "…"  Node options for the web app's process, e.g. "--max-semi-space-size=8"
  --server-processes N  the web app in N processes sharing its port, as "foidesk serve --workers N" (default 1)
  --skip-http, --skip-references`;

function option(args: string[], name: string, fallback: string): string {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
}
/** The i-th item, going round (warm-up calls pass negative i). */
const cycle = (list: number[], i: number) => list[((i % list.length) + list.length) % list.length]!;
const log = (message: string) => process.stderr.write(`[casework] ${message}\n`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Kills a child if a phase overruns, so the bench always ends. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string, child?: ChildProcess): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child?.kill("SIGKILL");
      reject(new Error(`${what} took longer than ${ms / 1000}s`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The CPU time (ms) used so far by every PostgreSQL process on this machine (Linux /proc; 0 elsewhere). */
function postgresCpuMs(): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        if (!stat.includes("(postgres)")) continue;
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (proc(5): fields 14 and 15)
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

function rssMb(pid: number): { rssMb: number; peakRssMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) =>
      Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1] ?? Number.NaN);
    return { rssMb: round(kb("VmRSS") / 1024), peakRssMb: round(kb("VmHWM") / 1024) };
  } catch {
    return null;
  }
}

function spawnTs(
  script: string,
  config: unknown,
  nodeOptions: string[] = [],
): { child: ChildProcess; lines: AsyncIterator<string> } {
  const path = new URL(script, import.meta.url).pathname;
  const child = spawn(process.execPath, [...nodeOptions, path, JSON.stringify(config)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines };
}

async function nextLine(
  lines: AsyncIterator<string>,
  ms: number,
  what: string,
  child: ChildProcess,
): Promise<string> {
  const line = await withTimeout(lines.next(), ms, what, child);
  if (line.done) throw new Error(`${what}: the child process ended without answering`);
  return line.value;
}

interface HttpReport {
  workQueue: Latency;
  workQueueDeepPage: Latency & { page: number };
  workQueueTenCallers: Latency & {
    callers: number;
    perSecond: number;
    serverCpuMsPerPage: number;
    clientCpuMsPerPage: number;
    databaseCpuMsPerPage: number;
    queriesPerPage: number | null;
  };
  requestPage: Latency;
  bytes: { workQueue: number; requestPage: number };
}

/** The staff pages over HTTP, signed in as a manager through the users module. */
async function measureHttp(
  url: string,
  now: string,
  team: { id: number; pages: number },
  ids: number[],
  counts: { iterations: number; warmup: number; budgetMs: number },
  serverOptions: string[],
  processes: number,
): Promise<{
  http: HttpReport | null;
  httpSkipped?: string;
  server: ReturnType<typeof rssMb>;
  memory?: Record<string, number>;
}> {
  if (!existsSync(new URL("../src/web/app.ts", import.meta.url)))
    return { http: null, httpSkipped: "src/web/app.ts does not exist", server: null };
  const handle = await openDatabase({ kind: "postgres", url, poolSize: 2 });
  const password = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const passwordHash = await hashPassword(password);
  // A manager must have a second factor: the bench's has an authenticator secret of its own, sealed as the
  // users module keeps one (migration 0042), with the key the web app's process reads too.
  const totpSecret = newTotpSecret();
  await sql`insert into users (username, display_name, role, password_hash, totp_secret, totp_enabled_at) values ('bench.http', 'Bench Manager', 'manager', ${passwordHash}, ${seal(totpSecret, "totp-secret")}, now())
    on conflict ((lower(username))) do update set password_hash = excluded.password_hash, active = true,
      totp_secret = excluded.totp_secret, totp_enabled_at = excluded.totp_enabled_at, totp_last_step = null`.execute(
    handle.db,
  );
  await sql`delete from sign_in_throttle where kind = 'account-address' and subject like 'bench.http %'`.execute(
    handle.db,
  );
  const passwordStep = await signIn(
    handle.db,
    { username: "bench.http", password, ip: "127.0.0.1" },
    new Date(now),
  );
  const session = await enterSecondFactor(
    handle.db,
    { token: passwordStep.token, code: totpCode(totpSecret, new Date(now)), ip: "127.0.0.1" },
    new Date(now),
  );
  await handle.close();

  const { child, lines } = spawnTs("./casework/server.ts", { url, now, processes }, [
    "--expose-gc",
    ...serverOptions,
  ]);
  try {
    const { address } = JSON.parse(await nextLine(lines, 60_000, "starting the web app", child)) as {
      address: string;
    };
    const headers = { cookie: `foidesk_session=${session.token}` };
    let bytes = 0;
    // node:http with kept-alive connections, not fetch: the callers share the server's two cores, and fetch cost
    // them 0.6 ms of CPU a page, http.get about half that; the server's own work is what is measured.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    const get = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const request = http.get(`${address}${path}`, { headers, agent, timeout: 30_000 }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const body = Buffer.concat(chunks).toString("utf8");
            if (response.statusCode !== 200) reject(new Error(`GET ${path}: ${response.statusCode}`));
            else {
              bytes = body.length;
              resolve(body);
            }
          });
        });
        request.on("timeout", () => request.destroy(new Error(`GET ${path}: no answer in 30 s`)));
        request.on("error", reject);
      });
    // A manager picks any team's queue with view=team-<id> (src/web/staff/routes/requests.ts).
    const queuePath = (page: number) =>
      `/staff/requests?view=team-${team.id}${page > 1 ? `&page=${page}` : ""}`;
    for (const path of [queuePath(1), `/staff/requests/${ids[0]}`]) {
      try {
        await get(path);
      } catch (error) {
        return {
          http: null,
          httpSkipped: `the staff pages are not there yet (${(error as Error).message})`,
          server: rssMb(child.pid!),
        };
      }
    }
    const { iterations, warmup, budgetMs } = counts;
    const queue = await timeCalls(() => get(queuePath(1)), iterations, warmup, budgetMs);
    const queueBytes = bytes;
    const deep = await timeCalls(() => get(queuePath(team.pages)), iterations, warmup, budgetMs);
    // The server's CPU time per page while ten call at once: what a page costs, whatever else the machine runs.
    const cpuMs = async () => {
      child.stdin!.write("cpu\n");
      return JSON.parse(await nextLine(lines, 10_000, "asking the web app its CPU time", child)) as {
        cpuMs: number;
        queries?: number;
      };
    };
    const before = await cpuMs();
    const [clientBefore, databaseBefore] = [process.cpuUsage(), postgresCpuMs()];
    // Ten officers at once, each on one of the first pages of the queue (issue 19's aim: p95 ≤ 50 ms).
    const tenCallers = await timeConcurrentCalls(
      (i) => get(queuePath(1 + (Math.abs(i) % Math.min(team.pages, 5)))),
      10,
      iterations,
      budgetMs,
    );
    // Each caller's warm-up call is in the CPU time too.
    const after = await cpuMs();
    const client = process.cpuUsage(clientBefore);
    const databaseCpuMs = postgresCpuMs() - databaseBefore;
    const serverCpuMsPerPage = (after.cpuMs - before.cpuMs) / (tenCallers.iterations + 10);
    // The statements one page runs (sign-in's session and user, the queue's rows and counts…).
    const queriesPerPage =
      after.queries === undefined || before.queries === undefined
        ? null
        : (after.queries - before.queries) / (tenCallers.iterations + 10);
    const page = await timeCalls(
      (i) => get(`/staff/requests/${cycle(ids, i)}`),
      iterations,
      warmup,
      budgetMs,
    );
    const server = rssMb(child.pid!);
    child.stdin!.write("memory\n");
    const memory = JSON.parse(
      await nextLine(lines, 10_000, "asking the web app its memory", child),
    ) as Record<string, number>;
    return {
      memory,
      http: {
        workQueue: queue,
        workQueueDeepPage: { ...deep, page: team.pages },
        workQueueTenCallers: {
          ...tenCallers,
          serverCpuMsPerPage: round(serverCpuMsPerPage, 2),
          // The rest of what the machine spent per page: the ten callers (this process: fetch, reading each
          // page) and PostgreSQL's processes (every one on the machine, whoever they serve).
          clientCpuMsPerPage: round((client.user + client.system) / 1000 / (tenCallers.iterations + 10), 2),
          databaseCpuMsPerPage: round(databaseCpuMs / (tenCallers.iterations + 10), 2),
          queriesPerPage: queriesPerPage === null ? null : round(queriesPerPage, 2),
        },
        requestPage: page,
        bytes: { workQueue: queueBytes, requestPage: bytes },
      },
      server,
    };
  } finally {
    child.kill("SIGTERM");
    await withTimeout(once(child, "exit"), 10_000, "stopping the web app", child).catch(() => {});
  }
}

interface ReferenceReport {
  creators: number;
  processes: number;
  poolPerProcess: number;
  regime: string;
  year: number;
  attempted: number;
  created: number;
  errors: number;
  firstError: string | null;
  duplicates: number;
  gaps: number;
  counterMatches: boolean;
  duplicateRequesters: number;
  seconds: number;
  perSecond: number;
}

async function removeReferenceRows(client: pg.Client, regime: string, year: number): Promise<void> {
  const range = [`${year}-01-01`, `${year}-12-31`];
  await client.query("begin");
  await client.query(
    `delete from request_events where request_id in (select id from requests where regime = $1 and received_date between $2 and $3)`,
    [regime, ...range],
  );
  await client.query("delete from requests where regime = $1 and received_date between $2 and $3", [
    regime,
    ...range,
  ]);
  await client.query("delete from reference_counters where regime = $1 and year = $2", [regime, year]);
  await client.query("delete from requesters where email like '%@refbench.example'");
  await client.query("commit");
}

/** 100 creators in two processes making references for one unused regime and year; then count from the rows. */
async function measureReferences(
  url: string,
  settings: { creators: number; processes: number; total: number; pool: number; year: number },
  actor: Actor,
): Promise<ReferenceReport> {
  const regime = "sar";
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await removeReferenceRows(client, regime, settings.year);
    const children = Array.from({ length: settings.processes }, (_, p) => {
      const share = (total: number) =>
        Math.floor(total / settings.processes) + (p < total % settings.processes ? 1 : 0);
      const config: CreatorConfig = {
        url,
        pool: settings.pool,
        creators: share(settings.creators),
        total: share(settings.total),
        regime,
        year: settings.year,
        process: p,
        actor,
      };
      return spawnTs("./casework/creator.ts", config);
    });
    let reports: CreatorReport[];
    let seconds: number;
    try {
      for (const { child, lines } of children)
        await nextLine(lines, 60_000, "a creator process starting", child);
      const started = performance.now();
      for (const { child } of children) child.stdin!.write("go\n");
      reports = await Promise.all(
        children.map(
          async ({ child, lines }) =>
            JSON.parse(await nextLine(lines, 300_000, "creating references", child)) as CreatorReport,
        ),
      );
      seconds = (performance.now() - started) / 1000;
    } finally {
      for (const { child } of children) if (child.exitCode === null) child.kill("SIGKILL");
    }
    const rows = await client.query<{ reference: string }>(
      "select reference from requests where regime = $1 and received_date between $2 and $3",
      [regime, `${settings.year}-01-01`, `${settings.year}-12-31`],
    );
    // findOrCreateRequester has no unique key to lean on: creators racing on one email may each insert it.
    const requesters = await client.query<{ n: string; emails: string }>(
      "select count(*) as n, count(distinct lower(email)) as emails from requesters where email like '%@refbench.example'",
    );
    const sequences = rows.rows.map((row) => Number(row.reference.split(".").at(-1)));
    const distinct = new Set(sequences);
    const highest = Math.max(0, ...sequences);
    const counter = await client.query<{ last_seq: number }>(
      "select last_seq from reference_counters where regime = $1 and year = $2",
      [regime, settings.year],
    );
    const report: ReferenceReport = {
      creators: settings.creators,
      processes: settings.processes,
      poolPerProcess: settings.pool,
      regime,
      year: settings.year,
      attempted: settings.total,
      created: rows.rowCount ?? 0,
      errors: reports.reduce((sum, r) => sum + r.errors, 0),
      firstError: reports.find((r) => r.firstError)?.firstError ?? null,
      duplicates: sequences.length - distinct.size,
      gaps: highest - distinct.size,
      counterMatches: (counter.rows[0]?.last_seq ?? 0) === highest,
      duplicateRequesters: Number(requesters.rows[0]?.n ?? 0) - Number(requesters.rows[0]?.emails ?? 0),
      seconds: round(seconds, 2),
      perSecond: Math.round((rows.rowCount ?? 0) / seconds),
    };
    await removeReferenceRows(client, regime, settings.year);
    return report;
  } finally {
    await client.end();
  }
}

export async function main(args: string[]): Promise<void> {
  if (args.includes("--help")) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const number = (name: string, fallback: number) => {
    const value = Number(option(args, name, String(fallback)));
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number\n${usage}`);
    return value;
  };
  const serverUrl = option(args, "--server", "postgres://postgres@127.0.0.1:5432");
  const database = option(args, "--database", "foidesk_bench");
  const iterations = number("--iterations", 300);
  const warmup = number("--warmup", 30);
  const budgetMs = number("--budget", 120) * 1000;
  const counts = { iterations, warmup, budgetMs };
  const serverOptions = option(args, "--server-options", "").split(" ").filter(Boolean);
  const serverProcesses = number("--server-processes", 1);

  const loadAverageBefore = loadavg().map((x) => round(x, 2));
  const loaded = await load({
    serverUrl,
    database,
    n: number("--n", 1_000_000),
    seed: number("--seed", 20221201),
    years: number("--years", 6),
    teams: number("--teams", 20),
    batchSize: number("--batch", 5000),
    fresh: args.includes("--fresh"),
    log,
  });
  const now = new Date(loaded.now);
  // A minute per statement at most: a query that needs longer is a finding, not something to wait for.
  const url = databaseUrl(serverUrl, database, 60_000);
  const handle = await openDatabase({ kind: "postgres", url });
  const db = handle.db;
  try {
    const postgres = (await sql<{ server_version: string }>`show server_version`.execute(db)).rows[0]!
      .server_version;
    // The busiest team: the worst case for its queue.
    const busiest = await db
      .selectFrom("requests")
      .innerJoin("teams", "teams.id", "requests.team_id")
      .select(["teams.id", "teams.name", sql<number>`count(*)`.as("open")])
      .where("state", "not in", [...closedStates])
      .groupBy(["teams.id", "teams.name"])
      .orderBy("open", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    const staff = await db
      .selectFrom("users")
      .select(["id", "display_name", "role"])
      .where("team_id", "=", busiest.id)
      .where("role", "=", "officer")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const viewer: Actor = { userId: staff.id, label: staff.display_name, role: staff.role };

    log(`work queue of team ${busiest.id} (${busiest.open} open)…`);
    const firstPage = await workQueue(db, { teamId: busiest.id }, now, everyone);
    const deepPage = firstPage.pages;
    const workQueueLatency = await timeCalls(
      () => workQueue(db, { teamId: busiest.id }, now, everyone),
      iterations,
      warmup,
      budgetMs,
    );
    const deepLatency = await timeCalls(
      () => workQueue(db, { teamId: busiest.id, page: deepPage }, now, everyone),
      iterations,
      warmup,
      budgetMs,
    );
    const plans = async (page: number) => {
      const queries = await captureQueries(db, (captured) =>
        workQueue(captured, { teamId: busiest.id, page }, now, everyone),
      );
      return Promise.all(queries.map((query) => explain(db, query)));
    };
    const [firstPlans, deepPlans] = [await plans(1), await plans(deepPage)];

    log("request page…");
    const random = seededRandom(loaded.seed + 7);
    // Requests the officer may read: a subject access request is "no such request" to them (sar-access.ts).
    const drawn = Array.from(
      { length: 2 * (iterations + warmup) },
      () => 1 + Math.floor(random() * loaded.requests),
    );
    const readable = new Set(
      (
        await db
          .selectFrom("requests")
          .select("id")
          .where("id", "in", drawn)
          .where("regime", "<>", "sar")
          .execute()
      ).map((row) => row.id),
    );
    const ids = drawn.filter((id) => readable.has(id)).slice(0, iterations + warmup);
    const requestPage = await timeCalls(
      (i) => requestDetail(db, { id: cycle(ids, i) }, viewer, now),
      iterations,
      warmup,
      budgetMs,
    );
    // The same page for the most prolific requester's requests: it lists (and compares) all their others.
    const prolific = await db
      .selectFrom("requests")
      .select(["requester_id", sql<number>`count(*)`.as("requests")])
      .where("regime", "<>", "sar")
      .groupBy("requester_id")
      .orderBy("requests", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    const prolificIds = (
      await db
        .selectFrom("requests")
        .select("id")
        .where("requester_id", "=", prolific.requester_id)
        .where("regime", "<>", "sar")
        .orderBy("id")
        .execute()
    ).map((row) => row.id);
    const prolificPage = await timeCalls(
      (i) => requestDetail(db, { id: cycle(prolificIds, i * 7919) }, viewer, now),
      Math.min(iterations, 100),
      Math.min(warmup, 10),
      budgetMs,
    );
    const repeatsSample = await requestDetail(db, { id: prolificIds.at(-1)! }, viewer, now);

    let http: Awaited<ReturnType<typeof measureHttp>> = {
      http: null,
      httpSkipped: "--skip-http",
      server: null,
    };
    if (!args.includes("--skip-http")) {
      log("HTTP…");
      try {
        http = await measureHttp(
          url,
          loaded.now,
          { id: busiest.id, pages: deepPage },
          ids,
          counts,
          serverOptions,
          serverProcesses,
        );
      } catch (error) {
        http = { http: null, httpSkipped: `failed: ${(error as Error).message}`, server: null };
      }
    }

    let references: ReferenceReport | { skipped: string } = { skipped: "--skip-references" };
    if (!args.includes("--skip-references")) {
      log("references under concurrency…");
      references = await measureReferences(
        url,
        {
          creators: number("--creators", 100),
          processes: number("--processes", 2),
          total: number("--references", 2000),
          pool: number("--creator-pool", 25),
          year: number("--reference-year", 1999),
        },
        viewer,
      );
    }

    // The queue's page and counts are one statement (requests/repo.ts); the authority's settings another.
    const planSummary = (summaries: Awaited<ReturnType<typeof plans>>) => ({
      queue: summaries.find((summary) => summary.sql.includes('from "requests"')) ?? null,
      others: summaries.filter((summary) => !summary.sql.includes('from "requests"')),
    });
    const result = {
      requests: loaded.requests,
      events: loaded.events,
      requesters: loaded.requesters,
      loadSeconds: loaded.loadSeconds,
      vacuumAnalyzeSeconds: loaded.vacuumAnalyzeSeconds,
      reusedDatabase: loaded.reused,
      asOf: loaded.now,
      team: {
        id: busiest.id,
        name: busiest.name,
        open: firstPage.counts.open,
        overdue: firstPage.counts.overdue,
        dueSoon: firstPage.counts.dueSoon,
        pages: firstPage.pages,
      },
      workQueue: workQueueLatency,
      workQueueDeepPage: { ...deepLatency, page: deepPage },
      requestPage,
      requestPageProlificRequester: {
        ...prolificPage,
        requesterRequests: prolific.requests,
        warningsOnOnePage: repeatsSample.warnings.length,
      },
      http: http.http,
      ...(http.httpSkipped ? { httpSkipped: http.httpSkipped } : {}),
      serverRssMb: http.server?.rssMb ?? null,
      serverPeakRssMb: http.server?.peakRssMb ?? null,
      serverMemory: http.memory ?? null,
      serverNodeOptions: serverOptions,
      // With several, the resident memory above is the first app process's (serverMemory) and the starter's (rss).
      serverProcesses,
      references,
      explain: {
        workQueueIndexUsed: firstPlans.some((p) => p.usesWorkQueueIndex),
        firstPage: planSummary(firstPlans),
        deepPage: planSummary(deepPlans),
      },
      postgres,
      node: process.version,
      // Other work on the machine (2 cores shared) shows up in the latencies: say how busy it was.
      loadAverage: { before: loadAverageBefore, after: loadavg().map((x) => round(x, 2)) },
      database,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await handle.close();
  }
}

if (import.meta.main) await main(process.argv.slice(2));
