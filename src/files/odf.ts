import type { Block, TrackedChanges } from "./document-model.ts";
import { type ContainerInspection, excerpt, type Finding, listExcerpt } from "./findings.ts";
import { isEmbeddedPart, isMacroPart, odfMetadata } from "./package-parts.ts";
import { type Cell, columnName, ranges, shift, type VisibleWorkbook } from "./workbook-model.ts";
import { parseXmlPart } from "./xml.ts";
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
}

interface OdfReading {
  sheets: OdfSheet[];
  blocks: Block[];
  findings: Finding[];
}

/**
 * Walks content.xml once: the visible cells or text, and every hidden thing met on the way (OpenDocument 1.3,
 * part 3: table:visibility, text:display, office:annotation, text:tracked-changes).
 */
function readContent(zip: ZipArchive, spreadsheet: boolean, trackedChanges: TrackedChanges): OdfReading {
  const styles = readStyles(zip);
  const sheets: OdfSheet[] = [];
  const blocks: Block[] = [];
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
  let paragraph: { text: string; heading?: number } | undefined;
  let paragraphCount = 0;
  let sheet: OdfSheet | undefined;
  let row = 0;
  let rowRepeat = 1;
  let rowHidden = false;
  let column = 0;
  let columnCount = 0;
  let cell: { value?: OdfCellValue; type: string; repeat: number; text: string; bold: boolean } | undefined;
  let docTable: { rows: string[][] } | undefined;
  const tableStack: string[] = [];
  const spans: boolean[] = [];

  const placeText = () =>
    sheet ? `sheet ${sheet.name}, cell ${columnName(column)}${row}` : `paragraph ${paragraphCount}`;
  const addText = (text: string) => {
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

  parseXmlPart(zip, "content.xml", {
    open(tag, a) {
      if (annotation) {
        if (tag === "dc:creator") annotation.inAuthor = true;
        else if (tag === "text:p" && annotation.text) annotation.text += " ";
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
          if (paragraph) {
            hiddenDepth++;
            hiddenWhy = "hidden paragraph";
          }
          return;
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
            };
            sheets.push(sheet);
            row = 0;
            columnCount = 0;
          } else if (tableStack.length === 1) {
            docTable = { rows: [] };
            blocks.push({ kind: "table", rows: docTable.rows });
          }
          return;
        }
        case "table:table-column": {
          const count = repeat(a["table:number-columns-repeated"], 16_384);
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
          };
          return;
        }
      }
    },
    text(text) {
      addText(text);
    },
    close(tag) {
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
        case "text:hidden-paragraph":
          if (hiddenDepth > 0) hiddenDepth--;
          return;
        case "text:section":
        case "text:span":
          if (spans.pop() && --hiddenDepth === 0) endHidden();
          return;
        case "text:p":
        case "text:h":
          if (changeId !== undefined || cell) return;
          if (spans.pop() && --hiddenDepth === 0) endHidden();
          if (paragraph && hiddenDepth === 0) {
            if (docTable) {
              const cells = docTable.rows[docTable.rows.length - 1];
              if (cells)
                cells[cells.length - 1] = cells[cells.length - 1]
                  ? `${cells[cells.length - 1]}\n${paragraph.text}`
                  : paragraph.text;
            } else
              blocks.push(
                paragraph.heading
                  ? { kind: "paragraph", text: paragraph.text, heading: paragraph.heading }
                  : { kind: "paragraph", text: paragraph.text },
              );
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
              } else
                for (let r = 0; r < Math.min(rowRepeat, 10_000); r++) {
                  let line = sheet.cells.get(row + r);
                  if (!line) {
                    line = new Map();
                    sheet.cells.set(row + r, line);
                  }
                  const kept: Cell = {
                    value: value.date ? { kind: "number", value: value.value as string } : value,
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
  return { sheets, blocks, findings };
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
  }
  externalSources(
    zip,
    findings,
    sheets.filter((sheet) => sheet.hidden).map((sheet) => sheet.name),
  );
  const rest = packageFindings(zip);
  return { findings: [...found, ...findings, ...rest.findings], embedded: rest.embedded };
}

export function visibleOds(zip: ZipArchive): VisibleWorkbook {
  const { sheets } = readContent(zip, true, "accept");
  return {
    sheets: sheets
      .filter((sheet) => !sheet.hidden)
      .map((sheet) => {
        const hiddenRows = [...new Set(sheet.hiddenRows)].sort((a, b) => a - b);
        const hiddenColumns = [...new Set(sheet.hiddenColumns)].sort((a, b) => a - b);
        const rows: (Cell | undefined)[][] = [];
        for (const [row, cells] of sheet.cells) {
          const line: (Cell | undefined)[] = [];
          for (const [column, cell] of cells) line[shift(hiddenColumns, column)] = cell;
          rows[shift(hiddenRows, row) - 1] = line;
        }
        for (let r = 0; r < rows.length; r++) rows[r] ??= [];
        return { name: sheet.name, rows };
      }),
  };
}

/** Finds tracked changes, comments, hidden text, metadata, macros and objects in an ODT. */
export function inspectOdt(zip: ZipArchive): ContainerInspection {
  const { findings } = readContent(zip, false, "accept");
  externalSources(zip, findings, []);
  const rest = packageFindings(zip);
  return { findings: [...findings, ...rest.findings], embedded: rest.embedded };
}

export function visibleOdt(zip: ZipArchive, trackedChanges: TrackedChanges): Block[] {
  return readContent(zip, false, trackedChanges).blocks;
}
