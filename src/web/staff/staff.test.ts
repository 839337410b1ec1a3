import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../db/testing.ts";
import { memoryFileStore } from "../../storage/index.ts";
import { pendingSignInMs, sessionLifetimeMs, signInThrottle, totpCode } from "../../users/index.ts";
import { buildApp } from "../app.ts";
import { webConfigFromEnv } from "../config.ts";
import { addStaff, Browser, csrfFrom, openTestApp, staffTotpSecrets, type TestApp } from "../testing.ts";

describe.each(testBackends())("the back office on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(backend);
    await addStaff(t.handle, {
      username: "olivia",
      name: "Olivia Officer",
      role: "officer",
      team: "Information Rights",
    });
    await addStaff(t.handle, { username: "ada", name: "Ada Admin", role: "admin" });
  });
  afterAll(async () => t?.close());

  describe("signing in", () => {
    it("shows a GOV.UK sign-in form carrying a CSRF token", async () => {
      const page = await new Browser(t.app).get("/staff/sign-in");
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("<title>Sign in – FOI casework</title>");
      expect(page.body).toMatch(/<input[^>]*name="_csrf" value="[A-Za-z0-9_-]{43}"/);
      expect(page.body).toMatch(/<label class="govuk-label" for="username">\s*Username/);
      expect(page.body).toContain('autocomplete="current-password"');
    });

    it("signs in with the right password and sets a session cookie only the server can read", async () => {
      const browser = new Browser(t.app);
      const response = await browser.signIn("olivia");
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe("/staff");
      const setCookie = ([] as string[]).concat(response.headers["set-cookie"] ?? []);
      const session = setCookie.find((cookie) => cookie.startsWith("foidesk_session="))!;
      expect(session).toMatch(/; HttpOnly/);
      expect(session).toMatch(/; SameSite=Lax/);
      expect(session).toMatch(/; Path=\/staff/);
      expect(session).not.toMatch(/; Secure/); // plain HTTP here; see the TLS case below
    });

    it("marks the session cookie Secure when the service is behind TLS", async () => {
      const secure = buildApp({
        db: t.handle.db,
        files: memoryFileStore(),
        config: { baseUrl: "https://foi.example.gov.uk" },
        logger: false,
      });
      const response = await new Browser(secure).signIn("olivia");
      const session = ([] as string[])
        .concat(response.headers["set-cookie"] ?? [])
        .find((cookie) => cookie.startsWith("foidesk_session="))!;
      expect(session).toMatch(/; Secure/);
      await secure.close();
    });

    it("gives the session cookie its lifetime in seconds, not a date, so a browser whose clock differs keeps it", async () => {
      // The app's clock years behind the browser's: a session cookie with an Expires date would arrive expired.
      const now = new Date("2019-11-05T09:30:00Z");
      const elsewhen = buildApp({
        db: t.handle.db,
        files: memoryFileStore(),
        config: { baseUrl: "http://localhost:3000" },
        now: () => now,
        logger: false,
      });
      const sessionCookieOf = (response: { headers: Record<string, unknown> }) =>
        ([] as string[])
          .concat((response.headers["set-cookie"] as string | string[] | undefined) ?? [])
          .find((cookie) => cookie.startsWith("foidesk_session="))!;
      const signedIn = sessionCookieOf(await new Browser(elsewhen).signIn("olivia"));
      expect(signedIn).toContain(`; Max-Age=${sessionLifetimeMs / 1000};`);
      expect(signedIn).not.toMatch(/Expires=/i);

      // A manager's password alone: the sign-in waits for the code, for as long as that step lasts.
      const browser = new Browser(elsewhen);
      const form = await browser.get("/staff/sign-in");
      // The sign-in form's own cookie lasts an hour the same way.
      expect(form.headers["set-cookie"]).toMatch(
        /^foidesk_signin=[^;]+; Max-Age=3600; Path=\/staff; HttpOnly; SameSite=Lax$/,
      );
      const password = await browser.post("/staff/sign-in", {
        _csrf: csrfFrom(form.body),
        username: "ada",
        password: "ada-password-1",
      });
      expect(password.headers.location).toMatch(/^\/staff\/sign-in\/code/);
      const pending = sessionCookieOf(password);
      expect(pending).toContain(`; Max-Age=${pendingSignInMs / 1000};`);
      expect(pending).not.toMatch(/Expires=/i);
      await elsewhen.close();
    });

    it("after signing in, shows the person's name and role and the navigation their role allows", async () => {
      const browser = new Browser(t.app);
      await browser.signIn("olivia");
      const page = await browser.get("/staff/somewhere-unknown");
      expect(page.body).toContain("Olivia Officer");
      expect(page.body).toContain("(Case officer)");
      expect(page.body).toContain('href="/staff/requests"');
      expect(page.body).toContain("Log a request");
      expect(page.body).not.toContain('href="/staff/users"');
      expect(page.body).toContain(">Sign out</button>");
    });

    it("refuses a wrong password, keeps the username typed, and links the message to the field", async () => {
      const browser = new Browser(t.app);
      const response = await browser.signIn("olivia", "not-the-password");
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain("<title>Error: Sign in – FOI casework</title>");
      expect(response.body).toMatch(
        /govuk-error-summary[\s\S]*<a href="#username">Enter a correct username and password<\/a>/,
      );
      expect(response.body).toMatch(/<input[^>]*id="username"[^>]*value="olivia"/);
      expect(response.body).not.toContain("not-the-password");
      expect(browser.cookies.has("foidesk_session")).toBe(false);
    });

    it("names each missing field", async () => {
      const browser = new Browser(t.app);
      const page = await browser.get("/staff/sign-in");
      const response = await browser.post("/staff/sign-in", { _csrf: csrfFrom(page.body), username: "  " });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('<a href="#username">Enter your username</a>');
      expect(response.body).toContain('<a href="#password">Enter your password</a>');
      expect(response.body).toMatch(/id="password-error"[\s\S]*Enter your password/);
    });

    it(`slows guessing after ${signInThrottle.accountAddress.free} failures with a clear message (429)`, async () => {
      await addStaff(t.handle, { username: "gemma", name: "Gemma", role: "officer" });
      const browser = new Browser(t.app);
      for (let attempt = 0; attempt < signInThrottle.accountAddress.free; attempt++) {
        expect((await browser.signIn("gemma", `guess-${attempt}`)).statusCode).toBe(422);
      }
      const blocked = await browser.signIn("gemma"); // even the right password
      expect(blocked.statusCode).toBe(429);
      expect(blocked.body).toMatch(
        /You have tried to sign in too many times\. Wait \d+ seconds, then try again\./,
      );
      expect(browser.cookies.has("foidesk_session")).toBe(false);
    });

    it("goes back to the page that asked for sign-in, but never to another site", async () => {
      const browser = new Browser(t.app);
      const asked = await browser.get("/staff/users");
      expect(asked.statusCode).toBe(303);
      expect(asked.headers.location).toBe("/staff/sign-in?next=%2Fstaff%2Fusers");
      const form = await browser.get(asked.headers.location as string);
      expect(form.body).toContain('name="next" value="/staff/users"');
      const response = await browser.post("/staff/sign-in", {
        _csrf: csrfFrom(form.body),
        username: "ada",
        password: "ada-password-1",
        next: "/staff/users",
      });
      // An administrator types the code from their app next; the page they asked for is kept.
      expect(response.headers.location).toBe("/staff/sign-in/code?next=%2Fstaff%2Fusers");

      for (const next of ["https://evil.example/", "//evil.example/staff", "/staffing", "/\\evil.example"]) {
        const other = new Browser(t.app);
        const page = await other.get("/staff/sign-in");
        const away = await other.post("/staff/sign-in", {
          _csrf: csrfFrom(page.body),
          username: "ada",
          password: "ada-password-1",
          next,
        });
        expect(away.headers.location, next).toBe("/staff/sign-in/code?next=%2Fstaff");
      }
    });
  });

  describe("CSRF protection", () => {
    it("refuses a sign-in form that did not come from our page", async () => {
      const browser = new Browser(t.app);
      await browser.get("/staff/sign-in");
      const response = await browser.post("/staff/sign-in", {
        username: "olivia",
        password: "olivia-password-1",
      });
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain("This form could not be sent");
      expect(browser.cookies.has("foidesk_session")).toBe(false);
    });

    it("refuses a signed-in POST without the session's token, and changes nothing", async () => {
      const browser = new Browser(t.app);
      await browser.signIn("olivia");
      const forged = await browser.post("/staff/sign-out", {});
      expect(forged.statusCode).toBe(403);
      const wrong = await browser.post("/staff/sign-out", { _csrf: "A".repeat(43) });
      expect(wrong.statusCode).toBe(403);
      // Still signed in.
      const page = await browser.get("/staff/somewhere-unknown");
      expect(page.body).toContain("Olivia Officer");
    });
  });

  describe("signing out", () => {
    it("ends the session: the old cookie no longer signs anyone in", async () => {
      const browser = new Browser(t.app);
      await browser.signIn("olivia");
      const oldSession = browser.cookies.get("foidesk_session")!;
      const response = await browser.post("/staff/sign-out", { _csrf: await browser.csrfToken() });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe("/staff/sign-in?signedOut=1");
      expect(browser.cookies.has("foidesk_session")).toBe(false);
      expect((await browser.get("/staff/sign-in?signedOut=1")).body).toContain("You have signed out.");

      const replay = await t.app.inject({
        url: "/staff/users",
        headers: { cookie: `foidesk_session=${oldSession}` },
      });
      expect(replay.statusCode).toBe(303);
      expect(replay.headers.location).toMatch(/^\/staff\/sign-in/);
    });
  });

  describe("sessions that end", () => {
    let clock = new Date("2026-11-26T10:00:00Z");
    const wait = (minutes: number) => {
      clock = new Date(clock.getTime() + minutes * 60_000);
    };
    const apps: ReturnType<typeof buildApp>[] = [];
    const appWith = (env: NodeJS.ProcessEnv = {}) => {
      const app = buildApp({
        db: t.handle.db,
        files: memoryFileStore(),
        config: webConfigFromEnv(env, 3000),
        now: () => clock,
        logger: false,
      });
      apps.push(app);
      return app;
    };
    afterAll(async () => {
      for (const app of apps) await app.close();
    });

    it("stay open while in use, then after 30 minutes idle say why and go back to the page", async () => {
      const browser = new Browser(appWith());
      await browser.signIn("ada");
      for (let use = 0; use < 4; use++) {
        wait(29);
        expect((await browser.get("/staff/users")).statusCode).toBe(200);
      }
      wait(30);
      const asked = await browser.get("/staff/users");
      expect(asked.statusCode).toBe(303);
      expect(asked.headers.location).toBe("/staff/sign-in?next=%2Fstaff%2Fusers&timedOut=1");
      expect(browser.cookies.has("foidesk_session")).toBe(false);
      const page = await browser.get(asked.headers.location as string);
      expect(page.body).toContain("You were signed out because you had not used the service for 30 minutes");
      expect(page.body).toContain("Sign in again to go back to the page you were on.");
      expect(page.body).toContain('name="next" value="/staff/users"');
      const back = await browser.post("/staff/sign-in", {
        _csrf: csrfFrom(page.body),
        username: "ada",
        password: "ada-password-1",
        next: "/staff/users",
      });
      // The code from the app comes next, and the page asked for is kept through it.
      expect(back.headers.location).toBe("/staff/sign-in/code?next=%2Fstaff%2Fusers");
      const codePage = await browser.get(back.headers.location as string);
      const coded = await browser.post("/staff/sign-in/code", {
        _csrf: csrfFrom(codePage.body),
        code: totpCode(staffTotpSecrets.ada!, clock),
        next: "/staff/users",
      });
      expect(coded.headers.location).toBe("/staff/users");
      expect((await browser.get("/staff/users")).statusCode).toBe(200);
    });

    it("end after SESSION_IDLE_MINUTES when it is set, and refuse a value that is not minutes", async () => {
      const browser = new Browser(appWith({ SESSION_IDLE_MINUTES: "5" }));
      await browser.signIn("olivia");
      wait(4);
      expect((await browser.get("/staff/somewhere-unknown")).body).toContain("Olivia Officer");
      wait(5);
      const asked = await browser.get("/staff/requests");
      expect(asked.headers.location).toBe("/staff/sign-in?next=%2Fstaff%2Frequests&timedOut=1");
      const page = await browser.get(asked.headers.location as string);
      expect(page.body).toContain("had not used the service for 5 minutes");

      for (const value of ["half an hour", "0", "721", "-5", "1.5"]) {
        expect(() => webConfigFromEnv({ SESSION_IDLE_MINUTES: value }, 3000), value).toThrow(
          expect.objectContaining({
            field: "SESSION_IDLE_MINUTES",
            message: expect.stringContaining(`"${value}"`),
          }),
        );
      }
    });

    it("end 12 hours after signing in however busy, without the idle message", async () => {
      const browser = new Browser(appWith());
      await browser.signIn("olivia");
      for (let used = 0; used + 20 < sessionLifetimeMs / 60_000; used += 20) {
        wait(20);
        expect((await browser.get("/staff/somewhere-unknown")).body).toContain("Olivia Officer");
      }
      wait(20);
      const asked = await browser.get("/staff/requests");
      expect(asked.headers.location).toBe("/staff/sign-in?next=%2Fstaff%2Frequests");
      expect((await browser.get(asked.headers.location as string)).body).not.toContain("You were signed out");
    });
  });

  describe("roles, enforced on the server", () => {
    it("sends someone not signed in to the sign-in page", async () => {
      const response = await t.app.inject("/staff/users");
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe("/staff/sign-in?next=%2Fstaff%2Fusers");
    });

    it("refuses an officer the administrators' page (403), even typed in directly", async () => {
      const browser = new Browser(t.app);
      await browser.signIn("olivia");
      const response = await browser.get("/staff/users");
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain("You do not have permission to do this");
      expect(response.body).toContain(
        "Only an administrator can do this. You are signed in as a case officer.",
      );
      expect(response.body).not.toContain("Ada Admin");
    });

    it("shows an administrator the staff list", async () => {
      const browser = new Browser(t.app);
      await browser.signIn("ada");
      const response = await browser.get("/staff/users");
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain("Olivia Officer");
      expect(response.body).toContain("Information Rights");
      expect(response.body).toMatch(/aria-current="page">\s*<strong[^>]*>Users</);
    });

    it("opens the back office on the work queue", async () => {
      const browser = new Browser(t.app);
      await browser.signIn("olivia");
      const home = await browser.get("/staff");
      expect(home.statusCode).toBe(303);
      expect(home.headers.location).toBe("/staff/requests");
    });
  });

  describe("logs", () => {
    it("never hold a password, a session token or a cookie", async () => {
      const browser = new Browser(t.app);
      await browser.signIn("olivia");
      await browser.get("/staff/users");
      const session = browser.cookies.get("foidesk_session")!;
      const text = t.logs.join("\n");
      expect(text).not.toContain("olivia-password-1");
      expect(text).not.toContain(session);
      expect(text).not.toContain("foidesk_session=");
      expect(text).not.toContain("_csrf");
    });
  });
});
