import { writeOdf } from "./workbook-model.ts";
import { escapeXml } from "./xml.ts";
import { writeZip } from "./zip.ts";

/** What a clean document keeps: its visible text as paragraphs, headings and tables. */
export type Block =
  | { kind: "paragraph"; text: string; heading?: number }
  | { kind: "table"; rows: string[][] };

export type TrackedChanges = "accept" | "reject";

const docxParagraph = (text: string, heading?: number) =>
  `<w:p>${heading ? `<w:pPr><w:pStyle w:val="Heading${heading}"/></w:pPr>` : ""}<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;

/** A new DOCX with the visible text only: no comments, revisions, hidden runs, properties or objects. */
export function writeDocx(blocks: readonly Block[]): Uint8Array {
  const body = blocks
    .map((block) =>
      block.kind === "paragraph"
        ? docxParagraph(block.text, block.heading)
        : `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>${block.rows
            .map((row) => `<w:tr>${row.map((cell) => `<w:tc>${docxParagraph(cell)}</w:tc>`).join("")}</w:tr>`)
            .join("")}</w:tbl>`,
    )
    .join("");
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body || "<w:p/>"}</w:body></w:document>`;
  const headingStyles = [1, 2, 3, 4, 5, 6]
    .map(
      (level) =>
        `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="${level - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="${Math.max(22, 36 - level * 4)}"/></w:rPr></w:style>`,
    )
    .join("");
  const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>${headingStyles}<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr></w:style></w:styles>`;
  return writeZip([
    [
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`,
    ],
    [
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    ],
    ["word/document.xml", document],
    [
      "word/_rels/document.xml.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    ],
    ["word/styles.xml", styles],
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
