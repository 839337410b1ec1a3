import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type AxeFinding,
  axeViolations,
  chromiumAvailable,
  demoSiteInChromium,
  signInAsDemo,
  tuesdayInTermTime,
} from "./support.ts";

// A phone's width (375 px, WCAG 1.4.10 reflow at 320 CSS px with room to spare) on the demo: no page scrolls
// sideways, a table too wide for the screen scrolls in its own box, a long web address in a reply wraps and
// is a link; and axe's best practices (landmarks, table headers) as well as WCAG, on the back office too.

const phone = { width: 375, height: 740 };
const longAddress =
  "https://www.westmarch.police.example/about-us/our-performance/gangs-matrix/quarterly-figures-by-borough-and-age-band-2025-26.xlsx";

describe.skipIf(!chromiumAvailable)("small screens and landmarks in Chromium", () => {
  const running = demoSiteInChromium({ now: tuesdayInTermTime });
  let published: string;

  beforeAll(async () => {
    // A published reply whose reasons name a long web address, as an officer would type it.
    const row = await running.site.t.handle.db
      .selectFrom("published_replies")
      .select(["id", "reference", "reply"])
      .where("withdrawn_at", "is", null)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const reply = row.reply as { reasons?: string[] };
    await running.site.t.handle.db
      .updateTable("published_replies")
      .set({
        reply: JSON.stringify({
          ...reply,
          reasons: [...(reply.reasons ?? []), `The full figures are published at ${longAddress}.`],
        }),
      })
      .where("id", "=", row.id)
      .execute();
    published = row.reference;
  });

  async function signedIn(username: string, viewport = phone): Promise<Page> {
    const context = await running.browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${running.site.origin}/staff/sign-in`);
    // The demo's manager also types a code from its published key (a second factor for managers). A code is
    // accepted once (RFC 6238 s.5.2) and these tests sign the manager in twice within 30 seconds, which a person
    // cannot: forget the last step used, as the HTTP tests' browser does.
    await running.site.t.handle.db
      .updateTable("users")
      .set({ totp_last_step: null })
      .where("username", "=", username)
      .execute();
    await signInAsDemo(page, username, tuesdayInTermTime);
    await page.waitForURL((url) => !url.pathname.startsWith("/staff/sign-in"));
    return page;
  }

  /** How far the page itself is wider than the window (0: it does not scroll sideways). */
  const sidewaysOverflow = (page: Page) =>
    page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");

  it("a published reply with a long web address fits a phone, and the address is a link", async () => {
    const context = await running.browser.newContext({ viewport: phone });
    const page = await context.newPage();
    await page.goto(`${running.site.origin}/disclosure-log/${published}`);
    const link = page.locator(`.app-published-reply a[href="${longAddress}"]`);
    expect(await link.textContent()).toBe(longAddress);
    expect(await sidewaysOverflow(page)).toBe(0);
    for (const path of ["/", "/disclosure-log", "/statistics", "/track"]) {
      await page.goto(`${running.site.origin}${path}`);
      expect(await sidewaysOverflow(page), path).toBe(0);
    }
    await context.close();
  }, 120_000);

  it("staff pages fit a phone: wide tables scroll inside their own focusable, named box", async () => {
    const page = await signedIn("manager");
    for (const path of ["/staff/requests", "/staff/reports", "/staff/outbox", "/staff/paragraphs"]) {
      await page.goto(`${running.site.origin}${path}`);
      expect(await sidewaysOverflow(page), path).toBe(0);
    }
    await page.goto(`${running.site.origin}/staff/requests`);
    const box = page.locator(".app-table-scroll").first();
    expect(await box.getAttribute("role")).toBe("region");
    expect(await box.getAttribute("tabindex")).toBe("0");
    expect(await box.getAttribute("aria-label")).toMatch(/^Showing 1 to \d+ of \d+ requests/);
    const { client, scroll } = await box.evaluate((element) => ({
      client: element.clientWidth,
      scroll: element.scrollWidth,
    }));
    expect(scroll).toBeGreaterThan(client);
    // The keyboard scrolls it: Tab to the box, then the arrow key.
    await box.focus();
    await page.keyboard.press("ArrowRight");
    // Polled with evaluate (run by the browser's debugger, so our CSP allows it); waitForFunction's string is
    // an eval the CSP refuses whenever its first look comes too early.
    await expect
      .poll(() => page.evaluate<number>('document.querySelector(".app-table-scroll")?.scrollLeft ?? 0'))
      .toBeGreaterThan(0);
    await page.context().close();
  }, 120_000);

  it("axe finds nothing, best practices included, on the back office's pages", async () => {
    const page = await signedIn("manager", { width: 1024, height: 800 });
    const findings: AxeFinding[] = [];
    const request = await running.site.t.handle.db
      .selectFrom("published_replies")
      .select("request_id")
      .where("reference", "=", published)
      .executeTakeFirstOrThrow();
    for (const path of [
      "/staff",
      "/staff/requests",
      `/staff/requests/${request.request_id}`,
      `/staff/requests/${request.request_id}/publication`,
      "/staff/publication",
      "/staff/reports",
      "/staff/paragraphs",
      "/staff/outbox",
      "/staff/statistics",
      // The release policy form, with each refusal's harm and public-interest tests (issue 17).
      ...(await running.site.t.handle.db.selectFrom("statistics_datasets").select("id").execute()).map(
        (dataset) => `/staff/statistics/${dataset.id}/policy`,
      ),
    ]) {
      await page.goto(`${running.site.origin}${path}`);
      findings.push(...(await axeViolations(page, path)));
    }
    // The reply editor and its preview: every field labelled (no id twice), nothing outside a landmark.
    const gangs = await running.site.t.handle.db
      .selectFrom("requests")
      .select("id")
      .where("reference", "like", "%.000001")
      .executeTakeFirstOrThrow();
    for (const path of [`/staff/requests/${gangs.id}/reply`, `/staff/requests/${gangs.id}/reply/preview`]) {
      await page.goto(`${running.site.origin}${path}`);
      findings.push(...(await axeViolations(page, path)));
      expect(await page.locator('[id="reasons"]').count(), path).toBeLessThanOrEqual(1);
    }
    // The publish page with a redaction in its table (the table's last column is the Remove button's).
    await page.goto(`${running.site.origin}/staff/requests/${request.request_id}/publication`);
    await page.fill("#phrase", "Westmarch");
    await page.click('button:has-text("Add redaction")');
    await page.waitForSelector(".app-table-scroll");
    findings.push(...(await axeViolations(page, "publish page with a redaction")));
    expect(findings).toEqual([]);
    await page.context().close();
  }, 300_000);
});
