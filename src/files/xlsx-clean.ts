import { builtInFormats, columnName, shift } from "./workbook-model.ts";
import {
  eachSharedString,
  MergeCover,
  mergedAreas,
  parseRange,
  readCells,
  readStyles,
  readWorkbook,
} from "./xlsx.ts";
import { escapeXml } from "./xml.ts";
import { type ZipArchive, type ZipEntryWriter, ZipWriter } from "./zip.ts";

// The clean copy of a workbook is rebuilt from the visible cells of the visible sheets: values, bold, number
// formats, column widths, row heights and merged areas among the visible cells; nothing else is read across
// (no formulas, names, comments, caches, links, properties or macros). Each sheet is read and written in one
// streaming pass: the hidden columns are listed before the cell table (ECMA-376 Part 1, 18.3.1.99) and a
// hidden row is known when it opens, so each visible cell's new place is known as it is met.

const maxColumns = 16_384;

/** The copy's cell formats: one per distinct number format and weight, in the order they are first used. */
class CellFormats {
  private readonly list: { numberFormat: string | undefined; bold: boolean }[] = [
    { numberFormat: undefined, bold: false },
  ];
  private readonly index = new Map<string, number>([["|", 0]]);

  of(numberFormat: string | undefined, bold: boolean): number {
    const key = `${numberFormat ?? ""}|${bold ? "b" : ""}`;
    let at = this.index.get(key);
    if (at === undefined) {
      at = this.list.length;
      this.list.push({ numberFormat, bold });
      this.index.set(key, at);
    }
    return at;
  }

  stylesXml(): string {
    const builtIns = new Map(Object.entries(builtInFormats).map(([id, code]) => [code, Number(id)]));
    const custom = new Map<string, number>();
    const xfs = this.list.map((style) => {
      let formatId = 0;
      if (style.numberFormat) {
        formatId = builtIns.get(style.numberFormat) ?? custom.get(style.numberFormat) ?? 164 + custom.size;
        if (formatId >= 164) custom.set(style.numberFormat, formatId);
      }
      return `<xf numFmtId="${formatId}" fontId="${style.bold ? 1 : 0}" fillId="0" borderId="0" xfId="0"${formatId ? ' applyNumberFormat="1"' : ""}${style.bold ? ' applyFont="1"' : ""}/>`;
    });
    const numFmts = [...custom]
      .map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`)
      .join("");
    return `${xmlHead}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${numFmts ? `<numFmts count="${custom.size}">${numFmts}</numFmts>` : ""}<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${xfs.length}">${xfs.join("")}</cellXfs></styleSheet>`;
  }
}

const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const spreadsheetMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

interface SheetSource {
  part: string;
  strings: SharedText;
  formats: ReturnType<typeof readStyles>;
  cellFormats: CellFormats;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters escapeXml drops
const needsEscaping = /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** `escapeXml`, at the cost of one search for text that needs none (most cell text). */
function escapeText(text: string): string {
  return needsEscaping.test(text) ? escapeXml(text) : text;
}

const encoder = new TextEncoder();
const blockBytes = 1 << 20;

/**
 * The shared strings, escaped for XML once and kept as UTF-8 bytes in 1 MB blocks: the one part of a workbook
 * whose text the copy needs at random (each visible cell's, as its row is written), held compactly, outside
 * the JavaScript heap, and copied into the sheet as it is.
 */
class SharedText {
  private readonly blocks: Uint8Array[] = [];
  private block = new Uint8Array(0);
  private used = 0;
  /** Per string: its block, where it starts and its length. */
  private places = new Int32Array(3 * 1024);
  count = 0;

  add(text: string): void {
    const escaped = escapeText(text);
    const most = escaped.length * 3;
    if (this.used + most > this.block.length) {
      this.block = new Uint8Array(Math.max(blockBytes, most));
      this.blocks.push(this.block);
      this.used = 0;
    }
    const { written } = encoder.encodeInto(escaped, this.block.subarray(this.used));
    if (3 * this.count + 3 > this.places.length) {
      const grown = new Int32Array(this.places.length * 2);
      grown.set(this.places);
      this.places = grown;
    }
    const at = 3 * this.count;
    this.places[at] = this.blocks.length - 1;
    this.places[at + 1] = this.used;
    this.places[at + 2] = written;
    this.used += written;
    this.count++;
  }

  /** String `index` as escaped UTF-8 (empty when there is no such string). */
  get(index: number): Uint8Array {
    if (!(index >= 0 && index < this.count)) return new Uint8Array(0);
    const at = 3 * index;
    const start = this.places[at + 1]!;
    return this.blocks[this.places[at]!]!.subarray(start, start + this.places[at + 2]!);
  }
}

/** A part's bytes gathered in 1 MB pieces, each handed to the archive as it fills. */
class PartBytes {
  private buffer = new Uint8Array(blockBytes);
  private used = 0;
  private readonly out: ZipEntryWriter;
  constructor(out: ZipEntryWriter) {
    this.out = out;
  }

  /** Text as UTF-8; markup is ASCII, so it is copied a character at a time until anything else turns up. */
  text(text: string): void {
    if (this.used + text.length * 3 > this.buffer.length) this.flush(text.length * 3);
    const buffer = this.buffer;
    let used = this.used;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        used += encoder.encodeInto(text.slice(i), buffer.subarray(used)).written;
        break;
      }
      buffer[used++] = code;
    }
    this.used = used;
  }

  bytes(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.buffer.length) this.flush(bytes.length);
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Hands over what is gathered (the archive keeps it until it is packed, so a new buffer follows). */
  flush(room = 0): void {
    if (this.used > 0) this.out.write(this.buffer.subarray(0, this.used));
    this.buffer = new Uint8Array(Math.max(blockBytes, room));
    this.used = 0;
  }

  end(): void {
    this.flush();
    this.out.end();
  }
}

/** Reads one sheet and writes its visible part, cell by cell, into `out`. */
async function writeVisibleSheet(zip: ZipArchive, source: SheetSource, out: ZipEntryWriter): Promise<void> {
  const hiddenColumn = new Uint8Array(maxColumns);
  const widths: { min: number; max: number; width: string }[] = [];
  const hiddenRows: number[] = [];
  const merges: string[] = [];
  const hiddenRowSet = new Set<number>();
  // Only the value a merged area shows is copied: what its covered cells hold nobody sees.
  const cover = new MergeCover(
    await mergedAreas(zip, source.part),
    (row) => hiddenRowSet.has(row),
    (column) => hiddenColumn[column] === 1,
  );
  let newColumn = new Int32Array(0);
  let started = false;
  let rowHidden = false;
  let rowOpen = "";
  let rowWritten = false;
  // Per cell, the copy's style and column letters are looked up, not worked out again.
  const styleOf = new Map<number, string>();
  const columnNames: string[] = [];
  const part = new PartBytes(out);
  const emit = (text: string) => part.text(text);
  const start = () => {
    if (started) return;
    started = true;
    // Each hidden column before a column moves it one to the left, as copying the visible cells would.
    newColumn = new Int32Array(maxColumns);
    let hiddenBefore = 0;
    for (let c = 0; c < maxColumns; c++) {
      newColumn[c] = c - hiddenBefore;
      if (hiddenColumn[c]) hiddenBefore++;
    }
    const cols: string[] = [];
    for (const { min, max, width } of widths) {
      let from = -1;
      let to = -1;
      const flush = () => {
        if (from >= 0)
          cols.push(`<col min="${from + 1}" max="${to + 1}" width="${escapeXml(width)}" customWidth="1"/>`);
        from = -1;
      };
      for (let c = min; c <= Math.min(max, maxColumns - 1); c++) {
        if (hiddenColumn[c]) continue;
        const at = newColumn[c]!;
        if (from >= 0 && at === to + 1) to = at;
        else {
          flush();
          from = at;
          to = at;
        }
      }
      flush();
    }
    emit(
      `${xmlHead}<worksheet xmlns="${spreadsheetMain}">${cols.length ? `<cols>${cols.join("")}</cols>` : ""}<sheetData>`,
    );
  };
  const closeRow = () => {
    if (rowWritten) emit("</row>");
    rowWritten = false;
  };
  await readCells(zip, source.part, {
    column(min, max, hidden, attributes) {
      if (min < 0 || max < min) return;
      if (hidden) hiddenColumn.fill(1, min, Math.min(max, maxColumns - 1) + 1);
      else if (attributes.width && Number(attributes.width) > 0)
        widths.push({ min, max: Math.min(max, maxColumns - 1), width: attributes.width });
    },
    sheetData: start,
    row(row, hidden, attributes) {
      closeRow();
      rowHidden = hidden;
      cover.row(row);
      if (hidden) {
        hiddenRows.push(row);
        hiddenRowSet.add(row);
        return;
      }
      const height =
        (attributes.customHeight === "1" || attributes.customHeight === "true") && Number(attributes.ht) > 0
          ? ` ht="${escapeXml(attributes.ht!)}" customHeight="1"`
          : "";
      rowOpen = `<row r="${row - hiddenRows.length}"${height}>`;
    },
    cell(row, column, type, raw, style) {
      if (rowHidden || column < 0 || column >= maxColumns || hiddenColumn[column]) return;
      if (cover.covered(row, column)) return;
      if (!rowWritten) {
        emit(rowOpen);
        rowWritten = true;
      }
      let styled = styleOf.get(style);
      if (styled === undefined) {
        const format = source.formats.formats[style];
        const s = source.cellFormats.of(
          format && format !== "General" ? format : undefined,
          source.formats.bold[style] ?? false,
        );
        styled = s === 0 ? "" : ` s="${s}"`;
        styleOf.set(style, styled);
      }
      const at = newColumn[column]!;
      let letters = columnNames[at];
      if (letters === undefined) {
        letters = columnName(at);
        columnNames[at] = letters;
      }
      const reference = `${letters}${row - hiddenRows.length}`;
      if (type === "n" && raw.trim() !== "" && Number.isFinite(Number(raw)))
        emit(`<c r="${reference}"${styled}><v>${raw.trim()}</v></c>`);
      else if (type === "b")
        emit(`<c r="${reference}"${styled} t="b"><v>${raw === "1" || raw === "true" ? 1 : 0}</v></c>`);
      else {
        emit(`<c r="${reference}"${styled} t="inlineStr"><is><t xml:space="preserve">`);
        if (type === "s") part.bytes(source.strings.get(Number(raw)));
        else emit(escapeText(raw));
        emit("</t></is></c>");
      }
    },
    mergeCell(reference) {
      merges.push(reference);
    },
  });
  start();
  closeRow();
  emit("</sheetData>");
  const visibleMerges = merges.flatMap((reference) => {
    const range = parseRange(reference);
    if (!range) return [];
    // A merged area keeps its visible rows and columns; one that shrinks to a cell is no longer merged.
    const hidden = new Set(hiddenRows);
    let { r1, r2, c1, c2 } = range;
    while (r1 <= r2 && hidden.has(r1)) r1++;
    while (r2 >= r1 && hidden.has(r2)) r2--;
    while (c1 <= c2 && hiddenColumn[c1]) c1++;
    while (c2 >= c1 && hiddenColumn[c2]) c2--;
    if (r1 > r2 || c1 > c2) return [];
    const top = shift(hiddenRows, r1);
    const bottom = shift(hiddenRows, r2);
    const left = newColumn[c1]!;
    const right = newColumn[c2]!;
    if (top === bottom && left === right) return [];
    return [`<mergeCell ref="${columnName(left)}${top}:${columnName(right)}${bottom}"/>`];
  });
  if (visibleMerges.length > 0)
    emit(`<mergeCells count="${visibleMerges.length}">${visibleMerges.join("")}</mergeCells>`);
  emit("</worksheet>");
  part.end();
}

/**
 * Writes the visible sheets. The shared strings are read here, so nothing holds them once the sheets are
 * written and the archive is put together.
 */
async function writeVisibleSheets(
  zip: ZipArchive,
  sheets: ReturnType<typeof readWorkbook>["sheets"],
  cellFormats: CellFormats,
  out: ZipWriter,
): Promise<void> {
  const strings = new SharedText();
  await eachSharedString(zip, (_, text) => strings.add(text));
  const formats = readStyles(zip);
  for (const [i, sheet] of sheets.entries())
    await writeVisibleSheet(
      zip,
      { strings, formats, cellFormats, part: sheet.part! },
      out.entry(`xl/worksheets/sheet${i + 1}.xml`, 1),
    );
}

/** A new XLSX with the visible cells only: no hidden parts, names, comments, caches, links or properties. */
export async function cleanXlsx(zip: ZipArchive): Promise<Uint8Array> {
  const workbook = readWorkbook(zip);
  const cellFormats = new CellFormats();
  const sheets = workbook.sheets.filter(
    (sheet) => sheet.state === "visible" && sheet.part && zip.entries.has(sheet.part),
  );
  const out = new ZipWriter();
  const names = sheets.length > 0 ? sheets.map((sheet) => sheet.name) : ["Sheet1"];
  await writeVisibleSheets(zip, sheets, cellFormats, out);
  const part = (name: string, xml: string) => {
    const entry = out.entry(name);
    entry.write(xml);
    entry.end();
  };
  if (sheets.length === 0)
    part(
      "xl/worksheets/sheet1.xml",
      `${xmlHead}<worksheet xmlns="${spreadsheetMain}"><sheetData/></worksheet>`,
    );
  const relationship = (type: string) =>
    `http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}`;
  part(
    "xl/workbook.xml",
    `${xmlHead}<workbook xmlns="${spreadsheetMain}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${names
      .map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join("")}</sheets></workbook>`,
  );
  part(
    "xl/_rels/workbook.xml.rels",
    `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${names
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="${relationship("worksheet")}" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join(
        "",
      )}<Relationship Id="rId${names.length + 1}" Type="${relationship("styles")}" Target="styles.xml"/></Relationships>`,
  );
  part("xl/styles.xml", cellFormats.stylesXml());
  part(
    "[Content_Types].xml",
    `${xmlHead}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${names
      .map(
        (_, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join("")}</Types>`,
  );
  part(
    "_rels/.rels",
    `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relationship("officeDocument")}" Target="xl/workbook.xml"/></Relationships>`,
  );
  return out.finish();
}
