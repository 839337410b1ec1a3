import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { datasetList, datasetPage } from "../datasets/index.ts";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { complianceReport } from "../reporting/index.ts";
import { replyFor, requestStates, verifyAuditChain, workQueue } from "../requests/index.ts";
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
    // The worked statistics example: the gangs dataset and its policy, and the force-wide table released for
    // the gangs request, whose draft reply links to it as advice and assistance.
    const [gangs] = await datasetList(handle.db);
    expect(gangs).toMatchObject({ name: "gangs-matrix", title: "Known gangs", records: 62, releases: 1 });
    const page = await datasetPage(handle.db, gangs!.id);
    expect(page.policy.summary.restricted[0]?.citations).toEqual(["Section 31(1)(a)(b) Law enforcement"]);
    const release = page.releases[0]!;
    expect(release.title).toBe("Known gangs by age band and category");
    expect(release.primary).toBeGreaterThan(0);
    const reply = await replyFor(handle.db, release.requestId!);
    expect(reply?.content.advice?.at(-1)?.link?.url).toBe(`http://localhost:3000/statistics/${release.id}`);
    // The manager's report for the year: answers in time (signed-off replies too), an overdue backlog.
    const report = await complianceReport(handle.db, { from: "2026-01-01", to: "2026-11-26" }, now);
    expect(report.timeliness.at(-1)).toMatchObject({ answered: 12, late: 0, meetsIcoExpectation: true });
    expect(report.backlog.overdue).toBeGreaterThan(0);
    const again = await loadDemoData(handle.db, now);
    expect(again.loaded).toBe(false);
  });
});
