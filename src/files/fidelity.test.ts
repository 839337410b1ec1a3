import { strFromU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { cleanFile, FileRefused, fileText, inspectFile } from "./index.ts";
import {
  calcSpreadsheetFormatted,
  emfWithText,
  excelWorkbook,
  gifWithComment,
  jpegWithXmp,
  pngWithText,
  powerPointWithPictures,
  svgWithHiddenText,
  wordDocumentWithPicture,
  wordDocumentWithSections,
  writerDocumentWithPictures,
} from "./testing.ts";

/** Every part of a ZIP package as text, so a test can look for a planted string anywhere in the file. */
function everyPart(bytes: Uint8Array): string {
  return Object.entries(unzipSync(bytes))
    .map(([name, data]) => `${name}\n${strFromU8(data, true)}`)
    .join("\n");
}

const planted = (text: string) => new Set(text.match(/PLANT_[A-Z_]+/g));
const pngSignature = [0x89, 0x50, 0x4e, 0x47];

describe("Word clean copies keep every section and the pictures, without what the pictures hide", () => {
  it("finds the pictures' metadata and the metafile's text at inspection", async () => {
    const result = await inspectFile("report.docx", wordDocumentWithSections());
    const pictures = result.findings.filter((finding) => finding.where.startsWith("picture "));
    expect(pictures).toContainEqual({
      kind: "metadata",
      where: "picture word/media/image1.jpeg: XMP",
      detail: "PLANT_PHOTOXMP",
    });
    expect(pictures).toContainEqual({
      kind: "metadata",
      where: "picture word/media/image8.png: tEXt Author",
      detail: "PLANT_LOGOAUTHOR",
    });
    expect(pictures).toContainEqual({
      kind: "hidden-text",
      where: "picture word/media/image7.emf",
      detail: "a Windows metafile (EMF), which can hold text that is not shown: PLANT_OLEPREVIEW",
    });
    expect(
      pictures.filter((f) => f.where.startsWith("picture word/media/image4.svg")).map((f) => f.detail),
    ).toEqual(
      expect.arrayContaining([
        "PLANT_SVGTITLE",
        "PLANT_SVGDESC",
        "PLANT_SVGCREATOR",
        'alert("PLANT_SVGSCRIPT")',
        "PLANT_SVGHIDDEN",
        "PLANT_SVGCLASSHIDDEN",
        "PLANT_FOREIGN",
        "text in an XML comment",
      ]),
    );
  });

  it("keeps each section's headers, footers and page, and every visible picture cleaned of its metadata", async () => {
    const original = wordDocumentWithSections();
    expect(planted(everyPart(original)).size).toBeGreaterThanOrEqual(20);
    const copy = await cleanFile("report.docx", original, { trackedChanges: "accept" });
    const raw = everyPart(copy.bytes);
    expect(raw).not.toMatch(/PLANT_/);
    const parts = unzipSync(copy.bytes);
    const part = (name: string) => strFromU8(parts[name] ?? new Uint8Array());
    const document = part("word/document.xml");
    // Two sections: the first ends at its last paragraph, landscape, with its own header and footer.
    const sections = [...document.matchAll(/<w:sectPr>(.*?)<\/w:sectPr>/g)].map((match) => match[1]!);
    expect(sections).toHaveLength(2);
    expect(document).toMatch(
      /<w:pPr><w:sectPr>.*?<\/w:sectPr><\/w:pPr><w:r><w:t xml:space="preserve">End of section one/,
    );
    expect(sections[0]).toContain('<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>');
    expect(sections[1]).toContain('<w:type w:val="oddPage"/>');
    const target = (id: string) =>
      new RegExp(`Id="${id}" Type="[^"]+" Target="([^"]+)"`).exec(part("word/_rels/document.xml.rels"))?.[1];
    const headerOf = (section: string, kind: "header" | "footer") =>
      part(
        `word/${target(new RegExp(`<w:${kind}Reference w:type="default" r:id="(rId\\d+)"`).exec(section)![1]!)}`,
      );
    expect(headerOf(sections[0]!, "header")).toContain("Section one header");
    expect(headerOf(sections[0]!, "footer")).toContain("Section one footer");
    expect(headerOf(sections[1]!, "header")).toContain("Section two header");
    expect(headerOf(sections[1]!, "footer")).toContain("Section two footer");
    // A first-page header without a title page, and an even-page one without even and odd headers, show on
    // no page: they are not carried over.
    expect(sections[1]).not.toContain('w:type="first"');
    expect(sections[1]).not.toContain('w:type="even"');
    // The pictures shown: the photo, the floating chart (now inline), the vector's PNG copy, the header logo
    // and the footer's signature in its table cell. Not the deleted, hidden or linked ones, nor the preview of
    // the object.
    const media = Object.keys(parts).filter((name) => name.startsWith("word/media/"));
    expect(media).toHaveLength(5);
    expect(media.filter((name) => name.endsWith(".svg") || name.endsWith(".emf"))).toEqual([]);
    for (const name of media) {
      expect(parts[name]!.length).toBeGreaterThan(0);
      expect((await inspectFile(name.replace(/^.*\//, ""), parts[name]!)).findings).toEqual([]);
    }
    // Each image's bytes are there (the photo's scan data unchanged; the GIF redrawn as a PNG).
    const jpeg = media.find((name) => name.endsWith(".jpeg"))!;
    expect([...parts[jpeg]!.slice(-5)]).toEqual([1, 2, 3, 0xff, 0xd9]);
    expect(
      media.filter((name) => name.endsWith(".png")).map((name) => [...parts[name]!.slice(0, 4)]),
    ).toEqual(Array(4).fill(pngSignature));
    expect(document.match(/<w:drawing>/g)).toHaveLength(3);
    expect(document).toContain("Section one text ");
    expect(document).toContain("After the deleted picture");
    expect(headerOf(sections[0]!, "header")).toContain("<w:drawing>");
    expect(headerOf(sections[1]!, "footer")).toMatch(/<w:tc><w:p><w:r><w:drawing>/);
    expect(part("word/_rels/header1.xml.rels")).toMatch(/Target="media\/image\d\.png"/);
    // Alternative text is kept for screen readers; a file path written as a description is not alt text.
    expect(document).toContain('descr="Chart of response times"');
    expect(headerOf(sections[0]!, "header")).toContain('descr="Council logo"');
    expect(raw).not.toContain("IMG_0001");
    expect(strFromU8(parts["[Content_Types].xml"]!)).toContain(
      '<Default Extension="png" ContentType="image/png"/>',
    );
    expect((await inspectFile("clean.docx", copy.bytes)).findings).toEqual([]);
  });

  it("shows a deleted picture again when the tracked changes are rejected", async () => {
    const accepted = unzipSync((await cleanFile("report.docx", wordDocumentWithSections())).bytes);
    const rejected = unzipSync(
      (await cleanFile("report.docx", wordDocumentWithSections(), { trackedChanges: "reject" })).bytes,
    );
    const pictures = (parts: Record<string, Uint8Array>) =>
      strFromU8(parts["word/document.xml"]!).match(/<w:drawing>/g)?.length;
    expect(pictures(accepted)).toBe(3);
    expect(pictures(rejected)).toBe(4);
    expect(
      everyPart(
        (await cleanFile("report.docx", wordDocumentWithSections(), { trackedChanges: "reject" })).bytes,
      ),
    ).not.toMatch(/PLANT_/);
  });

  it("refuses a clean copy of a Word file whose picture is a metafile, naming the picture", async () => {
    const bytes = wordDocumentWithPicture("image3.emf", emfWithText("PLANT_EMFTEXT"));
    expect((await inspectFile("letter.docx", bytes)).findings).toContainEqual({
      kind: "hidden-text",
      where: "picture word/media/image3.emf",
      detail: "a Windows metafile (EMF), which can hold text that is not shown: PLANT_EMFTEXT",
    });
    const refusal = cleanFile("letter.docx", bytes);
    await expect(refusal).rejects.toThrow(FileRefused);
    await expect(refusal).rejects.toThrow(
      "picture image3.emf is a Windows metafile (EMF), which can hold hidden text; replace it with a PNG",
    );
  });

  it("keeps a picture that is an SVG, drawn as it was, without what it does not draw", async () => {
    const copy = await cleanFile("letter.docx", wordDocumentWithPicture("image1.svg", svgWithHiddenText()));
    const parts = unzipSync(copy.bytes);
    const svg = strFromU8(parts["word/media/image1.svg"]!);
    expect(svg).not.toMatch(/PLANT_/);
    for (const kept of [
      '<rect class="bar"',
      "Visible label",
      ".bar { fill: #1d70b8 }",
      'viewBox="0 0 200 100"',
    ])
      expect(svg).toContain(kept);
    expect(svg).not.toMatch(/<(title|desc|metadata|script|foreignObject)|onclick|inkscape|sodipodi|file:/);
    expect((await inspectFile("clean.docx", copy.bytes)).findings).toEqual([]);
  });

  it("redraws GIF pictures as PNG and keeps a PNG's pixels while dropping its text", async () => {
    const gif = unzipSync(
      (await cleanFile("a.docx", wordDocumentWithPicture("image1.gif", gifWithComment("PLANT_GIF")))).bytes,
    );
    expect(Object.keys(gif)).toContain("word/media/image1.png");
    expect(everyPart(zipSync(gif))).not.toMatch(/PLANT_/);
    const png = pngWithText("PLANT_PNG");
    const copy = unzipSync((await cleanFile("b.docx", wordDocumentWithPicture("image1.png", png))).bytes);
    const kept = copy["word/media/image1.png"]!;
    expect(Buffer.from(kept).toString("latin1")).not.toContain("PLANT_PNG");
    expect(Buffer.from(kept).toString("latin1")).toContain("IDAT");
  });
});

describe("alternative text", () => {
  it("is read by the release checks, since a clean copy keeps it", async () => {
    const text = await fileText(
      "report.docx",
      (await cleanFile("report.docx", wordDocumentWithSections())).bytes,
    );
    expect(text).toContain("Chart of response times");
    expect(text).toContain("Council logo");
  });
});

describe("Excel workbooks: pictures and merged cells", () => {
  const withPictures = () =>
    excelWorkbook({
      pictures: [
        { name: "image1.jpeg", bytes: jpegWithXmp("PLANT_PHOTOXMP") },
        { name: "image2.png", bytes: pngWithText("PLANT_LOGOAUTHOR") },
        { name: "image3.emf", bytes: emfWithText("PLANT_EMFTEXT") },
      ],
    });

  it("finds each picture's metadata and a metafile's text, naming the picture and its sheet", async () => {
    const result = await inspectFile("pay.xlsx", withPictures());
    const pictures = result.findings.filter((finding) => finding.where.startsWith("picture "));
    expect(pictures).toEqual(
      expect.arrayContaining([
        {
          kind: "metadata",
          where: "picture xl/media/image1.jpeg on sheet Summary: XMP",
          detail: "PLANT_PHOTOXMP",
        },
        {
          kind: "metadata",
          where: "picture xl/media/image2.png on sheet Summary: tEXt Author",
          detail: "PLANT_LOGOAUTHOR",
        },
        {
          kind: "hidden-text",
          where: "picture xl/media/image3.emf on sheet Summary",
          detail: "a Windows metafile (EMF), which can hold text that is not shown: PLANT_EMFTEXT",
        },
      ]),
    );
    expect(pictures.filter((finding) => !finding.where.includes(" on sheet Summary"))).toEqual([]);
  });

  it("leaves the pictures out of the clean copy, so nothing they hold goes out", async () => {
    const copy = await cleanFile("pay.xlsx", withPictures());
    const parts = unzipSync(copy.bytes);
    expect(Object.keys(parts).filter((name) => /^xl\/(media|drawings)\//.test(name))).toEqual([]);
    expect(everyPart(copy.bytes)).not.toMatch(/PLANT_/);
    expect(everyPart(copy.bytes)).toContain("Visible heading");
    expect((await inspectFile("clean.xlsx", copy.bytes)).findings).toEqual([]);
  });

  it("finds a merged area's covered cell that kept its content", async () => {
    const result = await inspectFile("pay.xlsx", excelWorkbook({ coveredText: "PLANT_COVERED" }));
    expect(result.findings).toContainEqual({
      kind: "hidden-text",
      where: "sheet Summary, cell B3 (covered by merged cells)",
      detail: "1 cell: PLANT_COVERED",
    });
    // Without it, the same workbook has no such finding: the merged area's own value is what it shows.
    expect(
      (await inspectFile("pay.xlsx", excelWorkbook())).findings.filter((f) => f.kind === "hidden-text"),
    ).toEqual([]);
  });

  it("keeps only the value a merged area shows in the clean copy, not what its covered cells hold", async () => {
    const copy = await cleanFile("pay.xlsx", excelWorkbook({ coveredText: "PLANT_COVERED" }));
    const raw = everyPart(copy.bytes);
    expect(raw).not.toMatch(/PLANT_/);
    // Row 2 is hidden, so A3 is the first cell of the merged area A2:B3 that shows: its value stays.
    const sheet = strFromU8(unzipSync(copy.bytes)["xl/worksheets/sheet1.xml"]!);
    expect(sheet).toMatch(/<c r="A2" t="inlineStr"><is><t xml:space="preserve">Visible total/);
    expect(sheet).toContain('<mergeCell ref="A2:B2"/>');
    expect((await inspectFile("clean.xlsx", copy.bytes)).findings).toEqual([]);
  });

  it("finds and drops a covered cell's number and shared string too", async () => {
    const bytes = zipSync({
      ...unzipSync(excelWorkbook()),
      "xl/worksheets/sheet1.xml": new TextEncoder().encode(
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>271828</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>5</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells></worksheet>',
      ),
    });
    const result = await inspectFile("pay.xlsx", bytes);
    expect(result.findings).toContainEqual({
      kind: "hidden-text",
      where: "sheet Summary, cells B1, A2, B2 (covered by merged cells)",
      detail: "3 cells: 271828, PLANT_HIDDENSHEET, 5",
    });
    const raw = everyPart((await cleanFile("pay.xlsx", bytes)).bytes);
    expect(raw).toContain("Visible heading");
    expect(raw).not.toMatch(/PLANT_|271828|<v>5<\/v>/);
  });
});

describe("a sheet with thousands of merged areas", () => {
  it("finds what each one covers, however the part is cut into pieces to be read, and copies none of it", async () => {
    // 6,000 areas listed after the cells: their list (about 180 KB) is read in more than one piece.
    const rows = Array.from(
      { length: 6000 },
      (_, i) =>
        `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c><c r="B${i + 1}" t="inlineStr"><is><t>PLANT_COVERED${i}</t></is></c></row>`,
    ).join("");
    const merges = Array.from({ length: 6000 }, (_, i) => `<mergeCell ref="A${i + 1}:B${i + 1}"/>`).join("");
    const bytes = zipSync({
      ...unzipSync(excelWorkbook()),
      "xl/worksheets/sheet1.xml": new TextEncoder().encode(
        `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData><mergeCells count="6000">${merges}</mergeCells></worksheet>`,
      ),
    });
    expect(merges.length).toBeGreaterThan(2 * 64 * 1024);
    expect((await inspectFile("pay.xlsx", bytes)).findings).toContainEqual({
      kind: "hidden-text",
      where: "sheet Summary, cells B1, B2, B3, B4, B5 and more (covered by merged cells)",
      detail: "6000 cells: PLANT_COVERED0, PLANT_COVERED1, PLANT_COVERED2, PLANT_COVERED3, PLANT_COVERED4",
    });
    const sheet = strFromU8(
      unzipSync((await cleanFile("pay.xlsx", bytes)).bytes)["xl/worksheets/sheet1.xml"]!,
    );
    expect(sheet).not.toMatch(/PLANT_/);
    expect(sheet).toContain('<c r="A6000"><v>5999</v></c>');
    expect(sheet.match(/<mergeCell /g)?.length).toBe(6000);
  });
});

describe("ODS clean copies keep the formatting of the visible cells", () => {
  it("finds a merged area's covered cell that kept its content", async () => {
    const result = await inspectFile("pay.ods", calcSpreadsheetFormatted());
    expect(result.findings).toContainEqual({
      kind: "hidden-text",
      where: "sheet Summary, cell A6 (covered by merged cells)",
      detail: "1 cell: PLANT_COVERED",
    });
    for (const kind of [
      "hidden-sheet",
      "hidden-row",
      "hidden-column",
      "comment",
      "defined-name",
      "metadata",
      "macro",
      "embedded-object",
    ])
      expect(result.findings.map((finding) => finding.kind)).toContain(kind);
  });

  it("keeps widths, heights, merged areas, bold, italic and number formats, and nothing hidden", async () => {
    const original = calcSpreadsheetFormatted();
    expect(planted(everyPart(original)).size).toBeGreaterThanOrEqual(12);
    const copy = await cleanFile("pay.ods", original);
    expect(copy.format).toBe("ods");
    const raw = everyPart(copy.bytes);
    expect(raw).not.toMatch(/PLANT_/);
    expect(Object.keys(unzipSync(copy.bytes)).sort()).toEqual([
      "META-INF/manifest.xml",
      "content.xml",
      "mimetype",
    ]);
    const content = strFromU8(unzipSync(copy.bytes)["content.xml"]!);
    const styleOf = (name: string) =>
      new RegExp(`<style:style style:name="${name}"[^>]*>(.*?)</style:style>`).exec(content)?.[0] ?? "";
    const attribute = (element: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(element)?.[1];
    // Columns: A keeps 4.5cm, hidden B goes, C onwards keep 2.258cm.
    const columns = [...content.matchAll(/<table:table-column[^>]*\/>/g)].map((m) => m[0]);
    expect(
      columns
        .map((column) => styleOf(attribute(column, "table:style-name")!))
        .map((style) => attribute(style, "style:column-width")),
    ).toEqual(["4.5cm", "2.258cm"]);
    expect(attribute(columns[1]!, "table:number-columns-repeated")).toBe("1022");
    const rows = [...content.matchAll(/<table:table-row[^>]*>(.*?)<\/table:table-row>/g)].map((m) => m[0]);
    // The tall row keeps its height; the hidden row 3 goes, so the date row is now row 3.
    expect(styleOf(attribute(rows[1]!, "table:style-name")!)).toContain(
      'style:row-height="1.2cm" style:use-optimal-row-height="false"',
    );
    expect(rows).toHaveLength(5);
    // The heading spanned A–C over hidden B: it now spans two columns, bold.
    expect(rows[0]).toMatch(
      /^<table:table-row><table:table-cell table:style-name="(ce\d+)" table:number-columns-spanned="2" office:value-type="string"><text:p>Merged heading<\/text:p><\/table:table-cell><table:covered-table-cell\/><\/table:table-row>$/,
    );
    const bold = styleOf(/table:style-name="(ce\d+)"/.exec(rows[0]!)![1]!);
    expect(bold).toContain('fo:font-weight="bold"');
    // Percentage, italic; currency with its symbol, red negatives by a condition; values and currency kept.
    const percent =
      /<table:table-cell table:style-name="(ce\d+)" office:value-type="percentage" office:value="0.25"><text:p>25.0%<\/text:p>/.exec(
        rows[1]!,
      );
    expect(percent).not.toBeNull();
    const percentStyle = styleOf(percent![1]!);
    expect(percentStyle).toContain('fo:font-style="italic"');
    const dataStyle = (style: string, kind: string) =>
      new RegExp(
        `<number:${kind}-style xmlns:number="[^"]+" style:name="${attribute(style, "style:data-style-name")}"[^>]*>(.*?)</number:${kind}-style>`,
      ).exec(content)?.[0] ?? "";
    expect(dataStyle(percentStyle, "percentage")).toContain('<number:number number:decimal-places="1"');
    expect(dataStyle(percentStyle, "percentage")).toContain("<number:text>%</number:text>");
    const currency =
      /<table:table-cell table:style-name="(ce\d+)" office:value-type="currency" office:value="-1234.5" office:currency="GBP"><text:p>-£1,234.50<\/text:p>/.exec(
        rows[1]!,
      );
    expect(currency).not.toBeNull();
    const negative = dataStyle(styleOf(currency![1]!), "currency");
    expect(negative).toContain('<style:text-properties fo:color="#ff0000"/>');
    expect(negative).toContain('number:country="GB">£</number:currency-symbol>');
    const positive = attribute(/<style:map[^>]*>/.exec(negative)![0], "style:apply-style-name");
    expect(content).toMatch(
      new RegExp(
        `<number:currency-style xmlns:number="[^"]+" style:name="${positive}" style:volatile="true"><number:currency-symbol`,
      ),
    );
    // The date and its format; decimals with the bold its parent style gives.
    const date =
      /<table:table-cell table:style-name="(ce\d+)" office:value-type="date" office:date-value="2023-08-03T14:30:00"><text:p>03\/08\/2023<\/text:p>/.exec(
        rows[2]!,
      );
    expect(dataStyle(styleOf(date![1]!), "date")).toContain(
      '<number:day number:style="long"/><number:text>/</number:text>',
    );
    const decimals =
      /<table:table-cell table:style-name="(ce\d+)" office:value-type="float" office:value="3.14159"><text:p>3.14<\/text:p>/.exec(
        rows[2]!,
      );
    expect(styleOf(decimals![1]!)).toContain('fo:font-weight="bold"');
    expect(dataStyle(styleOf(decimals![1]!), "number")).toContain('number:decimal-places="2"');
    // The two-row merge stays; its covered cell's own content does not.
    expect(rows[3]).toContain(
      'table:number-rows-spanned="2" office:value-type="string"><text:p>Two rows</text:p>',
    );
    expect(rows[4]).toMatch(
      /^<table:table-row><table:covered-table-cell\/><table:table-cell office:value-type="string"><text:p>Beside<\/text:p>/,
    );
    expect((await inspectFile("clean.ods", copy.bytes)).findings).toEqual([]);
  });
});

describe("presentation pictures", () => {
  it("shows a presentation's SVG by its PNG copy, redraws GIFs as PNG, and leaves an object's metafile preview behind", async () => {
    const original = powerPointWithPictures(
      [
        {
          name: "image1.png",
          bytes: pngWithText("PLANT_PNGFALLBACK"),
          svg: { name: "image2.svg", bytes: svgWithHiddenText() },
        },
        {
          name: "image3.gif",
          bytes: gifWithComment("PLANT_GIFCOMMENT"),
          descr: "C:\\Users\\PLANT_PATH\\chart.gif",
        },
      ],
      { objectPreview: emfWithText("PLANT_OLEPREVIEW") },
    );
    const found = await inspectFile("deck.pptx", original);
    expect(found.findings).toContainEqual({
      kind: "hidden-text",
      where: "picture ppt/media/preview.emf",
      detail: "a Windows metafile (EMF), which can hold text that is not shown: PLANT_OLEPREVIEW",
    });
    expect(found.findings.map((finding) => finding.where)).toContain("picture ppt/media/image2.svg, <title>");
    const copy = await cleanFile("deck.pptx", original);
    const parts = unzipSync(copy.bytes);
    expect(everyPart(copy.bytes)).not.toMatch(/PLANT_/);
    expect(
      Object.keys(parts)
        .filter((name) => name.startsWith("ppt/media/"))
        .sort(),
    ).toEqual(["ppt/media/image1.png", "ppt/media/image3.png"]);
    for (const name of ["ppt/media/image1.png", "ppt/media/image3.png"])
      expect([...parts[name]!.slice(0, 4)]).toEqual(pngSignature);
    const rels = strFromU8(parts["ppt/slides/_rels/slide1.xml.rels"]!);
    expect(rels).toContain('Target="../media/image3.png"');
    expect(rels).not.toMatch(/image2\.svg|preview\.emf|oleObject/);
    expect(strFromU8(parts["[Content_Types].xml"]!)).toContain(
      '<Default Extension="png" ContentType="image/png"/>',
    );
    const slide = strFromU8(parts["ppt/slides/slide1.xml"]!);
    expect(slide.match(/<p:pic>/g)).toHaveLength(2);
    expect(slide).not.toContain("descr=");
    expect((await inspectFile("clean.pptx", copy.bytes)).findings).toEqual([]);
  });

  it("refuses a clean copy of a presentation that shows a metafile, naming the picture", async () => {
    const original = powerPointWithPictures([{ name: "image3.emf", bytes: emfWithText("PLANT_EMF") }]);
    expect((await inspectFile("deck.pptx", original)).findings).toContainEqual({
      kind: "hidden-text",
      where: "picture ppt/media/image3.emf",
      detail: "a Windows metafile (EMF), which can hold text that is not shown: PLANT_EMF",
    });
    await expect(cleanFile("deck.pptx", original)).rejects.toThrow(
      "picture image3.emf is a Windows metafile (EMF), which can hold hidden text; replace it with a PNG",
    );
  });

  it("keeps an SVG a slide shows directly, without what it does not draw", async () => {
    const copy = await cleanFile(
      "deck.pptx",
      powerPointWithPictures([{ name: "image1.svg", bytes: svgWithHiddenText() }]),
    );
    const svg = strFromU8(unzipSync(copy.bytes)["ppt/media/image1.svg"]!);
    expect(svg).toContain("Visible label");
    expect(svg).not.toMatch(/PLANT_/);
    expect((await inspectFile("clean.pptx", copy.bytes)).findings).toEqual([]);
  });
});

describe("ODT clean copies keep what a Word clean copy keeps", () => {
  it("finds the hidden paragraph, the footer's hidden text and the pictures' metadata", async () => {
    const result = await inspectFile("report.odt", writerDocumentWithPictures());
    const details = result.findings.map((finding) => finding.detail);
    expect(details).toContain("hidden paragraph: PLANT_HIDDENPARAGRAPH");
    expect(details).toContain("hidden formatting: PLANT_FOOTERHIDDEN");
    expect(result.findings).toContainEqual({
      kind: "metadata",
      where: "picture Pictures/40000005.jpg: XMP",
      detail: "PLANT_LOGOXMP",
    });
    for (const kind of ["tracked-change", "comment", "hidden-text", "metadata", "macro"])
      expect(result.findings.map((finding) => finding.kind)).toContain(kind);
  });

  it("keeps the page style's headers and footers and the visible pictures, cleaned; drops everything hidden", async () => {
    const original = writerDocumentWithPictures();
    expect(planted(everyPart(original)).size).toBeGreaterThanOrEqual(20);
    const copy = await cleanFile("report.odt", original, { trackedChanges: "accept" });
    const raw = everyPart(copy.bytes);
    expect(raw).not.toMatch(/PLANT_/);
    const parts = unzipSync(copy.bytes);
    expect(Object.keys(parts).sort()).toEqual([
      "META-INF/manifest.xml",
      "Pictures/image1.png",
      "Pictures/image2.svg",
      "Pictures/image3.png",
      "Pictures/image4.jpeg",
      "content.xml",
      "mimetype",
      "styles.xml",
    ]);
    const content = strFromU8(parts["content.xml"]!);
    const styles = strFromU8(parts["styles.xml"]!);
    expect(content).toMatch(
      /<text:p>Photo: <draw:frame [^>]*svg:width="4.500cm" svg:height="2.250cm"><draw:image xlink:href="Pictures\/image1.png"[^>]*\/><svg:desc>Five staff at the opening<\/svg:desc><\/draw:frame> taken in 2023.<\/text:p>/,
    );
    expect(content).toContain('<draw:image xlink:href="Pictures/image2.svg"');
    expect(content).toContain("Commented and shown");
    expect(styles).toMatch(
      /<style:header><text:p>Council header <draw:frame [^>]*><draw:image xlink:href="Pictures\/image4.jpeg"/,
    );
    expect(styles).toContain("<style:header-left><text:p>Even page header</text:p></style:header-left>");
    expect(styles).toContain("<style:footer><text:p>Page footer</text:p></style:footer>");
    expect(styles).not.toContain("footer-first");
    expect(styles).toContain('fo:page-width="29.7cm" fo:page-height="21.001cm"');
    expect(styles).toContain('style:print-orientation="landscape"');
    expect(content).toMatch(
      /<table:table-cell office:value-type="string"><text:p><draw:frame [^>]*><draw:image xlink:href="Pictures\/image3.png"/,
    );
    for (const name of ["Pictures/image1.png", "Pictures/image3.png", "Pictures/image4.jpeg"])
      expect((await inspectFile(name.replace("Pictures/", ""), parts[name]!)).findings).toEqual([]);
    expect(strFromU8(parts["Pictures/image2.svg"]!)).toContain("Visible label");
    expect(strFromU8(parts["META-INF/manifest.xml"]!)).toContain(
      'manifest:full-path="Pictures/image4.jpeg" manifest:media-type="image/jpeg"',
    );
    expect((await inspectFile("clean.odt", copy.bytes)).findings).toEqual([]);
    const rejected = everyPart((await cleanFile("report.odt", original, { trackedChanges: "reject" })).bytes);
    expect(rejected).toContain("taken in 2023PLANT_DELETED.");
  });

  it("refuses a clean copy of an ODT whose picture is a metafile, naming the picture", async () => {
    const bytes = writerDocumentWithPictures({
      picture: { name: "50000006.wmf", bytes: emfWithText("PLANT_EMF") },
    });
    await expect(cleanFile("report.odt", bytes)).rejects.toThrow(
      "picture 50000006.wmf is a Windows metafile (EMF), which can hold hidden text; replace it with a PNG",
    );
  });
});

describe("Word headers no page shows", () => {
  it("are findings at inspection, since a clean copy leaves them behind", async () => {
    const result = await inspectFile("report.docx", wordDocumentWithSections());
    expect(result.findings).toContainEqual({
      kind: "hidden-text",
      where: "word/header3.xml",
      detail: "a header no page shows: PLANT_UNSHOWNFIRSTHEADER",
    });
    expect(result.findings).toContainEqual({
      kind: "hidden-text",
      where: "word/header4.xml",
      detail: "a header no page shows: PLANT_UNSHOWNEVENHEADER",
    });
    // The shown ones are not.
    expect(result.findings.map((finding) => finding.where)).not.toContain("word/header1.xml");
  });
});

describe("cropped pictures", () => {
  it("are findings, and a clean copy keeps only the part inside the crop", async () => {
    const bytes = wordDocumentWithPicture(
      "image1.png",
      pngWithText("PLANT_CROPPED", { width: 40, height: 20 }),
      'l="50000" t="0" r="25000" b="50000"',
    );
    expect((await inspectFile("letter.docx", bytes)).findings).toContainEqual({
      kind: "hidden-text",
      where: "picture word/media/image1.png in word/document.xml, paragraph 1",
      detail:
        "the picture is cropped (left 50%, top 0%, right 25%, bottom 50%): the parts cut off are still in the file",
    });
    const copy = await cleanFile("letter.docx", bytes);
    const png = unzipSync(copy.bytes)["word/media/image1.png"]!;
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([10, 10]);
    expect(strFromU8(unzipSync(copy.bytes)["word/document.xml"]!)).not.toContain("srcRect");
    expect((await inspectFile("clean.docx", copy.bytes)).findings).toEqual([]);
  });
});

describe("cropped pictures in presentations", () => {
  it("are findings, and a clean copy shows a new picture of the part inside the crop only", async () => {
    const original = powerPointWithPictures([
      {
        name: "image1.png",
        bytes: pngWithText("PLANT_CROPPED", { width: 40, height: 20 }),
        crop: 'l="0" t="50000" r="50000" b="0"',
      },
    ]);
    expect((await inspectFile("deck.pptx", original)).findings).toContainEqual({
      kind: "hidden-text",
      where: "slide 1, a cropped picture",
      detail: "the picture is cropped: the parts cut off are still in the file",
    });
    const copy = await cleanFile("deck.pptx", original);
    const parts = unzipSync(copy.bytes);
    expect(Object.keys(parts).filter((name) => name.startsWith("ppt/media/"))).toEqual([
      "ppt/media/image1-crop1.png",
    ]);
    const png = parts["ppt/media/image1-crop1.png"]!;
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([20, 10]);
    expect(strFromU8(parts["ppt/slides/slide1.xml"]!)).toContain('<a:blip r:embed="rIdCrop1"/>');
    expect(strFromU8(parts["ppt/slides/_rels/slide1.xml.rels"]!)).toContain(
      'Target="../media/image1-crop1.png"',
    );
    expect(everyPart(copy.bytes)).not.toMatch(/PLANT_|srcRect/);
    expect((await inspectFile("clean.pptx", copy.bytes)).findings).toEqual([]);
  });
});

describe("a damaged SVG picture", () => {
  it("refuses the clean copy, naming the picture", async () => {
    const bytes = wordDocumentWithPicture(
      "image1.svg",
      new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>'),
    );
    await expect(cleanFile("letter.docx", bytes)).rejects.toThrow(
      "picture image1.svg: the SVG is damaged (not well-formed XML)",
    );
  });
});

describe("cropped pictures in text documents", () => {
  it("are findings, and the ODT clean copy keeps only the part inside the crop", async () => {
    const bytes = writerDocumentWithPictures({
      picture: {
        name: "70000008.png",
        bytes: pngWithText("PLANT_CLIPPED", { width: 40, height: 20 }),
        clip: "rect(0cm, 0cm, 0cm, 0.529167cm)",
      },
    });
    expect((await inspectFile("report.odt", bytes)).findings).toContainEqual({
      kind: "hidden-text",
      where: "picture Pictures/70000008.png, paragraph 7",
      detail: "the picture is cropped: the parts cut off are still in the file",
    });
    const parts = unzipSync((await cleanFile("report.odt", bytes)).bytes);
    const png = parts["Pictures/image4.png"]!;
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([20, 20]);
  });
});

describe("a long ODS", () => {
  it("is copied whole, however many rows it has", async () => {
    const rows = Array.from(
      { length: 200_000 },
      (_, index) =>
        `<table:table-row><table:table-cell office:value-type="float" office:value="${index}"><text:p>${index}</text:p></table:table-cell></table:table-row>`,
    ).join("");
    const content = `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Long"><table:table-column/>${rows}</table:table></office:spreadsheet></office:body></office:document-content>`;
    const bytes = zipSync({
      mimetype: [new TextEncoder().encode("application/vnd.oasis.opendocument.spreadsheet"), { level: 0 }],
      "content.xml": new TextEncoder().encode(content),
    });
    const copy = strFromU8(unzipSync((await cleanFile("long.ods", bytes)).bytes)["content.xml"]!);
    expect(copy).toContain('office:value="199999"');
    expect(copy.match(/<table:table-row>/g)).toHaveLength(200_000);
  });
});
