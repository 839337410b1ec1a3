import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateAuthoritySettings } from "../../authority/index.ts";
import { testBackends } from "../../db/testing.ts";
import { deliverWaitingIfFree, memoryOutboxTransport, readMessage } from "../../mail/index.ts";
import { switchableTransport } from "../../mail/testing.ts";
import {
  type Actor,
  addDocument,
  performAction,
  readableHistory,
  resendTrackingLinks,
} from "../../requests/index.ts";
import { answerRequest, reviewRequest } from "../../requests/testing.ts";
import { memoryFileStore } from "../../storage/index.ts";
import { addTestUser } from "../../users/testing.ts";
import { buildApp } from "../app.ts";
import { assetBase } from "../asset-version.ts";
import { addStaff, Browser, openTestApp, type TestApp } from "../testing.ts";
import type { App } from "../types.ts";
import { publicAuthority } from "./authority.ts";

// The public website over HTTP (app.inject): making a request on each route, the draft between pages,
// tracking, internal review, cookies, feedback, the quick exit on every page, and escaping everywhere.

// Tuesday 4 March 2025, 10:00 in London.
const now = new Date("2025-03-04T10:00:00Z");
const nasty = `<script>alert("x")</script>`;

interface RequestAnswers {
  kind?: "foi" | "eir" | "sar";
  description?: string;
  format?: string;
  name?: string;
  email?: string;
  address?: string;
  organisation?: string;
  requesterType?: string;
}

const defaults: Required<RequestAnswers> = {
  kind: "foi",
  description: "How many stop and search encounters were there in 2024?\nBroken down by month.",
  format: "electronic",
  name: "Zoë Requester",
  email: "zoe@example.org",
  address: "",
  organisation: "",
  requesterType: "journalist",
};

/** Answers every question of a route as a browser would; returns the check page. */
async function answerAll(browser: Browser, given: RequestAnswers = {}) {
  const answers = { ...defaults, ...given };
  const route = answers.kind;
  const steps: [string, Record<string, string>][] = [
    ["/request", { kind: route }],
    [`/request/${route}/information`, { description: answers.description }],
    ...(route === "sar"
      ? []
      : [[`/request/${route}/format`, { format: answers.format }] as [string, Record<string, string>]]),
    [`/request/${route}/name`, { name: answers.name }],
    [`/request/${route}/contact`, { email: answers.email, address: answers.address }],
    ...(route === "sar"
      ? []
      : [
          [
            `/request/${route}/about-you`,
            { organisation: answers.organisation, requesterType: answers.requesterType },
          ] as [string, Record<string, string>],
        ]),
  ];
  for (const [url, form] of steps) {
    const response = await browser.post(url, form);
    expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(303);
  }
  const check = await browser.get(`/request/${route}/check`);
  expect(check.statusCode).toBe(200);
  return check;
}

async function makeRequest(t: TestApp, given: RequestAnswers = {}) {
  const browser = new Browser(t.app);
  const check = await answerAll(browser, given);
  const sent = await browser.post(`/request/${given.kind ?? "foi"}/check`, {});
  expect(sent.statusCode).toBe(303);
  expect(sent.headers.location).toBe("/request/sent");
  const confirmation = await browser.get("/request/sent");
  expect(confirmation.statusCode).toBe(200);
  const reference = /<strong class="app-reference">([^<]+)<\/strong>/.exec(confirmation.body)?.[1] ?? "";
  const row = await t.handle.db
    .selectFrom("requests")
    .innerJoin("requesters", "requesters.id", "requests.requester_id")
    .selectAll("requests")
    .select([
      "requesters.name as requester_name",
      "requesters.email as requester_email",
      "requesters.type as requester_type",
    ])
    .where("reference", "=", reference)
    .executeTakeFirstOrThrow();
  return { browser, check, confirmation, reference, row };
}

/** The acknowledgement sent about a request: its text, and the token in its tracking link. */
async function acknowledgementOf(t: TestApp, requestId: number) {
  const sent = await t.handle.db
    .selectFrom("sent_mail")
    .selectAll()
    .where("request_id", "=", requestId)
    .where("kind", "=", "acknowledgement")
    .executeTakeFirstOrThrow();
  const message = readMessage((await t.app.mailer.stored(sent.file_name!))!);
  const token = /\/track\/([A-Za-z0-9_-]{43})/.exec(message.text)?.[1] ?? "";
  return { sent, message, token };
}

function setCookies(response: { headers: Record<string, unknown> }): string[] {
  return ([] as string[]).concat((response.headers["set-cookie"] as string | string[] | undefined) ?? []);
}

const publicPages = ["/", "/request", "/request/foi/information", "/cookies", "/feedback", "/accessibility"];

describe.each(testBackends())("the public website on $name", (backend) => {
  let t: TestApp;
  let officer: Actor;
  beforeAll(async () => {
    t = await openTestApp(backend, {
      now: () => now,
      config: { quickExitUrl: "https://www.bbc.co.uk/weather", analyticsScript: "/assets/analytics.js" },
    });
    await t.handle.db
      .insertInto("authority")
      .values({
        name: "Westmarch Constabulary",
        email: "foi@westmarch.police.example",
        phone: "01632 960000",
        address: "1 Castle Street, Westmarch WM1 1AA",
      })
      .execute();
    const user = await addTestUser(
      t.handle.db,
      { username: "olu", name: "Olu Officer", role: "officer" },
      now,
    );
    officer = { userId: user.id, label: user.name, role: "officer" };
  });
  const staffApps: App[] = [];
  afterAll(async () => {
    for (const app of staffApps) await app.close();
    await t?.close();
  });

  /** The public site over the same database and clock, whose mail server refuses until `transport.refusing` is unset. */
  function refusingSite() {
    const transport = switchableTransport({ refusing: true });
    const app = buildApp({
      db: t.handle.db,
      files: t.app.files,
      config: { baseUrl: "http://localhost:3000" },
      now: () => now,
      mail: { transport },
      logger: false,
    });
    staffApps.push(app);
    /** The outbox worker, a minute on (the first try again after a refusal), with the mail server back. */
    const workerLater = async () => {
      transport.refusing = false;
      const later = new Date(now.getTime() + 60_000);
      return deliverWaitingIfFree(t.handle.db, transport, () => later, "worker");
    };
    return { app, transport, workerLater };
  }

  /** What the form does once it has answered "send me my link again", awaited. */
  const askAgain = async (app: App, email: string) =>
    resendTrackingLinks(
      { db: t.handle.db, mailer: app.mailer, baseUrl: "http://localhost:3000", log: app.log },
      email,
      (await publicAuthority(t.handle.db, "FOI")).name,
      now,
    );

  /** What the outbox holds for `address` of `kind`: each message's tries and whether it was delivered. */
  const outboxTo = (address: string, kind: string) =>
    t.handle.db
      .selectFrom("mail_outbox")
      .select(["attempts", "last_error", "delivered_at"])
      .where("to_address", "=", address)
      .where("kind", "=", kind)
      .orderBy("id")
      .execute();

  /** A member of staff signed in to the back office over the same database, on the same clock. */
  async function staffBrowser(username: string): Promise<Browser> {
    const app = buildApp({
      db: t.handle.db,
      files: memoryFileStore(),
      config: { baseUrl: "http://localhost:3000" },
      now: () => now,
      mail: { transport: { ...memoryOutboxTransport(), stored: (name) => t.app.mailer.stored(name) } },
      logger: false,
    });
    staffApps.push(app);
    const browser = new Browser(app);
    expect((await browser.signIn(username)).headers.location).toBe("/staff");
    return browser;
  }

  describe("the start page", () => {
    it("explains what can be asked, each route and its law, and starts the form", async () => {
      const page = await t.app.inject("/");
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("<title>Ask for information – Westmarch Constabulary</title>");
      expect(page.body).toContain("Ask Westmarch Constabulary for information");
      expect(page.body).toContain("Freedom of Information Act 2000");
      expect(page.body).toContain("Environmental Information Regulations 2004");
      // EIR requests may be made orally (EIR reg 5): say so, with the number.
      expect(page.body).toContain("it does not have to be in writing");
      expect(page.body).toContain("01632 960000");
      // Subject access: what proof of identity may be asked for.
      expect(page.body).toContain("subject access request");
      expect(page.body).toContain("passport, driving licence or other photo ID");
      expect(page.body).toMatch(/<a href="\/request"[^>]*govuk-button--start/);
      // What is already published comes first: in the header on every page, and on the start page.
      const header = /<header[\s\S]*<\/header>/.exec(page.body)?.[0] ?? "";
      for (const href of ["/disclosure-log", "/statistics", "/publication-scheme"]) {
        expect(header).toContain(`href="${href}"`);
        expect(page.body.slice(page.body.indexOf("<main"))).toContain(`href="${href}"`);
      }
      expect((await t.app.inject("/disclosure-log")).body).toMatch(
        /<a class="govuk-service-navigation__link" href="\/disclosure-log" aria-current="page">/,
      );
    });

    it("offers the three routes", async () => {
      const page = await t.app.inject("/request");
      expect(page.body).toContain("What do you want to ask for?");
      for (const value of ["foi", "eir", "sar"]) expect(page.body).toContain(`value="${value}"`);
    });
  });

  describe("a site safe to visit", () => {
    it.each(publicPages)(
      "%s: quick exit, beta banner, cookie banner, no cookies set, nothing cached",
      async (url) => {
        const page = await t.app.inject(url);
        expect(page.statusCode).toBe(200);
        // "Exit this page": a button and a skip link to the neutral site, driven by our own script.
        expect(page.body).toMatch(
          /<a href="https:\/\/www\.bbc\.co\.uk\/weather" role="button"[^>]*rel="nofollow noreferrer"[^>]*govuk-js-exit-this-page-button/,
        );
        expect(page.body).toMatch(
          /<a href="https:\/\/www\.bbc\.co\.uk\/weather"[^>]*class="govuk-skip-link govuk-js-exit-this-page-skiplink"/,
        );
        expect(page.body).toContain('data-module="app-quick-exit"');
        expect(page.body).toContain(`<script type="module" src="${assetBase}/public/site.js"></script>`);
        expect(page.body).toContain("govuk-phase-banner");
        expect(page.body).toMatch(/href="\/feedback\?from=[^"]*">give your feedback<\/a>/);
        if (url !== "/cookies") {
          expect(page.body).toContain("Accept analytics cookies");
          expect(page.body).toContain('<form method="post" action="/cookies"');
        }
        // Only essential cookies until the person chooses: looking sets none at all.
        expect(setCookies(page)).toEqual([]);
        // No analytics before consent.
        expect(page.body).not.toContain('/assets/analytics.js"></script>');
        expect(page.headers["cache-control"]).toBe("no-store");
        expect(page.headers["referrer-policy"]).toBe("no-referrer");
        expect(page.headers["x-frame-options"]).toBe("DENY");
        expect(page.headers["content-security-policy"]).toContain("script-src 'self' 'sha256-");
        expect(page.body).not.toMatch(/\son[a-z]+="/);
      },
    );

    it("answers an unknown address with a 404 page that still has the quick exit", async () => {
      const page = await t.app.inject("/no/such/page");
      expect(page.statusCode).toBe(404);
      expect(page.body).toContain("Page not found");
      expect(page.body).toContain("govuk-js-exit-this-page-button");
    });

    it("sends the quick exit wherever it is configured", async () => {
      const other = await openTestApp(backend, { config: { quickExitUrl: "https://www.metoffice.gov.uk/" } });
      try {
        const page = await other.app.inject("/");
        expect(page.body).toContain('href="https://www.metoffice.gov.uk/" role="button"');
      } finally {
        await other.close();
      }
    });
  });

  describe("making a request", () => {
    it("names each problem in the error summary, linked to its field, and keeps what was typed", async () => {
      const browser = new Browser(t.app);
      const kind = await browser.post("/request", {});
      expect(kind.statusCode).toBe(422);
      expect(kind.body).toContain('<a href="#kind">Select what you want to ask for</a>');
      expect(kind.body).toContain(
        "<title>Error: What do you want to ask for? – Westmarch Constabulary</title>",
      );

      await browser.post("/request", { kind: "foi" });
      const blank = await browser.post("/request/foi/information", { description: "   " });
      expect(blank.statusCode).toBe(422);
      expect(blank.body).toContain('<a href="#description">Enter the information you want</a>');
      expect(blank.body).toMatch(/id="description-error"[\s\S]*Enter the information you want/);

      const contact = await browser.post("/request/foi/contact", { email: "zoe at example", address: "" });
      expect(contact.statusCode).toBe(422);
      expect(contact.body).toContain(
        '<a href="#email">Enter an email address in the correct format, like name@example.com</a>',
      );
      expect(contact.body).toMatch(/<input[^>]*id="email"[^>]*value="zoe at example"/);

      const none = await browser.post("/request/foi/contact", { email: " ", address: "" });
      expect(none.body).toContain('<a href="#email">Enter an email address or a postal address</a>');

      const long = "x".repeat(201);
      const name = await browser.post("/request/foi/name", { name: long });
      expect(name.body).toContain('<a href="#name">Your name must be 200 characters or fewer</a>');
      expect(name.body).toContain(`value="${long}"`);
    });

    it("keeps the answers between pages on the server, in one essential HttpOnly cookie", async () => {
      const browser = new Browser(t.app);
      const first = await browser.post("/request", { kind: "eir" });
      const cookie = setCookies(first).find((line) => line.startsWith("foidesk_draft="))!;
      expect(cookie).toMatch(/^foidesk_draft=[A-Za-z0-9_-]{43}; Path=\/request; HttpOnly; SameSite=Lax$/);
      await browser.post("/request/eir/information", { description: "Air quality readings near the depot" });
      const back = await browser.get("/request/eir/information");
      expect(back.body).toContain("Air quality readings near the depot");
      // The cookie holds a random id; the database keeps only its hash.
      const id = browser.cookies.get("foidesk_draft")!;
      const drafts = await t.handle.db.selectFrom("request_drafts").select("id_hash").execute();
      expect(drafts.map((draft) => draft.id_hash)).not.toContain(id);
      // Another browser sees none of it.
      const stranger = await new Browser(t.app).get("/request/eir/information");
      expect(stranger.body).not.toContain("Air quality readings");
      // Without the draft, the check page starts again.
      expect((await new Browser(t.app).get("/request/eir/check")).headers.location).toBe("/request");
    });

    it("lets the optional questions be skipped", async () => {
      const { row } = await makeRequest(t, {
        name: "Olive Optional",
        email: "olive@example.org",
        format: "",
        organisation: "",
        requesterType: "",
      });
      expect(row.preferred_format).toBeNull();
      expect(row.state).toBe("acknowledged");
      expect(row.requester_type).toBe("not-given");
    });

    it('offers "Other" and, after the others, "Prefer not to say", and keeps either answer', async () => {
      const browser = new Browser(t.app);
      await answerAll(browser);
      const page = await browser.get("/request/foi/about-you");
      expect(page.body).toContain('value="other"');
      expect(page.body).toMatch(
        /govuk-radios__divider">or<\/div>[\s\S]*value="not-given"[\s\S]*Prefer not to say/,
      );
      const other = await makeRequest(t, {
        requesterType: "other",
        name: "Otto Other",
        email: "otto@example.org",
      });
      expect(other.check.body).toContain("Other");
      expect(other.row.requester_type).toBe("other");
      const private_ = await makeRequest(t, {
        requesterType: "not-given",
        name: "Prue Private",
        email: "prue@example.org",
      });
      expect(private_.check.body).toContain("Prefer not to say");
      expect(private_.row.requester_type).toBe("not-given");
    });

    it("sends the person back to a question still unanswered", async () => {
      const browser = new Browser(t.app);
      await browser.post("/request", { kind: "foi" });
      await browser.post("/request/foi/information", { description: "Something" });
      const check = await browser.get("/request/foi/check");
      expect(check.headers.location).toBe("/request/foi/name");
      const send = await browser.post("/request/foi/check", {});
      expect(send.headers.location).toBe("/request/foi/name");
    });

    it("stores a freedom of information request, confirms its reference and due date, and emails a tracking link", async () => {
      const { check, confirmation, reference, row } = await makeRequest(t);
      expect(check.body).toContain("Check your answers before sending your request");
      expect(check.body).toContain("An electronic copy, by email");
      expect(check.body).toContain('href="/request/foi/name?change=1"');

      expect(reference).toMatch(/^01\.FOI\.25\.\d{6}$/);
      expect(confirmation.body).toContain("Request sent");
      // FOIA s.10(1): 20 working days from Tuesday 4 March 2025; St Patrick's Day is not one (s.10(6)).
      expect(row.due_date).toBe("2025-04-02");
      expect(confirmation.body).toContain("We will reply by <strong>2 April 2025</strong>");
      expect(confirmation.body).toContain("We have sent you a confirmation email");
      expect(row).toMatchObject({
        regime: "foia",
        channel: "web",
        // Acknowledged by email at once: the email, the event and the state (no "Acknowledge" left to press).
        state: "acknowledged",
        valid: true,
        received_date: "2025-03-04",
        preferred_format: "electronic",
        requester_name: "Zoë Requester",
        requester_email: "zoe@example.org",
        updated_by: "foidesk",
      });
      expect(row.body).toBe(defaults.description);
      expect(row.tracking_token_hash).toMatch(/^[0-9a-f]{64}$/);

      const { message, token } = await acknowledgementOf(t, row.id);
      expect(message.headers.to).toBe("zoe@example.org");
      expect(message.headers.subject).toBe(`We have received your request ${reference}`);
      expect(message.text).toContain("We will reply by 2 April 2025.");
      expect(message.text).toContain(`http://localhost:3000/track/${token}`);
      // Only the token's hash is stored.
      const { createHash } = await import("node:crypto");
      expect(row.tracking_token_hash).toBe(createHash("sha256").update(token).digest("hex"));
      expect(JSON.stringify(row)).not.toContain(token);
    });

    it("answers a Scottish authority's request under FOISA", async () => {
      await t.handle.db.updateTable("authority").set({ jurisdiction: "scotland" }).execute();
      try {
        expect((await t.app.inject("/")).body).toContain("Freedom of Information (Scotland) Act 2002");
        const { row } = await makeRequest(t, { name: "Scot Requester", email: "scot@example.org" });
        expect(row.regime).toBe("foisa");
        expect(row.reference).toMatch(/\.FOISA\./);
      } finally {
        await t.handle.db.updateTable("authority").set({ jurisdiction: "england-and-wales" }).execute();
      }
    });

    it("records a Scottish authority's environmental request under the EISR, not the EIR 2004", async () => {
      await t.handle.db.updateTable("authority").set({ jurisdiction: "scotland" }).execute();
      try {
        const { row } = await makeRequest(t, {
          kind: "eir",
          name: "Morag Fraser",
          email: "morag@example.org",
        });
        expect(row.regime).toBe("eisr");
        expect(row.reference).toMatch(/\.EISR\./);
        // Received Tue 4 March 2025: 20 Scottish working days (EISR reg 5(2)(a)).
        expect(row.due_date).toBe("2025-04-01");
        const { message } = await acknowledgementOf(t, row.id);
        expect(message.text).toContain(
          "handling under the Environmental Information (Scotland) Regulations 2004",
        );
        expect(message.text).toContain(
          "or 40 if the volume and complexity of the information make that impracticable",
        );
      } finally {
        await t.handle.db.updateTable("authority").set({ jurisdiction: "england-and-wales" }).execute();
      }
    });

    it("takes a subject access request in fewer questions, and tells the person about proof of identity", async () => {
      const { check, confirmation, row } = await makeRequest(t, {
        kind: "sar",
        description: "All records about me since 2019",
        name: "Sam Subject",
        email: "sam@example.org",
      });
      expect(check.body).toContain("We may ask you to prove your identity");
      expect(check.body).not.toContain("How you want to receive it");
      expect(row.regime).toBe("sar");
      expect(row.preferred_format).toBeNull();
      // UK GDPR Art.12(3): one month.
      expect(row.due_date).toBe("2025-04-04");
      expect(confirmation.body).toContain("We may ask you to prove your identity first");
    });

    it("shows a postal requester their private link once, since no email will carry it", async () => {
      const { confirmation, row } = await makeRequest(t, {
        kind: "eir",
        name: "Pat Post",
        email: "",
        address: "2 Mill Lane\nWestmarch WM2 2BB",
      });
      expect(row.regime).toBe("eir");
      const link = /href="http:\/\/localhost:3000\/track\/([A-Za-z0-9_-]{43})"/.exec(confirmation.body);
      expect(link).not.toBeNull();
      expect(confirmation.body).toContain("Anyone with this link can see your request");
      const sent = await t.handle.db
        .selectFrom("sent_mail")
        .selectAll()
        .where("request_id", "=", row.id)
        .execute();
      expect(sent).toEqual([]);
      expect((await t.app.inject(`/track/${link![1]}`)).statusCode).toBe(200);
    });

    it("makes one request however many times Send is pressed", async () => {
      const browser = new Browser(t.app);
      await answerAll(browser, { name: "Double Clicker", email: "double@example.org" });
      const before = await t.handle.db
        .selectFrom("requests")
        .select(sql<number>`count(*)`.as("n"))
        .executeTakeFirstOrThrow();
      const responses = await Promise.all([
        browser.post("/request/foi/check", {}),
        browser.post("/request/foi/check", {}),
        browser.post("/request/foi/check", {}),
      ]);
      for (const response of responses) expect(response.headers.location).toBe("/request/sent");
      const after = await t.handle.db
        .selectFrom("requests")
        .select(sql<number>`count(*)`.as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(after.n) - Number(before.n)).toBe(1);
      // Sent: the answers are gone from the draft; starting again starts afresh.
      const again = await browser.get("/request/foi/information");
      expect(again.body).not.toContain(defaults.description.split("\n")[0]);
    });

    it("keeps what was typed when the server fails, with the technical-problem message and a reference", async () => {
      const broken = await openTestApp(backend, { now: () => now });
      try {
        const browser = new Browser(broken.app);
        await browser.post("/request", { kind: "foi" });
        await sql`alter table request_drafts rename to request_drafts_gone`.execute(broken.handle.db);
        const response = await browser.post("/request/foi/information", {
          description: "My carefully written question\nwith two lines",
        });
        expect(response.statusCode).toBe(500);
        expect(response.body).toContain("Sorry, there was a technical problem. Please try again.");
        const correlationId = response.headers["x-request-id"] as string;
        expect(response.body).toContain(correlationId);
        expect(response.body).toContain("My carefully written question\nwith two lines</textarea>");
        expect(response.body).toContain("govuk-js-exit-this-page-button");
      } finally {
        await broken.close();
      }
    });
  });

  describe("tracking a request", () => {
    it("shows the state in plain words, the due date and the letters sent", async () => {
      const { row, reference } = await makeRequest(t, { name: "Tracy Tracker", email: "tracy@example.org" });
      const { token } = await acknowledgementOf(t, row.id);
      const page = await t.app.inject(`/track/${token}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(reference);
      expect(page.body).toContain("Received");
      expect(page.body).toContain("We have received your request and will start work on it soon.");
      expect(page.body).toContain("2 April 2025");
      expect(page.body).toContain(`We have received your request ${reference}`);
      expect(page.body).toContain("We have not replied yet.");
      expect(page.body).toContain("You can ask for an internal review once we have replied");
      expect(page.body).not.toContain('action="/track/');
      expect(page.headers["referrer-policy"]).toBe("no-referrer");
      expect(page.headers["cache-control"]).toBe("no-store");
      // The beta banner's feedback link never carries the token.
      expect(page.body).not.toContain(`from=%2Ftrack%2F${token}`);
      expect(page.body).toContain("from=%2Ftrack%2F%5Bredacted%5D");
    });

    it("answers a wrong, malformed or expired link with a plain 404", async () => {
      const { row } = await makeRequest(t, { name: "Ex Pired", email: "expired@example.org" });
      const { token } = await acknowledgementOf(t, row.id);
      const wrong = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
      for (const url of [
        `/track/${wrong}`,
        "/track/short",
        `/track/${token}x`,
        `/track/${"%00".repeat(20)}`,
      ]) {
        const response = await t.app.inject(url);
        expect(response.statusCode, url).toBe(404);
        expect(response.body).toContain("Page not found");
        expect(response.body).not.toContain(row.reference);
      }
      // A link lasts 12 months from the request's last change: the same database, a year and a day later.
      const later = buildApp({
        db: t.handle.db,
        files: memoryFileStore(),
        config: { baseUrl: "http://localhost:3000" },
        now: () => new Date("2026-03-05T10:00:00Z"),
        logger: false,
      });
      try {
        expect((await t.app.inject(`/track/${token}`)).statusCode).toBe(200);
        expect((await later.inject(`/track/${token}`)).statusCode).toBe(404);
      } finally {
        await later.close();
      }
    });

    it("opens an internal review once we have replied, starting its clock, and acknowledges it", async () => {
      const { row, reference } = await makeRequest(t, { name: "Rev Iew", email: "review@example.org" });
      const { token } = await acknowledgementOf(t, row.id);
      const browser = new Browser(t.app);
      const early = await browser.post(`/track/${token}/review`, { grounds: "Too soon" });
      expect(early.statusCode).toBe(409);
      expect(early.body).toContain(
        "You can ask for an internal review once we have replied to your request.",
      );

      let version = row.version;
      version = (await performAction(t.handle.db, row.id, { type: "start-work" }, version, officer, now))
        .version;
      version = await answerRequest(t.handle.db, row.id, version, { officer }, now);
      // The reply's files (marked part of the reply) can be downloaded; case papers cannot.
      const letter = await addDocument(
        t.handle.db,
        t.app.files,
        row.id,
        { filename: "reply <1>.pdf", bytes: new TextEncoder().encode("%PDF-1.4 reply") },
        officer,
        now,
      );
      const papers = await addDocument(
        t.handle.db,
        t.app.files,
        row.id,
        { filename: "search notes.txt", bytes: new TextEncoder().encode("internal") },
        officer,
        now,
      );
      await t.handle.db
        .updateTable("documents")
        .set({ part_of_reply: true })
        .where("id", "=", letter.id)
        .execute();
      const replied = await browser.get(`/track/${token}`);
      expect(replied.body).toContain("We have replied to your request.");
      expect(replied.body).toContain("Granted in full");
      expect(replied.body).toContain(`href="/track/${token}/documents/${letter.id}"`);
      expect(replied.body).toContain("reply &lt;1&gt;.pdf");
      expect(replied.body).not.toContain("search notes.txt");
      const download = await browser.get(`/track/${token}/documents/${letter.id}`);
      expect(download.statusCode).toBe(200);
      expect(download.headers["content-type"]).toBe("application/pdf");
      expect(download.headers["content-disposition"]).toMatch(/^attachment;/);
      expect(download.body).toBe("%PDF-1.4 reply");
      expect((await browser.get(`/track/${token}/documents/${papers.id}`)).statusCode).toBe(404);
      expect((await browser.get(`/track/${"A".repeat(43)}/documents/${letter.id}`)).statusCode).toBe(404);
      expect(replied.body).toContain(`action="/track/${token}/review"`);

      const empty = await browser.post(`/track/${token}/review`, { grounds: " " });
      expect(empty.statusCode).toBe(422);
      expect(empty.body).toContain('<a href="#grounds">Tell us why you want an internal review</a>');

      const asked = await browser.post(`/track/${token}/review`, {
        grounds: `You did not search the archive ${nasty}`,
      });
      expect(asked.statusCode).toBe(303);
      expect(asked.headers.location).toBe(`/track/${token}?review=requested`);
      const stored = await t.handle.db
        .selectFrom("requests")
        .selectAll()
        .where("id", "=", row.id)
        .executeTakeFirstOrThrow();
      expect(stored.state).toBe("review-requested");
      expect(stored.review_received_date).toBe("2025-03-04");
      // s.45 code para 5: 20 working days for the review.
      expect(stored.due_date).toBe("2025-04-02");
      const event = await t.handle.db
        .selectFrom("request_events")
        .selectAll()
        .where("request_id", "=", row.id)
        .where("type", "=", "request-review")
        .executeTakeFirstOrThrow();
      expect(event.actor_label).toBe("Requester (web form)");
      // The grounds are personal data, held apart from the hash-chained event (requests/history.ts).
      expect(JSON.stringify(event.payload)).not.toContain("You did not search");
      const history = await readableHistory(t.handle.db, row.id);
      expect(history.find((entry) => entry.type === "request-review")?.payload).toMatchObject({
        grounds: `You did not search the archive ${nasty}`,
      });

      const after = await browser.get(`/track/${token}?review=requested`);
      expect(after.body).toContain("You have asked for an internal review");
      // What is due now is the review's decision, said as such, after the reply and the review's date.
      const rows = [
        ...after.body.matchAll(
          /<dt class="govuk-summary-list__key">\s*([^<]+?)\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*([^<]*?)\s*<\/dd>/g,
        ),
      ].map((match) => `${match[1]}: ${match[2]}`);
      expect(rows).toEqual([
        "Received: 4 March 2025",
        "Replied: 4 March 2025",
        "Internal review asked for: 4 March 2025",
        "Internal review decision due by: 2 April 2025",
      ]);
      expect(after.body).not.toContain("Reply due");
      expect(after.body).toContain(`Internal review requested: ${reference}`);
      const again = await browser.post(`/track/${token}/review`, { grounds: "Again" });
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain("You have already asked for an internal review of this request.");
      expect(after.body).not.toContain("the result of the internal review");

      // The result is said to be sent only once the review letter has been: decided by sending it.
      const reviewer = await addTestUser(
        t.handle.db,
        { username: "rae", name: "Rae Reviewer", role: "officer" },
        now,
      );
      await reviewRequest(
        t.handle.db,
        row.id,
        stored.version,
        { userId: reviewer.id, label: reviewer.name, role: "officer" },
        "upheld",
        now,
      );
      const decided = await browser.get(`/track/${token}`);
      expect(decided.body).toContain("We have sent you the result of the internal review.");
      expect(decided.body).toContain("We upheld our original decision.");
      expect(decided.body).toContain("We sent you the review letter on 4 March 2025, with our reasons.");
    });
    it("keeps the review's acknowledgement in the outbox while the mail server refuses, and sends it once it accepts", async () => {
      const { row, reference } = await makeRequest(t, { name: "Rhys Refused", email: "rhys@example.org" });
      const { token } = await acknowledgementOf(t, row.id);
      let version = row.version;
      version = (await performAction(t.handle.db, row.id, { type: "start-work" }, version, officer, now))
        .version;
      await answerRequest(t.handle.db, row.id, version, { officer }, now);
      const site = refusingSite();
      const asked = await new Browser(site.app).post(`/track/${token}/review`, { grounds: "Search again" });
      expect(asked.headers.location).toBe(`/track/${token}?review=requested`);
      expect(await outboxTo("rhys@example.org", "review-acknowledgement")).toEqual([
        { attempts: 1, last_error: "connection refused by smtp.example.org", delivered_at: null },
      ]);
      expect((await site.workerLater())?.delivered).toBeGreaterThanOrEqual(1);
      const subjects = [...site.transport.messages.values()].map((raw) => readMessage(raw).headers.subject);
      expect(subjects).toContain(`Internal review requested: ${reference}`);
      expect((await t.app.inject(`/track/${token}`)).body).toContain(
        `Internal review requested: ${reference}`,
      );
    });
  });

  describe("sending the tracking link again", () => {
    const sentTo = (address: string) =>
      t.handle.db
        .selectFrom("sent_mail")
        .selectAll()
        .where("to_address", "=", address)
        .where("kind", "=", "tracking-link")
        .execute();

    it("is offered from the start page and asks for an email address, naming the field", async () => {
      expect((await t.app.inject("/")).body).toContain('href="/track"');
      const form = await t.app.inject("/track");
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain("Get the link to your request again");
      const browser = new Browser(t.app);
      const empty = await browser.post("/track", { email: "" });
      expect(empty.statusCode).toBe(422);
      expect(empty.body).toContain('<a href="#email">Enter your email address</a>');
      const wrong = await browser.post("/track", { email: "lost at example" });
      expect(wrong.body).toContain('<a href="#email">Enter an email address in the correct format');
    });

    it("emails a new link to the address on the request, and the old link stops working", async () => {
      const { row, reference } = await makeRequest(t, { name: "Lou Lost", email: "lou.lost@example.org" });
      const { token: old } = await acknowledgementOf(t, row.id);
      const asked = await new Browser(t.app).post("/track", { email: "  Lou.Lost@Example.org " });
      expect(asked.statusCode).toBe(303);
      expect(asked.headers.location).toBe("/track/sent");
      // Handed over after the answer, so the answer takes no longer for a known address.
      await expect.poll(async () => (await sentTo("lou.lost@example.org")).length).toBe(1);
      const [sent] = await sentTo("lou.lost@example.org");
      expect(sent!.request_id).toBe(row.id);
      const message = readMessage((await t.app.mailer.stored(sent!.file_name!))!);
      expect(message.headers.subject).toBe(`Your link to request ${reference}`);
      const fresh = /\/track\/([A-Za-z0-9_-]{43})/.exec(message.text)?.[1] ?? "";
      expect(fresh).not.toBe(old);
      expect((await t.app.inject(`/track/${fresh}`)).body).toContain(reference);
      expect((await t.app.inject(`/track/${old}`)).statusCode).toBe(404);
      // Asking again at once sends nothing more (no flood of email to someone else's address).
      // (The form does this once it has answered; here it is awaited, to see what it did.)
      await askAgain(t.app, "lou.lost@example.org");
      expect(await sentTo("lou.lost@example.org")).toHaveLength(1);
    });

    it("answers the same whether or not the address is known, and sends nothing to an unknown one", async () => {
      await makeRequest(t, { name: "Kay Known", email: "kay.known@example.org" });
      const known = await new Browser(t.app).post("/track", { email: "kay.known@example.org" });
      const unknown = await new Browser(t.app).post("/track", { email: "nobody@example.org" });
      expect([unknown.statusCode, unknown.headers.location]).toEqual([
        known.statusCode,
        known.headers.location,
      ]);
      expect(unknown.body).toBe(known.body);
      const page = await t.app.inject("/track/sent");
      expect(page.body).toContain("If you have made a request from that email address in the last 12 months");
      expect(await sentTo("nobody@example.org")).toEqual([]);
      await expect.poll(async () => (await sentTo("kay.known@example.org")).length).toBe(1);
    });

    it("keeps the new link in the outbox while the mail server refuses, asks it no more often, and sends it once it accepts", async () => {
      const { row, reference } = await makeRequest(t, { name: "Ula Unsent", email: "ula@example.org" });
      const { token: old } = await acknowledgementOf(t, row.id);
      const site = refusingSite();
      const asked = await new Browser(site.app).post("/track", { email: "ula@example.org" });
      expect([asked.statusCode, asked.headers.location]).toEqual([303, "/track/sent"]);
      const refused = [
        { attempts: 1, last_error: "connection refused by smtp.example.org", delivered_at: null },
      ];
      await expect.poll(() => outboxTo("ula@example.org", "tracking-link")).toEqual(refused);
      expect(await sentTo("ula@example.org")).toEqual([]);
      // The new link is on its way (queued with it), so the old one has stopped working.
      expect((await t.app.inject(`/track/${old}`)).statusCode).toBe(404);
      // Asking again at once queues nothing more, though nothing has been delivered yet.
      await askAgain(site.app, "ula@example.org");
      expect(await outboxTo("ula@example.org", "tracking-link")).toEqual(refused);

      expect((await site.workerLater())?.delivered).toBeGreaterThanOrEqual(1);
      expect(await sentTo("ula@example.org")).toHaveLength(1);
      const message = [...site.transport.messages.values()]
        .map((raw) => readMessage(raw))
        .find((candidate) => candidate.headers.subject === `Your link to request ${reference}`)!;
      const fresh = /\/track\/([A-Za-z0-9_-]{43})/.exec(message.text)?.[1] ?? "";
      expect((await t.app.inject(`/track/${fresh}`)).body).toContain(reference);
    });
  });

  describe("cookies", () => {
    it("without JavaScript: the banner's buttons save the choice and come back to the page, confirmed", async () => {
      const browser = new Browser(t.app);
      const answer = await browser.post("/cookies", { analytics: "no", returnTo: "/request/foi/name" });
      expect(answer.statusCode).toBe(303);
      expect(answer.headers.location).toBe("/request/foi/name?cookies=saved");
      const cookie = setCookies(answer).find((line) => line.startsWith("foidesk_cookie_policy="))!;
      expect(cookie).toMatch(
        /^foidesk_cookie_policy=rejected; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/,
      );
      const back = await browser.get(answer.headers.location as string);
      expect(back.body).toContain(
        'Your cookie preferences have been saved. You can update your cookie settings at any time on the <a class="govuk-link" href="/cookies">cookies page</a>.',
      );
      expect(back.body).not.toContain("Accept analytics cookies</button>");
      const later = await browser.get("/request/foi/name");
      expect(later.body).not.toContain("govuk-cookie-banner");
    });

    it("never sends anyone to another site", async () => {
      for (const returnTo of [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
      ]) {
        const answer = await new Browser(t.app).post("/cookies", { analytics: "yes", returnTo });
        expect(answer.headers.location, returnTo).toBe("/cookies?cookies=saved");
      }
    });

    it("with JavaScript: answers JSON, and analytics loads only after consent", async () => {
      const browser = new Browser(t.app);
      const before = await browser.get("/");
      expect(before.body).not.toMatch(/<script[^>]*src="\/assets\/analytics\.js"/);
      expect(before.body).toContain('data-analytics-src="/assets/analytics.js"');
      const answer = await t.app.inject({
        method: "POST",
        url: "/cookies",
        headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        payload: "analytics=yes&returnTo=%2F",
      });
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ saved: true, analytics: true });
      const cookie = setCookies(answer).find((line) => line.startsWith("foidesk_cookie_policy="))!;
      const after = await t.app.inject({ url: "/", headers: { cookie: cookie.split(";")[0]! } });
      expect(after.body).toContain('<script src="/assets/analytics.js" defer></script>');
      expect(after.body).not.toContain("govuk-cookie-banner");
    });

    it("lists every cookie on the cookies page, where the choice can be changed", async () => {
      const page = await t.app.inject("/cookies");
      for (const name of ["foidesk_cookie_policy", "foidesk_draft", "foidesk_session", "foidesk_signin"]) {
        expect(page.body).toContain(name);
      }
      expect(page.body).not.toContain("govuk-cookie-banner");
      const browser = new Browser(t.app);
      const empty = await browser.post("/cookies", { returnTo: "/cookies" });
      expect(empty.statusCode).toBe(422);
      expect(empty.body).toContain(
        '<a href="#analytics">Select whether you want to accept analytics cookies</a>',
      );
      const saved = await browser.post("/cookies", { analytics: "yes", returnTo: "/cookies" });
      const confirmed = await browser.get(saved.headers.location as string);
      expect(confirmed.body).toContain(
        "Your cookie preferences have been saved. You can update your cookie settings at any time on the cookies page.",
      );
      expect(confirmed.body).toMatch(/<input[^>]*id="analytics"[^>]*value="yes" checked/);
      // Rejecting later removes cookies that are not essential.
      browser.cookies.set("_ga", "GA1.1.123");
      const rejected = await browser.post("/cookies", { analytics: "no", returnTo: "/cookies" });
      expect(setCookies(rejected).some((line) => line.startsWith("_ga=;"))).toBe(true);
    });
  });

  describe("feedback", () => {
    it("is stored without any tracking token and listed for staff, escaped", async () => {
      const browser = new Browser(t.app);
      const form = await browser.get("/feedback?from=/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
      expect(form.statusCode).toBe(200);
      const empty = await browser.post("/feedback", { comments: "" });
      expect(empty.body).toContain('<a href="#comments">Enter your feedback</a>');
      const sent = await browser.post("/feedback", {
        satisfaction: "satisfied",
        comments: `Clear enough ${nasty}`,
        from: "/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      });
      expect(sent.headers.location).toBe("/feedback/sent");
      expect((await browser.get("/feedback/sent")).body).toContain("Thank you for your feedback");
      const stored = await t.handle.db.selectFrom("feedback").selectAll().execute();
      expect(stored.at(-1)).toMatchObject({ satisfaction: "satisfied", page: "/track/[redacted]" });

      await addStaff(t.handle, { username: "fiona", name: "Fiona Feedback", role: "manager" });
      const staff = await staffBrowser("fiona");
      const list = await staff.get("/staff/feedback");
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain("Clear enough &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
      expect(list.body).not.toContain(nasty);
      expect(list.body).toContain("Satisfied");
    });
  });

  describe("everything a requester typed is escaped wherever it is shown", () => {
    it("in the public pages, the acknowledgement, and the back office", async () => {
      const { check, row } = await makeRequest(t, {
        description: `Describe ${nasty}`,
        name: `Name ${nasty}`,
        email: "escape@example.org",
        organisation: `Org ${nasty}`,
        address: `1 Street ${nasty}\nTown`,
        format: "paper",
      });
      for (const html of [check.body]) {
        expect(html).not.toContain(nasty);
        expect(html).toContain("Describe &lt;script&gt;");
        expect(html).toContain("Name &lt;script&gt;");
        expect(html).toContain("Org &lt;script&gt;");
        expect(html).toContain("1 Street &lt;script&gt;");
      }
      const { token, sent } = await acknowledgementOf(t, row.id);
      const tracking = await t.app.inject(`/track/${token}`);
      expect(tracking.body).not.toContain(nasty);
      expect(tracking.body).toContain("Describe &lt;script&gt;");
      // The HTML part escapes it; the plain-text part is text.
      const raw = Buffer.from((await t.app.mailer.stored(sent.file_name!))!).toString();
      expect(raw).toContain("Name &lt;script&gt;");

      // Typed straight into a question page and shown back with an error.
      const browser = new Browser(t.app);
      await browser.post("/request", { kind: "foi" });
      const shownBack = await browser.post("/request/foi/contact", { email: nasty, address: "" });
      expect(shownBack.body).not.toContain(nasty);

      await addStaff(t.handle, { username: "esme", name: "Esme Escape", role: "officer" });
      const staff = await staffBrowser("esme");
      const outbox = await staff.get("/staff/outbox");
      expect(outbox.statusCode).toBe(200);
      const message = await staff.get(`/staff/outbox/${sent.id}`);
      expect(message.statusCode).toBe(200);
      expect(message.body).toContain("Dear Name &lt;script&gt;");
      expect(message.body).not.toContain(nasty);
      for (const url of [`/staff/requests/${row.id}`, `/staff/requesters/${row.requester_id}`]) {
        const staffPage = await staff.get(url);
        expect(staffPage.statusCode, url).toBe(200);
        expect(staffPage.body, url).not.toContain(nasty);
        expect(staffPage.body, url).toContain("Name &lt;script&gt;");
      }
    });
  });

  describe("reaching a team", () => {
    it("puts a request made on the site in the intake team's work queue, under My team", async () => {
      await addStaff(t.handle, {
        username: "iris",
        name: "Iris Intake",
        role: "officer",
        team: "Information Rights",
      });
      const staff = await staffBrowser("iris");
      const before = await makeRequest(t, { description: "How many drones does the force own?" });
      expect((await staff.get("/staff/requests?view=team")).body).not.toContain(before.reference);

      await updateAuthoritySettings(t.handle.db, { intakeTeam: "Information Rights" }, now);
      const { reference, row } = await makeRequest(t, {
        description: "How many horses does the force keep?",
      });
      const queue = await staff.get("/staff/requests?view=team");
      expect(queue.body).toMatch(/<option value="team" selected>\s*My team \(Information Rights\)/);
      expect(queue.body).toContain(`<a class="govuk-link" href="/staff/requests/${row.id}">${reference}</a>`);
    });
  });

  it("never logs a tracking token, an email address or what was asked", async () => {
    const { row } = await makeRequest(t, {
      name: "Logan Quiet",
      email: "logan.quiet@example.org",
      description: "Secret subject about custody",
    });
    const { token } = await acknowledgementOf(t, row.id);
    await t.app.inject(`/track/${token}`);
    await t.app.inject(`/track/${token}x`);
    const logs = t.logs.join("\n");
    expect(logs).toContain("mail sent");
    expect(logs).not.toContain(token);
    expect(logs).not.toContain("logan.quiet@example.org");
    expect(logs).not.toContain("Secret subject");
    expect(logs).not.toContain("Logan Quiet");
  });
});
