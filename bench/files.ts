// `npm run bench -- files [--cells N] [--pages N]`: release safety at scale. Builds a workbook of about a
// million cells (about 50 MB, random text so it does not compress away) with a hidden sheet, rows and columns,
// and a 300-page PDF with an email address and phone number on every page; then, each in a fresh process so
// its peak memory is its own, inspects and cleans the workbook and truly redacts the PDF. Prints one JSON
// object: sizes, seconds and peak resident memory (MB) of each step. Aim: inspection streams (its memory does
// not grow with the file) and each step takes under 10 s.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Zip, ZipDeflate } from "fflate";
import { seededRandom } from "../src/random.ts";

const encoder = new TextEncoder();

/** A workbook of `cells` cells in 10 columns, written part by part (the sheet streamed into the archive). */
function bigWorkbook(cells: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  const add = (name: string, text: string) => {
    const file = new ZipDeflate(name, { level: 1 });
    zip.add(file);
    file.push(encoder.encode(text), true);
  };
  const main =
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const rel = (id: string, target: string) =>
    `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${target}"/>`;
  add("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  add(
    "xl/workbook.xml",
    `<workbook ${main}><sheets><sheet name="Data" sheetId="1" r:id="rId1"/><sheet name="Staff" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>`,
  );
  add(
    "xl/_rels/workbook.xml.rels",
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel("rId1", "worksheets/sheet1.xml")}${rel("rId2", "worksheets/sheet2.xml")}</Relationships>`,
  );
  add(
    "xl/worksheets/sheet2.xml",
    `<worksheet ${main}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Hidden staff list</t></is></c></row></sheetData></worksheet>`,
  );
  const sheet = new ZipDeflate("xl/worksheets/sheet1.xml", { level: 1 });
  zip.add(sheet);
  sheet.push(encoder.encode(`<worksheet ${main}><cols><col min="3" max="3" hidden="1"/></cols><sheetData>`));
  const random = seededRandom(13);
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const word = (length: number) =>
    Array.from({ length }, () => letters[Math.floor(random() * letters.length)]).join("");
  const columns = "ABCDEFGHIJ";
  const rows = Math.ceil(cells / 10);
  let batch: string[] = [];
  for (let r = 1; r <= rows; r++) {
    const cellsXml = [...columns].map((column, c) =>
      c % 2 === 0
        ? `<c r="${column}${r}" t="inlineStr"><is><t>${word(56)}</t></is></c>`
        : `<c r="${column}${r}"><v>${Math.floor(random() * 1e6)}</v></c>`,
    );
    batch.push(`<row r="${r}"${r % 1000 === 0 ? ' hidden="1"' : ""}>${cellsXml.join("")}</row>`);
    if (batch.length === 1000) {
      sheet.push(encoder.encode(batch.join("")));
      batch = [];
    }
  }
  sheet.push(encoder.encode(`${batch.join("")}</sheetData></worksheet>`), true);
  zip.end();
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

async function bigPdf(pages: number): Promise<Uint8Array> {
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({ autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  for (let page = 1; page <= pages; page++) {
    doc.addPage();
    doc.fontSize(11).text(`Page ${page}. Reply to the request about staffing levels in the control room.`);
    for (let line = 0; line < 30; line++)
      doc.text(
        line === 10
          ? `Contact officer: jo.bloggs${page}@example.org, telephone 020 7946 ${String(page).padStart(4, "0")}.`
          : `Line ${line}: the figures for the year are given in the table that follows, by month and shift.`,
      );
  }
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

/** One step in a process of its own: its seconds and peak resident memory. */
function step(kind: string, file: string): { seconds: number; peakMb: number; result: unknown } {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--step", kind, file], {
    maxBuffer: 1 << 24,
  }).toString();
  return JSON.parse(out);
}

async function runStep(kind: string, file: string): Promise<void> {
  const { cleanFile, inspectFile, redactPdf } = await import("../src/files/index.ts");
  const { emailPattern, findUkPhones } = await import("../src/files/index.ts");
  const bytes = new Uint8Array(readFileSync(file));
  const started = performance.now();
  let result: unknown;
  if (kind === "inspect") {
    const inspection = await inspectFile(file, bytes);
    result = inspection.findings.map((finding) => `${finding.kind}: ${finding.where}`);
  } else if (kind === "clean") {
    const copy = await cleanFile(file, bytes);
    result = { format: copy.format, bytes: copy.bytes.length };
  } else {
    const redacted = await redactPdf(bytes, {
      find: (text) => [
        ...[...text.matchAll(new RegExp(emailPattern.source, "gu"))].map(
          (m) => [m.index, m.index + m[0].length] as [number, number],
        ),
        ...findUkPhones(text),
      ],
      label: "s.40(2)",
    });
    result = { areas: redacted.redacted.length, bytes: redacted.bytes.length };
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    JSON.stringify({
      seconds: Number(seconds.toFixed(2)),
      peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
      result,
    }),
  );
}

export async function main(args: string[]): Promise<void> {
  const option = (name: string, fallback: number) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const cells = option("--cells", 1_000_000);
  const pages = option("--pages", 300);
  const folder = mkdtempSync(join(tmpdir(), "foidesk-bench-files-"));
  try {
    const workbook = join(folder, "big.xlsx");
    writeFileSync(workbook, bigWorkbook(cells));
    const pdf = join(folder, "big.pdf");
    writeFileSync(pdf, await bigPdf(pages));
    const report = {
      workbook: { cells, megabytes: Number((readFileSync(workbook).length / 1e6).toFixed(1)) },
      pdf: { pages, megabytes: Number((readFileSync(pdf).length / 1e6).toFixed(1)) },
      inspectWorkbook: step("inspect", workbook),
      cleanWorkbook: step("clean", workbook),
      inspectPdf: step("inspect", pdf),
      redactPdf: step("redact", pdf),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--write") writeFileSync(process.argv[3]!, bigWorkbook(Number(process.argv[4])));
if (process.argv[2] === "--step") await runStep(process.argv[3]!, process.argv[4]!);
