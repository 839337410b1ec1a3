import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mupdf from "mupdf";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testBackends } from "../../../db/testing.ts";
import { renderPdfPage } from "../../../files/index.ts";
import { excelWorkbook, letterPdf, wordDocument } from "../../../files/testing.ts";
import { createRequest, performAction, saveReplyDraft } from "../../../requests/index.ts";
import { gangsReplyInput, type ReplyInput } from "../../../responses/index.ts";
import { addStaff, Browser, csrfFrom, openTestApp, type TestApp, visible } from "../../testing.ts";

// Release safety as staff meet it on the request page: an uploaded file's hidden data in plain words, a clean
// copy made by the page's form, and release as it is by an approver who did not upload it, with a reason.

// The test browser's cookie jar reads the wall clock (src/web/testing.ts), so the app's time is today's.
// A fixed day (a Wednesday, no bank holiday near), given to the app as its clock: never the wall clock.
const now = new Date("2026-06-10T10:00:00Z");
const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(now);

/** The text poppler's pdftotext reads from a PDF (what a viewer shows and copies). */
function pdfText(bytes: Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), "foidesk-redact-")), "file.pdf");
  writeFileSync(path, bytes);
  return execFileSync("pdftotext", [path, "-"]).toString();
}

describe.each(testBackends())("hidden data in a request's files on $name", (backend) => {
  let t: TestApp;
  let officer: Browser;
  let approver: Browser;
  let href: string;

  async function upload(browser: Browser, name: string, bytes: Uint8Array) {
    const page = await browser.get(href);
    const boundary = "----foidesk-hidden-data-test";
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfFrom(page.body)}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(bytes),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await t.app.inject({
      method: "POST",
      url: `${href}/documents`,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}`, ...browser.cookieHeader() },
      payload,
    });
    expect(response.statusCode).toBe(303);
  }

  /** The id of the (last) form on the request page posting to `…/documents/:id/<action>`. */
  function formAction(html: string, action: string): string {
    const matches = [
      ...html.matchAll(new RegExp(`action="(/staff/requests/\\d+/documents/\\d+/${action})"`, "g")),
    ];
    if (matches.length === 0) throw new Error(`no ${action} form on the page`);
    return matches.at(-1)![1]!;
  }

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    await addStaff(t.handle, {
      username: "olu",
      name: "Olu Officer",
      role: "officer",
      team: "Information Rights",
    });
    await addStaff(t.handle, {
      username: "ava",
      name: "Ava Approver",
      role: "approver",
      team: "Information Rights",
    });
    const user = await t.handle.db
      .selectFrom("users")
      .select(["id", "team_id"])
      .where("username", "=", "olu")
      .executeTakeFirstOrThrow();
    const created = await createRequest(
      t.handle.db,
      {
        regime: "foia",
        channel: "post",
        receivedDate: today,
        body: "The number of staff by grade.",
        requester: { name: "Jo Bloggs", email: "jo@example.org" },
        teamId: user.team_id!,
      },
      { userId: user.id, label: "Olu Officer", role: "officer" },
      now,
    );
    href = `/staff/requests/${created.id}`;
    officer = new Browser(t.app);
    expect((await officer.signIn("olu")).statusCode).toBe(303);
    approver = new Browser(t.app);
    expect((await approver.signIn("ava")).statusCode).toBe(303);
  });
  afterAll(async () => t?.close());

  it("shows an uploaded workbook's hidden sheet and staff names in plain words, and lets an approver release it with a reason", async () => {
    await upload(officer, "pay.xlsx", excelWorkbook());
    const page = await officer.get(href);
    const text = visible(page.body);
    expect(text).toContain("Hidden data in these files");
    expect(text).toContain("Cannot be sent or published");
    expect(text).toContain("Hidden sheet (sheet StaffList): 2 cells: PLANT_HIDDENSHEET, 7");
    expect(text).toContain("Pivot table data (the rows a summary was built from)");
    // An officer cannot wave it through; the approver who did not upload it can, with a reason.
    expect(page.body).not.toContain("Release as it is</button>");
    const approverPage = await approver.get(href);
    const action = formAction(approverPage.body, "release");
    const empty = await approver.post(action, { _csrf: csrfFrom(approverPage.body), reason: " " });
    expect(empty.statusCode).toBe(422);
    expect(visible(empty.body)).toContain("Say why the file can be released as it is");
    const done = await approver.post(action, {
      _csrf: csrfFrom(approverPage.body),
      reason: "The hidden sheet holds only published grades.",
    });
    expect(done.statusCode).toBe(303);
    const after = visible((await officer.get(href)).body);
    expect(after).toContain("Released as it is by Ava Approver");
    expect(after).toContain("The hidden sheet holds only published grades.");
    expect(after).toContain("Document released with its hidden data");
  });

  it("makes a clean copy of a Word file with its tracked changes rejected; the original stays in the case file", async () => {
    await upload(officer, "letter.docx", wordDocument());
    const page = await officer.get(href);
    expect(visible(page.body)).toContain(
      "Tracked change (word/document.xml, paragraph 2): deleted by Bob: PLANT_DELETED",
    );
    const response = await officer.post(formAction(page.body, "clean"), {
      _csrf: csrfFrom(page.body),
      trackedChanges: "reject",
    });
    expect(response.statusCode).toBe(303);
    const after = await officer.get(href);
    const text = visible(after.body);
    expect(text).toContain("Clean copy of letter.docx: nothing hidden, this is the file that goes out.");
    expect(text).toMatch(
      /A clean copy, letter\.docx , goes out instead; this original stays in the case file/,
    );
    expect(text).toContain("Clean copy made of a document");
    expect((after.body.match(/download>letter\.docx</g) ?? []).length).toBeGreaterThanOrEqual(3);
  });

  it("names a clean copy for its new format: a macro workbook's copy is an .xlsx served as one", async () => {
    await upload(officer, "rota.xlsm", excelWorkbook({ macro: true }));
    const page = await officer.get(href);
    expect(visible(page.body)).toContain("Macro code (xl/vbaProject.bin)");
    const response = await officer.post(formAction(page.body, "clean"), { _csrf: csrfFrom(page.body) });
    expect(response.statusCode).toBe(303);
    const copy = await t.handle.db
      .selectFrom("documents")
      .select(["id", "filename", "media_type"])
      .where("filename", "like", "rota.%")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(copy).toMatchObject({
      filename: "rota.xlsx",
      media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    });
    expect(visible((await officer.get(href)).body)).toContain(
      "Clean copy of rota.xlsm: nothing hidden, this is the file that goes out.",
    );
    const download = await officer.get(`${href}/documents/${copy.id}`);
    expect(download.headers["content-type"]).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(download.headers["content-disposition"]).toContain("rota.xlsx");
  });

  it("truly redacts a PDF by phrase and pattern without JavaScript, and by areas typed as numbers", async () => {
    await upload(officer, "letter.pdf", await letterPdf());
    const page = await officer.get(href);
    const redactHref = /href="(\/staff\/requests\/\d+\/documents\/\d+\/redact)"/.exec(page.body)?.[1];
    expect(redactHref).toBeDefined();
    const form = await officer.get(redactHref!);
    expect(form.statusCode).toBe(200);
    expect(visible(form.body)).toContain("Redact letter.pdf");
    expect(visible(form.body)).toContain("Page 1 of 1, 612 × 792 points");
    const image = await officer.get(redactHref!.replace(/redact$/, "pages/1"));
    expect(image.statusCode).toBe(200);
    expect(image.headers["content-type"]).toBe("image/png");
    expect(image.headers["cache-control"]).toBe("private, no-store");
    expect(image.rawPayload.subarray(1, 4).toString()).toBe("PNG");
    expect((await officer.get(redactHref!.replace(/redact$/, "pages/2"))).statusCode).toBe(404);
    // A mistyped area is refused, naming the field, with what was typed kept.
    const bad = await officer.post(redactHref!, {
      _csrf: csrfFrom(form.body),
      label: "s.40(2)",
      areas: "1, 300, 100, 72, 120",
    });
    expect(bad.statusCode).toBe(422);
    expect(visible(bad.body)).toContain("must have its right after its left");
    expect(bad.body).toContain("1, 300, 100, 72, 120");
    const done = await officer.post(redactHref!, {
      _csrf: csrfFrom(form.body),
      label: "s.40(2)",
      phrases: "Jo Bloggs",
      patterns: ["email", "uk-phone"],
      areas: "1, 60, 295, 400, 318, s.38",
    });
    expect(done.statusCode).toBe(303);
    const copy = await t.handle.db
      .selectFrom("documents")
      .select(["id", "filename", "media_type"])
      .where("filename", "=", "letter-redacted.pdf")
      .executeTakeFirstOrThrow();
    expect(copy.media_type).toBe("application/pdf");
    const bytes = new Uint8Array((await officer.get(`${href}/documents/${copy.id}`)).rawPayload);
    const text = pdfText(bytes);
    for (const gone of ["Bloggs", "example.org", "7946", "Areaname"]) expect(text).not.toContain(gone);
    expect(text).toContain("The decision stands.");
    expect(text).toContain("s.40(2)");
    expect(text).toContain("s.38");
    const after = visible((await officer.get(href)).body);
    expect(after).toContain("Redacted copy made of a PDF");
    expect(after).toContain("A clean copy, letter-redacted.pdf , goes out instead");
  });

  it("draws every page of a PDF for marking from one reading of the file, each image its own page", async () => {
    const { default: PDFDocument } = await import("pdfkit");
    const doc = new PDFDocument({ info: { Producer: "test" } });
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
    doc.fontSize(24).text("First page");
    doc.addPage().fontSize(24).text("Second page, Jo Bloggs");
    doc.addPage().rect(72, 72, 200, 100).fill("#000");
    doc.end();
    await done;
    const bytes = new Uint8Array(Buffer.concat(chunks));
    await upload(officer, "three-pages.pdf", bytes);
    const redactHref = [
      ...(await officer.get(href)).body.matchAll(/href="(\/staff\/requests\/\d+\/documents\/\d+\/redact)"/g),
    ].at(-1)?.[1];
    expect(redactHref).toBeDefined();
    // The engine is watched from here: the redaction page and its images parse the file once between them.
    const opened = vi.spyOn(mupdf.Document, "openDocument");
    try {
      const form = await officer.get(redactHref!);
      expect(visible(form.body)).toContain("Page 3 of 3");
      const images: Buffer[] = [];
      for (const page of [1, 2, 3, 1]) {
        const image = await officer.get(redactHref!.replace(/redact$/, `pages/${page}`));
        expect(image.statusCode).toBe(200);
        expect(image.headers["content-type"]).toBe("image/png");
        images.push(image.rawPayload);
      }
      expect(opened).toHaveBeenCalledTimes(1);
      // Each image is its page, drawn as a fresh reading of the file would draw it.
      for (const [index, page] of [1, 2, 3, 1].entries())
        expect(images[index]!.equals(Buffer.from(await renderPdfPage(bytes, page, 1.5)))).toBe(true);
      expect(images[0]!.equals(images[1]!)).toBe(false);
      expect(images[1]!.equals(images[2]!)).toBe(false);
    } finally {
      opened.mockRestore();
    }
  });

  it("warns on the reply preview that a disclosed file with hidden data cannot be sent", async () => {
    await upload(officer, "grades.xlsx", excelWorkbook());
    const id = Number(href.split("/").pop());
    const olu = await t.handle.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", "olu")
      .executeTakeFirstOrThrow();
    const actor = { userId: olu.id, label: "Olu Officer", role: "officer" as const };
    const row = await t.handle.db
      .selectFrom("requests")
      .select("version")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const started = await performAction(t.handle.db, id, { type: "start-work" }, row.version, actor, now);
    const {
      reference: _r,
      regime: _g,
      date: _d,
      receivedDate: _rd,
      requester: _q,
      ...draft
    } = gangsReplyInput;
    await saveReplyDraft(
      t.handle.db,
      id,
      {
        ...(draft as ReplyInput),
        disclosure: [{ kind: "attachment", fileName: "grades.xlsx", description: "Grades" }],
      },
      started.version,
      actor,
      now,
    );
    const preview = visible((await officer.get(`${href}/reply/preview`)).body);
    expect(preview).toContain("grades.xlsx cannot be sent: it holds hidden data (");
    expect(preview).toContain("Hidden sheet (sheet StaffList): 2 cells: PLANT_HIDDENSHEET, 7");
  });

  it("does not let an approver release a file they uploaded themselves", async () => {
    await upload(approver, "own.xlsx", excelWorkbook());
    const page = await approver.get(href);
    const documents = await t.handle.db
      .selectFrom("documents")
      .select("id")
      .where("filename", "=", "own.xlsx")
      .executeTakeFirstOrThrow();
    const response = await approver.post(`${href}/documents/${documents.id}/release`, {
      _csrf: csrfFrom(page.body),
      reason: "mine",
    });
    expect(response.statusCode).toBe(403);
  });
});
