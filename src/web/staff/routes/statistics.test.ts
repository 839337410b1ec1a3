import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { londonDate } from "../../../calendar/index.ts";
import { datasetList } from "../../../datasets/index.ts";
import { testBackends } from "../../../db/testing.ts";
import { DEMO_PASSWORD, loadDemoData } from "../../../demo/index.ts";
import { recordOnlyMailer } from "../../../mail/index.ts";
import {
  type Actor,
  createRequest,
  performAction,
  replyFor,
  replyLetterhead,
  saveReplyDraft,
  sendReply,
} from "../../../requests/index.ts";
import { gangsPolicy } from "../../../statistics/index.ts";
import { Browser, csrfFrom, openTestApp, type TestApp } from "../../testing.ts";

// The example in the back office and on the public site, over HTTP: an officer opens the demo's gangs
// dataset, asks for the borough breakdown and is refused with the policy's s.31(1)(a)(b) reason (and puts it
// into the request's reply), asks for age band × category and gets a table with small numbers withheld,
// releases it (linked from the reply as advice and assistance), and the public statistics page shows it with
// its chart and files. A manager imports a dataset (a bad line named) and changes a release policy.

// A fixed day (a Wednesday, no bank holiday near), given to the app as its clock: never the wall clock.
const now = new Date("2026-06-10T10:00:00Z");
const reason = gangsPolicy.restricted[0]!.reason;

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

function multipart(browser: Browser, url: string, fields: Record<string, string>, csv: string) {
  const boundary = "----foidesk-statistics";
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const file = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
  return browser.app.inject({
    method: "POST",
    url,
    headers: {
      "content-type": `multipart/form-data; boundary=${boundary}`,
      ...browser.cookieHeader(),
    },
    payload: parts.join("") + file,
  });
}

describe.each(testBackends())("statistics pages on $name", (backend) => {
  let t: TestApp;
  let officer: Browser;
  let manager: Browser;
  let gangsId: number;
  let gangsRequest: { id: number; reference: string };

  const actorOf = async (username: string): Promise<Actor> => {
    const user = await t.handle.db
      .selectFrom("users")
      .select(["id", "display_name", "role"])
      .where("username", "=", username)
      .executeTakeFirstOrThrow();
    return { userId: user.id, label: user.display_name, role: user.role };
  };

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    await loadDemoData(t.handle.db, now, undefined, { baseUrl: "http://localhost:3000" });
    officer = new Browser(t.app);
    expect((await officer.signIn("officer", DEMO_PASSWORD)).statusCode).toBe(303);
    manager = new Browser(t.app);
    expect((await manager.signIn("manager", DEMO_PASSWORD)).statusCode).toBe(303);
    gangsId = (await datasetList(t.handle.db))[0]!.id;
    gangsRequest = await t.handle.db
      .selectFrom("requests")
      .select(["id", "reference"])
      .where("topic", "=", "Gangs")
      .where("state", "=", "in-progress")
      .orderBy("id")
      .executeTakeFirstOrThrow();
  }, 240_000);
  afterAll(async () => t?.close());

  it("shows officers and managers the datasets, and refuses approvers", async () => {
    const list = await officer.get("/staff/statistics");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/staff/statistics" aria-current="page"');
    expect(list.body).toContain(`<a class="govuk-link" href="/staff/statistics/${gangsId}">Known gangs</a>`);
    expect(list.body).not.toContain("Import a dataset"); // managers import
    const approver = new Browser(t.app);
    await approver.signIn("abi", DEMO_PASSWORD);
    expect((await approver.get("/staff/statistics")).statusCode).toBe(403);
    expect((await approver.get("/staff")).body).not.toContain('href="/staff/statistics"');
  });

  it("shows the dataset's dimensions and its release policy, with the exemption and reason", async () => {
    const page = await officer.get(`/staff/statistics/${gangsId}`);
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain("Any member under 18");
    expect(words).toContain("Ashford Vale, Brindley, Castlegate");
    expect(words).toContain("Borough : refused under Section 31(1)(a)(b) Law enforcement");
    expect(words).toContain(reason);
    expect(words).toContain("Counts from 1 to 4 are withheld.");
    expect(words).toContain("Known gangs by age band and category"); // the demo's release
    expect(page.body).not.toContain("Change the release policy"); // managers only
  });

  it("refuses the borough breakdown with the s.31(1)(a)(b) reason, and puts it into the request's reply", async () => {
    const page = await officer.get(
      `/staff/statistics/${gangsId}/table?dimensions=borough&dimensions=under_18&request=${gangsRequest.id}`,
    );
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain("Refused by the release policy");
    expect(words).toContain("Section 31(1)(a)(b) Law enforcement");
    expect(words).toContain(`Reason for the refusal notice ${reason}`);
    expect(page.body).not.toContain("Release this table");
    const before = (await replyFor(t.handle.db, gangsRequest.id))!.content;
    const added = await officer.post(`/staff/statistics/${gangsId}/refusals`, {
      _csrf: csrfFrom(page.body),
      dimensions: ["borough", "under_18"],
      request: String(gangsRequest.id),
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`/staff/requests/${gangsRequest.id}/reply`);
    const after = (await replyFor(t.handle.db, gangsRequest.id))!.content;
    const s31 = after.exemptions?.find((application) => application.exemptionIds.includes("foia-31-1-a"));
    expect(s31?.harm?.reasoning).toEqual([...(before.exemptions?.[0]?.harm?.reasoning ?? []), reason]);
    expect(after.questions?.map((question) => question.decision)).toEqual(["partly", "partly"]);
  });

  it("builds age band × category with small numbers withheld, releases it into the reply, and publishes it", async () => {
    const page = await officer.get(
      `/staff/statistics/${gangsId}/table?dimensions=age_band&dimensions=category&request=${gangsRequest.id}`,
    );
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain("Known gangs by age band and category");
    expect(words).toMatch(/Withheld \d+ small numbers \(primary suppression\), and \d+ other/);
    expect(words).toContain("Audit Passed: no withheld figure can be worked out");
    expect(words).toContain("Checked against 1 earlier release: together they reveal no small number");
    expect(page.body).toContain('<abbr title="withheld to protect confidentiality">[c]</abbr>');
    expect(page.body).toContain('role="img"');

    // Without the form's token, nothing is released.
    const forged = await officer.post(`/staff/statistics/${gangsId}/releases`, {
      dimensions: ["age_band", "category"],
    });
    expect(forged.statusCode).toBe(403);

    // The demo released this very table into the gangs reply already: a table goes into a reply once.
    const again = await officer.post(`/staff/statistics/${gangsId}/releases`, {
      _csrf: csrfFrom(page.body),
      dimensions: ["age_band", "category"],
      request: String(gangsRequest.id),
      title: "Known gangs by age band and category, again",
    });
    expect(again.statusCode).toBe(409);
    expect(text(again.body)).toContain(
      `was already released into the reply to ${gangsRequest.reference} on ${londonDate(now)}: a table is released once.`,
    );

    // Another request asks for the same figures: the table is released into its reply.
    const officerActor = await actorOf("officer");
    const other = await createRequest(
      t.handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: londonDate(now),
        body: "How many people are on the gangs matrix, by age band and category?",
        requester: { name: "Sam Reporter", email: "sam@example.org", type: "journalist" },
      },
      officerActor,
      now,
    );
    const started = await performAction(t.handle.db, other.id, { type: "start-work" }, 1, officerActor, now);
    // Its reply drafted, each question decided, so the table can be added to it.
    const drafted = await saveReplyDraft(
      t.handle.db,
      other.id,
      {
        questions: [{ text: "How many people are on the gangs matrix?", decision: "disclosed" }],
        disclosure: [{ kind: "text", text: "The table linked below gives the figures." }],
      },
      started.version,
      officerActor,
      now,
    );
    const released = await officer.post(`/staff/statistics/${gangsId}/releases`, {
      _csrf: csrfFrom(page.body),
      dimensions: ["age_band", "category"],
      request: String(other.id),
      title: "Known gangs by age band and category, 31 January 2026",
    });
    expect(released.statusCode).toBe(303);
    const location = released.headers.location as string;
    const releaseId = Number(/\/staff\/statistics\/releases\/(\d+)\?done=added$/.exec(location)?.[1]);
    expect(releaseId).toBeGreaterThan(0);
    const releasePage = await officer.get(location);
    expect(text(releasePage.body)).toContain("The table is in the reply as advice and assistance");
    expect(text(releasePage.body)).toContain(
      `${other.reference} (the reply links to it as advice and assistance)`,
    );
    const reply = (await replyFor(t.handle.db, other.id))!.content;
    expect(reply.advice?.at(-1)?.link).toEqual({
      url: `http://localhost:3000/statistics/${releaseId}`,
      text: "Known gangs by age band and category, 31 January 2026",
    });

    // Not on the public site until the reply is sent (after any sign-off it needs).
    const visitor = new Browser(t.app);
    expect((await visitor.get("/statistics")).body).not.toContain(`href="/statistics/${releaseId}"`);
    expect((await visitor.get(`/statistics/${releaseId}`)).statusCode).toBe(404);
    expect((await visitor.get(`/statistics/${releaseId}/table.csv`)).statusCode).toBe(404);
    const { version } = await t.handle.db
      .selectFrom("requests")
      .select("version")
      .where("id", "=", other.id)
      .executeTakeFirstOrThrow();
    expect(version).toBeGreaterThan(drafted.version);
    const sent = await sendReply(
      t.handle.db,
      t.app.files,
      recordOnlyMailer,
      other.id,
      version,
      officerActor,
      now,
      await replyLetterhead(t.handle.db),
    );
    expect(sent.state).toBe("responded");

    const list = await visitor.get("/statistics");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/statistics/${releaseId}"`);
    const publicPage = await visitor.get(`/statistics/${releaseId}`);
    expect(publicPage.statusCode).toBe(200);
    expect(publicPage.body).toContain("Exit this page");
    expect(publicPage.body).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">Known gangs by age band and category, 31 January 2026</caption>',
    );
    expect(publicPage.body).toContain("[c] Figure withheld to protect confidentiality");
    expect(publicPage.body).toContain("<svg");
    // No personal data: not who released it, not the request it answered.
    expect(publicPage.body).not.toContain("Olivia Okafor");
    expect(publicPage.body).not.toContain(gangsRequest.reference);
    const csv = await visitor.get(`/statistics/${releaseId}/table.csv`);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toContain(
      "known-gangs-by-age-band-and-category-31-january-2026.csv",
    );
    expect(csv.body).toContain("Age band,Category,Count\r\n");
    expect(csv.body).toContain("Total,Total,62\r\n");
    // Data only: every row has the header's three columns, and the notes are a file of their own.
    const rows = csv.body.trimEnd().split("\r\n");
    expect(rows.every((row) => row.split(",").length === 3)).toBe(true);
    expect(csv.body).not.toContain("Note");
    expect(publicPage.body).toContain(`href="/statistics/${releaseId}/notes.csv"`);
    const notes = await visitor.get(`/statistics/${releaseId}/notes.csv`);
    expect(notes.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(notes.headers["content-disposition"]).toContain(
      "known-gangs-by-age-band-and-category-31-january-2026-notes.csv",
    );
    expect(notes.body.split("\r\n")[0]).toBe("Note number,Note text");
    expect(notes.body).toContain('1,"[c] Figure withheld to protect confidentiality');
    const xlsx = await visitor.get(`/statistics/${releaseId}/table.xlsx`);
    expect(xlsx.headers["content-type"]).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(xlsx.rawPayload.subarray(0, 2).toString("latin1")).toBe("PK");
    expect((await visitor.get("/statistics/999999")).statusCode).toBe(404);
  });

  it("asks for a dimension when none is ticked, linking the error to the checkboxes", async () => {
    const page = await officer.get(`/staff/statistics/${gangsId}/table`);
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('<a href="#dimensions">Choose at least one dimension for the table</a>');
    expect(page.body).toContain('id="dimensions"');
  });

  it("lets a manager import a CSV dataset, naming the line and column of bad data and importing nothing", async () => {
    expect((await officer.get("/staff/statistics/import")).statusCode).toBe(403);
    const form = await manager.get("/staff/statistics/import");
    expect(form.statusCode).toBe(200);
    const fields = {
      _csrf: csrfFrom(form.body),
      title: "Stop and search",
      name: "stop-search",
      dimensions: "age, ethnicity",
      frequency: "n",
    };
    const before = (await datasetList(t.handle.db)).length;
    const bad = await multipart(
      manager,
      "/staff/statistics/import",
      fields,
      "age,ethnicity,n\n10-17,White,12\n10-17,Black,three\n18+,White,40\n",
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain(
      '<a href="#file">line 3, column 3 (n): &quot;three&quot; is not a count (a whole number, 0 or more)</a>',
    );
    expect(bad.body).toContain('value="Stop and search"'); // what was typed is kept
    expect((await datasetList(t.handle.db)).length).toBe(before);
    const good = await multipart(
      manager,
      "/staff/statistics/import",
      fields,
      "age,ethnicity,n\n10-17,White,12\n10-17,Black,3\n18+,White,40\n18+,Black,9\n",
    );
    expect(good.statusCode).toBe(303);
    const page = await manager.get(good.headers.location as string);
    expect(text(page.body)).toContain("Dataset imported.");
    expect(text(page.body)).toContain("Records 4");
  });

  it("lets a manager change the release policy, refusing an unknown exemption by name", async () => {
    expect((await officer.get(`/staff/statistics/${gangsId}/policy`)).statusCode).toBe(403);
    const form = await manager.get(`/staff/statistics/${gangsId}/policy`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="restricted.0.reason"');
    expect(form.body).toContain("foia-31-1-a, foia-31-1-b");
    // The harm and public-interest tests the policy states are on the form, to be read and changed.
    expect(form.body).toMatch(
      /name="restricted\.0\.harm\.likelihood" type="radio" value="would-be-likely-to" checked/,
    );
    expect(form.body).toMatch(/the balance lies in withholding them[^<]*<\/textarea>/);
    const fields = {
      _csrf: csrfFrom(form.body),
      restrictedRows: "2",
      "restricted.0.dimensions": "borough",
      "restricted.0.exemptions": "foia-31-1-a, foia-31-1-b",
      "restricted.0.reason": reason,
      "restricted.1.dimensions": ["age_band", "under_18"],
      "restricted.0.harm.interest": "The prevention or detection of crime",
      "restricted.0.harm.likelihood": "would",
      "restricted.0.publicInterest.favouringDisclosure": "Transparency about gangs\nPublic safety",
      "restricted.0.publicInterest.favouringWithholding": "Gangs could see where policing is weakest",
      "restricted.0.publicInterest.balance":
        "On balance the public interest lies in withholding the figures.",
      "restricted.1.exemptions": "foia-99",
      "restricted.1.reason": "Too revealing.",
      threshold: "5",
      zeros: "hide",
      "rounding.method": "none",
      method: "auto",
    };
    const refused = await manager.post(`/staff/statistics/${gangsId}/policy`, fields);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(
      '<a href="#restricted.1.exemptions">&quot;foia-99&quot; is not an exemption in foidesk&#39;s catalogue, like foia-31-1-a</a>',
    );
    expect(refused.body).toContain('value="foia-99"');
    // A public-interest test stated by halves is refused, naming each field left out.
    const halves = await manager.post(`/staff/statistics/${gangsId}/policy`, {
      ...fields,
      "restricted.1.exemptions": "foia-31-1-a",
      "restricted.1.publicInterest.favouringDisclosure": "Transparency",
    });
    expect(halves.statusCode).toBe(422);
    expect(halves.body).toContain(
      '<a href="#restricted.1.publicInterest.balance">Say where the balance of the public interest lies, and why</a>',
    );
    expect(halves.body).toContain(
      '<a href="#restricted.1.publicInterest.favouringWithholding">List the factors in favour of withholding</a>',
    );
    // A harm test for an exemption that has none is refused too.
    const classBased = await manager.post(`/staff/statistics/${gangsId}/policy`, {
      ...fields,
      "restricted.1.exemptions": "foia-40-2",
      "restricted.1.harm.interest": "Privacy",
      "restricted.1.harm.likelihood": "would",
    });
    expect(classBased.statusCode).toBe(422);
    expect(text(classBased.body)).toMatch(
      /Section 40\(2\) Personal information is not prejudice-based: it needs no harm test/,
    );
    const saved = await manager.post(`/staff/statistics/${gangsId}/policy`, {
      ...fields,
      "restricted.1.exemptions": "foia-31-1-a",
    });
    expect(saved.statusCode).toBe(303);
    const page = await manager.get(`/staff/statistics/${gangsId}`);
    const words = text(page.body);
    expect(words).toContain("Version 2");
    expect(words).toContain("Counts from 1 to 5 are withheld.");
    expect(words).toContain(
      "Age band × Any member under 18 : refused under Section 31(1)(a) Law enforcement",
    );
    const table = await officer.get(
      `/staff/statistics/${gangsId}/table?dimensions=age_band&dimensions=under_18`,
    );
    expect(text(table.body)).toContain("Too revealing.");
    // The harm and public-interest tests are stored as the form stated them.
    const stored = await t.handle.db
      .selectFrom("statistics_policies")
      .select("policy")
      .where("dataset_id", "=", gangsId)
      .orderBy("version", "desc")
      .executeTakeFirstOrThrow();
    const restricted = (stored.policy as { restricted: Record<string, unknown>[] }).restricted;
    expect(restricted[0]).toMatchObject({
      dimensions: ["borough"],
      harm: { interest: "The prevention or detection of crime", likelihood: "would" },
      publicInterest: {
        favouringDisclosure: ["Transparency about gangs", "Public safety"],
        favouringWithholding: ["Gangs could see where policing is weakest"],
        balance: "On balance the public interest lies in withholding the figures.",
      },
    });
    expect(restricted[1]).not.toHaveProperty("harm");
  });
});
