import {
  type Block,
  type DocumentImage,
  type Picture,
  type Section,
  type TrackedChanges,
  type VisibleDocument,
  writeDocx,
} from "./document-model.ts";
import { type ContainerInspection, excerpt, type Finding } from "./findings.ts";
import { altText, type Crop, cleanPicture, cropPicture, inspectPicture, pictureFormat } from "./images.ts";
import { ooxmlPackageFindings } from "./package-parts.ts";
import { local, parseXmlPart, relationships } from "./xml.ts";
import type { ZipArchive } from "./zip.ts";

/** One run of text as Word holds it, with what would hide it and the revision it belongs to. */
interface Run {
  text: string;
  paragraph: number;
  /** Why a reader does not see it, if they do not. */
  hidden?: string;
  change?: { type: "inserted" | "deleted"; author: string; id: number };
  /** A footnote or endnote reference mark (the note's id in its part). */
  note?: NoteReference;
  /** The pictures the run shows (`w:drawing`), by their relationship in the part. */
  pictures?: PictureReference[];
}

/** A picture in a part: its image's relationship id, its size on the page (EMU) and its alternative text. */
interface PictureReference {
  id: string;
  width: number;
  height: number;
  description: string;
  /** Set when the picture is cropped (`a:srcRect`): the cut-off edges are still in the image. */
  crop?: Crop;
}

interface NoteReference {
  kind: "footnote" | "endnote";
  id: string;
}

interface ParagraphShape {
  heading?: number;
  /** Set when the paragraph sits in a table: its row and cell. */
  cell?: { table: number; row: number; column: number };
  /** In a notes part: the id of the note it belongs to (separators have none). */
  note?: string;
  /** Set when the paragraph ends a section (its `w:pPr` holds the section's properties). */
  section?: number;
}

/** A section's properties (ECMA-376 Part 1, 17.6.17): its headers and footers, page size and margins. */
interface SectionProperties {
  references: PartReference[];
  titlePage: boolean;
  page: Record<string, string>;
  margins: Record<string, string>;
  type?: string;
}

/** A header or footer a section points at (ECMA-376 Part 1, 17.10.5). */
interface PartReference {
  kind: "header" | "footer";
  type: string;
  id: string;
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

interface RunState {
  text: string;
  vanish: boolean;
  colour: string;
  fill: string;
  highlight: string;
  note?: NoteReference;
  pictures?: PictureReference[];
}

interface DrawingState {
  width: number;
  height: number;
  description: string;
  hidden: boolean;
  pictures: PictureReference[];
}

/**
 * Reads a WordprocessingML part (body, header, footer, notes) into runs and paragraph shapes. Text boxes hold
 * paragraphs inside a run of another paragraph, so paragraphs and runs are stacks; a text box's fallback copy
 * for older readers (`mc:Fallback`) is skipped, as Word itself does.
 */
function readWordPart(
  zip: ZipArchive,
  part: string,
  styles: Set<string>,
): { runs: Run[]; paragraphs: ParagraphShape[]; sections: SectionProperties[] } {
  const runs: Run[] = [];
  const paragraphs: ParagraphShape[] = [];
  const sections: SectionProperties[] = [];
  let section: SectionProperties | undefined;
  const drawings: DrawingState[] = [];
  let picture: PictureReference | undefined;
  const changes: NonNullable<Run["change"]>[] = [];
  const tables: { id: number; row: number; column: number }[] = [];
  const paragraphStack: number[] = [];
  const paragraphFills: string[] = [];
  const runStack: RunState[] = [];
  let tableCount = 0;
  let paragraphCount = 0;
  let note: string | undefined;
  let inParagraphProperties = false;
  let inRunProperties = false;
  let inPropertyChange = 0;
  let inText = false;
  let fallback = 0;
  let changeId = 0;
  const current = () => runStack[runStack.length - 1];
  parseXmlPart(zip, part, {
    open(tag, attributes) {
      const key = local(tag);
      if (fallback > 0 || key === "Fallback") {
        fallback++;
        return;
      }
      const run = current();
      switch (key) {
        case "footnote":
        case "endnote":
          note = attributes["w:type"] && attributes["w:type"] !== "normal" ? undefined : attributes["w:id"];
          return;
        case "sectPr":
          if (inPropertyChange) return;
          section = { references: [], titlePage: false, page: {}, margins: {} };
          sections.push(section);
          return;
        case "headerReference":
        case "footerReference":
          if (section && !inPropertyChange)
            section.references.push({
              kind: key === "headerReference" ? "header" : "footer",
              type: attributes["w:type"] ?? "default",
              id: attributes["r:id"] ?? "",
            });
          return;
        case "titlePg":
          if (section && !inPropertyChange) section.titlePage = on(attributes);
          return;
        case "pgSz":
        case "pgMar":
          if (section && !inPropertyChange) section[key === "pgSz" ? "page" : "margins"] = attributes;
          return;
        case "type":
          if (section && !inPropertyChange && attributes["w:val"]) section.type = attributes["w:val"];
          return;
        case "drawing":
          if (run) drawings.push({ width: 0, height: 0, description: "", hidden: false, pictures: [] });
          return;
        case "extent":
          if (drawings.length > 0) {
            drawings[drawings.length - 1]!.width = Number(attributes.cx) || 0;
            drawings[drawings.length - 1]!.height = Number(attributes.cy) || 0;
          }
          return;
        case "docPr":
          if (drawings.length > 0) {
            const drawing = drawings[drawings.length - 1]!;
            drawing.description = attributes.descr ?? "";
            drawing.hidden = attributes.hidden === "1" || attributes.hidden === "true";
          }
          return;
        case "pic":
          if (drawings.length > 0) picture = { id: "", width: 0, height: 0, description: "" };
          return;
        case "blip":
          // A linked picture (r:link) is a file on someone's drive: only an embedded one is kept.
          if (picture) picture.id = attributes["r:embed"] ?? "";
          return;
        case "srcRect": {
          // Thousandths of a percent cut off each edge (ECMA-376 Part 1, 20.1.8.55); negative ones add space.
          const share = (value: string | undefined) => Math.max(0, Number(value) || 0) / 100_000;
          const crop = {
            left: share(attributes.l),
            top: share(attributes.t),
            right: share(attributes.r),
            bottom: share(attributes.b),
          };
          if (picture && crop.left + crop.top + crop.right + crop.bottom > 0) picture.crop = crop;
          return;
        }
        case "ext":
          if (picture && attributes.cx !== undefined) {
            picture.width = Number(attributes.cx) || 0;
            picture.height = Number(attributes.cy) || 0;
          }
          return;
        case "footnoteReference":
        case "endnoteReference":
          if (run && attributes["w:id"])
            run.note = { kind: key === "footnoteReference" ? "footnote" : "endnote", id: attributes["w:id"] };
          return;
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
          const index = paragraphCount++;
          paragraphStack.push(index);
          paragraphFills.push("");
          const table = tables[tables.length - 1];
          paragraphs[index] = {
            ...(table ? { cell: { table: table.id, row: table.row, column: table.column } } : {}),
            ...(note !== undefined ? { note } : {}),
          };
          return;
        }
        case "pPr":
          inParagraphProperties = true;
          return;
        case "pStyle": {
          const style = attributes["w:val"] ?? "";
          const level = /^Heading([1-6])$/i.exec(style)?.[1] ?? (style === "Title" ? "1" : undefined);
          const paragraph = paragraphStack[paragraphStack.length - 1];
          if (level && paragraph !== undefined) paragraphs[paragraph]!.heading = Number(level);
          return;
        }
        case "rPrChange":
        case "pPrChange":
        case "sectPrChange":
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
          runStack.push({ text: "", vanish: false, colour: "", fill: "", highlight: "" });
          return;
        case "rPr":
          if (run) inRunProperties = true;
          return;
        case "t":
        case "delText":
          if (run) inText = true;
          return;
        case "tab":
          if (run && !inRunProperties) run.text += "\t";
          return;
        case "br":
        case "cr":
          if (run) run.text += "\n";
          return;
      }
      if (inPropertyChange) return;
      if (inRunProperties && run) {
        if ((key === "vanish" || key === "specVanish") && on(attributes)) run.vanish = true;
        else if (key === "rStyle" && styles.has(attributes["w:val"] ?? "")) run.vanish = true;
        else if (key === "color") run.colour = (attributes["w:val"] ?? "").toUpperCase();
        else if (key === "shd") run.fill = (attributes["w:fill"] ?? "").toUpperCase();
        else if (key === "highlight") run.highlight = highlightColours[attributes["w:val"] ?? ""] ?? "";
      } else if (inParagraphProperties && key === "shd" && paragraphFills.length)
        paragraphFills[paragraphFills.length - 1] = (attributes["w:fill"] ?? "").toUpperCase();
    },
    text(text) {
      if (fallback === 0 && inText) current()!.text += text;
    },
    close(tag) {
      if (fallback > 0) {
        fallback--;
        return;
      }
      switch (local(tag)) {
        case "footnote":
        case "endnote":
          note = undefined;
          return;
        case "p":
          paragraphStack.pop();
          paragraphFills.pop();
          return;
        case "tbl":
          tables.pop();
          return;
        case "pPr":
          inParagraphProperties = false;
          return;
        case "rPrChange":
        case "pPrChange":
        case "sectPrChange":
          inPropertyChange--;
          return;
        case "sectPr": {
          if (inPropertyChange || !section) return;
          const paragraph = paragraphStack[paragraphStack.length - 1];
          if (inParagraphProperties && paragraph !== undefined)
            paragraphs[paragraph]!.section = sections.length - 1;
          section = undefined;
          return;
        }
        case "pic":
          if (picture?.id && drawings.length > 0) drawings[drawings.length - 1]!.pictures.push(picture);
          picture = undefined;
          return;
        case "drawing": {
          const drawing = drawings.pop();
          const run = current();
          if (!drawing || !run || drawing.hidden || drawing.pictures.length === 0) return;
          // One picture takes the drawing's size on the page; a group's pictures keep their own.
          const single = drawing.pictures.length === 1 && drawing.width > 0;
          run.pictures = [
            ...(run.pictures ?? []),
            ...drawing.pictures.map((each) => ({
              ...each,
              ...(single ? { width: drawing.width, height: drawing.height } : {}),
              description: drawing.description,
            })),
          ];
          return;
        }
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
          const run = runStack.pop();
          const paragraph = paragraphStack[paragraphStack.length - 1];
          if (!run || paragraph === undefined) return;
          const change = changes[changes.length - 1];
          if (run.pictures)
            // Hidden formatting hides a picture as it hides text; a colour does not.
            runs.push({
              text: "",
              paragraph,
              pictures: run.pictures,
              ...(run.vanish ? { hidden: "hidden formatting" } : {}),
              ...(change ? { change } : {}),
            });
          if (run.text === "" && !run.note) return;
          const background =
            [run.fill, run.highlight, paragraphFills[paragraphFills.length - 1] ?? ""].find(
              (fill) => fill !== "" && fill !== "AUTO",
            ) ?? "FFFFFF";
          const hidden = run.vanish
            ? "hidden formatting"
            : run.colour !== "" && run.colour !== "AUTO" && run.colour === background
              ? `text coloured #${run.colour} on #${background}`
              : undefined;
          runs.push({
            text: run.text,
            paragraph,
            ...(hidden ? { hidden } : {}),
            ...(change ? { change } : {}),
            ...(run.note ? { note: run.note } : {}),
          });
        }
      }
    },
  });
  return { runs, paragraphs, sections };
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
    const k = run.text === "" ? undefined : key(run);
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

/** What the pictures of a package hold unseen: camera, author and GPS metadata; text in metafiles and SVG. */
export function pictureFindings(zip: ZipArchive, folder: string): Finding[] {
  const findings: Finding[] = [];
  for (const part of zip.entries.keys())
    if (part.startsWith(folder) && !part.endsWith("/"))
      findings.push(...inspectPicture(part, zip.read(part)!));
  return findings;
}

/**
 * Headers and footers no page shows: a first-page one without a title page, an even-page one without even
 * and odd headers, or one no section refers to. They are left out of a clean copy; their words are found.
 */
/** Cropped pictures: the edges cut off are still in the image, and a viewer does not show them. */
function croppedPictureFindings(zip: ZipArchive, part: string, runs: readonly Run[]): Finding[] {
  const findings: Finding[] = [];
  const rels = relationships(zip, part.replace(/([^/]+)$/, "_rels/$1.rels"));
  for (const run of runs)
    for (const picture of run.pictures ?? []) {
      const target = rels.get(picture.id)?.target;
      if (!picture.crop || !target) continue;
      const { left, top, right, bottom } = picture.crop;
      const percent = (share: number) => `${Math.round(share * 100)}%`;
      findings.push({
        kind: "hidden-text",
        where: `picture ${target} in ${part}, paragraph ${run.paragraph + 1}`,
        detail: `the picture is cropped (left ${percent(left)}, top ${percent(top)}, right ${percent(right)}, bottom ${percent(bottom)}): the parts cut off are still in the file`,
      });
    }
  return findings;
}

function unshownHeaderFindings(zip: ZipArchive, styles: Set<string>): Finding[] {
  const { sections } = readWordPart(zip, "word/document.xml", styles);
  const rels = relationships(zip, "word/_rels/document.xml.rels");
  const even = evenAndOddHeaders(zip);
  const shown = new Set<string>();
  for (const section of sections)
    for (const reference of section.references)
      if (
        (reference.type !== "first" || section.titlePage) &&
        (reference.type !== "even" || even) &&
        rels.get(reference.id)
      )
        shown.add(rels.get(reference.id)!.target);
  const findings: Finding[] = [];
  for (const part of zip.entries.keys()) {
    const kind = /^word\/(header|footer)\d*\.xml$/.exec(part)?.[1];
    if (!kind || shown.has(part)) continue;
    const text = readWordPart(zip, part, styles)
      .runs.map((run) => run.text)
      .join("")
      .trim();
    if (text)
      findings.push({
        kind: "hidden-text",
        where: part,
        detail: excerpt(`a ${kind} no page shows: ${text}`),
      });
  }
  return findings;
}

/** Finds tracked changes, comments, hidden text, metadata, macros and embedded files in a DOCX/DOCM. */
export function inspectDocx(zip: ZipArchive): ContainerInspection {
  const styles = hiddenStyles(zip);
  const findings: Finding[] = [];
  for (const part of wordParts(zip)) {
    const { runs } = readWordPart(zip, part, styles);
    const place = (run: Run) => `${part}, paragraph ${run.paragraph + 1}`;
    findings.push(...croppedPictureFindings(zip, part, runs));
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
    ...unshownHeaderFindings(zip, styles),
    ...pictureFindings(zip, "word/media/"),
  );
  const rest = ooxmlPackageFindings(zip);
  return { findings: [...findings, ...rest.findings], embedded: rest.embedded };
}

/** Whether a run is seen once tracked changes are resolved as the officer chose. */
function shown(run: Run, trackedChanges: TrackedChanges): boolean {
  if (run.hidden) return false;
  return !run.change || (run.change.type === "inserted") === (trackedChanges === "accept");
}

type Placed = { at: number; picture: Picture };

/**
 * The visible paragraphs and tables of a part (of one note, when `note` is given), tracked changes resolved;
 * each note reference and picture kept at its place, notes numbered by `noteNumber` in the order they are
 * met, pictures resolved by `picture` (undefined for one whose image is not in the file).
 */
function visibleBlocks(
  read: { runs: Run[]; paragraphs: ParagraphShape[] },
  trackedChanges: TrackedChanges,
  noteNumber: (reference: NoteReference) => number,
  picture: (reference: PictureReference) => Picture | undefined,
  note?: string,
): Block[] {
  const { runs, paragraphs } = read;
  const texts: string[] = paragraphs.map(() => "");
  const notes: NonNullable<Extract<Block, { kind: "paragraph" }>["notes"]>[] = paragraphs.map(() => []);
  const pictures: Placed[][] = paragraphs.map(() => []);
  for (const run of runs) {
    if (paragraphs[run.paragraph]?.note !== note || !shown(run, trackedChanges)) continue;
    if (run.note)
      notes[run.paragraph]!.push({
        at: texts[run.paragraph]!.length,
        kind: run.note.kind,
        number: noteNumber(run.note),
      });
    for (const reference of run.pictures ?? []) {
      const resolved = picture(reference);
      if (resolved) pictures[run.paragraph]!.push({ at: texts[run.paragraph]!.length, picture: resolved });
    }
    texts[run.paragraph] += run.text;
  }
  const blocks: Block[] = [];
  let table: { id: number; block: Extract<Block, { kind: "table" }> } | undefined;
  paragraphs.forEach((shape, index) => {
    if (shape.note !== note) return;
    const text = texts[index] ?? "";
    if (shape.cell) {
      if (!table || table.id !== shape.cell.table) {
        table = { id: shape.cell.table, block: { kind: "table", rows: [] } };
        blocks.push(table.block);
      }
      const { row: r, column: c } = shape.cell;
      table.block.rows[r] ??= [];
      const row = table.block.rows[r]!;
      const before = row[c] ? `${row[c]}\n` : "";
      row[c] = before + text;
      if (pictures[index]!.length > 0) {
        table.block.pictures ??= [];
        for (const placed of pictures[index]!)
          table.block.pictures.push({ row: r, column: c, ...placed, at: before.length + placed.at });
      }
      return;
    }
    table = undefined;
    blocks.push({
      kind: "paragraph",
      text,
      ...(shape.heading ? { heading: shape.heading } : {}),
      ...(notes[index]!.length > 0 ? { notes: notes[index] } : {}),
      ...(pictures[index]!.length > 0 ? { pictures: pictures[index] } : {}),
      ...(shape.section !== undefined ? { section: shape.section } : {}),
    });
  });
  for (const block of blocks)
    if (block.kind === "table")
      for (const row of block.rows) for (let i = 0; i < row.length; i++) row[i] ??= "";
  return blocks;
}

/** Whether `w:evenAndOddHeaders` is on: without it, even-page headers and footers are never shown. */
function evenAndOddHeaders(zip: ZipArchive): boolean {
  let even = false;
  if (zip.entries.has("word/settings.xml"))
    parseXmlPart(zip, "word/settings.xml", {
      open(tag, attributes) {
        if (local(tag) === "evenAndOddHeaders") even = on(attributes);
      },
    });
  return even;
}

const twips = (value: string | undefined) => Math.max(0, Math.round(Number(value) || 0));
const sectionStarts = new Set(["continuous", "evenPage", "oddPage", "nextColumn"]);

/**
 * The visible content of a Word document: the body (text boxes included), every section's headers and footers
 * that show on some page, the footnotes and endnotes it refers to, and the pictures all of these show,
 * tracked changes accepted or rejected as the officer chose. Comments, hidden text, properties and objects
 * are not read, so they cannot be carried over.
 */
export function visibleDocx(zip: ZipArchive, trackedChanges: TrackedChanges): VisibleDocument {
  const styles = hiddenStyles(zip);
  const images: VisibleDocument["images"] = [];
  const imageIndex = new Map<string, number>();
  /** Pictures of a part, resolved through the part's own relationships. */
  const pictureResolver = (part: string) => {
    const rels = relationships(zip, part.replace(/([^/]+)$/, "_rels/$1.rels"));
    return (reference: PictureReference): Picture | undefined => {
      const rel = rels.get(reference.id);
      if (!rel || rel.external || rel.type !== "image" || !zip.entries.has(rel.target)) return undefined;
      const key = `${rel.target}|${JSON.stringify(reference.crop ?? null)}`;
      let image = imageIndex.get(key);
      if (image === undefined) {
        image = images.length;
        images.push({ part: rel.target, ...(reference.crop ? { crop: reference.crop } : {}) });
        imageIndex.set(key, image);
      }
      return {
        image,
        width: reference.width,
        height: reference.height,
        description: altText(reference.description),
      };
    };
  };
  const body = readWordPart(zip, "word/document.xml", styles);
  const rels = relationships(zip, "word/_rels/document.xml.rels");
  const numbers = { footnote: new Map<string, number>(), endnote: new Map<string, number>() };
  const noteNumber = (reference: NoteReference) => {
    const map = numbers[reference.kind];
    let number = map.get(reference.id);
    if (number === undefined) {
      number = map.size + 1;
      map.set(reference.id, number);
    }
    return number;
  };
  const blocks = visibleBlocks(body, trackedChanges, noteNumber, pictureResolver("word/document.xml"));
  const even = evenAndOddHeaders(zip);
  const parts = new Map<string, Block[]>();
  const sections: Section[] = body.sections.map((properties) => {
    const section: Section = { headers: [], footers: [], titlePage: properties.titlePage };
    for (const reference of properties.references) {
      const target = rels.get(reference.id)?.target;
      if (!target || !zip.entries.has(target)) continue;
      // A first-page header shows only with a title page, an even-page one only with even and odd headers.
      if (reference.type === "first" && !properties.titlePage) continue;
      if (reference.type === "even" && !even) continue;
      const type = reference.type === "first" || reference.type === "even" ? reference.type : "default";
      let partBlocks = parts.get(target);
      if (!partBlocks) {
        partBlocks = visibleBlocks(
          readWordPart(zip, target, styles),
          trackedChanges,
          noteNumber,
          pictureResolver(target),
        );
        parts.set(target, partBlocks);
      }
      (reference.kind === "header" ? section.headers : section.footers).push({ type, blocks: partBlocks });
    }
    const { page, margins } = properties;
    if (page["w:w"] && page["w:h"])
      section.page = {
        width: twips(page["w:w"]),
        height: twips(page["w:h"]),
        landscape: page["w:orient"] === "landscape",
      };
    if (margins["w:top"] !== undefined)
      section.margins = {
        top: Math.round(Number(margins["w:top"]) || 0),
        right: twips(margins["w:right"]),
        bottom: Math.round(Number(margins["w:bottom"]) || 0),
        left: twips(margins["w:left"]),
        header: twips(margins["w:header"]),
        footer: twips(margins["w:footer"]),
        gutter: twips(margins["w:gutter"]),
      };
    if (properties.type && sectionStarts.has(properties.type))
      section.start = properties.type as NonNullable<Section["start"]>;
    return section;
  });
  const notes = (kind: NoteReference["kind"]) => {
    const part = `word/${kind}s.xml`;
    if (numbers[kind].size === 0 || !zip.entries.has(part)) return [];
    const read = readWordPart(zip, part, styles);
    const picture = pictureResolver(part);
    // Notes are numbered as the body meets them; a note inside a note is not a thing Word makes.
    return [...numbers[kind].entries()]
      .sort((a, b) => a[1] - b[1])
      .map(([id]) => visibleBlocks(read, trackedChanges, () => 0, picture, id));
  };
  return {
    body: blocks,
    sections,
    evenAndOddHeaders: even,
    footnotes: notes("footnote"),
    endnotes: notes("endnote"),
    images,
  };
}

/**
 * The clean copy of a Word document: its visible content written as a new document, each picture's image
 * cleaned of its metadata (and a picture that cannot be made safe refused, by name).
 */
export async function cleanDocx(zip: ZipArchive, trackedChanges: TrackedChanges): Promise<Uint8Array> {
  const document = visibleDocx(zip, trackedChanges);
  const images: DocumentImage[] = [];
  for (const { part, crop } of document.images) {
    const bytes = zip.read(part)!;
    // A metafile is refused whether cropped or not; any other picture is redrawn to its crop.
    images.push(
      crop && !/^(emf|wmf)$/.test(pictureFormat(part, bytes))
        ? await cropPicture(part, bytes, crop)
        : await cleanPicture(part, bytes),
    );
  }
  return writeDocx(document, images);
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
          if (key === "srcRect" && ["l", "t", "r", "b"].some((edge) => Number(attributes[edge]) > 0))
            findings.push({
              kind: "hidden-text",
              where: `slide ${number(part)}, a cropped picture`,
              detail: "the picture is cropped: the parts cut off are still in the file",
            });
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
  findings.push(...pictureFindings(zip, "ppt/media/"));
  const rest = ooxmlPackageFindings(zip);
  return { findings: [...findings, ...rest.findings], embedded: rest.embedded };
}
