import { FileRefused } from "./findings.ts";
import type { ZipArchive } from "./zip.ts";

export interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>, selfClosing: boolean): void;
  close?(name: string): void;
  text?(text: string): void;
}

class NotWellFormed extends Error {}

const entities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, entity: string) => {
    if (entity[0] === "#") {
      const code = entity[1] === "x" ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return entities[entity] ?? whole;
  });
}

const isSpace = (code: number) => code === 32 || code === 10 || code === 9 || code === 13;

/**
 * The attributes of a tag, read between `from` and `to` by hand: a million-cell sheet has millions of tags,
 * and this is several times faster than a regular expression over each.
 */
function readAttributes(buffer: string, from: number, to: number): Record<string, string> {
  const attributes: Record<string, string> = {};
  let i = from;
  while (i < to) {
    while (i < to && isSpace(buffer.charCodeAt(i))) i++;
    if (i >= to) break;
    const nameStart = i;
    while (i < to && buffer.charCodeAt(i) !== 61 /* = */ && !isSpace(buffer.charCodeAt(i))) i++;
    const name = buffer.slice(nameStart, i);
    while (i < to && isSpace(buffer.charCodeAt(i))) i++;
    if (buffer.charCodeAt(i) !== 61) continue; // a name without a value: not XML, skipped
    i++;
    while (i < to && isSpace(buffer.charCodeAt(i))) i++;
    const quote = buffer.charCodeAt(i);
    if (quote !== 34 && quote !== 39) break;
    const close = buffer.indexOf(quote === 34 ? '"' : "'", i + 1);
    if (close < 0 || close > to) break;
    if (name !== "") attributes[name] = decodeEntities(buffer.slice(i + 1, close));
    i = close + 1;
  }
  return attributes;
}

/**
 * A small streaming XML tokenizer: tags, attributes and text, fed in chunks. Office parts are machine-written,
 * so it checks only what matters to reading them safely (tags close in order, nothing is left unclosed); it
 * is several times faster than a validating parser on million-cell sheets, and memory stays one chunk.
 */
export class XmlStream {
  private buffer = "";
  private readonly stack: string[] = [];
  private readonly handlers: XmlHandlers;
  constructor(handlers: XmlHandlers) {
    this.handlers = handlers;
  }

  write(text: string): void {
    this.buffer += text;
    this.drain();
  }

  close(): void {
    this.drain();
    if (this.buffer.trim() !== "" || this.stack.length > 0) throw new NotWellFormed();
  }

  private drain(): void {
    const buffer = this.buffer;
    const { open, close, text } = this.handlers;
    let position = 0;
    for (;;) {
      const lt = buffer.indexOf("<", position);
      if (lt < 0) break;
      if (lt > position && text && this.stack.length > 0) text(decodeEntities(buffer.slice(position, lt)));
      const next = buffer.charCodeAt(lt + 1);
      let end: number;
      if (next === 33 /* ! */) {
        if (buffer.startsWith("<!--", lt)) {
          end = buffer.indexOf("-->", lt + 4);
          if (end < 0) break;
          position = end + 3;
        } else if (buffer.startsWith("<![CDATA[", lt)) {
          end = buffer.indexOf("]]>", lt + 9);
          if (end < 0) break;
          if (text) text(buffer.slice(lt + 9, end));
          position = end + 3;
        } else {
          end = buffer.indexOf(">", lt);
          if (end < 0) break;
          position = end + 1;
        }
        continue;
      }
      if (next === 63 /* ? */) {
        end = buffer.indexOf("?>", lt + 2);
        if (end < 0) break;
        position = end + 2;
        continue;
      }
      end = tagEnd(buffer, lt + 1);
      if (end < 0) break;
      if (next === 47 /* / */) {
        const name = buffer.slice(lt + 2, end).trim();
        if (this.stack.pop() !== name) throw new NotWellFormed();
        if (close) close(name);
      } else {
        const selfClosing = buffer.charCodeAt(end - 1) === 47;
        const bodyEnd = selfClosing ? end - 1 : end;
        let nameEnd = lt + 1;
        while (nameEnd < bodyEnd && !isSpace(buffer.charCodeAt(nameEnd))) nameEnd++;
        const name = buffer.slice(lt + 1, nameEnd);
        if (name === "") throw new NotWellFormed();
        if (open) open(name, readAttributes(buffer, nameEnd, bodyEnd), selfClosing);
        if (selfClosing) {
          if (close) close(name);
        } else this.stack.push(name);
      }
      position = end + 1;
    }
    this.buffer = buffer.slice(position);
  }
}

/** The index of the `>` ending a tag that starts at `from`, skipping quoted attribute values; -1 if not yet. */
function tagEnd(buffer: string, from: number): number {
  let quote = 0;
  for (let i = from; i < buffer.length; i++) {
    const code = buffer.charCodeAt(i);
    if (quote) {
      if (code === quote) quote = 0;
    } else if (code === 34 || code === 39) quote = code;
    else if (code === 62) return i;
  }
  return -1;
}

/** Streams one part of an archive through the tokenizer: memory does not grow with the part. */
export function parseXmlPart(zip: ZipArchive, part: string, handlers: XmlHandlers): void {
  const parser = new XmlStream(handlers);
  const decoder = new TextDecoder();
  try {
    zip.stream(part, (chunk) => parser.write(decoder.decode(chunk, { stream: true })));
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    if (error instanceof NotWellFormed)
      throw new FileRefused(`the file is damaged: part ${part} is not well-formed XML`);
    throw error;
  }
}

/**
 * `parseXmlPart` for the parts that grow with the file (a workbook's sheets and shared strings): unpacked by
 * the platform's zlib in 64 KB pieces. A handler may throw `StopReading` when it has read all it needs.
 */
export async function parseXmlPartAsync(zip: ZipArchive, part: string, handlers: XmlHandlers): Promise<void> {
  const parser = new XmlStream(handlers);
  const decoder = new TextDecoder();
  try {
    for await (const chunk of zip.chunks(part)) parser.write(decoder.decode(chunk, { stream: true }));
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    if (error instanceof StopReading) return;
    if (error instanceof NotWellFormed)
      throw new FileRefused(`the file is damaged: part ${part} is not well-formed XML`);
    throw error;
  }
}

/** Thrown by a handler of `parseXmlPartAsync` to stop reading a part early, as if it had ended. */
export class StopReading extends Error {}

/** The local name of a prefixed XML name: `w:t` → `t`. */
export function local(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to drop
const notXmlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      // Characters XML 1.0 cannot carry are dropped rather than written as an invalid file.
      .replace(notXmlCharacters, "")
  );
}

/** The targets of a relationships part (`_rels/*.rels`), by id, resolved against the part's folder. */
export function relationships(
  zip: ZipArchive,
  relsPart: string,
): Map<string, { target: string; type: string; external: boolean }> {
  const result = new Map<string, { target: string; type: string; external: boolean }>();
  if (!zip.entries.has(relsPart)) return result;
  const base = relsPart.replace(/_rels\/[^/]*\.rels$/, "");
  parseXmlPart(zip, relsPart, {
    open(name, attributes) {
      if (local(name) !== "Relationship" || !attributes.Id || !attributes.Target) return;
      const external = attributes.TargetMode === "External";
      result.set(attributes.Id, {
        target: external ? attributes.Target : resolvePart(base, attributes.Target),
        type: (attributes.Type ?? "").replace(/^.*\//, ""),
        external,
      });
    },
  });
  return result;
}

export function resolvePart(base: string, target: string): string {
  const segments = (target.startsWith("/") ? target.slice(1) : base + target).split("/");
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === "..") out.pop();
    else if (segment !== "." && segment !== "") out.push(segment);
  }
  return out.join("/");
}

/** An element of a small part read whole (a slide, a relationships part): for filtering and writing back. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
}

/** Reads a part into a tree. Only for parts that are small by nature (slides, rels); sheets are streamed. */
export function readXmlTree(zip: ZipArchive, part: string): XmlElement {
  const root: XmlElement = { name: "", attributes: {}, children: [] };
  const stack: XmlElement[] = [root];
  parseXmlPart(zip, part, {
    open(name, attributes) {
      const element: XmlElement = { name, attributes, children: [] };
      stack[stack.length - 1]!.children.push(element);
      stack.push(element);
    },
    text(text) {
      stack[stack.length - 1]!.children.push(text);
    },
    close() {
      stack.pop();
    },
  });
  const element = root.children.find((child): child is XmlElement => typeof child !== "string");
  if (!element) throw new FileRefused(`the file is damaged: part ${part} has no content`);
  return element;
}

/** Writes a tree back as a standalone XML part. */
export function writeXmlTree(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'];
  const write = (element: XmlElement) => {
    out.push(`<${element.name}`);
    for (const [name, value] of Object.entries(element.attributes))
      out.push(` ${name}="${escapeXml(value)}"`);
    if (element.children.length === 0) {
      out.push("/>");
      return;
    }
    out.push(">");
    for (const child of element.children)
      if (typeof child === "string") out.push(escapeXml(child));
      else write(child);
    out.push(`</${element.name}>`);
  };
  write(root);
  return out.join("");
}

/** The tree without the elements `drop` refuses (each taken out with everything inside it). */
export function filterXmlTree(element: XmlElement, drop: (element: XmlElement) => boolean): XmlElement {
  return {
    ...element,
    children: element.children
      .filter((child) => typeof child === "string" || !drop(child))
      .map((child) => (typeof child === "string" ? child : filterXmlTree(child, drop))),
  };
}
