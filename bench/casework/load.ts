// Fills the benchmark database: staff, requesters, then requests and their events in batches (multi-row
// INSERT … SELECT FROM unnest(arrays)), one transaction per batch, so a load cut short resumes where it
// stopped. A database already holding the requested load is reused.
import pg from "pg";
import { migrateToLatest, openDatabase } from "../../src/db/index.ts";
import {
  arrivals,
  type Batch,
  type Counters,
  generateBatch,
  type Plan,
  requesterCount,
  requesterPlan,
  requesterRow,
  type StaffMember,
} from "./generate.ts";

export interface LoadOptions {
  serverUrl: string;
  database: string;
  n: number;
  seed: number;
  years: number;
  teams: number;
  batchSize: number;
  fresh: boolean;
  log: (message: string) => void;
}

export interface LoadReport {
  requests: number;
  events: number;
  requesters: number;
  /** Seconds the load took, whether it ran now (reused: false) or when the database was first filled. */
  loadSeconds: number;
  vacuumAnalyzeSeconds: number;
  reused: boolean;
  resumedAtBatch: number | null;
  now: string;
  seed: number;
}

interface Meta {
  n: number;
  seed: number;
  now: string;
  years: number;
  batchSize: number;
  complete: boolean;
  loadSeconds: number;
  vacuumAnalyzeSeconds: number;
  events: number;
}

export function databaseUrl(serverUrl: string, database: string, statementTimeoutMs?: number): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  if (statementTimeoutMs) url.searchParams.set("options", `-c statement_timeout=${statementTimeoutMs}`);
  return url.toString();
}

/** Creates the bench database if missing; `fresh` drops it first (only a database whose name says bench). */
export async function ensureDatabase(serverUrl: string, database: string, fresh: boolean): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`unsafe database name "${database}"`);
  const admin = new pg.Client({ connectionString: databaseUrl(serverUrl, "postgres") });
  await admin.connect();
  try {
    const exists = (await admin.query("select 1 from pg_database where datname = $1", [database])).rowCount;
    if (exists && fresh) {
      if (!database.includes("bench"))
        throw new Error(`--fresh drops only a database named *bench*, not "${database}"`);
      await admin.query(`drop database ${database} with (force)`);
    }
    if (!exists || fresh) await admin.query(`create database ${database}`);
  } finally {
    await admin.end();
  }
}

const teamNames = [
  "Adult Social Care",
  "Children's Services",
  "Corporate Finance",
  "Data Protection",
  "Environmental Health",
  "Estates",
  "Highways",
  "Housing",
  "Human Resources",
  "ICT",
  "Legal Services",
  "Licensing",
  "Parking",
  "Planning",
  "Community Safety",
  "Procurement",
  "Public Health",
  "Revenues and Benefits",
  "Waste and Recycling",
  "Communications",
];

/** The authority, its teams (two officers and an approver each), two managers and an admin. */
async function seedStaff(url: string, teams: number): Promise<void> {
  const handle = await openDatabase({ kind: "postgres", url, poolSize: 1 });
  try {
    const db = handle.db;
    if (await db.selectFrom("teams").select("id").limit(1).executeTakeFirst()) return;
    await db
      .insertInto("authority")
      .values({ name: "Benchmark Borough Council" })
      .onConflict((c) => c.doNothing())
      .execute();
    const names = Array.from(
      { length: teams },
      (_, i) => teamNames[i % teamNames.length] + (i >= teamNames.length ? ` ${i}` : ""),
    );
    const rows = await db
      .insertInto("teams")
      .values(names.map((name) => ({ name })))
      .returning(["id", "name"])
      .execute();
    const users = rows.flatMap((team, i) =>
      (["officer", "officer", "approver"] as const).map((role, k) => ({
        username: `${role}.${i + 1}.${k + 1}`,
        display_name: `${role === "officer" ? "Officer" : "Approver"} ${i + 1}-${k + 1} (${team.name})`,
        role,
        team_id: team.id,
        password_hash: "bench: no sign-in",
      })),
    );
    users.push(
      {
        username: "manager.1",
        display_name: "Mo Manager",
        role: "manager" as never,
        team_id: null as never,
        password_hash: "bench",
      },
      {
        username: "manager.2",
        display_name: "Meg Manager",
        role: "manager" as never,
        team_id: null as never,
        password_hash: "bench",
      },
      {
        username: "admin.1",
        display_name: "Ade Admin",
        role: "admin" as never,
        team_id: null as never,
        password_hash: "bench",
      },
    );
    await db.insertInto("users").values(users).execute();
  } finally {
    await handle.close();
  }
}

async function readStaff(client: pg.Client): Promise<{ teamIds: number[]; staff: StaffMember[] }> {
  const teams = await client.query<{ id: number }>("select id from teams order by id");
  const users = await client.query<{
    id: number;
    display_name: string;
    role: StaffMember["role"];
    team_id: number | null;
  }>("select id, display_name, role, team_id from users where password_hash like 'bench%' order by id");
  return {
    teamIds: teams.rows.map((row) => row.id),
    staff: users.rows.map((row) => ({
      id: row.id,
      label: row.display_name,
      role: row.role,
      teamId: row.team_id,
    })),
  };
}

async function readMeta(client: pg.Client): Promise<Meta | null> {
  await client.query(
    "create table if not exists bench_casework_meta (key text primary key, value jsonb not null)",
  );
  const row = await client.query<{ value: Meta }>("select value from bench_casework_meta where key = 'load'");
  return row.rows[0]?.value ?? null;
}

async function writeMeta(client: pg.Client, meta: Meta): Promise<void> {
  await client.query(
    "insert into bench_casework_meta (key, value) values ('load', $1) on conflict (key) do update set value = excluded.value",
    [JSON.stringify(meta)],
  );
}

const requestColumns = [
  ["id", "int"],
  ["reference", "text"],
  ["regime", "text"],
  ["channel", "text"],
  ["received_date", "date"],
  ["body", "text"],
  ["questions", "jsonb"],
  ["topic", "text"],
  ["state", "text"],
  ["outcome", "text"],
  ["valid", "bool"],
  ["invalid_reason", "text"],
  ["clock", "jsonb"],
  ["due_date", "date"],
  ["due_kind", "text"],
  ["refusal_notice_due", "date"],
  ["clock_stopped", "bool"],
  ["review_received_date", "date"],
  ["review_outcome", "text"],
  ["requester_id", "int"],
  ["assignee_id", "int"],
  ["team_id", "int"],
  ["version", "int"],
  ["created_at", "timestamptz"],
  ["updated_at", "timestamptz"],
  ["updated_by", "text"],
] as const;
const eventColumns = [
  ["request_id", "int"],
  ["seq", "int"],
  ["type", "text"],
  ["payload", "jsonb"],
  ["actor_id", "int"],
  ["actor_label", "text"],
  ["occurred_at", "timestamptz"],
  ["prev_hash", "text"],
  ["hash", "text"],
] as const;

/** INSERT … SELECT FROM unnest($1::t[], …): one statement for thousands of rows; jsonb travels as text. */
function unnestInsert(table: string, columns: readonly (readonly [string, string])[]): string {
  const names = columns.map(([name]) => name).join(", ");
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type === "jsonb" ? "text" : type}[]`).join(", ");
  const select = columns.map(([name, type]) => (type === "jsonb" ? `${name}::jsonb` : name)).join(", ");
  return `insert into ${table} (${names}) select ${select} from unnest(${arrays}) as t(${names})`;
}
const insertRequests = unnestInsert("requests", requestColumns);
const insertEvents = unnestInsert("request_events", eventColumns);
const insertRequesters = unnestInsert("requesters", [
  ["id", "int"],
  ["name", "text"],
  ["email", "text"],
  ["address", "text"],
  ["organisation", "text"],
  ["type", "text"],
]);

async function insertBatch(client: pg.Client, batch: Batch, counters: Counters): Promise<void> {
  const r = batch.requests;
  const e = batch.events;
  await client.query("begin");
  try {
    await client.query(insertRequests, [
      r.map((x) => x.id),
      r.map((x) => x.reference),
      r.map((x) => x.regime),
      r.map((x) => x.channel),
      r.map((x) => x.receivedDate),
      r.map((x) => x.body),
      r.map((x) => x.questions),
      r.map((x) => x.topic),
      r.map((x) => x.state),
      r.map((x) => x.outcome),
      r.map((x) => x.valid),
      r.map((x) => x.invalidReason),
      r.map((x) => x.clock),
      r.map((x) => x.dueDate),
      r.map((x) => x.dueKind),
      r.map((x) => x.refusalNoticeDue),
      r.map((x) => x.clockStopped),
      r.map((x) => x.reviewReceivedDate),
      r.map((x) => x.reviewOutcome),
      r.map((x) => x.requesterId),
      r.map((x) => x.assigneeId),
      r.map((x) => x.teamId),
      r.map((x) => x.version),
      r.map((x) => x.createdAt),
      r.map((x) => x.updatedAt),
      r.map((x) => x.updatedBy),
    ]);
    await client.query(insertEvents, [
      e.map((x) => x.requestId),
      e.map((x) => x.seq),
      e.map((x) => x.type),
      e.map((x) => x.payload),
      e.map((x) => x.actorId),
      e.map((x) => x.actorLabel),
      e.map((x) => x.occurredAt),
      e.map((x) => x.prevHash),
      e.map((x) => x.hash),
    ]);
    // The counters as they stand after this batch, so a resumed load carries on the sequences.
    const keys = [...counters.keys()];
    await client.query(
      `insert into reference_counters (regime, year, last_seq)
       select * from unnest($1::text[], $2::int[], $3::int[])
       on conflict (regime, year) do update set last_seq = excluded.last_seq`,
      [
        keys.map((key) => key.split(":")[0]),
        keys.map((key) => Number(key.split(":")[1])),
        keys.map((key) => counters.get(key)),
      ],
    );
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  }
}

export async function load(options: LoadOptions): Promise<LoadReport> {
  const { log } = options;
  await ensureDatabase(options.serverUrl, options.database, options.fresh);
  const url = databaseUrl(options.serverUrl, options.database);
  const migrator = await openDatabase({ kind: "postgres", url, poolSize: 1 });
  await migrateToLatest(migrator.db);
  await migrator.close();

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let meta = await readMeta(client);
    const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
    if (meta?.complete && meta.n >= options.n) {
      log(
        `reusing ${options.database}: ${meta.n} requests loaded in ${meta.loadSeconds}s (--fresh to rebuild)`,
      );
      return {
        requests: meta.n,
        events: meta.events,
        requesters: await count("select count(*) as n from requesters"),
        loadSeconds: meta.loadSeconds,
        vacuumAnalyzeSeconds: meta.vacuumAnalyzeSeconds,
        reused: true,
        resumedAtBatch: null,
        now: meta.now,
        seed: meta.seed,
      };
    }
    const existing = await count("select count(*) as n from requests");
    if (existing > 0 && !(meta && !meta.complete && meta.n === options.n && meta.seed === options.seed)) {
      throw new Error(
        `${options.database} holds ${existing} requests from another load (asked for ${options.n}); use --fresh or --database`,
      );
    }
    // A resumed load keeps its first run's plan (its "now" above all), so the result is the same.
    meta ??= {
      n: options.n,
      seed: options.seed,
      now: new Date().toISOString(),
      years: options.years,
      batchSize: options.batchSize,
      complete: false,
      loadSeconds: 0,
      vacuumAnalyzeSeconds: 0,
      events: 0,
    };
    await writeMeta(client, meta);
    await seedStaff(url, options.teams);
    await client.query("set synchronous_commit = off"); // a bench load: losing the last batch on a crash is fine
    const started = performance.now();
    const { teamIds, staff } = await readStaff(client);
    const plan: Plan = {
      n: meta.n,
      seed: meta.seed,
      now: new Date(meta.now),
      years: meta.years,
      teamIds,
      staff,
      requesters: requesterPlan(meta.n),
      batchSize: meta.batchSize,
    };

    const totalRequesters = requesterCount(plan.requesters);
    const haveRequesters = await count("select coalesce(max(id), 0) as n from requesters");
    for (let from = haveRequesters + 1; from <= totalRequesters; from += 20_000) {
      const rows = [];
      for (let id = from; id < Math.min(totalRequesters + 1, from + 20_000); id++)
        rows.push(requesterRow(plan.requesters, id, plan.seed));
      await client.query(insertRequesters, [
        rows.map((x) => x.id),
        rows.map((x) => x.name),
        rows.map((x) => x.email),
        rows.map((x) => x.address),
        rows.map((x) => x.organisation),
        rows.map((x) => x.type),
      ]);
    }
    await client.query("select setval('requesters_id_seq', $1)", [totalRequesters]);
    log(`requesters: ${totalRequesters} in ${((performance.now() - started) / 1000).toFixed(1)}s`);

    // Resume after the last committed batch (batches commit in order; ids are 1..n).
    const done = await count(`select coalesce(max(id), 0) as n from requests where id <= ${plan.n}`);
    const firstBatch = Math.floor(done / plan.batchSize);
    if (done % plan.batchSize !== 0 && done !== plan.n)
      throw new Error(`a partial batch is committed (${done} requests)`);
    const counters: Counters = new Map();
    for (const row of (
      await client.query<{ regime: string; year: number; last_seq: number }>(
        "select * from reference_counters",
      )
    ).rows)
      counters.set(`${row.regime}:${row.year}`, row.last_seq);
    const arrival = arrivals(plan.n, plan.now, plan.years);
    const batches = Math.ceil(plan.n / plan.batchSize);
    let events = done > 0 ? await count("select count(*) as n from request_events") : 0;
    // Generate batch b+1 while batch b is being written: Node and PostgreSQL each keep a core busy.
    let pending: Promise<void> = Promise.resolve();
    let lastLog = performance.now();
    for (let b = firstBatch; b < batches; b++) {
      const batch = generateBatch(plan, arrival, b, counters);
      const snapshot = new Map(counters);
      await pending;
      events += batch.events.length;
      pending = insertBatch(client, batch, snapshot);
      if (performance.now() - lastLog > 10_000 || b === batches - 1) {
        lastLog = performance.now();
        const seconds = (performance.now() - started) / 1000;
        log(
          `loaded ${Math.min(plan.n, (b + 1) * plan.batchSize)}/${plan.n} requests, ${events} events, ${seconds.toFixed(0)}s`,
        );
      }
    }
    await pending;
    await client.query("select setval('requests_id_seq', $1)", [plan.n]);
    const loadSeconds = Math.round((performance.now() - started) / 100) / 10 + meta.loadSeconds;
    meta = { ...meta, loadSeconds, events };
    await writeMeta(client, meta);

    // VACUUM as well as ANALYZE: sets the visibility map, as a database in service would have.
    const vacuumStarted = performance.now();
    log("vacuum analyze…");
    await client.query(
      "vacuum (analyze) requesters, requests, request_events, reference_counters, users, teams",
    );
    const vacuumAnalyzeSeconds = Math.round((performance.now() - vacuumStarted) / 100) / 10;
    meta = { ...meta, complete: true, vacuumAnalyzeSeconds };
    await writeMeta(client, meta);
    log(`loaded in ${loadSeconds}s, vacuum analyze ${vacuumAnalyzeSeconds}s`);
    return {
      requests: plan.n,
      events,
      requesters: totalRequesters,
      loadSeconds,
      vacuumAnalyzeSeconds,
      reused: false,
      resumedAtBatch: firstBatch > 0 ? firstBatch : null,
      now: meta.now,
      seed: meta.seed,
    };
  } finally {
    await client.end();
  }
}
