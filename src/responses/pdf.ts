import PDFDocument from "pdfkit";
import { formatLongDate } from "./dates.ts";
import { type Block, type Run, runsText } from "./document.ts";
import { escapeHtml } from "./html.ts";
import {
  addressLines,
  type Letter,
  type Letterhead,
  replyLetter,
  salutation,
  signOffLines,
} from "./letter.ts";
import { type LetterFont, type LetterFonts, printable } from "./pdf-fonts.ts";
import type { Reply } from "./reply.ts";

// The reply as a PDF letter on the authority's letterhead: the authority's name and address at the top, the
// requester's address block, the reference and date, "Dear …", the reply's blocks, the sign-off, and
// "Page n of m" on every page, in an embedded Unicode font (pdf-fonts.ts).
// It is a tagged PDF that a screen reader can follow: a public body's published documents must be accessible
// (Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018, reg 4),
// and GOV.UK's guidance for PDFs points to PDF/UA (ISO 14289-1). Each heading, paragraph, list and table is
// a structure element, in reading order; the letterhead rule, cell borders and page footers are artifacts.

declare global {
  namespace PDFKit.Mixins {
    interface StructureElementOptions {
      /** A header cell's scope (ISO 32000-1 14.8.5.7): pdfkit 0.20 writes it, its types predate it. */
      scope?: "Row" | "Column" | "Both";
    }
  }
}

type Doc = PDFKit.PDFDocument;
type Element = PDFKit.PDFStructureElement;

/** The fonts each document being made is printed with (given to renderReplyPdf). */
const fontsOf = new WeakMap<Doc, LetterFonts>();
/** The text as `doc`'s fonts can print it. */
const print = (doc: Doc, text: string) => printable(text, fontsOf.get(doc)!);

const fonts: Record<LetterFont, LetterFont> = { regular: "regular", bold: "bold" };
const sizes = {
  body: 11,
  small: 9,
  heading1: 14,
  heading2: 12.5,
  heading3: 11,
  table: 10,
  name: 16,
} as const;
const colours = { text: "#0b0c0c", muted: "#505a5f", link: "#1d70b8", rule: "#b1b4b6", header: "#f3f2f1" };
const margins = { top: 50, bottom: 64, left: 62, right: 62 };

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page unless `height` more points fit on this one. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

/** A structure element (H1, P, TD…) under `parent`, whose content is what `draw` puts on the page. */
function tagged(
  doc: Doc,
  parent: Element,
  type: string,
  draw: () => void,
  options: PDFKit.Mixins.StructureElementOptions = {},
): void {
  const element = doc.struct(type, options);
  parent.add(element);
  element.add(draw);
  element.end();
}

/** A structure element that holds others (a list, a table, a row); the caller ends it. */
function group(doc: Doc, parent: Element, type: string): Element {
  const element = doc.struct(type);
  parent.add(element);
  return element;
}

/** Decoration and page furniture, which a screen reader passes over (ISO 14289-1 7.1: an artifact). */
function artifact(doc: Doc, options: PDFKit.Mixins.MarkingOptions, draw: () => void): void {
  doc.markContent("Artifact", options);
  draw();
  doc.endMarkedContent();
}

/** One paragraph (P) of runs; a run with a link is a Link element holding its link annotation. */
function writeParagraph(doc: Doc, parent: Element, runs: readonly Run[], size: number): void {
  doc.x = doc.page.margins.left;
  const width = contentWidth(doc);
  const paragraph = group(doc, parent, "P");
  runs.forEach((run, i) => {
    const draw = () => {
      doc
        .font(run.bold ? fonts.bold : fonts.regular)
        .fontSize(size)
        .fillColor(run.href ? colours.link : colours.text);
      doc.text(print(doc, run.text), {
        width,
        continued: i < runs.length - 1,
        lineGap: 2,
        ...(run.href ? { link: run.href, underline: true } : { underline: false }),
      });
    };
    if (run.href) tagged(doc, paragraph, "Link", draw);
    else paragraph.add(draw);
  });
  paragraph.end();
  doc.fillColor(colours.text);
}

function writeHeading(doc: Doc, parent: Element, level: 1 | 2 | 3, text: string): void {
  const size = level === 1 ? sizes.heading1 : level === 2 ? sizes.heading2 : sizes.heading3;
  // Keep a heading with at least three lines of what follows.
  ensureSpace(doc, size * 1.4 + sizes.body * 4);
  doc.moveDown(level === 3 ? 0.3 : 0.6);
  doc.x = doc.page.margins.left;
  tagged(doc, parent, `H${level}`, () => {
    doc.font(fonts.bold).fontSize(size).fillColor(colours.text);
    doc.text(print(doc, text), { width: contentWidth(doc) });
  });
  doc.moveDown(0.35);
}

function writeList(doc: Doc, parent: Element, ordered: boolean, items: readonly string[]): void {
  const left = doc.page.margins.left;
  const indent = ordered ? 20 : 14;
  const width = contentWidth(doc) - indent;
  const list = group(doc, parent, "L");
  doc.font(fonts.regular).fontSize(sizes.body).fillColor(colours.text);
  items.forEach((item, i) => {
    const text = print(doc, item);
    ensureSpace(doc, Math.min(doc.heightOfString(text, { width, lineGap: 2 }), sizes.body * 3));
    const y = doc.y;
    const entry = group(doc, list, "LI");
    tagged(doc, entry, "Lbl", () =>
      doc.text(ordered ? `${i + 1}.` : "•", left + (ordered ? 0 : 3), y, { width: indent, lineBreak: false }),
    );
    tagged(doc, entry, "LBody", () => doc.text(text, left + indent, y, { width, lineGap: 2 }));
    entry.end();
    doc.moveDown(0.25);
  });
  list.end();
  doc.x = left;
  doc.moveDown(0.3);
}

const numeric = /^[-+£$€]?[\d,]+(\.\d+)?%?$/;

function writeTable(doc: Doc, parent: Element, block: Extract<Block, { kind: "table" }>): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const padding = 4;
  const columns = block.columns.map((column) => print(doc, column));
  const rows = block.rows.map((row) => block.columns.map((_, i) => print(doc, row[i] ?? "")));
  doc.fontSize(sizes.table);
  // Column widths in proportion to their widest text, each at least 50pt where there is room.
  const natural = columns.map((column, i) => {
    doc.font(fonts.bold);
    const head = doc.widthOfString(column);
    doc.font(fonts.regular);
    const cells = rows.map((row) => Math.min(doc.widthOfString(row[i] ?? ""), 260));
    return Math.max(head, ...cells, 30) + padding * 2;
  });
  const total = natural.reduce((sum, value) => sum + value, 0);
  const widths = natural.map((value) => (value / total) * width);
  const alignRight = columns.map(
    (_, i) => rows.length > 0 && rows.every((row) => numeric.test(row[i] ?? "")),
  );

  const rowHeight = (cells: readonly string[], header: boolean) => {
    doc.font(header ? fonts.bold : fonts.regular).fontSize(sizes.table);
    return (
      Math.max(
        ...cells.map((cell, i) => doc.heightOfString(cell || " ", { width: (widths[i] ?? 0) - padding * 2 })),
      ) +
      padding * 2
    );
  };
  /** A row: its shading and borders as an artifact, then each cell as a TH or TD of `row`. */
  const drawRow = (cells: readonly string[], header: boolean, row: Element | null) => {
    const height = rowHeight(cells, header);
    const y = doc.y;
    const lefts = widths.map((_, i) => left + widths.slice(0, i).reduce((sum, value) => sum + value, 0));
    const drawFrames = () => {
      doc.lineWidth(0.5);
      cells.forEach((_, i) => {
        const box = doc.rect(lefts[i] ?? left, y, widths[i] ?? 0, height);
        if (header) box.fillAndStroke(colours.header, colours.rule);
        else box.stroke(colours.rule);
      });
    };
    const drawCell = (cell: string, i: number) => {
      doc
        .font(header ? fonts.bold : fonts.regular)
        .fontSize(sizes.table)
        .fillColor(colours.text)
        .text(cell, (lefts[i] ?? left) + padding, y + padding, {
          width: (widths[i] ?? 0) - padding * 2,
          align: !header && alignRight[i] ? "right" : "left",
        });
    };
    if (row) {
      artifact(doc, { type: "Layout" }, drawFrames);
      cells.forEach((cell, i) => {
        tagged(doc, row, header ? "TH" : "TD", () => drawCell(cell, i), header ? { scope: "Column" } : {});
      });
    } else {
      // The header repeated on a page the table runs onto is furniture: the table has it once already.
      artifact(doc, { type: "Pagination" }, () => {
        drawFrames();
        cells.forEach(drawCell);
      });
    }
    doc.x = left;
    doc.y = y + height;
  };

  const caption = print(doc, block.caption);
  ensureSpace(doc, rowHeight(columns, true) + (rows[0] ? rowHeight(rows[0], false) : 0) + 20);
  const table = group(doc, parent, "Table");
  if (caption) {
    doc.moveDown(0.3);
    tagged(doc, table, "Caption", () =>
      doc.font(fonts.bold).fontSize(sizes.body).fillColor(colours.text).text(caption, left, doc.y, { width }),
    );
    doc.moveDown(0.3);
  }
  const head = group(doc, table, "THead");
  const headRow = group(doc, head, "TR");
  drawRow(columns, true, headRow);
  headRow.end();
  head.end();
  const body = group(doc, table, "TBody");
  for (const cells of rows) {
    if (doc.y + rowHeight(cells, false) > bottom(doc)) {
      doc.addPage();
      drawRow(columns, true, null);
    }
    const row = group(doc, body, "TR");
    drawRow(cells, false, row);
    row.end();
  }
  body.end();
  table.end();
  doc.moveDown(0.8);
}

/**
 * Lines of one paragraph (an address), each but the last ending in a space: a new line is not in the text a
 * screen reader reads, so without it "Unit" and "Westmarch" would run together. pdfkit aligns without it.
 */
function lines(texts: readonly string[]): string {
  return texts.join(" \n");
}

function writeLetterhead(doc: Doc, root: Element, reply: Letter, letterhead: Letterhead): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  tagged(doc, root, "P", () => {
    doc.font(fonts.bold).fontSize(sizes.name).fillColor(colours.text);
    doc.text(print(doc, letterhead.name), left, doc.page.margins.top, { width, align: "right" });
  });
  const contact = [...addressLines(letterhead.address), letterhead.email ?? "", letterhead.telephone ?? ""]
    .map((line) => print(doc, line).trim())
    .filter((line) => line !== "");
  if (contact.length > 0) {
    tagged(doc, root, "P", () => {
      doc
        .font(fonts.regular)
        .fontSize(sizes.small + 0.5)
        .fillColor(colours.muted);
      doc.text(lines(contact), { width, align: "right" });
    });
  }
  const ruleY = doc.y + 8;
  artifact(doc, { type: "Layout" }, () => {
    doc
      .moveTo(left, ruleY)
      .lineTo(left + width, ruleY)
      .lineWidth(0.75)
      .stroke(colours.rule);
  });

  // The requester's address block on the left, the reference and date on the right.
  const top = ruleY + 18;
  const recipient = [
    reply.requester.name,
    ...(reply.requester.address ? addressLines(reply.requester.address) : [reply.requester.email ?? ""]),
  ]
    .map((line) => print(doc, line).trim())
    .filter((line) => line !== "");
  let recipientBottom = top;
  tagged(doc, root, "P", () => {
    doc.font(fonts.regular).fontSize(sizes.body).fillColor(colours.text);
    doc.text(lines(recipient), left, top, { width: width * 0.55 });
    recipientBottom = doc.y;
  });
  tagged(doc, root, "P", () => {
    doc.font(fonts.regular).fontSize(sizes.body).fillColor(colours.text);
    doc.text(
      lines([`Our reference: ${print(doc, reply.reference)}`, `Date: ${formatLongDate(reply.date)}`]),
      left + width * 0.55,
      top,
      { width: width * 0.45, align: "right" },
    );
  });
  doc.x = left;
  doc.y = Math.max(recipientBottom, doc.y) + 24;
}

function writeFooters(doc: Doc, reply: Letter): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = doc.page.margins.bottom;
    // Writing below the bottom margin would otherwise start a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 40;
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    artifact(doc, { type: "Pagination", attached: ["Bottom"] }, () => {
      doc.font(fonts.regular).fontSize(sizes.small).fillColor(colours.muted);
      doc.text(print(doc, reply.reference), left, y, { width: width / 2, align: "left", lineBreak: false });
      doc.text(`Page ${i - range.start + 1} of ${range.count}`, left + width / 2, y, {
        width: width / 2,
        align: "right",
        lineBreak: false,
      });
    });
    doc.page.margins.bottom = saved;
  }
}

/**
 * pdfkit 0.20 copies the document information into the XMP metadata without escaping it, after it has
 * written the information dictionary: escaped there, an authority called "Bath & North East Somerset
 * Council" still leaves well-formed XML, from which PDF/UA readers take the title (ISO 14289-1 7.1).
 */
function escapeMetadata(doc: Doc): void {
  const endMetadata = doc.endMetadata.bind(doc);
  doc.endMetadata = () => {
    for (const key of ["Title", "Author", "Subject"] as const) {
      const value = doc.info[key];
      if (typeof value === "string") doc.info[key] = escapeHtml(value);
    }
    endMetadata();
  };
}

/**
 * pdfkit leaves a tagged link annotation's description (Contents) empty; PDF/UA wants one (ISO 14289-1
 * 7.18.5), so each link is described by its words.
 */
function describeLinks(doc: Doc, descriptions: ReadonlyMap<string, string>): void {
  const link = doc.link.bind(doc);
  doc.link = (x, y, w, h, url, option = {}) => {
    // A String object, which pdfkit writes as a PDF text string; a plain string would become a name.
    const description = new String(descriptions.get(url) ?? url) as unknown as string;
    return link(x, y, w, h, url, { ...option, Contents: description });
  };
}

export interface PdfOptions {
  /** The letter's fonts (parseLetterFonts, from files the caller reads). */
  fonts: LetterFonts;
  /** Leave the content streams uncompressed (tests read the text). */
  compress?: boolean;
}

/** The reply as a PDF letter. Pure: the document's dates come from the reply, not the clock. */
export function renderReplyPdf(
  reply: Reply,
  letterhead: Letterhead,
  options: PdfOptions,
): Promise<Uint8Array> {
  return renderLetterPdf(replyLetter(reply), letterhead, options);
}

/** A letter as a tagged PDF. Pure: the document's dates come from the letter, not the clock. */
export function renderLetterPdf(
  reply: Letter,
  letterhead: Letterhead,
  options: PdfOptions,
): Promise<Uint8Array> {
  const parsed = options.fonts;
  // The dates also make the file identifier, which pdfkit derives from the information dictionary.
  const dated = new Date(`${reply.date}T00:00:00Z`);
  const doc = new PDFDocument({
    size: "A4",
    margins,
    bufferPages: true,
    compress: options.compress ?? true,
    pdfVersion: "1.7",
    tagged: true,
    // Declares PDF/UA-1 in the XMP metadata; @types/pdfkit 0.17 knows only the PDF/A subsets.
    subset: "PDF/UA" as unknown as PDFKit.Mixins.PDFSubsets,
    lang: "en-GB",
    displayTitle: true,
    info: {
      Title: printable(reply.title, parsed),
      Author: printable(letterhead.name, parsed),
      Subject: printable(reply.subject, parsed),
      Creator: "foidesk",
      Producer: "foidesk",
      CreationDate: dated,
      ModDate: dated,
    },
  });
  fontsOf.set(doc, parsed);
  escapeMetadata(doc);
  const blocks = reply.blocks;
  describeLinks(
    doc,
    new Map(
      blocks.flatMap((block) =>
        block.kind === "paragraph"
          ? block.runs.flatMap((run) => (run.href ? [[run.href, print(doc, run.text)] as const] : []))
          : [],
      ),
    ),
  );
  // pdfkit 0.20 takes an already parsed fontkit font, which @types/pdfkit 0.17 does not list.
  for (const font of [fonts.regular, fonts.bold])
    doc.registerFont(font, parsed[font] as unknown as PDFKit.Mixins.PDFFontSource);
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });

  const root = doc.struct("Document");
  doc.addStructure(root);
  writeLetterhead(doc, root, reply, letterhead);
  writeParagraph(doc, root, [{ text: salutation(reply) }], sizes.body);
  doc.moveDown(0.4);
  const signOff = signOffLines(reply);
  // The sign-off's lines, the space left for a signature after "Yours …", and the gap before it.
  const signOffHeight = (signOff.length + 3) * sizes.body * 1.4;
  for (const [index, block] of blocks.entries()) {
    switch (block.kind) {
      case "heading":
        writeHeading(doc, root, block.level, block.text);
        break;
      case "paragraph":
        ensureSpace(doc, sizes.body * 2.4);
        if (index === blocks.length - 1) {
          // The last paragraph keeps the sign-off company: both go to the next page rather than leave
          // "Yours sincerely" and the signature there alone (when together they fit on a page at all).
          doc.font(fonts.regular).fontSize(sizes.body);
          const height =
            doc.heightOfString(print(doc, runsText(block.runs)), { width: contentWidth(doc), lineGap: 2 }) +
            sizes.body * 0.55 +
            signOffHeight;
          if (height < bottom(doc) - doc.page.margins.top) ensureSpace(doc, height);
        }
        writeParagraph(doc, root, block.runs, sizes.body);
        doc.moveDown(0.55);
        break;
      case "list":
        writeList(doc, root, block.ordered, block.items);
        break;
      case "table":
        writeTable(doc, root, block);
        break;
    }
  }
  ensureSpace(doc, signOffHeight);
  doc.moveDown(0.5);
  for (const line of signOff) {
    writeParagraph(doc, root, [{ text: line }], sizes.body);
    if (line.startsWith("Yours")) doc.moveDown(2);
  }
  root.end();
  writeFooters(doc, reply);
  doc.end();
  return done;
}
