import { excerpt, FileRefused, type Finding } from "./findings.ts";
import { escapeXml, local, XmlStream } from "./xml.ts";
import { concat } from "./zip.ts";

/** TIFF tags that say who, where or with what (TIFF 6.0; Exif 2.32; GPS IFD). */
const tagNames: Record<number, string> = {
  270: "description",
  271: "camera make",
  272: "camera model",
  305: "software",
  306: "date and time",
  315: "artist",
  316: "computer",
  700: "XMP",
  33432: "copyright",
  33723: "IPTC",
  34665: "Exif",
  34853: "GPS position",
  37510: "user comment",
  42016: "image unique id",
  42032: "camera owner",
  42033: "camera serial number",
};

interface TiffReader {
  little: boolean;
  u16(at: number): number;
  u32(at: number): number;
}

function tiffReader(bytes: Uint8Array, base: number): TiffReader | undefined {
  const order = String.fromCharCode(bytes[base] ?? 0, bytes[base + 1] ?? 0);
  if (order !== "II" && order !== "MM") return undefined;
  const little = order === "II";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const safe = (at: number, size: number) => base + at >= 0 && base + at + size <= bytes.length;
  return {
    little,
    u16: (at) => (safe(at, 2) ? view.getUint16(base + at, little) : 0),
    u32: (at) => (safe(at, 4) ? view.getUint32(base + at, little) : 0),
  };
}

function asciiAt(bytes: Uint8Array, from: number, length: number): string {
  return new TextDecoder("latin1")
    .decode(bytes.subarray(from, Math.min(bytes.length, from + length)))
    .replace(/\0+$/, "");
}

/** The metadata tags of a TIFF structure (a TIFF file, or the Exif block of a JPEG or PNG). */
function tiffMetadata(bytes: Uint8Array, base: number, where: string): Finding[] {
  const reader = tiffReader(bytes, base);
  if (!reader) return [];
  const findings: Finding[] = [];
  const seen = new Set<number>();
  const readIfd = (offset: number, depth: number) => {
    if (offset === 0 || seen.has(offset) || depth > 3 || base + offset + 2 > bytes.length) return;
    seen.add(offset);
    const count = Math.min(reader.u16(offset), 500);
    for (let i = 0; i < count; i++) {
      const entry = offset + 2 + i * 12;
      const tag = reader.u16(entry);
      const type = reader.u16(entry + 2);
      const length = reader.u32(entry + 4);
      const name = tagNames[tag];
      if (tag === 34665) readIfd(reader.u32(entry + 8), depth + 1);
      if (!name || tag === 34665) continue;
      if (tag === 34853) {
        findings.push({
          kind: "metadata",
          where: `${where} GPS position`,
          detail: gpsPosition(bytes, base, reader, reader.u32(entry + 8)),
        });
        continue;
      }
      let value = `${length} bytes`;
      if (type === 2)
        value = asciiAt(
          bytes,
          length <= 4 ? base + entry + 8 : base + reader.u32(entry + 8),
          Math.min(length, 200),
        );
      findings.push({ kind: "metadata", where: `${where} ${name}`, detail: excerpt(value || name) });
    }
  };
  readIfd(reader.u32(4), 0);
  return findings;
}

function gpsPosition(bytes: Uint8Array, base: number, reader: TiffReader, offset: number): string {
  const values = new Map<number, number[] | string>();
  const count = Math.min(reader.u16(offset), 64);
  for (let i = 0; i < count; i++) {
    const entry = offset + 2 + i * 12;
    const tag = reader.u16(entry);
    const type = reader.u16(entry + 2);
    if (type === 2) values.set(tag, asciiAt(bytes, base + entry + 8, 2));
    else if (type === 5) {
      const at = reader.u32(entry + 8);
      const parts: number[] = [];
      for (let n = 0; n < 3; n++) {
        const denominator = reader.u32(at + n * 8 + 4);
        parts.push(denominator ? reader.u32(at + n * 8) / denominator : 0);
      }
      values.set(tag, parts);
    }
  }
  const coordinate = (ref: number, tag: number) => {
    const parts = values.get(tag);
    if (!Array.isArray(parts)) return undefined;
    const degrees = parts[0]! + parts[1]! / 60 + parts[2]! / 3600;
    const sign = values.get(ref) === "S" || values.get(ref) === "W" ? -1 : 1;
    return (sign * degrees).toFixed(5);
  };
  const latitude = coordinate(1, 2);
  const longitude = coordinate(3, 4);
  return latitude && longitude
    ? `latitude ${latitude}, longitude ${longitude}`
    : "a GPS block (position, time or direction)";
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length > 8 && bytes[0] === 0x89 && asciiAt(bytes, 1, 3) === "PNG";
}
export function isTiff(bytes: Uint8Array): boolean {
  const head = asciiAt(bytes, 0, 2);
  return (
    (head === "II" && bytes[2] === 42 && bytes[3] === 0) ||
    (head === "MM" && bytes[2] === 0 && bytes[3] === 42)
  );
}

interface Segment {
  marker: number;
  start: number;
  end: number;
}

/** The segments before the image data (JPEG: ITU T.81, B.1.1); the rest is kept as it is. */
function jpegSegments(bytes: Uint8Array): { segments: Segment[]; dataStart: number } {
  const segments: Segment[] = [];
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    if (marker === 0xd9 || marker === 0xda) break;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    segments.push({ marker, start: at, end: at + 2 + length });
    at += 2 + length;
  }
  return { segments, dataStart: at };
}

export function inspectJpeg(bytes: Uint8Array): Finding[] {
  const findings: Finding[] = [];
  for (const segment of jpegSegments(bytes).segments) {
    const body = segment.start + 4;
    const head = asciiAt(bytes, body, 40);
    if (segment.marker === 0xe1 && head.startsWith("Exif"))
      findings.push(...tiffMetadata(bytes, body + 6, "Exif"));
    else if (segment.marker === 0xe1 && head.startsWith("http://ns.adobe.com/xap/1.0/"))
      findings.push({
        kind: "metadata",
        where: "XMP",
        detail: excerpt(xmpSummary(asciiAt(bytes, body + 29, segment.end - body - 29))),
      });
    else if (segment.marker === 0xed)
      findings.push({ kind: "metadata", where: "IPTC (Photoshop)", detail: `${segment.end - body} bytes` });
    else if (segment.marker === 0xfe)
      findings.push({
        kind: "metadata",
        where: "comment",
        detail: excerpt(asciiAt(bytes, body, segment.end - body)),
      });
  }
  return findings;
}

/** The text values of an XMP packet, joined: what it says about who made the file. */
function xmpSummary(xml: string): string {
  const values = [...xml.matchAll(/>([^<>]*[^<>\s][^<>]*)</g)].map((match) => match[1]!.trim());
  const attributes = [...xml.matchAll(/\s(?:dc|xmp|photoshop|exif|tiff):(\w+)="([^"]+)"/g)].map(
    (m) => `${m[1]}: ${m[2]}`,
  );
  return [...attributes, ...values].join(", ") || "an XMP packet";
}

/** The JPEG without Exif, XMP, IPTC or comments (colour profiles and Adobe colour transform are kept). */
export function cleanJpeg(bytes: Uint8Array): Uint8Array {
  const { segments, dataStart } = jpegSegments(bytes);
  const kept = segments.filter((segment) => {
    const marker = segment.marker;
    if (marker === 0xfe) return false;
    if (marker < 0xe0 || marker > 0xef) return true;
    const head = asciiAt(bytes, segment.start + 4, 12);
    return (
      (marker === 0xe0 && head.startsWith("JFIF")) ||
      (marker === 0xe2 && head.startsWith("ICC_PROFILE")) ||
      (marker === 0xee && head.startsWith("Adobe"))
    );
  });
  const parts = [
    bytes.subarray(0, 2),
    ...kept.map((segment) => bytes.subarray(segment.start, segment.end)),
    bytes.subarray(dataStart),
  ];
  return concat(parts);
}

function pngChunks(bytes: Uint8Array): { type: string; start: number; end: number; data: Uint8Array }[] {
  const chunks = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = asciiAt(bytes, at + 4, 4);
    const end = at + 12 + length;
    chunks.push({
      type,
      start: at,
      end,
      data: bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length)),
    });
    at = end;
    if (type === "IEND") break;
  }
  return chunks;
}

const pngTextChunks = new Set(["tEXt", "zTXt", "iTXt", "eXIf", "tIME"]);

export function inspectPng(bytes: Uint8Array): Finding[] {
  const findings: Finding[] = [];
  for (const chunk of pngChunks(bytes)) {
    if (!pngTextChunks.has(chunk.type)) continue;
    if (chunk.type === "eXIf") findings.push(...tiffMetadata(chunk.data, 0, "Exif"));
    else if (chunk.type === "tIME")
      findings.push({ kind: "metadata", where: "tIME chunk", detail: "the time the image was last changed" });
    else {
      const keyword = asciiAt(chunk.data, 0, 80).split("\0")[0] ?? "";
      const text =
        chunk.type === "tEXt" ? asciiAt(chunk.data, keyword.length + 1, 400) : `${chunk.data.length} bytes`;
      findings.push({
        kind: "metadata",
        where: `${chunk.type} ${keyword}`,
        detail: excerpt(keyword === "XML:com.adobe.xmp" ? "an XMP packet" : text),
      });
    }
  }
  return findings;
}

/** The PNG without text, Exif or time chunks. */
export function cleanPng(bytes: Uint8Array): Uint8Array {
  const chunks = pngChunks(bytes).filter((chunk) => !pngTextChunks.has(chunk.type));
  const parts = [bytes.subarray(0, 8), ...chunks.map((chunk) => bytes.subarray(chunk.start, chunk.end))];
  return concat(parts);
}

export function inspectTiff(bytes: Uint8Array): Finding[] {
  return tiffMetadata(bytes, 0, "TIFF");
}

// Pictures inside documents and presentations. A picture is visible content and stays in a clean copy, but
// without its metadata; a picture format that can hold text nobody sees, and that cannot be made safe here,
// stops the clean copy with the picture named.

export type PictureFormat = "jpeg" | "png" | "gif" | "bmp" | "tiff" | "svg" | "emf" | "wmf" | "other";

/** A picture's format, from its bytes (the part's name only breaks a tie for compressed metafiles). */
export function pictureFormat(name: string, bytes: Uint8Array): PictureFormat {
  if (isJpeg(bytes)) return "jpeg";
  if (isPng(bytes)) return "png";
  if (isTiff(bytes)) return "tiff";
  if (asciiAt(bytes, 0, 4) === "GIF8") return "gif";
  if (asciiAt(bytes, 0, 2) === "BM") return "bmp";
  // EMF: an EMR_HEADER record whose signature at byte 40 is " EMF" ([MS-EMF] 2.3.4.2).
  if (
    bytes[0] === 1 &&
    bytes[1] === 0 &&
    bytes[2] === 0 &&
    bytes[3] === 0 &&
    asciiAt(bytes, 40, 4) === " EMF"
  )
    return "emf";
  // WMF: a placeable header (0x9AC6CDD7) or a standard one ([MS-WMF] 2.3.2).
  if (
    (bytes[0] === 0xd7 && bytes[1] === 0xcd && bytes[2] === 0xc6 && bytes[3] === 0x9a) ||
    ((bytes[0] === 1 || bytes[0] === 2) && bytes[1] === 0 && bytes[2] === 9 && bytes[3] === 0)
  )
    return "wmf";
  // Office's compressed metafiles (.emz, .wmz) are gzip streams of the same.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b && /\.(emz|wmz)$/i.test(name))
    return /\.emz$/i.test(name) ? "emf" : "wmf";
  const head = new TextDecoder().decode(bytes.subarray(0, 1024)).replace(/^\uFEFF/, "");
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(head)) return "svg";
  return "other";
}

/**
 * The text a metafile draws (EMF EMR_EXTTEXTOUTW/A, [MS-EMF] 2.3.5.8; WMF META_TEXTOUT and META_EXTTEXTOUT,
 * [MS-WMF] 2.3.3.20, 2.3.3.5), for a finding's excerpt: a metafile can draw text clipped away, off its frame or
 * in the background colour, and a viewer shows none of it.
 */
export function metafileText(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  const format = pictureFormat("", bytes);
  if (format === "emf") {
    for (let at = 0, records = 0; at + 8 <= bytes.length && records < 100_000; records++) {
      const type = view.getUint32(at, true);
      const size = view.getUint32(at + 4, true);
      if (size < 8 || at + size > bytes.length) break;
      if ((type === 84 || type === 83) && size >= 76) {
        // EMRTEXT starts at byte 36 of the record: reference point, then nChars and offString.
        const count = view.getUint32(at + 44, true);
        const offset = view.getUint32(at + 48, true);
        const wide = type === 84;
        const start = at + offset;
        const end = Math.min(at + size, start + count * (wide ? 2 : 1));
        if (start < end)
          out.push(new TextDecoder(wide ? "utf-16le" : "latin1").decode(bytes.subarray(start, end)));
      }
      if (type === 14) break; // EMR_EOF
      at += size;
    }
  } else if (format === "wmf") {
    let at = bytes[0] === 0xd7 ? 22 : 0;
    at += view.getUint16(at + 2, true) * 2; // the header's size, in 16-bit words
    for (let records = 0; at + 6 <= bytes.length && records < 100_000; records++) {
      const size = view.getUint32(at, true) * 2;
      const func = view.getUint16(at + 4, true);
      if (size < 6 || at + size > bytes.length) break;
      if (func === 0x0521) {
        const length = view.getUint16(at + 6, true);
        out.push(asciiAt(bytes, at + 8, length));
      } else if (func === 0x0a32 && size >= 14) {
        const length = view.getUint16(at + 10, true);
        const options = view.getUint16(at + 12, true);
        // The string follows the options, after a clipping rectangle when ETO_OPAQUE or ETO_CLIPPED is set.
        out.push(asciiAt(bytes, at + 14 + (options & 0x0006 ? 8 : 0), length));
      }
      if (func === 0) break;
      at += size;
    }
  }
  return out.join(" ").replace(/\s+/g, " ").trim();
}

/** Elements of an SVG that draw nothing and can hold words: taken out of a clean copy with all they hold. */
const svgSilentElements = new Set(["metadata", "title", "desc", "script", "foreignObject"]);
/** One CSS declaration that hides what it styles. */
const svgHiding =
  /^\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*0*(?:\.0*)?)\s*(?:!important\s*)?$/i;

interface SvgNode {
  name: string;
  attributes: Record<string, string>;
  children: (SvgNode | string)[];
}

function readSvg(bytes: Uint8Array): SvgNode {
  const root: SvgNode = { name: "", attributes: {}, children: [] };
  const stack: SvgNode[] = [root];
  const parser = new XmlStream({
    open(name, attributes) {
      const node: SvgNode = { name, attributes, children: [] };
      stack[stack.length - 1]!.children.push(node);
      stack.push(node);
    },
    text(text) {
      stack[stack.length - 1]!.children.push(text);
    },
    close() {
      stack.pop();
    },
  });
  try {
    parser.write(new TextDecoder().decode(bytes));
    parser.close();
  } catch {
    throw new FileRefused("an SVG picture is damaged (not well-formed XML)");
  }
  const svg = root.children.find((child): child is SvgNode => typeof child !== "string");
  if (!svg || local(svg.name) !== "svg") throw new FileRefused("an SVG picture has no <svg> element");
  return svg;
}

/** The class names a stylesheet hides (`.name { display: none }`), so elements of those classes go too. */
function hiddenClasses(svg: SvgNode): Set<string> {
  const classes = new Set<string>();
  const visit = (node: SvgNode) => {
    if (local(node.name) === "style") {
      const css = node.children.filter((child) => typeof child === "string").join("");
      for (const rule of css.matchAll(/([^{}]+)\{([^}]*)\}/g))
        if (rule[2]!.split(";").some((declaration) => svgHiding.test(declaration)))
          for (const name of rule[1]!.matchAll(/\.([\w-]+)/g)) classes.add(name[1]!);
    }
    for (const child of node.children) if (typeof child !== "string") visit(child);
  };
  visit(svg);
  return classes;
}

/** Why an SVG element is not drawn or is not drawing, if it is either. */
function svgElementHidden(node: SvgNode, classes: ReadonlySet<string>): string | undefined {
  const name = local(node.name);
  if (svgSilentElements.has(name)) return `<${name}>`;
  // Editors' own elements (Inkscape, Illustrator, RDF) are not SVG and are not drawn.
  if (node.name.includes(":") && !node.name.startsWith("svg:")) return `<${node.name}>`;
  const a = node.attributes;
  if (a.display === "none" || a.visibility === "hidden" || a.visibility === "collapse")
    return "a hidden element";
  if (a.opacity !== undefined && Number(a.opacity) === 0) return "a transparent element";
  if (a.style?.split(";").some((declaration) => svgHiding.test(declaration))) return "a hidden element";
  if ((a.class ?? "").split(/\s+/).some((name) => classes.has(name))) return "a hidden element";
  return undefined;
}

/** What an SVG holds that is not drawn: metadata, titles, descriptions, scripts, hidden elements, comments. */
export function inspectSvg(bytes: Uint8Array, where: string): Finding[] {
  const svg = readSvg(bytes);
  const classes = hiddenClasses(svg);
  const findings: Finding[] = [];
  const textOf = (node: SvgNode): string =>
    node.children.map((child) => (typeof child === "string" ? child : textOf(child))).join(" ");
  const visit = (node: SvgNode) => {
    for (const child of node.children) {
      if (typeof child === "string") continue;
      const why = svgElementHidden(child, classes);
      if (why) {
        const name = local(child.name);
        findings.push({
          kind: name === "metadata" || child.name.includes(":") ? "metadata" : "hidden-text",
          where: `${where}, ${why}`,
          detail: excerpt(textOf(child).replace(/\s+/g, " ").trim() || why),
        });
      } else visit(child);
    }
  };
  visit(svg);
  if (/<!--/.test(new TextDecoder().decode(bytes)))
    findings.push({ kind: "hidden-text", where: `${where}, a comment`, detail: "text in an XML comment" });
  return findings;
}

const svgKeptAttribute = (name: string) =>
  !/^on/i.test(name) &&
  (!name.includes(":") || name === "xlink:href" || name === "xml:space" || name === "xmlns:xlink");

/**
 * The SVG as it is drawn: without metadata, titles, descriptions, scripts, foreign objects, editors' data,
 * hidden elements, comments or links outside the picture; embedded JPEG and PNG pictures lose their metadata.
 */
export function cleanSvg(bytes: Uint8Array): Uint8Array {
  const svg = readSvg(bytes);
  const classes = hiddenClasses(svg);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  const write = (node: SvgNode) => {
    out.push(`<${node.name}`);
    for (const [name, value] of Object.entries(node.attributes)) {
      if (!svgKeptAttribute(name)) continue;
      let kept = value;
      if (name === "href" || name === "xlink:href") {
        const data = /^data:image\/(png|jpeg);base64,(.*)$/s.exec(value.trim());
        if (data) {
          const picture = new Uint8Array(Buffer.from(data[2]!, "base64"));
          const clean = data[1] === "png" ? cleanPng(picture) : cleanJpeg(picture);
          kept = `data:image/${data[1]};base64,${Buffer.from(clean).toString("base64")}`;
        } else if (!value.startsWith("#")) continue; // a file or address outside the picture
      }
      out.push(` ${name}="${escapeXml(kept)}"`);
    }
    const shown = node.children.filter(
      (child) => typeof child === "string" || !svgElementHidden(child, classes),
    );
    if (shown.length === 0) {
      out.push("/>");
      return;
    }
    out.push(">");
    for (const child of shown)
      if (typeof child === "string") out.push(escapeXml(child));
      else write(child);
    out.push(`</${node.name}>`);
  };
  write(svg);
  return new TextEncoder().encode(out.join(""));
}

const formatNames: Record<PictureFormat, string> = {
  jpeg: "a JPEG",
  png: "a PNG",
  gif: "a GIF",
  bmp: "a bitmap",
  tiff: "a TIFF",
  svg: "an SVG",
  emf: "a Windows metafile (EMF)",
  wmf: "a Windows metafile (WMF)",
  other: "a picture of a kind that cannot be inspected",
};

/** The findings of a picture inside a document or presentation: its metadata, or what it can hide. */
export function inspectPicture(part: string, bytes: Uint8Array): Finding[] {
  const where = `picture ${part}`;
  const format = pictureFormat(part, bytes);
  const prefixed = (findings: Finding[]) =>
    findings.map((finding) => ({ ...finding, where: `${where}: ${finding.where}` }));
  switch (format) {
    case "jpeg":
      return prefixed(inspectJpeg(bytes));
    case "png":
      return prefixed(inspectPng(bytes));
    case "tiff":
      return prefixed(inspectTiff(bytes));
    case "svg":
      try {
        return inspectSvg(bytes, where);
      } catch (error) {
        if (!(error instanceof FileRefused)) throw error;
        return [{ kind: "hidden-text", where, detail: error.message }];
      }
    case "emf":
    case "wmf": {
      const text = bytes[0] === 0x1f ? "" : metafileText(bytes);
      return [
        {
          kind: "hidden-text",
          where,
          detail: excerpt(
            `${formatNames[format]}, which can hold text that is not shown${text ? `: ${text}` : ""}`,
          ),
        },
      ];
    }
    case "other":
      // Sound and video share the media folder; only what is named as a picture is reported as one.
      return /\.(jpe?g|png|gif|bmp|tiff?|svg|emf|wmf|emz|wmz|webp|heic|ico|pict?)$/i.test(part)
        ? [{ kind: "hidden-text", where, detail: `${formatNames[format]}: it cannot be looked inside` }]
        : [];
    default:
      return []; // GIF and BMP pictures are redrawn as PNG in a clean copy
  }
}

export interface CleanPicture {
  bytes: Uint8Array;
  format: "jpeg" | "png" | "svg";
}

/**
 * A picture fit to go out: JPEG and PNG without their metadata, SVG without what it does not draw, GIF, BMP
 * and TIFF redrawn as PNG (MuPDF). A metafile is refused, naming the picture: it can draw text outside its
 * frame or clipped away, and no maintained JavaScript or WebAssembly library reads EMF to redraw it.
 */
export async function cleanPicture(part: string, bytes: Uint8Array): Promise<CleanPicture> {
  const format = pictureFormat(part, bytes);
  const name = part.replace(/^.*\//, "");
  switch (format) {
    case "jpeg":
      return { bytes: cleanJpeg(bytes), format };
    case "png":
      return { bytes: cleanPng(bytes), format };
    case "svg":
      try {
        return { bytes: cleanSvg(bytes), format };
      } catch (error) {
        if (!(error instanceof FileRefused)) throw error;
        throw new FileRefused(`picture ${name}: ${error.message.replace(/^an SVG picture /, "the SVG ")}`);
      }
    case "gif":
    case "bmp":
    case "tiff": {
      const mupdf = await import("mupdf");
      try {
        return { bytes: new mupdf.Image(bytes).toPixmap().asPNG().slice(), format: "png" };
      } catch {
        throw new FileRefused(`picture ${name} is damaged: it cannot be redrawn; replace it with a PNG`);
      }
    }
    case "emf":
    case "wmf":
      throw new FileRefused(
        `picture ${name} is ${formatNames[format]}, which can hold hidden text; replace it with a PNG`,
      );
    default:
      throw new FileRefused(
        `picture ${name} is ${formatNames[format]}, so it cannot be cleaned; replace it with a PNG or JPEG`,
      );
  }
}

/**
 * Office 2007 to 2013 wrote an inserted picture's file path as its description, the user's name in it: that is
 * not alternative text, and it goes. Real alternative text stays: it is what a screen reader says in place
 * of the picture (WCAG 2.2, 1.1.1), and the release checks read it (it is in the copy's text).
 */
export function altText(description: string): string {
  const text = description.trim();
  return /^[a-z]:[\\/]|^\\\\|^\/|^file:|\.(jpe?g|png|gif|bmp|tiff?|emf|wmf|emz|wmz|svg|heic|webp)$/i.test(
    text,
  )
    ? ""
    : text;
}

/** The share of a picture cut off at each edge (0 to 1), as Office's `a:srcRect` gives it. */
export interface Crop {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * A cropped picture as it is seen: only the part inside the crop, redrawn as PNG (MuPDF). Cropping in Office
 * only hides the edges; the whole picture stays in the file, so a copy that keeps it would carry them out.
 */
export async function cropPicture(part: string, bytes: Uint8Array, crop: Crop): Promise<CleanPicture> {
  const mupdf = await import("mupdf");
  const name = part.replace(/^.*\//, "");
  let image: InstanceType<typeof mupdf.Image>;
  try {
    image = new mupdf.Image(bytes);
  } catch {
    throw new FileRefused(`picture ${name} is cropped and cannot be redrawn to leave the cut parts out`);
  }
  const width = image.getWidth();
  const height = image.getHeight();
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  const x0 = Math.round(width * clamp(crop.left));
  const y0 = Math.round(height * clamp(crop.top));
  const x1 = Math.max(x0 + 1, Math.round(width * (1 - clamp(crop.right))));
  const y1 = Math.max(y0 + 1, Math.round(height * (1 - clamp(crop.bottom))));
  const pixmap = new mupdf.Pixmap(mupdf.ColorSpace.DeviceRGB, [0, 0, x1 - x0, y1 - y0], false);
  pixmap.clear(255);
  const device = new mupdf.DrawDevice(mupdf.Matrix.identity, pixmap);
  device.fillImage(image, [width, 0, 0, height, -x0, -y0], 1);
  device.close();
  return { bytes: pixmap.asPNG().slice(), format: "png" };
}

/**
 * A picture cropped by lengths cut off each edge (ODF `fo:clip`, in EMU of the picture at its own size):
 * the part inside, redrawn as PNG. The picture's size comes from its pixels and resolution (96 dpi if none).
 */
export async function clipPicture(
  part: string,
  bytes: Uint8Array,
  clip: { top: number; right: number; bottom: number; left: number },
): Promise<CleanPicture> {
  const mupdf = await import("mupdf");
  let width = 0;
  let height = 0;
  try {
    const image = new mupdf.Image(bytes);
    width = (image.getWidth() / (image.getXResolution() || 96)) * 914_400;
    height = (image.getHeight() / (image.getYResolution() || 96)) * 914_400;
  } catch {
    throw new FileRefused(
      `picture ${part.replace(/^.*\//, "")} is cropped and cannot be redrawn to leave the cut parts out`,
    );
  }
  return cropPicture(part, bytes, {
    left: clip.left / width,
    top: clip.top / height,
    right: clip.right / width,
    bottom: clip.bottom / height,
  });
}
