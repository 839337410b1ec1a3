import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { londonDate } from "../../../calendar/index.ts";
import { testBackends } from "../../../db/testing.ts";
import { deliverQueued, deliverWaitingIfFree } from "../../../mail/index.ts";
import { refusingTransport, switchableTransport } from "../../../mail/testing.ts";
import { createRequest, recordOutboxDelivery } from "../../../requests/index.ts";
import {
  addStaff,
  Browser,
  csrfFrom,
  openTestApp,
  setUpCasework,
  type TestApp,
  visible,
} from "../../testing.ts";

// The outbox as an officer reads it: each message sent, linked to the request it was about by its reference
// (read through the requests module: mail knows nothing of requests).

// A fixed moment, given to the app as its clock: the tests never read the wall clock.
const now = new Date("2026-11-26T10:00:00Z");

/** Olu, an officer in the Information Rights team, signed in. */
async function signedInOfficer(t: TestApp): Promise<Browser> {
  await addStaff(t.handle, {
    username: "olu",
    name: "Olu Officer",
    role: "officer",
    team: "Information Rights",
  });
  const officer = new Browser(t.app);
  expect((await officer.signIn("olu")).statusCode).toBe(303);
  return officer;
}

/** A request that came by post, logged by the signed-in officer (the first account) in their team. */
async function postedRequest(t: TestApp, at: Date, body: string, requester: { name: string; email: string }) {
  const user = await t.handle.db
    .selectFrom("users")
    .select(["id", "team_id", "display_name"])
    .executeTakeFirstOrThrow();
  return createRequest(
    t.handle.db,
    { regime: "foia", channel: "post", receivedDate: londonDate(at), body, requester, teamId: user.team_id! },
    { userId: user.id, label: user.display_name, role: "officer" },
    at,
  );
}

describe.each(testBackends())("the outbox on $name", (backend) => {
  let t: TestApp;
  let officer: Browser;

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    officer = await signedInOfficer(t);
  });
  afterAll(async () => t?.close());

  it("lists what is waiting to be sent, with its state: not yet tried, refused and to be tried again, given up", async () => {
    const request = await createRequest(
      t.handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: londonDate(now),
        body: "Speed cameras in 2025",
        requester: { name: "Kim Waits", email: "kim@example.org" },
      },
      { userId: null, label: "Post room", role: "officer" },
      now,
    );
    const queue = (subject: string) =>
      t.handle.db.transaction().execute((trx) =>
        t.app.mailer.queue(trx, {
          to: "kim@example.org",
          subject,
          text: "x",
          kind: "acknowledgement",
          requestId: request.id,
        }),
      );
    await queue("Not tried yet");
    const refused = await queue("Refused once");
    const refusing = refusingTransport();
    await deliverQueued(t.handle.db, refused.id, { transport: refusing, now });
    const abandoned = await queue("Given up");
    for (let attempt = 0; attempt < 5; attempt++)
      await deliverQueued(t.handle.db, abandoned.id, { transport: refusing, now, force: true });

    const page = visible((await officer.get("/staff/outbox")).body);
    expect(page).toContain("Waiting to be sent");
    expect(page).toMatch(/Not tried yet\s+kim@example\.org\s+\S+\s+Waiting to be handed to the mail server/);
    expect(page).toMatch(
      /Refused once\s+kim@example\.org\s+\S+\s+Refused 1 time \(connection refused by smtp\.example\.org\): tried again from 26 November 2026 at 10:01am/,
    );
    expect(page).toMatch(
      /Given up\s+kim@example\.org\s+\S+\s+Not sent: refused 5 times \(connection refused by smtp\.example\.org\), then given up/,
    );
    expect(page).toContain(request.reference);

    // An officer sends a given-up message now, once the mail server is back.
    const list = await officer.get("/staff/outbox");
    expect(list.body).toContain(`action="/staff/outbox/waiting/${abandoned.id}/send"`);
    const sendNow = await officer.post(`/staff/outbox/waiting/${abandoned.id}/send`, {
      _csrf: csrfFrom(list.body),
    });
    expect(sendNow.statusCode).toBe(303);
    const after = visible((await officer.get(sendNow.headers.location as string)).body);
    expect(after).toContain("Handed to the mail server");
    expect(after).not.toContain("then given up");
    expect(after).toMatch(/Given up\s+kim@example\.org\s+01\.FOI/);
    const sent = await t.handle.db
      .selectFrom("sent_mail")
      .select("kind")
      .where("subject", "=", "Given up")
      .execute();
    expect(sent).toEqual([{ kind: "acknowledgement" }]);
  });

  it("lists a sent message and shows it, each linked to its request by reference", async () => {
    const request = await postedRequest(t, now, "Traffic stops in 2025", {
      name: "Jo Bloggs",
      email: "jo@example.org",
    });
    await t.app.mailer.send({
      to: "jo@example.org",
      subject: "About your request",
      text: "We are working on it.",
      kind: "test",
      requestId: request.id,
    });
    await t.app.mailer.send({ to: "someone@example.org", subject: "Unrelated", text: "x", kind: "test" });

    const list = await officer.get("/staff/outbox");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain("About your request");
    expect(list.body).toContain(request.reference);

    const sent = await t.handle.db.selectFrom("sent_mail").select(["id", "subject"]).orderBy("id").execute();
    const about = sent.find((row) => row.subject === "About your request")!;
    const unrelated = sent.find((row) => row.subject === "Unrelated")!;
    const shown = await officer.get(`/staff/outbox/${about.id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain(`href="/staff/requests/${request.id}">${request.reference}</a>`);
    const none = await officer.get(`/staff/outbox/${unrelated.id}`);
    expect(none.statusCode).toBe(200);
    expect(none.body).not.toContain(request.reference);
    expect((await officer.get("/staff/outbox/999999")).statusCode).toBe(404);
  });
});

// An acknowledgement the mail server refused: the officer is told it waits in the outbox, and whoever hands it
// over with "Send now" is named in the request's history, as the reply page's "send again" is.
describe.each(testBackends())("an acknowledgement the mail server refused, on $name", (backend) => {
  let t: TestApp;
  let officer: Browser;
  let clock = now;
  const transport = switchableTransport({ refusing: true });

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => clock, mail: { transport } });
    officer = await signedInOfficer(t);
  });
  afterAll(async () => t?.close());

  /** Logs a request from `email` in the officer's team and presses "Acknowledge" on its page. */
  async function acknowledge(email: string) {
    const request = await postedRequest(t, clock, "Speed cameras in 2025", { name: "Kim Waits", email });
    const href = `/staff/requests/${request.id}`;
    const page = await officer.get(href);
    const done = await officer.post(`${href}/actions/acknowledge`, {
      _csrf: csrfFrom(page.body),
      version: /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? "",
    });
    expect(done.statusCode).toBe(303);
    const shown = await officer.get(done.headers.location as string);
    return { href, banner: shown.body, said: bannerText(shown.body) };
  }

  /** What the banner at the top of the page says (the menu also names the outbox). */
  const bannerText = (html: string) =>
    visible(/govuk-notification-banner__content">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? "");

  it("says the acknowledgement waits in the outbox, and records who sent it with Send now", async () => {
    transport.refusing = true;
    const { href, banner, said } = await acknowledge("kim@example.org");
    const text = said;
    expect(text).toContain("Request acknowledged");
    expect(text).not.toContain("Acknowledgement emailed to");
    expect(text).toContain(
      "The email to kim@example.org could not be sent yet: it is waiting in the outbox and will be sent automatically.",
    );
    expect(banner).toMatch(/<a class="govuk-notification-banner__link" href="\/staff\/outbox">/);

    // Five minutes on, the mail server is back and the officer sends it from the outbox.
    transport.refusing = false;
    clock = new Date(now.getTime() + 5 * 60_000);
    const list = await officer.get("/staff/outbox");
    const id = /action="\/staff\/outbox\/waiting\/(\d+)\/send"/.exec(list.body)?.[1];
    expect(id).toBeDefined();
    const sent = await officer.post(`/staff/outbox/waiting/${id}/send`, { _csrf: csrfFrom(list.body) });
    expect(sent.headers.location).toBe("/staff/outbox?sent=delivered");

    const history = visible((await officer.get(href)).body);
    expect(history).toMatch(
      /Acknowledgement email sent by Olu Officer, 26 November 2026 at 10:05am To kim@example\.org Acknowledgement email not delivered by Olu Officer, 26 November 2026 at 10:00am/,
    );
  });

  it("records the acknowledgement's email as sent when the outbox worker hands it over later", async () => {
    transport.refusing = true;
    clock = now;
    const { href } = await acknowledge("ash@example.org");
    // The mail server is back; a quarter of an hour on, the worker (as `foidesk serve` runs it) hands it over.
    transport.refusing = false;
    clock = new Date(now.getTime() + 15 * 60_000);
    const run = await deliverWaitingIfFree(t.handle.db, transport, () => clock, "worker", {
      onDelivered: recordOutboxDelivery(t.handle.db),
    });
    expect(run?.delivered).toBeGreaterThanOrEqual(1);
    const history = visible((await officer.get(href)).body);
    expect(history).toMatch(
      /Acknowledgement email sent by foidesk \(mail outbox\), 26 November 2026 at 10:15am To ash@example\.org Acknowledgement email not delivered by Olu Officer, 26 November 2026 at 10:00am/,
    );
  });

  it("says when the outbox has given up on the acknowledgement, and where to send it from", async () => {
    transport.refusing = true;
    const { href } = await acknowledge("max@example.org");
    const waiting = await t.handle.db
      .selectFrom("mail_outbox")
      .select("id")
      .where("to_address", "=", "max@example.org")
      .executeTakeFirstOrThrow();
    for (let attempt = 0; attempt < 4; attempt++)
      await deliverQueued(t.handle.db, waiting.id, { transport, now: clock, force: true });
    const shown = await officer.get(`${href}?done=acknowledge`);
    expect(bannerText(shown.body)).toBe(
      "Request acknowledged The email to max@example.org has not been sent: the mail server refused it every time. Send it from the outbox .", // a link ends there
    );
    expect(shown.body).toMatch(
      /<a class="govuk-notification-banner__link" href="\/staff\/outbox">outbox<\/a>/,
    );
  });

  it("says nothing of the outbox when the acknowledgement was sent at once", async () => {
    transport.refusing = false;
    const { said: text } = await acknowledge("lee@example.org");
    expect(text).toBe("Acknowledgement emailed to lee@example.org It is in the timeline below.");
    expect(text).not.toMatch(/waiting|outbox/i);
  });
});

describe.each(testBackends())(
  "a reply the mail server refused, sent from the outbox, on $name",
  (backend) => {
    let t: TestApp;
    const transport = switchableTransport({ refusing: true });

    beforeAll(async () => {
      t = await openTestApp(backend, { now: () => now, mail: { transport } });
    });
    afterAll(async () => t?.close());

    it("records who sent the reply's email with Send now, as the reply page's send again does", async () => {
      const olu = { username: "olu", name: "Olu Officer", role: "officer", team: "Disclosure" } as const;
      const casework = await setUpCasework(t, {
        authority: { name: "Westmarch Constabulary" },
        staff: [olu],
        now,
      });
      const { id } = await casework.replyOverApi(
        "olu",
        {
          regime: "foia",
          requester: { name: "Priya Raman", email: "priya@example.org" },
          body: "How many speed cameras are there?",
        },
        {
          questions: [{ text: "How many speed cameras are there?", decision: "disclosed" }],
          disclosure: [{ kind: "text", text: "There are 42." }],
        },
      );
      const waiting = await t.handle.db
        .selectFrom("mail_outbox")
        .select("id")
        .where("request_id", "=", id)
        .where("kind", "=", "reply")
        .executeTakeFirstOrThrow();

      transport.refusing = false;
      const officer = new Browser(t.app);
      expect((await officer.signIn("olu")).statusCode).toBe(303);
      const list = await officer.get("/staff/outbox");
      const sent = await officer.post(`/staff/outbox/waiting/${waiting.id}/send`, {
        _csrf: csrfFrom(list.body),
      });
      expect(sent.headers.location).toBe("/staff/outbox?sent=delivered");

      const history = visible((await officer.get(`/staff/requests/${id}`)).body);
      expect(history).toMatch(
        /Reply emailed again by Olu Officer, 26 November 2026 at 10:00am To priya@example\.org Reply email not delivered/,
      );
    });
  },
);
