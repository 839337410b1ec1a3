import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { Readable } from "node:stream";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../db/testing.ts";
import { DEMO_PASSWORD, loadDemoData } from "../demo/index.ts";
import { createApiToken } from "../users/index.ts";
import { Browser, csrfFrom, openTestApp, type TestApp } from "./testing.ts";

// The security scan's findings (issue 16, "Bad input"), each kept as a regression test: odd input gets a clear
// 4xx in the app's own error page or JSON error shape, never a 500 or Fastify's default answer, and nothing
// half-written is stored.

// Far ahead of the wall clock, which the test browser's cookie jar reads (src/web/testing.ts).
const now = new Date("2030-11-18T10:00:00Z");
const NUL = "\u0000";

function expectAppPage(response: LightMyRequestResponse) {
  expect(response.headers["content-type"]).toMatch(/^text\/html/);
  expect(response.body).toContain("govuk-template");
  expect(response.body).not.toContain('"statusCode"');
}

function expectApiError(response: LightMyRequestResponse) {
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  expect(response.json()).toMatchObject({ errors: [{ message: expect.any(String) }] });
  expect(response.json().correlationId).toEqual(expect.any(String));
}

describe.each(testBackends())("bad input on $name", (backend) => {
  let t: TestApp;
  let officer: Browser;
  let manager: Browser;
  let token: string;
  let sarId: number;
  let foiId: number;

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    await loadDemoData(t.handle.db, now);
    officer = new Browser(t.app);
    expect((await officer.signIn("officer", DEMO_PASSWORD)).statusCode).toBe(303);
    manager = new Browser(t.app);
    expect((await manager.signIn("manager", DEMO_PASSWORD)).statusCode).toBe(303);
    token = (await createApiToken(t.handle.db, { username: "officer" }, now)).token;
    const inProgress = (regime: string) =>
      t.handle.db
        .selectFrom("requests")
        .select("id")
        .where("regime", "=", regime as "sar")
        .where("state", "=", "in-progress")
        .executeTakeFirstOrThrow();
    sarId = (await inProgress("sar")).id;
    foiId = (await inProgress("foia")).id;
  }, 120_000);
  afterAll(async () => t?.close());

  describe("a NUL character (U+0000) is taken out at the boundary, never a 500", () => {
    it("in a public form step", async () => {
      const visitor = new Browser(t.app);
      expect((await visitor.post("/request", { kind: "foi" })).statusCode).toBe(303);
      const response = await visitor.post("/request/foi/information", {
        description: `All the${NUL} minutes of the 2025 board meetings`,
      });
      expect(response.statusCode).toBe(303);
      const page = await visitor.get("/request/foi/information");
      expect(page.body).toContain("All the minutes of the 2025 board meetings");
    });

    it("in feedback", async () => {
      const response = await new Browser(t.app).post("/feedback", {
        satisfaction: "satisfied",
        comments: `Clear${NUL} and quick`,
      });
      expect(response.statusCode).toBe(303);
      const saved = await t.handle.db
        .selectFrom("feedback")
        .select("comments")
        .where("comments", "=", "Clear and quick")
        .execute();
      expect(saved).toHaveLength(1);
    });

    it("in the disclosure log's filters: page, CSV and API", async () => {
      for (const url of [
        "/disclosure-log?q=police%00station&year=2%0025",
        "/disclosure-log.csv?q=%00&topic=Energy%00",
        "/api/v1/disclosure-log?q=station%00&outcome=%00",
      ]) {
        const response = await t.app.inject(url);
        expect(response.statusCode, url).toBeLessThan(500);
      }
      const page = await t.app.inject("/disclosure-log?q=electricity%00");
      expect(page.statusCode).toBe(200);
    });

    it("in POST /api/v1/requests and in an action", async () => {
      const authorization = `Bearer ${token}`;
      const created = await t.app.inject({
        method: "POST",
        url: "/api/v1/requests",
        headers: { authorization },
        payload: {
          regime: "foia",
          requester: { name: `Ann${NUL} Example`, email: "ann@example.org" },
          body: `The 2025 fleet${NUL} budget`,
        },
      });
      expect(created.statusCode).toBe(201);
      const stored = await t.handle.db
        .selectFrom("requests")
        .innerJoin("requesters", "requesters.id", "requests.requester_id")
        .select(["requests.body", "requesters.name"])
        .where("requests.reference", "=", created.json().reference)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ body: "The 2025 fleet budget", name: "Ann Example" });

      const detail = await t.app.inject({
        url: `/api/v1/requests/${created.json().id}`,
        headers: { authorization },
      });
      const noted = await t.app.inject({
        method: "POST",
        url: `/api/v1/requests/${created.json().id}/actions`,
        headers: { authorization },
        payload: { type: "add-note", note: `Called${NUL} the fleet manager`, version: detail.json().version },
      });
      expect(noted.statusCode).toBe(200);
    });

    it("in the staff note form", async () => {
      const page = await officer.get(`/staff/requests/${foiId}/actions/add-note`);
      const version = /name="version"[^>]*value="(\d+)"/.exec(page.body)?.[1] ?? "";
      const response = await officer.post(`/staff/requests/${foiId}/actions/add-note`, {
        _csrf: csrfFrom(page.body),
        version,
        note: `Spoke to${NUL} the records team`,
      });
      expect(response.statusCode).toBe(303);
      const show = await officer.get(`/staff/requests/${foiId}`);
      expect(show.body).toContain("Spoke to the records team");
    });
  });

  describe("odd addresses and headers get the app's own error answer", () => {
    it("a sign-in return path with a character outside ASCII is kept safe, not a 500", async () => {
      const response = await officer.get("/staff/sign-in?next=/staff/%C4%80");
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe("/staff/%C4%80");
    });

    it("the cookie form's returnTo with a control character goes back to a safe path", async () => {
      const response = await new Browser(t.app).post("/cookies", { analytics: "no", returnTo: "/\u0001x" });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe("/%01x?cookies=saved");
    });

    it("a path that is not valid percent-encoding (/track/%ff%fe) shows the error page", async () => {
      const response = await t.app.inject("/track/%ff%fe");
      expect(response.statusCode).toBe(400);
      expectAppPage(response);
      const api = await t.app.inject("/api/v1/requests/%ff%fe");
      expect(api.statusCode).toBe(400);
      expectApiError(api);
    });

    it("a path segment longer than any id (414) shows the error page", async () => {
      const response = await t.app.inject(`/track/${"a".repeat(200)}`);
      expect(response.statusCode).toBe(414);
      expectAppPage(response);
    });

    it("headers over Node's size limit (431) get the error page, or JSON under /api", async () => {
      await t.app.listen({ port: 0, host: "127.0.0.1" });
      const { port } = t.app.server.address() as AddressInfo;
      const ask = (path: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(port, "127.0.0.1", () =>
            socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`),
          );
          let answer = "";
          socket.on("data", (chunk) => {
            answer += chunk.toString("utf8");
          });
          socket.on("close", () => resolve(answer));
          // The server closes without reading the rest of what was sent: a reset after its answer.
          socket.on("error", (error) => (answer ? resolve(answer) : reject(error)));
        });
      const page = await ask("/disclosure-log");
      expect(page).toMatch(/^HTTP\/1\.1 431 /);
      expect(page).toMatch(/content-type: text\/html/i);
      expect(page).toContain("govuk-template");
      const api = await ask("/api/v1/requests");
      expect(api).toMatch(/^HTTP\/1\.1 431 /);
      expect(api).toContain('{"errors":[{"message":');
    });

    it("a form for a paragraph that does not exist answers 404, not 500", async () => {
      const response = await manager.post("/staff/paragraphs/999999", {
        _csrf: await manager.csrfToken(),
        title: "",
        text: "",
      });
      expect(response.statusCode).toBe(404);
      expectAppPage(response);
    });

    it("a reply form posted on a subject access request answers 404 or 409, not 500", async () => {
      const response = await officer.post(`/staff/requests/${sarId}/reply`, {
        _csrf: await officer.csrfToken(),
        version: "1",
        summary: "",
      });
      expect([404, 409]).toContain(response.statusCode);
      expectAppPage(response);
    });
  });

  describe("uploads", () => {
    const upload = async (browser: Browser, requestId: number, filename: string, bytes: Buffer) => {
      const boundary = "----foidesk-bad-input";
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${await browser.csrfToken()}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
      return t.app.inject({
        method: "POST",
        url: `/staff/requests/${requestId}/documents`,
        headers: {
          ...browser.cookieHeader(),
          "content-type": `multipart/form-data; boundary=${boundary}`,
        },
        payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
      });
    };
    const documentCount = async () =>
      Number(
        (
          await t.handle.db
            .selectFrom("documents")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("a file named like an object property (x.constructor, x.__proto__) is refused naming the field", async () => {
      const before = await documentCount();
      for (const filename of ["x.constructor", "x.__proto__", "x.toString", "x.hasOwnProperty"]) {
        const response = await upload(officer, foiId, filename, Buffer.from("%PDF-1.7 a letter"));
        expect(response.statusCode, filename).toBe(422);
        expect(response.body).toContain("The file must be one of");
      }
      expect(await documentCount()).toBe(before);
    });
  });

  describe("a large signed-in upload", () => {
    it("of 10 files of 19 MB is refused (413) early, without holding them all in memory", async () => {
      await t.app.listen({ port: 0, host: "127.0.0.1" }).catch(() => {});
      const { port } = t.app.server.address() as AddressInfo;
      const boundary = "----foidesk-large-upload";
      const csrf = await officer.csrfToken();
      const fileBytes = 19 * 1024 * 1024;
      const chunk = Buffer.alloc(1024 * 1024, 0x41);
      let sentBytes = 0;
      async function* body() {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`);
        for (let file = 0; file < 10; file++) {
          yield Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="part-${file}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
          );
          for (let sent = 0; sent < fileBytes; sent += chunk.length) {
            sentBytes += chunk.length;
            yield chunk;
          }
          yield Buffer.from("\r\n");
        }
        yield Buffer.from(`--${boundary}--\r\n`);
      }
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      const status = await new Promise<number>((resolve, reject) => {
        const request = httpRequest(
          {
            port,
            host: "127.0.0.1",
            method: "POST",
            path: `/staff/requests/${foiId}/documents`,
            headers: {
              ...officer.cookieHeader(),
              "content-type": `multipart/form-data; boundary=${boundary}`,
            },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on("error", reject);
        Readable.from(body()).pipe(request);
      });
      clearInterval(sampler);
      const raisedMb = Math.round((peak - before) / 1024 / 1024);
      console.info(
        `large upload: refused with ${status}; RSS ${Math.round(before / 1024 / 1024)} MB before, peak +${raisedMb} MB; ${Math.round(sentBytes / 1024 / 1024)} MB read by then`,
      );
      expect(status).toBe(413);
      expect(raisedMb).toBeLessThan(100);
    }, 120_000);
  });

  describe("cookie consent cannot be forged by another site", () => {
    it("a form posted from another origin is refused and sets nothing", async () => {
      const response = await t.app.inject({
        method: "POST",
        url: "/cookies",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: "https://evil.example",
          "sec-fetch-site": "cross-site",
        },
        payload: "analytics=yes&returnTo=/",
      });
      expect(response.statusCode).toBe(403);
      expectAppPage(response);
      expect(response.headers["set-cookie"] ?? "").not.toContain("cookie_policy");
    });

    it("the same form from this site is saved", async () => {
      const response = await t.app.inject({
        method: "POST",
        url: "/cookies",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: "http://localhost:3000",
          "sec-fetch-site": "same-origin",
        },
        payload: "analytics=no&returnTo=/",
      });
      expect(response.statusCode).toBe(303);
    });

    it("is saved when the browser says same-origin but sends Origin: null (our no-referrer policy; the browser tests found it)", async () => {
      const response = await t.app.inject({
        method: "POST",
        url: "/cookies",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: "null",
          "sec-fetch-site": "same-origin",
        },
        payload: "analytics=no&returnTo=/",
      });
      expect(response.statusCode).toBe(303);
    });
  });
});
