import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { type ServedProcess, servedStores, serveProcess, stopped } from "../serve-process.ts";
import { workerCount } from "./serve-cluster.ts";

// `foidesk serve --workers N` / WEB_CONCURRENCY: several app processes on one port (issue 19: one Node process
// renders one page at a time, and ten officers at once queue for it).

describe("the number of app processes", () => {
  it("is --workers, else WEB_CONCURRENCY, else one; more than one only on a PostgreSQL server", () => {
    const server = { DATABASE_URL: "postgres://db.example/foidesk" };
    expect(workerCount(undefined, {})).toBe(1);
    expect(workerCount(undefined, { ...server, WEB_CONCURRENCY: "3" })).toBe(3);
    expect(workerCount("2", { ...server, WEB_CONCURRENCY: "3" })).toBe(2);
    for (const [option, env, field] of [
      ["0", server, "--workers"],
      ["two", server, "--workers"],
      [undefined, { ...server, WEB_CONCURRENCY: "100" }, "WEB_CONCURRENCY"],
      ["2", {}, "--workers"],
    ] as const)
      expect(() => workerCount(option, env)).toThrow(expect.objectContaining({ field }));
    expect(() => workerCount("2", {})).toThrow(/embedded database is opened by one process at a time/);
  });
});

const children = (pid: number): number[] => {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
};

async function until<T>(look: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const found = look();
    if (found !== undefined) return found;
    if (performance.now() > end) throw new Error(`waited ${ms / 1000}s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const { stores, remove } = await servedStores("foidesk-serve-workers-");
afterAll(() => remove());
const postgres = stores.find((store) => store.name === "postgres");

describe.runIf(postgres)("foidesk serve with two processes on PostgreSQL", () => {
  let served: ServedProcess | undefined;
  afterAll(async () => {
    if (served) await stopped(served.child);
  });

  it("serves on one port from two processes, replaces one that dies, and stops them all on SIGTERM", async () => {
    served = await serveProcess(postgres!, { WEB_CONCURRENCY: "2" });
    const primary = served.child.pid!;
    expect(served.output()).toContain("2 processes");
    const workers = children(primary);
    expect(workers).toHaveLength(2);
    for (let i = 0; i < 10; i++) expect((await fetch(`${served.url}/healthz`)).status).toBe(200);

    process.kill(workers[0]!, "SIGKILL");
    const replaced = await until(() => {
      const now = children(primary);
      return now.length === 2 && !now.includes(workers[0]!) ? now : undefined;
    }, "a new process in place of the one killed");
    expect(replaced).toContain(workers[1]);
    expect(served.output()).toMatch(/process \d \(pid \d+\) stopped \(SIGKILL\); starting another/);
    for (let i = 0; i < 10; i++) expect((await fetch(`${served.url}/disclosure-log`)).status).toBe(200);

    const exited = new Promise<number | null>((done) => served!.child.once("exit", (code) => done(code)));
    served.child.kill("SIGTERM");
    expect(await exited, served.output()).toBe(0);
    for (const pid of replaced) expect(() => process.kill(pid, 0), `process ${pid} still running`).toThrow();
    served = undefined;
  }, 120_000);
});
