import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateAuthoritySettings } from "../../../authority/index.ts";
import { londonDate } from "../../../calendar/index.ts";
import { testBackends } from "../../../db/testing.ts";
import { receiveMessage } from "../../../mail/index.ts";
import { emlMessage } from "../../../mail/testing.ts";
import { createRequest, performAction } from "../../../requests/index.ts";
import { appInboundDeps } from "../../index.ts";
import { addStaff, Browser, csrfFrom, openTestApp, type TestApp } from "../../testing.ts";

// The inbox as an officer uses it: what was not processed and why, dealing with it by the page's own forms,
// and the new correspondence on the request page and in the work queue.

// The real time: the browser drops a session cookie that has expired by the clock on the wall.
// A fixed moment, given to the app as its clock: the tests never read the wall clock.
const now = new Date("2026-11-26T10:00:00Z");
const today = londonDate(now);

describe.each(testBackends())("the inbox on $name", (backend) => {
  let t: TestApp;
  let officer: Browser;
  let officerId: number;
  let teamId: number;
  const receive = (fixture: Parameters<typeof emlMessage>[0]) =>
    receiveMessage(appInboundDeps(t.app), emlMessage(fixture));
  const newRequest = async (body: string) =>
    createRequest(
      t.handle.db,
      {
        regime: "foia",
        channel: "post",
        receivedDate: today,
        body,
        requester: { name: "Jo Bloggs", email: "jo@example.org" },
        teamId,
      },
      { userId: officerId, label: "Olu Officer", role: "officer" },
      now,
    );

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    await updateAuthoritySettings(t.handle.db, { name: "Westmarch Constabulary" }, now);
    await addStaff(t.handle, {
      username: "olu",
      name: "Olu Officer",
      role: "officer",
      team: "Information Rights",
    });
    const user = await t.handle.db.selectFrom("users").select(["id", "team_id"]).executeTakeFirstOrThrow();
    officerId = user.id;
    teamId = user.team_id!;
    officer = new Browser(t.app);
    expect((await officer.signIn("olu")).statusCode).toBe(303);
  });
  afterAll(async () => t?.close());

  it("is for signed-in staff only", async () => {
    const response = await new Browser(t.app).get("/staff/inbox");
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^\/staff\/sign-in/);
  });

  it("lists what was not processed with why, and what was, linked to its request", async () => {
    const request = await newRequest("Traffic stops in 2025");
    const threaded = await receive({
      subject: `Re: ${request.reference}`,
      messageId: "<list-1@example.org>",
    });
    await receive({
      subject: "I am away",
      messageId: "<list-2@example.org>",
      headers: ["Auto-Submitted: auto-replied"],
    });
    const page = await officer.get("/staff/inbox");
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/aria-current="page">\s*<strong[^>]*>Inbox</);
    expect(page.body).toContain("I am away");
    expect(page.body).toContain("An automatic message (Auto-Submitted: auto-replied)");
    expect(page.body).toContain(`href="/staff/requests/${request.id}">${request.reference}</a>`);
    expect(page.body).toContain(`href="/staff/inbox/${threaded.receivedMailId}"`);
  });

  it("adds a message to a request by reference, refusing an unknown one naming the field", async () => {
    const request = await newRequest("Custody deaths");
    const kept = await receive({
      subject: "Out of office",
      messageId: "<attach@example.org>",
      text: "I will reply when I am back.",
      headers: ["Precedence: bulk"],
    });
    const page = await officer.get(`/staff/inbox/${kept.receivedMailId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Not processed: Bulk or automatic mail (Precedence: bulk)");
    expect(page.body).toContain("I will reply when I am back.");
    const csrf = csrfFrom(page.body);

    const withoutToken = await officer.post(`/staff/inbox/${kept.receivedMailId}/attach`, {
      reference: request.reference,
    });
    expect(withoutToken.statusCode).toBe(403);

    const unknown = await officer.post(`/staff/inbox/${kept.receivedMailId}/attach`, {
      _csrf: csrf,
      reference: "01.FOI.26.999999",
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toMatch(
      /<a href="#reference">There is no request with the reference 01\.FOI\.26\.999999/,
    );
    expect(unknown.body).toContain('value="01.FOI.26.999999"');

    const attached = await officer.post(`/staff/inbox/${kept.receivedMailId}/attach`, {
      _csrf: csrf,
      reference: request.reference,
    });
    expect(attached.statusCode).toBe(303);
    expect(attached.headers.location).toBe(`/staff/requests/${request.id}#correspondence`);
    const requestPage = await officer.get(`/staff/requests/${request.id}`);
    expect(requestPage.body).toContain("New correspondence");
    expect(requestPage.body).toContain("Email received");
    const again = await officer.post(`/staff/inbox/${kept.receivedMailId}/attach`, {
      _csrf: csrf,
      reference: request.reference,
    });
    expect(again.statusCode).toBe(409);
  });

  it("logs a message that was not processed as a request, with the name the officer gives", async () => {
    const kept = await receive({
      from: "sam@example.net",
      subject: "Stop and search",
      messageId: "<log@example.net>",
      headers: ["Auto-Submitted: auto-generated"],
    });
    const page = await officer.get(`/staff/inbox/${kept.receivedMailId}`);
    const logged = await officer.post(`/staff/inbox/${kept.receivedMailId}/log`, {
      _csrf: csrfFrom(page.body),
      regime: "foia",
      name: "Sam Lee",
    });
    expect(logged.statusCode).toBe(303);
    expect(logged.headers.location).toMatch(/^\/staff\/requests\/\d+\?logged=1$/);
    const requestPage = await officer.get(logged.headers.location as string);
    expect(requestPage.body).toContain("Request logged as");
    expect(requestPage.body).toContain("Sam Lee");
    expect(requestPage.body).toContain("Stop and search");
    const inbox = await officer.get(`/staff/inbox/${kept.receivedMailId}`);
    expect(inbox.body).not.toContain("Log as a request");
  });

  it("flags new correspondence in the work queue and on the request until an officer marks it read", async () => {
    const request = await newRequest("Helicopter flights over the park");
    await receive({
      subject: `Re: ${request.reference}`,
      messageId: "<flag@example.org>",
      text: "Any update?",
    });
    const queue = await officer.get("/staff/requests?view=team");
    const row = new RegExp(
      `${request.reference.replace(/\./g, "\\.")}</a>\\s*<br><strong class="govuk-tag govuk-tag--yellow">\\s*New email`,
    );
    expect(queue.body).toMatch(row);
    const page = await officer.get(`/staff/requests/${request.id}`);
    expect(page.body).toContain("Any update?");
    const read = await officer.post(`/staff/requests/${request.id}/correspondence/read`, {
      _csrf: csrfFrom(page.body),
    });
    expect(read.statusCode).toBe(303);
    expect((await officer.get(`/staff/requests/${request.id}`)).body).not.toContain("New correspondence");
    expect((await officer.get("/staff/requests?view=team")).body).not.toMatch(row);
  });

  it("says a reply during a clarification may restart the clock, and leaves that to the officer", async () => {
    const request = await newRequest("Emails about the station closure");
    await performAction(
      t.handle.db,
      request.id,
      { type: "request-clarification", date: today, note: "Which station?" },
      1,
      { userId: officerId, label: "Olu Officer", role: "officer" },
      now,
    );
    await receive({
      subject: `Re: ${request.reference}`,
      messageId: "<clarify@example.org>",
      text: "Westmarch Central.",
    });
    const page = await officer.get(`/staff/requests/${request.id}`);
    expect(page.body).toContain("log the clarification received</a>");
    expect(page.body).toContain(`href="/staff/requests/${request.id}/actions/receive-clarification"`);
    expect(page.body).toContain("Awaiting clarification");
  });

  it("dismisses a message with a reason, lists it under Dismissed, and restores it, each once", async () => {
    const spam = await receive({
      subject: "Cheap watches",
      messageId: "<spam@example.com>",
      headers: ["Precedence: bulk"],
    });
    const path = `/staff/inbox/${spam.receivedMailId}`;
    const page = await officer.get(path);
    expect(page.body).toContain(`action="${path}/dismiss"`);
    const csrf = csrfFrom(page.body);

    expect((await officer.post(`${path}/dismiss`, { reason: "Spam" })).statusCode).toBe(403);
    const noReason = await officer.post(`${path}/dismiss`, { _csrf: csrf, reason: " " });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('<a href="#reason">Say why the message needs no action</a>');

    const dismissed = await officer.post(`${path}/dismiss`, { _csrf: csrf, reason: "Spam selling watches" });
    expect(dismissed.statusCode).toBe(303);
    expect(dismissed.headers.location).toBe("/staff/inbox?dismissed=1");
    const inbox = await officer.get("/staff/inbox?dismissed=1");
    expect(inbox.body).toContain("The message was dismissed.");
    const [notProcessed, dismissedList] = inbox.body.split('<h2 class="govuk-heading-m">Dismissed</h2>');
    expect(notProcessed).not.toContain("Cheap watches");
    expect(dismissedList).toContain("Cheap watches");
    expect(dismissedList).toContain("Spam selling watches");
    expect(dismissedList).toContain("Olu Officer");
    expect((await officer.post(`${path}/dismiss`, { _csrf: csrf, reason: "Again" })).statusCode).toBe(409);

    const shown = await officer.get(path);
    expect(shown.body).toContain("Dismissed by Olu Officer");
    expect(shown.body).not.toContain("Log as a request");
    expect((await officer.post(`${path}/restore`, {})).statusCode).toBe(403);
    const restored = await officer.post(`${path}/restore`, { _csrf: csrf });
    expect(restored.statusCode).toBe(303);
    expect(restored.headers.location).toBe(path);
    expect((await officer.get(path)).body).toContain("Not processed: Bulk or automatic mail");
    const after = await officer.get("/staff/inbox");
    const [waiting, dismissedAfter] = after.body.split('<h2 class="govuk-heading-m">Dismissed</h2>');
    expect(waiting).toContain("Cheap watches");
    expect(dismissedAfter).not.toContain("Cheap watches");
    expect((await officer.post(`${path}/restore`, { _csrf: csrf })).statusCode).toBe(409);
  });

  it("gives the message as received for download", async () => {
    const received = await receive({ subject: "Download me", messageId: "<download@example.org>" });
    const response = await officer.get(`/staff/inbox/${received.receivedMailId}/message.eml`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("message/rfc822");
    expect(response.body).toContain("Message-ID: <download@example.org>");
  });

  it("keeps addresses and text out of the log", () => {
    const all = t.logs.join("\n");
    // The log was written (an empty one would pass what follows): the inbox pages above were logged.
    expect(t.logs.length).toBeGreaterThan(10);
    expect(all).toContain('"url":"/staff/inbox/');
    for (const secret of ["jo@example.org", "sam@example.net", "Any update?", "Helicopter"])
      expect(all).not.toContain(secret);
  });
});
