import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../db/testing.ts";
import { createApiToken, totpCode } from "../../users/index.ts";
import { addStaff, Browser, csrfFrom, openTestApp, type TestApp } from "../testing.ts";

// Staff identity as people meet it: a manager sets up an authenticator app at their first sign-in (the QR code
// drawn on the server, the key as text, recovery codes once), an administrator manages accounts and sees
// their history, and a deactivated account's live session and API token stop at the next request.

describe.each(testBackends())("staff identity on $name", (backend) => {
  let t: TestApp;
  // After today: the test cookie jar still drops cookies by the wall clock (being fixed on main).
  let clock = new Date("2030-06-03T09:00:00Z");
  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => clock });
    await addStaff(t.handle, { username: "ada", name: "Ada Admin", role: "admin" });
    await addStaff(t.handle, { username: "olivia", name: "Olivia Officer", role: "officer" });
    // Made without an authenticator app, as `foidesk user create` makes a manager.
    await addStaff(t.handle, { username: "nell", name: "Nell New", role: "officer" });
    await t.handle.db.updateTable("users").set({ role: "manager" }).where("username", "=", "nell").execute();
  });
  afterAll(async () => t?.close());

  it("makes a new manager set up an authenticator app, with a QR code and the key as text, then shows recovery codes once", async () => {
    const browser = new Browser(t.app);
    const signIn = await browser.signIn("nell");
    expect(signIn.headers.location).toBe("/staff/sign-in/authenticator");
    // Nothing else opens until it is done.
    expect((await browser.get("/staff/requests")).headers.location).toMatch(/^\/staff\/sign-in/);
    const page = await browser.get("/staff/sign-in/authenticator");
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<svg role="img" aria-label="QR code for your authenticator app"[^>]*><path/);
    expect(page.body).toContain('<form method="post" action="/staff/sign-in/authenticator"');
    const key = /id="secret">([A-Z2-7 ]+)</.exec(page.body)![1]!.replace(/ /g, "");
    const wrong = await browser.post("/staff/sign-in/authenticator", {
      _csrf: csrfFrom(page.body),
      code: "000000",
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain(
      '<a href="#code">Enter the 6-digit code your authenticator app shows now</a>',
    );
    // The same key is offered again, so an app that already scanned it still works.
    expect(wrong.body).toContain(/id="secret">([A-Z2-7 ]+)</.exec(page.body)![1]);
    const done = await browser.post("/staff/sign-in/authenticator", {
      _csrf: csrfFrom(page.body),
      code: totpCode(key, clock),
    });
    expect(done.statusCode).toBe(200);
    // The key and the codes are secrets: no cache keeps them.
    expect(done.headers["cache-control"]).toBe("no-store");
    expect(page.headers["cache-control"]).toBe("no-store");
    const codes = [...done.body.matchAll(/<li>([a-z2-7]{5}-[a-z2-7]{5})<\/li>/g)].map((match) => match[1]);
    expect(codes).toHaveLength(10);
    expect((await browser.get("/staff/reports")).statusCode).toBe(200);
    const account = await browser.get("/staff/account");
    expect(account.body).toContain("Set up; 10 recovery codes left");
  });

  it("lets an administrator see accounts with their last sign-in, and each account's history", async () => {
    const admin = new Browser(t.app);
    await admin.signIn("ada");
    const list = await admin.get("/staff/users");
    expect(list.body).toContain('href="/staff/users/olivia"');
    expect(list.body).toContain("Password and app");
    const page = await admin.get("/staff/users/nell");
    expect(page.body).toContain("Authenticator app set up");
    expect(page.body).toContain("Account created");
  });

  it("deactivation ends a live session and an API token at the very next request, and is in the history", async () => {
    const officer = new Browser(t.app);
    await officer.signIn("olivia");
    expect((await officer.get("/staff/requests")).statusCode).toBe(200);
    const token = (await createApiToken(t.handle.db, { username: "olivia" }, clock)).token;
    const bearer = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ url: "/api/v1/me", headers: bearer })).statusCode).toBe(200);

    const admin = new Browser(t.app);
    await admin.signIn("ada");
    const page = await admin.get("/staff/users/olivia");
    const done = await admin.post("/staff/users/olivia/deactivate", { _csrf: csrfFrom(page.body) });
    expect(done.headers.location).toBe("/staff/users/olivia?done=deactivated");

    expect((await officer.get("/staff/requests")).headers.location).toMatch(/^\/staff\/sign-in/);
    expect((await t.app.inject({ url: "/api/v1/me", headers: bearer })).statusCode).toBe(401);
    const after = await admin.get("/staff/users/olivia?done=deactivated");
    expect(after.body).toContain("Olivia Officer was deactivated");
    expect(after.body).toMatch(/Deactivated[\s\S]*1 API token revoked[\s\S]*Ada Admin/);
    expect((await officer.signIn("olivia")).statusCode).toBe(422);
  });

  it("lets an administrator change a role and require a new password, and refuses an officer", async () => {
    const admin = new Browser(t.app);
    await admin.signIn("ada");
    const page = await admin.get("/staff/users/nell");
    const csrf = csrfFrom(page.body);
    const bad = await admin.post("/staff/users/nell/role", { _csrf: csrf, role: "wizard" });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("A role must be one of");
    expect((await admin.post("/staff/users/nell/role", { _csrf: csrf, role: "approver" })).statusCode).toBe(
      303,
    );
    expect((await admin.post("/staff/users/nell/reset-password", { _csrf: csrf })).statusCode).toBe(303);
    const history = await admin.get("/staff/users/nell");
    expect(history.body).toContain("Information-rights manager to Approver");
    expect(history.body).toContain("Password reset required");

    clock = new Date(clock.getTime() + 60_000);
    const nell = new Browser(t.app);
    const first = await nell.signIn("nell");
    expect(first.headers.location).toBe("/staff/sign-in/code");

    await addStaff(t.handle, { username: "otto", name: "Otto", role: "officer" });
    const officer = new Browser(t.app);
    await officer.signIn("otto");
    const refused = await officer.post("/staff/users/nell/deactivate", { _csrf: await officer.csrfToken() });
    expect(refused.statusCode).toBe(403);
  });
});
