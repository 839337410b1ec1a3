import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../../db/testing.ts";
import { saveEntry } from "../../../publication-scheme/index.ts";
import { addStaff, Browser, csrfFrom, openTestApp, type TestApp } from "../../testing.ts";

// The publication scheme on each database, over HTTP: the public page and its JSON list the model scheme's
// classes and the entries, linked, with no staff names; a manager adds and changes entries (each bad field
// named, CSRF checked), an officer is refused, and an entry is flagged "Review due" 12 months after its last
// review (the app's clock injected).

// A fixed moment, given to the app as its clock (session cookies carry Max-Age, so any date will do).
const firstReview = new Date("2030-03-02T10:00:00Z");
let clock = firstReview;

describe.each(testBackends())("the publication scheme pages on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    clock = firstReview;
    t = await openTestApp(backend, { now: () => clock });
    await t.handle.db.insertInto("authority").values({ name: "Westmarch Constabulary" }).execute();
    await addStaff(t.handle, {
      username: "mina",
      name: "Mina Manager",
      role: "manager",
      team: "Information Rights",
    });
    await addStaff(t.handle, { username: "olu", name: "Olu Officer", role: "officer", team: "Complaints" });
    await saveEntry(
      t.handle.db,
      null,
      { classId: "6", title: "Our disclosure log", availability: "disclosure-log" },
      { label: "Mina Manager", role: "manager" },
      clock,
    );
  });
  afterAll(async () => t?.close());

  it("lets a manager add an entry, naming each bad field first", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const form = await manager.get("/staff/publication-scheme/new");
    expect(form.statusCode).toBe(200);
    const refused = await manager.post("/staff/publication-scheme/new", {
      _csrf: csrfFrom(form.body),
      classId: "2",
      title: "",
      availability: "web",
      url: "javascript:alert(1)",
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('<a href="#title">Enter a title</a>');
    expect(refused.body).toContain(
      '<a href="#url">Enter a web address starting with http:// or https://</a>',
    );
    expect(refused.body).toContain("javascript:alert(1)");

    const saved = await manager.post("/staff/publication-scheme/new", {
      _csrf: csrfFrom(form.body),
      classId: "2",
      title: "Spending over £500",
      availability: "web",
      url: "https://www.westmarch.police.example/spending",
      charge: "",
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe("/staff/publication-scheme?done=saved");
    const list = await manager.get("/staff/publication-scheme?done=saved");
    expect(list.body).toContain("Entry saved");
    expect(list.body).toContain("Spending over £500");
    expect(list.body).toMatch(/aria-current="page">\s*<strong[^>]*>Publication scheme</);
    expect(list.body).not.toContain("Review due");
  });

  it("refuses a form without its CSRF token", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const response = await manager.post("/staff/publication-scheme/new", {
      classId: "1",
      title: "X",
      availability: "on-request",
    });
    expect(response.statusCode).toBe(403);
  });

  it("shows the classes in order and the entries, linked, to the public and in the API, with no staff names", async () => {
    const page = await t.app.inject({ method: "GET", url: "/publication-scheme" });
    expect(page.statusCode).toBe(200);
    const body = page.body;
    const order = [
      "1. Who we are and what we do",
      "2. What we spend and how we spend it",
      "3. What our priorities are and how we are doing",
      "4. How we make decisions",
      "5. Our policies and procedures",
      "6. Lists and registers",
      "7. The services we offer",
    ].map((heading) => body.indexOf(heading));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] as number)))).toBe(true);
    expect(body).toMatch(
      /<a class="govuk-link[^"]*" href="https:\/\/www.westmarch.police.example\/spending">Spending over £500<\/a>/,
    );
    expect(body).toMatch(/href="\/disclosure-log">Our disclosure log<\/a>/);
    expect(body).toContain("Exit this page");
    expect(body).toContain("Beta");
    expect(body).not.toContain("Mina");
    expect(body).not.toContain("Manager");

    const start = await t.app.inject({ method: "GET", url: "/" });
    expect(start.body).toContain('href="/publication-scheme"');

    const api = await t.app.inject({ method: "GET", url: "/api/v1/publication-scheme" });
    expect(api.statusCode).toBe(200);
    const json = api.json();
    expect(json.classes).toHaveLength(7);
    expect(json.classes[5].entries[0]).toMatchObject({
      title: "Our disclosure log",
      availability: "disclosure-log",
    });
    expect(json.classes[5].entries[0].url).toMatch(/^https?:\/\/[^/]+\/disclosure-log$/);
    expect(api.body).not.toContain("Mina");
    const openapi = await t.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(openapi.json().paths["/api/v1/publication-scheme"].get.security).toEqual([]);
  });

  it("flags an entry not reviewed for 12 months, and saving it marks it reviewed", async () => {
    clock = new Date("2031-03-02T10:00:00Z");
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const list = await manager.get("/staff/publication-scheme");
    expect(list.body).toContain("Review due");
    expect(list.body).toContain("2 entries are due for review.");
    const id = /href="\/staff\/publication-scheme\/(\d+)\/edit"/.exec(list.body)?.[1];
    const form = await manager.get(`/staff/publication-scheme/${id}/edit`);
    expect(form.body).toMatch(/<input[^>]*id="title"[^>]*value="[^"]+"/);
    const saved = await manager.post(`/staff/publication-scheme/${id}/edit`, {
      _csrf: csrfFrom(form.body),
      classId: "1",
      title: "Annual report",
      availability: "on-request",
      charge: "Free",
    });
    expect(saved.statusCode).toBe(303);
    const after = await manager.get("/staff/publication-scheme");
    expect(after.body).toContain("1 entry is due for review.");
    expect(after.body).toContain("Annual report");
  });

  it("lets a manager remove an entry", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const list = await manager.get("/staff/publication-scheme");
    const id = /action="\/staff\/publication-scheme\/(\d+)\/remove"/.exec(list.body)?.[1];
    const removed = await manager.post(`/staff/publication-scheme/${id}/remove`, {
      _csrf: csrfFrom(list.body),
    });
    expect(removed.statusCode).toBe(303);
    expect(removed.headers.location).toBe("/staff/publication-scheme?done=removed");
    expect((await manager.get("/staff/publication-scheme?done=removed")).body).toContain("Entry removed");
    expect(
      (await manager.post(`/staff/publication-scheme/${id}/remove`, { _csrf: csrfFrom(list.body) }))
        .statusCode,
    ).toBe(404);
  });

  it("is a manager's or an administrator's: an officer is refused", async () => {
    const officer = new Browser(t.app);
    await officer.signIn("olu");
    expect((await officer.get("/staff/publication-scheme")).statusCode).toBe(403);
    expect((await officer.get("/staff/publication-scheme/new")).statusCode).toBe(403);
    const csrf = await officer.csrfToken();
    const post = await officer.post("/staff/publication-scheme/new", {
      _csrf: csrf,
      classId: "1",
      title: "X",
      availability: "on-request",
    });
    expect(post.statusCode).toBe(403);
    expect((await officer.post("/staff/publication-scheme/1/remove", { _csrf: csrf })).statusCode).toBe(403);
    expect((await officer.get("/staff/requests")).body).not.toContain('href="/staff/publication-scheme"');
  });
});
