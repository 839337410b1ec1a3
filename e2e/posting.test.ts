import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createRequest, performAction, saveReplyDraft } from "../src/requests/index.ts";
import { gangsReplyInput } from "../src/responses/index.ts";
import {
  type AxeFinding,
  axeViolations,
  chromiumAvailable,
  demoSiteInChromium,
  signInAsDemo,
  tuesdayInTermTime,
} from "./support.ts";

// A reply to a requester with only a postal address, as the case officer handles it (issue 14): "Send the
// reply" makes the letter, the page says it is ready to post, and the request is responded only once the day
// it was posted is recorded (FOIA s.10(1)). A date that cannot be right is refused on the date field itself.

describe.skipIf(!chromiumAvailable)("recording a posted reply in Chromium", () => {
  const running = demoSiteInChromium({ now: tuesdayInTermTime });
  let page: Page;
  let id: number;
  const findings: AxeFinding[] = [];

  beforeAll(async () => {
    const db = running.site.t.handle.db;
    const olivia = await db
      .selectFrom("users")
      .select(["id", "display_name"])
      .where("username", "=", "officer")
      .executeTakeFirstOrThrow();
    const officer = { userId: olivia.id, label: olivia.display_name, role: "officer" as const };
    // Logged today as the site sees it.
    const now = tuesdayInTermTime;
    const created = await createRequest(
      db,
      {
        regime: "foia",
        channel: "post",
        receivedDate: "2026-03-10",
        body: "How many known gangs are there?",
        requester: { name: "Sam Post", address: "2 Mill Lane\nWestmarch WM4 2QT" },
        assigneeId: officer.userId,
      },
      officer,
      now,
    );
    id = created.id;
    const started = await performAction(db, id, { type: "start-work" }, 1, officer, now);
    const draft = {
      ...structuredClone(gangsReplyInput),
      questions: [{ text: "How many known gangs are there?", decision: "disclosed" }],
      exemptions: [],
      reasons: [],
      disclosure: [{ kind: "text", text: "There are 62 known gangs.", questionNumbers: [1] }],
    };
    const saved = await saveReplyDraft(db, id, draft, started.version, officer, now);
    expect(saved.problems).toEqual([]);
    page = await (await running.browser.newContext()).newPage();
    await page.goto(`${running.site.origin}/staff/sign-in`);
    await signInAsDemo(page, "officer", tuesdayInTermTime);
  });

  const text = async (selector: string) => (await page.textContent(selector))?.replace(/\s+/g, " ") ?? "";

  it("makes the letter ready to post, refuses a date in the future on the date field, and records it as posted", async () => {
    await page.goto(`${running.site.origin}/staff/requests/${id}/reply/preview`);
    await page.click('button:has-text("Send the reply")');
    await page.waitForURL(/\/reply\/preview\?done=posted/);
    expect(await text(".govuk-notification-banner")).toContain(
      "Letter ready to post: print it, post it, then record the day it was posted",
    );
    expect(await text("#send")).toContain("Letter ready to post");
    expect(await text("#send")).toContain(
      "The request is not responded until the letter is recorded as posted",
    );
    findings.push(...(await axeViolations(page, "the letter ready to post")));

    // The form starts on the day the site says it is today, Tuesday 10 March 2026; Wednesday has not come yet.
    const dateFields = ["#date-day", "#date-month", "#date-year"];
    expect(await Promise.all(dateFields.map((field) => page.inputValue(field)))).toEqual(["10", "3", "2026"]);
    await page.fill("#date-day", "11");
    await page.click('button:has-text("Record as posted")');
    await page.waitForLoadState();
    const summary = page.locator(".govuk-error-summary a");
    expect(await summary.textContent()).toMatch(/^the date posted, 2026-03-11, is in the future/);
    expect(await summary.getAttribute("href")).toBe("#date-day");
    expect(await text(".govuk-form-group--error .govuk-error-message")).toMatch(/is in the future/);
    expect(await page.getAttribute("#date-day", "class")).toContain("govuk-input--error");
    findings.push(...(await axeViolations(page, "a date posted refused")));
    // The summary's link takes the person to the day box.
    await summary.click();
    expect(await page.evaluate("document.activeElement?.id")).toBe("date-day");
    expect(await page.inputValue("#date-day")).toBe("11");

    await page.fill("#date-day", "10");
    await page.click('button:has-text("Record as posted")');
    await page.waitForURL(/\/reply\/preview\?done=recorded-posted/);
    expect(await text(".govuk-notification-banner")).toContain(
      "Letter recorded as posted, and the request recorded as responded",
    );
    await page.goto(`${running.site.origin}/staff/requests/${id}`);
    expect(await text(".app-request-status")).toContain("Responded");
    expect(await text(".app-timeline")).toMatch(/Record as posted by Olivia Okafor/);
    expect(findings).toEqual([]);
  });
});
