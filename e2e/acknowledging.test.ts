import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { publicActor, submitRequest } from "../src/requests/index.ts";
import {
  type AxeFinding,
  axeViolations,
  chromiumAvailable,
  demoSiteInChromium,
  signInAsDemo,
  tuesdayInTermTime,
} from "./support.ts";

// What a case officer sees of acknowledging (issue 17): a request made on the web form arrives acknowledged
// by email (no "Acknowledge" button left; the email is in the timeline), and one that came by post is
// acknowledged with a letter to print and post, kept on the request and recorded as posted.

describe.skipIf(!chromiumAvailable)("acknowledging a request in Chromium", () => {
  const running = demoSiteInChromium({ now: tuesdayInTermTime });
  let page: Page;
  const findings: AxeFinding[] = [];

  beforeAll(async () => {
    page = await (await running.browser.newContext()).newPage();
    await page.goto(`${running.site.origin}/staff/sign-in`);
    await signInAsDemo(page, "officer", tuesdayInTermTime);
  });

  const timelineText = async () => (await page.textContent(".app-timeline"))?.replace(/\s+/g, " ");

  it("shows a web request acknowledged by email: the state, the email in the timeline, no button", async () => {
    const submitted = await submitRequest(
      {
        db: running.site.t.handle.db,
        files: running.site.t.app.files,
        mailer: running.site.t.app.mailer,
        baseUrl: running.site.origin,
        serviceName: "Westmarch Constabulary",
        log: running.site.t.app.log,
      },
      {
        regime: "foia",
        channel: "web",
        body: "How many speed cameras are there on the A38?",
        requester: { name: "Wendy Web", email: "wendy.web@example.org", type: "public" },
      },
      publicActor,
      tuesdayInTermTime,
    );
    await page.goto(`${running.site.origin}/staff/requests/${submitted.id}`);
    expect(await page.textContent(".app-request-status")).toContain("Acknowledged");
    expect(await page.locator('button:has-text("Acknowledge")').count()).toBe(0);
    const timeline = await timelineText();
    expect(timeline).toMatch(/Request acknowledged .*foidesk.*Sent by Email To wendy\.web@example\.org/);
    findings.push(...(await axeViolations(page, "a request acknowledged by email")));
  });

  it("acknowledges a request that came by post with a letter to post, kept on the request", async () => {
    await page.goto(`${running.site.origin}/staff/requests/new`);
    await page.check("#regime");
    await page.selectOption("#channel", "post");
    // Received today as the site sees it: Tuesday 10 March 2026.
    await page.fill("#receivedDate-day", "10");
    await page.fill("#receivedDate-month", "3");
    await page.fill("#receivedDate-year", "2026");
    await page.fill("[id='requester.name']", "Pat Post");
    await page.fill("[id='requester.address']", "9 Quay Street\nWestmarch WM1 4EF");
    await page.fill("#body", "How many bicycles were reported stolen in 2025?");
    await page.click('button:has-text("Log the request")');
    await page.waitForURL(/\/staff\/requests\/\d+\?logged=1/);
    const reference = (await page.textContent("h1"))!.trim();
    // The day it came, and the reply due 20 working days after it (FOIA s.10(1)); a bank holiday anywhere in
    // the UK is not a working day (s.10(6)): St Patrick's Day, Good Friday and Easter Monday are not counted.
    const facts = (await page.textContent(".govuk-summary-list"))!.replace(/\s+/g, " ");
    expect(facts).toContain("Received 10 March 2026 Due date 10 April 2026 20 working days left");

    const acknowledge = page.locator('button:has-text("Acknowledge")');
    expect(await acknowledge.count()).toBe(1);
    expect(await page.textContent(".app-actions")).toContain(
      "Makes the acknowledgement letter (PDF and Word) to print and post to the requester's address.",
    );
    await acknowledge.click();
    await page.waitForURL(/\?done=acknowledge/);
    const banner = (await page.textContent(".govuk-notification-banner"))!.replace(/\s+/g, " ");
    expect(banner).toContain("Acknowledgement letter ready to post");
    expect(await page.textContent(".app-request-status")).toContain("Acknowledged");
    expect(await page.locator('button:has-text("Acknowledge")').count()).toBe(0);
    expect(await timelineText()).toMatch(/Request acknowledged .*Sent by Post To 9 Quay Street/);
    expect(await page.textContent("main")).toContain(`${reference}-acknowledgement.docx`);
    findings.push(...(await axeViolations(page, "a request acknowledged by post")));

    // The letter opens from the banner: the PDF kept on the request.
    const href = await page.getAttribute('a:has-text("open the acknowledgement letter (PDF)")', "href");
    const response = await page.request.get(`${running.site.origin}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    expect((await response.body()).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("axe finds nothing on those pages, best practices included", () => {
    expect(findings).toEqual([]);
  });
});
