import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import type { DatabaseHandle } from "../db/index.ts";
import { openDatabase } from "../db/index.ts";

// Test support for the durability tests: `foidesk serve` as a real process (to be killed with SIGKILL), on
// an embedded database in a folder or on a schema of its own on the test PostgreSQL server.

const root = resolve(import.meta.dirname, "../..");
const node = join(root, "node_modules/.bin/node");

/** Where a served process keeps its data: a folder for PGlite (and files), and a database URL for PostgreSQL. */
export interface ServedStore {
  name: "pglite" | "postgres";
  dataDir: string;
  /** The DATABASE_URL to give `foidesk serve` ("" for PGlite). */
  databaseUrl: string;
  /** PostgreSQL: the schema the store's tables are in. */
  schema?: string;
  open(): Promise<DatabaseHandle>;
  drop(): Promise<void>;
}

/**
 * `url` with `schema` as the connection's search_path. Spaces as %20: libpq (pg_restore) reads a "+" as itself.
 */
export function withSearchPath(url: string, schema: string): string {
  const address = new URL(url);
  address.searchParams.delete("options");
  const joiner = address.search ? "&" : "?";
  return `${address.href}${joiner}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** PostgreSQL with its own schema (the connection's search_path), dropped by `drop`. */
export async function postgresSchemaStore(url: string, dataDir: string): Promise<ServedStore> {
  const schema = `durable_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    name: "postgres",
    dataDir,
    databaseUrl: withSearchPath(url, schema),
    schema,
    open: () => openDatabase({ kind: "postgres", url, schema, poolSize: 2 }),
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

export function pgliteStore(dataDir: string): ServedStore {
  return {
    name: "pglite",
    dataDir,
    databaseUrl: "",
    open: () => openDatabase({ kind: "pglite", dataDir }),
    drop: async () => {},
  };
}

/**
 * The stores a test runs on, each with a data folder under a fresh temporary folder named from `prefix`:
 * PGlite always, PostgreSQL when the test run found one answering. `remove` drops them all.
 */
export async function servedStores(
  prefix: string,
): Promise<{ stores: ServedStore[]; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const dataDir = async (name: string) => {
    const folder = join(root, name);
    await mkdir(folder, { recursive: true });
    return folder;
  };
  const stores = [pgliteStore(await dataDir("pglite"))];
  const url = process.env.FOIDESK_TEST_POSTGRES_URL;
  if (url) stores.push(await postgresSchemaStore(url, await dataDir("postgres")));
  return {
    stores,
    async remove() {
      for (const store of stores) await store.drop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface ServedProcess {
  child: ChildProcess;
  url: string;
  output(): string;
}

/** Starts `foidesk serve` on `store` with `env` added; resolves once it listens. */
export async function serveProcess(store: ServedStore, env: NodeJS.ProcessEnv = {}): Promise<ServedProcess> {
  // A port the system hands out (serve's own port 0 would leave it no address to put in links).
  const port = await new Promise<number>((done) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
  const child = spawn(node, [join(root, "bin/foidesk.js"), "serve", "--port", String(port)], {
    cwd: store.dataDir,
    env: {
      ...process.env,
      DATABASE_URL: store.databaseUrl,
      FOIDESK_DATA_DIR: store.dataDir,
      HOST: "127.0.0.1",
      // Vitest's own BASE_URL ("/") is not an address.
      BASE_URL: `http://127.0.0.1:${port}`,
      PUBLISH_DUE_EVERY_MINUTES: "0",
      RETENTION_EVERY_HOURS: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  return new Promise((done, fail) => {
    child.stdout!.on("data", (chunk) => {
      printed += String(chunk);
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)\//.exec(printed);
      if (match) done({ child, url: match[1]!, output: () => printed });
    });
    child.stderr!.on("data", (chunk) => {
      printed += String(chunk);
    });
    child.on("exit", (code) => fail(new Error(`foidesk serve stopped (${code}): ${printed}`)));
  });
}

/** Ends the process with `signal` (SIGKILL: no shutdown, no flush) and resolves once it has gone. */
export function stopped(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
    child.kill(signal);
  });
}
