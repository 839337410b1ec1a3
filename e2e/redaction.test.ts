import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { letterPdf } from "../src/files/testing.ts";
import {
  type AxeFinding,
  axeViolations,
  chromiumAvailable,
  demoSiteInChromium,
  signInAsDemo,
  tuesdayInTermTime,
} from "./support.ts";

// True redaction as an officer does it in Chromium: upload a PDF to a request, open "Redact", draw a box with
// the pointer over a line of the page image, and make the redacted copy. The text under the box is gone from
// the produced file (read back with poppler's pdftotext), its box labelled with the exemption.

const scratch = mkdtempSync(join(tmpdir(), "foidesk-e2e-redaction-"));

function pdfText(bytes: Uint8Array): string {
  const path = join(scratch, `copy-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(path, bytes);
  return execFileSync("pdftotext", [path, "-"]).toString();
}

describe.skipIf(!chromiumAvailable)("PDF redaction in Chromium", () => {
  const running = demoSiteInChromium({ now: tuesdayInTermTime });

  it("draws a box on a page and the text under it is gone from the redacted copy", async () => {
    // Tall enough that the line to mark is on screen once the page image is scrolled to.
    const context = await running.browser.newContext({ viewport: { width: 1280, height: 1600 } });
    const page = await context.newPage();
    const findings: AxeFinding[] = [];
    const { origin, t } = running.site;
    const request = await t.handle.db
      .selectFrom("requests")
      .select("id")
      .where("state", "=", "in-progress")
      .orderBy("id")
      .executeTakeFirstOrThrow();

    await page.goto(`${origin}/staff/sign-in`);
    await signInAsDemo(page, "officer", tuesdayInTermTime);
    await page.goto(`${origin}/staff/requests/${request.id}`);
    await page.setInputFiles("#file", {
      name: "letter.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from(await letterPdf()),
    });
    await page.click('button:has-text("Upload")');
    await page.waitForURL(/uploaded=1/);
    await page.click('a:has-text("Redact")');
    await page.waitForURL(/\/redact$/);
    const sheet = page.locator('.app-redaction-page[data-page="1"] .app-redaction-page__sheet');
    await page
      .locator('.app-redaction-page[data-page="1"] img')
      .evaluate((image) =>
        (image as { complete: boolean }).complete
          ? undefined
          : new Promise((resolve) => image.addEventListener("load", resolve)),
      );
    findings.push(...(await axeViolations(page, "redaction page")));

    // The letter's line "Officer in charge: Constable Areaname" sits 72 points from the left, 300 from the
    // top of a 612 × 792 point page: draw a box around it, in the image's own (scaled) pixels.
    await page.fill("#label", "s.40(2)");
    await sheet.evaluate((element) => element.scrollIntoView({ block: "start" }));
    const box = (await sheet.boundingBox())!;
    const x = (points: number) => box.x + (points / 612) * box.width;
    const y = (points: number) => box.y + (points / 792) * box.height;
    await page.mouse.move(x(60), y(294));
    await page.mouse.down();
    await page.mouse.move(x(200), y(305), { steps: 4 });
    await page.mouse.move(x(400), y(316), { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.locator(".app-redaction-box").count()).toBe(1);
    expect(await page.locator(".app-redaction-box").textContent()).toBe("s.40(2)");
    const line = await page.inputValue("#areas");
    expect(line).toMatch(/^1, \d+(\.\d)?, \d+(\.\d)?, \d+(\.\d)?, \d+(\.\d)?, s\.40\(2\)$/);

    await page.click('button:has-text("Make the redacted copy")');
    await page.waitForURL(/redacted=1/);
    const copy = await t.handle.db
      .selectFrom("documents")
      .select("id")
      .where("request_id", "=", request.id)
      .where("filename", "=", "letter-redacted.pdf")
      .executeTakeFirstOrThrow();
    const download = await page.request.get(`${origin}/staff/requests/${request.id}/documents/${copy.id}`);
    expect(download.status()).toBe(200);
    const text = pdfText(new Uint8Array(await download.body()));
    expect(text).not.toContain("Areaname");
    expect(text).not.toContain("Officer in charge");
    expect(text).toContain("The decision stands.");
    expect(text).toContain("s.40(2)");
    expect(findings).toEqual([]);
    await context.close();
  });
});
