import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/index.ts";
import { testBackends } from "../../db/testing.ts";
import { createRequest } from "../../requests/index.ts";
import { memoryFileStore } from "../../storage/index.ts";
import { buildApp } from "../app.ts";
import { addStaff, Browser } from "../testing.ts";
import type { App } from "../types.ts";

// What a work-queue page costs the database: every staff page reads its session and user in one statement,
// and the queue its rows and counts in one more (bench/casework measured ~7 statements a page before).

const now = new Date("2026-06-10T10:00:00Z");

describe.each(testBackends())("the work queue page's statements on $name", (backend) => {
  let handle: DatabaseHandle;
  let app: App;
  /** The SQL of each statement run while `recording`, in order. */
  const statements: string[] = [];
  let recording = false;
  const compiled = new Map<unknown, string>();
  // A plugin sees each query built (subqueries too) and each executed statement's result once.
  const recorder: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      compiled.set(queryId.queryId, handle.db.getExecutor().compileQuery(node, queryId).sql);
      return node;
    },
    async transformResult({ result, queryId }) {
      if (recording) statements.push(compiled.get(queryId.queryId) ?? "?");
      return result;
    },
  };

  beforeAll(async () => {
    handle = await backend.open();
    await handle.db.insertInto("authority").values({ name: "Test Council" }).execute();
    await handle.db.insertInto("teams").values({ name: "Queue" }).execute();
    await addStaff(handle, { username: "olu", name: "Olu Officer", role: "officer", team: "Queue" });
    await addStaff(handle, { username: "mo", name: "Mo Manager", role: "manager", team: "Queue" });
    const team = (await handle.db.selectFrom("teams").select("id").executeTakeFirstOrThrow()).id;
    const olu = (
      await handle.db.selectFrom("users").select("id").where("username", "=", "olu").executeTakeFirstOrThrow()
    ).id;
    for (let index = 0; index < 7; index++)
      await createRequest(
        handle.db,
        {
          regime: index === 6 ? "sar" : "foia",
          channel: "email",
          receivedDate: `2026-05-${String(10 + index).padStart(2, "0")}`,
          body: `Question ${index} about the library's opening hours`,
          requester: { name: "Pat Reader", email: `pat${index}@example.org` },
          teamId: team,
          assigneeId: olu,
        },
        { userId: null, label: "test", role: "system" },
        now,
      );
    app = buildApp({
      db: handle.db.withPlugin(recorder),
      files: memoryFileStore(),
      config: { baseUrl: "http://localhost:3000" },
      now: () => now,
      logger: false,
    });
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  async function recorded(browser: Browser, url: string) {
    statements.length = 0;
    recording = true;
    try {
      return { page: await browser.get(url), statements: [...statements] };
    } finally {
      recording = false;
    }
  }

  const queueRows = (html: string) => html.match(/class="app-queue__summary"/g)?.length ?? 0;
  const visible = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

  it("reads the session and its user in one statement, and the queue in two more", async () => {
    const officer = new Browser(app);
    expect((await officer.signIn("olu")).statusCode).toBe(303);
    const { page, statements } = await recorded(officer, "/staff/requests?view=mine");
    expect(page.statusCode).toBe(200);
    // The officer's queue: six requests (the subject access request is not theirs to see), counted.
    expect(visible(page.body)).toMatch(/ 6 open/);
    expect(queueRows(page.body)).toBe(6);
    const sessionReads = statements.filter((text) => /"sessions"/.test(text));
    expect(sessionReads).toHaveLength(1);
    expect(sessionReads[0]).toMatch(/join "sessions"/);
    // Session and user; the authority's settings (who sees SARs, the clock); the page with its counts.
    expect(statements, statements.join("\n")).toHaveLength(3);
  });

  it("counts a filtered queue in the same statement as its page", async () => {
    const officer = new Browser(app);
    expect((await officer.signIn("olu")).statusCode).toBe(303);
    const overdue = await recorded(officer, "/staff/requests?view=mine&overdue=yes");
    expect(overdue.page.statusCode).toBe(200);
    expect(overdue.statements, overdue.statements.join("\n")).toHaveLength(3);
    const soon = await recorded(officer, "/staff/requests?view=mine&due=5");
    expect(soon.statements, soon.statements.join("\n")).toHaveLength(3);
    expect(queueRows(soon.page.body)).toBeGreaterThan(0);
  });

  it("reads an empty queue's counts on their own", async () => {
    const manager = new Browser(app);
    expect((await manager.signIn("mo")).statusCode).toBe(303);
    const { page, statements } = await recorded(manager, "/staff/requests?view=mine");
    expect(page.statusCode).toBe(200);
    expect(visible(page.body)).toMatch(/ 0 open/);
    // The manager's team list for the views, then as above, and the counts alone (no row carried them).
    expect(statements, statements.join("\n")).toHaveLength(5);
  });
});
