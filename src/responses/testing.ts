import { unzipSync } from "fflate";
import { gangsReplyInput } from "./examples/gangs.ts";
import { type Reply, type ReplyInput, replySchema } from "./reply.ts";

// Test support: drafts built from the gangs example, and the text of rendered PDFs and Word files.

/** A reply parsed from a copy of the gangs example after `change` has edited it. */
export function draftFrom(change: (input: ReplyInput) => void = () => {}): Reply {
  const input = structuredClone(gangsReplyInput);
  change(input);
  return replySchema.parse(input);
}

const windows1252 = new TextDecoder("windows-1252");

function decodeHex(hex: string): string {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return windows1252.decode(bytes);
}

/**
 * The text of an uncompressed pdfkit PDF, one line per text operation, joined with spaces: pdfkit writes
 * each line as `[<hex> kerning <hex> …] TJ`, hex-encoded in Windows-1252.
 */
export function pdfText(pdf: Uint8Array): string {
  const source = new TextDecoder("latin1").decode(pdf);
  const lines: string[] = [];
  for (const operation of source.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    lines.push(
      [...(operation[1] ?? "").matchAll(/<([0-9a-fA-F]*)>/g)].map((hex) => decodeHex(hex[1] ?? "")).join(""),
    );
  }
  return normaliseSpace(lines.join(" "));
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
