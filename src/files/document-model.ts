import { writeOdf } from "./workbook-model.ts";
import { escapeXml } from "./xml.ts";
import { writeZip } from "./zip.ts";

/** What a clean document keeps: its visible text as paragraphs, headings and tables. */
export type Block =
  | {
      kind: "paragraph";
      text: string;
      heading?: number;
      /** Footnote and endnote marks: where in the text (characters before) and the note's number. */
      notes?: { at: number; kind: "footnote" | "endnote"; number: number }[];
    }
  | { kind: "table"; rows: string[][] };

export type TrackedChanges = "accept" | "reject";

/** A Word document's visible content: body, headers and footers by the pages they show on, and notes. */
export interface VisibleDocument {
  body: Block[];
  headers: { type: "default" | "first" | "even"; blocks: Block[] }[];
  footers: { type: "default" | "first" | "even"; blocks: Block[] }[];
  /** The notes' content, numbered from 1 in order. */
  footnotes: Block[][];
  endnotes: Block[][];
}

const textRun = (text: string) =>
  text === "" ? "" : `<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
const noteMark = (kind: "footnote" | "endnote", number?: number) =>
  `<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>${number === undefined ? `<w:${kind}Ref/>` : `<w:${kind}Reference w:id="${number}"/>`}</w:r>`;

function docxParagraph(block: Extract<Block, { kind: "paragraph" }>, lead = ""): string {
  const properties = block.heading ? `<w:pPr><w:pStyle w:val="Heading${block.heading}"/></w:pPr>` : "";
  const runs: string[] = [lead];
  let from = 0;
  for (const note of block.notes ?? []) {
    runs.push(textRun(block.text.slice(from, note.at)), noteMark(note.kind, note.number));
    from = note.at;
  }
  runs.push(textRun(block.text.slice(from)));
  return `<w:p>${properties}${runs.join("")}</w:p>`;
}

function docxBlocks(blocks: readonly Block[], lead = ""): string {
  const out = blocks.map((block, index) =>
    block.kind === "paragraph"
      ? docxParagraph(block, index === 0 ? lead : "")
      : `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>${block.rows
          .map(
            (row) =>
              `<w:tr>${row.map((cell) => `<w:tc>${docxParagraph({ kind: "paragraph", text: cell })}</w:tc>`).join("")}</w:tr>`,
          )
          .join("")}</w:tbl>`,
  );
  // A cell, header or note must end with a paragraph (ECMA-376 Part 1, 17.4.66).
  if (blocks.length === 0 || blocks[blocks.length - 1]!.kind === "table") out.push(`<w:p>${lead}</w:p>`);
  return out.join("");
}

const wordNamespaces =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const officeRelationship = (type: string) =>
  `http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}`;
const wordType = (type: string) =>
  `application/vnd.openxmlformats-officedocument.wordprocessingml.${type}+xml`;

/** The notes part: Word's two separator notes, then each note with its mark. */
function notesPart(kind: "footnote" | "endnote", notes: readonly Block[][]): string {
  const separators = `<w:${kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:${kind}><w:${kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:${kind}>`;
  const body = notes
    .map(
      (blocks, index) => `<w:${kind} w:id="${index + 1}">${docxBlocks(blocks, noteMark(kind))}</w:${kind}>`,
    )
    .join("");
  return `${xmlHead}<w:${kind}s ${wordNamespaces}>${separators}${body}</w:${kind}s>`;
}

/** A new DOCX with the visible content only: no comments, revisions, hidden runs, properties or objects. */
export function writeDocx(document: VisibleDocument): Uint8Array {
  const parts: [string, string][] = [];
  const rels: string[] = [
    `<Relationship Id="rId1" Type="${officeRelationship("styles")}" Target="styles.xml"/>`,
    `<Relationship Id="rId2" Type="${officeRelationship("settings")}" Target="settings.xml"/>`,
  ];
  const overrides: string[] = [
    `<Override PartName="/word/document.xml" ContentType="${wordType("document.main")}"/>`,
    `<Override PartName="/word/styles.xml" ContentType="${wordType("styles")}"/>`,
    `<Override PartName="/word/settings.xml" ContentType="${wordType("settings")}"/>`,
  ];
  const add = (name: string, type: string, contentType: string, xml: string) => {
    const id = `rId${rels.length + 1}`;
    rels.push(`<Relationship Id="${id}" Type="${officeRelationship(type)}" Target="${name}"/>`);
    overrides.push(`<Override PartName="/word/${name}" ContentType="${wordType(contentType)}"/>`);
    parts.push([`word/${name}`, xml]);
    return id;
  };
  const sectionReferences: string[] = [];
  for (const [kind, list] of [
    ["header", document.headers],
    ["footer", document.footers],
  ] as const)
    list.forEach((part, index) => {
      const tag = kind === "header" ? "hdr" : "ftr";
      const id = add(
        `${kind}${index + 1}.xml`,
        kind,
        kind,
        `${xmlHead}<w:${tag} ${wordNamespaces}>${docxBlocks(part.blocks)}</w:${tag}>`,
      );
      sectionReferences.push(`<w:${kind}Reference w:type="${part.type}" r:id="${id}"/>`);
    });
  if (document.footnotes.length > 0)
    add("footnotes.xml", "footnotes", "footnotes", notesPart("footnote", document.footnotes));
  if (document.endnotes.length > 0)
    add("endnotes.xml", "endnotes", "endnotes", notesPart("endnote", document.endnotes));
  const titlePage = [...document.headers, ...document.footers].some((part) => part.type === "first");
  const evenPages = [...document.headers, ...document.footers].some((part) => part.type === "even");
  const section = `<w:sectPr>${sectionReferences.join("")}<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/>${titlePage ? "<w:titlePg/>" : ""}</w:sectPr>`;
  const body = document.body.length > 0 ? docxBlocks(document.body) : "<w:p/>";
  const headingStyles = [1, 2, 3, 4, 5, 6]
    .map(
      (level) =>
        `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="${level - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="${Math.max(22, 36 - level * 4)}"/></w:rPr></w:style>`,
    )
    .join("");
  const styles = `${xmlHead}<w:styles ${wordNamespaces}><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>${headingStyles}<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr></w:style></w:styles>`;
  const settings = `${xmlHead}<w:settings ${wordNamespaces}>${evenPages ? "<w:evenAndOddHeaders/>" : ""}</w:settings>`;
  return writeZip([
    [
      "[Content_Types].xml",
      `${xmlHead}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides.join("")}</Types>`,
    ],
    [
      "_rels/.rels",
      `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${officeRelationship("officeDocument")}" Target="word/document.xml"/></Relationships>`,
    ],
    [
      "word/document.xml",
      `${xmlHead}<w:document ${wordNamespaces}><w:body>${body}${section}</w:body></w:document>`,
    ],
    [
      "word/_rels/document.xml.rels",
      `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join("")}</Relationships>`,
    ],
    ["word/styles.xml", styles],
    ["word/settings.xml", settings],
    ...parts,
  ]);
}

const odtParagraph = (text: string, heading?: number) =>
  heading
    ? `<text:h text:outline-level="${heading}">${escapeXml(text)}</text:h>`
    : `<text:p>${escapeXml(text)}</text:p>`;

/** A new ODT with the visible text only. */
export function writeOdt(blocks: readonly Block[]): Uint8Array {
  const body = blocks
    .map((block) =>
      block.kind === "paragraph"
        ? odtParagraph(block.text, block.heading)
        : `<table:table><table:table-column table:number-columns-repeated="${Math.max(1, ...block.rows.map((row) => row.length))}"/>${block.rows
            .map(
              (row) =>
                `<table:table-row>${row.map((cell) => `<table:table-cell office:value-type="string">${odtParagraph(cell)}</table:table-cell>`).join("")}</table:table-row>`,
            )
            .join("")}</table:table>`,
    )
    .join("");
  return writeOdf("application/vnd.oasis.opendocument.text", `<office:text>${body}</office:text>`);
}
