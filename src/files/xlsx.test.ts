import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "../random.ts";
import { writeZip } from "./zip.ts";

const scratch = mkdtempSync(join(tmpdir(), "foidesk-xlsx-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const rels = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';
const type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/**
 * A workbook whose sheet is over 40 MB of XML and whose shared strings about 10 MB, with every 100th row
 * hidden and a hidden sheet: far more than the JavaScript heap a reader is given below (16 MB). Blocks of a
 * thousand rows repeat (rows and cells without references are numbered in order), each block far longer than
 * deflate's window, so the parts pack as varied text does.
 */
function bigWorkbook(): Uint8Array {
  const random = seededRandom(4);
  const word = () => Math.floor(random() * 2 ** 40).toString(36);
  const stringBlock = Array.from(
    { length: 1000 },
    () => `<si><t>${word()} ${word()} ${word()} ${word()}</t></si>`,
  ).join("");
  const rowBlock = Array.from({ length: 1000 }, (_, i) => {
    const cells = Array.from({ length: 10 }, (_, c) =>
      c % 2 === 0
        ? `<c t="s"><v>${Math.floor(random() * 100_000)}</v></c>`
        : `<c s="1"><v>${(random() * 1e9).toFixed(3)}</v></c>`,
    );
    return `<row${(i + 1) % 100 === 0 ? ' hidden="1"' : ""}>${cells.join("")}</row>`;
  }).join("");
  const sheet = `<worksheet ${main}><sheetData>${rowBlock.repeat(160)}</sheetData></worksheet>`;
  expect(sheet.length).toBeGreaterThan(40 * 1024 * 1024);
  return writeZip([
    ["[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
    [
      "xl/workbook.xml",
      `<workbook ${main} xmlns:r="${type}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/><sheet name="Staff" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `<Relationships ${rels}><Relationship Id="rId1" Type="${type}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${type}/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`,
    ],
    ["xl/worksheets/sheet1.xml", sheet],
    [
      "xl/worksheets/sheet2.xml",
      `<worksheet ${main}><sheetData><row><c t="s"><v>99999</v></c></row></sheetData></worksheet>`,
    ],
    ["xl/sharedStrings.xml", `<sst ${main}>${stringBlock.repeat(100)}</sst>`],
  ]);
}

const filesModule = fileURLToPath(new URL("./index.ts", import.meta.url));

/** Runs `body` in a Node process whose JavaScript heap may not grow past `heapMb` (it dies if it does). */
function withHeapLimit(heapMb: number, body: string) {
  return spawnSync(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, "--max-semi-space-size=1", "--input-type=module", "-e", body],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
}

describe("reading a large workbook", () => {
  it("inspects a workbook whose sheet is more than twice the reader's whole heap: nothing is kept per cell", () => {
    const file = join(scratch, "big.xlsx");
    writeFileSync(file, bigWorkbook());
    const read = `import { readFileSync } from "node:fs"; const bytes = new Uint8Array(readFileSync(${JSON.stringify(file)}));`;
    const inspected = withHeapLimit(
      16,
      `${read} const { inspectFile } = await import(${JSON.stringify(filesModule)});
       const { findings } = await inspectFile("big.xlsx", bytes);
       process.stdout.write(JSON.stringify(findings.map((f) => f.kind + ": " + f.where)));`,
    );
    expect(inspected.stderr).toBe("");
    const findings = JSON.parse(inspected.stdout) as string[];
    expect(findings).toContain("hidden-sheet: sheet Staff");
    expect(findings.find((f) => f.startsWith("hidden-row"))).toMatch(/rows 100, 200, .*, 160000$/);
    // The same limit stops a reader that takes the sheet in whole, as a tree: the limit is a real one.
    const whole = withHeapLimit(
      16,
      `${read} const { openZip } = await import(${JSON.stringify(fileURLToPath(new URL("./zip.ts", import.meta.url)))});
       const { readXmlTree } = await import(${JSON.stringify(fileURLToPath(new URL("./xml.ts", import.meta.url)))});
       process.stdout.write(String(readXmlTree(openZip(bytes), "xl/worksheets/sheet1.xml").children.length));`,
    );
    expect(whole.status).not.toBe(0);
    expect(whole.stderr).toMatch(/heap out of memory/i);
  });
});
