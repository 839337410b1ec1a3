import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actor, performAction } from "../src/requests/index.ts";
import { answerRequest } from "../src/requests/testing.ts";
import { addTestUser } from "../src/users/testing.ts";
import {
  type AxeFinding,
  axeViolations,
  chromiumAvailable,
  launchChromium,
  neutralSite,
  type RunningSite,
  startSite,
  trackingLinkFor,
  tuesdayInTermTime,
} from "./support.ts";

// The public website as people use it: accessibility (axe-core, WCAG 2.2 A/AA) on every page and state, a
// request made with the keyboard alone, the quick exit, and the whole journey with JavaScript turned off.

interface Answers {
  kind: "foi" | "eir" | "sar";
  description: string;
  name: string;
  email?: string;
  address?: string;
}

const zoe: Answers = {
  kind: "foi",
  description: "How many stop and search encounters were there in 2024?\n1. By month\n2. By outcome",
  name: "Zoë Requester",
  email: "zoe@example.org",
};

/** Makes a request with ordinary clicks and typing; stops at the check page unless `send`. */
async function makeRequest(page: Page, origin: string, answers: Answers, send = true): Promise<string> {
  await page.goto(`${origin}/request`);
  await page.check(`input[name="kind"][value="${answers.kind}"]`);
  await page.click('button:has-text("Continue")');
  await page.fill("#description", answers.description);
  await page.click('button:has-text("Continue")');
  if (answers.kind !== "sar") {
    await page.check('input[name="format"][value="electronic"]');
    await page.click('button:has-text("Continue")');
  }
  await page.fill("#name", answers.name);
  await page.click('button:has-text("Continue")');
  await page.fill("#email", answers.email ?? "");
  await page.fill("#address", answers.address ?? "");
  await page.click('button:has-text("Continue")');
  if (answers.kind !== "sar") await page.click('button:has-text("Continue")'); // about you: optional
  await page.waitForURL(/\/check$/);
  if (!send) return "";
  await page.click('button:has-text("Send request")');
  await page.waitForURL(/\/request\/sent$/);
  return (await page.textContent(".app-reference"))?.trim() ?? "";
}

describe.skipIf(!chromiumAvailable)("the public website in Chromium", () => {
  let site: RunningSite;
  let neutral: Awaited<ReturnType<typeof neutralSite>>;
  let browser: Browser;
  let officer: Actor;

  beforeAll(async () => {
    neutral = await neutralSite();
    site = await startSite({ quickExitUrl: `${neutral.origin}/weather`, now: tuesdayInTermTime });
    browser = await launchChromium();
    const user = await addTestUser(
      site.t.handle.db,
      { username: "olu", name: "Olu Officer", role: "officer" },
      tuesdayInTermTime,
    );
    officer = { userId: user.id, label: user.name, role: "officer" };
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await neutral?.close();
  });

  async function newPage(
    options: Parameters<Browser["newContext"]>[0] = {},
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext(options);
    return { context, page: await context.newPage() };
  }

  /** Moves the request to "responded", as staff would, so the tracking page offers an internal review. */
  async function reply(reference: string): Promise<void> {
    const row = await site.t.handle.db
      .selectFrom("requests")
      .select(["id", "version"])
      .where("reference", "=", reference)
      .executeTakeFirstOrThrow();
    // Acknowledged by email when it was made on the form: work starts from there.
    const action = { type: "start-work" };
    const version = (
      await performAction(site.t.handle.db, row.id, action, row.version, officer, tuesdayInTermTime)
    ).version;
    // Answered the only way the law allows: a reply drafted and sent.
    await answerRequest(site.t.handle.db, row.id, version, { officer }, tuesdayInTermTime);
  }

  it("axe-core finds no WCAG 2.2 A or AA violation on any public page or state", async () => {
    const { context, page } = await newPage();
    const origin = site.origin;
    const findings: AxeFinding[] = [];
    const checked: string[] = [];
    const check = async (label: string) => {
      checked.push(label);
      findings.push(...(await axeViolations(page, label)));
    };
    const continueButton = 'button:has-text("Continue")';

    await page.goto(`${origin}/`);
    expect(await page.isVisible(".govuk-cookie-banner")).toBe(true);
    await check("start page, cookie banner open");
    await page.goto(`${origin}/request`);
    await check("what do you want to ask for: empty");
    await page.click(continueButton);
    await check("what do you want to ask for: error");
    await page.check('input[name="kind"][value="foi"]');
    await page.click(continueButton);
    await check("information: empty");
    await page.click(continueButton);
    await check("information: error");
    await page.fill("#description", zoe.description);
    await page.click(continueButton);
    await check("format: empty");
    await page.check('input[name="format"][value="paper"]');
    await page.click(continueButton);
    await check("name: empty");
    await page.click(continueButton);
    await check("name: error");
    await page.fill("#name", zoe.name);
    await page.click(continueButton);
    await check("contact: empty");
    await page.click(continueButton);
    await check("contact: error (neither address)");
    await page.fill("#email", "zoe at example");
    await page.click(continueButton);
    await check("contact: error (email format)");
    await page.fill("#email", zoe.email!);
    await page.click(continueButton);
    await check("about you: empty");
    await page.fill("#organisation", "x".repeat(201));
    await page.click(continueButton);
    await check("about you: error");
    await page.fill("#organisation", "Westmarch Gazette");
    await page.click(continueButton);
    await check("check your answers");
    await page.click('button:has-text("Send request")');
    await page.waitForURL(/\/request\/sent$/);
    await check("confirmation");
    const reference = (await page.textContent(".app-reference"))!.trim();

    const tracking = await trackingLinkFor(site.t, reference);
    await page.goto(tracking);
    await check("tracking: received");
    await reply(reference);
    await page.goto(tracking);
    await check("tracking: replied, internal review form");
    await page.click('button:has-text("Ask for an internal review")');
    await check("tracking: internal review error");
    await page.fill("#grounds", "You did not search the archive.");
    await page.click('button:has-text("Ask for an internal review")');
    await page.waitForURL(/review=requested/);
    await check("tracking: internal review requested");
    await page.goto(`${tracking.slice(0, -1)}${tracking.endsWith("A") ? "B" : "A"}`);
    await check("tracking: wrong link (404)");

    await makeRequest(page, origin, {
      ...zoe,
      kind: "eir",
      description: "Air quality",
      email: "",
      address: "2 Mill Lane\nWestmarch",
    });
    await check("confirmation for a postal requester (tracking link shown)");
    await page.goto(`${origin}/request/eir/information`);
    await check("environmental information: information (phone)");
    await makeRequest(page, origin, { ...zoe, kind: "sar", description: "My records" }, false);
    await check("subject access: check your answers");

    await page.goto(`${origin}/cookies`);
    await check("cookies page");
    await page.click('button:has-text("Save cookie settings")');
    await check("cookies page: error");
    await page.check('input[name="analytics"][value="no"]');
    await page.click('button:has-text("Save cookie settings")');
    await check("cookies page: saved");

    // A fresh visitor: the banner, then its confirmation after accepting (in place, with JavaScript).
    const fresh = await newPage();
    const freshPage = fresh.page;
    await freshPage.goto(`${origin}/request/foi/information`);
    await freshPage.click('button:has-text("Accept analytics cookies")');
    await freshPage.waitForSelector(".app-cookie-banner__saved:not([hidden])");
    checked.push("cookie banner: preferences saved");
    findings.push(...(await axeViolations(freshPage, "cookie banner: preferences saved")));
    await fresh.context.close();

    await page.goto(`${origin}/feedback`);
    await check("feedback");
    await page.click('button:has-text("Send feedback")');
    await check("feedback: error");
    await page.fill("#comments", "Clear and quick.");
    await page.click('button:has-text("Send feedback")');
    await check("feedback: sent");
    await page.goto(`${origin}/accessibility`);
    await check("accessibility statement");
    await page.goto(`${origin}/no/such/page`);
    await check("page not found (404)");
    await page.goto(`${origin}/e2e/fails`);
    expect(await page.textContent("main")).toContain(
      "Sorry, there was a technical problem. Please try again.",
    );
    await check("technical problem (500)");
    await page.goto(`${origin}/disclosure-log`);
    await check("disclosure log");

    // Small screens too: the same checks at a phone's width.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${origin}/`);
    await check("start page at 375px");
    await page.goto(`${origin}/request/foi/contact`);
    await page.click(continueButton);
    await check("contact error at 375px");

    await context.close();
    console.log(`axe-core: ${checked.length} pages and states checked, ${findings.length} violations`);
    expect(findings).toEqual([]);
    expect(checked.length).toBeGreaterThanOrEqual(30);
  }, 600_000);

  it("a request can be made end to end with the keyboard alone (Tab, Enter, Space and typing)", async () => {
    const { context, page } = await newPage();
    const origin = site.origin;
    /** Presses Tab until `selector` has the focus; the focus must be visible on the way. */
    const tabTo = async (selector: string) => {
      for (let presses = 0; presses < 40; presses++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`))
          return;
      }
      throw new Error(`Tab never reached ${selector} on ${page.url()}`);
    };
    const continueButton = "main button.govuk-button";

    await page.goto(`${origin}/`);
    await tabTo("a.govuk-button--start");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/request$/);

    await tabTo('input[name="kind"]');
    await page.keyboard.press("Space");
    expect(await page.isChecked('input[name="kind"][value="foi"]')).toBe(true);
    await tabTo(continueButton);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/request\/foi\/information$/);

    await tabTo("#description");
    await page.keyboard.type("How many police dogs does the force have?");
    await tabTo(continueButton);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/format$/);

    await tabTo('input[name="format"]');
    await page.keyboard.press("Space");
    await tabTo(continueButton);
    await page.keyboard.press("Space");
    await page.waitForURL(/\/name$/);

    // An error on the way: the summary takes the focus, and its link leads to the field.
    await tabTo(continueButton);
    await page.keyboard.press("Enter");
    await page.waitForSelector(".govuk-error-summary");
    expect(await page.evaluate(`document.activeElement?.classList.contains("govuk-error-summary")`)).toBe(
      true,
    );
    await tabTo('.govuk-error-summary a[href="#name"]');
    await page.keyboard.press("Enter");
    expect(await page.evaluate("document.activeElement?.id")).toBe("name");
    await page.keyboard.type("Kim Keyboard");
    await page.keyboard.press("Enter"); // submits the form from the field
    await page.waitForURL(/\/contact$/);

    await tabTo("#email");
    await page.keyboard.type("kim@example.org");
    await tabTo(continueButton);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/about-you$/);

    await tabTo(continueButton);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/check$/);
    expect(await page.textContent("main")).toContain("How many police dogs does the force have?");

    await tabTo('main form[action$="/check"] button');
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/request\/sent$/);
    const reference = (await page.textContent(".app-reference"))!.trim();
    expect(reference).toMatch(/^01\.FOI\.26\.\d{6}$/); // made in 2026, as the site sees it
    const stored = await site.t.handle.db
      .selectFrom("requests")
      .select(["body", "channel"])
      .where("reference", "=", reference)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ body: "How many police dogs does the force have?", channel: "web" });
    await context.close();
  }, 120_000);

  it("Escape leaves for the neutral site at once, and Back does not return to the page left", async () => {
    const { context, page } = await newPage();
    // Someone arrives from a search, reads one page and presses Escape.
    await page.goto(`${neutral.origin}/search?next=${encodeURIComponent(`${site.origin}/`)}`);
    await page.click("#onward");
    await page.waitForURL(`${site.origin}/`);
    await page.keyboard.press("Escape");
    await page.waitForURL(`${neutral.origin}/weather`);
    expect(await page.title()).toBe("Weather forecast");
    await page.goBack();
    expect(page.url()).toBe(`${neutral.origin}/search?next=${encodeURIComponent(`${site.origin}/`)}`);

    // Deeper in, halfway through a request, typing: the page is replaced, not added to.
    await page.goto(`${site.origin}/request`);
    await page.check('input[name="kind"][value="foi"]');
    await page.click('button:has-text("Continue")');
    await page.waitForURL(/\/information$/);
    await page.focus("#description");
    await page.keyboard.type("Something private");
    await page.keyboard.press("Escape");
    await page.waitForURL(`${neutral.origin}/weather`);
    await page.goBack();
    expect(page.url()).not.toContain("/information");
    expect(page.url()).toBe(`${site.origin}/request`);
    await context.close();
  }, 120_000);

  it("the Exit this page button and pressing Shift three times leave the same way", async () => {
    const { context, page } = await newPage();
    await page.goto(`${neutral.origin}/search`);
    await page.goto(`${site.origin}/cookies`);
    await page.click(".govuk-js-exit-this-page-button");
    await page.waitForURL(`${neutral.origin}/weather`);
    await page.goBack();
    expect(page.url()).toBe(`${neutral.origin}/search`);

    await page.goto(`${site.origin}/feedback`);
    for (let press = 0; press < 3; press++) await page.keyboard.press("Shift");
    await page.waitForURL(`${neutral.origin}/weather`);
    await page.goBack();
    expect(page.url()).toBe(`${neutral.origin}/search`);
    await context.close();
  }, 120_000);

  it("works with JavaScript turned off: a request is made, the cookie banner answers, the quick exit is a link", async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await page.goto(`${site.origin}/`);
    // The banner's buttons post a form; the person comes back to the same page, told it is saved.
    await page.click('button:has-text("Reject analytics cookies")');
    await page.waitForURL(`${site.origin}/?cookies=saved`);
    expect(await page.textContent(".govuk-cookie-banner")).toContain(
      "Your cookie preferences have been saved. You can update your cookie settings at any time on the cookies page.",
    );
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => cookie.name)).toEqual(["foidesk_cookie_policy"]);

    // Conditional fields are all shown without JavaScript, and the form still works.
    const reference = await makeRequest(page, site.origin, {
      ...zoe,
      name: "Nadia NoScript",
      email: "nadia@example.org",
    });
    expect(reference).toMatch(/^01\.FOI\./);
    expect(await page.textContent("main")).toContain("We have sent you a confirmation email");
    const tracking = await trackingLinkFor(site.t, reference);
    await page.goto(tracking);
    expect(await page.textContent("h1")).toContain(reference);
    // Made today as the site sees it; the reply due 20 working days on, UK bank holidays not counted (FOIA s.10).
    const main = (await page.textContent("main"))!.replace(/\s+/g, " ");
    expect(main).toContain("Received 10 March 2026 Reply due by 10 April 2026");
    expect(main).toContain(`We have received your request ${reference} (10 March 2026 at 10:30am)`);

    const exit = await page.getAttribute(".govuk-js-exit-this-page-button", "href");
    expect(exit).toBe(`${neutral.origin}/weather`);
    await page.click(".govuk-js-exit-this-page-button");
    await page.waitForURL(`${neutral.origin}/weather`);
    await context.close();
  }, 120_000);
});
