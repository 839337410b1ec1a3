import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { replyBlocks, replyTitle, sectionHeadings } from "./document.ts";
import { gangsReply, westmarchLetterhead } from "./examples/gangs.ts";
import { renderReplyPdf } from "./pdf.ts";
import { printable } from "./pdf-fonts.ts";
import { draftFrom, type PdfStructure, readPdf, structureElements, testLetterFonts } from "./testing.ts";

// The letter as a reader and a screen reader get it: the characters as written, and a tagged PDF
// (Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018, reg 4).

/** A reply to a Welsh requester, with characters Windows-1252 lacks and a table and lists. */
const welshReply = draftFrom((input) => {
  input.requester = { name: "Zoë Łukasz Ó Dónaill Nguyễn", address: "Tŷ Gwyn\nFfordd y Ŵyr\nCaerdydd" };
  input.questions[0]!.text = "Faint o ddŵr a lygrwyd yn Llyn Tŷ Hŷll – a’r “ŵyn” — Ŵ Ŷ, ≥ €5?";
});

const read = async (reply = gangsReply, letterhead = westmarchLetterhead) =>
  readPdf(await renderReplyPdf(reply, letterhead, { compress: false, fonts: testLetterFonts }));

const ofType = (root: PdfStructure | null, type: string) =>
  structureElements(root).filter((element) => element.type === type);

// First in the file, so that its letter is the first the fonts ever lay out (vitest gives each file its own
// modules): fontkit would otherwise map a glyph to whichever of its characters came first.
describe("the text map does not depend on the letters made before", () => {
  it("a glyph two characters share reads as the lower one (space, not no-break space; '-', not U+2010)", async () => {
    const odd = await read(gangsReply, { ...westmarchLetterhead, name: "Cyngor\u00a0Ynys\u2010Môn" });
    expect(odd.text).toContain("Cyngor Ynys-Môn");
    const first = await renderReplyPdf(gangsReply, westmarchLetterhead, { fonts: testLetterFonts });
    const again = await read();
    expect(again.text).toContain("Westmarch Constabulary");
    expect(again.text).toContain("force-wide");
    expect(
      Buffer.from(await renderReplyPdf(gangsReply, westmarchLetterhead, { fonts: testLetterFonts })).equals(
        Buffer.from(first),
      ),
    ).toBe(true);
  });
});

describe("the PDF's text", () => {
  it("has the characters as written, in the embedded font, with no Helvetica", async () => {
    const pdf = await read(welshReply);
    expect(pdf.text).toContain("Dear Zoë Łukasz Ó Dónaill Nguyễn,");
    expect(pdf.text).toContain("Faint o ddŵr a lygrwyd yn Llyn Tŷ Hŷll – a’r “ŵyn” — Ŵ Ŷ, ≥ €5?");
    const fonts = [...pdf.objects.values()].map((object) => object.dictionary).join("\n");
    expect(fonts).toMatch(/\/BaseFont \/[A-Z]{6}\+SourceSans3-Regular/);
    expect(fonts).toMatch(/\/BaseFont \/[A-Z]{6}\+SourceSans3-Bold/);
    expect(fonts).toContain("/FontFile2");
    expect(fonts).not.toContain("Helvetica");
  });

  it("is printable: controls and soft hyphens dropped, ligatures spelt out, a missing letter as ?", () => {
    expect(printable("two\r\nlines\tand\u0007 a bell", testLetterFonts)).toBe("two\nlines and a bell");
    expect(printable("re\u00adcord ﬁle oﬀice", testLetterFonts)).toBe("record file office");
    expect(printable("Nguye\u0302\u0303n", testLetterFonts)).toBe("Nguyễn");
    expect(printable("name: 李明 ✓", testLetterFonts)).toBe("name: ?? ✓");
  });

  it("keeps the words of an address apart, where a screen reader reads its lines as one", async () => {
    const pdf = await read();
    const paragraphs = ofType(pdf.structure, "P").map((element) => element.text);
    expect(paragraphs).toContain(
      "Information Rights Unit Westmarch Constabulary 1 Castle Street Westmarch WM1 1AA foi@westmarch.police.example",
    );
    expect(paragraphs).toContain("Priya Raman Westmarch Gazette 22 Market Street Westmarch WM2 3BD");
  });
});

const pdftotext = "/usr/bin/pdftotext";
const pdftotextAvailable = existsSync(pdftotext);
if (!pdftotextAvailable) {
  console.warn(
    `pdf: ${pdftotext} is missing, so the check with a second PDF reader is skipped. Install it with: apt-get install -y poppler-utils`,
  );
}

const qpdf = "/usr/bin/qpdf";
const qpdfAvailable = existsSync(qpdf);

describe.skipIf(!pdftotextAvailable)("another PDF reader (poppler's pdftotext)", () => {
  const folder = mkdtempSync(join(tmpdir(), "foidesk-pdf-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("extracts ŵ ŷ, Zoë, – and € exactly", async () => {
    const file = join(folder, "welsh.pdf");
    writeFileSync(file, await renderReplyPdf(welshReply, westmarchLetterhead, { fonts: testLetterFonts }));
    const text = execFileSync(pdftotext, ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
    expect(text).toContain("Zoë Łukasz Ó Dónaill Nguyễn");
    expect(text).toContain("Faint o ddŵr a lygrwyd yn Llyn Tŷ Hŷll – a’r “ŵyn” — Ŵ Ŷ, ≥ €5?");
    expect(text).toContain("Tŷ Gwyn");
  });

  it("reads each of letters made one after another right, each carrying only the characters it uses", async () => {
    // The fonts shape each word once for all letters: the English letter, between two Welsh ones, has words
    // they have and characters they lack.
    const english = draftFrom((input) => {
      input.requester = { name: "Quentin Jézéquel", address: "7 Xavier Way\nWestmarch WM9 9XQ" };
    });
    const texts: string[] = [];
    for (const [i, reply] of [welshReply, english, welshReply].entries()) {
      const file = join(folder, `letter-${i}.pdf`);
      writeFileSync(file, await renderReplyPdf(reply, westmarchLetterhead, { fonts: testLetterFonts }));
      if (qpdfAvailable) {
        expect(execFileSync(qpdf, ["--check", file], { encoding: "utf8" })).toContain(
          "No syntax or stream encoding errors found",
        );
      }
      texts.push(execFileSync(pdftotext, ["-enc", "UTF-8", file, "-"], { encoding: "utf8" }));
    }
    for (const text of [texts[0], texts[2]]) {
      expect(text).toContain("Dear Zoë Łukasz Ó Dónaill Nguyễn,");
      expect(text).toContain("Faint o ddŵr a lygrwyd yn Llyn Tŷ Hŷll – a’r “ŵyn” — Ŵ Ŷ, ≥ €5?");
    }
    expect(texts[1]).toContain("Dear Quentin Jézéquel,");
    expect(texts[1]).toContain("7 Xavier Way");
    expect(texts[1]).toContain("How many known gangs are there in each London borough?");
    expect(texts[1]).not.toMatch(/[ŵŷŴŶŁ€]/);
    const { mapped } = readPdf(
      await renderReplyPdf(english, westmarchLetterhead, { compress: false, fonts: testLetterFonts }),
    );
    expect(mapped).toContain("é");
    for (const welsh of "ŵŷŴŶŁ€") expect(mapped).not.toContain(welsh);
  });
});

describe("the tagged PDF (PDF/UA)", () => {
  it("declares its language, that it is tagged, its structure and its title, shown in the title bar", async () => {
    const pdf = await read();
    expect(pdf.catalog).toContain("/Lang (en-GB)");
    const markInfo = Number(/\/MarkInfo (\d+) 0 R/.exec(pdf.catalog)?.[1]);
    expect(pdf.objects.get(markInfo)?.dictionary.replace(/\s+/g, " ")).toBe("<< /Marked true >>");
    expect(pdf.catalog).toMatch(/\/StructTreeRoot \d+ 0 R/);
    const preferences = Number(/\/ViewerPreferences (\d+) 0 R/.exec(pdf.catalog)?.[1]);
    expect(pdf.objects.get(preferences)?.dictionary.replace(/\s+/g, " ")).toBe("<< /DisplayDocTitle true >>");
    expect(pdf.info).toContain(`/Title (${replyTitle(gangsReply)})`);
    expect(pdf.metadata).toContain(`<rdf:li xml:lang="x-default">${replyTitle(gangsReply)}</rdf:li>`);
    expect(pdf.metadata).toContain("<pdfuaid:part>1</pdfuaid:part>");
    expect(
      new TextDecoder().decode(
        (await renderReplyPdf(gangsReply, westmarchLetterhead, { fonts: testLetterFonts })).slice(0, 8),
      ),
    ).toBe("%PDF-1.7");
  });

  it("puts every piece of text and drawing in the structure or among the artifacts", async () => {
    for (const reply of [gangsReply, welshReply]) {
      const pdf = await read(reply);
      expect(pdf.untagged).toEqual([]);
      expect(pdf.structure?.type).toBe("Document");
    }
  });

  it("has the title as the H1 and the sections as H2, in the order of the reply", async () => {
    const pdf = await read();
    expect(ofType(pdf.structure, "H1").map((element) => element.text)).toEqual([replyTitle(gangsReply)]);
    const sections = replyBlocks(gangsReply).flatMap((block) =>
      block.kind === "heading" && block.level === 2 ? [block.text] : [],
    );
    expect(sections).toContain(sectionHeadings.complaints);
    expect(ofType(pdf.structure, "H2").map((element) => element.text)).toEqual(sections);
    expect(ofType(pdf.structure, "H3").map((element) => element.text)).toEqual([
      "Section 31(1)(a)(b) Law enforcement",
    ]);
  });

  it("has paragraphs and lists whose items have a label and a body", async () => {
    const pdf = await read();
    expect(ofType(pdf.structure, "P").map((element) => element.text)).toContain(
      "I note you seek access to the following information:",
    );
    const questions = ofType(pdf.structure, "L")[0];
    expect(questions?.children.map((item) => item.type)).toEqual(["LI", "LI"]);
    expect(questions?.children[0]?.children.map((part) => [part.type, part.text])).toEqual([
      ["Lbl", "1."],
      ["LBody", "How many known gangs are there in each London borough?"],
    ]);
  });

  it("has the table with its caption, column header cells and data cells", async () => {
    const pdf = await read();
    const [table] = ofType(pdf.structure, "Table");
    expect(table?.children.map((part) => part.type)).toEqual(["Caption", "THead", "TBody"]);
    expect(table?.children[0]?.text).toBe("Known gangs recorded by Westmarch Constabulary, 31 January 2026");
    const headers = ofType(table ?? null, "TH");
    expect(headers.map((cell) => cell.text)).toEqual(["Measure", "Number"]);
    for (const cell of headers) expect(cell.dictionary).toContain("/A << /O /Table /Scope /Column >>");
    expect(ofType(table ?? null, "TR").map((row) => row.children.map((cell) => cell.text))).toEqual([
      ["Measure", "Number"],
      ["Known gangs", "62"],
      ["Known gangs with at least one member under 18", "27"],
    ]);
  });

  it("makes each link a Link element holding its described annotation", async () => {
    const pdf = await read();
    const links = ofType(pdf.structure, "Link");
    expect(links.map((link) => link.text)).toEqual([
      "Gangs matrix: quarterly figures",
      "ico.org.uk/make-a-complaint",
    ]);
    for (const link of links) {
      const annotation = Number(/\/Type \/OBJR \/Obj (\d+) 0 R/.exec(link.dictionary)?.[1]);
      expect(pdf.objects.get(annotation)?.dictionary.replace(/\s+/g, " ")).toContain(
        `/Contents (${link.text}) /Subtype /Link`,
      );
    }
  });

  it("makes the page numbers and the reference in the footer artifacts, not text of the letter", async () => {
    const pdf = await read();
    expect(pdf.artifacts).toEqual(
      expect.arrayContaining(["Page 1 of 3", "Page 3 of 3", gangsReply.reference]),
    );
    expect(pdf.structure?.text).not.toContain("Page 1 of 3");
  });

  it("a long table runs onto the next page with its header again, as an artifact", async () => {
    const reply = draftFrom((input) => {
      input.disclosure = [
        {
          kind: "table",
          caption: "Calls by month",
          columns: ["Month", "Calls"],
          rows: Array.from({ length: 90 }, (_, i) => [`Month ${i + 1}`, String(i * 7)]),
          questionNumbers: [1],
        },
      ];
    });
    const pdf = await read(reply);
    const [table] = ofType(pdf.structure, "Table");
    expect(ofType(table ?? null, "TH").map((cell) => cell.text)).toEqual(["Month", "Calls"]);
    expect(ofType(table ?? null, "TR")).toHaveLength(91);
    expect(pdf.artifacts).toEqual(expect.arrayContaining(["Month", "Calls"]));
    expect(pdf.untagged).toEqual([]);
  });

  it("escapes the authority's name in the XML metadata and keeps it as written in the document information", async () => {
    const pdf = await read(gangsReply, {
      ...westmarchLetterhead,
      name: "Bath & North East Somerset Council <Cyngor>",
    });
    expect(pdf.metadata).toContain("<rdf:li>Bath &amp; North East Somerset Council &lt;Cyngor&gt;</rdf:li>");
    expect(pdf.info).toContain("/Author (Bath & North East Somerset Council <Cyngor>)");
  });
});

describe("the sign-off", () => {
  /** The pages an element's content is drawn on (a paragraph running over a page break is on two). */
  const pagesOf = (element: PdfStructure) =>
    new Set(
      structureElements(element).flatMap((part) =>
        [...part.dictionary.matchAll(/\/Pg (\d+) 0 R/g)].map((match) => Number(match[1])),
      ),
    );

  it("is never alone on the last page: it stays with the last paragraph, however long the letter", async () => {
    const words = "The figures are held in the force's intelligence systems and are updated every quarter.";
    for (let extra = 0; extra < 24; extra++) {
      const reply = draftFrom((input) => {
        input.reasons = Array.from({ length: extra }, (_, i) => `${i + 1}. ${words.repeat(1 + (i % 3))}`);
      });
      const pdf = readPdf(
        await renderReplyPdf(reply, westmarchLetterhead, { compress: false, fonts: testLetterFonts }),
      );
      const paragraphs = ofType(pdf.structure, "P");
      const yours = paragraphs.findIndex((paragraph) => paragraph.text.startsWith("Yours"));
      const signOffPage = [...pagesOf(paragraphs[yours]!)][0];
      expect(pagesOf(paragraphs[yours - 1]!).has(signOffPage!), `with ${extra} more paragraphs`).toBe(true);
    }
  }, 120_000);
});
