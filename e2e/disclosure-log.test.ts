import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { withdrawReply } from "../src/publication/index.ts";
import {
  type AxeFinding,
  axeViolations,
  chromiumAvailable,
  demoSiteInChromium,
  signInAsDemo,
  tuesdayInTermTime,
} from "./support.ts";

// The disclosure log as its users meet it (issue 6, "done when"): a manager publishes a demo reply from its
// preview; a member of the public finds it by a word in its body and by the exemption it cites, reads it,
// and subscribes to the feed; the requester's name, email and address appear in none of it.

interface Published {
  requestId: number;
  reference: string;
  exemption: string;
  requester: { name: string; email: string | null; address: string | null };
}

describe.skipIf(!chromiumAvailable)("the disclosure log in Chromium", () => {
  const running = demoSiteInChromium({ now: tuesdayInTermTime });
  let reply: Published;

  beforeAll(async () => {
    const db = running.site.t.handle.db;
    // The demo's reply about gang-related stabbings, which cites an exemption; taken off the log, so that the
    // manager publishes it as a new reply would be.
    const row = await db
      .selectFrom("published_replies as p")
      .innerJoin("requests as r", "r.id", "p.request_id")
      .innerJoin("requesters as q", "q.id", "r.requester_id")
      .select(["r.id", "p.reference", "p.exemptions", "q.name", "q.email", "q.address"])
      .where(sql<boolean>`p.body_text ilike '%stabbings%'`)
      .where(sql<boolean>`cardinality(p.exemptions) > 0`)
      .executeTakeFirstOrThrow();
    reply = {
      requestId: row.id,
      reference: row.reference,
      exemption: row.exemptions[0]!,
      requester: { name: row.name, email: row.email, address: row.address },
    };
    const manager = await db
      .selectFrom("users")
      .select(["id", "display_name"])
      .where("username", "=", "manager")
      .executeTakeFirstOrThrow();
    await withdrawReply(
      db,
      reply.requestId,
      "Checking the redactions again",
      { userId: manager.id, label: manager.display_name, role: "manager" },
      tuesdayInTermTime,
    );
  });

  /** Everything that identifies the requester, as it could appear on a page or in a file. */
  function identifiers(): string[] {
    const { name, email, address } = reply.requester;
    return [name, ...name.split(/\s+/).filter((part) => part.length > 3), email ?? "", address ?? ""]
      .map((value) => value.trim())
      .filter((value) => value.length > 0);
  }

  it("a manager publishes from the preview; the public finds the reply by a word and by its exemption, and subscribes", async () => {
    const findings: AxeFinding[] = [];
    const staff = await running.browser.newContext();
    const page = await staff.newPage();
    await page.goto(`${running.site.origin}/staff/requests/${reply.requestId}/publication`);
    await signInAsDemo(page, "manager", tuesdayInTermTime);
    await page.waitForURL(/\/publication$/);
    expect(await page.textContent("main")).toContain("Taken down");
    await page.click(
      'button:has-text("Publish again with these redactions"), button:has-text("Publish to the disclosure log")',
    );
    await page.waitForURL(/\/publication\?done=/);
    await staff.close();

    const visitor = await running.browser.newContext();
    const publicPage = await visitor.newPage();
    await publicPage.goto(`${running.site.origin}/disclosure-log`);
    await publicPage.fill("#q", "stabbings");
    await publicPage.press("#q", "Enter");
    await publicPage.waitForURL(/[?&]q=stabbings/);
    const results = publicPage.locator(`a[href="/disclosure-log/${reply.reference}"]`);
    expect(await results.count()).toBe(1);
    expect(await publicPage.locator("mark").first().textContent()).toMatch(/stabbings/i);
    findings.push(...(await axeViolations(publicPage, "search results")));

    // Its exemption as a filter: the option says how many replies cite it, and the reply stays listed.
    const option = publicPage.locator(`#filter-exemption option[value="${reply.exemption}"]`);
    expect(await option.textContent()).toMatch(/\(1\)$/);
    await publicPage.selectOption("#filter-exemption", reply.exemption);
    await publicPage.click('button:has-text("Apply filters")');
    await publicPage.waitForURL(new RegExp(`exemption=${reply.exemption}`));
    expect(await publicPage.locator(`a[href="/disclosure-log/${reply.reference}"]`).count()).toBe(1);
    expect(new URL(publicPage.url()).searchParams.get("q")).toBe("stabbings");
    findings.push(...(await axeViolations(publicPage, "search with a filter")));

    // Subscribing: the feed link is for this search, and the feed holds the reply.
    const feedHref = await publicPage.getAttribute('a:has-text("Subscribe to new replies")', "href");
    expect(feedHref).toMatch(/^\/disclosure-log\/feed\.atom\?q=stabbings/);
    const feed = await visitor.request.get(`${running.site.origin}${feedHref}`);
    expect(feed.headers()["content-type"]).toContain("application/atom+xml");
    const feedText = await feed.text();
    expect(feedText).toContain(`${running.site.origin}/disclosure-log/${reply.reference}`);

    await publicPage.click(`a[href="/disclosure-log/${reply.reference}"]`);
    await publicPage.waitForURL(new RegExp(`/disclosure-log/${reply.reference.replace(/\./g, "\\.")}$`));
    const replyText = (await publicPage.textContent("main")) ?? "";
    expect(replyText).toContain(reply.reference);
    // Published again today, as the site sees it.
    expect(replyText.replace(/\s+/g, " ")).toContain("Published 10 March 2026");
    findings.push(...(await axeViolations(publicPage, "a published reply")));

    // Nowhere public: the pages seen, the feed, the JSON API and the CSV export.
    const api = await (
      await visitor.request.get(`${running.site.origin}/api/v1/disclosure-log?q=stabbings`)
    ).text();
    const csv = await (
      await visitor.request.get(`${running.site.origin}/disclosure-log.csv?q=stabbings`)
    ).text();
    expect(api).toContain(reply.reference);
    expect(csv).toContain(reply.reference);
    const listing = await (
      await visitor.request.get(`${running.site.origin}/disclosure-log?q=stabbings`)
    ).text();
    for (const [where, text] of Object.entries({
      reply: await publicPage.content(),
      listing,
      feed: feedText,
      api,
      csv,
    }))
      for (const identifier of identifiers())
        expect(text.toLowerCase(), `${identifier} in the ${where}`).not.toContain(identifier.toLowerCase());
    await visitor.close();
    expect(findings).toEqual([]);
  });
});
