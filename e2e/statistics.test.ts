import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/demo/index.ts";
import { gangsPolicy } from "../src/statistics/examples/gangs.ts";
import {
  type AxeFinding,
  axeViolations,
  chromiumAvailable,
  demoSiteInChromium,
  signInAsDemo,
  tuesdayInTermTime,
} from "./support.ts";

// The worked example in Chromium, as a case officer of the demo force works it: open the gangs
// dataset, ask for the borough breakdown (refused by the release policy, with its s.31(1)(a)(b) reason ready
// for the refusal notice), ask for the force-wide table by age band and category (small numbers withheld),
// release it, and read it on the public statistics page. axe-core checks every page on the way.

describe.skipIf(!chromiumAvailable)("statistics in Chromium", () => {
  const running = demoSiteInChromium({ now: tuesdayInTermTime });

  it("refuses the borough breakdown, releases age band × category with suppression, and publishes it", async () => {
    const context = await running.browser.newContext();
    const page: Page = await context.newPage();
    const findings: AxeFinding[] = [];
    const check = async (label: string) => {
      findings.push(...(await axeViolations(page, label)));
    };
    const { origin } = running.site;

    await page.goto(`${origin}/staff/sign-in`);
    await page.fill("#username", "officer");
    await page.fill("#password", DEMO_PASSWORD);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${origin}/staff/requests`);
    await page.click('.govuk-service-navigation a:has-text("Statistics")');
    await check("statistics: datasets");
    await page.click('a:has-text("Known gangs")');
    await page.waitForURL(/\/staff\/statistics\/\d+$/);
    const datasetUrl = page.url();
    await check("statistics: the gangs dataset");

    // The borough breakdown, for the demo's gangs request: refused by the policy.
    await page.check('input[name="dimensions"][value="borough"]');
    const gangsRequest = await page
      .locator("#request option")
      .filter({ hasText: "Gangs" })
      .first()
      .getAttribute("value");
    await page.selectOption("#request", gangsRequest!);
    await page.click('button:has-text("Build the table")');
    await page.waitForURL(/\/table\?/);
    expect(await page.textContent("h1")).toContain("Refused by the release policy");
    expect(await page.textContent(".app-citations")).toContain("Section 31(1)(a)(b) Law enforcement");
    expect((await page.textContent(".app-refusal-reason"))?.trim()).toBe(gangsPolicy.restricted[0]!.reason);
    await check("statistics: refused by policy");

    // The force-wide table by age band and category, published on its own: the demo has released it into the
    // gangs reply already (a table goes into a reply once, and is public only when that reply is sent).
    await page.goBack();
    await page.uncheck('input[name="dimensions"][value="borough"]');
    await page.check('input[name="dimensions"][value="age_band"]');
    await page.check('input[name="dimensions"][value="category"]');
    await page.selectOption("#request", "");
    await page.click('button:has-text("Build the table")');
    await page.waitForURL(/\/table\?/);
    expect(await page.textContent("h1")).toContain("Known gangs by age band and category");
    expect(await page.locator("table.govuk-table abbr", { hasText: "[c]" }).count()).toBeGreaterThan(0);
    expect(await page.textContent(".app-table-checks")).toContain("primary suppression");
    await check("statistics: protected table");

    await page.click('button:has-text("Release this table")');
    await page.waitForURL(/\/staff\/statistics\/releases\/\d+$/);
    await check("statistics: released");
    const publicPath = await page.locator('a[href^="/statistics/"]').first().getAttribute("href");

    // The public page: the table, its note on the withheld figures, the chart and the files.
    const visitor = await running.browser.newContext();
    const publicPage = await visitor.newPage();
    const previous = page;
    await publicPage.goto(`${origin}/statistics`);
    expect(await publicPage.locator(`a[href="${publicPath}"]`).count()).toBe(1);
    findings.push(...(await axeViolations(publicPage, "public: statistics list")));
    await publicPage.click(`a[href="${publicPath}"]`);
    await publicPage.waitForURL(`${origin}${publicPath}`);
    expect(await publicPage.textContent("table caption")).toBe("Known gangs by age band and category");
    expect(await publicPage.locator("table abbr", { hasText: "[c]" }).count()).toBeGreaterThan(0);
    expect(await publicPage.textContent("#statistics-table-notes")).toContain(
      "Figure withheld to protect confidentiality",
    );
    expect(await publicPage.locator('svg[role="img"]').count()).toBe(1);
    expect(await publicPage.locator('a[href$="/table.csv"]').count()).toBe(1);
    expect(await publicPage.locator('a[href$="/table.xlsx"]').count()).toBe(1);
    findings.push(...(await axeViolations(publicPage, "public: a statistics table")));

    // A manager's pages: importing a dataset and changing its release policy (with an error shown).
    const managerContext = await running.browser.newContext();
    const managerPage = await managerContext.newPage();
    await managerPage.goto(`${origin}/staff/sign-in`);
    await signInAsDemo(managerPage, "manager", tuesdayInTermTime);
    await managerPage.waitForURL(`${origin}/staff/requests`);
    await managerPage.goto(`${origin}/staff/statistics/import`);
    findings.push(...(await axeViolations(managerPage, "statistics: import a dataset")));
    await managerPage.click('button:has-text("Import dataset")');
    expect(await managerPage.textContent(".govuk-error-summary")).toContain("Choose a CSV file to import");
    findings.push(...(await axeViolations(managerPage, "statistics: import, with errors")));
    await managerPage.goto(`${datasetUrl}/policy`);
    findings.push(...(await axeViolations(managerPage, "statistics: release policy")));
    await managerPage.fill("#threshold", "four");
    await managerPage.click('button:has-text("Save the release policy")');
    expect(await managerPage.textContent(".govuk-error-summary")).toContain(
      "Enter the threshold as a whole number",
    );
    findings.push(...(await axeViolations(managerPage, "statistics: release policy, with an error")));
    await managerContext.close();

    expect(findings).toEqual([]);
    await visitor.close();
    await previous.context().close();
  });
});
