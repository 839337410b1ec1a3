import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import { formatLongDate } from "./dates.ts";
import type { Block, Run } from "./document.ts";
import {
  addressLines,
  type Letter,
  type Letterhead,
  replyLetter,
  salutation,
  signOffLines,
} from "./letter.ts";
import type { Reply } from "./reply.ts";

// The reply as a Word document, for an officer to edit outside foidesk: the same letter as the PDF (letterhead,
// address block, reference and date, the reply's blocks, sign-off, "Page n of m" in the footer), built with
// real Word headings, numbered and bulleted lists and tables so that it stays accessible when edited.

const font = "Arial";
const text = "0B0C0C";
const muted = "505A5F";

function escapeXml(value: string): string {
  return value.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c,
  );
}

/**
 * docProps/core.xml with the reply's date rather than the time of rendering (the docx package stamps the
 * clock), so a reply renders to the same document properties every time.
 */
function coreProperties(reply: Letter, letterhead: Letterhead): string {
  const stamp = `${reply.date}T00:00:00Z`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(reply.title)}</dc:title>` +
    `<dc:creator>${escapeXml(letterhead.name)}</dc:creator>` +
    `<cp:lastModifiedBy>${escapeXml(letterhead.name)}</cp:lastModifiedBy>` +
    "<cp:revision>1</cp:revision>" +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified>` +
    "</cp:coreProperties>"
  );
}

function runs(items: readonly Run[]): (TextRun | ExternalHyperlink)[] {
  return items.map((run) =>
    run.href
      ? new ExternalHyperlink({
          link: run.href,
          children: [new TextRun({ text: run.text, style: "Hyperlink" })],
        })
      : new TextRun({ text: run.text, bold: run.bold ?? false }),
  );
}

function plain(
  value: string,
  options: { right?: boolean; bold?: boolean; size?: number; colour?: string } = {},
) {
  return new Paragraph({
    alignment: options.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
    spacing: { after: 0 },
    children: [
      new TextRun({ text: value, bold: options.bold ?? false, size: options.size, color: options.colour }),
    ],
  });
}

function tableFor(block: Extract<Block, { kind: "table" }>): Table {
  const cell = (value: string, header: boolean) =>
    new TableCell({
      shading: header ? { type: ShadingType.CLEAR, fill: "F3F2F1", color: "auto" } : undefined,
      margins: { top: 60, bottom: 60, left: 100, right: 100 },
      children: [
        new Paragraph({ spacing: { after: 0 }, children: [new TextRun({ text: value, bold: header })] }),
      ],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: block.columns.map((column) => cell(column, true)) }),
      ...block.rows.map(
        (row) => new TableRow({ children: block.columns.map((_, i) => cell(row[i] ?? "", false)) }),
      ),
    ],
  });
}

function bodyFor(blocks: readonly Block[]): (Paragraph | Table)[] {
  const children: (Paragraph | Table)[] = [];
  let listInstance = 0;
  const levels = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
  for (const block of blocks) {
    switch (block.kind) {
      case "heading":
        children.push(new Paragraph({ heading: levels[block.level], children: [new TextRun(block.text)] }));
        break;
      case "paragraph":
        children.push(new Paragraph({ children: runs(block.runs) }));
        break;
      case "list": {
        listInstance += 1;
        for (const item of block.items) {
          children.push(
            new Paragraph({
              numbering: {
                reference: block.ordered ? "numbered" : "bulleted",
                level: 0,
                instance: listInstance,
              },
              children: [new TextRun(item)],
            }),
          );
        }
        break;
      }
      case "table":
        if (block.caption) {
          children.push(
            new Paragraph({ style: "Caption", children: [new TextRun({ text: block.caption, bold: true })] }),
          );
        }
        children.push(tableFor(block), new Paragraph({ children: [] }));
        break;
    }
  }
  return children;
}

/** The reply as a .docx file. */
export function renderReplyDocx(reply: Reply, letterhead: Letterhead): Promise<Uint8Array> {
  return renderLetterDocx(replyLetter(reply), letterhead);
}

/** A letter as a .docx file. */
export async function renderLetterDocx(reply: Letter, letterhead: Letterhead): Promise<Uint8Array> {
  const letterheadLines = [
    plain(letterhead.name, { right: true, bold: true, size: 30 }),
    ...addressLines(letterhead.address).map((line) => plain(line, { right: true, size: 18, colour: muted })),
    ...(letterhead.email ? [plain(letterhead.email, { right: true, size: 18, colour: muted })] : []),
    ...(letterhead.telephone ? [plain(letterhead.telephone, { right: true, size: 18, colour: muted })] : []),
    new Paragraph({
      border: { bottom: { style: "single", size: 6, color: "B1B4B6", space: 4 } },
      children: [],
    }),
    new Paragraph({ children: [] }),
  ];
  const recipient = [
    reply.requester.name,
    ...(reply.requester.address ? addressLines(reply.requester.address) : [reply.requester.email ?? ""]),
  ]
    .filter((line) => line.trim() !== "")
    .map((line) => plain(line));
  const referenceLines = [
    plain(`Our reference: ${reply.reference}`, { right: true }),
    plain(`Date: ${formatLongDate(reply.date)}`, { right: true }),
    new Paragraph({ children: [] }),
  ];
  const closing = signOffLines(reply).map(
    (line, i) =>
      new Paragraph({ spacing: { before: i === 1 ? 480 : 0, after: 0 }, children: [new TextRun(line)] }),
  );

  const document = new Document({
    creator: letterhead.name,
    title: reply.title,
    description: reply.subject,
    styles: {
      default: {
        document: { run: { font, size: 22, color: text }, paragraph: { spacing: { after: 120, line: 276 } } },
        heading1: {
          run: { font, size: 28, bold: true, color: text },
          paragraph: { spacing: { before: 240, after: 120 } },
        },
        heading2: {
          run: { font, size: 24, bold: true, color: text },
          paragraph: { spacing: { before: 240, after: 120 } },
        },
        heading3: {
          run: { font, size: 22, bold: true, color: text },
          paragraph: { spacing: { before: 180, after: 80 } },
        },
        hyperlink: { run: { color: "1D70B8", underline: {} } },
      },
    },
    numbering: {
      config: [
        {
          reference: "numbered",
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: "%1.",
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 420, hanging: 420 } } },
            },
          ],
        },
        {
          reference: "bulleted",
          levels: [
            {
              level: 0,
              format: LevelFormat.BULLET,
              text: "•",
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 360, hanging: 260 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        properties: { page: { margin: { top: 1000, bottom: 1100, left: 1130, right: 1130 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [
                  new TextRun({ text: `${reply.reference}    `, size: 16, color: muted }),
                  new TextRun({
                    children: ["Page ", PageNumber.CURRENT, " of ", PageNumber.TOTAL_PAGES],
                    size: 16,
                    color: muted,
                  }),
                ],
              }),
            ],
          }),
        },
        children: [
          ...letterheadLines,
          ...recipient,
          ...referenceLines,
          new Paragraph({ children: [new TextRun(salutation(reply))] }),
          ...bodyFor(reply.blocks),
          ...closing,
        ],
      },
    ],
  });
  const buffer = await Packer.toBuffer(document, false, [
    { path: "docProps/core.xml", data: coreProperties(reply, letterhead) },
  ]);
  return new Uint8Array(buffer);
}
