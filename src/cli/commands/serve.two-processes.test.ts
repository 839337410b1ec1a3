import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";

// Two app processes started at the same moment on one fresh PostgreSQL database must both come up: the first
// run (migrations, then the demo) is done by one of them while the other waits for it (issue 12: about one
// start in five crashed one process with a duplicate authority row).

const url = process.env.FOIDESK_TEST_POSTGRES_URL;
const root = join(import.meta.dirname, "..", "..", "..");
const ROUNDS = 10;

interface Started {
  child: ChildProcess;
  output: () => string;
  url: Promise<string>;
}

function startServe(databaseUrl: string, dataDir: string): Started {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    FOIDESK_DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PUBLISH_DUE_EVERY_MINUTES: "0",
  };
  delete env.BASE_URL;
  delete env.PORT;
  // Real processes racing each other, so they keep the machine's clock; nothing here checks a date.
  const child = spawn(process.execPath, [join(root, "bin", "foidesk.js"), "serve", "--demo", "--port", "0"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk) => {
    text += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    text += String(chunk);
  });
  const started = new Promise<string>((resolve, reject) => {
    const look = () => {
      const match = /foidesk is running at (http:\/\/\S+?)\/ /.exec(text);
      if (match) resolve(match[1]!);
    };
    child.stdout?.on("data", look);
    child.on("exit", (code) => reject(new Error(`exited with ${code} before listening:\n${text}`)));
  });
  return { child, output: () => text, url: started };
}

async function stop(started: Started): Promise<void> {
  if (started.child.exitCode !== null) return;
  const exited = new Promise((resolve) => started.child.on("exit", resolve));
  started.child.kill("SIGTERM");
  await exited;
}

describe.skipIf(!url)("two processes starting together on a fresh PostgreSQL database", () => {
  it(`both come up and answer /healthz, ${ROUNDS} times in a row`, async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const dataDir = await mkdtemp(join(tmpdir(), "foidesk-two-"));
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const name = `foidesk_two_${process.pid}_${round}`;
        await admin.query(`drop database if exists ${name}`);
        await admin.query(`create database ${name}`);
        const databaseUrl = new URL(url!);
        databaseUrl.pathname = `/${name}`;
        const pair = [startServe(databaseUrl.href, dataDir), startServe(databaseUrl.href, dataDir)];
        try {
          const urls = await Promise.all(
            pair.map((one) =>
              one.url.catch((error: Error) => {
                throw new Error(`round ${round}: ${error.message}`);
              }),
            ),
          );
          for (const base of urls) {
            const response = await fetch(`${base}/healthz`);
            expect(response.status, `round ${round}: ${base}/healthz`).toBe(200);
          }
          // Exactly one of them loaded the demo; the other found it loaded.
          const said = pair.map((one) => one.output());
          expect(said.filter((text) => /Loaded the demo: \d+ requests/.test(text))).toHaveLength(1);
          expect(said.filter((text) => text.includes("Demo data already loaded."))).toHaveLength(1);
        } finally {
          await Promise.all(pair.map(stop));
          await admin.query(`drop database if exists ${name} with (force)`);
        }
      }
    } finally {
      await admin.end();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});
