import { join } from "node:path";
import type { Command } from "commander";
import type { Kysely } from "kysely";
import {
  type Database,
  type DatabaseHandle,
  databaseConfigFromEnv,
  migrateToLatest,
  openDatabase,
  whileExclusive,
} from "../../db/index.ts";
import { demoTotpKey, demoWalkThroughReferences, loadDemoData } from "../../demo/index.ts";
import { wholeNumberFromEnv } from "../../env.ts";
import { invalid } from "../../errors.ts";
import { secretKeyFromEnv, useSecretKey } from "../../sealed.ts";
import type { FileStore } from "../../storage/index.ts";
import { countUsers } from "../../users/index.ts";
import type { App } from "../../web/index.ts";
import { type CliContext, systemClock } from "../context.ts";
import { startCluster, type WorkerPlace, workerCount, workerPlace } from "./serve-cluster.ts";

export function parsePort(text: string, option: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw invalid(option, `"${text}" is not a port number (0 to 65535)`);
  return port;
}

/**
 * What a first run needs, as lines to print. With --demo: the demo authority, staff and requests (loaded
 * once; the log-ins are printed every time). Without: a reminder when nobody can sign in yet.
 */
export async function prepareFirstRun(
  db: Kysely<Database>,
  demo: boolean,
  now: Date,
  files?: FileStore,
  baseUrl?: string,
): Promise<string[]> {
  if (demo) {
    const result = await loadDemoData(db, now, files, baseUrl ? { baseUrl } : {});
    // The demo's retention schedule (retention/rules.ts cites where such schedules come from); a manager's
    // own periods are never replaced.
    const { demoSchedule, seedRetentionSchedule } = await import("../../retention/index.ts");
    await seedRetentionSchedule(db, demoSchedule, "foidesk demo", now);
    const width = Math.max(...result.logins.map((login) => login.username.length));
    return [
      result.loaded ? `Loaded the demo: ${result.requests} requests.` : "Demo data already loaded.",
      "Sign in as:",
      ...result.logins.map(
        (login) =>
          `  ${login.username.padEnd(width)}  password ${login.password}  (${login.role}: ${login.name})${login.needsCode ? "  + code" : ""}`,
      ),
      "Managers and administrators (+ code) also type a code from an authenticator app. Add the demo's key",
      `  ${demoTotpKey}`,
      "to any authenticator app (Microsoft or Google Authenticator, FreeOTP, …), or print the current code with",
      "  npx foidesk demo code",
      "(each code works once: for a second sign-in within 30 seconds, wait for the next one).",
      "The README's walk-through names:",
      ...(await demoWalkThroughReferences(db)).map(
        ({ label, reference }) =>
          `  ${label}: ${reference}  ${baseUrl ?? ""}/staff/requests/by-reference/${reference}`,
      ),
    ];
  }
  if ((await countUsers(db)) > 0) return [];
  return [
    "Nobody can sign in yet. Create the first administrator with:",
    "  printf '%s\\n' \"$PASSWORD\" | foidesk user create --username admin --name 'Your Name' --role admin --password-stdin",
  ];
}

export interface RunningServer {
  app: App;
  handle: DatabaseHandle;
  url: string;
  stop(): Promise<void>;
}

/** PUBLISH_DUE_EVERY_MINUTES: how often the app publishes replies that are due (0: never; then use cron). */
export function publishEveryMinutes(env: NodeJS.ProcessEnv): number {
  return wholeNumberFromEnv(env, "PUBLISH_DUE_EVERY_MINUTES", 60, { min: 0, max: 10_080, unit: "minutes" });
}

/** How often the retention schedule's anonymisation runs (RETENTION_EVERY_HOURS, default daily; 0: never). */
export function retentionEveryHours(env: NodeJS.ProcessEnv): number {
  // A timer waits at most 2^31 ms (about 24 days).
  return wholeNumberFromEnv(env, "RETENTION_EVERY_HOURS", 24, { min: 0, max: 500, unit: "hours" });
}

/**
 * MAIL_HANDOVER_TIMEOUT_SECONDS: how long handing one message to the mail server may take before another
 * process takes the sender for dead and hands it over itself (mail/outbox.ts; default 600).
 */
export function handoverTimeoutMs(env: NodeJS.ProcessEnv): number {
  return (
    wholeNumberFromEnv(env, "MAIL_HANDOVER_TIMEOUT_SECONDS", 600, { min: 1, max: 86_400, unit: "seconds" }) *
    1000
  );
}

/** MAIL_OUTBOX_EVERY_SECONDS: how often the outbox worker looks for mail still to hand over (default 60). */
export function outboxEverySeconds(env: NodeJS.ProcessEnv): number {
  return wholeNumberFromEnv(env, "MAIL_OUTBOX_EVERY_SECONDS", 60, { min: 1, max: 86_400, unit: "seconds" });
}

/**
 * Where files are kept (an S3-compatible bucket when FOIDESK_S3_BUCKET is set, storage/s3.ts; else the folder
 * FOIDESK_FILES_DIR, else <data folder>/files) and how mail goes: to SMTP_URL when set,
 * else to .eml files in <data folder>/outbox (listed at /staff/outbox), from MAIL_FROM when set.
 */
export async function filesAndMail(env: NodeJS.ProcessEnv) {
  const { localFolderStore, s3StoreFromEnv } = await import("../../storage/index.ts");
  const { transportFromEnv } = await import("../../mail/index.ts");
  const dataDir = env.FOIDESK_DATA_DIR ?? "data";
  return {
    files: s3StoreFromEnv(env) ?? localFolderStore(env.FOIDESK_FILES_DIR ?? join(dataDir, "files")),
    mail: {
      transport: transportFromEnv(env, dataDir),
      claimMs: handoverTimeoutMs(env),
      ...(env.MAIL_FROM ? { from: env.MAIL_FROM } : {}),
    },
  };
}

/** With INBOUND_SMTP_PORT set, email is received beside the web app (the listener `foidesk mail receive` runs). */
async function startInboundFromEnv(app: App, env: NodeJS.ProcessEnv, host: string) {
  if (!env.INBOUND_SMTP_PORT) return null;
  const port = parsePort(env.INBOUND_SMTP_PORT, "INBOUND_SMTP_PORT");
  const { configuredInboundAddresses, startInboundSmtp } = await import("../../mail/index.ts");
  const { appInboundDeps } = await import("../../web/index.ts");
  const addresses = await configuredInboundAddresses(app.db, env);
  const listener = await startInboundSmtp({ port, host, addresses, deps: appInboundDeps(app) });
  process.stdout.write(`Receiving email on port ${listener.port} for ${addresses.join(", ")}.\n`);
  return listener;
}

/** Where the site is: BASE_URL, else the address it listens on (localhost for every interface). */
function siteUrl(env: NodeJS.ProcessEnv, host: string, port: number): string {
  return env.BASE_URL ?? `http://${host === "0.0.0.0" || host === "::" ? "localhost" : host}:${port}`;
}

/** The startup line saying which index ranks disclosure-log searches (issue 19). */
async function searchLine(db: Kysely<Database>): Promise<string> {
  const { searchEngine } = await import("../../publication/index.ts");
  return `Disclosure-log search: ${(await searchEngine(db)).description}.`;
}

/** Migrates the database (one process at a time) and says what it applied, if anything. */
async function migrated(handle: DatabaseHandle): Promise<string[]> {
  // Kysely's migrator locks too; the advisory lock also covers creating its bookkeeping tables.
  const report = await whileExclusive(handle, "migrate", () => migrateToLatest(handle.db));
  return report.applied.length ? [`Migrated ${handle.describe}: ${report.applied.join(", ")}.`] : [];
}

/**
 * Opens and migrates the database, builds the app and listens; publishes due replies on a timer. The app, its
 * timers and the first run all read `options.now` (default: the machine's clock).
 */
export async function startServer(
  options: { port: number; host: string; demo: boolean; worker?: WorkerPlace; now?: () => Date },
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningServer> {
  // One of several processes (serve-cluster.ts): the primary has migrated, done the first run and said so;
  // only process 1 runs the timers and receives email.
  const worker = options.worker;
  const say = (line: string) => {
    if (!worker) process.stdout.write(line);
  };
  const background = !worker || worker.index === 1;
  const now = options.now ?? systemClock;
  // The key that seals authenticator secrets and the single sign-on cookie, from this server's configuration
  // (its data folder's key file when FOIDESK_SECRET_KEY is not set), before migration 0042 may need it.
  useSecretKey(secretKeyFromEnv(env));
  // Each worker its own pool: between them, the connections of one process (defaultPoolSize).
  const handle = await openDatabase(databaseConfigFromEnv(env, worker?.of ?? 1));
  try {
    for (const line of await migrated(handle)) say(`${line}\n`);
    if (!worker) say(`${await searchLine(handle.db)}\n`);
    // Loaded here, not at the top: other commands need not pay for the web stack on every start.
    const { buildApp, webConfigFromEnv } = await import("../../web/index.ts");
    const { files, mail } = await filesAndMail(env);
    const config = webConfigFromEnv(env, options.port);
    const baseUrl = config.baseUrl.replace(/\/+$/, "");
    // Two processes started together on a fresh database: one loads the demo, the other waits and finds it.
    const firstRun = worker
      ? []
      : await whileExclusive(handle, "first-run", () =>
          prepareFirstRun(handle.db, options.demo, now(), files, baseUrl),
        );
    for (const line of firstRun) say(`${line}\n`);
    const app = buildApp({ db: handle.db, files, config, mail, now });
    await app.listen({ port: options.port, host: options.host });
    const inbound = background
      ? await startInboundFromEnv(app, env, options.host).catch(async (error: unknown) => {
          await app.close();
          throw error;
        })
      : null;
    const every = background ? publishEveryMinutes(env) : 0;
    const { schedulePublication } = await import("../../publication/index.ts");
    const schedule =
      every > 0
        ? schedulePublication({
            db: handle.db,
            files,
            everyMs: every * 60_000,
            now,
            log: app.log,
          })
        : null;
    // Mail left in the outbox (a process that died before handing it over, a refused attempt due again).
    // Each one handed over is recorded in its request's history (requests; mail knows nothing of requests).
    const { scheduleOutbox } = await import("../../mail/index.ts");
    const { recordOutboxDelivery } = await import("../../requests/index.ts");
    const outbox = background
      ? scheduleOutbox({
          db: handle.db,
          transport: mail.transport,
          everyMs: outboxEverySeconds(env) * 1000,
          now,
          log: app.log,
          claimMs: mail.claimMs,
          onDelivered: recordOutboxDelivery(handle.db),
        })
      : null;
    const retentionHours = background ? retentionEveryHours(env) : 0;
    const { scheduleAnonymisation } = await import("../../retention/index.ts");
    const retention =
      retentionHours > 0
        ? scheduleAnonymisation({
            db: handle.db,
            files,
            mailCopies: mail.transport,
            everyMs: retentionHours * 3_600_000,
            now,
            log: app.log,
          })
        : null;
    // With the embedded database, `foidesk backup` asks this process for the snapshot (retention/live-backup.ts).
    const { answerBackupRequests } = await import("../../retention/index.ts");
    const stopAnswering =
      handle.kind === "pglite"
        ? await answerBackupRequests(env.FOIDESK_DATA_DIR ?? "data", handle, files, app.log, now)
        : null;
    // FOIA s.9(2), FOISA s.9(4): fees notices unpaid for three months lapse by themselves (also when read).
    const { lapseUnpaidFees } = await import("../../requests/index.ts");
    const lapseFees = () =>
      lapseUnpaidFees(handle.db, now())
        .then((references) => {
          if (references.length) app.log.info({ references }, "fees notices lapsed");
        })
        .catch((error: unknown) =>
          app.log.error({ err: { message: (error as Error).message } }, "fees notices not lapsed"),
        );
    let lapseTimer: NodeJS.Timeout | undefined;
    if (background) {
      void lapseFees();
      lapseTimer = setInterval(lapseFees, 3_600_000);
      lapseTimer.unref();
    }
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : options.port;
    const url = siteUrl(env, options.host, port);
    return {
      app,
      handle,
      url,
      stop: async () => {
        await inbound?.close();
        clearInterval(lapseTimer);
        await schedule?.stop();
        await outbox?.stop();
        await retention?.stop();
        await stopAnswering?.();
        await app.close();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** `foidesk serve [--port N] [--demo]`: the web app, until SIGINT or SIGTERM. */
export function registerServe(program: Command, { now }: CliContext): void {
  program
    .command("serve")
    .description(
      "run the web app (migrates the database first; publishes due replies on a timer); PORT, HOST, BASE_URL, TRUST_PROXY, DATABASE_URL, SMTP_URL, MAIL_FROM, QUICK_EXIT_URL, PUBLISH_DUE_EVERY_MINUTES, RETENTION_EVERY_HOURS, MAIL_OUTBOX_EVERY_SECONDS, MAIL_HANDOVER_TIMEOUT_SECONDS, SEARCH_CACHE, SESSION_IDLE_MINUTES, INBOUND_SMTP_PORT, INBOUND_ADDRESSES",
    )
    .option("--port <port>", "port to listen on (default: PORT or 3000)")
    .option("--demo", "load the demo authority, staff and requests on first run, and print the log-ins")
    .option(
      "--workers <n>",
      "app processes sharing the port (default: WEB_CONCURRENCY or 1; more than one needs DATABASE_URL)",
    )
    .action(async (options: { port?: string; demo?: boolean; workers?: string }) => {
      const env = process.env;
      const port = options.port ? parsePort(options.port, "--port") : parsePort(env.PORT ?? "3000", "PORT");
      const host = env.HOST ?? "0.0.0.0";
      const demo = options.demo === true;
      const worker = workerPlace(env);
      if (worker) {
        // The primary prints and handles Ctrl-C (it reaches every process): a worker stops when told to.
        const server = await startServer({ port, host, demo, worker, now }, env);
        // Then the channel to the primary, which would otherwise keep this process alive.
        stopOnSignals(() => server.stop().then(() => process.disconnect?.()), ["SIGTERM"]);
        process.on("SIGINT", () => {});
        return;
      }
      const workers = workerCount(options.workers, env);
      if (workers > 1) {
        const running = await startCluster(workers, env, async (handle) => {
          const { webConfigFromEnv } = await import("../../web/index.ts");
          const { files } = await filesAndMail(env);
          const baseUrl = webConfigFromEnv(env, port).baseUrl.replace(/\/+$/, "");
          return [
            ...(await migrated(handle)),
            await searchLine(handle.db),
            ...(await whileExclusive(handle, "first-run", () =>
              prepareFirstRun(handle.db, demo, now(), files, baseUrl),
            )),
          ];
        });
        const url = siteUrl(env, host, running.port);
        process.stdout.write(
          `foidesk is running at ${url}/ (back office: ${url}/staff; ${running.describe}). Ctrl-C stops it.\n`,
        );
        stopOnSignals(running.stop);
        return;
      }
      const server = await startServer({ port, host, demo, now }, env);
      process.stdout.write(
        `foidesk is running at ${server.url}/ (back office: ${server.url}/staff; ${server.handle.describe}). Ctrl-C stops it.\n`,
      );
      stopOnSignals(server.stop);
    });
}

/** SIGINT or SIGTERM: finish what is in progress, then stop (10 seconds at most; a second signal: now). */
export function stopOnSignals(
  stopServer: () => Promise<void>,
  signals: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"],
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`${signal}: finishing requests in progress, then stopping.\n`);
    // Requests that never finish must not keep the process alive forever.
    const deadline = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await stopServer();
    } finally {
      clearTimeout(deadline);
    }
  };
  for (const signal of signals) process.on(signal, stop);
}
