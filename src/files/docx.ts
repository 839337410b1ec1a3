import type { Block, TrackedChanges } from "./document-model.ts";
import { type ContainerInspection, excerpt, type Finding } from "./findings.ts";
import { ooxmlPackageFindings } from "./package-parts.ts";
import { local, parseXmlPart } from "./xml.ts";
import type { ZipArchive } from "./zip.ts";

/** One run of text as Word holds it, with what would hide it and the revision it belongs to. */
interface Run {
  text: string;
  paragraph: number;
  /** Why a reader does not see it, if they do not. */
  hidden?: string;
  change?: { type: "inserted" | "deleted"; author: string; id: number };
}

interface ParagraphShape {
  heading?: number;
  /** Set when the paragraph sits in a table: its row and cell. */
  cell?: { table: number; row: number; column: number };
}

const highlightColours: Record<string, string> = {
  white: "FFFFFF",
  black: "000000",
  yellow: "FFFF00",
  green: "00FF00",
  cyan: "00FFFF",
  blue: "0000FF",
  red: "FF0000",
  magenta: "FF00FF",
  lightGray: "C0C0C0",
  darkGray: "808080",
};

const on = (attributes: Record<string, string>) => {
  const value = attributes["w:val"];
  return value === undefined || (value !== "0" && value !== "false" && value !== "off");
};

/** The character styles with hidden formatting (`w:vanish`), which hide every run that uses them. */
function hiddenStyles(zip: ZipArchive): Set<string> {
  const hidden = new Set<string>();
  if (!zip.entries.has("word/styles.xml")) return hidden;
  let style = "";
  parseXmlPart(zip, "word/styles.xml", {
    open(tag, attributes) {
      const key = local(tag);
      if (key === "style") style = attributes["w:styleId"] ?? "";
      else if (key === "vanish" && style && on(attributes)) hidden.add(style);
    },
  });
  return hidden;
}

/** Reads a WordprocessingML part (body, header, footer, notes) into runs and paragraph shapes. */
function readWordPart(
  zip: ZipArchive,
  part: string,
  styles: Set<string>,
): { runs: Run[]; paragraphs: ParagraphShape[] } {
  const runs: Run[] = [];
  const paragraphs: ParagraphShape[] = [];
  const changes: NonNullable<Run["change"]>[] = [];
  const tables: { id: number; row: number; column: number }[] = [];
  let tableCount = 0;
  let paragraph = -1;
  let paragraphFill = "";
  let inParagraphProperties = false;
  let inRun = false;
  let inRunProperties = false;
  let inPropertyChange = 0;
  let inText = false;
  let changeId = 0;
  let run = { text: "", vanish: false, colour: "", fill: "", highlight: "" };
  parseXmlPart(zip, part, {
    open(tag, attributes) {
      const key = local(tag);
      switch (key) {
        case "tbl":
          tables.push({ id: tableCount++, row: -1, column: -1 });
          return;
        case "tr":
          if (tables.length) {
            tables[tables.length - 1]!.row++;
            tables[tables.length - 1]!.column = -1;
          }
          return;
        case "tc":
          if (tables.length) tables[tables.length - 1]!.column++;
          return;
        case "p": {
          paragraph++;
          paragraphFill = "";
          const table = tables[tables.length - 1];
          paragraphs[paragraph] = table
            ? { cell: { table: table.id, row: table.row, column: table.column } }
            : {};
          return;
        }
        case "pPr":
          inParagraphProperties = true;
          return;
        case "pStyle": {
          const style = attributes["w:val"] ?? "";
          const level = /^Heading([1-6])$/i.exec(style)?.[1] ?? (style === "Title" ? "1" : undefined);
          if (level && paragraph >= 0) paragraphs[paragraph]!.heading = Number(level);
          return;
        }
        case "rPrChange":
        case "pPrChange":
          inPropertyChange++;
          return;
        case "ins":
        case "moveTo":
        case "del":
        case "moveFrom":
          if (inRunProperties || inParagraphProperties) return; // a paragraph mark's revision, no text
          changes.push({
            type: key === "ins" || key === "moveTo" ? "inserted" : "deleted",
            author: attributes["w:author"] ?? "",
            id: changeId++,
          });
          return;
        case "r":
          inRun = true;
          run = { text: "", vanish: false, colour: "", fill: "", highlight: "" };
          return;
        case "rPr":
          if (inRun) inRunProperties = true;
          return;
        case "t":
        case "delText":
          if (inRun) inText = true;
          return;
        case "tab":
          if (inRun && !inRunProperties) run.text += "\t";
          return;
        case "br":
        case "cr":
          if (inRun) run.text += "\n";
          return;
      }
      if (inPropertyChange) return;
      if (inRunProperties) {
        if ((key === "vanish" || key === "specVanish") && on(attributes)) run.vanish = true;
        else if (key === "rStyle" && styles.has(attributes["w:val"] ?? "")) run.vanish = true;
        else if (key === "color") run.colour = (attributes["w:val"] ?? "").toUpperCase();
        else if (key === "shd") run.fill = (attributes["w:fill"] ?? "").toUpperCase();
        else if (key === "highlight") run.highlight = highlightColours[attributes["w:val"] ?? ""] ?? "";
      } else if (inParagraphProperties && key === "shd")
        paragraphFill = (attributes["w:fill"] ?? "").toUpperCase();
    },
    text(text) {
      if (inText) run.text += text;
    },
    close(tag) {
      switch (local(tag)) {
        case "tbl":
          tables.pop();
          return;
        case "pPr":
          inParagraphProperties = false;
          return;
        case "rPrChange":
        case "pPrChange":
          inPropertyChange--;
          return;
        case "rPr":
          inRunProperties = false;
          return;
        case "t":
        case "delText":
          inText = false;
          return;
        case "ins":
        case "moveTo":
        case "del":
        case "moveFrom":
          if (!inRunProperties && !inParagraphProperties) changes.pop();
          return;
        case "r": {
          inRun = false;
          if (run.text === "") return;
          const background =
            [run.fill, run.highlight, paragraphFill].find((fill) => fill !== "" && fill !== "AUTO") ??
            "FFFFFF";
          const hidden = run.vanish
            ? "hidden formatting"
            : run.colour !== "" && run.colour !== "AUTO" && run.colour === background
              ? `text coloured #${run.colour} on #${background}`
              : undefined;
          const change = changes[changes.length - 1];
          runs.push({
            text: run.text,
            paragraph,
            ...(hidden ? { hidden } : {}),
            ...(change ? { change } : {}),
          });
        }
      }
    },
  });
  return { runs, paragraphs };
}

/** The text parts of a Word document in reading order: body, then headers, footers and notes. */
function wordParts(zip: ZipArchive): string[] {
  const parts = [...zip.entries.keys()];
  const others = parts.filter(
    (name) => /^word\/(header|footer)\d*\.xml$/.test(name) || /^word\/(footnotes|endnotes)\.xml$/.test(name),
  );
  return ["word/document.xml", ...others.sort()].filter((name) => zip.entries.has(name));
}

/** Groups consecutive runs that share a key into one finding each. */
function groupRuns(
  runs: readonly Run[],
  key: (run: Run) => string | undefined,
  make: (first: Run, text: string, key: string) => Finding,
): Finding[] {
  const findings: Finding[] = [];
  let current: { key: string; first: Run; text: string } | undefined;
  const flush = () => {
    if (current) findings.push(make(current.first, current.text, current.key));
    current = undefined;
  };
  for (const run of runs) {
    const k = key(run);
    if (k === undefined) {
      flush();
      continue;
    }
    const full = `${run.paragraph}|${k}`;
    if (current && current.key === full) current.text += run.text;
    else {
      flush();
      current = { key: full, first: run, text: run.text };
    }
  }
  flush();
  return findings;
}

function commentFindings(
  zip: ZipArchive,
  part: string,
  where: (id: string) => string,
  elements: string[],
): Finding[] {
  const findings: Finding[] = [];
  if (!zip.entries.has(part)) return findings;
  let open = false;
  let author = "";
  let id = "";
  let text = "";
  parseXmlPart(zip, part, {
    open(tag, attributes) {
      const key = local(tag);
      if (elements.includes(key)) {
        open = true;
        author = attributes["w:author"] ?? "";
        id = attributes["w:id"] ?? attributes.idx ?? attributes.id ?? "";
        text = "";
      } else if (open && key === "p" && text !== "") text += " ";
    },
    text(value) {
      if (open) text += value;
    },
    close(tag) {
      if (elements.includes(local(tag)) && open) {
        open = false;
        findings.push({
          kind: "comment",
          where: where(id),
          detail: excerpt(author ? `${author}: ${text}` : text),
        });
      }
    },
  });
  return findings;
}

/** Finds tracked changes, comments, hidden text, metadata, macros and embedded files in a DOCX/DOCM. */
export function inspectDocx(zip: ZipArchive): ContainerInspection {
  const styles = hiddenStyles(zip);
  const findings: Finding[] = [];
  for (const part of wordParts(zip)) {
    const { runs } = readWordPart(zip, part, styles);
    const place = (run: Run) => `${part}, paragraph ${run.paragraph + 1}`;
    findings.push(
      ...groupRuns(
        runs,
        (run) => (run.change ? `${run.change.id}` : undefined),
        (first, text) => ({
          kind: "tracked-change",
          where: place(first),
          detail: excerpt(
            `${first.change!.type}${first.change!.author ? ` by ${first.change!.author}` : ""}: ${text}`,
          ),
        }),
      ),
      ...groupRuns(
        runs,
        (run) => run.hidden,
        (first, text, key) => ({
          kind: "hidden-text",
          where: place(first),
          detail: excerpt(`${key.replace(/^\d+\|/, "")}: ${text}`),
        }),
      ),
    );
  }
  findings.push(
    ...commentFindings(zip, "word/comments.xml", (id) => `comment ${id} (word/comments.xml)`, ["comment"]),
  );
  const rest = ooxmlPackageFindings(zip);
  return { findings: [...findings, ...rest.findings], embedded: rest.embedded };
}

/** The visible text of the body, tracked changes accepted or rejected as the officer chose. */
export function visibleDocx(zip: ZipArchive, trackedChanges: TrackedChanges): Block[] {
  const { runs, paragraphs } = readWordPart(zip, "word/document.xml", hiddenStyles(zip));
  const texts: string[] = paragraphs.map(() => "");
  for (const run of runs) {
    if (run.hidden) continue;
    if (run.change && (run.change.type === "inserted") !== (trackedChanges === "accept")) continue;
    texts[run.paragraph] += run.text;
  }
  const blocks: Block[] = [];
  let table: { id: number; rows: string[][] } | undefined;
  paragraphs.forEach((shape, index) => {
    const text = texts[index] ?? "";
    if (shape.cell) {
      if (!table || table.id !== shape.cell.table) {
        table = { id: shape.cell.table, rows: [] };
        blocks.push({ kind: "table", rows: table.rows });
      }
      table.rows[shape.cell.row] ??= [];
      const row = table.rows[shape.cell.row]!;
      row[shape.cell.column] = row[shape.cell.column] ? `${row[shape.cell.column]}\n${text}` : text;
      return;
    }
    table = undefined;
    blocks.push(
      shape.heading ? { kind: "paragraph", text, heading: shape.heading } : { kind: "paragraph", text },
    );
  });
  for (const block of blocks)
    if (block.kind === "table")
      for (const row of block.rows) for (let i = 0; i < row.length; i++) row[i] ??= "";
  return blocks;
}

/** Finds speaker notes, comments, hidden slides and shapes, metadata, macros and embedded files in a PPTX. */
export function inspectPptx(zip: ZipArchive): ContainerInspection {
  const findings: Finding[] = [];
  const number = (part: string) => Number(/(\d+)\.xml$/.exec(part)?.[1] ?? 0);
  const parts = [...zip.entries.keys()].sort((a, b) => number(a) - number(b));
  for (const part of parts) {
    if (/^ppt\/slides\/slide\d+\.xml$/.test(part)) {
      let hiddenSlide = false;
      let text = "";
      let hiddenShape: string | undefined;
      let shapeText = "";
      let depth = 0;
      parseXmlPart(zip, part, {
        open(tag, attributes) {
          const key = local(tag);
          if (key === "sld" && attributes.show === "0") hiddenSlide = true;
          if (key === "sp" || key === "pic" || key === "graphicFrame") depth++;
          if (key === "cNvPr" && attributes.hidden === "1" && depth > 0) {
            hiddenShape = attributes.name ?? "shape";
            shapeText = "";
          }
        },
        text(value) {
          text += value;
          if (hiddenShape !== undefined) shapeText += value;
        },
        close(tag) {
          const key = local(tag);
          if (key === "p") text += " ";
          if (
            (key === "sp" || key === "pic" || key === "graphicFrame") &&
            --depth === 0 &&
            hiddenShape !== undefined
          ) {
            findings.push({
              kind: "hidden-text",
              where: `slide ${number(part)}, hidden shape ${hiddenShape}`,
              detail: excerpt(shapeText || "a hidden shape"),
            });
            hiddenShape = undefined;
          }
        },
      });
      if (hiddenSlide)
        findings.push({
          kind: "hidden-text",
          where: `slide ${number(part)} (hidden slide)`,
          detail: excerpt(text),
        });
    } else if (/^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(part)) {
      let text = "";
      let inField = false;
      parseXmlPart(zip, part, {
        open(tag) {
          if (local(tag) === "fld") inField = true; // the slide number placeholder is not a note
        },
        text(value) {
          if (!inField) text += value;
        },
        close(tag) {
          if (local(tag) === "fld") inField = false;
          if (local(tag) === "p") text += " ";
        },
      });
      if (text.trim() !== "")
        findings.push({ kind: "comment", where: `speaker notes (${part})`, detail: excerpt(text) });
    } else if (/^ppt\/comments\/[^/]+\.xml$/.test(part)) {
      findings.push(...commentFindings(zip, part, (id) => `comment ${id} (${part})`, ["cm"]));
    }
  }
  const rest = ooxmlPackageFindings(zip);
  return { findings: [...findings, ...rest.findings], embedded: rest.embedded };
}
