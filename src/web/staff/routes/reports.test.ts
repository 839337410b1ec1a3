import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../../db/testing.ts";
import { type Actor, createRequest, performAction } from "../../../requests/index.ts";
import { addStaff, Browser, openTestApp, type TestApp } from "../../testing.ts";

// The compliance report page: a manager picks the quarter, reads each section and downloads the CSVs; a bad
// date is named in the error summary; officers are refused.

const at = (date: string) => new Date(`${date}T10:00:00Z`);
const q3 = "/staff/reports?from=2026-07-01&to=2026-09-30";

describe.each(testBackends())("the compliance report page on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(backend);
    const db = t.handle.db;
    await db.insertInto("authority").values({ name: "Westmarch Constabulary" }).execute();
    await addStaff(t.handle, {
      username: "mina",
      name: "Mina Manager",
      role: "manager",
      team: "Information Rights",
    });
    await addStaff(t.handle, {
      username: "olu",
      name: "Olu Officer",
      role: "officer",
      team: "Information Rights",
    });
    const olu = await db
      .selectFrom("users")
      .select(["id", "team_id"])
      .where("username", "=", "olu")
      .executeTakeFirstOrThrow();
    const officer: Actor = { userId: olu.id, label: "Olu Officer", role: "officer" };
    const log = async (receivedDate: string, reference: string) =>
      createRequest(
        db,
        {
          regime: "foia",
          channel: "email",
          receivedDate,
          body: `Request ${reference}: how many speed cameras are there?`,
          requester: { name: "Priya Raman", email: "priya.raman@example.org" },
          assigneeId: olu.id,
          teamId: olu.team_id ?? undefined,
        },
        officer,
        at(receivedDate),
      );
    // Received Wed 1 July 2026; day 20 is Thu 30 July (NI's 13 July not counted): one in time, one a day late.
    for (const answered of ["2026-07-30", "2026-07-31"]) {
      const created = await log("2026-07-01", answered);
      await performAction(db, created.id, { type: "start-work" }, 1, officer, at("2026-07-02"));
      await performAction(
        db,
        created.id,
        { type: "record-outcome", outcome: "granted-in-full", date: answered },
        2,
        officer,
        at(answered),
      );
    }
    // Open and overdue at the end of the quarter.
    await log("2026-08-03", "open");
  });
  afterAll(async () => t?.close());

  it("shows a manager each section for the quarter, with the navigation item", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const page = await manager.get(q3);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/aria-current="page">\s*<strong[^>]*>Reports</);
    expect(page.body).toContain("2026 Q3 (July to September 2026)");
    for (const heading of [
      "Timeliness",
      "Backlog on 30 September 2026",
      "Outcomes",
      "Exemptions and exceptions used",
      "Internal reviews",
      "Cabinet Office quarterly statistics",
    ])
      expect(page.body).toContain(heading);
    expect(page.body).toContain("50% of 2");
    expect(page.body).toContain("Not met (under 90%)");
    expect(page.body).toContain("Olu Officer");
    expect(page.body).not.toContain("Priya");
    // A plain GET form: the page works without JavaScript.
    expect(page.body).toContain('<form method="get" action="/staff/reports"');
    expect(page.body).toContain('href="/staff/reports/cabinet-office.csv?from=2026-07-01&amp;to=2026-09-30"');
  });

  it("opens on the current quarter", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const page = await manager.get("/staff/reports");
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<input[^>]*id="from"[^>]*value="\d{4}-(01|04|07|10)-01"/);
  });

  it("downloads each table as CSV, the Cabinet Office's as one row for the quarter", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const csv = await manager.get("/staff/reports/cabinet-office.csv?from=2026-07-01&to=2026-09-30");
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toBe(
      'attachment; filename="cabinet-office-2026-07-01-to-2026-09-30.csv"',
    );
    const [header, row] = csv.body.split("\r\n");
    expect(header).toMatch(/^Public authority,Quarter,/);
    expect(row).toMatch(
      /^Westmarch Constabulary,2026 Q3,2026-07-01,2026-09-30,\d{4}-\d{2}-\d{2},3,3,0,2,0,0,1,1,0,1,50,/,
    );
    const backlog = await manager.get("/staff/reports/backlog.csv?from=2026-07-01&to=2026-09-30");
    expect(backlog.body).toMatch(/^Reference,Regime,State/);
    expect(backlog.body.split("\r\n")[1]).toMatch(
      /,FOIA,received,2026-08-03,2026-09-01,21,58,Information Rights,Olu Officer$/,
    );
    expect(backlog.body).not.toMatch(/Priya|example\.org|speed cameras/);
    expect((await manager.get("/staff/reports/nonsense.csv?from=2026-07-01&to=2026-09-30")).statusCode).toBe(
      404,
    );
  });

  it("names the field of a bad date in the error summary", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const page = await manager.get("/staff/reports?from=2026-07-01&to=2026-02-30");
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('<a href="#to">The end date must be a real date, like 2026-07-01</a>');
    expect(page.body).toMatch(/<input[^>]*id="to"[^>]*value="2026-02-30"/);
    const csv = await manager.get("/staff/reports/timeliness.csv?from=&to=2026-09-30");
    expect(csv.statusCode).toBe(422);
  });

  it("is for managers and administrators: an officer is refused and has no link", async () => {
    const officer = new Browser(t.app);
    await officer.signIn("olu");
    expect((await officer.get(q3)).statusCode).toBe(403);
    expect(
      (await officer.get("/staff/reports/timeliness.csv?from=2026-07-01&to=2026-09-30")).statusCode,
    ).toBe(403);
    expect((await officer.get("/staff/requests")).body).not.toContain('href="/staff/reports"');
  });
});
