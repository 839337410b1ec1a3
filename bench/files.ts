// `npm run bench -- files [--cells N] [--pages N]`: release safety at scale. Builds a workbook of about a
// million cells as Excel writes it (about 50 MB: shared strings of varied text that does not compress away,
// styles, five sheets) with a hidden and a very hidden sheet, hidden rows and a hidden column, and a 300-page
// PDF with an email address and phone number on every page; then, each in a fresh process so its memory is
// its own, inspects and cleans the workbook and truly redacts the PDF. Prints one JSON object: sizes, and for
// each step seconds, CPU seconds, the load average, resident memory (MB) once the file is read and at peak.
// `--cells 0` or `--pages 0` leaves that half out. Aim: inspection streams (its memory does not grow with the
// file) and each step takes under 10 s.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Zip, ZipDeflate } from "fflate";
import { seededRandom } from "../src/random.ts";

const encoder = new TextEncoder();
const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * A workbook of about `cells` cells made the way Excel writes it: shared strings (about 50 bytes packed per
 * cell, as a 50 MB workbook of a million cells has), a style sheet with bold, dates and number formats, column
 * widths, row heights and merged cells, properties naming an author, and hidden data of each common kind: a
 * hidden and a very hidden sheet, hidden rows and a hidden column, a hidden defined name and a comment. Parts are
 * streamed into the archive, so building it never holds the sheet XML whole.
 */
function bigWorkbook(cells: number): { bytes: Uint8Array; cells: number; sharedStrings: number } {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  const add = (name: string, text: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    file.push(encoder.encode(xmlHead + text), true);
  };
  /** A part written in pieces: text is gathered and pushed to the compressor a megabyte or so at a time. */
  const streamed = (name: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    let pending: string[] = [];
    let length = 0;
    return {
      write(text: string) {
        pending.push(text);
        length += text.length;
        if (length > 1 << 20) {
          file.push(encoder.encode(pending.join("")));
          pending = [];
          length = 0;
        }
      },
      end() {
        file.push(encoder.encode(pending.join("")), true);
      },
    };
  };
  const random = seededRandom(13);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  // Words drawn from a pool much larger than deflate's 32 KB window, so text packs to about 6 bits a letter.
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const pool = Array.from({ length: 1 << 16 }, () =>
    Array.from({ length: 2 + Math.floor(random() * 9) }, () => pick([...letters])).join(""),
  );
  const sentence = (words: number) => Array.from({ length: words }, () => pick(pool)).join(" ");
  // The shared strings: each distinct text once, in the order first used, as Excel keeps them.
  // Kept as text until the end, where the part is written with its counts first, as Excel writes it.
  const sst: string[] = [];
  let uniqueStrings = 0;
  let stringCells = 0;
  const share = (text: string) => {
    sst.push(`<si><t>${text}</t></si>`);
    return uniqueStrings++;
  };
  const categories = [
    "Open",
    "Closed",
    "Refused",
    "Part disclosed",
    "Withdrawn",
    "Transferred",
    "Lapsed",
  ].map((text) => ({ text, index: -1 }));
  const category = () => {
    const entry = pick(categories);
    if (entry.index < 0) entry.index = share(entry.text);
    stringCells++;
    return entry.index;
  };
  const heading = (text: string) => {
    stringCells++;
    return share(text);
  };
  const unique = (words: number) => {
    stringCells++;
    return share(sentence(words));
  };
  const main =
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  // Style indexes (cellXfs): 0 General, 1 bold, 2 date, 3 money, 4 per cent.
  const [bold, date, money, percent] = [1, 2, 3, 4];
  const s = (column: string, row: number, index: number, style = 0) =>
    `<c r="${column}${row}"${style ? ` s="${style}"` : ""} t="s"><v>${index}</v></c>`;
  const n = (column: string, row: number, value: number | string, style = 0) =>
    `<c r="${column}${row}"${style ? ` s="${style}"` : ""}><v>${value}</v></c>`;
  /** A sheet of `rows` rows after a bold heading row; `row` writes one row's cells. */
  const sheet = (
    part: string,
    headings: string[],
    rows: number,
    row: (r: number) => string,
    options: { cols?: string; hiddenEvery?: number; after?: string } = {},
  ) => {
    const out = streamed(part);
    const columns = "ABCDEFGHIJKLMNOP";
    out.write(
      `${xmlHead}<worksheet ${main}><dimension ref="A1:${columns[headings.length - 1]}${rows + 1}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"/>${options.cols ?? ""}<sheetData><row r="1" spans="1:${headings.length}" ht="20" customHeight="1">${headings.map((text, c) => s(columns[c]!, 1, heading(text), bold)).join("")}</row>`,
    );
    for (let r = 2; r <= rows + 1; r++) {
      const hidden = options.hiddenEvery && r % options.hiddenEvery === 0 ? ' hidden="1"' : "";
      out.write(`<row r="${r}" spans="1:${headings.length}"${hidden}>${row(r)}</row>`);
    }
    out.write(
      `</sheetData>${options.after ?? ""}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`,
    );
    out.end();
  };
  // A million cells: 70% on Cases (10 columns, a hidden one of notes, every 500th row hidden), 25% on
  // Contacts (5 columns), the rest on the hidden Staff sheet; Summary is small, with merged cells.
  const caseRows = Math.max(1, Math.round((cells * 0.7) / 10));
  const contactRows = Math.max(1, Math.round((cells * 0.25) / 5));
  const staffRows = Math.max(1, Math.round((cells * 0.05) / 4));
  const day = () => 44_927 + Math.floor(random() * 1_000);
  sheet(
    "xl/worksheets/sheet1.xml",
    [
      "Reference",
      "Received",
      "Subject",
      "Status",
      "Requester",
      "Case notes",
      "Fee",
      "Share answered",
      "Summary",
      "Officer",
    ],
    caseRows,
    (r) =>
      [
        n("A", r, 100_000 + r),
        n("B", r, day(), date),
        s("C", r, unique(16 + Math.floor(random() * 26))),
        s("D", r, category()),
        s("E", r, unique(2 + Math.floor(random() * 3))),
        s("F", r, unique(12 + Math.floor(random() * 30))),
        n("G", r, (random() * 500).toFixed(2), money),
        n("H", r, random().toFixed(4), percent),
        s("I", r, unique(24 + Math.floor(random() * 40))),
        s("J", r, unique(2)),
      ].join(""),
    {
      cols: '<cols><col min="1" max="2" width="12.7109375" customWidth="1"/><col min="3" max="3" width="40.7109375" customWidth="1"/><col min="6" max="6" width="30" hidden="1" customWidth="1"/><col min="9" max="9" width="60.7109375" customWidth="1"/></cols>',
      hiddenEvery: 500,
      after: '<autoFilter ref="A1:J1"/>',
    },
  );
  sheet(
    "xl/worksheets/sheet2.xml",
    ["Requester", "Organisation", "Address", "Requests", "First contact"],
    contactRows,
    (r) =>
      [
        s("A", r, unique(2 + Math.floor(random() * 2))),
        s("B", r, unique(1 + Math.floor(random() * 4))),
        s("C", r, unique(10 + Math.floor(random() * 16))),
        n("D", r, 1 + Math.floor(random() * 40)),
        n("E", r, day(), date),
      ].join(""),
    { cols: '<cols><col min="1" max="3" width="28.7109375" customWidth="1"/></cols>' },
  );
  sheet(
    "xl/worksheets/sheet3.xml",
    ["Year", "Requests", "Answered in time"],
    4,
    (r) =>
      r === 5
        ? s("A", r, heading("Figures for the four years to March, all requests"))
        : [
            n("A", r, 2020 + r),
            n("B", r, 1000 + r * 37),
            n("C", r, (0.8 + r / 100).toFixed(2), percent),
          ].join(""),
    { after: '<mergeCells count="1"><mergeCell ref="A5:C5"/></mergeCells>' },
  );
  sheet("xl/worksheets/sheet4.xml", ["Name", "Rank", "Unit", "Phone"], staffRows, (r) =>
    [
      s("A", r, unique(2)),
      s("B", r, category()),
      s("C", r, unique(3)),
      n("D", r, 7_000_000_000 + Math.floor(random() * 1e9)),
    ].join(""),
  );
  sheet("xl/worksheets/sheet5.xml", ["Key"], 1, (r) => s("A", r, unique(3)));
  const strings = streamed("xl/sharedStrings.xml");
  strings.write(`${xmlHead}<sst ${main} count="${stringCells}" uniqueCount="${uniqueStrings}">`);
  for (const item of sst) strings.write(item);
  strings.write("</sst>");
  strings.end();
  sst.length = 0;
  const rel = (id: string, type: string, target: string) =>
    `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;
  const sheets = [
    ["Cases", ""],
    ["Contacts", ""],
    ["Summary", ""],
    ["Staff", ' state="hidden"'],
    ["Lookup", ' state="veryHidden"'],
  ] as const;
  add(
    "xl/workbook.xml",
    `<workbook ${main}><workbookPr defaultThemeVersion="166925"/><bookViews><workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15840"/></bookViews><sheets>${sheets
      .map(([name, state], i) => `<sheet name="${name}" sheetId="${i + 1}"${state} r:id="rId${i + 1}"/>`)
      .join(
        "",
      )}</sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">Cases!$A$1:$J$1</definedName><definedName name="StaffPhones" hidden="1">Staff!$D$2:$D$${staffRows + 1}</definedName></definedNames><calcPr calcId="191029"/></workbook>`,
  );
  add(
    "xl/_rels/workbook.xml.rels",
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
      .map((_, i) => rel(`rId${i + 1}`, "worksheet", `worksheets/sheet${i + 1}.xml`))
      .join(
        "",
      )}${rel("rId6", "styles", "styles.xml")}${rel("rId7", "sharedStrings", "sharedStrings.xml")}</Relationships>`,
  );
  add(
    "xl/worksheets/_rels/sheet2.xml.rels",
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel("rId1", "comments", "../comments1.xml")}</Relationships>`,
  );
  add(
    "xl/comments1.xml",
    `<comments ${main}><authors><author>Jo Bloggs</author></authors><commentList><comment ref="B2" authorId="0"><text><r><t>Jo Bloggs: check this one with legal</t></r></text></comment></commentList></comments>`,
  );
  add(
    "xl/styles.xml",
    `<styleSheet ${main}><numFmts count="1"><numFmt numFmtId="164" formatCode="&quot;£&quot;#,##0.00"/></numFmts><fonts count="2"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font><font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
  );
  add(
    "docProps/core.xml",
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Jo Bloggs</dc:creator><cp:lastModifiedBy>Sam Smith</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2023-08-03T09:00:00Z</dcterms:created></cp:coreProperties>',
  );
  add(
    "docProps/app.xml",
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application><Company>Example Constabulary</Company></Properties>',
  );
  add(
    "_rels/.rels",
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel("rId1", "officeDocument", "xl/workbook.xml")}</Relationships>`,
  );
  add(
    "[Content_Types].xml",
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets
      .map(
        (_, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join(
        "",
      )}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/></Types>`,
  );
  zip.end();
  const total = (caseRows + 1) * 10 + (contactRows + 1) * 5 + 5 * 3 + (staffRows + 1) * 4 + 2;
  return { bytes: concat(chunks), cells: total, sharedStrings: uniqueStrings };
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

/**
 * One step in a process of its own: its seconds, CPU seconds (user and system, less sensitive to a busy
 * machine than seconds), the load average as it started, the resident memory (MB) once the file was read and
 * the peak.
 */
function step(kind: string, file: string): { seconds: number; peakMb: number; result: unknown } {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--step", kind, file], {
    maxBuffer: 1 << 24,
  }).toString();
  return JSON.parse(out);
}

async function runStep(kind: string, file: string): Promise<void> {
  const { cleanFile, inspectFile, redactPdf } = await import("../src/files/index.ts");
  const { emailPattern, findUkPhones } = await import("../src/files/index.ts");
  const read = readFileSync(file);
  // A view of the bytes read, not a copy: the file is held once, as the app holds an upload.
  const bytes = new Uint8Array(read.buffer, read.byteOffset, read.length);
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const startMb = Math.round(process.memoryUsage.rss() / 1048576);
  const cpu = process.cpuUsage();
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
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    JSON.stringify({
      seconds: Number(seconds.toFixed(2)),
      cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
      load,
      startMb,
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
    const built = cells > 0 ? bigWorkbook(cells) : undefined;
    if (built) writeFileSync(workbook, built.bytes);
    const pdf = join(folder, "big.pdf");
    if (pages > 0) writeFileSync(pdf, await bigPdf(pages));
    // `--cells 0` or `--pages 0` leaves that half out.
    const report = {
      ...(built && {
        workbook: {
          cells: built.cells,
          sharedStrings: built.sharedStrings,
          megabytes: Number((built.bytes.length / 1e6).toFixed(1)),
        },
        inspectWorkbook: step("inspect", workbook),
        cleanWorkbook: step("clean", workbook),
      }),
      ...(pages > 0 && {
        pdf: { pages, megabytes: Number((readFileSync(pdf).length / 1e6).toFixed(1)) },
        inspectPdf: step("inspect", pdf),
        redactPdf: step("redact", pdf),
      }),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--write")
  writeFileSync(process.argv[3]!, bigWorkbook(Number(process.argv[4])).bytes);
if (process.argv[2] === "--step") await runStep(process.argv[3]!, process.argv[4]!);
