import { type ContainerInspection, excerpt, type Finding, listExcerpt } from "./findings.ts";
import { inspectPicture } from "./images.ts";
import { ooxmlPackageFindings } from "./package-parts.ts";
import { builtInFormat, columnIndex, columnName, ranges } from "./workbook-model.ts";
import { local, parseXmlPart, parseXmlPartAsync, relationships, StopReading } from "./xml.ts";
import type { ZipArchive } from "./zip.ts";

interface SheetEntry {
  name: string;
  state: "visible" | "hidden" | "veryHidden";
  part: string | undefined;
}

interface Workbook {
  sheets: SheetEntry[];
  names: { name: string; hidden: boolean; reference: string }[];
}

export function readWorkbook(zip: ZipArchive): Workbook {
  const rels = relationships(zip, "xl/_rels/workbook.xml.rels");
  const sheets: SheetEntry[] = [];
  const names: Workbook["names"] = [];
  let name: { name: string; hidden: boolean; reference: string } | undefined;
  parseXmlPart(zip, "xl/workbook.xml", {
    open(tag, attributes) {
      const key = local(tag);
      if (key === "sheet") {
        const id = attributes["r:id"] ?? Object.entries(attributes).find(([k]) => local(k) === "id")?.[1];
        const state =
          attributes.state === "hidden" || attributes.state === "veryHidden" ? attributes.state : "visible";
        sheets.push({ name: attributes.name ?? "", state, part: id ? rels.get(id)?.target : undefined });
      } else if (key === "definedName") {
        name = {
          name: attributes.name ?? "",
          hidden: attributes.hidden === "1" || attributes.hidden === "true",
          reference: "",
        };
      }
    },
    text(text) {
      if (name) name.reference += text;
    },
    close(tag) {
      if (local(tag) === "definedName" && name) {
        names.push(name);
        name = undefined;
      }
    },
  });
  return { sheets, names };
}

/** A value still to be read from the shared strings, or read already. */
type Sample = string | { shared: number };

interface PendingFinding {
  finding: Finding;
  noun: string;
  count: number;
  samples: Sample[];
}

const samplesPerFinding = 5;

/**
 * Reads each cell of a sheet in turn, streaming the part: `cell` gets its row (1-based), column (0-based) and
 * raw value. Nothing is kept per cell, so memory does not grow with the sheet.
 */
export async function readCells(
  zip: ZipArchive,
  part: string,
  handlers: {
    column?(min: number, max: number, hidden: boolean, attributes: Record<string, string>): void;
    /** The cell table begins (the column widths and hidden columns are all known by then). */
    sheetData?(): void;
    row?(row: number, hidden: boolean, attributes: Record<string, string>): void;
    mergeCell?(reference: string): void;
    cell(row: number, column: number, type: string, raw: string, style: number, inline: boolean): void;
  },
): Promise<void> {
  let row = 0;
  let column = -1;
  let type = "";
  let style = 0;
  let inValue = false;
  let inInline = false;
  let inFormula = false;
  let raw = "";
  let inlineText = "";
  await parseXmlPartAsync(zip, part, {
    open(tag, attributes) {
      switch (local(tag)) {
        case "col":
          handlers.column?.(
            Number(attributes.min) - 1,
            Number(attributes.max) - 1,
            attributes.hidden === "1" || attributes.hidden === "true",
            attributes,
          );
          break;
        case "row":
          row = attributes.r ? Number(attributes.r) : row + 1;
          column = -1;
          handlers.row?.(row, attributes.hidden === "1" || attributes.hidden === "true", attributes);
          break;
        case "sheetData":
          handlers.sheetData?.();
          break;
        case "mergeCell":
          if (attributes.ref) handlers.mergeCell?.(attributes.ref);
          break;
        case "c":
          column = attributes.r ? (columnIndex(attributes.r) ?? column + 1) : column + 1;
          type = attributes.t ?? "n";
          style = Number(attributes.s ?? 0);
          raw = "";
          inlineText = "";
          inInline = false;
          break;
        case "v":
          inValue = true;
          break;
        case "f":
          inFormula = true;
          break;
        case "is":
          inInline = true;
          break;
      }
    },
    text(text) {
      if (inValue) raw += text;
      else if (inInline && !inFormula) inlineText += text;
    },
    close(tag) {
      switch (local(tag)) {
        case "v":
          inValue = false;
          break;
        case "f":
          inFormula = false;
          break;
        case "is":
          inInline = false;
          break;
        case "c":
          if (type === "inlineStr") handlers.cell(row, column, type, inlineText, style, true);
          else if (raw !== "") handlers.cell(row, column, type, raw, style, false);
          break;
      }
    },
  });
}

/** A block of cells, rows 1-based and columns 0-based, both ends included. */
export interface CellArea {
  r1: number;
  r2: number;
  c1: number;
  c2: number;
}

/** `B2:D4` → rows 2–4 and columns 1–3 (zero-based); undefined for anything else. */
export function parseRange(reference: string): CellArea | undefined {
  const [from, to = from] = reference.split(":");
  const start = /^\$?[A-Za-z]+\$?(\d+)$/.exec(from ?? "");
  const end = /^\$?[A-Za-z]+\$?(\d+)$/.exec(to ?? "");
  const c1 = columnIndex(from ?? "");
  const c2 = columnIndex(to ?? "");
  if (!start || !end || c1 === undefined || c2 === undefined) return undefined;
  return { r1: Number(start[1]), r2: Number(end[1]), c1, c2 };
}

const mergeTag = /<(?:[\w.-]+:)?mergeCell\b[^>]*>/g;
const tagTail = 512;

/**
 * A sheet's merged areas. A sheet lists them after its cells, and the cells they cover must be known as the
 * cells stream by, so the part is searched for them first: bytes only, decoded where a merge is named.
 */
export async function mergedAreas(zip: ZipArchive, part: string): Promise<CellArea[]> {
  const areas: CellArea[] = [];
  let tail = Buffer.alloc(0);
  for await (const chunk of zip.chunks(part)) {
    const bytes = tail.length > 0 ? Buffer.concat([tail, chunk]) : Buffer.from(chunk);
    let rest = Math.max(0, bytes.length - tagTail);
    if (bytes.indexOf("mergeCell") >= 0) {
      const text = bytes.toString("latin1");
      for (const match of text.matchAll(mergeTag)) {
        const area = parseRange(/\sref\s*=\s*["']([^"']*)["']/.exec(match[0])?.[1] ?? "");
        if (area && area.r1 <= area.r2 && area.c1 <= area.c2) areas.push(area);
        rest = Math.max(rest, match.index + match[0].length);
      }
    }
    tail = bytes.subarray(rest);
  }
  return areas.sort((a, b) => a.r1 - b.r1);
}

/**
 * Which cells merged areas cover, rows taken in order. A merged area shows one value: its first cell that
 * shows (the top-left, or the first after hidden rows and columns at its top and left, as a clean copy moves
 * it there). Every other cell in it is covered, and what one holds nobody sees (Excel clears covered cells on
 * merging; a file written another way can keep them).
 */
export class MergeCover {
  private next = 0;
  private active: CellArea[] = [];
  private readonly areas: readonly CellArea[];
  private readonly rowHidden: (row: number) => boolean;
  private readonly columnHidden: (column: number) => boolean;
  constructor(
    areas: readonly CellArea[],
    rowHidden: (row: number) => boolean,
    columnHidden: (column: number) => boolean,
  ) {
    this.areas = areas;
    this.rowHidden = rowHidden;
    this.columnHidden = columnHidden;
  }

  /** Called at each row, rows in increasing order. */
  row(row: number): void {
    if (this.areas.length === 0) return;
    while (this.next < this.areas.length && this.areas[this.next]!.r1 <= row)
      this.active.push(this.areas[this.next++]!);
    this.active = this.active.filter((area) => area.r2 >= row);
  }

  /** Whether the cell is covered: in a merged area, and not the one the area shows. */
  covered(row: number, column: number): boolean {
    for (const area of this.active) {
      if (row < area.r1 || column < area.c1 || column > area.c2) continue;
      let shown = true;
      for (let r = area.r1; shown && r < row; r++) shown = this.rowHidden(r);
      for (let c = area.c1; shown && c < column; c++) shown = this.columnHidden(c);
      if (!shown) return true;
    }
    return false;
  }
}

function sampleOf(type: string, raw: string): Sample {
  return type === "s" ? { shared: Number(raw) } : raw;
}

/**
 * Streams the shared strings in order, each to `each` with its index, reading no further than index `last`.
 * A string is rich text runs joined, without its phonetic guide.
 */
export async function eachSharedString(
  zip: ZipArchive,
  each: (index: number, text: string) => void,
  last = Number.POSITIVE_INFINITY,
): Promise<void> {
  const part = [...zip.entries.keys()].find((name) => /^xl\/sharedStrings\.xml$/i.test(name));
  if (!part) return;
  let index = -1;
  let depth = 0;
  let inText = false;
  let inPhonetic = false;
  let text = "";
  await parseXmlPartAsync(zip, part, {
    open(tag) {
      const key = local(tag);
      if (key === "si") {
        index++;
        if (index > last) throw new StopReading();
        text = "";
        depth = 1;
      } else if (key === "rPh") inPhonetic = true;
      else if (key === "t" && depth) inText = true;
    },
    text(value) {
      if (inText && !inPhonetic) text += value;
    },
    close(tag) {
      const key = local(tag);
      if (key === "t") inText = false;
      else if (key === "rPh") inPhonetic = false;
      else if (key === "si") {
        depth = 0;
        each(index, text);
      }
    },
  });
}

/** The shared strings `wanted` (the excerpts of findings), reading no further than the last of them. */
async function sharedStrings(zip: ZipArchive, wanted: Set<number>): Promise<Map<number, string>> {
  const result = new Map<number, string>();
  await eachSharedString(
    zip,
    (index, text) => {
      if (wanted.has(index)) result.set(index, text);
    },
    Math.max(-1, ...wanted),
  );
  return result;
}

/** The comments of a sheet (legacy notes and threaded comments), found through the sheet's relationships. */
function sheetComments(zip: ZipArchive, sheet: SheetEntry, findings: Finding[]): void {
  if (!sheet.part) return;
  const relsPart = sheet.part.replace(/([^/]+)$/, "_rels/$1.rels");
  for (const rel of relationships(zip, relsPart).values()) {
    if (rel.external || !zip.entries.has(rel.target)) continue;
    if (rel.type !== "comments" && rel.type !== "threadedComment") continue;
    const authors: string[] = [];
    let reference = "";
    let author = "";
    let text = "";
    let inText = false;
    let inAuthor = false;
    parseXmlPart(zip, rel.target, {
      open(tag, attributes) {
        const key = local(tag);
        if (key === "author") inAuthor = true;
        else if (key === "comment" || key === "threadedComment") {
          reference = attributes.ref ?? "";
          author = attributes.authorId !== undefined ? (authors[Number(attributes.authorId)] ?? "") : "";
          text = "";
        } else if (key === "t" || key === "text") inText = true;
      },
      text(value) {
        if (inAuthor) authors[authors.length] = value;
        else if (inText) text += value;
      },
      close(tag) {
        const key = local(tag);
        if (key === "author") inAuthor = false;
        else if (key === "t" || key === "text") inText = false;
        else if (key === "comment" || key === "threadedComment")
          findings.push({
            kind: "comment",
            where: `sheet ${sheet.name}, cell ${reference}`,
            detail: excerpt(author && !text.startsWith(author) ? `${author}: ${text}` : text),
          });
      },
    });
  }
}

/** Each picture's sheets: sheet → drawing → image, through the relationships. */
function pictureSheets(zip: ZipArchive, sheets: readonly SheetEntry[]): Map<string, string[]> {
  const on = new Map<string, string[]>();
  for (const sheet of sheets) {
    if (!sheet.part) continue;
    for (const drawing of relationships(zip, sheet.part.replace(/([^/]+)$/, "_rels/$1.rels")).values()) {
      if (drawing.external || drawing.type !== "drawing") continue;
      for (const image of relationships(zip, drawing.target.replace(/([^/]+)$/, "_rels/$1.rels")).values()) {
        if (image.external || image.type !== "image") continue;
        const names = on.get(image.target) ?? [];
        if (!names.includes(sheet.name)) names.push(sheet.name);
        on.set(image.target, names);
      }
    }
  }
  return on;
}

/** What the workbook's pictures hold unseen (camera, author and GPS metadata; text in metafiles), by sheet. */
function pictureFindings(zip: ZipArchive, sheets: readonly SheetEntry[], findings: Finding[]): void {
  const on = pictureSheets(zip, sheets);
  for (const part of zip.entries.keys()) {
    if (!part.startsWith("xl/media/") || part.endsWith("/")) continue;
    const names = on.get(part);
    const where = `picture ${part}`;
    const placed = names
      ? `${where} on ${names.length === 1 ? "sheet" : "sheets"} ${names.join(", ")}`
      : where;
    for (const finding of inspectPicture(part, zip.read(part)!))
      findings.push({ ...finding, where: placed + finding.where.slice(where.length) });
  }
}

function pivotCaches(zip: ZipArchive, findings: Finding[]): void {
  for (const part of zip.entries.keys()) {
    if (!/^xl\/pivotCache\/pivotCacheDefinition\d*\.xml$/.test(part)) continue;
    let source = "";
    let records = 0;
    const samples: string[] = [];
    parseXmlPart(zip, part, {
      open(tag, attributes) {
        const key = local(tag);
        if (key === "pivotCacheDefinition") records = Number(attributes.recordCount ?? 0);
        else if (key === "worksheetSource")
          source = [attributes.sheet, attributes.ref ?? attributes.name].filter(Boolean).join("!");
        else if (key === "s" && attributes.v !== undefined && samples.length < samplesPerFinding)
          samples.push(attributes.v);
      },
    });
    const recordsPart = part.replace("Definition", "Records");
    const detail = listExcerpt("record", records, samples);
    findings.push({
      kind: "pivot-cache",
      where: zip.entries.has(recordsPart) ? `${part} and ${recordsPart}` : part,
      detail: source ? excerpt(`copied from ${source}; ${detail}`) : detail,
    });
  }
}

function externalLinks(zip: ZipArchive, findings: Finding[]): void {
  for (const part of zip.entries.keys()) {
    if (!/^xl\/externalLinks\/externalLink\d*\.xml$/.test(part)) continue;
    const targets = [...relationships(zip, part.replace(/([^/]+)$/, "_rels/$1.rels")).values()]
      .filter((rel) => rel.external)
      .map((rel) => rel.target);
    findings.push({
      kind: "external-link",
      where: part,
      detail: excerpt(targets.join(", ") || "a link to another workbook"),
    });
  }
}

/** Finds every kind of hidden data in an XLSX/XLSM workbook, streaming each sheet. */
export async function inspectXlsx(zip: ZipArchive): Promise<ContainerInspection> {
  const workbook = readWorkbook(zip);
  const findings: Finding[] = [];
  const pending: PendingFinding[] = [];
  for (const sheet of workbook.sheets) {
    if (!sheet.part || !zip.entries.has(sheet.part)) continue;
    const hiddenColumns = new Set<number>();
    const hiddenRows: number[] = [];
    const rowSamples: Sample[] = [];
    let rowCells = 0;
    const columnSamples: Sample[] = [];
    let columnCells = 0;
    const sheetSamples: Sample[] = [];
    let sheetCells = 0;
    let rowHidden = false;
    const hiddenRowSet = new Set<number>();
    // A hidden sheet is reported whole; on a visible one, what merged areas cover is looked for.
    const cover = new MergeCover(
      sheet.state === "visible" ? await mergedAreas(zip, sheet.part) : [],
      (row) => hiddenRowSet.has(row),
      (column) => hiddenColumns.has(column),
    );
    const coveredWhere: string[] = [];
    const coveredSamples: Sample[] = [];
    let coveredCells = 0;
    await readCells(zip, sheet.part, {
      column(min, max, hidden) {
        if (!hidden) return;
        // A hidden run to the last column (as Excel writes "hide the rest") counts only where cells are.
        for (let c = min; c <= Math.min(max, min + 16_384); c++) hiddenColumns.add(c);
      },
      row(row, hidden) {
        rowHidden = hidden;
        if (hidden) {
          hiddenRows.push(row);
          hiddenRowSet.add(row);
        }
        cover.row(row);
      },
      cell(row, column, type, raw) {
        const sample = sampleOf(type, raw);
        sheetCells++;
        if (sheetSamples.length < samplesPerFinding) sheetSamples.push(sample);
        if (rowHidden) {
          rowCells++;
          if (rowSamples.length < samplesPerFinding) rowSamples.push(sample);
        } else if (hiddenColumns.has(column)) {
          columnCells++;
          if (columnSamples.length < samplesPerFinding) columnSamples.push(sample);
        } else if (raw.trim() !== "" && cover.covered(row, column)) {
          coveredCells++;
          if (coveredSamples.length < samplesPerFinding) {
            coveredSamples.push(sample);
            coveredWhere.push(`${columnName(column)}${row}`);
          }
        }
      },
    });
    if (sheet.state !== "visible") {
      pending.push({
        finding: {
          kind: "hidden-sheet",
          where: `sheet ${sheet.name}${sheet.state === "veryHidden" ? " (very hidden)" : ""}`,
          detail: "",
        },
        noun: "cell",
        count: sheetCells,
        samples: sheetSamples,
      });
      continue;
    }
    if (hiddenRows.length > 0)
      pending.push({
        finding: {
          kind: "hidden-row",
          where: `sheet ${sheet.name}, rows ${ranges(hiddenRows).join(", ")}`,
          detail: "",
        },
        noun: "cell",
        count: rowCells,
        samples: rowSamples,
      });
    if (hiddenColumns.size > 0 && columnCells > 0)
      pending.push({
        finding: {
          kind: "hidden-column",
          where: `sheet ${sheet.name}, columns ${ranges([...hiddenColumns], columnName).join(", ")}`,
          detail: "",
        },
        noun: "cell",
        count: columnCells,
        samples: columnSamples,
      });
    if (coveredCells > 0)
      pending.push({
        finding: {
          kind: "hidden-text",
          where: `sheet ${sheet.name}, ${coveredCells === 1 ? "cell" : "cells"} ${coveredWhere.join(", ")}${coveredCells > coveredWhere.length ? " and more" : ""} (covered by merged cells)`,
          detail: "",
        },
        noun: "cell",
        count: coveredCells,
        samples: coveredSamples,
      });
    sheetComments(zip, sheet, findings);
  }
  const hiddenSheets = workbook.sheets
    .filter((sheet) => sheet.state !== "visible")
    .map((sheet) => sheet.name);
  for (const name of workbook.names) {
    const builtIn = name.name.startsWith("_xlnm.");
    const toHidden = hiddenSheets.some(
      (sheet) =>
        name.reference.includes(`${sheet}!`) || name.reference.includes(`'${sheet.replace(/'/g, "''")}'!`),
    );
    const external = /\[\d+\]/.test(name.reference);
    if (toHidden || external || (name.hidden && !builtIn))
      findings.push({
        kind: "defined-name",
        where: `name ${name.name}${name.hidden ? " (hidden)" : ""}`,
        detail: excerpt(name.reference),
      });
  }
  pivotCaches(zip, findings);
  externalLinks(zip, findings);
  pictureFindings(zip, workbook.sheets, findings);
  const { findings: packageFindings, embedded } = ooxmlPackageFindings(zip);
  findings.push(...packageFindings);
  // One pass over the shared strings resolves every excerpt still waiting for its text.
  const wanted = new Set<number>();
  for (const item of pending)
    for (const sample of item.samples) if (typeof sample !== "string") wanted.add(sample.shared);
  const strings = wanted.size > 0 ? await sharedStrings(zip, wanted) : new Map<number, string>();
  const resolved = pending.map((item) => ({
    ...item.finding,
    detail: listExcerpt(
      item.noun,
      item.count,
      item.samples.map((sample) =>
        typeof sample === "string" ? sample : (strings.get(sample.shared) ?? ""),
      ),
    ),
  }));
  return { findings: [...resolved, ...findings], embedded };
}

export interface CellStyles {
  formats: (string | undefined)[];
  bold: boolean[];
}

export function readStyles(zip: ZipArchive): CellStyles {
  const styles: CellStyles = { formats: [], bold: [] };
  if (!zip.entries.has("xl/styles.xml")) return styles;
  const custom = new Map<number, string>();
  const boldFonts: boolean[] = [];
  let section = "";
  parseXmlPart(zip, "xl/styles.xml", {
    open(tag, attributes) {
      const key = local(tag);
      if (key === "fonts" || key === "cellXfs" || key === "cellStyleXfs") section = key;
      else if (key === "numFmt") custom.set(Number(attributes.numFmtId), attributes.formatCode ?? "");
      else if (key === "font" && section === "fonts") boldFonts.push(false);
      else if (key === "b" && section === "fonts" && attributes.val !== "0" && attributes.val !== "false")
        boldFonts[boldFonts.length - 1] = true;
      else if (key === "xf" && section === "cellXfs") {
        const id = Number(attributes.numFmtId ?? 0);
        styles.formats.push(id === 0 ? undefined : (custom.get(id) ?? builtInFormat(id)));
        styles.bold.push(boldFonts[Number(attributes.fontId ?? 0)] ?? false);
      }
    },
    close(tag) {
      const key = local(tag);
      if (key === section) section = "";
    },
  });
  return styles;
}
