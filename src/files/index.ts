// Release safety (ICO, "How to disclose information safely", 2018): every file that leaves the building is
// inspected for hidden data, and what goes out is a clean copy. Pure: bytes in, findings or bytes out.
import { cleanCsv, inspectCsv } from "./csv.ts";
import type { TrackedChanges } from "./document-model.ts";
import { cleanDocx, inspectDocx, inspectPptx } from "./docx.ts";
import {
  type FileFormat,
  FileRefused,
  type Finding,
  formatFiles,
  type Inspection,
  nameForFormat,
} from "./findings.ts";
import {
  cleanJpeg,
  cleanPng,
  inspectJpeg,
  inspectPng,
  inspectTiff,
  isJpeg,
  isPng,
  isTiff,
} from "./images.ts";
import { cleanOds, cleanOdt, inspectOds, inspectOdt } from "./odf.ts";
import { cleanPdf, inspectPdf, isPdf, pdfEngine, pdfText } from "./pdf.ts";

export { type PageSize, PdfPageCache, pdfPageSizes, renderPdfPage } from "./pdf.ts";

import { cleanPptx } from "./presentation.ts";
import { inspectXlsx } from "./xlsx.ts";
import { cleanXlsx } from "./xlsx-clean.ts";
import { local, parseXmlPart } from "./xml.ts";
import { isZip, openZip, type ZipArchive } from "./zip.ts";

export type { TrackedChanges } from "./document-model.ts";
export {
  type FileFormat,
  FileRefused,
  type Finding,
  type FindingKind,
  fileFormats,
  findingKinds,
  findingLabels,
  formatFiles,
  type Inspection,
  nameForFormat,
} from "./findings.ts";
export type { CleanedPdf, PdfCleaning, RedactionArea } from "./pdf.ts";
export { defaultZipLimits, type ZipLimits } from "./zip.ts";

const encoder = new TextEncoder();

/** The format of a file, from its bytes (the name only tells CSV from other text). */
export function detectFormat(name: string, bytes: Uint8Array): FileFormat {
  if (isPdf(bytes)) return "pdf";
  if (isJpeg(bytes)) return "jpeg";
  if (isPng(bytes)) return "png";
  if (isTiff(bytes)) return "tiff";
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    const encrypted = new TextDecoder("utf-16le")
      .decode(bytes.subarray(0, Math.min(bytes.length, 1 << 20)))
      .includes("EncryptionInfo");
    throw new FileRefused(
      encrypted
        ? "the file is encrypted or password-protected: it cannot be released until it is saved without a password"
        : "an old Office format (.xls, .doc or .ppt) cannot be inspected: save it as .xlsx, .docx or PDF first",
    );
  }
  if (isZip(bytes)) return zipFormat(openZip(bytes));
  if (/\.(csv|tsv)$/i.test(name)) return "csv";
  if (/\.txt$/i.test(name) && isText(bytes)) return "txt";
  const extension = /\.([^./\\]+)$/.exec(name)?.[1];
  throw new FileRefused(
    `${extension ? `a .${extension} file` : "this kind of file"} cannot be inspected, so it cannot be released until it is converted to PDF, XLSX, ODS, DOCX, ODT, CSV or an image`,
  );
}

function isText(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, 1 << 16));
    return !bytes.subarray(0, 1 << 16).includes(0);
  } catch {
    return false;
  }
}

function zipFormat(zip: ZipArchive): FileFormat {
  const has = (name: string) => zip.entries.has(name);
  if (has("xl/workbook.xml")) return has("xl/vbaProject.bin") ? "xlsm" : "xlsx";
  if (has("word/document.xml")) return has("word/vbaProject.bin") ? "docm" : "docx";
  if (has("ppt/presentation.xml")) return "pptx";
  const mimetype = has("mimetype") ? new TextDecoder().decode(zip.read("mimetype")).trim() : "";
  if (mimetype === "application/vnd.oasis.opendocument.spreadsheet") return "ods";
  if (mimetype === "application/vnd.oasis.opendocument.text") return "odt";
  if (has("EncryptionInfo") || (has("META-INF/manifest.xml") && manifestEncrypted(zip)))
    throw new FileRefused("the file is encrypted or password-protected");
  throw new FileRefused(
    "this kind of ZIP file cannot be inspected, so it cannot be released until it is converted",
  );
}

function manifestEncrypted(zip: ZipArchive): boolean {
  let encrypted = false;
  parseXmlPart(zip, "META-INF/manifest.xml", {
    open(name) {
      if (name === "manifest:encryption-data") encrypted = true;
    },
  });
  return encrypted;
}

const maxDepth = 3;

/** Finds the hidden data in a file, and in every file embedded in it (a workbook in a Word file is a workbook). */
export async function inspectFile(name: string, bytes: Uint8Array, depth = 0): Promise<Inspection> {
  const format = detectFormat(name, bytes);
  let findings: Finding[] = [];
  let embedded: { name: string; bytes: Uint8Array }[] = [];
  const zipped = (inspect: (zip: ZipArchive) => { findings: Finding[]; embedded: typeof embedded }) => {
    const result = inspect(openZip(bytes));
    findings = result.findings;
    embedded = result.embedded;
  };
  if (format.startsWith("xls")) ({ findings, embedded } = await inspectXlsx(openZip(bytes)));
  else if (format.startsWith("doc")) {
    zipped(inspectDocx);
    if (format === "docm" && !findings.some((finding) => finding.kind === "macro"))
      findings.push({ kind: "macro", where: "word/vbaProject.bin", detail: "macro code (VBA project)" });
  } else if (format === "pptx") zipped(inspectPptx);
  else if (format === "ods") zipped(inspectOds);
  else if (format === "odt") zipped(inspectOdt);
  else if (format === "pdf") ({ findings, embedded } = await inspectPdf(bytes));
  else if (format === "jpeg") findings = inspectJpeg(bytes);
  else if (format === "png") findings = inspectPng(bytes);
  else if (format === "tiff") findings = inspectTiff(bytes);
  else if (format === "csv") findings = inspectCsv(new TextDecoder().decode(bytes));
  for (const inner of embedded) {
    if (depth >= maxDepth) break;
    try {
      const nested = await inspectFile(inner.name, inner.bytes, depth + 1);
      for (const finding of nested.findings)
        findings.push({ ...finding, where: `in ${inner.name}: ${finding.where}` });
    } catch (error) {
      if (!(error instanceof FileRefused)) throw error;
      // The embedded file is already a finding; what could not be read of it is said with it.
      findings.push({
        kind: "embedded-object",
        where: inner.name,
        detail: `cannot be looked inside: ${error.message}`,
      });
    }
  }
  return { format, findings };
}

export interface CleanOptions {
  /** How tracked changes in a document are resolved in the clean copy. */
  trackedChanges?: TrackedChanges;
}

export interface CleanCopy {
  format: FileFormat;
  /** The original's name with the extension of the copy's format, and the copy's media type. */
  filename: string;
  mediaType: string;
  bytes: Uint8Array;
  /** What was done, in plain words, for the history. */
  summary: string;
}

/**
 * The clean copy of a file: spreadsheets rebuilt from the visible cells, documents from the visible text,
 * PDFs rewritten whole with fake redactions made true, images without metadata, CSV with formulas defused.
 * The copy is inspected again and refused if anything is still found.
 */
export async function cleanFile(
  name: string,
  bytes: Uint8Array,
  options: CleanOptions = {},
): Promise<CleanCopy> {
  const format = detectFormat(name, bytes);
  const changes = options.trackedChanges ?? "accept";
  let copy: Omit<CleanCopy, "filename" | "mediaType">;
  switch (format) {
    case "xlsx":
    case "xlsm":
      copy = {
        format: "xlsx",
        bytes: await cleanXlsx(openZip(bytes)),
        summary: "rebuilt from the visible cells of the visible sheets",
      };
      break;
    case "ods":
      copy = {
        format,
        bytes: cleanOds(openZip(bytes)),
        summary: "rebuilt from the visible cells of the visible sheets",
      };
      break;
    case "docx":
    case "docm":
      copy = {
        format: "docx",
        bytes: await cleanDocx(openZip(bytes), changes),
        summary: `rebuilt from the visible text, tracked changes ${changes}ed`,
      };
      break;
    case "odt":
      copy = {
        format,
        bytes: await cleanOdt(openZip(bytes), changes),
        summary: `rebuilt from the visible text, tracked changes ${changes}ed`,
      };
      break;
    case "pdf":
      copy = {
        format,
        bytes: (await cleanPdf(bytes)).bytes,
        summary: "rewritten whole without hidden data; covered text removed",
      };
      break;
    case "jpeg":
      copy = { format, bytes: cleanJpeg(bytes), summary: "image metadata removed" };
      break;
    case "png":
      copy = { format, bytes: cleanPng(bytes), summary: "image metadata removed" };
      break;
    case "tiff": {
      const mupdf = await pdfEngine();
      const png = new mupdf.Image(bytes).toPixmap().asPNG();
      copy = { format: "png", bytes: png.slice(), summary: "converted to PNG without metadata" };
      break;
    }
    case "csv":
      copy = {
        format,
        bytes: encoder.encode(cleanCsv(new TextDecoder().decode(bytes))),
        summary: "cells that would run as formulas made text",
      };
      break;
    case "txt":
      copy = { format, bytes, summary: "plain text has nothing hidden" };
      break;
    case "pptx":
      copy = {
        format,
        bytes: await cleanPptx(openZip(bytes)),
        summary:
          "the visible slides only, without speaker notes, comments, hidden shapes or embedded objects",
      };
      break;
  }
  const again = await inspectFile(`clean.${copy.format}`, copy.bytes);
  if (again.findings.length > 0)
    throw new FileRefused(
      `the clean copy still holds ${again.findings[0]!.kind} (${again.findings[0]!.where}): it cannot be made safely`,
    );
  return {
    ...copy,
    filename: nameForFormat(name, copy.format),
    mediaType: formatFiles[copy.format].mediaType,
  };
}

/** Truly redacts a PDF: what is under each area or phrase is removed from the file, and the box labelled. */
export async function redactPdf(
  bytes: Uint8Array,
  options: import("./pdf.ts").PdfCleaning,
): Promise<import("./pdf.ts").CleanedPdf> {
  if (!isPdf(bytes)) throw new FileRefused("only a PDF can be redacted: convert the file to PDF first");
  return cleanPdf(bytes, options);
}

const maxTextLength = 20 * 1024 * 1024;
const inlineElements = new Set([
  "t",
  "r",
  "rPr",
  "delText",
  "instrText",
  "span",
  "s",
  "tab",
  "a",
  "is",
  "rPh",
  "fldSimple",
  "hyperlink",
]);

/**
 * All the text a file holds, hidden or not (every XML part of a package; every page of a PDF): what the
 * requester-identifier check and the redaction phrases read before a file is released.
 */
export async function fileText(name: string, bytes: Uint8Array): Promise<string> {
  const format = detectFormat(name, bytes);
  if (format === "pdf") return pdfText(bytes);
  if (format === "csv" || format === "txt") return new TextDecoder().decode(bytes);
  if (format === "jpeg" || format === "png" || format === "tiff") return "";
  const zip = openZip(bytes);
  const parts: string[] = [];
  let length = 0;
  for (const part of zip.entries.keys()) {
    if (!/\.(xml|rels)$/i.test(part)) continue;
    parseXmlPart(zip, part, {
      open(_name, attributes) {
        // A picture's alternative text is read out in its place, and a clean copy keeps it: it is checked too.
        for (const text of [attributes.descr, attributes.title])
          if (text && length < maxTextLength) {
            parts.push(text, "\n");
            length += text.length;
          }
      },
      text(text) {
        if (length < maxTextLength) {
          parts.push(text);
          length += text.length;
        }
      },
      close(tag) {
        // Runs within a paragraph join up ("Ali" + "ce"); every other element ends a line of its own.
        if (inlineElements.has(local(tag))) return;
        if (length < maxTextLength && parts.length > 0 && parts[parts.length - 1] !== "\n") parts.push("\n");
      },
    });
  }
  return parts.join("");
}
export {
  emailPattern,
  findUkPhones,
  niNumberPattern,
  phraseRegExp,
  postcodePattern,
  type RedactionPattern,
  redactionFinder,
  redactionPatterns,
  regExpMatches,
} from "./personal-data.ts";
