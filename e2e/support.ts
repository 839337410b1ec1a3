import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AxeBuilder } from "@axe-core/playwright";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { testBackends } from "../src/db/testing.ts";
import { DEMO_TOTP_SECRET, loadDemoData } from "../src/demo/index.ts";
import { readMessage } from "../src/mail/index.ts";
import { totpCode } from "../src/users/index.ts";
import type { WebConfig } from "../src/web/config.ts";
import { openTestApp, type TestApp } from "../src/web/testing.ts";

// Browser tests run the real app on an ephemeral 127.0.0.1 port in the test process and drive Debian's
// Chromium with playwright-core. A second tiny server plays the neutral site the quick exit goes to.

export const chromiumPath = "/usr/bin/chromium";
export const chromiumAvailable = existsSync(chromiumPath);
if (!chromiumAvailable) {
  console.warn(
    `e2e: ${chromiumPath} is missing, so the browser tests are skipped. Install it with: apt-get install -y chromium`,
  );
}

/**
 * The environment Chromium runs in: ours, less libfaketime. `npm run test:future` moves the test process's clock
 * ahead; Chromium under libfaketime stops loading pages, and it needs no fake clock (the site runs on the tests'
 * fixed clock, and its cookies carry a lifetime in seconds, not a date by the site's clock).
 */
function browserEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && name !== "LD_PRELOAD" && !name.startsWith("FAKETIME")) env[name] = value;
  return env;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    env: browserEnvironment(),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  const origin = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return Number(new URL(origin).port);
}

/** A stand-in for the neutral site (a weather page) and for a page people come from (a search). */
export async function neutralSite(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = request.url ?? "/";
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    const title = path.startsWith("/weather") ? "Weather forecast" : "Search results";
    response.end(
      `<!DOCTYPE html><html lang="en"><head><title>${title}</title></head><body><h1>${title}</h1>` +
        `<a id="onward" href="${new URL(path, "http://x").searchParams.get("next") ?? "/"}">Continue</a></body></html>`,
    );
  });
  const origin = await listen(server);
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface RunningSite {
  t: TestApp;
  origin: string;
  close(): Promise<void>;
}

/**
 * What the site's clock says in the browser tests, whatever the wall clock says: Tuesday 10 March 2026 at 10:30
 * in London, a working week in term time. Pages' dates are exact at it.
 */
export const tuesdayInTermTime = new Date("2026-03-10T10:30:00Z");

/**
 * The web app on PGlite, listening on 127.0.0.1 at a free port, its base URL that address, its clock stopped at
 * `now`. With `demo`, the demo authority, staff, requests and statistics are loaded as at `now` (links in
 * replies point at this address).
 */
export async function startSite(options: {
  quickExitUrl: string;
  now: Date;
  demo?: boolean;
  /** More configuration, once the site's address is known (e.g. single sign-on, whose provider needs it). */
  config?: (origin: string) => Promise<Partial<WebConfig>>;
}): Promise<RunningSite> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const extra = options.config ? await options.config(origin) : {};
  const t = await openTestApp(testBackends()[0]!, {
    config: { baseUrl: origin, quickExitUrl: options.quickExitUrl, ...extra },
    now: () => options.now,
    // A page that fails, to see the technical-problem page as a person would.
    extraRoutes: (app) =>
      app.get("/e2e/fails", async () => {
        throw new Error("a failure staged by the browser tests");
      }),
  });
  if (options.demo) await loadDemoData(t.handle.db, options.now, undefined, { baseUrl: origin });
  else
    await t.handle.db
      .insertInto("authority")
      .values({
        name: "Westmarch Constabulary",
        email: "foi@westmarch.police.example",
        phone: "01632 960 000",
        address: "1 Castle Street, Westmarch WM1 1AA",
      })
      .execute();
  await t.app.listen({ host: "127.0.0.1", port });
  return { t, origin, close: () => t.close() };
}

/** The tracking link in the acknowledgement sent about `reference`. */
export async function trackingLinkFor(t: TestApp, reference: string): Promise<string> {
  const sent = await t.handle.db
    .selectFrom("sent_mail as m")
    .innerJoin("requests as r", "r.id", "m.request_id")
    .select(["m.file_name"])
    .where("r.reference", "=", reference)
    .where("m.kind", "=", "acknowledgement")
    .executeTakeFirstOrThrow();
  const text = readMessage((await t.app.mailer.stored(sent.file_name!))!).text;
  const link = /(http:\/\/\S+\/track\/[A-Za-z0-9_-]{43})/.exec(text)?.[1];
  if (!link) throw new Error("the acknowledgement has no tracking link");
  return link;
}

export const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
/** axe's best practices too (landmarks, empty table headers, heading order): clean as well as WCAG. */
export const axeTags = [...wcagTags, "best-practice"];

export interface AxeFinding {
  page: string;
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * WCAG 2.2 A and AA violations, and breaches of axe's best practices, that axe-core finds on the page as it
 * is now, in a form a person can read.
 */
export async function axeViolations(page: Page, label: string): Promise<AxeFinding[]> {
  // Legacy mode runs axe in the page itself: our pages have no frames, and it saves opening a page per check.
  const results = await new AxeBuilder({ page }).withTags(axeTags).setLegacyMode(true).analyze();
  return results.violations.map((violation) => ({
    page: label,
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}

/**
 * Signs a demo member of staff in on `page` (already at a sign-in page): the password, then for a manager or
 * administrator the code an authenticator app holding the demo's published key shows at `now` (the site's
 * clock, which checks it).
 */
export async function signInAsDemo(page: Page, username: string, now: Date): Promise<void> {
  await page.fill("#username", username);
  await page.fill("#password", "foidesk-demo");
  await page.click('button:has-text("Sign in")');
  await page.waitForLoadState();
  if (new URL(page.url()).pathname === "/staff/sign-in/code") {
    await page.fill("#code", totpCode(DEMO_TOTP_SECRET, now));
    await page.click('button:has-text("Continue")');
  }
}

/**
 * The demo site, its clock stopped at `now`, and Chromium for one describe block: started before its tests,
 * closed after. Read `site` and `browser` inside the tests (they are set once the block starts).
 */
export function demoSiteInChromium(options: { now: Date }): { site: RunningSite; browser: Browser } {
  const running = {} as { site: RunningSite; browser: Browser };
  let neutral: Awaited<ReturnType<typeof neutralSite>> | undefined;
  beforeAll(async () => {
    neutral = await neutralSite();
    running.site = await startSite({
      quickExitUrl: `${neutral.origin}/weather`,
      now: options.now,
      demo: true,
    });
    running.browser = await launchChromium();
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.site?.close();
    await neutral?.close();
  });
  return running;
}
