import { createHash } from "node:crypto";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { memoryFileStore } from "../storage/index.ts";
import { buildApp } from "./app.ts";
import { assetBase } from "./asset-version.ts";
import { Browser, openTestApp, type TestApp } from "./testing.ts";

describe.each(testBackends())("web app on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(backend, {
      extraRoutes: (app) => {
        app.get("/staff/explode", async () => {
          throw new Error("database password is hunter2 at /srv/foidesk/secret.ts:12");
        });
        app.get("/api/v1/explode", async () => {
          throw new Error("api internals");
        });
      },
    });
  });
  afterAll(async () => t?.close());

  describe("GET /healthz", () => {
    it("answers 200 ok while the database answers, naming the index that ranks searches", async () => {
      const response = await t.app.inject("/healthz");
      expect(response.statusCode).toBe(200);
      // PGlite has no rum extension; a PostgreSQL server has RUM when the extension is installed (.ci/run).
      const search = backend.name === "pglite" ? "gin" : expect.stringMatching(/^(rum|gin)$/);
      expect(response.json()).toEqual({ status: "ok", search });
    });

    it("answers 503 when the database does not", async () => {
      // Nothing listens on port 1: the connection is refused at once.
      const pool = new pg.Pool({ connectionString: "postgres://nobody@127.0.0.1:1/none" });
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      const app = buildApp({ db, files: memoryFileStore(), config: { baseUrl: "http://x" }, logger: false });
      const response = await app.inject("/healthz");
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ status: "unavailable" });
      await app.close();
      await db.destroy();
    });
  });

  describe("pages that go wrong", () => {
    it("a page that does not exist says so, in the service's layout", async () => {
      const response = await t.app.inject("/no/such/page");
      expect(response.statusCode).toBe(404);
      expect(response.headers["content-type"]).toMatch(/^text\/html/);
      expect(response.body).toContain("Page not found");
      expect(response.body).toContain("If you typed the web address, check it is correct.");
      expect(response.body).toContain("<title>Page not found – FOI casework</title>");
    });

    it("an API address that does not exist answers JSON", async () => {
      const response = await t.app.inject("/api/v1/no-such-thing");
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ errors: [{ message: "Not found" }] });
    });

    it("a failure shows the technical-problem page with a correlation id, logs it, and shows no detail", async () => {
      const response = await t.app.inject("/staff/explode");
      expect(response.statusCode).toBe(500);
      expect(response.body).toContain("Sorry, there was a technical problem. Please try again.");
      const correlationId = response.headers["x-request-id"] as string;
      expect(correlationId).toMatch(/^[0-9a-f]{16}$/);
      expect(response.body).toContain(correlationId);
      expect(response.body).not.toContain("hunter2");
      expect(response.body).not.toContain("secret.ts");
      expect(response.body).not.toMatch(/\bat .*:\d+/);

      const logged = t.logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === "request failed");
      expect(logged).toMatchObject({ level: 50, reqId: correlationId });
      expect(logged.err.message).toContain("hunter2");
    });

    it("an API failure answers 500 JSON with the correlation id and no detail", async () => {
      const response = await t.app.inject("/api/v1/explode");
      expect(response.statusCode).toBe(500);
      const body = response.json();
      expect(body.errors).toEqual([{ message: "Sorry, there was a technical problem. Please try again." }]);
      expect(body.correlationId).toBe(response.headers["x-request-id"]);
    });
  });

  describe("security headers", () => {
    it("allow scripts only from our own origin and govuk-frontend's one inline script, by its hash", async () => {
      const response = await t.app.inject("/staff/sign-in");
      const policy = response.headers["content-security-policy"] as string;
      const scriptSrc = policy.split(";").find((directive) => directive.trim().startsWith("script-src"))!;
      expect(scriptSrc).toMatch(/^script-src 'self' 'sha256-[A-Za-z0-9+/=]+'$/);
      expect(policy).not.toContain("unsafe-inline");
      expect(policy).not.toContain("unsafe-eval");
      expect(policy).toContain("frame-ancestors 'none'");

      // Every script in the page is either external, from /assets, or the inline one the hash allows.
      const scripts = [...response.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      const inline = scripts.filter(([, attributes]) => !attributes!.includes("src="));
      expect(inline).toHaveLength(1);
      const hash = createHash("sha256").update(inline[0]![2]!).digest("base64");
      expect(scriptSrc).toContain(`'sha256-${hash}'`);
      for (const [, attributes] of scripts.filter(([, attributes]) => attributes!.includes("src="))) {
        expect(attributes).toMatch(/src="\/assets\//);
      }
      expect(response.body).not.toMatch(/\son[a-z]+="/); // no inline event handlers either
    });

    it("deny framing, send no referrer, and leave out HSTS over plain HTTP", async () => {
      const response = await t.app.inject("/staff/sign-in");
      expect(response.headers["x-frame-options"]).toBe("DENY");
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
      expect(response.headers["strict-transport-security"]).toBeUndefined();
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
    });

    it("send HSTS and upgrade requests when the service is behind TLS", async () => {
      const secure = buildApp({
        db: t.handle.db,
        files: memoryFileStore(),
        config: { baseUrl: "https://foi.example.gov.uk" },
        logger: false,
      });
      const response = await secure.inject("/staff/sign-in");
      expect(response.headers["strict-transport-security"]).toMatch(/max-age=31536000/);
      expect(response.headers["content-security-policy"]).toContain("upgrade-insecure-requests");
      await secure.close();
    });
  });

  describe("assets", () => {
    it("serves govuk-frontend's CSS, JS, fonts and images, and our own script", async () => {
      const css = await t.app.inject("/assets/govuk-frontend.min.css");
      expect(css.statusCode).toBe(200);
      expect(css.headers["content-type"]).toMatch(/^text\/css/);
      for (const url of css.body.match(/\/assets\/[^)"']+/g) ?? []) {
        expect((await t.app.inject(url)).statusCode, url).toBe(200);
      }
      const ours = await t.app.inject("/assets/application.js");
      expect(ours.statusCode).toBe(200);
      expect(ours.body).toContain('from "./govuk-frontend.min.js"');
      expect((await t.app.inject("/assets/govuk-frontend.min.js")).statusCode).toBe(200);
      expect((await t.app.inject("/assets/images/favicon.ico")).statusCode).toBe(200);
    });

    it("links pages to fingerprinted addresses cached for a year, and compresses what it serves", async () => {
      const page = (await t.app.inject("/")).body;
      const links = [...page.matchAll(/(?:href|src)="(\/assets\/[0-9a-f]{12}\/[^"]+)"/g)].map(
        (match) => match[1]!,
      );
      expect(links).toEqual(
        expect.arrayContaining([
          `${assetBase}/govuk-frontend.min.css`,
          `${assetBase}/application.css`,
          `${assetBase}/application.js`,
          `${assetBase}/public/site.js`,
        ]),
      );
      expect(page).not.toMatch(/(?:href|src)="\/assets\/(?![0-9a-f]{12}\/)/);
      for (const url of [...links, `${assetBase}/govuk-frontend.min.js`]) {
        const response = await t.app.inject({ url, headers: { "accept-encoding": "br, gzip" } });
        expect(response.statusCode, url).toBe(200);
        expect(response.headers["cache-control"], url).toBe("public, max-age=31536000, immutable");
      }
      // govuk-frontend's CSS is about 130 KB; a browser that accepts brotli or gzip gets a fraction of it.
      const plain = await t.app.inject(`${assetBase}/govuk-frontend.min.css`);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      for (const encoding of ["br", "gzip"]) {
        const packed = await t.app.inject({
          url: `${assetBase}/govuk-frontend.min.css`,
          headers: { "accept-encoding": encoding },
        });
        expect(packed.headers["content-encoding"]).toBe(encoding);
        expect(packed.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
        const unpacked =
          encoding === "br" ? brotliDecompressSync(packed.rawPayload) : gunzipSync(packed.rawPayload);
        expect(unpacked.toString()).toBe(plain.body);
      }
      // Pages are not compressed: a page's secrets are never compressed beside what a visitor typed (BREACH).
      const html = await t.app.inject({ url: "/", headers: { "accept-encoding": "br, gzip" } });
      expect(html.headers["content-encoding"]).toBeUndefined();
      // An address of another version is not found, rather than served stale for a year.
      expect((await t.app.inject("/assets/000000000000/application.css")).statusCode).toBe(404);
    });

    it("serves nothing outside the asset folders", async () => {
      for (const url of [
        "/assets/../package.json",
        "/assets/%2e%2e/%2e%2e/package.json",
        "/assets/index.scss",
      ]) {
        expect((await t.app.inject(url)).statusCode, url).toBe(404);
      }
    });
  });

  it("opens on the public site's start page; the back office is at /staff", async () => {
    const browser = new Browser(t.app);
    const root = await browser.get("/");
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('href="/request"');
    expect((await browser.get("/staff")).headers.location).toMatch(/^\/staff\/sign-in/);
  });
});
