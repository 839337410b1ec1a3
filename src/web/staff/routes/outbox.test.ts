import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { londonDate } from "../../../calendar/index.ts";
import { testBackends } from "../../../db/testing.ts";
import { createRequest } from "../../../requests/index.ts";
import { addStaff, Browser, openTestApp, type TestApp } from "../../testing.ts";

// The outbox as an officer reads it: each message sent, linked to the request it was about by its reference
// (read through the requests module: mail knows nothing of requests).

// A fixed moment, given to the app as its clock: the tests never read the wall clock.
const now = new Date("2026-11-26T10:00:00Z");

describe.each(testBackends())("the outbox on $name", (backend) => {
  let t: TestApp;
  let officer: Browser;

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    await addStaff(t.handle, {
      username: "olu",
      name: "Olu Officer",
      role: "officer",
      team: "Information Rights",
    });
    officer = new Browser(t.app);
    expect((await officer.signIn("olu")).statusCode).toBe(303);
  });
  afterAll(async () => t?.close());

  it("lists a sent message and shows it, each linked to its request by reference", async () => {
    const user = await t.handle.db.selectFrom("users").select(["id", "team_id"]).executeTakeFirstOrThrow();
    const request = await createRequest(
      t.handle.db,
      {
        regime: "foia",
        channel: "post",
        receivedDate: londonDate(now),
        body: "Traffic stops in 2025",
        requester: { name: "Jo Bloggs", email: "jo@example.org" },
        teamId: user.team_id!,
      },
      { userId: user.id, label: "Olu Officer", role: "officer" },
      now,
    );
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
