import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../../db/testing.ts";
import { createRequest, performAction, requestDetail } from "../../../requests/index.ts";
import { addStaff, Browser, csrfFrom, openTestApp, type TestApp } from "../../testing.ts";

// The back office's "Keeping data" page: a manager sets the retention schedule, sees what is due and what a
// hold keeps, and downloads one requester's data.

describe.each(testBackends())("the keeping-data page on $name", (backend) => {
  let t: TestApp;
  let reference = "";
  let requestId = 0;
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
    requestId = created.id;
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

  it("lets a manager place a hold with a reason, refuses erasure and correction under it, lifts it, then corrects and erases", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const page = await manager.get("/staff/retention");
    const csrf = csrfFrom(page.body);

    // Each field named when wrong, and what was typed kept.
    const noReason = await manager.post("/staff/retention/holds", { _csrf: csrf, reference, reason: "" });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toMatch(/<a href="#reason">Enter why the request is held/);
    expect(noReason.body).toContain(`value="${reference}"`);
    const unknown = await manager.post("/staff/retention/holds", {
      _csrf: csrf,
      reference: "FOI-1999-0001",
      reason: "Claim",
    });
    expect(unknown.body).toMatch(/<a href="#reference">There is no request FOI-1999-0001/);

    const held = await manager.post("/staff/retention/holds", {
      _csrf: csrf,
      reference,
      reason: "Speed camera claim in the county court",
    });
    expect(held.headers.location).toBe("/staff/retention?done=held");
    const after = await manager.get("/staff/retention?done=held");
    expect(after.body).toContain("Legal hold placed");
    expect(after.body).toContain("Speed camera claim in the county court");
    const holdId = /name="holdId" type="radio" value="(\d+)"/.exec(after.body)?.[1];
    expect(holdId).toBeDefined();

    // Under the hold, neither erasure nor correction.
    const refusedErase = await manager.post("/staff/retention/erase", {
      _csrf: csrf,
      eraseEmail: "ada@example.org",
      confirm: "yes",
    });
    expect(refusedErase.statusCode).toBe(409);
    expect(refusedErase.body).toContain("under a legal hold");
    const refusedRectify = await manager.post("/staff/retention/rectify", {
      _csrf: csrf,
      rectifyEmail: "ada@example.org",
      name: "Ada Lovelace",
    });
    expect(refusedRectify.statusCode).toBe(409);
    expect(refusedRectify.body).toContain("under a legal hold");

    const noLiftReason = await manager.post("/staff/retention/holds/lift", {
      _csrf: csrf,
      holdId: holdId!,
      liftReason: "",
    });
    expect(noLiftReason.body).toMatch(/<a href="#liftReason">Enter why the hold is lifted/);
    const lifted = await manager.post("/staff/retention/holds/lift", {
      _csrf: csrf,
      holdId: holdId!,
      liftReason: "Claim struck out",
    });
    expect(lifted.headers.location).toBe("/staff/retention?done=lifted");
    expect((await manager.get("/staff/retention")).body).toContain("No legal hold is in force");

    const corrected = await manager.post("/staff/retention/rectify", {
      _csrf: csrf,
      rectifyEmail: "ada@example.org",
      name: "Ada Lovelace",
      email: "",
    });
    expect(corrected.headers.location).toBe("/staff/retention?done=rectified");
    const unconfirmed = await manager.post("/staff/retention/erase", {
      _csrf: csrf,
      eraseEmail: "ada@example.org",
    });
    expect(unconfirmed.body).toMatch(/<a href="#confirm">Confirm that the requester/);
    const nobody = await manager.post("/staff/retention/erase", {
      _csrf: csrf,
      eraseEmail: "nobody@example.org",
      confirm: "yes",
    });
    expect(nobody.body).toMatch(/<a href="#eraseEmail">No requester has that email address/);
    const erased = await manager.post("/staff/retention/erase", {
      _csrf: csrf,
      eraseEmail: "ada@example.org",
      confirm: "yes",
    });
    expect(erased.headers.location).toBe("/staff/retention?done=erased");

    // Each step is in the request's history, by the manager, and the person is gone.
    const detail = await requestDetail(
      t.handle.db,
      { id: requestId },
      { userId: null, label: "x", role: "manager" },
      t.app.now(),
    );
    const types = detail.timeline.map((entry) => entry.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "legal-hold-placed",
        "legal-hold-lifted",
        "requester-rectified",
        "requester-erased",
      ]),
    );
    expect(detail.timeline.find((entry) => entry.type === "legal-hold-lifted")?.actor).toBe("Mina Manager");
    expect(detail.request.requester_name).toBe("");
    expect((await manager.get("/staff/retention/export?email=ada%40example.org")).statusCode).toBe(404);
  });

  it("refuses holds, erasure and correction to an officer", async () => {
    const officer = new Browser(t.app);
    await officer.signIn("olu");
    const csrf = csrfFrom((await officer.get("/staff/account")).body);
    for (const [path, body] of [
      ["/staff/retention/holds", { reference, reason: "x" }],
      ["/staff/retention/holds/lift", { holdId: "1", liftReason: "x" }],
      ["/staff/retention/erase", { eraseEmail: "ada@example.org", confirm: "yes" }],
      ["/staff/retention/rectify", { rectifyEmail: "ada@example.org", name: "X" }],
    ] as const)
      expect((await officer.post(path, { _csrf: csrf, ...body })).statusCode).toBe(403);
  });
});
