import { SaxesParser, type SaxesTagPlain } from "saxes";
import { FileRefused } from "./findings.ts";
import type { ZipArchive } from "./zip.ts";

export interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>, selfClosing: boolean): void;
  close?(name: string): void;
  text?(text: string): void;
}

/** Streams one part of an archive through a SAX parser: memory does not grow with the part. */
export function parseXmlPart(zip: ZipArchive, part: string, handlers: XmlHandlers): void {
  const parser = new SaxesParser();
  if (handlers.open) {
    const open = handlers.open;
    parser.on("opentag", (tag: SaxesTagPlain) =>
      open(tag.name, tag.attributes as Record<string, string>, tag.isSelfClosing),
    );
  }
  if (handlers.close) {
    const close = handlers.close;
    parser.on("closetag", (tag: SaxesTagPlain) => close(tag.name));
  }
  if (handlers.text) {
    const text = handlers.text;
    parser.on("text", text);
    parser.on("cdata", text);
  }
  const decoder = new TextDecoder();
  try {
    zip.stream(part, (chunk) => parser.write(decoder.decode(chunk, { stream: true })));
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    if (error instanceof FileRefused) throw error;
    throw new FileRefused(`the file is damaged: part ${part} is not well-formed XML`);
  }
}

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
