import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../../db/testing.ts";
import { type Actor, createRequest, performAction } from "../../../requests/index.ts";
import { answerRequest } from "../../../requests/testing.ts";
import { addStaff, Browser, openTestApp, type TestApp } from "../../testing.ts";

// The compliance report page: a manager picks the quarter (and a team), reads each section and downloads the
// CSVs; a bad date is named in the error summary; a case officer sees their own team's requests only.

const at = (date: string) => new Date(`${date}T10:00:00Z`);
const q3 = "/staff/reports?from=2026-07-01&to=2026-09-30";
const q2 = "/staff/reports?from=2026-04-01&to=2026-06-30";

describe.each(testBackends())("the compliance report page on $name", (backend) => {
  let t: TestApp;
  let professionalStandardsId: number;
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
      username: "ade",
      name: "Ade Approver",
      role: "approver",
      team: "Professional Standards",
    });
    /** An officer of `team`, and a request logged by them for their team on `receivedDate`. */
    const officerOf = async (username: string, name: string, team: string) => {
      await addStaff(t.handle, { username, name, role: "officer", team });
      const user = await db
        .selectFrom("users")
        .select(["id", "team_id"])
        .where("username", "=", username)
        .executeTakeFirstOrThrow();
      const actor: Actor = { userId: user.id, label: name, role: "officer" };
      const log = async (receivedDate: string, reference: string) =>
        createRequest(
          db,
          {
            regime: "foia",
            channel: "email",
            receivedDate,
            body: `Request ${reference}: how many speed cameras are there?`,
            requester: { name: "Priya Raman", email: "priya.raman@example.org" },
            assigneeId: user.id,
            teamId: user.team_id ?? undefined,
          },
          actor,
          at(receivedDate),
        );
      const answer = async (requestId: number, started: string, answered: string) => {
        await performAction(db, requestId, { type: "start-work" }, 1, actor, at(started));
        await answerRequest(db, requestId, 2, { officer: actor }, at(answered));
      };
      return { teamId: user.team_id as number, log, answer };
    };
    const olu = await officerOf("olu", "Olu Officer", "Information Rights");
    // Received Wed 1 July 2026; day 20 is Thu 30 July (NI's 13 July not counted): one in time, one a day late.
    for (const answered of ["2026-07-30", "2026-07-31"])
      await olu.answer((await olu.log("2026-07-01", answered)).id, "2026-07-02", answered);
    // Open and overdue at the end of the quarter.
    await olu.log("2026-08-03", "open");
    // Another team's request, answered in time in Q2: in the Q2 report for everyone and for that team only.
    const pat = await officerOf("pat", "Pat Standards", "Professional Standards");
    professionalStandardsId = pat.teamId;
    await pat.answer((await pat.log("2026-04-01", "standards")).id, "2026-04-02", "2026-04-15");
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

  it("shows a case officer their own team's requests only, whatever team the link asks for", async () => {
    const officer = new Browser(t.app);
    await officer.signIn("olu");
    expect((await officer.get("/staff/requests")).body).toContain('href="/staff/reports"');
    const own = await officer.get(q3);
    expect(own.statusCode).toBe(200);
    expect(own.body).toMatch(/Compliance report: Information Rights team\s*<\/h1>/);
    expect(own.body).toContain("50% of 2");
    expect(own.body).not.toContain('name="team"');
    // Q2's one answered request is Professional Standards': not in the Information Rights report.
    for (const path of [q2, `${q2}&team=${professionalStandardsId}`]) {
      const page = await officer.get(path);
      expect(page.body).toContain("Compliance report: Information Rights team");
      expect(page.body).toContain("Nothing answered");
      expect(page.body).not.toContain("Pat Standards");
    }
    // The Cabinet Office return is the authority's: one team's share of it is not offered.
    expect(own.body).toContain("The Cabinet Office return counts every request of the authority");
    expect(own.body).not.toContain("/staff/reports/cabinet-office.csv");
    const csv = await officer.get(
      `/staff/reports/cabinet-office.csv?from=2026-04-01&to=2026-06-30&team=${professionalStandardsId}`,
    );
    expect(csv.statusCode).toBe(404);
    const timeliness = await officer.get(
      `/staff/reports/timeliness.csv?from=2026-04-01&to=2026-06-30&team=${professionalStandardsId}`,
    );
    expect(timeliness.statusCode).toBe(200);
  });

  it("shows an approver their own team's requests, as an officer sees theirs", async () => {
    const approver = new Browser(t.app);
    await approver.signIn("ade");
    expect((await approver.get("/staff/requests")).body).toContain('href="/staff/reports"');
    const own = await approver.get(q2);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain("Compliance report: Professional Standards team");
    expect(own.body).toContain("100% of 1");
    expect(own.body).not.toContain('name="team"');
    expect((await approver.get(q3)).body).toContain("Nothing answered");
  });

  it("lets a manager see every team's requests or choose one team", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const all = await manager.get(q2);
    expect(all.body).toContain("100% of 1");
    expect(all.body).toMatch(/<select[^>]*name="team"/);
    expect(all.body).toContain(`<option value="${professionalStandardsId}">Professional Standards</option>`);
    const chosen = await manager.get(`${q2}&team=${professionalStandardsId}`);
    expect(chosen.body).toContain("Compliance report: Professional Standards team");
    expect(chosen.body).toContain("100% of 1");
    expect(chosen.body).toContain(`<option value="${professionalStandardsId}" selected>`);
    // The chosen team is kept in the downloads (but the authority's Cabinet Office return is not offered).
    expect(chosen.body).toContain(
      `timeliness.csv?from=2026-04-01&amp;to=2026-06-30&amp;team=${professionalStandardsId}`,
    );
    expect(chosen.body).not.toContain("cabinet-office.csv");
    const informationRights = await manager.get(`${q3}&team=${professionalStandardsId}`);
    expect(informationRights.body).toContain("Nothing answered");
    expect((await manager.get(`${q2}&team=999999`)).statusCode).toBe(404);
  });
});
