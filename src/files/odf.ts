import {
  type Block,
  type DocumentImage,
  type HeaderFooter,
  type Picture,
  type TextDocument,
  type TrackedChanges,
  writeOdt,
} from "./document-model.ts";
import { type ContainerInspection, excerpt, type Finding, listExcerpt } from "./findings.ts";
import { altText, cleanPicture, clipPicture, inspectPicture, pictureFormat } from "./images.ts";
import { isEmbeddedPart, isMacroPart, odfMetadata } from "./package-parts.ts";
import { type Cell, columnName, ranges, shift, writeOdf } from "./workbook-model.ts";
import { escapeXml, parseXmlPart } from "./xml.ts";
import type { ZipArchive } from "./zip.ts";

/** What the styles of an OpenDocument file hide: tables not displayed, text not displayed or coloured away. */
interface HidingStyles {
  hiddenTables: Set<string>;
  /** Text style name → why its text is not seen. */
  hiddenText: Map<string, string>;
}

function readStyles(zip: ZipArchive): HidingStyles {
  const styles: HidingStyles = { hiddenTables: new Set(), hiddenText: new Map() };
  for (const part of ["styles.xml", "content.xml"]) {
    if (!zip.entries.has(part)) continue;
    let name = "";
    parseXmlPart(zip, part, {
      open(tag, attributes) {
        if (tag === "style:style") name = attributes["style:name"] ?? "";
        else if (tag === "style:table-properties" && attributes["table:display"] === "false")
          styles.hiddenTables.add(name);
        else if (tag === "style:text-properties" && name) {
          const colour = (attributes["fo:color"] ?? "").toLowerCase();
          const background = (attributes["fo:background-color"] ?? "#ffffff").toLowerCase();
          if (attributes["text:display"] === "none") styles.hiddenText.set(name, "hidden formatting");
          else if (colour && colour === (background === "transparent" ? "#ffffff" : background))
            styles.hiddenText.set(
              name,
              `text coloured ${colour} on ${background === "transparent" ? "#ffffff" : background}`,
            );
        }
      },
    });
  }
  return styles;
}

/** The attributes that give a cell its value (OpenDocument 1.3 part 3, 19.385–19.390); a string's own
 * `office:string-value` is not among them: it can differ from the text shown. */
const odsValueAttributes = [
  "office:value",
  "office:date-value",
  "office:time-value",
  "office:boolean-value",
  "office:currency",
] as const;

const repeat = (value: string | undefined, cap: number) =>
  Math.max(1, Math.min(cap, Number(value ?? 1) || 1));

type OdfCellValue = Cell["value"] & { date?: boolean };

interface OdfSheet {
  name: string;
  hidden: boolean;
  hiddenRows: number[];
  hiddenColumns: number[];
  /** Visible cells only, by original row and column (1-based row, 0-based column). */
  cells: Map<number, Map<number, Cell>>;
  hiddenCellCount: number;
  hiddenCellSamples: string[];
  rowCells: number;
  rowSamples: string[];
  columnCells: number;
  columnSamples: string[];
  /** Column and row runs as written, with their styles (widths, heights, default cell styles). */
  columnRuns: { start: number; count: number; style?: string; cellStyle?: string }[];
  rowRuns: { start: number; count: number; hidden: boolean; style?: string }[];
  /** Merged areas by their first cell (1-based row, 0-based column) and span. */
  merges: { row: number; column: number; rows: number; columns: number }[];
  /** Cells covered by a merged area that still hold content nobody sees. */
  coveredCells: number;
  coveredSamples: string[];
  coveredWhere: string[];
}

/** A visible cell of a spreadsheet as OpenDocument holds it: its value attributes, shown text and style. */
export interface OdsCell extends Cell {
  odf: { valueType: string; values: Record<string, string>; text: string; style?: string };
}

interface OdfReading {
  sheets: OdfSheet[];
  blocks: Block[];
  findings: Finding[];
  /** In styles.xml: each master page's shown headers and footers, by `page|element`. */
  regions: Map<string, Block[]>;
}

/** The pictures a text document shows: each image part once, in the order first met. */
interface PictureRegistry {
  parts: TextDocument["images"];
  index: Map<string, number>;
}

type Clip = NonNullable<TextDocument["images"][number]["clip"]>;

/** Graphic styles that crop their pictures (`fo:clip="rect(top, right, bottom, left)"`), in EMU. */
function graphicClips(zip: ZipArchive): Map<string, Clip> {
  const clips = new Map<string, Clip>();
  for (const part of ["styles.xml", "content.xml"]) {
    if (!zip.entries.has(part)) continue;
    let name = "";
    parseXmlPart(zip, part, {
      open(tag, a) {
        if (tag === "style:style") name = a["style:name"] ?? "";
        else if (tag === "style:graphic-properties" && name && a["fo:clip"]) {
          const edges = /^rect\(([^)]*)\)$/
            .exec(a["fo:clip"].trim())?.[1]
            ?.split(/[\s,]+/)
            .map(emu);
          if (edges?.length === 4 && edges.some((edge) => edge > 0)) {
            const [top, right, bottom, left] = edges as [number, number, number, number];
            clips.set(name, { top, right, bottom, left });
          }
        }
      },
    });
  }
  return clips;
}

/** An ODF length (`2.5cm`, `10mm`, `1in`, `72pt`) in EMU, the unit of the document model. */
function emu(length: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(cm|mm|in|pt|pc|px)$/.exec(length ?? "");
  if (!match) return 0;
  const per: Record<string, number> = {
    cm: 360_000,
    mm: 36_000,
    in: 914_400,
    pt: 12_700,
    pc: 152_400,
    px: 9_525,
  };
  return Math.round(Number(match[1]) * per[match[2]!]!);
}

const headerFooterElements = new Set([
  "style:header",
  "style:header-left",
  "style:header-first",
  "style:footer",
  "style:footer-left",
  "style:footer-first",
]);

/**
 * Walks content.xml once: the visible cells or text, and every hidden thing met on the way (OpenDocument 1.3,
 * part 3: table:visibility, text:display, office:annotation, text:tracked-changes).
 */
function readContent(
  zip: ZipArchive,
  spreadsheet: boolean,
  trackedChanges: TrackedChanges,
  part = "content.xml",
  pictures: PictureRegistry = { parts: [], index: new Map() },
): OdfReading {
  const styles = readStyles(zip);
  const sheets: OdfSheet[] = [];
  const blocks: Block[] = [];
  const regions = new Map<string, Block[]>();
  let output = blocks;
  let masterPage = "";
  const clips = spreadsheet ? new Map<string, Clip>() : graphicClips(zip);
  const frames: {
    width: string;
    height: string;
    style: string;
    image?: string;
    title: string;
    desc: string;
    capture?: "title" | "desc";
  }[] = [];
  const findings: Finding[] = [];
  const changes = new Map<string, { type: string; author: string; text: string }>();
  let changeId: string | undefined; // inside text:changed-region
  let changeInfo = false;
  let changeAuthor = false;
  let skipping: string | undefined; // an insertion being rejected
  let annotation: { author: string; text: string; inAuthor: boolean; where: string } | undefined;
  let hiddenDepth = 0;
  let hiddenWhy = "";
  let hiddenText = "";
  let paragraph:
    | { text: string; heading?: number; hidden?: boolean; pictures?: { at: number; picture: Picture }[] }
    | undefined;
  let paragraphCount = 0;
  let sheet: OdfSheet | undefined;
  let row = 0;
  let rowRepeat = 1;
  let rowHidden = false;
  let column = 0;
  let columnCount = 0;
  let cell:
    | {
        value?: OdfCellValue;
        type: string;
        repeat: number;
        text: string;
        bold: boolean;
        attributes: Record<string, string>;
        covered: boolean;
      }
    | undefined;
  let docTable: { rows: string[][]; block: Extract<Block, { kind: "table" }> } | undefined;
  const tableStack: string[] = [];
  const spans: boolean[] = [];

  const placeText = () =>
    sheet ? `sheet ${sheet.name}, cell ${columnName(column)}${row}` : `paragraph ${paragraphCount}`;
  const addText = (text: string) => {
    const frame = frames[frames.length - 1];
    if (frame?.capture) {
      frame[frame.capture] += text;
      return;
    }
    if (annotation) {
      if (annotation.inAuthor) annotation.author += text;
      else annotation.text += text;
      return;
    }
    if (changeId !== undefined) {
      const change = changes.get(changeId);
      if (change) change[changeAuthor ? "author" : "text"] += changeInfo && !changeAuthor ? "" : text;
      return;
    }
    if (hiddenDepth > 0) {
      hiddenText += text;
      return;
    }
    if (skipping) return;
    if (cell) cell.text += text;
    else if (paragraph) paragraph.text += text;
  };
  const endHidden = () => {
    if (hiddenText.trim() !== "")
      findings.push({
        kind: "hidden-text",
        where: placeText(),
        detail: excerpt(`${hiddenWhy}: ${hiddenText}`),
      });
    hiddenText = "";
  };

  parseXmlPart(zip, part, {
    open(tag, a) {
      if (annotation) {
        if (tag === "dc:creator") annotation.inAuthor = true;
        else if (tag === "text:p" && annotation.text) annotation.text += " ";
        return;
      }
      if (headerFooterElements.has(tag)) {
        // A header or footer switched off is not shown on any page: what it holds is read but not kept.
        output = [];
        if (a["style:display"] !== "false") regions.set(`${masterPage}|${tag}`, output);
        return;
      }
      switch (tag) {
        case "text:changed-region":
          changeId = a["text:id"] ?? a["xml:id"] ?? "";
          changes.set(changeId, { type: "", author: "", text: "" });
          return;
        case "text:insertion":
        case "text:deletion":
        case "text:format-change":
          if (changeId !== undefined) changes.get(changeId)!.type = tag.slice(5);
          return;
        case "office:change-info":
          changeInfo = true;
          return;
        case "dc:creator":
          if (changeInfo) changeAuthor = true;
          return;
        case "text:change-start":
          if (trackedChanges === "reject" && changes.get(a["text:change-id"] ?? "")?.type === "insertion")
            skipping = a["text:change-id"];
          return;
        case "text:change-end":
          if (skipping === a["text:change-id"]) skipping = undefined;
          return;
        case "text:change": {
          const change = changes.get(a["text:change-id"] ?? "");
          if (change?.type === "deletion" && trackedChanges === "reject") addText(change.text);
          return;
        }
        case "office:annotation":
          annotation = { author: "", text: "", inAuthor: false, where: placeText() };
          return;
        case "text:hidden-text":
          findings.push({
            kind: "hidden-text",
            where: placeText(),
            detail: excerpt(`hidden text field: ${a["text:string-value"] ?? ""}`),
          });
          return;
        case "text:hidden-paragraph":
          // The field hides the paragraph it is in while its condition holds (OpenDocument 1.3 part 3, 7.7.11).
          if (paragraph && a["text:is-hidden"] !== "false") paragraph.hidden = true;
          return;
        case "style:master-page":
          masterPage = a["style:name"] ?? "";
          return;
        case "draw:frame":
          frames.push({
            width: a["svg:width"] ?? "",
            height: a["svg:height"] ?? "",
            style: a["draw:style-name"] ?? "",
            title: "",
            desc: "",
          });
          return;
        case "draw:image": {
          const frame = frames[frames.length - 1];
          const href = a["xlink:href"] ?? "";
          // The first image is the one shown (LibreOffice writes an SVG, then its PNG copy); a linked file is not kept.
          if (
            frame &&
            !frame.image &&
            href &&
            !/^[a-z][a-z0-9+.-]*:|^\/|^\.\./i.test(href) &&
            zip.entries.has(href)
          )
            frame.image = href;
          return;
        }
        case "svg:title":
        case "svg:desc": {
          const frame = frames[frames.length - 1];
          if (frame) frame.capture = tag === "svg:title" ? "title" : "desc";
          return;
        }
        case "text:section":
          if (a["text:display"] === "none" || a["text:condition"]) {
            hiddenDepth++;
            hiddenWhy = "hidden section";
          }
          spans.push(a["text:display"] === "none" || !!a["text:condition"]);
          return;
        case "text:span": {
          const why = styles.hiddenText.get(a["text:style-name"] ?? "");
          spans.push(!!why);
          if (why) {
            if (hiddenDepth === 0) hiddenWhy = why;
            hiddenDepth++;
          }
          return;
        }
        case "text:s":
          addText(" ".repeat(repeat(a["text:c"], 1000)));
          return;
        case "text:tab":
          addText("\t");
          return;
        case "text:line-break":
          addText("\n");
          return;
        case "text:p":
        case "text:h": {
          if (changeId !== undefined) return;
          if (cell) {
            if (cell.text) cell.text += "\n";
            return;
          }
          paragraphCount++;
          const why = styles.hiddenText.get(a["text:style-name"] ?? "");
          paragraph =
            tag === "text:h" ? { text: "", heading: repeat(a["text:outline-level"], 6) } : { text: "" };
          if (why) {
            hiddenDepth++;
            hiddenWhy = why;
            spans.push(true);
          } else spans.push(false);
          return;
        }
        case "table:table": {
          tableStack.push(tag);
          if (spreadsheet && tableStack.length === 1) {
            sheet = {
              name: a["table:name"] ?? "",
              hidden: styles.hiddenTables.has(a["table:style-name"] ?? ""),
              hiddenRows: [],
              hiddenColumns: [],
              cells: new Map(),
              hiddenCellCount: 0,
              hiddenCellSamples: [],
              rowCells: 0,
              rowSamples: [],
              columnCells: 0,
              columnSamples: [],
              columnRuns: [],
              rowRuns: [],
              merges: [],
              coveredCells: 0,
              coveredSamples: [],
              coveredWhere: [],
            };
            sheets.push(sheet);
            row = 0;
            columnCount = 0;
          } else if (tableStack.length === 1) {
            const block: Extract<Block, { kind: "table" }> = { kind: "table", rows: [] };
            docTable = { rows: block.rows, block };
            output.push(block);
          }
          return;
        }
        case "table:table-column": {
          const count = repeat(a["table:number-columns-repeated"], 16_384);
          if (sheet)
            sheet.columnRuns.push({
              start: columnCount,
              count,
              ...(a["table:style-name"] ? { style: a["table:style-name"] } : {}),
              ...(a["table:default-cell-style-name"]
                ? { cellStyle: a["table:default-cell-style-name"] }
                : {}),
            });
          if (sheet && (a["table:visibility"] === "collapse" || a["table:visibility"] === "filter"))
            for (let c = 0; c < count && columnCount + c < 16_384; c++)
              sheet.hiddenColumns.push(columnCount + c);
          columnCount += count;
          return;
        }
        case "table:table-row":
          rowRepeat = repeat(a["table:number-rows-repeated"], 1_048_576);
          row++;
          column = 0;
          rowHidden = a["table:visibility"] === "collapse" || a["table:visibility"] === "filter";
          if (sheet)
            sheet.rowRuns.push({
              start: row,
              count: rowRepeat,
              hidden: rowHidden,
              ...(a["table:style-name"] ? { style: a["table:style-name"] } : {}),
            });
          if (sheet && rowHidden)
            for (let r = 0; r < Math.min(rowRepeat, 10_000); r++) sheet.hiddenRows.push(row + r);
          if (docTable && tableStack.length === 1) docTable.rows.push([]);
          return;
        case "table:table-cell":
        case "table:covered-table-cell": {
          const type = a["office:value-type"] ?? "";
          let value: OdfCellValue | undefined;
          if (type === "float" || type === "percentage" || type === "currency")
            value = { kind: "number", value: a["office:value"] ?? "0" };
          else if (type === "boolean")
            value = { kind: "boolean", value: a["office:boolean-value"] === "true" };
          else if (type === "date" && a["office:date-value"]) {
            const ms = Date.parse(
              a["office:date-value"].length === 10
                ? `${a["office:date-value"]}T00:00:00Z`
                : `${a["office:date-value"]}Z`,
            );
            if (Number.isFinite(ms))
              value = { kind: "number", value: String(ms / 86_400_000 + 25569), date: true };
          }
          cell = {
            value,
            type,
            repeat: repeat(a["table:number-columns-repeated"], 16_384),
            text: "",
            bold: false,
            attributes: a,
            covered: tag === "table:covered-table-cell",
          };
          const rows = repeat(a["table:number-rows-spanned"], 1_048_576);
          const columns = repeat(a["table:number-columns-spanned"], 16_384);
          if (sheet && !sheet.hidden && !rowHidden && (rows > 1 || columns > 1))
            sheet.merges.push({ row, column, rows, columns });
          return;
        }
      }
    },
    text(text) {
      addText(text);
    },
    close(tag) {
      if (headerFooterElements.has(tag)) {
        output = blocks;
        return;
      }
      if (annotation) {
        if (tag === "dc:creator") annotation.inAuthor = false;
        if (tag === "office:annotation") {
          findings.push({
            kind: "comment",
            where: annotation.where,
            detail: excerpt(annotation.author ? `${annotation.author}: ${annotation.text}` : annotation.text),
          });
          annotation = undefined;
        }
        return;
      }
      switch (tag) {
        case "text:changed-region": {
          const change = changes.get(changeId ?? "");
          if (change && change.type !== "format-change")
            findings.push({
              kind: "tracked-change",
              where: `tracked change ${changeId}`,
              detail: excerpt(
                `${change.type === "insertion" ? "inserted" : "deleted"}${change.author ? ` by ${change.author}` : ""}${change.text ? `: ${change.text}` : ""}`,
              ),
            });
          changeId = undefined;
          return;
        }
        case "office:change-info":
          changeInfo = false;
          return;
        case "dc:creator":
          changeAuthor = false;
          return;
        case "svg:title":
        case "svg:desc": {
          const frame = frames[frames.length - 1];
          if (frame) frame.capture = undefined;
          return;
        }
        case "draw:frame": {
          const frame = frames.pop();
          if (!frame?.image || sheet) return;
          const clip = clips.get(frame.style);
          if (clip)
            findings.push({
              kind: "hidden-text",
              where: `picture ${frame.image}, ${placeText()}`,
              detail: "the picture is cropped: the parts cut off are still in the file",
            });
          if (hiddenDepth > 0 || skipping || changeId !== undefined || (cell && !docTable)) return;
          const key = `${frame.image}|${JSON.stringify(clip ?? null)}`;
          let image = pictures.index.get(key);
          if (image === undefined) {
            image = pictures.parts.length;
            pictures.parts.push({ part: frame.image, ...(clip ? { clip } : {}) });
            pictures.index.set(key, image);
          }
          const picture: Picture = {
            image,
            width: emu(frame.width),
            height: emu(frame.height),
            description: altText(frame.desc || frame.title),
          };
          if (cell && docTable) {
            // A picture in a table cell of a text document keeps its place in the cell.
            docTable.block.pictures ??= [];
            docTable.block.pictures.push({
              row: docTable.rows.length - 1,
              column: docTable.rows[docTable.rows.length - 1]?.length ?? 0,
              at: cell.text.length,
              picture,
            });
          } else if (paragraph) {
            paragraph.pictures ??= [];
            paragraph.pictures.push({ at: paragraph.text.length, picture });
          } else output.push({ kind: "paragraph", text: "", pictures: [{ at: 0, picture }] });
          return;
        }
        case "text:section":
        case "text:span":
          if (spans.pop() && --hiddenDepth === 0) endHidden();
          return;
        case "text:p":
        case "text:h":
          if (changeId !== undefined || cell) return;
          if (spans.pop() && --hiddenDepth === 0) endHidden();
          if (paragraph?.hidden && hiddenDepth === 0) {
            if (paragraph.text.trim() !== "")
              findings.push({
                kind: "hidden-text",
                where: placeText(),
                detail: excerpt(`hidden paragraph: ${paragraph.text}`),
              });
          } else if (paragraph && hiddenDepth === 0) {
            if (docTable) {
              const cells = docTable.rows[docTable.rows.length - 1];
              if (cells)
                cells[cells.length - 1] = cells[cells.length - 1]
                  ? `${cells[cells.length - 1]}\n${paragraph.text}`
                  : paragraph.text;
            } else
              output.push({
                kind: "paragraph",
                text: paragraph.text,
                ...(paragraph.heading ? { heading: paragraph.heading } : {}),
                ...(paragraph.pictures ? { pictures: paragraph.pictures } : {}),
              });
          }
          paragraph = undefined;
          return;
        case "table:table-cell":
        case "table:covered-table-cell": {
          if (!cell) return;
          const current = cell;
          cell = undefined;
          if (docTable && !sheet) {
            const cells = docTable.rows[docTable.rows.length - 1];
            if (cells) for (let i = 0; i < Math.min(current.repeat, 64); i++) cells.push(current.text);
            return;
          }
          if (!sheet) return;
          const value: OdfCellValue | undefined =
            current.value ?? (current.text !== "" ? { kind: "text", value: current.text } : undefined);
          if (value) {
            const shown =
              current.text || (value.kind === "boolean" ? String(value.value) : String(value.value));
            for (let c = 0; c < Math.min(current.repeat, 1024); c++) {
              const at = column + c;
              if (sheet.hidden) {
                sheet.hiddenCellCount++;
                if (sheet.hiddenCellSamples.length < 5) sheet.hiddenCellSamples.push(shown);
              } else if (rowHidden) {
                sheet.rowCells++;
                if (sheet.rowSamples.length < 5) sheet.rowSamples.push(shown);
              } else if (sheet.hiddenColumns.includes(at)) {
                sheet.columnCells++;
                if (sheet.columnSamples.length < 5) sheet.columnSamples.push(shown);
              } else if (current.covered) {
                // Merging cells can keep what the covered cells held: nobody sees it, and it is not copied.
                sheet.coveredCells++;
                if (sheet.coveredSamples.length < 5) {
                  sheet.coveredSamples.push(shown);
                  sheet.coveredWhere.push(`${columnName(at)}${row}`);
                }
              } else
                for (let r = 0; r < Math.min(rowRepeat, 10_000); r++) {
                  let line = sheet.cells.get(row + r);
                  if (!line) {
                    line = new Map();
                    sheet.cells.set(row + r, line);
                  }
                  const values: Record<string, string> = {};
                  for (const name of odsValueAttributes)
                    if (current.attributes[name] !== undefined) values[name] = current.attributes[name]!;
                  const style =
                    current.attributes["table:style-name"] ??
                    sheet.columnRuns.find((run) => at >= run.start && at < run.start + run.count)?.cellStyle;
                  const kept: OdsCell = {
                    value: value.date ? { kind: "number", value: value.value as string } : value,
                    odf: {
                      valueType: current.type || "string",
                      values,
                      text: current.text,
                      ...(style ? { style } : {}),
                    },
                  };
                  if (value.date) kept.numberFormat = "yyyy-mm-dd";
                  if (value.kind === "number" || value.kind === "boolean")
                    kept.value = { ...value } as Cell["value"];
                  if ("date" in kept.value) delete (kept.value as OdfCellValue).date;
                  line.set(at, kept);
                }
            }
          }
          column += current.repeat;
          return;
        }
        case "table:table-row":
          row += rowRepeat - 1;
          return;
        case "table:table":
          tableStack.pop();
          if (tableStack.length === 0) {
            sheet = undefined;
            docTable = undefined;
          }
          return;
      }
    },
  });
  return { sheets, blocks, findings, regions };
}

function packageFindings(zip: ZipArchive): ContainerInspection {
  const findings = odfMetadata(zip);
  const embedded: ContainerInspection["embedded"] = [];
  const objects = new Set<string>();
  for (const part of zip.entries.keys()) {
    if (isMacroPart(part)) {
      const folder = part.split("/")[0]!;
      if (!objects.has(folder))
        findings.push({ kind: "macro", where: `${folder}/`, detail: "macro code (Basic or scripts)" });
      objects.add(folder);
    } else if (/^Object \d+/.test(part)) {
      const object = part.split("/")[0]!;
      if (!objects.has(object))
        findings.push({
          kind: "embedded-object",
          where: `${object}`,
          detail: "an embedded object (a chart or another document, with its own data)",
        });
      objects.add(object);
    } else if (isEmbeddedPart(part) && !/^ObjectReplacements\//.test(part)) {
      findings.push({ kind: "embedded-object", where: part, detail: `embedded file ${part}` });
      const bytes = zip.read(part);
      if (bytes) embedded.push({ name: part, bytes });
    }
  }
  return { findings, embedded };
}

function externalSources(zip: ZipArchive, findings: Finding[], hiddenSheets: string[]): void {
  parseXmlPart(zip, "content.xml", {
    open(tag, a) {
      if ((tag === "table:table-source" || tag === "table:cell-range-source") && a["xlink:href"])
        findings.push({ kind: "external-link", where: "content.xml", detail: excerpt(a["xlink:href"]) });
      else if (tag === "table:named-range" || tag === "table:named-expression") {
        const address = a["table:cell-range-address"] ?? a["table:expression"] ?? "";
        if (hiddenSheets.some((name) => address.includes(`${name}.`)) || /'file:|\[\d+\]/.test(address))
          findings.push({
            kind: "defined-name",
            where: `name ${a["table:name"] ?? ""}`,
            detail: excerpt(address),
          });
      }
    },
  });
}

/** Finds hidden sheets, rows and columns, comments, names, links, metadata, macros and objects in an ODS. */
export function inspectOds(zip: ZipArchive): ContainerInspection {
  const { sheets, findings } = readContent(zip, true, "accept");
  const found: Finding[] = [];
  for (const sheet of sheets) {
    if (sheet.hidden) {
      found.push({
        kind: "hidden-sheet",
        where: `sheet ${sheet.name}`,
        detail: listExcerpt("cell", sheet.hiddenCellCount, sheet.hiddenCellSamples),
      });
      continue;
    }
    if (sheet.rowCells > 0)
      found.push({
        kind: "hidden-row",
        where: `sheet ${sheet.name}, rows ${ranges(sheet.hiddenRows).join(", ")}`,
        detail: listExcerpt("cell", sheet.rowCells, sheet.rowSamples),
      });
    if (sheet.columnCells > 0)
      found.push({
        kind: "hidden-column",
        where: `sheet ${sheet.name}, columns ${ranges(sheet.hiddenColumns, columnName).join(", ")}`,
        detail: listExcerpt("cell", sheet.columnCells, sheet.columnSamples),
      });
    if (sheet.coveredCells > 0)
      found.push({
        kind: "hidden-text",
        where: `sheet ${sheet.name}, ${sheet.coveredCells === 1 ? "cell" : "cells"} ${sheet.coveredWhere.join(", ")}${sheet.coveredCells > sheet.coveredWhere.length ? " and more" : ""} (covered by merged cells)`,
        detail: listExcerpt("cell", sheet.coveredCells, sheet.coveredSamples),
      });
  }
  externalSources(
    zip,
    findings,
    sheets.filter((sheet) => sheet.hidden).map((sheet) => sheet.name),
  );
  const rest = packageFindings(zip);
  return { findings: [...found, ...findings, ...rest.findings], embedded: rest.embedded };
}

/** Finds tracked changes, comments, hidden text, metadata, macros and objects in an ODT. */
export function inspectOdt(zip: ZipArchive): ContainerInspection {
  const { findings } = readContent(zip, false, "accept");
  // Headers and footers live in styles.xml, and hide text the same ways.
  if (zip.entries.has("styles.xml"))
    for (const finding of readContent(zip, false, "accept", "styles.xml").findings)
      findings.push({ ...finding, where: `styles.xml (headers and footers), ${finding.where}` });
  for (const part of zip.entries.keys())
    if (part.startsWith("Pictures/") && !part.endsWith("/"))
      findings.push(...inspectPicture(part, zip.read(part)!));
  externalSources(zip, findings, []);
  const rest = packageFindings(zip);
  return { findings: [...findings, ...rest.findings], embedded: rest.embedded };
}

/** The page style a text document's pages use: "Standard" (LibreOffice's default), else the first. */
function pageStyle(zip: ZipArchive): { name: string; page: NonNullable<TextDocument["page"]> } | undefined {
  if (!zip.entries.has("styles.xml")) return undefined;
  const masters = new Map<string, string>();
  const layouts = new Map<string, Record<string, string>>();
  let layout: string | undefined;
  parseXmlPart(zip, "styles.xml", {
    open(tag, a) {
      if (tag === "style:master-page" && a["style:name"])
        masters.set(a["style:name"], a["style:page-layout-name"] ?? "");
      else if (tag === "style:page-layout") layout = a["style:name"];
      else if (tag === "style:page-layout-properties" && layout) layouts.set(layout, a);
    },
    close(tag) {
      if (tag === "style:page-layout") layout = undefined;
    },
  });
  const name = masters.has("Standard") ? "Standard" : [...masters.keys()][0];
  if (name === undefined) return undefined;
  const a = layouts.get(masters.get(name)!) ?? {};
  const page: NonNullable<TextDocument["page"]> = { landscape: a["style:print-orientation"] === "landscape" };
  for (const [key, attribute] of [
    ["width", "fo:page-width"],
    ["height", "fo:page-height"],
    ["top", "fo:margin-top"],
    ["bottom", "fo:margin-bottom"],
    ["left", "fo:margin-left"],
    ["right", "fo:margin-right"],
  ] as const)
    if (lengthPattern.test(a[attribute] ?? "")) page[key] = a[attribute];
  return { name, page };
}

const regionTypes: Record<string, HeaderFooter["type"]> = {
  "": "default",
  "-left": "even",
  "-first": "first",
};

/**
 * The visible content of a text document: the body and the headers and footers of its page style, with the
 * pictures they show, tracked changes accepted or rejected as the officer chose. Comments, hidden text and
 * sections, properties, scripts and objects are not read across.
 */
export function visibleOdt(zip: ZipArchive, trackedChanges: TrackedChanges): TextDocument {
  const pictures: PictureRegistry = { parts: [], index: new Map() };
  const body = readContent(zip, false, trackedChanges, "content.xml", pictures).blocks;
  const style = pageStyle(zip);
  const headers: HeaderFooter[] = [];
  const footers: HeaderFooter[] = [];
  if (style) {
    const { regions } = readContent(zip, false, trackedChanges, "styles.xml", pictures);
    for (const kind of ["header", "footer"] as const)
      for (const [suffix, type] of Object.entries(regionTypes)) {
        const blocks = regions.get(`${style.name}|style:${kind}${suffix}`);
        if (blocks) (kind === "header" ? headers : footers).push({ type, blocks });
      }
  }
  return { body, headers, footers, ...(style ? { page: style.page } : {}), images: pictures.parts };
}

/** The clean copy of an ODT: its visible content written anew, each picture's image cleaned or refused. */
export async function cleanOdt(zip: ZipArchive, trackedChanges: TrackedChanges): Promise<Uint8Array> {
  const document = visibleOdt(zip, trackedChanges);
  const images: DocumentImage[] = [];
  for (const { part, clip } of document.images) {
    const bytes = zip.read(part)!;
    const format = pictureFormat(part, bytes);
    images.push(
      clip && format !== "emf" && format !== "wmf"
        ? await clipPicture(part, bytes, clip)
        : await cleanPicture(part, bytes),
    );
  }
  return writeOdt(document, images);
}

// The clean copy of a spreadsheet keeps the formatting a reader sees among the visible cells, as the XLSX copy
// does: column widths, row heights, merged areas, bold and italic, and number formats (percentages, currencies,
// decimals, dates). It is rebuilt from what is read, so nothing else (names, comments, scripts, objects,
// properties, styles' own names) is carried over.

interface OdsStyle {
  parent?: string;
  dataStyle?: string;
  bold?: boolean;
  italic?: boolean;
  columnWidth?: string;
  rowHeight?: string;
}

/** The number formats' elements kept from the original: the format's parts, its colours and conditions. */
const dataStyleElements = /^number:|^style:(text-properties|map)$/;
const dataStyleAttributes = /^(number|style|fo):/;
const lengthPattern = /^\d+(\.\d+)?(cm|mm|in|pt|pc|px)$/;
const numberNamespace = "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0";

interface OdsFormatting {
  styles: Map<string, OdsStyle>;
  /** Each data style (number format) as elements to write back, and the data styles its conditions apply. */
  dataStyles: Map<
    string,
    { xml: (name: string, rename: (name: string) => string) => string; uses: string[] }
  >;
}

type DataNode = string | { open: string; attributes: Record<string, string> } | { close: string };

/** Writes a data style back under its new name, its conditions pointing at their styles' new names. */
function dataStyleXml(nodes: readonly DataNode[], name: string, rename: (name: string) => string): string {
  return nodes
    .map((node, index) => {
      if (typeof node === "string") return escapeXml(node);
      const next = nodes[index + 1];
      const empty = next !== undefined && typeof next !== "string" && "close" in next;
      if ("close" in node) {
        const previous = nodes[index - 1];
        return previous !== undefined && typeof previous !== "string" && "open" in previous
          ? ""
          : `</${node.close}>`;
      }
      const attributes: Record<string, string> = {
        ...(index === 0 ? { "xmlns:number": numberNamespace, "style:name": name } : {}),
        ...node.attributes,
      };
      if (attributes["style:apply-style-name"])
        attributes["style:apply-style-name"] = rename(attributes["style:apply-style-name"]);
      const written = Object.entries(attributes)
        .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
        .join("");
      return `<${node.open}${written}${empty ? "/" : ""}>`;
    })
    .join("");
}

/** The cell, column and row styles and number formats of an OpenDocument spreadsheet (common and automatic). */
function readFormatting(zip: ZipArchive): OdsFormatting {
  const styles = new Map<string, OdsStyle>();
  const dataStyles: OdsFormatting["dataStyles"] = new Map();
  for (const part of ["styles.xml", "content.xml"]) {
    if (!zip.entries.has(part)) continue;
    let style: OdsStyle | undefined;
    let data: { name: string; nodes: DataNode[]; uses: string[]; level: number } | undefined;
    let skip = 0;
    parseXmlPart(zip, part, {
      open(tag, a) {
        if (data) {
          if (skip > 0 || !dataStyleElements.test(tag)) {
            skip++;
            return;
          }
          const attributes: Record<string, string> = {};
          for (const [name, value] of Object.entries(a))
            if (dataStyleAttributes.test(name) && (tag !== "style:text-properties" || name === "fo:color"))
              attributes[name] = value;
          if (tag === "style:map" && a["style:apply-style-name"]) data.uses.push(a["style:apply-style-name"]);
          data.nodes.push({ open: tag, attributes });
          data.level++;
          return;
        }
        if (
          /^number:(number|currency|percentage|date|time|boolean|text)-style$/.test(tag) &&
          a["style:name"]
        ) {
          const attributes: Record<string, string> = {};
          for (const [name, value] of Object.entries(a))
            if (dataStyleAttributes.test(name) && name !== "style:name" && name !== "style:display-name")
              attributes[name] = value;
          data = { name: a["style:name"], nodes: [{ open: tag, attributes }], uses: [], level: 1 };
          return;
        }
        if (tag === "style:style" && a["style:name"]) {
          style = {};
          if (a["style:parent-style-name"]) style.parent = a["style:parent-style-name"];
          if (a["style:data-style-name"]) style.dataStyle = a["style:data-style-name"];
          styles.set(a["style:name"], style);
        } else if (style && tag === "style:text-properties") {
          const weight = a["fo:font-weight"];
          if (weight) style.bold = weight === "bold" || Number(weight) >= 600;
          const posture = a["fo:font-style"];
          if (posture) style.italic = posture === "italic" || posture === "oblique";
        } else if (style && tag === "style:table-column-properties") {
          if (lengthPattern.test(a["style:column-width"] ?? "")) style.columnWidth = a["style:column-width"];
        } else if (style && tag === "style:table-row-properties") {
          if (lengthPattern.test(a["style:row-height"] ?? "") && a["style:use-optimal-row-height"] !== "true")
            style.rowHeight = a["style:row-height"];
        }
      },
      text(text) {
        if (data && skip === 0) data.nodes.push(text);
      },
      close(tag) {
        if (data) {
          if (skip > 0) {
            skip--;
            return;
          }
          data.nodes.push({ close: tag });
          if (--data.level === 0) {
            const { nodes, uses } = data;
            dataStyles.set(data.name, { uses, xml: (name, rename) => dataStyleXml(nodes, name, rename) });
            data = undefined;
          }
        } else if (tag === "style:style") style = undefined;
      },
    });
  }
  return { styles, dataStyles };
}

/** A style resolved through its parents (a cell style usually inherits from "Default"). */
function resolveStyle(styles: ReadonlyMap<string, OdsStyle>, name: string | undefined): OdsStyle {
  const resolved: OdsStyle = {};
  for (let depth = 0; name && depth < 8; depth++) {
    const style = styles.get(name);
    if (!style) break;
    resolved.bold ??= style.bold;
    resolved.italic ??= style.italic;
    resolved.dataStyle ??= style.dataStyle;
    resolved.columnWidth ??= style.columnWidth;
    resolved.rowHeight ??= style.rowHeight;
    name = style.parent;
  }
  return resolved;
}

/** The copy's automatic styles: one per distinct width, height and cell format, in the order first used. */
class OdsStyles {
  private readonly written: string[] = [];
  private readonly names = new Map<string, string>();
  private readonly dataNames = new Map<string, string>();
  private readonly formatting: OdsFormatting;

  constructor(formatting: OdsFormatting) {
    this.formatting = formatting;
  }

  private named(key: string, prefix: string, xml: (name: string) => string): string {
    let name = this.names.get(key);
    if (!name) {
      name = `${prefix}${[...this.names.keys()].filter((k) => k.startsWith(`${prefix}|`)).length + 1}`;
      this.names.set(key, name);
      this.written.push(xml(name));
    }
    return name;
  }

  column(style: string | undefined): string | undefined {
    const width = resolveStyle(this.formatting.styles, style).columnWidth;
    if (!width) return undefined;
    return this.named(
      `co|${width}`,
      "co",
      (name) =>
        `<style:style style:name="${name}" style:family="table-column"><style:table-column-properties style:column-width="${width}"/></style:style>`,
    );
  }

  row(style: string | undefined): string | undefined {
    const height = resolveStyle(this.formatting.styles, style).rowHeight;
    if (!height) return undefined;
    return this.named(
      `ro|${height}`,
      "ro",
      (name) =>
        `<style:style style:name="${name}" style:family="table-row"><style:table-row-properties style:row-height="${height}" style:use-optimal-row-height="false"/></style:style>`,
    );
  }

  /** A number format under a new name, with the formats its conditions use. */
  private dataStyle(original: string): string | undefined {
    const source = this.formatting.dataStyles.get(original);
    if (!source) return undefined;
    let name = this.dataNames.get(original);
    if (!name) {
      name = `N${this.dataNames.size + 1}`;
      this.dataNames.set(original, name);
      for (const used of source.uses) this.dataStyle(used);
      const rename = (used: string) => this.dataNames.get(used) ?? used;
      this.written.unshift(source.xml(name, rename));
    }
    return name;
  }

  cell(style: string | undefined): string | undefined {
    const resolved = resolveStyle(this.formatting.styles, style);
    const data = resolved.dataStyle ? this.dataStyle(resolved.dataStyle) : undefined;
    if (!resolved.bold && !resolved.italic && !data) return undefined;
    const text = `${resolved.bold ? ' fo:font-weight="bold"' : ""}${resolved.italic ? ' fo:font-style="italic"' : ""}`;
    return this.named(
      `ce|${text}|${data ?? ""}`,
      "ce",
      (name) =>
        `<style:style style:name="${name}" style:family="table-cell"${data ? ` style:data-style-name="${data}"` : ""}>${text ? `<style:text-properties${text}/>` : ""}</style:style>`,
    );
  }

  xml(): string {
    return this.written.join("");
  }
}

const styleAttribute = (name: string | undefined) => (name ? ` table:style-name="${name}"` : "");

function cellXml(cell: OdsCell, style: string | undefined, span: string): string {
  const { valueType, values, text } = cell.odf;
  const type = valueType === "" ? "string" : valueType;
  const attributes = Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join("");
  const paragraphs = text
    .split("\n")
    .map((line) => `<text:p>${escapeXml(line)}</text:p>`)
    .join("");
  return `<table:table-cell${styleAttribute(style)}${span} office:value-type="${escapeXml(type)}"${attributes}>${paragraphs}</table:table-cell>`;
}

/** One visible sheet as an OpenDocument table, hidden rows and columns taken out and the rest moved up. */
function sheetXml(sheet: OdfSheet, styles: OdsStyles): string {
  const hiddenRows = [...new Set(sheet.hiddenRows)].sort((a, b) => a - b);
  const hiddenColumns = [...new Set(sheet.hiddenColumns)].sort((a, b) => a - b);
  const hiddenColumn = new Set(hiddenColumns);
  const hiddenRow = new Set(hiddenRows);
  const visibleIn = (from: number, count: number, hidden: ReadonlySet<number>) => {
    let visible = 0;
    for (let i = from; i < from + count; i++) if (!hidden.has(i)) visible++;
    return visible;
  };
  // New places: rows and columns after hidden ones move up and left.
  const cells = new Map<number, Map<number, string>>();
  const place = (row: number, column: number, xml: string) => {
    let line = cells.get(row);
    if (!line) {
      line = new Map();
      cells.set(row, line);
    }
    line.set(column, xml);
  };
  const spans = new Map<string, string>();
  for (const merge of sheet.merges) {
    if (hiddenRow.has(merge.row) || hiddenColumn.has(merge.column)) continue; // its content is hidden
    const rows = visibleIn(merge.row, Math.min(merge.rows, 10_000), hiddenRow);
    const columns = visibleIn(merge.column, Math.min(merge.columns, 16_384), hiddenColumn);
    if (rows <= 1 && columns <= 1) continue;
    const row = shift(hiddenRows, merge.row);
    const column = shift(hiddenColumns, merge.column);
    spans.set(
      `${row}|${column}`,
      `${rows > 1 ? ` table:number-rows-spanned="${rows}"` : ""}${columns > 1 ? ` table:number-columns-spanned="${columns}"` : ""}`,
    );
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < columns; c++)
        if (r > 0 || c > 0) place(row + r, column + c, "<table:covered-table-cell/>");
  }
  for (const [row, line] of sheet.cells)
    for (const [column, cell] of line) {
      const at = shift(hiddenColumns, column);
      const newRow = shift(hiddenRows, row);
      const odsCell = cell as OdsCell;
      if (!odsCell.odf) continue;
      place(newRow, at, cellXml(odsCell, styles.cell(odsCell.odf.style), spans.get(`${newRow}|${at}`) ?? ""));
    }
  for (const key of spans.keys()) {
    const [row, column] = key.split("|").map(Number) as [number, number];
    if (!cells.get(row)?.has(column)) place(row, column, `<table:table-cell${spans.get(key)}/>`);
  }
  // Columns as written, less the hidden ones, each with its width.
  const columns: string[] = [];
  let written = 0;
  for (const run of sheet.columnRuns) {
    const count = visibleIn(run.start, Math.min(run.count, 16_384 - run.start), hiddenColumn);
    if (count <= 0) continue;
    written += count;
    columns.push(
      `<table:table-column${styleAttribute(styles.column(run.style))}${count > 1 ? ` table:number-columns-repeated="${count}"` : ""}/>`,
    );
  }
  // By loops, not spreads: a sheet can have a million rows, more than a call's arguments can hold.
  const largest = (values: Iterable<number>, start: number) => {
    let most = start;
    for (const value of values) if (value > most) most = value;
    return most;
  };
  let lastColumn = -1;
  for (const line of cells.values()) lastColumn = largest(line.keys(), lastColumn);
  if (written <= lastColumn)
    columns.push(
      `<table:table-column${lastColumn + 1 - written > 1 ? ` table:number-columns-repeated="${lastColumn + 1 - written}"` : ""}/>`,
    );
  // Rows in order up to the last with content, each visible one with its height.
  const lastRow = largest(cells.keys(), 0);
  const rowStyle = new Map<number, string | undefined>();
  for (const run of sheet.rowRuns) {
    if (run.hidden || run.start > lastRow + hiddenRows.length) continue;
    const style = styles.row(run.style);
    if (!style) continue;
    for (let r = run.start; r < run.start + run.count && r <= lastRow + hiddenRows.length; r++)
      if (!hiddenRow.has(r)) rowStyle.set(shift(hiddenRows, r), style);
  }
  const rows: string[] = [];
  for (let row = 1; row <= lastRow; row++) {
    const line = cells.get(row);
    const style = styleAttribute(rowStyle.get(row));
    if (!line) {
      let repeated = 1;
      while (
        row + repeated <= lastRow &&
        !cells.has(row + repeated) &&
        rowStyle.get(row + repeated) === rowStyle.get(row)
      )
        repeated++;
      rows.push(
        `<table:table-row${style}${repeated > 1 ? ` table:number-rows-repeated="${repeated}"` : ""}><table:table-cell/></table:table-row>`,
      );
      row += repeated - 1;
      continue;
    }
    const out: string[] = [];
    const last = largest(line.keys(), 0);
    for (let column = 0; column <= last; column++) {
      const xml = line.get(column);
      if (xml) {
        out.push(xml);
        continue;
      }
      let gap = 1;
      while (column + gap <= last && !line.has(column + gap)) gap++;
      out.push(`<table:table-cell${gap > 1 ? ` table:number-columns-repeated="${gap}"` : ""}/>`);
      column += gap - 1;
    }
    rows.push(`<table:table-row${style}>${out.join("")}</table:table-row>`);
  }
  if (rows.length === 0) rows.push("<table:table-row><table:table-cell/></table:table-row>");
  return `<table:table table:name="${escapeXml(sheet.name)}">${columns.join("")}${rows.join("")}</table:table>`;
}

/**
 * The clean copy of an ODS: the visible cells of the visible sheets with their values, shown text and basic
 * formatting (widths, heights, merged areas, bold, italic, number formats). Hidden sheets, rows and columns,
 * covered cells' content, comments, names, links, properties, scripts and objects are not read across.
 */
export function cleanOds(zip: ZipArchive): Uint8Array {
  const { sheets } = readContent(zip, true, "accept");
  const styles = new OdsStyles(readFormatting(zip));
  const tables = sheets.filter((sheet) => !sheet.hidden).map((sheet) => sheetXml(sheet, styles));
  return writeOdf(
    "application/vnd.oasis.opendocument.spreadsheet",
    `<office:spreadsheet>${tables.join("")}</office:spreadsheet>`,
    styles.xml(),
  );
}
