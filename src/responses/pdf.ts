import PDFDocument from "pdfkit";
import { formatLongDate } from "./dates.ts";
import { type Block, type Run, replyBlocks, replyTitle } from "./document.ts";
import { addressLines, type Letterhead, salutation, signOffLines } from "./letter.ts";
import type { Reply } from "./reply.ts";

// The reply as a PDF letter on the authority's letterhead: the authority's name and address at the top, the
// requester's address block, the reference and date, "Dear …", the reply's blocks, the sign-off, and
// "Page n of m" on every page. pdfkit's built-in Helvetica needs no font files; its encoding is Windows-1252,
// so characters outside it are simplified (é stays, ŵ becomes w) rather than printed as garbage.

type Doc = PDFKit.PDFDocument;

const fonts = { regular: "Helvetica", bold: "Helvetica-Bold" } as const;
const sizes = { body: 10.5, small: 8.5, heading1: 13, heading2: 12, heading3: 10.5, table: 9.5 } as const;
const colours = { text: "#0b0c0c", muted: "#505a5f", link: "#1d70b8", rule: "#b1b4b6", header: "#f3f2f1" };
const margins = { top: 50, bottom: 64, left: 62, right: 62 };

/** Characters Windows-1252 has beyond Latin-1, as pdfkit maps them (its WIN_ANSI_MAP). */
const winAnsiExtras = new Set("ƒ–—‘’‚“”„†‡•…€‰‹›ˆ™ŒœˆŠšŸŽž˜");

/** The text with every character Helvetica can show: Windows-1252 as is, others reduced or replaced. */
export function toWinAnsi(text: string): string {
  let out = "";
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if ((code >= 32 && code <= 126) || (code >= 160 && code <= 255) || winAnsiExtras.has(character)) {
      out += character;
    } else if (code === 10) {
      out += "\n";
    } else if (code === 9 || code === 13) {
      out += code === 9 ? " " : "";
    } else {
      const reduced = character.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
      out += [...reduced].every((c) => (c.codePointAt(0) ?? 0) >= 32 && (c.codePointAt(0) ?? 0) <= 126)
        ? reduced
        : "?";
    }
  }
  return out;
}

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

function writeRuns(doc: Doc, runs: readonly Run[], size: number): void {
  doc.x = doc.page.margins.left;
  const width = contentWidth(doc);
  runs.forEach((run, i) => {
    const last = i === runs.length - 1;
    doc
      .font(run.bold ? fonts.bold : fonts.regular)
      .fontSize(size)
      .fillColor(run.href ? colours.link : colours.text);
    doc.text(toWinAnsi(run.text), {
      width,
      continued: !last,
      lineGap: 2,
      ...(run.href ? { link: run.href, underline: true } : { underline: false }),
    });
  });
  doc.fillColor(colours.text);
}

function writeHeading(doc: Doc, level: 1 | 2 | 3, text: string): void {
  const size = level === 1 ? sizes.heading1 : level === 2 ? sizes.heading2 : sizes.heading3;
  // Keep a heading with at least three lines of what follows.
  ensureSpace(doc, size * 1.4 + sizes.body * 4);
  doc.moveDown(level === 3 ? 0.3 : 0.6);
  doc.x = doc.page.margins.left;
  doc.font(fonts.bold).fontSize(size).fillColor(colours.text);
  doc.text(toWinAnsi(text), { width: contentWidth(doc) });
  doc.moveDown(0.35);
}

function writeList(doc: Doc, ordered: boolean, items: readonly string[]): void {
  const left = doc.page.margins.left;
  const indent = ordered ? 20 : 14;
  const width = contentWidth(doc) - indent;
  doc.font(fonts.regular).fontSize(sizes.body).fillColor(colours.text);
  items.forEach((item, i) => {
    const text = toWinAnsi(item);
    ensureSpace(doc, Math.min(doc.heightOfString(text, { width, lineGap: 2 }), sizes.body * 3));
    const y = doc.y;
    doc.text(ordered ? `${i + 1}.` : "•", left + (ordered ? 0 : 3), y, { width: indent, lineBreak: false });
    doc.text(text, left + indent, y, { width, lineGap: 2 });
    doc.moveDown(0.25);
  });
  doc.x = left;
  doc.moveDown(0.3);
}

const numeric = /^[-+£$€]?[\d,]+(\.\d+)?%?$/;

function writeTable(doc: Doc, block: Extract<Block, { kind: "table" }>): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const padding = 4;
  const columns = block.columns.map(toWinAnsi);
  const rows = block.rows.map((row) => block.columns.map((_, i) => toWinAnsi(row[i] ?? "")));
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

  const rowHeight = (cells: readonly string[], bold: boolean) => {
    doc.font(bold ? fonts.bold : fonts.regular).fontSize(sizes.table);
    return (
      Math.max(
        ...cells.map((cell, i) => doc.heightOfString(cell || " ", { width: (widths[i] ?? 0) - padding * 2 })),
      ) +
      padding * 2
    );
  };
  const drawRow = (cells: readonly string[], header: boolean) => {
    const height = rowHeight(cells, header);
    let x = left;
    const y = doc.y;
    cells.forEach((cell, i) => {
      const cellWidth = widths[i] ?? 0;
      if (header) doc.rect(x, y, cellWidth, height).fillAndStroke(colours.header, colours.rule);
      else doc.rect(x, y, cellWidth, height).lineWidth(0.5).stroke(colours.rule);
      doc
        .font(header ? fonts.bold : fonts.regular)
        .fontSize(sizes.table)
        .fillColor(colours.text)
        .text(cell, x + padding, y + padding, {
          width: cellWidth - padding * 2,
          align: !header && alignRight[i] ? "right" : "left",
        });
      x += cellWidth;
    });
    doc.x = left;
    doc.y = y + height;
  };

  const caption = toWinAnsi(block.caption);
  ensureSpace(doc, rowHeight(columns, true) + (rows[0] ? rowHeight(rows[0], false) : 0) + 20);
  if (caption) {
    doc.moveDown(0.3);
    doc.font(fonts.bold).fontSize(sizes.body).fillColor(colours.text).text(caption, left, doc.y, { width });
    doc.moveDown(0.3);
  }
  doc.lineWidth(0.5);
  drawRow(columns, true);
  for (const row of rows) {
    if (doc.y + rowHeight(row, false) > bottom(doc)) {
      doc.addPage();
      drawRow(columns, true); // the header again on each page the table runs onto
    }
    drawRow(row, false);
  }
  doc.moveDown(0.8);
}

function writeLetterhead(doc: Doc, reply: Reply, letterhead: Letterhead): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  doc.font(fonts.bold).fontSize(15).fillColor(colours.text);
  doc.text(toWinAnsi(letterhead.name), left, doc.page.margins.top, { width, align: "right" });
  doc
    .font(fonts.regular)
    .fontSize(sizes.small + 0.5)
    .fillColor(colours.muted);
  for (const line of addressLines(letterhead.address)) doc.text(toWinAnsi(line), { width, align: "right" });
  if (letterhead.email) doc.text(toWinAnsi(letterhead.email), { width, align: "right" });
  if (letterhead.telephone) doc.text(toWinAnsi(letterhead.telephone), { width, align: "right" });
  const ruleY = doc.y + 8;
  doc
    .moveTo(left, ruleY)
    .lineTo(left + width, ruleY)
    .lineWidth(0.75)
    .stroke(colours.rule);

  // The requester's address block on the left, the reference and date on the right.
  const top = ruleY + 18;
  doc.font(fonts.regular).fontSize(sizes.body).fillColor(colours.text);
  const recipient = [
    reply.requester.name,
    ...(reply.requester.address ? addressLines(reply.requester.address) : [reply.requester.email ?? ""]),
  ].filter((line) => line.trim() !== "");
  doc.text(recipient.map(toWinAnsi).join("\n"), left, top, { width: width * 0.55 });
  const recipientBottom = doc.y;
  doc.text(
    toWinAnsi(`Our reference: ${reply.reference}\nDate: ${formatLongDate(reply.date)}`),
    left + width * 0.55,
    top,
    { width: width * 0.45, align: "right" },
  );
  doc.x = left;
  doc.y = Math.max(recipientBottom, doc.y) + 24;
}

function writeFooters(doc: Doc, reply: Reply): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = doc.page.margins.bottom;
    // Writing below the bottom margin would otherwise start a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 40;
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    doc.font(fonts.regular).fontSize(sizes.small).fillColor(colours.muted);
    doc.text(toWinAnsi(reply.reference), left, y, { width: width / 2, align: "left", lineBreak: false });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, left + width / 2, y, {
      width: width / 2,
      align: "right",
      lineBreak: false,
    });
    doc.page.margins.bottom = saved;
  }
}

export interface PdfOptions {
  /** Leave the content streams uncompressed (tests read the text). */
  compress?: boolean;
}

/** The reply as a PDF letter. Pure: the document's dates come from the reply, not the clock. */
export function renderReplyPdf(
  reply: Reply,
  letterhead: Letterhead,
  options: PdfOptions = {},
): Promise<Uint8Array> {
  const dated = new Date(`${reply.date}T00:00:00Z`);
  const doc = new PDFDocument({
    size: "A4",
    margins,
    bufferPages: true,
    compress: options.compress ?? true,
    lang: "en-GB",
    displayTitle: true,
    info: {
      Title: toWinAnsi(replyTitle(reply)),
      Author: toWinAnsi(letterhead.name),
      Subject: "Response to a request for information",
      Creator: "foidesk",
      Producer: "foidesk",
      CreationDate: dated,
      ModDate: dated,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });

  writeLetterhead(doc, reply, letterhead);
  writeRuns(doc, [{ text: salutation(reply) }], sizes.body);
  doc.moveDown(0.4);
  for (const block of replyBlocks(reply)) {
    switch (block.kind) {
      case "heading":
        writeHeading(doc, block.level, block.text);
        break;
      case "paragraph":
        ensureSpace(doc, sizes.body * 2.4);
        writeRuns(doc, block.runs, sizes.body);
        doc.moveDown(0.55);
        break;
      case "list":
        writeList(doc, block.ordered, block.items);
        break;
      case "table":
        writeTable(doc, block);
        break;
    }
  }
  ensureSpace(doc, sizes.body * 6);
  doc.moveDown(0.5);
  for (const line of signOffLines(reply)) {
    writeRuns(doc, [{ text: line }], sizes.body);
    if (line.startsWith("Yours")) doc.moveDown(2);
  }
  writeFooters(doc, reply);
  doc.end();
  return done;
}
