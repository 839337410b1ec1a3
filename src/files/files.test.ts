import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it, vi } from "vitest";
import { cleanFile, FileRefused, fileText, inspectFile, PdfPageCache, redactPdf } from "./index.ts";
import {
  calcSpreadsheet,
  excelWorkbook,
  hiddenDataPdf,
  jpegWithApp1,
  letterPdf,
  libreOfficeWorkbook,
  powerPointPresentation,
  wordDocument,
  writerDocument,
} from "./testing.ts";

const kinds = (findings: { kind: string }[]) => new Set(findings.map((finding) => finding.kind));

/** Every part of a ZIP package as text, so a test can look for a planted string anywhere in the file. */
function everyPart(bytes: Uint8Array): string {
  return Object.entries(unzipSync(bytes))
    .map(([name, data]) => `${name}\n${strFromU8(data, true)}`)
    .join("\n");
}

const scratch = mkdtempSync(join(tmpdir(), "foidesk-files-"));

/**
 * Every byte of a PDF with each stream inflated, earlier revisions and unused objects included (read from the
 * raw file, not through a PDF library), plus qpdf's decompressed rewrite of it as a second reader.
 */
function everyObject(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes).toString("latin1");
  const streams = [...raw.matchAll(/stream\r?\n/g)].map((match) => {
    const start = match.index + match[0].length;
    const end = raw.indexOf("endstream", start);
    try {
      return inflateSync(Buffer.from(bytes.subarray(start, end))).toString("latin1");
    } catch {
      return "";
    }
  });
  const path = join(scratch, `raw-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(path, bytes);
  const qdf = execFileSync("qpdf", ["--qdf", "--object-streams=disable", path, "-"], {
    maxBuffer: 1 << 26,
  }).toString("latin1");
  return [raw, ...streams, qdf].join("\n");
}

/** The text poppler's pdftotext reads from a PDF (what a viewer shows and copies). */
function viewerText(bytes: Uint8Array): string {
  const path = join(scratch, `text-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(path, bytes);
  return execFileSync("pdftotext", [path, "-"]).toString();
}

describe("spreadsheets", () => {
  it("finds every kind of hidden data in a workbook written the way Excel writes it", async () => {
    const result = await inspectFile("pay.xlsm", excelWorkbook({ macro: true }));
    expect(result.format).toBe("xlsm");
    expect(kinds(result.findings)).toEqual(
      new Set([
        "hidden-sheet",
        "hidden-row",
        "hidden-column",
        "comment",
        "pivot-cache",
        "external-link",
        "defined-name",
        "metadata",
        "macro",
      ]),
    );
    expect(result.findings).toContainEqual({
      kind: "hidden-sheet",
      where: "sheet StaffList",
      detail: "2 cells: PLANT_HIDDENSHEET, 7",
    });
    expect(result.findings).toContainEqual({
      kind: "hidden-sheet",
      where: "sheet Secret (very hidden)",
      detail: "1 cell: PLANT_VERYHIDDEN",
    });
    expect(result.findings).toContainEqual({
      kind: "hidden-row",
      where: "sheet Summary, rows 2",
      detail: "1 cell: PLANT_HIDDENROW",
    });
    expect(result.findings).toContainEqual({
      kind: "hidden-column",
      where: "sheet Summary, columns C",
      detail: "1 cell: PLANT_HIDDENCOLUMN",
    });
    expect(result.findings).toContainEqual({
      kind: "comment",
      where: "sheet Summary, cell B1",
      detail: "PLANT_COMMENT_AUTHOR: PLANT_COMMENT",
    });
    expect(result.findings.find((f) => f.kind === "pivot-cache")?.detail).toContain("StaffList!A1:B3");
    expect(result.findings.find((f) => f.kind === "external-link")?.detail).toContain("PLANT_EXTERNAL");
    // Excel's own hidden name for an autofilter is not hidden data; a hidden name and one into a hidden sheet are.
    expect(result.findings.filter((f) => f.kind === "defined-name").map((f) => f.where)).toEqual([
      "name Staff",
      "name PLANT_NAME (hidden)",
    ]);
    expect(result.findings.filter((f) => f.kind === "metadata").map((f) => f.detail)).toEqual(
      expect.arrayContaining([
        "PLANT_AUTHOR",
        "PLANT_MODIFIER",
        "PLANT_KEYWORDS",
        "PLANT_DESCRIPTION",
        "PLANT_COMPANY",
        "PLANT_MANAGER",
        "PLANT_CUSTOM",
      ]),
    );
  });

  it("cleans an Excel workbook down to its visible cells, values and formats kept", async () => {
    const copy = await cleanFile("pay.xlsm", excelWorkbook({ macro: true }));
    expect(copy.format).toBe("xlsx");
    const raw = everyPart(copy.bytes);
    expect(raw).not.toMatch(/PLANT_/);
    expect(raw).not.toContain("StaffList"); // the formula naming the hidden sheet goes; its value stays
    for (const visible of [
      "Visible heading",
      "Visible total",
      "After the hidden row",
      "Inline visible",
      "<v>42</v>",
      "<v>99</v>",
      "<v>45142</v>",
      "0.0%",
      "<b/>",
    ])
      expect(raw).toContain(visible);
    expect((await inspectFile("clean.xlsx", copy.bytes)).findings).toEqual([]);
    // Hidden row 2 and column C are taken out: "Visible total" moves up to row 2, the date from D3 to C2.
    const sheet = strFromU8(unzipSync(copy.bytes)["xl/worksheets/sheet1.xml"]!);
    expect(sheet).toMatch(/<c r="A2" t="inlineStr"><is><t xml:space="preserve">Visible total/);
    expect(sheet).toMatch(/<c r="C2" s="\d+"><v>45142<\/v>/);
    // Basic formatting among the visible cells stays: widths (column D is now C), the row's height, and
    // merged areas less their hidden rows and columns (one only over hidden column C goes).
    expect(sheet).toContain(
      '<cols><col min="1" max="2" width="12" customWidth="1"/><col min="3" max="3" width="20.5" customWidth="1"/></cols>',
    );
    expect(sheet).toContain('<row r="2" ht="30" customHeight="1">');
    expect(sheet).toContain(
      '<mergeCells count="2"><mergeCell ref="A4:C4"/><mergeCell ref="A2:B2"/></mergeCells>',
    );
  });

  it("cleans a workbook the way LibreOffice saves it as XLSX, keeping its formatting among the visible cells", async () => {
    const original = libreOfficeWorkbook();
    const result = await inspectFile("pay.xlsx", original);
    expect(kinds(result.findings)).toEqual(
      new Set(["hidden-sheet", "hidden-row", "hidden-column", "comment", "metadata"]),
    );
    const copy = await cleanFile("pay.xlsx", original);
    const raw = everyPart(copy.bytes);
    expect(raw).not.toMatch(/PLANT_/);
    const parts = unzipSync(copy.bytes);
    const sheet = strFromU8(parts["xl/worksheets/sheet1.xml"]!);
    const styles = strFromU8(parts["xl/styles.xml"]!);
    // Column B is hidden: C moves to B; row 2 is hidden: 3 and 4 move up.
    expect(sheet).toContain(
      '<cols><col min="1" max="1" width="25.5" customWidth="1"/><col min="2" max="1024" width="11.52" customWidth="1"/></cols>',
    );
    expect(sheet).toMatch(/<c r="A1" s="(\d+)" t="inlineStr"><is><t xml:space="preserve">Name<\/t>/);
    expect(sheet).toMatch(/<c r="B1" s="\d+"><v>45142<\/v><\/c><c r="C1" t="b"><v>1<\/v><\/c>/);
    expect(sheet).toContain('<row r="2" ht="25.5" customHeight="1"><c r="A2" t="inlineStr">');
    expect(sheet).toContain('<c r="B2"><v>45142</v></c>');
    expect(sheet).toContain('<mergeCells count="1"><mergeCell ref="A3:B3"/></mergeCells>');
    expect(styles).toContain('formatCode="DD/MM/YYYY"');
    expect(styles).toContain("<b/>");
    expect((await inspectFile("clean.xlsx", copy.bytes)).findings).toEqual([]);
  });

  it("finds and cleans the hidden data of a spreadsheet written the way LibreOffice writes it", async () => {
    const bytes = calcSpreadsheet();
    const result = await inspectFile("pay.ods", bytes);
    expect(result.format).toBe("ods");
    expect(kinds(result.findings)).toEqual(
      new Set(["hidden-sheet", "hidden-row", "hidden-column", "comment", "defined-name", "metadata"]),
    );
    expect(result.findings).toContainEqual({
      kind: "hidden-sheet",
      where: "sheet StaffList",
      detail: "1 cell: PLANT_HIDDENSHEET",
    });
    const copy = await cleanFile("pay.ods", bytes);
    const raw = everyPart(copy.bytes);
    expect(raw).not.toMatch(/PLANT_/);
    for (const visible of [
      "Visible heading",
      "Visible total",
      'office:value="42"',
      'office:date-value="2023-08-03"',
    ])
      expect(raw).toContain(visible);
    expect(strFromU8(unzipSync(copy.bytes).mimetype!)).toBe("application/vnd.oasis.opendocument.spreadsheet");
  });

  it("refuses a zip bomb with a clear error instead of running out of memory", async () => {
    const bomb = zipSync({
      "[Content_Types].xml": strToU8("<Types/>"),
      "xl/workbook.xml": strToU8(
        '<workbook><sheets><sheet name="A" r:id="rId1" xmlns:r="r"/></sheets></workbook>',
      ),
      "xl/_rels/workbook.xml.rels": strToU8(
        '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
      "xl/worksheets/sheet1.xml": [
        strToU8(`<worksheet>${" ".repeat(16 * 1024 * 1024)}</worksheet>`),
        { level: 6 },
      ],
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(inspectFile("bomb.xlsx", bomb)).rejects.toThrow(/zip bomb/);
  });
});

describe("documents and presentations", () => {
  it("finds tracked changes, comments, hidden and white text, metadata and the workbook inside a Word file", async () => {
    const result = await inspectFile("letter.docx", wordDocument());
    expect(result.format).toBe("docx");
    expect(kinds(result.findings)).toEqual(expect.objectContaining({}));
    for (const kind of [
      "tracked-change",
      "comment",
      "hidden-text",
      "metadata",
      "embedded-object",
      "hidden-sheet",
      "pivot-cache",
    ])
      expect(kinds(result.findings)).toContain(kind);
    expect(result.findings).toContainEqual({
      kind: "tracked-change",
      where: "word/document.xml, paragraph 2",
      detail: "deleted by Bob: PLANT_DELETED",
    });
    expect(result.findings.filter((f) => f.kind === "hidden-text").map((f) => f.detail)).toEqual([
      "hidden formatting: PLANT_VANISH",
      "text coloured #FFFFFF on #FFFFFF: PLANT_WHITE",
      "hidden formatting: PLANT_STYLEHIDDEN",
      "hidden formatting: PLANT_TEXTBOXHIDDEN",
      "hidden formatting: PLANT_FOOTNOTEHIDDEN",
      "hidden formatting: PLANT_HEADERHIDDEN",
      "text coloured #FFFFFF on #FFFFFF: PLANT_HEADERWHITE",
    ]);
    // The embedded workbook is inspected as a workbook.
    expect(result.findings).toContainEqual({
      kind: "hidden-sheet",
      where: "in word/embeddings/Microsoft_Excel_Worksheet.xlsx: sheet NestedStaff",
      detail: "2 cells: PLANT_HIDDENSHEET, 7",
    });
  });

  it("cleans a Word file to its visible text, tracked changes accepted or rejected as the officer chooses", async () => {
    const accepted = await cleanFile("letter.docx", wordDocument(), { trackedChanges: "accept" });
    const raw = everyPart(accepted.bytes);
    expect(raw).not.toMatch(/PLANT_/);
    for (const visible of [
      "Visible title",
      "Visible start ",
      "INSERTION_WORDS",
      " visible end",
      "Commented words",
      "Shown",
      "Cell one",
      "Cell two",
      "Heading1",
      "Visible text box",
    ])
      expect(raw).toContain(visible);
    // Headers, footers, notes and text boxes keep their visible text in parts of their own.
    const parts = unzipSync(accepted.bytes);
    const part = (name: string) => strFromU8(parts[name] ?? new Uint8Array());
    expect(part("word/header1.xml")).toContain("Visible header");
    expect(part("word/header2.xml")).toContain("First page header");
    expect(part("word/footer1.xml")).toContain("Visible footer FOOTER_INSERTION");
    expect(part("word/footer1.xml")).not.toContain("FOOTER_DELETION");
    expect(part("word/footnotes.xml")).toContain("Visible footnote");
    expect(part("word/endnotes.xml")).toContain("Visible endnote");
    expect(part("word/endnotes.xml")).not.toContain("ENDNOTE_DELETION");
    const document = part("word/document.xml");
    expect(document).toContain('<w:headerReference w:type="first"');
    expect(document).toContain("<w:titlePg/>");
    expect(document).toMatch(/A noted fact<\/w:t><\/w:r><w:r>.*<w:footnoteReference w:id="1"\/>/);
    expect(document).toContain('<w:endnoteReference w:id="1"/>');
    // The text box's words appear once (its older copy for other readers is not read twice).
    expect(document.match(/Visible text box/g)).toHaveLength(1);
    expect(document).toContain("Before the box after the box");
    expect(raw).not.toContain("PLANT_UNREFERENCEDNOTE");
    expect((await inspectFile("clean.docx", accepted.bytes)).findings).toEqual([]);
    const rejectedCopy = await cleanFile("letter.docx", wordDocument(), { trackedChanges: "reject" });
    const rejected = everyPart(rejectedCopy.bytes);
    expect(rejected).not.toContain("INSERTION_WORDS");
    expect(rejected).toContain("Visible start PLANT_DELETED visible end");
    expect(rejected).toContain("Visible footer FOOTER_DELETION");
    expect(rejected).not.toContain("FOOTER_INSERTION");
    expect(rejected).toContain("Visible endnote ENDNOTE_DELETION");
  });

  it("finds and cleans the hidden data of a text document written the way LibreOffice writes it", async () => {
    const result = await inspectFile("letter.odt", writerDocument());
    expect(kinds(result.findings)).toEqual(
      new Set(["tracked-change", "comment", "hidden-text", "metadata", "embedded-object", "macro"]),
    );
    const accepted = everyPart((await cleanFile("letter.odt", writerDocument())).bytes);
    expect(accepted).not.toMatch(/PLANT_/);
    expect(accepted).toContain("Visible start INSERTION_WORDS visible end");
    for (const visible of ["Visible title", "Commented words", "Shown", "Cell one"])
      expect(accepted).toContain(visible);
    const rejected = everyPart(
      (await cleanFile("letter.odt", writerDocument(), { trackedChanges: "reject" })).bytes,
    );
    expect(rejected).toContain("Visible start PLANT_DELETED visible end");
  });

  it("reads speaker notes as comments and finds hidden slides and shapes in a presentation", async () => {
    const result = await inspectFile("briefing.pptx", powerPointPresentation({ macro: true }));
    expect(result.findings).toContainEqual({
      kind: "comment",
      where: "speaker notes (ppt/notesSlides/notesSlide1.xml)",
      detail: "PLANT_NOTES",
    });
    expect(result.findings).toContainEqual({
      kind: "hidden-text",
      where: "slide 2 (hidden slide)",
      detail: "PLANT_HIDDENSLIDE",
    });
    for (const kind of ["comment", "hidden-text", "metadata", "embedded-object", "macro"])
      expect(kinds(result.findings)).toContain(kind);
  });

  it("cleans a presentation to its visible slides and shapes: every planted part and string is gone", async () => {
    const original = powerPointPresentation({ macro: true });
    // Every planted string is there to be found before cleaning, so the check after cleaning can fail.
    const plantedBefore = new Set(everyPart(original).match(/PLANT_[A-Z_]+/g));
    expect(plantedBefore.size).toBeGreaterThanOrEqual(18);
    const copy = await cleanFile("briefing.pptm", original);
    expect(copy.format).toBe("pptx");
    const parts = unzipSync(copy.bytes);
    const raw = everyPart(copy.bytes);
    expect(raw).not.toMatch(/PLANT_/);
    for (const gone of [
      "ppt/slides/slide2.xml",
      "ppt/notesSlides/notesSlide1.xml",
      "ppt/notesMasters/notesMaster1.xml",
      "ppt/comments/comment1.xml",
      "ppt/commentAuthors.xml",
      "ppt/embeddings/oleObject1.bin",
      "ppt/vbaProject.bin",
      "ppt/tags/tag1.xml",
      "docProps/core.xml",
      "docProps/app.xml",
      "docProps/custom.xml",
      "docProps/thumbnail.jpeg",
    ])
      expect(Object.keys(parts)).not.toContain(gone);
    // What the audience sees stays: the shapes with their geometry, fill and text, the picture, the link.
    for (const visible of [
      "Visible slide",
      "Visible box",
      "Third slide",
      "Master logo text",
      '<a:prstGeom prst="rect">',
      '<a:srgbClr val="1D70B8"/>',
      'descr="Visible picture"',
      "https://www.example.org/visible",
      "Visible link",
    ])
      expect(raw).toContain(visible);
    expect(Object.keys(parts)).toContain("ppt/media/image1.jpeg");
    const presentation = strFromU8(parts["ppt/presentation.xml"]!);
    expect(presentation.match(/<p:sldId /g)).toHaveLength(2);
    expect(strFromU8(parts["[Content_Types].xml"]!)).toContain(
      '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>',
    );
    expect(strFromU8(parts["[Content_Types].xml"]!)).not.toContain("notesSlide1");
    expect((await inspectFile("clean.pptx", copy.bytes)).findings).toEqual([]);
  });
});

describe("PDF", () => {
  it("finds fake redactions, hidden text, metadata, attachments, annotations, fields, scripts and old revisions", async () => {
    const result = await inspectFile("reply.pdf", await hiddenDataPdf());
    expect(kinds(result.findings)).toEqual(
      new Set([
        "covered-text",
        "hidden-text",
        "metadata",
        "attachment",
        "annotation",
        "form-field",
        "javascript",
        "old-revision",
      ]),
    );
    expect(result.findings.find((f) => f.kind === "covered-text")).toMatchObject({
      where: expect.stringMatching(/^page 1, box /),
      detail: "under a box: PLANT_COVERED",
    });
    expect(result.findings.filter((f) => f.kind === "hidden-text").map((f) => f.detail)).toEqual([
      "invisible text: PLANT_INVISIBLE",
      "text the colour of its background: PLANT_WHITE",
      "off the page: PLANT_OFFPAGE",
      "clipped out of sight: PLANT_CLIPPED",
    ]);
    // The nothing-hidden lines are not findings.
    expect(JSON.stringify(result.findings)).not.toContain("Visible words");
  });

  it("rewrites a PDF whole: every planted string is gone from every object and stream, the visible text stays", async () => {
    const original = await hiddenDataPdf();
    // The second reader sees the planted strings in the original, so the check below can fail.
    expect(everyObject(original)).toMatch(/PLANT_OLDREV/);
    expect(everyObject(original)).toMatch(/PLANT_ATTACHMENT/);
    const copy = await cleanFile("reply.pdf", original);
    expect(everyObject(copy.bytes)).not.toMatch(/PLANT_/);
    expect(viewerText(copy.bytes)).not.toMatch(/PLANT_/);
    expect(viewerText(copy.bytes)).toContain("Visible words stay");
    expect(viewerText(copy.bytes)).toContain("Current revision");
    expect((await inspectFile("clean.pdf", copy.bytes)).findings).toEqual([]);
  });

  it("truly redacts phrases and patterns, labelling each box", async () => {
    const { default: PDFDocument } = await import("pdfkit");
    const doc = new PDFDocument({ info: { Producer: "test" } });
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
    doc.text("Dear Jo Bloggs, thank you for writing to jo.bloggs@example.org.");
    doc.text("Call 020 7946 0018 about NI number QQ 12 34 56 C at SW1A 1AA.");
    doc.text("The decision stands.");
    doc.end();
    await done;
    const bytes = new Uint8Array(Buffer.concat(chunks));
    const patterns = [/Jo Bloggs/g, /[\w.]+@[\w.]+\.\w+/g, /020 7946 0018/g, /QQ 12 34 56 C/g, /SW1A 1AA/g];
    const result = await redactPdf(bytes, {
      find: (text) =>
        patterns.flatMap((pattern) =>
          [...text.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length] as [number, number]),
        ),
      label: "s.40(2)",
    });
    const text = viewerText(result.bytes);
    for (const gone of ["Bloggs", "example.org", "7946", "QQ 12", "SW1A"]) expect(text).not.toContain(gone);
    expect(text).toContain("The decision stands.");
    expect(text).toContain("s.40(2)");
    expect(result.redacted.length).toBeGreaterThanOrEqual(5);
    expect(everyObject(result.bytes)).not.toMatch(/Bloggs|example\.org/);
  });
});

describe("a redacted PDF as saved", () => {
  it("is one revision written whole: no metadata, attachments, annotations, scripts, fields or undrawn content", async () => {
    // The file with every kind of hidden data, and a second page with nothing to redact that lists a drawing
    // it never draws (only rewriting every page's content, not only the redacted ones', takes that out).
    const mupdf = await import("mupdf");
    const doc = new mupdf.PDFDocument(await hiddenDataPdf());
    const font = doc.addSimpleFont(new mupdf.Font("Helvetica"));
    const undrawn = doc.addStream("BT /F1 12 Tf 72 400 Td (PLANT_UNDRAWN) Tj ET", {
      Type: "XObject",
      Subtype: "Form",
      BBox: [0, 0, 595, 842],
      Resources: { Font: { F1: font } },
    });
    const resources = doc.addObject({ Font: { F1: font }, XObject: { Undrawn: undrawn } });
    doc.insertPage(
      -1,
      doc.addPage([0, 0, 595, 842], 0, resources, "BT /F1 12 Tf 72 760 Td (Second page) Tj ET"),
    );
    const original = doc.saveToBuffer("incremental").asUint8Array().slice();
    expect(everyObject(original)).toMatch(/PLANT_UNDRAWN/);
    expect(Buffer.from(original).toString("latin1").match(/%%EOF/g)?.length).toBeGreaterThan(1);

    const result = await redactPdf(original, {
      find: (text) => [...text.matchAll(/Visible/g)].map((m) => [m.index, m.index + m[0].length]),
      areas: [{ page: 1, rect: [72, 200, 300, 230], label: "s.38" }],
      label: "s.40(2)",
    });
    const raw = Buffer.from(result.bytes).toString("latin1");
    // One revision: a single cross-reference section and end-of-file mark, nothing pointing at an earlier one.
    expect(raw.match(/%%EOF/g)).toHaveLength(1);
    expect(raw.match(/startxref/g)).toHaveLength(1);
    expect(raw).not.toMatch(/\/Prev\b/);
    const every = everyObject(result.bytes);
    expect(every).not.toMatch(/PLANT_/);
    for (const key of [
      "Info",
      "Metadata",
      "EmbeddedFile",
      "EmbeddedFiles",
      "Annots",
      "JavaScript",
      "JS",
      "AA",
    ])
      expect(every).not.toMatch(new RegExp(`/${key}\\b`));
    expect(every).not.toMatch(/\/OpenAction|\/AcroForm|\/Widget|\/Redact\b/);
    expect((await inspectFile("redacted.pdf", result.bytes)).findings).toEqual([]);
    const text = viewerText(result.bytes);
    expect(text).toContain("words stay");
    expect(text).toContain("Second page");
    expect(text).not.toContain("Visible");
    expect(text).toContain("s.40(2)");
    expect(result.redacted.map((area) => area.label)).toEqual(expect.arrayContaining(["s.40(2)", "s.38"]));
  });
});

describe("PDF pages kept open for drawing", () => {
  it("reads each file once while it is among the few kept, and again once it has been closed", async () => {
    const [letter, hidden, third] = [await letterPdf(), await hiddenDataPdf(), await letterPdf()];
    const mupdf = await import("mupdf");
    const opened = vi.spyOn(mupdf.Document, "openDocument");
    const pages = new PdfPageCache({ maxFiles: 2 });
    try {
      const first = await pages.render("letter", letter, 1, 1);
      expect(Buffer.from(first).equals(Buffer.from(await pages.render("letter", letter, 1, 1)))).toBe(true);
      await pages.pageSizes("hidden", hidden);
      await pages.pageSizes("letter", letter);
      expect(opened).toHaveBeenCalledTimes(2);
      // A third file closes the one used longest ago ("hidden"); the letter, used since, stays open.
      await pages.pageSizes("third", third);
      await pages.render("letter", letter, 1, 1);
      expect(opened).toHaveBeenCalledTimes(3);
      await pages.render("hidden", hidden, 1, 1);
      expect(opened).toHaveBeenCalledTimes(4);
      pages.close();
      expect(Buffer.from(await pages.render("letter", letter, 1, 1)).equals(Buffer.from(first))).toBe(true);
      expect(opened).toHaveBeenCalledTimes(5);
      await expect(pages.render("letter", letter, 2, 1)).rejects.toThrow(/has no page 2/);
    } finally {
      pages.close();
      opened.mockRestore();
    }
  });
});

describe("PDF redaction across lines", () => {
  it("removes a match that runs over a line break from both lines, and nothing else", async () => {
    const result = await redactPdf(await letterPdf(), {
      // From the end of the first line to the start of the second: the text says where, across the break.
      find: (text) => {
        const match = /bloggs@example\.org\.\s*\n\s*Call 020/.exec(text);
        return match ? [[match.index, match.index + match[0].length]] : [];
      },
      label: "s.40(2)",
    });
    expect(result.redacted).toHaveLength(2);
    const text = viewerText(result.bytes);
    for (const gone of ["example.org", "Call 020"]) expect(text).not.toContain(gone);
    for (const kept of ["Dear Jo Bloggs", "7946 0018 if you have questions", "The decision stands."])
      expect(text).toContain(kept);
  });
});

describe("other formats", () => {
  it("flags CSV cells a spreadsheet would run as formulas, and defuses them", async () => {
    const csv = strToU8('name,amount\n"=HYPERLINK(""http://x"",""click"")",-5\n"+SUM(1,2)",@cmd\n');
    const result = await inspectFile("list.csv", csv);
    expect(result.findings.map((f) => f.where)).toEqual([
      "row 2, column A",
      "row 3, column A",
      "row 3, column B",
    ]);
    const copy = strFromU8((await cleanFile("list.csv", csv)).bytes);
    expect(copy).toContain(`"'=HYPERLINK(""http://x"",""click"")",-5`);
    expect((await inspectFile("clean.csv", strToU8(copy))).findings).toEqual([]);
  });

  it("finds image metadata (Exif, GPS position, XMP, PNG text) and removes it", async () => {
    const exif = exifBlock();
    const jpeg = jpegWithApp1(new Uint8Array(exif));
    const result = await inspectFile("photo.jpg", jpeg);
    expect(result.findings).toContainEqual({
      kind: "metadata",
      where: "Exif artist",
      detail: "PLANT_ARTIST",
    });
    expect(result.findings).toContainEqual({
      kind: "metadata",
      where: "Exif GPS position",
      detail: "latitude 51.50000, longitude -0.12500",
    });
    const clean = await cleanFile("photo.jpg", jpeg);
    expect(Buffer.from(clean.bytes).toString("latin1")).not.toContain("PLANT_");
    expect([...clean.bytes.slice(-5)]).toEqual([1, 2, 3, 0xff, 0xd9]);
  });

  it("says a file it cannot inspect cannot be released until converted", async () => {
    await expect(
      inspectFile("minutes.doc", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])),
    ).rejects.toThrow(/save it as .xlsx, .docx or PDF/);
    await expect(inspectFile("photo.heic", strToU8("ftypheic"))).rejects.toThrow(FileRefused);
    await expect(inspectFile("photo.heic", strToU8("ftypheic"))).rejects.toThrow(
      /cannot be released until it is converted/,
    );
    const locked = zipSync({ EncryptionInfo: strToU8("x"), mimetype: strToU8("application/x-other") });
    await expect(inspectFile("locked.xlsx", locked)).rejects.toThrow(/encrypted/);
  });

  it("reads all the text of every format for the requester and phrase checks, hidden text included", async () => {
    expect(await fileText("pay.xlsx", excelWorkbook())).toContain("PLANT_HIDDENSHEET");
    expect(await fileText("letter.docx", wordDocument())).toContain("PLANT_VANISH");
    expect(await fileText("reply.pdf", await hiddenDataPdf())).toContain("PLANT_COVERED");
  });
});

/** A minimal Exif block (big-endian TIFF) with an artist and a GPS position of 51.5 N, 0.125 W. */
function exifBlock(): number[] {
  const out: number[] = [];
  const u16 = (n: number) => out.push(n >> 8, n & 255);
  const u32 = (n: number) => out.push((n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255);
  const entry = (tag: number, type: number, count: number, value: number) => {
    u16(tag);
    u16(type);
    u32(count);
    u32(value);
  };
  out.push(...strToU8("Exif\0\0"), ...strToU8("MM"));
  u16(42);
  u32(8);
  const artist = strToU8("PLANT_ARTIST\0");
  // IFD0 at 8: two entries (artist, GPS pointer), then next-IFD 0; the artist's 13 bytes at 38, a pad, the GPS IFD at 52.
  u16(2);
  entry(315, 2, artist.length, 38);
  entry(34853, 4, 1, 52);
  u32(0);
  out.push(...artist, 0);
  // GPS IFD at 52: N, latitude (51/1, 30/1, 0/1), W, longitude (0/1, 7/1, 30/1)
  u16(4);
  entry(1, 2, 2, 0x4e000000); // N
  entry(2, 5, 3, 52 + 2 + 4 * 12 + 4);
  entry(3, 2, 2, 0x57000000); // W
  entry(4, 5, 3, 52 + 2 + 4 * 12 + 4 + 24);
  u32(0);
  for (const [n, d] of [
    [51, 1],
    [30, 1],
    [0, 1],
    [0, 1],
    [7, 1],
    [30, 1],
  ]) {
    u32(n!);
    u32(d!);
  }
  return out;
}
