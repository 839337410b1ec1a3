import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../../db/testing.ts";
import { createRequest, performAction } from "../../../requests/index.ts";
import { addStaff, Browser, csrfFrom, openTestApp, type TestApp } from "../../testing.ts";

// The back office's "Keeping data" page: a manager sets the retention schedule, sees what is due and what a
// hold keeps, and downloads one requester's data.

describe.each(testBackends())("the keeping-data page on $name", (backend) => {
  let t: TestApp;
  let reference = "";
  beforeAll(async () => {
    // The app's own clock (the test client's session cookies follow the wall clock): the request closed in
    // January 2024, so with a 24-month period it is due on any day from January 2026 on.
    t = await openTestApp(backend);
    await t.handle.db.insertInto("authority").values({ name: "Westmarch Constabulary" }).execute();
    await addStaff(t.handle, { username: "mina", name: "Mina Manager", role: "manager" });
    await addStaff(t.handle, { username: "olu", name: "Olu Officer", role: "officer" });
    const actor = { userId: null, label: "Post room", role: "officer" as const };
    const created = await createRequest(
      t.handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: "2024-01-08",
        body: "Speed camera revenue?",
        requester: { name: "Ada Requester", email: "ada@example.org" },
      },
      actor,
      new Date("2024-01-08T10:00:00Z"),
    );
    await performAction(
      t.handle.db,
      created.id,
      { type: "withdraw", date: "2024-01-09" },
      1,
      actor,
      new Date("2024-01-09T10:00:00Z"),
    );
    reference = created.reference;
  });
  afterAll(async () => t?.close());

  it("lets a manager set the schedule, then lists what is due, naming a bad field", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const page = await manager.get("/staff/retention");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Not set: such records are kept");
    expect(page.body).toContain("0 requests and 0 unprocessed emails will be anonymised");

    const bad = await manager.post("/staff/retention/schedule", {
      _csrf: csrfFrom(page.body),
      "months-foi-case": "two years",
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(
      /<a href="#months-foi-case">Enter the retention period as a whole number of months/,
    );

    const saved = await manager.post("/staff/retention/schedule", {
      _csrf: csrfFrom(page.body),
      "months-foi-case": "24",
    });
    expect(saved.headers.location).toBe("/staff/retention?done=saved");
    const after = await manager.get("/staff/retention?done=saved");
    expect(after.body).toContain("Retention schedule saved");
    expect(after.body).toContain("Set by Mina Manager");
    expect(after.body).toContain("1 request and 0 unprocessed emails will be anonymised");
    expect(after.body).toContain(reference);
  });

  it("downloads one requester's data as a zip for a manager, and refuses an officer", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const download = await manager.get("/staff/retention/export?email=ada%40example.org");
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("application/zip");
    const zip = unzipSync(new Uint8Array(download.rawPayload));
    expect(strFromU8(zip["index.html"]!)).toContain("Ada Requester");
    expect((await manager.get("/staff/retention/export?email=nobody%40example.org")).statusCode).toBe(404);

    const officer = new Browser(t.app);
    await officer.signIn("olu");
    expect((await officer.get("/staff/retention")).statusCode).toBe(403);
    expect((await officer.get("/staff/retention/export?email=ada%40example.org")).statusCode).toBe(403);
  });
});
