import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../db/testing.ts";
import { accountHistory, roleFromClaims } from "../../users/index.ts";
import { signInAtProvider, startTestProvider, type TestProvider } from "../../users/testing.ts";
import { webConfigFromEnv } from "../config.ts";
import { Browser, openTestApp, type TestApp } from "../testing.ts";

// Single sign-on against a real OpenID Connect provider (oidc-provider) on a loopback port: the code flow with
// PKCE, groups mapped to roles, accounts made at the first sign-in, and signing out at the provider too.

const baseUrl = "http://localhost:3000";

describe.each(testBackends())("single sign-on on $name", (backend) => {
  let t: TestApp;
  // The app's clock (the provider keeps its own): fixed, moved on where a test needs time to pass.
  let clock = new Date("2031-05-06T09:00:00Z");
  let provider: TestProvider;
  beforeAll(async () => {
    provider = await startTestProvider(baseUrl, {
      "sub-mina": {
        name: "Mina Hughes",
        email: "mina.hughes@westmarch.example",
        preferred_username: "mina.hughes@westmarch.example",
        groups: ["foi-managers", "all-staff"],
      },
      "sub-olu": {
        name: "Olu Bello",
        email: "olu@westmarch.example",
        preferred_username: "olu@westmarch.example",
        groups: ["foi-officers"],
      },
      "sub-pat": {
        name: "Pat Visitor",
        email: "pat@westmarch.example",
        preferred_username: "pat@westmarch.example",
        groups: ["all-staff"],
      },
    });
    t = await openTestApp(backend, {
      now: () => clock,
      config: {
        baseUrl,
        sso: {
          issuer: provider.issuer,
          clientId: provider.clientId,
          clientSecret: provider.clientSecret,
          roleMap: { "foi-managers": "manager", "foi-officers": "officer" },
          scopes: "openid email profile groups",
          label: "Westmarch account",
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  /** Signs `sub` in through the provider; the response to the callback. */
  async function ssoSignIn(browser: Browser, sub: string, next?: string) {
    const page = await browser.get("/staff/sign-in");
    expect(page.body).toContain("Sign in with Westmarch account");
    const start = await browser.get(`/staff/sign-in/sso${next ? `?next=${encodeURIComponent(next)}` : ""}`);
    expect(start.statusCode).toBe(303);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.origin).toBe(provider.issuer);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    const callback = await signInAtProvider(authorize.href, baseUrl, sub);
    return browser.get(callback.slice(baseUrl.length));
  }

  it("signs a manager in, making their account with the role their group gives, and goes to the page asked for", async () => {
    const browser = new Browser(t.app);
    const back = await ssoSignIn(browser, "sub-mina", "/staff/reports");
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe("/staff/reports");
    const reports = await browser.get("/staff/reports");
    expect(reports.statusCode).toBe(200);
    expect(reports.body).toContain("Mina Hughes");
    const { user, events } = await accountHistory(t.handle.db, "mina.hughes");
    expect(user).toMatchObject({ role: "manager", sso: true, email: "mina.hughes@westmarch.example" });
    expect(events.map((event) => event.kind)).toEqual(["signed-in", "created"]);
  });

  it("follows the provider's groups at each sign-in", async () => {
    provider.accounts["sub-olu"]!.groups = ["foi-officers"];
    await ssoSignIn(new Browser(t.app), "sub-olu");
    expect((await accountHistory(t.handle.db, "olu")).user.role).toBe("officer");
    provider.accounts["sub-olu"]!.groups = ["foi-officers", "foi-managers"];
    const browser = new Browser(t.app);
    await ssoSignIn(browser, "sub-olu");
    const { user, events } = await accountHistory(t.handle.db, "olu");
    expect(user.role).toBe("manager");
    expect(events[1]).toMatchObject({ kind: "role-changed", actorLabel: "single sign-on" });
  });

  it("refuses someone in no group that maps to a role, and makes no account", async () => {
    const response = await ssoSignIn(new Browser(t.app), "sub-pat");
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain("not in a group that may use this service");
    await expect(accountHistory(t.handle.db, "pat")).rejects.toMatchObject({ code: "not-found" });
  });

  it("refuses a callback that was not started here (state and PKCE verifier are kept per browser)", async () => {
    const browser = new Browser(t.app);
    const start = await browser.get("/staff/sign-in/sso");
    const callback = await signInAtProvider(start.headers.location as string, baseUrl, "sub-mina");
    const stranger = new Browser(t.app);
    const response = await stranger.get(callback.slice(baseUrl.length));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^\/staff\/sign-in/);
    expect(stranger.cookies.has("foidesk_session")).toBe(false);
  });

  it("refuses a callback whose cookie was changed, and the same callback with the cookie as sealed signs in", async () => {
    const browser = new Browser(t.app);
    const start = await browser.get("/staff/sign-in/sso?next=/staff/reports");
    const sealed = browser.cookies.get("foidesk_sso")!;
    // Neither the state, the nonce nor the PKCE verifier can be read from the cookie.
    const authorize = new URL(start.headers.location as string);
    for (const decoded of [
      decodeURIComponent(sealed),
      Buffer.from(decodeURIComponent(sealed), "base64url").toString(),
    ])
      expect(decoded).not.toContain(authorize.searchParams.get("state")!);
    const callback = (await signInAtProvider(authorize.href, baseUrl, "sub-mina")).slice(baseUrl.length);
    const value = decodeURIComponent(sealed);
    const at = value.length - 10;
    const changed = value.slice(0, at) + (value[at] === "A" ? "B" : "A") + value.slice(at + 1);
    // A cookie in the readable form a forger could write, carrying a state of their choosing.
    const forged = Buffer.from(
      JSON.stringify({
        state: authorize.searchParams.get("state"),
        nonce: authorize.searchParams.get("nonce"),
        verifier: "x".repeat(43),
        next: "/staff/users",
      }),
    ).toString("base64url");
    for (const cookie of [changed, forged]) {
      browser.cookies.set("foidesk_sso", encodeURIComponent(cookie));
      const refused = await browser.get(callback);
      expect(refused.statusCode).toBe(303);
      expect(refused.headers.location).toMatch(/^\/staff\/sign-in/);
      expect(browser.cookies.has("foidesk_session")).toBe(false);
    }
    // The code was never exchanged: with the cookie as it was sealed, the same callback completes.
    browser.cookies.set("foidesk_sso", sealed);
    const signedIn = await browser.get(callback);
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe("/staff/reports");
    expect(browser.cookies.has("foidesk_session")).toBe(true);
  });

  it("refuses a callback more than ten minutes after sign-in began, even with the sealed cookie", async () => {
    const browser = new Browser(t.app);
    const start = await browser.get("/staff/sign-in/sso");
    const callback = await signInAtProvider(start.headers.location as string, baseUrl, "sub-mina");
    const began = clock;
    clock = new Date(began.getTime() + 11 * 60 * 1000);
    try {
      // The browser would have dropped the cookie by now; one kept past its age must not work either.
      const response = await t.app.inject({
        method: "GET",
        url: callback.slice(baseUrl.length),
        headers: { cookie: `foidesk_sso=${start.cookies.find((c) => c.name === "foidesk_sso")!.value}` },
      });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toMatch(/^\/staff\/sign-in/);
      expect(response.headers["set-cookie"] ?? "").not.toContain("foidesk_session=");
    } finally {
      clock = began;
    }
  });

  it("signs out here and at the provider", async () => {
    const browser = new Browser(t.app);
    await ssoSignIn(browser, "sub-mina");
    const out = await browser.post("/staff/sign-out", { _csrf: await browser.csrfToken() });
    expect(out.statusCode).toBe(303);
    const there = new URL(out.headers.location as string);
    expect(there.origin).toBe(provider.issuer);
    expect(there.searchParams.get("post_logout_redirect_uri")).toBe(`${baseUrl}/staff/sign-in?signedOut=1`);
    expect(there.searchParams.get("id_token_hint")).toMatch(/^ey/);
    expect((await browser.get("/staff/requests")).statusCode).toBe(303);
  });
});

describe("single sign-on settings", () => {
  const env = {
    OIDC_ISSUER: "https://login.microsoftonline.com/tenant-id/v2.0",
    OIDC_CLIENT_ID: "client",
    OIDC_CLIENT_SECRET: "secret",
    OIDC_ROLE_MAP: "FOI Officers=officer, FOI Managers=manager",
  };

  it("reads the OIDC_* variables, and names the one that is wrong", () => {
    expect(webConfigFromEnv({ ...env, OIDC_ROLES_CLAIM: "roles" }, 3000).sso).toEqual({
      issuer: env.OIDC_ISSUER,
      clientId: "client",
      clientSecret: "secret",
      roleMap: { "FOI Officers": "officer", "FOI Managers": "manager" },
      rolesClaim: "roles",
    });
    expect(webConfigFromEnv({}, 3000).sso).toBeUndefined();
    const wrong = (changes: Record<string, string | undefined>) => () =>
      webConfigFromEnv({ ...env, ...changes }, 3000);
    expect(wrong({ OIDC_CLIENT_SECRET: undefined })).toThrow(
      expect.objectContaining({ field: "OIDC_CLIENT_SECRET" }),
    );
    expect(wrong({ OIDC_ROLE_MAP: "FOI Officers=boss" })).toThrow(
      expect.objectContaining({
        field: "OIDC_ROLE_MAP",
        message: expect.stringContaining('"boss" is not a role'),
      }),
    );
    expect(wrong({ OIDC_ROLE_MAP: "officer" })).toThrow(expect.objectContaining({ field: "OIDC_ROLE_MAP" }));
    expect(wrong({ OIDC_ISSUER: "not a url" })).toThrow(expect.objectContaining({ field: "OIDC_ISSUER" }));
    expect(() => webConfigFromEnv({ SECOND_FACTOR_REQUIRED_FOR: "nobody" }, 3000)).toThrow(
      expect.objectContaining({ field: "SECOND_FACTOR_REQUIRED_FOR" }),
    );
    expect(webConfigFromEnv({ SECOND_FACTOR_REQUIRED_FOR: "everyone" }, 3000).secondFactorFor).toBe(
      "everyone",
    );
  });

  it("gives the most senior role any of the person's groups maps to", () => {
    const map = { a: "officer", b: "manager", c: "approver" } as const;
    expect(roleFromClaims({ sub: "1", groups: ["c", "x", "b"] }, "groups", map)).toBe("manager");
    expect(roleFromClaims({ sub: "1", roles: "a c" }, "roles", map)).toBe("approver");
    expect(roleFromClaims({ sub: "1", groups: ["x"] }, "groups", map)).toBeNull();
    expect(roleFromClaims({ sub: "1" }, "groups", map)).toBeNull();
  });
});
