import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { testBackends } from "../../db/testing.ts";
import { formText } from "../schemas.ts";
import { addStaff, Browser, openTestApp, type TestApp } from "../testing.ts";
import type { RoutePlugin } from "../types.ts";
import { staffRoutes } from "./routes/index.ts";
import type { UploadedFile } from "./uploaded-file.ts";

// A staff form with a file, as the documents page will have: the file arrives in the body beside the fields.
const uploadRoutes: RoutePlugin = async (app) => {
  app.post(
    "/test-upload",
    { schema: { body: z.object({ note: formText("Enter a note"), document: z.custom<UploadedFile>() }) } },
    async (request) => ({
      note: request.body.note,
      filename: request.body.document.filename,
      size: request.body.document.content.sizeBytes,
    }),
  );
};
staffRoutes.push(uploadRoutes);

function multipart(fields: Record<string, string>, file: { name: string; bytes: Buffer }) {
  const boundary = "----foidesk-test";
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`;
  return {
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(parts.join("") + head),
      file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

describe.each(testBackends())("staff forms with files on $name", (backend) => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await openTestApp(backend, { config: { maxUploadBytes: 1024 } });
    await addStaff(t.handle, { username: "olivia", name: "Olivia Officer", role: "officer" });
    browser = new Browser(t.app);
    await browser.signIn("olivia");
  });
  afterAll(async () => t?.close());

  const upload = async (fields: Record<string, string>, bytes: Buffer) => {
    const body = multipart(fields, { name: "letter.pdf", bytes });
    return t.app.inject({
      method: "POST",
      url: "/staff/test-upload",
      headers: { ...body.headers, cookie: `foidesk_session=${browser.cookies.get("foidesk_session")}` },
      payload: body.payload,
    });
  };

  it("receives the file and the fields together, CSRF token included", async () => {
    const response = await upload(
      { _csrf: await browser.csrfToken(), note: "Reply letter" },
      Buffer.alloc(100, 1),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ note: "Reply letter", filename: "letter.pdf", size: 100 });
  });

  it("refuses the form without the CSRF token", async () => {
    const response = await upload({ note: "Reply letter" }, Buffer.alloc(100, 1));
    expect(response.statusCode).toBe(403);
  });

  it("refuses a file over the limit with 413 and a page saying so", async () => {
    const response = await upload({ _csrf: await browser.csrfToken(), note: "Big" }, Buffer.alloc(5000, 1));
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain("What you sent is too large");
  });
});
