import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { requestStates, verifyAuditChain, workQueue } from "../requests/index.ts";
import { loadDemoData } from "./index.ts";

const [pglite] = testBackends();

describe("demo data", () => {
  let handle: DatabaseHandle;
  const now = new Date("2026-11-26T09:00:00Z");
  beforeAll(async () => {
    handle = await pglite!.open();
  });
  afterAll(async () => handle?.close());

  it("loads a fictional authority with requests in every state, some overdue, once", async () => {
    const first = await loadDemoData(handle.db, now);
    expect(first.loaded).toBe(true);
    expect(first.logins.map((login) => login.role)).toEqual([
      "officer",
      "officer",
      "approver",
      "manager",
      "admin",
    ]);
    const states = await handle.db.selectFrom("requests").select("state").distinct().execute();
    expect(states.map((row) => row.state).sort()).toEqual([...requestStates].sort());
    const queue = await workQueue(handle.db, {}, now);
    expect(queue.counts.overdue).toBeGreaterThan(0);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
    const again = await loadDemoData(handle.db, now);
    expect(again.loaded).toBe(false);
  });
});
