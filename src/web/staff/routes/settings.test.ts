import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authoritySettings, updateAuthoritySettings } from "../../../authority/index.ts";
import { testBackends } from "../../../db/testing.ts";
import { addStaff, Browser, csrfFrom, openTestApp, type TestApp } from "../../testing.ts";

// The back office's settings page: a manager chooses the team new requests join.

describe.each(testBackends())("the settings page on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(backend);
    await updateAuthoritySettings(t.handle.db, { name: "Westmarch Constabulary" }, t.app.now());
    await addStaff(t.handle, {
      username: "mina",
      name: "Mina Manager",
      role: "manager",
      team: "Information Rights",
    });
    await addStaff(t.handle, { username: "olu", name: "Olu Officer", role: "officer", team: "Complaints" });
  });
  afterAll(async () => t?.close());

  it("lets a manager choose the intake team from the teams, and says it was saved", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const page = await manager.get("/staff/settings");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Which team receives new requests?");
    expect(page.body).toMatch(/<input[^>]*id="intakeTeam"[^>]*value="Complaints"/);
    expect(page.body).toMatch(/<input[^>]*value=""[^>]*checked/);
    expect(page.body).toMatch(/aria-current="page">\s*<strong[^>]*>Settings</);

    const saved = await manager.post("/staff/settings", {
      _csrf: csrfFrom(page.body),
      intakeTeam: "Information Rights",
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe("/staff/settings?done=saved");
    const after = await manager.get("/staff/settings?done=saved");
    expect(after.body).toContain("Settings saved");
    expect(after.body).toMatch(/<input[^>]*value="Information Rights"[^>]*checked/);
    expect((await authoritySettings(t.handle.db)).intakeTeam).toBe("Information Rights");
  });

  it("refuses a team that does not exist, naming the field, and changes nothing", async () => {
    const manager = new Browser(t.app);
    await manager.signIn("mina");
    const response = await manager.post("/staff/settings", {
      _csrf: await manager.csrfToken(),
      intakeTeam: "Nobody's Team",
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toMatch(/<a href="#intakeTeam">There is no team called Nobody&#39;s Team\./);
    expect((await authoritySettings(t.handle.db)).intakeTeam).toBe("Information Rights");
  });

  it("is a manager's or an administrator's: an officer is refused", async () => {
    const officer = new Browser(t.app);
    await officer.signIn("olu");
    expect((await officer.get("/staff/settings")).statusCode).toBe(403);
    const post = await officer.post("/staff/settings", { _csrf: await officer.csrfToken(), intakeTeam: "" });
    expect(post.statusCode).toBe(403);
    expect((await authoritySettings(t.handle.db)).intakeTeam).toBe("Information Rights");
    expect((await officer.get("/staff/requests")).body).not.toContain('href="/staff/settings"');
  });
});
