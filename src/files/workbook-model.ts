import { escapeXml } from "./xml.ts";
import { writeZip } from "./zip.ts";

/** What a clean spreadsheet keeps: the visible cells' values and basic formatting, nothing else. */
export type CellValue =
  | { kind: "number"; value: string }
  | { kind: "text"; value: string }
  | { kind: "boolean"; value: boolean };

export interface Cell {
  value: CellValue;
  /** An Excel number format code, when it is not General (dates above all). */
  numberFormat?: string;
  bold?: boolean;
}

export interface VisibleSheet {
  name: string;
  /** Rows of the visible cells only, hidden rows and columns taken out (as a person copying them would get). */
  rows: (Cell | undefined)[][];
}

export interface VisibleWorkbook {
  sheets: VisibleSheet[];
}

/** `0` → `A`, `27` → `AB`. */
export function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** `AB12` → column 27 (zero-based); undefined for a reference without letters. */
export function columnIndex(reference: string): number | undefined {
  // By character codes, not a regular expression: this runs for every cell of a sheet.
  let at = reference.charCodeAt(0) === 36 /* $ */ ? 1 : 0;
  let index = 0;
  for (; at < reference.length; at++) {
    const code = reference.charCodeAt(at) & ~32; // upper case
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index === 0 ? undefined : index - 1;
}

/** Consecutive numbers as ranges: [1,2,3,7] → ["1–3", "7"] (with `name` applied to each end). */
export function ranges(values: readonly number[], name: (value: number) => string = String): string[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i]!;
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i]! + 1) i++;
    out.push(sorted[i] === start ? name(start) : `${name(start)}–${name(sorted[i]!)}`);
  }
  return out;
}

/** `at` less the number of hidden positions before it (`hidden` sorted). */
export function shift(hidden: readonly number[], at: number): number {
  let low = 0;
  let high = hidden.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (hidden[middle]! < at) low = middle + 1;
    else high = middle;
  }
  return at - low;
}

export const builtInFormats: Record<number, string> = {
  1: "0",
  2: "0.00",
  3: "#,##0",
  4: "#,##0.00",
  9: "0%",
  10: "0.00%",
  11: "0.00E+00",
  14: "dd/mm/yyyy",
  15: "d-mmm-yy",
  16: "d-mmm",
  17: "mmm-yy",
  18: "h:mm AM/PM",
  19: "h:mm:ss AM/PM",
  20: "h:mm",
  21: "h:mm:ss",
  22: "dd/mm/yyyy hh:mm",
  45: "mm:ss",
  46: "[h]:mm:ss",
  47: "mmss.0",
  49: "@",
};

export function builtInFormat(id: number): string | undefined {
  return builtInFormats[id];
}

/** Whether a number format shows a date (its codes outside quotes and brackets include d, m or y). */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"/g, "").replace(/\[[^\]]*\]/g, "");
  return /[dy]/i.test(bare) || /m/i.test(bare.replace(/[hs]/gi, ""));
}

/** An Excel serial day (1900 date system) as an ISO date-time. */
export function serialToIso(serial: number): string {
  const ms = Math.round((serial - 25569) * 86_400_000);
  return new Date(ms)
    .toISOString()
    .replace(/\.000Z$/, "")
    .replace(/T00:00:00$/, "");
}

const odfNamespaces =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"';

/** An OpenDocument package with one content part (no meta.xml, settings, thumbnails or scripts). */
export function writeOdf(mimetype: string, body: string, automaticStyles = ""): Uint8Array {
  const content = `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content ${odfNamespaces}><office:automatic-styles>${automaticStyles}</office:automatic-styles><office:body>${body}</office:body></office:document-content>`;
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mimetype}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`;
  return writeZip([
    ["mimetype", mimetype],
    ["content.xml", content],
    ["META-INF/manifest.xml", manifest],
  ]);
}

/** A new ODS with the visible cells only. */
export function writeOds(workbook: VisibleWorkbook): Uint8Array {
  const tables = workbook.sheets.map((sheet) => {
    const rows = sheet.rows.map((row) => {
      const cells = row.map((cell) => {
        if (!cell) return "<table:table-cell/>";
        const style = cell.bold ? ' table:style-name="bold"' : "";
        const value = cell.value;
        if (value.kind === "number") {
          if (cell.numberFormat && isDateFormat(cell.numberFormat)) {
            const iso = serialToIso(Number(value.value));
            return `<table:table-cell${style} office:value-type="date" office:date-value="${iso}"><text:p>${iso}</text:p></table:table-cell>`;
          }
          return `<table:table-cell${style} office:value-type="float" office:value="${escapeXml(value.value)}"><text:p>${escapeXml(value.value)}</text:p></table:table-cell>`;
        }
        if (value.kind === "boolean")
          return `<table:table-cell${style} office:value-type="boolean" office:boolean-value="${value.value}"><text:p>${value.value ? "TRUE" : "FALSE"}</text:p></table:table-cell>`;
        return `<table:table-cell${style} office:value-type="string"><text:p>${escapeXml(value.value)}</text:p></table:table-cell>`;
      });
      return `<table:table-row>${cells.join("")}</table:table-row>`;
    });
    return `<table:table table:name="${escapeXml(sheet.name)}">${rows.length > 0 ? rows.join("") : "<table:table-row><table:table-cell/></table:table-row>"}</table:table>`;
  });
  return writeOdf(
    "application/vnd.oasis.opendocument.spreadsheet",
    `<office:spreadsheet>${tables.join("")}</office:spreadsheet>`,
    '<style:style style:name="bold" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>',
  );
}
