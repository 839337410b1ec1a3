import { strToU8, zipSync } from "fflate";
import { type PublishedTable, SUPPRESSED } from "./view.ts";

// A minimal Office Open XML workbook (ECMA-376 Part 1, SpreadsheetML): content types, the package and workbook
// relationships, a worksheet for the table and one for its notes, with inline strings (no shared-strings
// part needed), and a style sheet with a bold style for headings, number formats, and a right-aligned style
// for the "[c]" marker so it lines up with the figures. The notes are kept off the table's sheet, as the
// Analysis Function's guidance on releasing statistics in spreadsheets (and the ONS) does: the data loads
// cleanly. Zipped with fflate, with a fixed timestamp so the same table always gives the same bytes.

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships";
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const STYLE = { text: 0, heading: 1, count: 2, amount: 3, withheld: 4 } as const;

function escapeXml(text: string): string {
  let clean = "";
  for (const character of text) {
    const code = character.charCodeAt(0);
    // XML 1.0 cannot carry control characters other than tab, line feed and carriage return.
    if (code < 32 && code !== 9 && code !== 10 && code !== 13) continue;
    clean += character;
  }
  return clean.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

type Value = { text: string; style?: number } | { number: number; style?: number };

function row(index: number, values: readonly Value[]): string {
  const cells = values.map((value, column) => {
    const reference = `${columnName(column)}${index}`;
    const style = value.style ? ` s="${value.style}"` : "";
    if ("number" in value) return `<c r="${reference}"${style}><v>${value.number}</v></c>`;
    return `<c r="${reference}" t="inlineStr"${style}><is><t xml:space="preserve">${escapeXml(value.text)}</t></is></c>`;
  });
  return `<row r="${index}">${cells.join("")}</row>`;
}

function worksheet(rows: readonly string[], columns: number): string {
  return (
    `${HEAD}<worksheet xmlns="${MAIN}"><sheetViews><sheetView workbookViewId="0"/></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="${columns}" width="18" customWidth="1"/></cols>` +
    `<sheetData>${rows.join("")}</sheetData></worksheet>`
  );
}

/**
 * The table as an .xlsx workbook: on its sheet the title, a line saying where the notes are, then the table
 * in long form with "[c]" for withheld figures; on the Notes sheet, each note numbered.
 */
export function tableXlsx(published: PublishedTable, options: { sheetName?: string } = {}): Uint8Array {
  const sheetName = escapeXml((options.sheetName ?? "Table_1").slice(0, 31));
  const hasNotes = published.notes.length > 0;
  const rows: string[] = [];
  let next = 1;
  rows.push(row(next++, [{ text: published.title, style: STYLE.heading }]));
  if (hasNotes) rows.push(row(next++, [{ text: "This table has notes: see the Notes sheet." }]));
  const header = [...published.dimensions, "Count", ...(published.magnitude ? [published.quantity] : [])];
  rows.push(
    row(
      next++,
      header.map((text) => ({ text, style: STYLE.heading })),
    ),
  );
  for (const cell of published.cells) {
    const values: Value[] = cell.labels.map((text) => ({ text }));
    if (cell.withheld || cell.freq === null) values.push({ text: SUPPRESSED, style: STYLE.withheld });
    else values.push({ number: cell.freq, style: STYLE.count });
    if (published.magnitude) {
      if (cell.withheld || cell.value === null) values.push({ text: SUPPRESSED, style: STYLE.withheld });
      else values.push({ number: cell.value, style: STYLE.amount });
    }
    rows.push(row(next++, values));
  }
  const sheets = [{ name: sheetName, xml: worksheet(rows, header.length) }];
  if (hasNotes) {
    const noteRows = [
      row(1, [
        { text: "Note number", style: STYLE.heading },
        { text: "Note text", style: STYLE.heading },
      ]),
      ...published.notes.map((note, index) =>
        row(index + 2, [{ text: `Note ${index + 1}` }, { text: note }]),
      ),
    ];
    sheets.push({ name: "Notes", xml: worksheet(noteRows, 2) });
  }
  const styles =
    `${HEAD}<styleSheet xmlns="${MAIN}">` +
    `<fonts count="2"><font><sz val="11"/><name val="Arial"/></font><font><b/><sz val="11"/><name val="Arial"/></font></fonts>` +
    `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
    `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
    `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
    `<cellXfs count="5">` +
    `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
    `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
    `<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
    `<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
    `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="right"/></xf>` +
    `</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;
  const workbook =
    `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets>` +
    sheets.map((sheet, i) => `<sheet name="${sheet.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("") +
    `</sheets></workbook>`;
  const workbookRelationships =
    `${HEAD}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">` +
    sheets
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join("") +
    `<Relationship Id="rId${sheets.length + 1}" Type="${RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>`;
  const packageRelationships =
    `${HEAD}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">` +
    `<Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  const contentTypes =
    `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
    sheets
      .map(
        (_, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join("") +
    `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
    `</Types>`;
  const mtime = new Date(1980, 0, 1);
  return zipSync(
    {
      "[Content_Types].xml": strToU8(contentTypes),
      "_rels/.rels": strToU8(packageRelationships),
      "xl/workbook.xml": strToU8(workbook),
      "xl/_rels/workbook.xml.rels": strToU8(workbookRelationships),
      ...Object.fromEntries(
        sheets.map((sheet, i) => [`xl/worksheets/sheet${i + 1}.xml`, strToU8(sheet.xml)]),
      ),
      "xl/styles.xml": strToU8(styles),
    },
    { mtime, level: 6 },
  );
}
