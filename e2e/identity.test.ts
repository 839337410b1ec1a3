import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TOTP_SECRET } from "../src/demo/index.ts";
import { createApiToken, totpCode } from "../src/users/index.ts";
import { startTestProvider, type TestProvider } from "../src/users/oidc-test-provider.ts";
import {
  type AxeFinding,
  axeViolations,
  chromiumAvailable,
  launchChromium,
  neutralSite,
  type RunningSite,
  signInAsDemo,
  startSite,
  tuesdayInTermTime,
} from "./support.ts";

// Staff sign-in in Chromium (issue 16, "done when"): single sign-on through a real OpenID Connect provider
// (oidc-provider on a loopback port), a password and a code from an authenticator app, and an administrator's
// deactivation ending a live session and an API token at their next request.

describe.skipIf(!chromiumAvailable)("staff sign-in in Chromium", () => {
  let site: RunningSite;
  let neutral: Awaited<ReturnType<typeof neutralSite>>;
  let provider: TestProvider;
  let browser: Browser;

  beforeAll(async () => {
    neutral = await neutralSite();
    site = await startSite({
      quickExitUrl: `${neutral.origin}/weather`,
      now: tuesdayInTermTime,
      demo: true,
      config: async (origin) => {
        // The provider dates its ID tokens by the real clock, and openid-client checks them by it: not the site's.
        provider = await startTestProvider(origin, {
          "entra-7f3a": {
            name: "Sam Sign-on",
            email: "sam.signon@westmarch.example",
            preferred_username: "sam.signon@westmarch.example",
            groups: ["foi-officers"],
          },
        });
        return {
          sso: {
            issuer: provider.issuer,
            clientId: provider.clientId,
            clientSecret: provider.clientSecret,
            roleMap: { "foi-officers": "officer", "foi-managers": "manager" },
            scopes: "openid email profile groups",
            label: "Westmarch account",
          },
        };
      },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await provider?.close();
    await neutral?.close();
  });

  it("signs in with single sign-on end to end, and signs out there too", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const findings: AxeFinding[] = [];
    await page.goto(`${site.origin}/staff/requests`);
    await page.waitForURL(/\/staff\/sign-in\?next=/);
    findings.push(...(await axeViolations(page, "sign-in, with single sign-on")));
    await page.click('a:has-text("Sign in with Westmarch account")');
    await page.waitForURL(new RegExp(`^${provider.issuer}/interaction/`));
    await page.selectOption("#login", "entra-7f3a");
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${site.origin}/staff/requests`);
    expect(await page.textContent(".app-signed-in")).toContain("Sam Sign-on");
    await page.click('button:has-text("Sign out")');
    // The provider asks whether to sign out there too, then sends the person back.
    await page.waitForURL(new RegExp(`^${provider.issuer}/`));
    await page.click('button:has-text("Yes, sign me out")');
    await page.waitForURL(`${site.origin}/staff/sign-in?signedOut=1`);
    expect(await page.textContent("main")).toContain("You have signed out.");
    await page.goto(`${site.origin}/staff/requests`);
    await page.waitForURL(/\/staff\/sign-in/);
    expect(findings).toEqual([]);
    await context.close();
  });

  it("signs a manager in with a password and a code from the authenticator app", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.origin}/staff/reports`);
    await page.fill("#username", "manager");
    await page.fill("#password", "foidesk-demo");
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(/\/staff\/sign-in\/code\?next=%2Fstaff%2Freports$/);
    const findings = await axeViolations(page, "sign-in: the code");
    await page.fill("#code", "000000");
    await page.click('button:has-text("Continue")');
    expect(await page.textContent(".govuk-error-summary")).toContain("The code is not right");
    await signInAsDemoCode(page);
    await page.waitForURL(`${site.origin}/staff/reports`);
    expect(await page.textContent(".app-signed-in")).toContain("Mina Hughes");
    expect(findings).toEqual([]);
    await context.close();
  });

  it("ends a live session and an API token at the next request when an administrator deactivates the account", async () => {
    const officerContext = await browser.newContext();
    const officer = await officerContext.newPage();
    await officer.goto(`${site.origin}/staff/sign-in`);
    await signInAsDemo(officer, "oscar", tuesdayInTermTime);
    await officer.waitForURL(`${site.origin}/staff/requests`);
    const token = (await createApiToken(site.t.handle.db, { username: "oscar" }, tuesdayInTermTime)).token;
    const me = () => fetch(`${site.origin}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me()).status).toBe(200);

    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await admin.goto(`${site.origin}/staff/users`);
    await signInAsDemo(admin, "admin", tuesdayInTermTime);
    await admin.waitForURL(`${site.origin}/staff/users`);
    const findings = await axeViolations(admin, "users");
    await admin.click('a:has-text("Oscar Nwosu")');
    findings.push(...(await axeViolations(admin, "a user")));
    await admin.click('button:has-text("Deactivate")');
    await admin.waitForURL(/\?done=deactivated$/);
    expect(await admin.textContent(".govuk-notification-banner")).toContain("Oscar Nwosu was deactivated");

    await officer.reload();
    await officer.waitForURL(/\/staff\/sign-in/);
    expect((await me()).status).toBe(401);
    expect(findings).toEqual([]);
    await officerContext.close();
    await adminContext.close();
  });

  /** Types the code the demo's authenticator shows at the site's time on the code page. */
  async function signInAsDemoCode(page: Page) {
    await page.fill("#code", totpCode(DEMO_TOTP_SECRET, tuesdayInTermTime));
    await page.click('button:has-text("Continue")');
  }
});
