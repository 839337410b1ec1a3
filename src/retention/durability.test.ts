import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../db/index.ts";
import { verifyAuditChain } from "../requests/index.ts";
import { createApiToken, createUser } from "../users/index.ts";

// Durability: the app is killed outright (SIGKILL: no shutdown, no flush) while 50 requests are being
// submitted. Every request the app acknowledged (201 with a reference) must be there after a restart, none
// half-written, and the history must verify. The embedded database is the one at risk (one process writing
// its own files); a PostgreSQL server's durability is its own.

const root = resolve(import.meta.dirname, "../..");
const node = join(root, "node_modules/.bin/node");
const since = new Date("2026-01-01T00:00:00Z");

/** Starts `foidesk serve` on the data folder; resolves with the process and its address once it listens. */
async function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  // A port the system hands out (serve's own port 0 would leave it no address to put in links).
  const port = await new Promise<number>((done) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
  const child = spawn(node, [join(root, "bin/foidesk.js"), "serve", "--port", String(port)], {
    cwd: dataDir,
    env: {
      ...process.env,
      DATABASE_URL: "",
      FOIDESK_DATA_DIR: dataDir,
      HOST: "127.0.0.1",
      // Vitest's own BASE_URL ("/") is not an address.
      BASE_URL: `http://127.0.0.1:${port}`,
      PUBLISH_DUE_EVERY_MINUTES: "0",
      RETENTION_EVERY_HOURS: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((done, fail) => {
    let printed = "";
    child.stdout!.on("data", (chunk) => {
      printed += String(chunk);
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)\//.exec(printed);
      if (match) done({ child, url: match[1]! });
    });
    child.stderr!.on("data", (chunk) => {
      printed += String(chunk);
    });
    child.on("exit", (code) => fail(new Error(`foidesk serve stopped (${code}): ${printed}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
    child.kill("SIGKILL");
  });
}

describe("durability of the embedded database under SIGKILL", () => {
  let folder: string;
  let token = "";
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "foidesk-durability-"));
    const handle = await openDatabase({ kind: "pglite", dataDir: folder });
    await migrateToLatest(handle.db);
    await handle.db.insertInto("authority").values({ name: "Durable Council" }).execute();
    await createUser(handle.db, {
      username: "portal",
      name: "Partner website",
      role: "officer",
      password: "portal-password-1",
    });
    token = (await createApiToken(handle.db, { username: "portal", name: "durability" }, since)).token;
    await handle.close();
  });
  afterAll(async () => {
    for (const child of children) await killed(child);
    await rm(folder, { recursive: true, force: true });
  });

  it("keeps every acknowledged request of 50 submitted when killed part-way, and the history verifies", async () => {
    const server = await serve(folder);
    children.push(server.child);
    const acknowledged: string[] = [];
    const kill: { done: Promise<void> | null } = { done: null };
    const submissions = Array.from({ length: 50 }, (_, index) =>
      fetch(`${server.url}/api/v1/requests`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          regime: "foia",
          requester: { name: `Requester ${index}`, email: `r${index}@example.org` },
          body: `Question number ${index} about road repairs`,
        }),
      })
        .then(async (response) => {
          if (response.status !== 201)
            throw new Error(`answered ${response.status}: ${await response.text()}`);
          acknowledged.push(((await response.json()) as { reference: string }).reference);
          // Killed once a third have been acknowledged: the rest are in flight or not yet read.
          if (acknowledged.length === 17) kill.done = killed(server.child);
        })
        .catch(() => undefined),
    );
    await Promise.all(submissions);
    await (kill.done ?? killed(server.child));
    expect(server.child.signalCode).toBe("SIGKILL");
    expect(acknowledged.length).toBeGreaterThanOrEqual(17);
    expect(acknowledged.length).toBeLessThan(50);

    // Restarted: it opens the data folder the killed process left, and serves.
    const again = await serve(folder);
    children.push(again.child);
    const health = await fetch(`${again.url}/healthz`).catch(() => null);
    expect(health?.status).toBe(200);
    await killed(again.child);

    const handle = await openDatabase({ kind: "pglite", dataDir: folder });
    try {
      const stored = await handle.db.selectFrom("requests").select(["reference", "version"]).execute();
      const references = new Set(stored.map((row) => row.reference));
      for (const reference of acknowledged) expect(references.has(reference)).toBe(true);
      expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, requests: stored.length });
      // Each stored request is whole: its requester and its first event came with it (one transaction).
      const orphans = await handle.db
        .selectFrom("requests as r")
        .leftJoin("requesters as q", "q.id", "r.requester_id")
        .select("r.reference")
        .where("q.id", "is", null)
        .execute();
      expect(orphans).toEqual([]);
    } finally {
      await handle.close();
    }
  }, 300_000);
});
