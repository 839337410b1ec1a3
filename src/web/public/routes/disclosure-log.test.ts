import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../../db/testing.ts";
import { DEMO_PASSWORD, loadDemoData } from "../../../demo/index.ts";
import {
  COUNT_EXACTLY_UP_TO,
  insertPublishedReplies,
  type PublishedRow,
} from "../../../publication/index.ts";
import { addDocument } from "../../../requests/index.ts";
import { Browser, csrfFrom, openTestApp, type TestApp, visible } from "../../testing.ts";

// The disclosure log as a new user meets it after `npm start`: the demo's published replies, found by a word
// in their body and by an exemption, a reply republished by a manager with a file, then taken down (410).
// And the promise that matters most: no requester's name, email or address in ANY public output: pages,
// search results, the feed, the JSON API, the CSV, the sitemap and every published file. Loading the demo
// takes a while, so this runs on PGlite; the publication module's tests run on both backends.

const now = new Date("2026-11-26T09:00:00Z");

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe.each(testBackends().slice(0, 1))("the disclosure log on $name", (backend) => {
  let t: TestApp;
  let manager: Browser;
  let officer: Browser;
  let gangs: { id: number; reference: string };
  /** Every requester's name, email, address (and its lines) and organisation: none may be published. */
  const identifiers: string[] = [];

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    await loadDemoData(t.handle.db, now);
    manager = new Browser(t.app);
    expect((await manager.signIn("manager", DEMO_PASSWORD)).statusCode).toBe(303);
    officer = new Browser(t.app);
    expect((await officer.signIn("officer", DEMO_PASSWORD)).statusCode).toBe(303);
    const requesters = await t.handle.db.selectFrom("requesters").selectAll().execute();
    for (const requester of requesters) {
      identifiers.push(requester.name);
      // A person's surname alone (a group's name is only checked whole: "Westmarch" is the authority's too;
      // a placeholder such as "Caller withheld number" has no surname).
      const surname = requester.name.split(/\s+/).at(-1)!;
      if (!["business", "campaign-group"].includes(requester.type) && /^\p{Lu}/u.test(surname))
        identifiers.push(surname);
      if (requester.email) identifiers.push(requester.email);
      if (requester.organisation) identifiers.push(requester.organisation);
      if (requester.address)
        identifiers.push(
          requester.address,
          ...requester.address
            .split(/[,\n]/)
            .map((line) => line.trim())
            .filter((line) => line.includes(" ")),
        );
    }
    const row = await t.handle.db
      .selectFrom("requests")
      .select(["id", "reference"])
      .where("topic", "=", "Gangs")
      .where("state", "=", "responded")
      .executeTakeFirstOrThrow();
    gangs = row;
  }, 240_000);
  afterAll(async () => t?.close());

  it("lists the demo's published replies, newest first", async () => {
    const page = await t.app.inject("/disclosure-log");
    expect(page.statusCode).toBe(200);
    const text = visible(page.body);
    expect(text).toMatch(/Disclosure log/);
    expect(text).toMatch(/(\d+) replies/);
    expect(Number(/(\d+) replies/.exec(text)![1])).toBeGreaterThanOrEqual(8);
    const dates = [...page.body.matchAll(/<li>Replied (\d+ \w+ \d{4})<\/li>/g)].map((match) =>
      new Date(`${match[1]} UTC`).getTime(),
    );
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    expect(page.body).toContain('rel="alternate" type="application/atom+xml"');
  });

  it("finds a reply by a word in its body and by the exemption it cites, with the query kept in the URL", async () => {
    const byWord = await t.app.inject("/disclosure-log?q=stabbings");
    expect(visible(byWord.body)).toContain(`1 reply matching “stabbings”`);
    expect(byWord.body).toContain(`href="/disclosure-log/${gangs.reference}"`);
    expect(byWord.body).toContain("<mark>stabbings</mark>");
    expect(byWord.body).toMatch(/<input[^>]* name="q"[^>]* value="stabbings"/);
    const byExemption = await t.app.inject("/disclosure-log?exemption=foia-31");
    expect(byExemption.body).toContain(`href="/disclosure-log/${gangs.reference}"`);
    expect(byExemption.body).toMatch(
      /<option value="foia-31" selected>Section 31 Law enforcement \(\d+\)<\/option>/,
    );
    expect(visible(byExemption.body)).toContain("Remove filter Exemption cited: Section 31 Law enforcement");
    const none = await t.app.inject("/disclosure-log?q=stabbings&exemption=foia-30");
    expect(visible(none.body)).toContain("No replies found");
  });

  it("shows a reply in its web rendering, without the requester", async () => {
    const page = await t.app.inject(`/disclosure-log/${gangs.reference}`);
    expect(page.statusCode).toBe(200);
    const text = visible(page.body);
    expect(text).toContain("Reason for decision");
    expect(text).toContain("Section 31(1)(a)(b) Law enforcement");
    expect(text).toContain("Thank you, [redacted], for your request");
    expect((await t.app.inject("/disclosure-log/01.FOI.99.999999")).statusCode).toBe(404);
  });

  it("a manager previews, adds a redaction and a file, and publishes again; an officer cannot publish", async () => {
    const encoder = new TextEncoder();
    const file = await addDocument(
      t.handle.db,
      t.app.files,
      gangs.id,
      {
        filename: "stabbings-by-month.csv",
        bytes: encoder.encode(
          "Month,Stabbings,Contact\nJanuary 2025,4,priya.raman@westmarch-gazette.example\nFebruary 2025,3,Priya Raman 07700 900123\nNote,,Compiled by DS Holt\n",
        ),
      },
      { userId: null, label: "Test", role: "system" },
      now,
    );
    await t.handle.db
      .updateTable("documents")
      .set({ part_of_reply: true })
      .where("id", "=", file.id)
      .execute();
    const reply = await t.handle.db
      .selectFrom("replies")
      .select("content")
      .where("request_id", "=", gangs.id)
      .executeTakeFirstOrThrow();
    const content = reply.content as { reasons: string[] };
    content.reasons.push("One report was titled <script>alert('stabbings')</script> in error.");
    await t.handle.db
      .updateTable("replies")
      .set({ content: JSON.stringify(content) })
      .where("request_id", "=", gangs.id)
      .execute();

    const officerPage = await officer.get(`/staff/requests/${gangs.id}/publication`);
    expect(officerPage.statusCode).toBe(200);
    expect(officerPage.body).not.toContain("Publish to the disclosure log</button>");
    const refused = await officer.post(`/staff/requests/${gangs.id}/publication/publish`, {
      _csrf: csrfFrom(officerPage.body),
    });
    expect(refused.statusCode).toBe(403);

    const added = await officer.post(`/staff/requests/${gangs.id}/publication/redactions`, {
      _csrf: csrfFrom(officerPage.body),
      phrase: "DS Holt",
      reason: "Junior officer (s.40(2))",
    });
    expect(added.statusCode).toBe(303);

    const preview = await manager.get(`/staff/requests/${gangs.id}/publication`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toMatch(
      /<span class="app-redaction__text">Priya Raman<\/span> <span class="app-redaction__reason">\[\d+: The requester&#39;s name\]/,
    );
    expect(preview.body).toContain('DS Holt</span> <span class="app-redaction__reason">');
    expect(preview.body).toContain("Junior officer (s.40(2))");
    expect(preview.body).toContain("&lt;script&gt;alert(&#39;stabbings&#39;)&lt;/script&gt;");
    const published = await manager.post(`/staff/requests/${gangs.id}/publication/publish`, {
      _csrf: csrfFrom(preview.body),
    });
    expect(published.statusCode).toBe(303);
    const request = await manager.get(`/staff/requests/${gangs.id}`);
    expect(visible(request.body)).toContain("Published to the disclosure log");

    const page = await t.app.inject(`/disclosure-log/${gangs.reference}`);
    const link = /href="(\/disclosure-log\/[^"]+\/files\/\d+\/stabbings-by-month\.csv)"/.exec(page.body)?.[1];
    expect(link).toBeDefined();
    const csv = await t.app.inject(link!);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-disposition"]).toContain("attachment");
    expect(csv.body).toBe(
      "Month,Stabbings,Contact\nJanuary 2025,4,[redacted]\nFebruary 2025,3,[redacted] [redacted]\nNote,,Compiled by [redacted]\n",
    );
  });

  it("lets only a manager remove a redaction, and records the removal in the history without the words", async () => {
    const officerPage = await officer.get(`/staff/requests/${gangs.id}/publication`);
    const added = await officer.post(`/staff/requests/${gangs.id}/publication/redactions`, {
      _csrf: csrfFrom(officerPage.body),
      phrase: "Sgt Marsh",
      reason: "Junior officer (s.40(2))",
    });
    expect(added.statusCode).toBe(303);
    const { id: redactionId } = await t.handle.db
      .selectFrom("request_redactions")
      .select("id")
      .where("phrase", "=", "Sgt Marsh")
      .executeTakeFirstOrThrow();
    const removeUrl = `/staff/requests/${gangs.id}/publication/redactions/${redactionId}/delete`;
    const withIt = await officer.get(`/staff/requests/${gangs.id}/publication`);
    expect(withIt.body).not.toContain(`action="${removeUrl}"`);
    expect(visible(withIt.body)).toContain("A manager can remove it");
    const refused = await officer.post(removeUrl, { _csrf: csrfFrom(withIt.body) });
    expect(refused.statusCode).toBe(403);
    expect(visible(refused.body)).toContain(
      "Only an information-rights manager can remove a redaction, because the words it masks could then be published: ask a manager to remove it.",
    );
    const managerPage = await manager.get(`/staff/requests/${gangs.id}/publication`);
    expect(managerPage.body).toContain(`action="${removeUrl}"`);
    const removed = await manager.post(removeUrl, { _csrf: csrfFrom(managerPage.body) });
    expect(removed.statusCode).toBe(303);
    const history = visible((await manager.get(`/staff/requests/${gangs.id}`)).body);
    expect(history).toContain("Publication redaction removed");
    const event = await t.handle.db
      .selectFrom("request_events")
      .selectAll()
      .where("request_id", "=", gangs.id)
      .where("type", "=", "redaction-removed")
      .executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ redactionId, addedBy: expect.any(String) });
    expect(JSON.stringify(event.payload)).not.toContain("Marsh");
    expect(event.actor_label).not.toBe(event.payload.addedBy);
  });

  it("shows a reply's <script> as text, in the page and in the search snippets", async () => {
    const page = await t.app.inject(`/disclosure-log/${gangs.reference}`);
    expect(page.body).toContain("&lt;script&gt;alert(&#39;stabbings&#39;)&lt;/script&gt;");
    expect(page.body).not.toContain("<script>alert");
    const search = await t.app.inject("/disclosure-log?q=alert");
    expect(search.body).toContain("&lt;script&gt;<mark>alert</mark>(&#39;stabbings&#39;)&lt;/script&gt;");
    expect(search.body).not.toContain("<script>alert");
    const api = (await t.app.inject("/api/v1/disclosure-log?q=alert")).json();
    expect(api.results[0].snippet).toContain("<script>alert('stabbings')</script>");
    expect(api.results[0].snippetHtml).toContain("&lt;script&gt;<mark>alert</mark>");
  });

  it("offers the feed, the CSV, the JSON API (no token) and the sitemap", async () => {
    const feed = await t.app.inject("/disclosure-log/feed.atom?q=stabbings");
    expect(feed.statusCode).toBe(200);
    expect(feed.headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
    expect(feed.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(feed.body.match(/<entry>/g)).toHaveLength(1);
    expect(feed.body).toContain(`<id>http://localhost:3000/disclosure-log/${gangs.reference}</id>`);
    expect(feed.body).toContain('href="http://localhost:3000/disclosure-log/feed.atom?q=stabbings"');

    const csv = await t.app.inject("/disclosure-log.csv?exemption=foia-31");
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toBe(
      "Reference,Summary,Date received,Date of reply,Regime,Outcome,Exemptions cited,Topic,Web address",
    );
    expect(lines.some((line) => line.startsWith(`${gangs.reference},`))).toBe(true);

    const api = await t.app.inject("/api/v1/disclosure-log?q=stabbings");
    expect(api.statusCode).toBe(200);
    const body = api.json();
    expect(body).toMatchObject({ total: 1, page: 1, query: { q: "stabbings" } });
    expect(body.results[0]).toMatchObject({ reference: gangs.reference, outcome: "partially-withheld" });
    expect(body.facets.exemption).toContainEqual({
      value: "foia-31",
      label: "Section 31 Law enforcement",
      count: 1,
      selected: false,
    });
    const openapi = (await t.app.inject("/api/openapi.json")).json();
    const operation = openapi.paths["/api/v1/disclosure-log"].get;
    expect(operation.security).toEqual([]);
    expect(operation.responses["401"]).toBeUndefined();
    expect((await t.app.inject("/api/v1/me")).statusCode).toBe(401);

    const sitemap = await t.app.inject("/sitemap.xml");
    expect(sitemap.headers["content-type"]).toBe("application/xml; charset=utf-8");
    expect(sitemap.body).toContain(`<loc>http://localhost:3000/disclosure-log/${gangs.reference}</loc>`);
  });

  it("never shows any requester's name, email or address in any public output", async () => {
    const urls = new Set<string>([
      "/",
      "/disclosure-log",
      "/disclosure-log/feed.atom",
      "/disclosure-log.csv",
      "/api/v1/disclosure-log",
      "/sitemap.xml",
    ]);
    for (const q of ["gangs", "police", "information", "request", "stabbings", "figures", "alert"]) {
      urls.add(`/disclosure-log?q=${q}`);
      urls.add(`/disclosure-log/feed.atom?q=${q}`);
      urls.add(`/disclosure-log.csv?q=${q}`);
      urls.add(`/api/v1/disclosure-log?q=${q}`);
    }
    const listing = (await t.app.inject("/api/v1/disclosure-log")).json();
    for (let page = 1; page <= listing.pages; page++) {
      urls.add(`/disclosure-log?page=${page}`);
      urls.add(`/api/v1/disclosure-log?page=${page}`);
    }
    for (const facet of Object.keys(listing.facets))
      for (const value of listing.facets[facet]) {
        const filter = `${facet}=${encodeURIComponent(value.value)}`;
        urls.add(`/disclosure-log?${filter}`);
        urls.add(`/api/v1/disclosure-log?${filter}`);
      }
    const replies = (await t.app.inject(`/api/v1/disclosure-log?page=1`)).json().results as { url: string }[];
    for (let page = 2; page <= listing.pages; page++)
      replies.push(...(await t.app.inject(`/api/v1/disclosure-log?page=${page}`)).json().results);
    expect(replies.length).toBe(listing.total);
    for (const reply of replies) {
      const path = new URL(reply.url).pathname;
      urls.add(path);
      const html = (await t.app.inject(path)).body;
      for (const match of html.matchAll(/href="(\/disclosure-log\/[^"]+\/files\/[^"]+)"/g))
        urls.add(match[1]!);
    }
    expect([...urls].some((url) => url.includes("/files/"))).toBe(true);

    const patterns = [...new Set(identifiers)]
      .filter((identifier) => identifier.trim().length >= 3)
      .map((identifier) => ({
        identifier,
        pattern: new RegExp(
          `(?<![\\p{L}\\p{N}])${escapeRegExp(identifier).replace(/\s+/g, "\\s+")}(?![\\p{L}\\p{N}])`,
          "iu",
        ),
      }));
    expect(patterns.map((entry) => entry.identifier)).toEqual(
      expect.arrayContaining([
        "Priya Raman",
        "Raman",
        "priya.raman@westmarch-gazette.example",
        "14 Mill Lane",
      ]),
    );
    for (const url of urls) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(200);
      // Decoded as a reader would see it (entities, JSON escapes and URL escapes undone).
      const body = [
        response.body,
        visible(response.body),
        decodeURIComponent(response.body.replace(/%(?![0-9a-f]{2})/gi, "%25")),
      ].join("\n");
      for (const { identifier, pattern } of patterns)
        expect(pattern.test(body), `${identifier} in ${url}`).toBe(false);
    }
  }, 120_000);

  it("takes a reply down: its page answers 410 Gone, and it leaves the list, feed, API, CSV and sitemap", async () => {
    const page = await manager.get(`/staff/requests/${gangs.id}/publication`);
    const refused = await manager.post(`/staff/requests/${gangs.id}/publication/withdraw`, {
      _csrf: csrfFrom(page.body),
      takedownReason: "",
    });
    expect(refused.statusCode).toBe(422);
    expect(visible(refused.body)).toContain("Enter why the reply is being taken down");
    expect(refused.body).toContain('href="#takedownReason"');
    const done = await manager.post(`/staff/requests/${gangs.id}/publication/withdraw`, {
      _csrf: csrfFrom(page.body),
      takedownReason: "The requester asked us to check a name",
    });
    expect(done.statusCode).toBe(303);
    const gone = await t.app.inject(`/disclosure-log/${gangs.reference}`);
    expect(gone.statusCode).toBe(410);
    expect(visible(gone.body)).toContain("This reply has been removed");
    for (const url of [
      "/disclosure-log",
      "/disclosure-log/feed.atom",
      "/disclosure-log.csv",
      "/api/v1/disclosure-log",
      "/sitemap.xml",
    ])
      expect((await t.app.inject(url)).body, url).not.toContain(`/disclosure-log/${gangs.reference}`);
    expect(visible((await t.app.inject("/disclosure-log?q=stabbings")).body)).toContain("No replies found");
    const request = await manager.get(`/staff/requests/${gangs.id}`);
    expect(visible(request.body)).toContain("Withdrawn from the disclosure log");
    expect(visible(request.body)).toContain("The requester asked us to check a name");
  });

  it("shows staff the published replies like a request, and managers the redaction rules", async () => {
    const request = await t.handle.db
      .selectFrom("requests")
      .select("id")
      .where("body", "like", "%gangs matrix%")
      .executeTakeFirstOrThrow();
    const page = await officer.get(`/staff/requests/${request.id}`);
    expect(page.statusCode).toBe(200);
    expect(visible(page.body)).toContain("Similar published replies");
    expect(page.body).toMatch(/href="\/disclosure-log\/[^"]+">[^<]+<\/a>:/);

    expect((await officer.get("/staff/publication")).statusCode).toBe(403);
    const settings = await manager.get("/staff/publication");
    expect(settings.statusCode).toBe(200);
    const bad = await manager.post("/staff/publication/rules", {
      _csrf: csrfFrom(settings.body),
      kind: "pattern",
      pattern: "(unclosed",
      reason: "x",
    });
    expect(bad.statusCode).toBe(422);
    expect(visible(bad.body)).toContain("The pattern is not a valid regular expression");
    const good = await manager.post("/staff/publication/rules", {
      _csrf: csrfFrom(settings.body),
      kind: "phrase",
      pattern: "Operation Larch",
      reason: "Live operation",
    });
    expect(good.statusCode).toBe(303);
    expect(visible((await manager.get("/staff/publication")).body)).toContain(
      "Operation Larch Phrase Live operation",
    );
    const saved = await manager.post("/staff/publication/settings", {
      _csrf: csrfFrom(settings.body),
      publishAfterDays: "20",
    });
    expect(saved.statusCode).toBe(303);
    expect((await manager.get("/staff/publication")).body).toMatch(
      /name="publishAfterDays" type="text" value="20"/,
    );
  });
  it("says when a search's count is an estimate: 'About' on the page, totalEstimated in the API", async () => {
    // More replies using one word than a search counts (COUNT_EXACTLY_UP_TO): its total is estimated.
    const many: PublishedRow[] = Array.from({ length: COUNT_EXACTLY_UP_TO + 100 }, (_, k) => ({
      requestId: null,
      reference: `ZEP-${k}`,
      regime: "foia",
      receivedDate: "2025-03-01",
      replyDate: "2025-03-20",
      year: 2025,
      topic: "Airships",
      outcome: "granted-in-full",
      exemptions: [],
      title: `Zeppelin sightings ${k}`,
      questionsText: "How many zeppelins were seen?",
      reply: {},
      bodyText: `A zeppelin was seen ${k} times over the county.`,
      attachmentText: "",
      publishedAt: now,
      publishedBy: "test",
    }));
    await insertPublishedReplies(t.handle.db, many);
    try {
      const page = await t.app.inject("/disclosure-log?q=zeppelin");
      const text = visible(page.body);
      expect(text).toMatch(/About 1,\d00 replies matching “zeppelin”/);
      expect(text).toContain("the number of results and the counts in the filters are estimates");
      const api = await t.app.inject("/api/v1/disclosure-log?q=zeppelin");
      expect(api.json()).toMatchObject({ totalEstimated: true });
      // A search matching fewer is counted exactly, and says nothing of estimates.
      const exact = visible((await t.app.inject("/disclosure-log?q=zeppelin+1042")).body);
      expect(exact).toContain("1 reply matching “zeppelin 1042”");
      expect(exact).not.toContain("estimates");
    } finally {
      await t.handle.db.deleteFrom("published_replies").where("reference", "like", "ZEP-%").execute();
    }
  });
});
