import { excerpt, type Finding } from "./findings.ts";
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
