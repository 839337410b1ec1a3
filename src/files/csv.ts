import { excerpt, type Finding } from "./findings.ts";
import { columnName } from "./workbook-model.ts";

/** Parses CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * A cell a spreadsheet would run as a formula when the CSV is opened (OWASP "CSV injection"): one starting with
 * =, +, -, @, tab or carriage return, other than a plain number.
 */
export function isFormulaCell(value: string): boolean {
  if (!/^[=+\-@\t\r]/.test(value)) return false;
  return !/^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$/.test(value.trim());
}

const maxListed = 50;

export function inspectCsv(text: string): Finding[] {
  const findings: Finding[] = [];
  let more = 0;
  parseCsv(text).forEach((row, r) => {
    row.forEach((value, c) => {
      if (!isFormulaCell(value)) return;
      if (findings.length < maxListed)
        findings.push({
          kind: "formula",
          where: `row ${r + 1}, column ${columnName(c)}`,
          detail: excerpt(value),
        });
      else more++;
    });
  });
  if (more > 0)
    findings.push({ kind: "formula", where: "further cells", detail: `${more} more cells like these` });
  return findings;
}

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The same table with every formula-like cell made text (a leading apostrophe, as OWASP advises). */
export function cleanCsv(text: string): string {
  return `${parseCsv(text)
    .map((row) => row.map((value) => quote(isFormulaCell(value) ? `'${value}` : value)).join(","))
    .join("\r\n")}\r\n`;
}
