import { excerpt, FileRefused, type Finding } from "./findings.ts";

// MuPDF (AGPL-3.0) is the PDF engine because its redaction removes the text, images and vector art under an
// area from the content streams themselves (pdf_redact_page), which the ICO's guidance asks for; it is loaded
// on first use so that commands and pages that never touch a PDF do not pay for its WebAssembly.
type MuPdf = typeof import("mupdf");
let engine: Promise<MuPdf> | undefined;
export function pdfEngine(): Promise<MuPdf> {
  engine ??= import("mupdf").then((mupdf) => {
    mupdf.setLog(null); // repair warnings about damaged files are ours to report, not to print
    return mupdf;
  });
  return engine;
}

type Rect = [number, number, number, number];
type PDFDocument = import("mupdf").PDFDocument;
type PDFPage = import("mupdf").PDFPage;
type PDFObject = import("mupdf").PDFObject;
type Matrix = import("mupdf").Matrix;

export function isPdf(bytes: Uint8Array): boolean {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  return head.includes("%PDF-");
}

async function openPdf(bytes: Uint8Array): Promise<{ mupdf: MuPdf; doc: PDFDocument }> {
  const mupdf = await pdfEngine();
  let doc: PDFDocument;
  try {
    doc = mupdf.Document.openDocument(bytes, "application/pdf") as PDFDocument;
  } catch {
    throw new FileRefused("the file is damaged: it cannot be read as a PDF");
  }
  if (doc.needsPassword()) throw new FileRefused("the file is encrypted or password-protected");
  return { mupdf, doc };
}

/** One glyph as drawn, with what would keep a reader from seeing it. */
interface Glyph {
  text: string;
  box: Rect;
  order: number;
  hidden?: string;
}

interface Fill {
  box: Rect;
  order: number;
  rgb: string | undefined;
  image: boolean;
}

const contains = (outer: Rect, x: number, y: number) =>
  x >= outer[0] && x <= outer[2] && y >= outer[1] && y <= outer[3];
const intersect = (a: Rect, b: Rect): Rect => [
  Math.max(a[0], b[0]),
  Math.max(a[1], b[1]),
  Math.min(a[2], b[2]),
  Math.min(a[3], b[3]),
];
const union = (a: Rect, b: Rect): Rect => [
  Math.min(a[0], b[0]),
  Math.min(a[1], b[1]),
  Math.max(a[2], b[2]),
  Math.max(a[3], b[3]),
];

function rgbKey(components: number[] | undefined): string | undefined {
  if (!components) return undefined;
  let rgb: number[];
  if (components.length === 1) rgb = [components[0]!, components[0]!, components[0]!];
  else if (components.length === 3) rgb = components;
  else if (components.length === 4) {
    const [c, m, y, k] = components as [number, number, number, number];
    rgb = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)];
  } else return undefined;
  return rgb.map((value) => Math.round(Math.max(0, Math.min(1, value)) * 15).toString(16)).join("");
}

/** A text object as drawn, with what it needs for its glyphs to be checked after the page has run. */
interface TextDraw {
  text: import("mupdf").Text;
  ctm: Matrix;
  why: string | undefined;
  rgb: string | undefined;
  clip: Rect;
  bounds: Rect;
  order: number;
  /** How many fills were drawn before it (what may lie under it). */
  fillsBefore: number;
}

const overlaps = (a: Rect, b: Rect) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
const within = (inner: Rect, outer: Rect) =>
  inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];

/**
 * Whether anything could hide part of a text object: a reason it is unseen, glyphs near the page's or clip's
 * edge, white text, or a fill of its own colour under it or any fill over it. Only such text is walked glyph
 * by glyph (one call from MuPDF per glyph); ordinary text is one box. MuPDF bounds text by its glyphs'
 * outlines, which may miss the point each glyph is judged by (a third of the way up the letter): the margin
 * of the box's own height and 12 points covers that for any run with a letter in it, and for a lone full
 * stop, the flattest common glyph (measured at 48 points: its point lies 0.8 points outside its box, the
 * margin is 39 points).
 */
function mightHide(draw: TextDraw, fills: readonly Fill[], page: Rect): boolean {
  const [x0, y0, x1, y1] = draw.bounds;
  if (draw.why || draw.rgb === "fff" || !(x1 >= x0 && y1 >= y0)) return true;
  const pad = 12 + (y1 - y0);
  const reach: Rect = [x0 - pad, y0 - pad, x1 + pad, y1 + pad];
  if (!within(reach, intersect(page, draw.clip))) return true;
  for (const fill of fills)
    if (overlaps(fill.box, reach) && (fill.order > draw.order || fill.rgb === draw.rgb)) return true;
  return false;
}

/** Each glyph of a text object, with why a reader would not see it, if they would not. */
function walkGlyphs(draw: TextDraw, fills: readonly Fill[], page: Rect, glyphs: Glyph[]): void {
  const { ctm, rgb, why, clip: area, order } = draw;
  draw.text.walk({
    showGlyph(_font, trm, _glyph, unicode) {
      // trm × ctm, written out: this runs for every glyph walked.
      const m = [
        trm[0] * ctm[0]! + trm[1] * ctm[2]!,
        trm[0] * ctm[1]! + trm[1] * ctm[3]!,
        trm[2] * ctm[0]! + trm[3] * ctm[2]!,
        trm[2] * ctm[1]! + trm[3] * ctm[3]!,
        trm[4] * ctm[0]! + trm[5] * ctm[2]! + ctm[4]!,
        trm[4] * ctm[1]! + trm[5] * ctm[3]! + ctm[5]!,
      ] as const;
      const size = Math.max(1, Math.hypot(m[2], m[3]));
      const x = 0.3 * m[0] + 0.35 * m[2] + m[4];
      const y = 0.3 * m[1] + 0.35 * m[3] + m[5];
      const box: Rect = [
        Math.min(m[4], x * 2 - m[4]),
        y - size / 2,
        Math.max(m[4], x * 2 - m[4]),
        y + size / 2,
      ];
      let hidden = why;
      if (!hidden && !contains(page, x, y)) hidden = "off the page";
      else if (!hidden && !contains(area, x, y)) hidden = "clipped out of sight";
      else if (!hidden && rgb !== undefined) {
        let background = "fff";
        for (let i = draw.fillsBefore - 1; i >= 0; i--)
          if (contains(fills[i]!.box, x, y)) {
            background = fills[i]!.rgb ?? "";
            break;
          }
        if (rgb === background) hidden = "text the colour of its background";
      }
      glyphs.push({
        text: unicode > 0 ? String.fromCodePoint(unicode) : "",
        box,
        order,
        ...(hidden ? { hidden } : {}),
      });
    },
  });
}

/**
 * What a page draws, in order: its glyphs (with why each is hidden, if it is) and each opaque fill and image.
 * Text nothing could hide stands as one blank glyph with its box, which ends any run of hidden or covered
 * glyphs as its own glyphs would. `run` plays the page's content into a device (the page's own contents, or
 * a display list made of them once and shared with the text search).
 */
function analysePage(
  mupdf: MuPdf,
  bounds: Rect,
  run: (device: import("mupdf").Device) => void,
): { glyphs: Glyph[]; fills: Fill[]; bounds: Rect } {
  const draws: TextDraw[] = [];
  const fills: Fill[] = [];
  const clips: Rect[] = [];
  const groups: boolean[] = []; // whether each open group lets what is below show through
  let masking = 0;
  let tiling = 0;
  let order = 0;
  const stroke = new mupdf.StrokeState({ lineCap: "Butt", lineJoin: "Miter", lineWidth: 0, miterLimit: 10 });
  const clip = () => clips.reduce<Rect>((area, rect) => intersect(area, rect), [-1e9, -1e9, 1e9, 1e9]);
  const seeThrough = () => groups.some(Boolean) || tiling > 0;
  // The objects MuPDF hands over are references it has kept for us: each is let go as soon as it is read, so
  // a long document does not wait on the garbage collector to free their memory.
  const addText = (
    text: import("mupdf").Text,
    ctm: Matrix,
    why: string | undefined,
    colour: number[] | undefined,
  ) => {
    if (masking > 0) {
      text.destroy();
      return;
    }
    draws.push({
      text,
      ctm,
      why,
      // One colour for the whole text object: worked out once, not per glyph.
      rgb: colour ? rgbKey(colour) : undefined,
      clip: clip(),
      bounds: text.getBounds(stroke, ctm) as Rect,
      order: order++,
      fillsBefore: fills.length,
    });
  };
  const clipBy = (
    shape: { getBounds(s: typeof stroke, m: Matrix): number[]; destroy(): void },
    ctm: Matrix,
  ) => {
    clips.push(shape.getBounds(stroke, ctm) as Rect);
    shape.destroy();
  };
  const device = new mupdf.Device({
    fillPath(path, _evenOdd, ctm, space, colour, alpha) {
      space.destroy();
      if (!(masking > 0 || alpha < 0.95 || seeThrough())) {
        const box = intersect(path.getBounds(stroke, ctm) as Rect, clip());
        if (box[2] > box[0] && box[3] > box[1])
          fills.push({ box, order: order++, rgb: rgbKey(colour), image: false });
      }
      path.destroy();
    },
    fillImage(image, ctm, alpha) {
      // (MuPDF.js hands images over without a reference of their own: they are not ours to let go.)
      if (masking > 0 || alpha < 0.95 || seeThrough() || image.getMask()) return;
      const box = intersect(mupdf.Rect.transform([0, 0, 1, 1], ctm) as Rect, clip());
      if (box[2] > box[0] && box[3] > box[1])
        fills.push({ box, order: order++, rgb: undefined, image: true });
    },
    fillText(text, ctm, space, colour, alpha) {
      space.destroy();
      addText(text, ctm, alpha < 0.05 ? "transparent text" : undefined, colour);
    },
    strokeText(text, lineStroke, ctm, space, colour, alpha) {
      lineStroke.destroy();
      space.destroy();
      addText(text, ctm, alpha < 0.05 ? "transparent text" : undefined, colour);
    },
    ignoreText(text, ctm) {
      addText(text, ctm, "invisible text", undefined);
    },
    clipText(text, ctm) {
      clipBy(text, ctm);
    },
    clipStrokeText(text, lineStroke, ctm) {
      lineStroke.destroy();
      clipBy(text, ctm);
    },
    clipPath(path, _evenOdd, ctm) {
      clipBy(path, ctm);
    },
    clipStrokePath(path, lineStroke, ctm) {
      lineStroke.destroy();
      clipBy(path, ctm);
    },
    clipImageMask(_image, ctm) {
      clips.push(mupdf.Rect.transform([0, 0, 1, 1], ctm) as Rect);
    },
    popClip() {
      clips.pop();
    },
    beginMask(_area, _luminosity, space) {
      space.destroy();
      masking++;
    },
    endMask() {
      masking--;
      clips.push([-1e9, -1e9, 1e9, 1e9]); // the mask is popped like a clip
    },
    beginGroup(_area, space, _isolated, _knockout, blend, alpha) {
      space.destroy();
      groups.push(alpha < 0.95 || blend !== "Normal");
    },
    endGroup() {
      groups.pop();
    },
    beginTile() {
      tiling++;
      return 0;
    },
    endTile() {
      tiling--;
    },
  });
  const glyphs: Glyph[] = [];
  try {
    run(device);
    device.close();
    for (const draw of draws)
      if (mightHide(draw, fills, bounds)) walkGlyphs(draw, fills, bounds, glyphs);
      else glyphs.push({ text: "", box: draw.bounds, order: draw.order });
  } finally {
    for (const draw of draws) draw.text.destroy();
    device.destroy();
    stroke.destroy();
  }
  return { glyphs, fills, bounds };
}

/** Glyphs under an opaque shape or image drawn after them: a black box over text that is still there. */
function coveredGlyphs(glyphs: Glyph[], fills: Fill[]): Map<Glyph, Fill> {
  const covered = new Map<Glyph, Fill>();
  if (fills.length === 0) return covered;
  for (const glyph of glyphs) {
    if (glyph.hidden || glyph.text.trim() === "") continue;
    const x = (glyph.box[0] + glyph.box[2]) / 2;
    const y = (glyph.box[1] + glyph.box[3]) / 2;
    for (let i = fills.length - 1; i >= 0; i--) {
      const fill = fills[i]!;
      if (fill.order < glyph.order) break;
      if (contains(fill.box, x, y)) {
        covered.set(glyph, fill);
        break;
      }
    }
  }
  return covered;
}

/** Runs of glyphs on one line sharing a reason, as findings with their box. */
function glyphRuns(
  page: number,
  glyphs: readonly Glyph[],
  reasonOf: (glyph: Glyph) => string | undefined,
): { reason: string; text: string; box: Rect }[] {
  const runs: { reason: string; text: string; box: Rect }[] = [];
  let current: { reason: string; text: string; box: Rect } | undefined;
  for (const glyph of glyphs) {
    const reason = reasonOf(glyph);
    if (!reason) {
      current = undefined;
      continue;
    }
    const sameLine =
      current &&
      current.reason === reason &&
      Math.abs((current.box[1] + current.box[3]) / 2 - (glyph.box[1] + glyph.box[3]) / 2) <
        (glyph.box[3] - glyph.box[1]) / 2;
    if (current && sameLine) {
      current.text += glyph.text;
      current.box = union(current.box, glyph.box);
    } else {
      current = { reason, text: glyph.text, box: glyph.box };
      runs.push(current);
    }
  }
  void page;
  return runs.filter((run) => run.text.trim() !== "");
}

const boxWords = (box: Rect) => `box ${box.map((n) => Math.round(n)).join(",")}`;

function objectText(obj: PDFObject): string {
  try {
    if (!obj.isStream()) return obj.toString(true).slice(0, 200);
    const content = obj.readStream().asString();
    const strings = [...content.matchAll(/\(((?:\\.|[^\\)])*)\)/g)].map((match) => match[1]);
    return strings.length > 0 ? strings.join(" ") : `${content.length} bytes`;
  } catch {
    return "";
  }
}

/** Object numbers reachable from the trailer: what the current version of the file uses. */
function reachableObjects(doc: PDFDocument): Set<number> {
  const seen = new Set<number>();
  const stack: PDFObject[] = [doc.getTrailer()];
  while (stack.length > 0) {
    const obj = stack.pop()!;
    if (obj.isIndirect()) {
      const number = obj.asIndirect();
      if (seen.has(number)) continue;
      seen.add(number);
    }
    const value = resolved(obj);
    if (value.isDictionary() || value.isArray())
      value.forEach((child) => {
        stack.push(child);
      });
  }
  return seen;
}

/** The object an indirect reference points at (mupdf's null object cannot resolve itself). */
function resolved(obj: PDFObject): PDFObject {
  return obj.isNull() ? obj : obj.resolve();
}

/** A page's annotations, form fields, covered text and hidden text, as findings. */
function inspectPage(mupdf: MuPdf, page: PDFPage, number: number, findings: Finding[]): void {
  for (const annot of page.getAnnotations()) {
    const type = annot.getType();
    if (type === "Link" || type === "Popup" || type === "Widget") continue;
    const words = [annot.getContents(), annot.hasAuthor() ? annot.getAuthor() : ""]
      .filter(Boolean)
      .join(" — ");
    findings.push({
      kind: "annotation",
      where: `page ${number}, ${type} annotation, ${boxWords(annot.getBounds() as Rect)}`,
      detail: excerpt(
        type === "Redact"
          ? `a redaction marked but not applied${words ? `: ${words}` : ""}`
          : words || `a ${type} annotation`,
      ),
    });
  }
  for (const widget of page.getWidgets()) {
    const obj = widget.getObject();
    const name = obj.get("T").isString() ? obj.get("T").asString() : "field";
    const value = resolved(obj.get("V"));
    findings.push({
      kind: "form-field",
      where: `page ${number}, field ${name}`,
      detail: excerpt(
        value.isString() ? value.asString() : value.isName() ? value.asName() : "an empty form field",
      ),
    });
  }
  const { glyphs, fills } = analysePage(mupdf, page.getBounds() as Rect, (device) =>
    page.runPageContents(device, mupdf.Matrix.identity),
  );
  const covered = coveredGlyphs(glyphs, fills);
  for (const run of glyphRuns(number, glyphs, (glyph) => (covered.has(glyph) ? "covered" : undefined)))
    findings.push({
      kind: "covered-text",
      where: `page ${number}, ${boxWords(run.box)}`,
      detail: excerpt(`under a box: ${run.text}`),
    });
  for (const run of glyphRuns(number, glyphs, (glyph) => glyph.hidden))
    findings.push({
      kind: "hidden-text",
      where: `page ${number}, ${boxWords(run.box)}`,
      detail: excerpt(`${run.reason}: ${run.text}`),
    });
}

const quietInfoKeys = new Set(["Producer", "Creator", "CreationDate", "ModDate", "Trapped"]);

export interface PdfInspection {
  findings: Finding[];
  embedded: { name: string; bytes: Uint8Array }[];
}

/** Finds fake redactions, hidden text, metadata, attachments, annotations, old revisions, scripts and fields. */
export async function inspectPdf(bytes: Uint8Array): Promise<PdfInspection> {
  const { mupdf, doc } = await openPdf(bytes);
  const findings: Finding[] = [];
  const embedded: PdfInspection["embedded"] = [];
  try {
    const info = resolved(doc.getTrailer().get("Info"));
    if (info.isDictionary())
      info.forEach((value, key) => {
        const text = value.isString() ? value.asString() : "";
        if (!quietInfoKeys.has(String(key)) && text.trim() !== "")
          findings.push({ kind: "metadata", where: `document information ${key}`, detail: excerpt(text) });
      });
    const root = resolved(doc.getTrailer().get("Root"));
    const xmp = resolved(root.get("Metadata"));
    if (xmp.isStream()) {
      const xml = xmp.readStream().asString();
      const values = [...xml.matchAll(/>([^<>]*[^<>\s][^<>]*)</g)].map((match) => match[1]!.trim());
      findings.push({
        kind: "metadata",
        where: "XMP metadata",
        detail: excerpt(values.join(", ") || "an XMP packet"),
      });
    }
    for (const [name, spec] of Object.entries(doc.getEmbeddedFiles())) {
      findings.push({
        kind: "attachment",
        where: `attached file ${name}`,
        detail: `an attached file: ${name}`,
      });
      const contents = doc.getEmbeddedFileContents(spec);
      if (contents) embedded.push({ name, bytes: contents.asUint8Array().slice() });
    }
    const pages = doc.countPages();
    for (let index = 0; index < pages; index++) {
      // One page at a time, let go before the next: memory follows the largest page, not the file.
      const page = doc.loadPage(index);
      try {
        inspectPage(mupdf, page, index + 1, findings);
      } finally {
        page.destroy();
      }
    }
    let scripts = 0;
    const reachable = reachableObjects(doc);
    const count = doc.countObjects();
    for (let number = 1; number < count; number++) {
      const obj = resolved(doc.newIndirect(number));
      if (obj.isNull()) continue;
      if (obj.isDictionary()) {
        const s = obj.get("S");
        if ((s.isName() && s.asName() === "JavaScript") || !obj.get("JS").isNull()) scripts++;
        const type = obj.get("Type");
        if (type.isName() && (type.asName() === "XRef" || type.asName() === "ObjStm")) continue;
      }
      // An unused object matters only if it can hold something: a stream, or a string (empty leftovers such as
      // the blank dictionary some writers leave behind hold nothing).
      if (!reachable.has(number) && (obj.isStream() || /\(|<[0-9A-Fa-f]/.test(obj.toString(true))))
        findings.push({
          kind: "old-revision",
          where: `object ${number}, which nothing in the file refers to`,
          detail: excerpt(objectText(obj) || "an unused object"),
        });
    }
    if (scripts > 0)
      findings.push({
        kind: "javascript",
        where: "document",
        detail: `${scripts} script action${scripts === 1 ? "" : "s"}`,
      });
    const versions = doc.countVersions();
    if (versions > 1)
      findings.push({
        kind: "old-revision",
        where: "incremental updates",
        detail: `${versions - 1} earlier version${versions === 2 ? "" : "s"} saved inside the file`,
      });
  } finally {
    doc.destroy();
  }
  return { findings, embedded };
}

/** An area to remove from a page (PDF points from the top left, as the page is shown), with its label. */
export interface RedactionArea {
  page: number;
  rect: Rect;
  label?: string;
}

export interface PdfCleaning {
  /** Spans of each page's text to remove (start, end offsets in `pageText`), e.g. phrases and patterns. */
  find?: (pageText: string) => Iterable<[number, number]>;
  areas?: readonly RedactionArea[];
  /** Written in each box made by `find` or `areas` (e.g. the exemption, "s.40(2)"). */
  label?: string;
}

export interface CleanedPdf {
  bytes: Uint8Array;
  /** Areas truly redacted, by page, with what they covered (for the officer's record, never published). */
  redacted: { page: number; rect: Rect; label?: string }[];
}

type StructuredText = import("mupdf").StructuredText;

/** A page's text with the box of each character (lines end in "\n", which has no box). */
function pageText(stext: StructuredText): { text: string; boxes: (Rect | undefined)[] } {
  let text = "";
  const boxes: (Rect | undefined)[] = [];
  stext.walk({
    onChar(c, _origin, _font, _size, quad) {
      const box: Rect = [
        Math.min(quad[0], quad[2], quad[4], quad[6]),
        Math.min(quad[1], quad[3], quad[5], quad[7]),
        Math.max(quad[0], quad[2], quad[4], quad[6]),
        Math.max(quad[1], quad[3], quad[5], quad[7]),
      ];
      for (const _ of c) boxes.push(box);
      text += c;
    },
    endLine() {
      text += "\n";
      boxes.push(undefined);
    },
  });
  return { text, boxes };
}

/** A box over one line of found text: the middle band of its height, so the lines above and below stay. */
function lineBand(line: Rect): Rect {
  const band = (line[3] - line[1]) * 0.2;
  return [line[0], line[1] + band, line[2], line[3] - band];
}

const maxSearchHits = 500; // mupdf.js returns at most this many hits for one search

/**
 * The areas of a page's text that `find` picks out. The page's text is read whole and each distinct string
 * found is searched for by MuPDF itself (its hits' boxes come back in one call); only a match that runs over a
 * line break, or a string found too often to trust the search's cap, walks the page character by character.
 */
function foundAreas(stext: StructuredText, find: NonNullable<PdfCleaning["find"]>): Rect[] {
  const text = stext.asText();
  const needles = new Set<string>();
  for (const [start, end] of find(text)) {
    const found = text.slice(start, end);
    if (found.includes("\n")) return walkedAreas(stext, find);
    if (found.trim() !== "") needles.add(found);
  }
  const areas: Rect[] = [];
  for (const needle of needles) {
    const hits = stext.search(needle, {});
    if (hits.reduce((sum, hit) => sum + hit.length, 0) >= maxSearchHits) return walkedAreas(stext, find);
    for (const hit of hits)
      for (const quad of hit)
        areas.push(
          lineBand([
            Math.min(quad[0], quad[2], quad[4], quad[6]),
            Math.min(quad[1], quad[3], quad[5], quad[7]),
            Math.max(quad[0], quad[2], quad[4], quad[6]),
            Math.max(quad[1], quad[3], quad[5], quad[7]),
          ]),
        );
  }
  return areas;
}

/** The areas `find` picks out, from every character's own box (slower: one call per character). */
function walkedAreas(stext: StructuredText, find: NonNullable<PdfCleaning["find"]>): Rect[] {
  const { text, boxes: charBoxes } = pageText(stext);
  const areas: Rect[] = [];
  for (const [start, end] of find(text)) {
    let line: Rect | undefined;
    for (let i = start; i <= end; i++) {
      const box = i < end ? charBoxes[i] : undefined;
      if (box) line = line ? union(line, box) : box;
      else if (line) {
        // A character's box is taller than the line spacing; its middle band removes this line's glyphs
        // without touching the lines above and below.
        areas.push(lineBand(line));
        line = undefined;
      }
    }
  }
  return areas;
}

/**
 * One page of the clean copy: its annotations and fields gone, fake redactions and hidden text taken out of
 * its content, and the officer's areas, phrases and patterns truly redacted and labelled. The page's text is
 * read once for all the phrases and patterns; a page with nothing to take out is not redacted (saving
 * sanitizes every page's content all the same). `labelFont` is the one font every label uses.
 */
function cleanPage(
  mupdf: MuPdf,
  doc: PDFDocument,
  page: PDFPage,
  number: number,
  options: PdfCleaning,
  labelFont: () => PDFObject,
): CleanedPdf["redacted"] {
  for (const annot of page.getAnnotations()) page.deleteAnnotation(annot);
  for (const widget of page.getWidgets()) page.deleteAnnotation(widget);
  const boxes: { rect: Rect; label?: string; hiddenOnly: boolean }[] = [];
  const { glyphs, fills } = analysePage(mupdf, page.getBounds() as Rect, (device) =>
    page.runPageContents(device, mupdf.Matrix.identity),
  );
  const covered = coveredGlyphs(glyphs, fills);
  for (const fill of new Set(covered.values())) boxes.push({ rect: fill.box, hiddenOnly: false });
  for (const glyph of glyphs)
    if (glyph.hidden && glyph.text.trim() !== "") boxes.push({ rect: glyph.box, hiddenOnly: true });
  if (options.find) {
    const stext = page.toStructuredText("preserve-whitespace");
    try {
      for (const rect of foundAreas(stext, options.find))
        boxes.push({ rect, label: options.label, hiddenOnly: false });
    } finally {
      stext.destroy();
    }
  }
  for (const area of options.areas ?? [])
    if (area.page === number)
      boxes.push({ rect: area.rect, label: area.label ?? options.label, hiddenOnly: false });
  const redacted: CleanedPdf["redacted"] = [];
  // Hidden text is taken out on its own (nothing visible shares its box); boxes over visible content
  // take out the text, pixels and line art under them and leave a black box, as the ICO recommends.
  const hidden = boxes.filter((box) => box.hiddenOnly);
  const visible = boxes.filter((box) => !box.hiddenOnly);
  if (hidden.length > 0) {
    for (const box of hidden) page.createAnnotation("Redact").setRect(box.rect);
    page.applyRedactions(
      false,
      mupdf.PDFPage.REDACT_IMAGE_NONE,
      mupdf.PDFPage.REDACT_LINE_ART_NONE,
      mupdf.PDFPage.REDACT_TEXT_REMOVE,
    );
  }
  if (visible.length > 0) {
    for (const box of visible) page.createAnnotation("Redact").setRect(box.rect);
    page.applyRedactions(
      true,
      mupdf.PDFPage.REDACT_IMAGE_PIXELS,
      mupdf.PDFPage.REDACT_LINE_ART_REMOVE_IF_COVERED,
      mupdf.PDFPage.REDACT_TEXT_REMOVE,
    );
    labelBoxes(
      mupdf,
      doc,
      page,
      visible.filter((box) => box.label),
      labelFont,
    );
    for (const box of visible)
      redacted.push({ page: number, rect: box.rect, ...(box.label ? { label: box.label } : {}) });
  }
  const pageObject = page.getObject();
  for (const key of ["AA", "Metadata", "PieceInfo", "Annots", "Thumb"]) pageObject.delete(key);
  return redacted;
}

/**
 * The clean copy of a PDF, rewritten whole: no earlier versions or unused objects, metadata, attachments,
 * annotations, scripts or form fields (their values are flattened into the page first), every fake redaction
 * and hidden text removed from the content itself, and the officer's redactions applied and labelled.
 */
export async function cleanPdf(bytes: Uint8Array, options: PdfCleaning = {}): Promise<CleanedPdf> {
  const { mupdf, doc } = await openPdf(bytes);
  const redacted: CleanedPdf["redacted"] = [];
  try {
    doc.bake(false, true); // form fields' appearances become page content, then the fields go
    let font: PDFObject | undefined;
    const labelFont = () => {
      font ??= doc.addSimpleFont(new mupdf.Font("Helvetica"));
      return font;
    };
    const pages = doc.countPages();
    for (let index = 0; index < pages; index++) {
      const page = doc.loadPage(index);
      try {
        redacted.push(...cleanPage(mupdf, doc, page, index + 1, options, labelFont));
      } finally {
        page.destroy();
      }
    }
    const trailer = doc.getTrailer();
    trailer.delete("Info");
    const root = resolved(trailer.get("Root"));
    for (const key of [
      "Info", // not where the standard puts it, but where MuPDF's own new files do: a document information dictionary all the same
      "Metadata",
      "Names",
      "OpenAction",
      "AA",
      "AcroForm",
      "Outlines",
      "PieceInfo",
      "StructTreeRoot",
      "MarkInfo",
      "Threads",
      "SpiderInfo",
      "Perms",
      "Legal",
    ])
      root.delete(key);
    const out = doc.saveToBuffer("garbage=deduplicate,compress,sanitize");
    return { bytes: out.asUint8Array().slice(), redacted };
  } finally {
    doc.destroy();
  }
}

/** Writes each label in white on its black box, in the page's own coordinates, after what the page draws. */
function labelBoxes(
  mupdf: MuPdf,
  doc: PDFDocument,
  page: PDFPage,
  boxes: readonly { rect: Rect; label?: string }[],
  labelFont: () => PDFObject,
): void {
  if (boxes.length === 0) return;
  const pageObject = page.getObject();
  const resources = pageObject.getInheritable("Resources");
  const fonts = resources.get("Font");
  const font = labelFont();
  if (fonts.isNull()) resources.put("Font", doc.newDictionary());
  resources.get("Font").put("FoiRedactionLabel", font);
  const toPdf = mupdf.Matrix.invert(page.getTransform());
  const pdfString = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, "?");
  const lines = boxes.map((box) => {
    const [x0, y0, x1, y1] = mupdf.Rect.transform(box.rect, toPdf);
    const height = Math.abs(y1 - y0);
    const width = Math.abs(x1 - x0);
    const label = box.label ?? "";
    const size = Math.max(3, Math.min(height * 0.7, 10, (width / Math.max(1, label.length)) * 1.8));
    return `BT /FoiRedactionLabel ${size.toFixed(2)} Tf 1 1 1 rg ${(Math.min(x0, x1) + 1).toFixed(2)} ${(Math.min(y0, y1) + (height - size * 0.7) / 2).toFixed(2)} Td (${pdfString(label)}) Tj ET`;
  });
  const before = doc.addStream("q\n", {});
  const after = doc.addStream(`Q\n${lines.join("\n")}\n`, {});
  const contents = pageObject.get("Contents");
  const list = doc.newArray();
  list.push(before);
  if (resolved(contents).isArray())
    resolved(contents).forEach((item) => {
      list.push(item);
    });
  else if (!contents.isNull()) list.push(contents);
  list.push(after);
  pageObject.put("Contents", list);
}

/** Every character of the PDF's text, page by page (what the phrase and requester checks read). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const { doc } = await openPdf(bytes);
  try {
    const pages: string[] = [];
    for (let index = 0; index < doc.countPages(); index++) {
      const page = doc.loadPage(index);
      const stext = page.toStructuredText("preserve-whitespace");
      pages.push(pageText(stext).text);
      stext.destroy();
      page.destroy();
    }
    return pages.join("\n\f");
  } finally {
    doc.destroy();
  }
}

export interface PageSize {
  width: number;
  height: number;
}

/** Each page's size in points, as shown (rotation applied). */
function pageSizes(doc: PDFDocument): PageSize[] {
  const sizes: PageSize[] = [];
  for (let index = 0; index < doc.countPages(); index++) {
    const page = doc.loadPage(index);
    const [x0, y0, x1, y1] = page.getBounds();
    page.destroy();
    sizes.push({ width: x1 - x0, height: y1 - y0 });
  }
  return sizes;
}

/** One page (from 1) of an open PDF as a PNG, `scale` pixels to the point. */
function renderPage(mupdf: MuPdf, doc: PDFDocument, number: number, scale: number): Uint8Array {
  if (!Number.isInteger(number) || number < 1 || number > doc.countPages())
    throw new FileRefused(`the file has no page ${number}`);
  const page = doc.loadPage(number - 1);
  try {
    const pixmap = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, true);
    try {
      return pixmap.asPNG().slice();
    } finally {
      pixmap.destroy();
    }
  } finally {
    page.destroy();
  }
}

/** Each page's size in points, as shown (rotation applied): what the officer marks areas against. */
export async function pdfPageSizes(bytes: Uint8Array): Promise<PageSize[]> {
  const { doc } = await openPdf(bytes);
  try {
    return pageSizes(doc);
  } finally {
    doc.destroy();
  }
}

/** One page (from 1) as a PNG, `scale` pixels to the point, for marking areas on it. */
export async function renderPdfPage(bytes: Uint8Array, page: number, scale: number): Promise<Uint8Array> {
  const { mupdf, doc } = await openPdf(bytes);
  try {
    return renderPage(mupdf, doc, page, scale);
  } finally {
    doc.destroy();
  }
}

interface OpenPdf {
  doc: PDFDocument;
  sizes: PageSize[];
  bytes: number;
}

/**
 * PDFs kept open for drawing their pages one by one (the redaction page asks for every page's image): each
 * file is read and parsed once, not once an image. Keyed by the file's hash; the least recently used file is
 * closed (its MuPDF memory freed) when more than `maxFiles` are open or their bytes pass `maxBytes`.
 */
export class PdfPageCache {
  readonly #open = new Map<string, OpenPdf>();
  readonly #maxFiles: number;
  readonly #maxBytes: number;

  constructor(limits: { maxFiles?: number; maxBytes?: number } = {}) {
    this.#maxFiles = limits.maxFiles ?? 4;
    this.#maxBytes = limits.maxBytes ?? 256 * 1024 * 1024;
  }

  /** Each page's size in points, as shown: what the officer marks areas against. */
  pageSizes(hash: string, bytes: Uint8Array): Promise<PageSize[]> {
    return this.#use(hash, bytes, (_mupdf, open) => open.sizes);
  }

  /** One page (from 1) as a PNG, `scale` pixels to the point. */
  render(hash: string, bytes: Uint8Array, page: number, scale: number): Promise<Uint8Array> {
    return this.#use(hash, bytes, (mupdf, open) => renderPage(mupdf, open.doc, page, scale));
  }

  /** Closes every file (when the app stops). */
  close(): void {
    for (const { doc } of this.#open.values()) doc.destroy();
    this.#open.clear();
  }

  /**
   * Runs `use` on the open file, opening it first if need be. `use` runs without a pause after the file is
   * found, so no other request can close the file while it is being drawn.
   */
  async #use<T>(hash: string, bytes: Uint8Array, use: (mupdf: MuPdf, open: OpenPdf) => T): Promise<T> {
    const mupdf = await pdfEngine();
    const kept = this.#open.get(hash);
    if (kept) {
      this.#open.delete(hash); // most recently used last
      this.#open.set(hash, kept);
      return use(mupdf, kept);
    }
    const { doc } = await openPdf(bytes);
    // Another request may have opened the same file meanwhile: one copy is kept, the other closed.
    const raced = this.#open.get(hash);
    if (raced) {
      doc.destroy();
      return use(mupdf, raced);
    }
    let entry: OpenPdf;
    try {
      entry = { doc, sizes: pageSizes(doc), bytes: bytes.length };
    } catch (error) {
      doc.destroy();
      throw error;
    }
    this.#open.set(hash, entry);
    let total = [...this.#open.values()].reduce((sum, open) => sum + open.bytes, 0);
    for (const [key, open] of this.#open) {
      if (this.#open.size <= this.#maxFiles && total <= this.#maxBytes) break;
      if (key === hash) continue; // the file just asked for stays, however large
      open.doc.destroy();
      this.#open.delete(key);
      total -= open.bytes;
    }
    return use(mupdf, entry);
  }
}
