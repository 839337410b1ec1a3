import { unzipSync } from "fflate";
import { readPackageFile } from "../storage/index.ts";
import { gangsReplyInput } from "./examples/gangs.ts";
import { type LetterFonts, letterFontFiles, parseLetterFonts } from "./pdf-fonts.ts";
import { type Reply, type ReplyInput, replySchema } from "./reply.ts";

// Test support: drafts built from the gangs example, and the text and structure of rendered PDFs and Word
// files.

/** The letter's fonts, read from the npm package as the app reads them (requests/letter-fonts.ts). */
export const testLetterFonts: LetterFonts = parseLetterFonts({
  regular: await readPackageFile(letterFontFiles.regular),
  bold: await readPackageFile(letterFontFiles.bold),
});

/** A reply parsed from a copy of the gangs example after `change` has edited it. */
export function draftFrom(change: (input: ReplyInput) => void = () => {}): Reply {
  const input = structuredClone(gangsReplyInput);
  change(input);
  return replySchema.parse(input);
}

/** One indirect object of an uncompressed PDF: its dictionary (or value) and its stream, if it has one. */
interface PdfObject {
  dictionary: string;
  stream?: string;
}

/** A structure element of a tagged PDF, with the text of its marked content and of its descendants. */
export interface PdfStructure {
  type: string;
  /** The element's own dictionary, e.g. for its /A attributes. */
  dictionary: string;
  text: string;
  children: PdfStructure[];
}

/** What a test reads from an uncompressed pdfkit PDF. */
export interface PdfReading {
  /** Every text operation in page order, joined with spaces. */
  text: string;
  catalog: string;
  /** The information dictionary's entries, as written (PDF strings). */
  info: string;
  metadata: string;
  /** The logical structure (the StructTreeRoot's element), or null for an untagged PDF. */
  structure: PdfStructure | null;
  /** Text drawn inside artifacts (page furniture). */
  artifacts: string[];
  /** Text or painting outside any marked content, which a tagged PDF must not have. */
  untagged: string[];
  /** Every character the fonts' text maps (ToUnicode) give: what the PDF's embedded glyphs stand for. */
  mapped: Set<string>;
  objects: Map<number, PdfObject>;
}

const reference = (dictionary: string, key: string) =>
  Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dictionary)?.[1] ?? Number.NaN);

/** The bfrange arrays of a pdfkit ToUnicode CMap: glyph code to text. */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const range of cmap.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/gi)) {
    let code = Number.parseInt(range[1] ?? "0", 16);
    for (const target of (range[2] ?? "").matchAll(/<([0-9a-f\s]*)>/gi)) {
      const units = (target[1] ?? "").replace(/\s/g, "").match(/.{4}/g) ?? [];
      map.set(code++, String.fromCharCode(...units.map((unit) => Number.parseInt(unit, 16))));
    }
  }
  return map;
}

const contentOperation =
  /\/(?<tag>\w+)\s*<<(?<properties>[^>]*)>>\s*BDC|\/(?<plainTag>\w+)\s+BMC|^(?<end>EMC)$|\/(?<font>[\w.+-]+)\s+[\d.]+\s+Tf|\[(?<shown>(?:<[0-9a-fA-F]*>|[^\]<])*)\]\s*TJ|^(?<paint>[SsfFBb]\*?)$/gm;

/**
 * Reads an uncompressed pdfkit PDF: the text through each font's ToUnicode map (glyph codes are
 * 4-digit hex, Identity-H), the marked content of each page, and the structure tree built on it.
 */
export function readPdf(pdf: Uint8Array): PdfReading {
  const source = new TextDecoder("latin1").decode(pdf);
  const objects = new Map<number, PdfObject>();
  for (const match of source.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) {
    const [dictionary, stream] = (match[2] ?? "").split(/\nstream\n/);
    objects.set(Number(match[1]), {
      dictionary: dictionary ?? "",
      ...(stream === undefined ? {} : { stream: stream.replace(/\nendstream$/, "") }),
    });
  }
  const object = (id: number) => objects.get(id) ?? { dictionary: "" };
  const catalog = [...objects.values()].find((o) => /\/Type \/Catalog/.test(o.dictionary))?.dictionary ?? "";
  const trailerInfo = Number(/\/Info (\d+) 0 R/.exec(source.slice(source.lastIndexOf("trailer")))?.[1]);
  const info = object(trailerInfo)
    .dictionary.replace(/(\d+) 0 R/g, (_, id: string) => object(Number(id)).dictionary)
    .replace(/\s+/g, " ");
  const pages = [
    ...(/\/Kids \[([^\]]*)\]/.exec(object(reference(catalog, "Pages")).dictionary)?.[1] ?? "").matchAll(
      /(\d+) 0 R/g,
    ),
  ].map((match) => Number(match[1]));

  const fonts = new Map<number, Map<number, string>>();
  const marked = new Map<string, string>();
  const lines: string[] = [];
  const artifacts: string[] = [];
  const untagged: string[] = [];
  for (const page of pages) {
    const dictionary = object(page).dictionary;
    const resources = object(reference(dictionary, "Resources")).dictionary;
    const pageFonts = new Map<string, Map<number, string>>();
    for (const [, name, id] of resources.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const fontId = Number(id);
      if (!fonts.has(fontId)) {
        fonts.set(fontId, toUnicode(object(reference(object(fontId).dictionary, "ToUnicode")).stream ?? ""));
      }
      pageFonts.set(name ?? "", fonts.get(fontId) ?? new Map());
    }
    let font = new Map<number, string>();
    const open: { tag: string; mcid?: number }[] = [];
    for (const operation of (object(reference(dictionary, "Contents")).stream ?? "").matchAll(
      contentOperation,
    )) {
      const { tag, properties, plainTag, end, font: fontName, shown, paint } = operation.groups ?? {};
      if (tag !== undefined) {
        const mcid = /\/MCID (\d+)/.exec(properties ?? "")?.[1];
        open.push({ tag, ...(mcid === undefined ? {} : { mcid: Number(mcid) }) });
      } else if (plainTag !== undefined) open.push({ tag: plainTag });
      else if (end !== undefined) open.pop();
      else if (fontName !== undefined) font = pageFonts.get(fontName) ?? new Map();
      else {
        const text =
          shown === undefined
            ? ""
            : [...shown.matchAll(/<([0-9a-fA-F]*)>/g)]
                .flatMap((hex) => (hex[1] ?? "").match(/.{4}/g) ?? [])
                .map((code) => font.get(Number.parseInt(code, 16)) ?? "\ufffd")
                .join("");
        if (shown !== undefined) lines.push(text);
        const inArtifact = open.some((marking) => marking.tag === "Artifact");
        const content = open.findLast((marking) => marking.mcid !== undefined);
        if (inArtifact) artifacts.push(text);
        else if (content?.mcid !== undefined) {
          const key = `${page}:${content.mcid}`;
          marked.set(key, (marked.get(key) ?? "") + text);
        } else untagged.push(shown === undefined ? `painting (${paint})` : text);
      }
    }
  }

  const element = (id: number): PdfStructure => {
    const dictionary = object(id).dictionary.replace(/\s+/g, " ");
    const page = reference(dictionary, "Pg");
    const kids = /\/K \[(.*?)\](?= \/|\s*>>$)/.exec(dictionary)?.[1] ?? "";
    const children: PdfStructure[] = [];
    let text = "";
    for (const [kid] of kids.matchAll(/<<.*?>>|\d+ 0 R|\d+/g)) {
      if (kid.endsWith(" R")) {
        const child = element(Number.parseInt(kid, 10));
        children.push(child);
        text += child.text;
      } else if (kid.startsWith("<<")) {
        const mcid = /\/MCID (\d+)/.exec(kid)?.[1];
        if (mcid !== undefined) text += marked.get(`${reference(kid, "Pg")}:${mcid}`) ?? "";
      } else text += marked.get(`${page}:${kid}`) ?? "";
    }
    return { type: /\/S \/(\w+)/.exec(dictionary)?.[1] ?? "", dictionary, text, children };
  };
  const root = object(reference(catalog, "StructTreeRoot")).dictionary.replace(/\s+/g, " ");
  const top = /\/K \[(\d+) 0 R/.exec(root)?.[1];
  const metadata = object(reference(catalog, "Metadata")).stream ?? "";
  return {
    text: normaliseSpace(lines.join(" ")),
    catalog: catalog.replace(/\s+/g, " "),
    info,
    metadata,
    structure: top === undefined ? null : element(Number(top)),
    artifacts,
    untagged,
    mapped: new Set([...fonts.values()].flatMap((font) => [...font.values()].flatMap((text) => [...text]))),
    objects,
  };
}

/** The text of an uncompressed pdfkit PDF, one line per text operation, joined with spaces. */
export function pdfText(pdf: Uint8Array): string {
  return readPdf(pdf).text;
}

/** Every structure element of the tree, depth first. */
export function structureElements(root: PdfStructure | null): PdfStructure[] {
  return root ? [root, ...root.children.flatMap(structureElements)] : [];
}

const entities: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
  "&quot;": '"',
  "&apos;": "'",
};

/** The text of word/document.xml in a .docx, one paragraph per line. */
export function docxParagraphs(docx: Uint8Array): string[] {
  const files = unzipSync(docx);
  const xml = new TextDecoder().decode(files["word/document.xml"]);
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((paragraph) =>
    [...paragraph[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
      .map((run) =>
        (run[1] ?? "").replace(/&(?:lt|gt|amp|quot|apos);/g, (entity) => entities[entity] ?? entity),
      )
      .join(""),
  );
}

export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
