import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { datasetFromRows } from "../dataset.ts";
import { loadHighsSolver } from "../highs-solver.ts";
import { protectTable } from "../protect.ts";
import { roundTable } from "../rounding.ts";
import type { LpSolver } from "../solver.ts";
import { buildTable } from "../table.ts";
import { notesCsv, tableCsv } from "./csv.ts";
import { tableHtml } from "./html.ts";
import { tableSvg } from "./svg.ts";
import { publishRounded, publishSuppressed } from "./view.ts";
import { tableXlsx } from "./xlsx.ts";

let solver: LpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

const rows = [
  { region: "A", gender: "female", n: 2 },
  { region: "A", gender: "male", n: 10 },
  { region: "B", gender: "female", n: 8 },
  { region: "B", gender: "male", n: 1500 },
];
const table = buildTable(datasetFromRows(rows, { dimensions: ["region", "gender"], frequency: "n" }), [
  "region",
  "gender",
]);
const published = () =>
  publishSuppressed(
    protectTable(table, { rules: [{ kind: "frequency", threshold: 3 }] }, solver),
    "People by region & gender",
  );

describe("outputs", () => {
  it("CSV: long form, [c] for withheld figures, data only; the notes saying what [c] means beside it", () => {
    expect(tableCsv(published()).split("\r\n")).toEqual([
      "region,gender,Count",
      "A,female,[c]",
      "A,male,[c]",
      "A,Total,12",
      "B,female,[c]",
      "B,male,[c]",
      "B,Total,1508",
      "Total,female,10",
      "Total,male,1510",
      "Total,Total,1520",
      "",
    ]);
    expect(notesCsv(published()).split("\r\n")).toEqual([
      "Note number,Note text",
      '1,"[c] Figure withheld to protect confidentiality: it is a small number, or it would allow a small number to be worked out from the other figures."',
      "",
    ]);
  });

  it("HTML: GOV.UK table with a caption, scoped headers, an <abbr> for [c] and the note tied to the table", () => {
    const html = tableHtml(published(), { id: "people" });
    expect(html).toContain('<table class="govuk-table" id="people" aria-describedby="people-notes">');
    expect(html).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">People by region &#38; gender</caption>',
    );
    expect(html).toContain(
      '<th scope="col" class="govuk-table__header govuk-table__header--numeric">female</th>',
    );
    expect(html).toContain('<th scope="row" class="govuk-table__header">A</th>');
    expect(html).toContain('<abbr title="withheld to protect confidentiality">[c]</abbr>');
    expect(html).toContain('<td class="govuk-table__cell govuk-table__cell--numeric">1,508</td>');
    expect(html).toContain('<div class="govuk-body-s" id="people-notes">');
    expect(html.match(/<tr class="govuk-table__row">/g)).toHaveLength(4);
  });

  it("SVG: role=img with a title and a description, labelled bars, withheld bars hatched with a note", () => {
    const svg = tableSvg(published(), { id: "chart" });
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img" aria-labelledby="chart-title chart-desc"/,
    );
    expect(svg).toContain('<title id="chart-title">People by region &#38; gender</title>');
    expect(svg).toContain(
      "4 bars, 4 of them withheld to protect confidentiality and shown hatched without a figure.",
    );
    expect(svg.match(/fill="url\(#chart-hatch\)"/g)).toHaveLength(4);
    expect(svg).toContain(">A, female</text>");
    expect(svg).toContain("[c] Figure withheld");
    // The note wraps to the chart's width, every word kept, and the chart is tall enough for it.
    const noteLines = [...svg.matchAll(/<text x="0" y="(\d+)" font-size="12"[^>]*>([^<]*)<\/text>/g)];
    expect(noteLines.length).toBeGreaterThan(1);
    expect(noteLines.every((line) => (line[2] ?? "").length <= 95)).toBe(true);
    expect(noteLines.map((line) => line[2]).join(" ")).toBe(published().notes.join(" "));
    const height = Number(/height="(\d+)"/.exec(svg)?.[1]);
    expect(Number(noteLines.at(-1)?.[1])).toBeLessThanOrEqual(height);
  });

  it("XLSX: a valid package, the table on its own sheet and its notes on a Notes sheet (as the ONS does)", () => {
    const bytes = tableXlsx(published());
    expect(Buffer.from(bytes.subarray(0, 2)).toString()).toBe("PK");
    const parts = unzipSync(bytes);
    expect(Object.keys(parts).sort()).toEqual([
      "[Content_Types].xml",
      "_rels/.rels",
      "xl/_rels/workbook.xml.rels",
      "xl/styles.xml",
      "xl/workbook.xml",
      "xl/worksheets/sheet1.xml",
      "xl/worksheets/sheet2.xml",
    ]);
    const workbook = strFromU8(parts["xl/workbook.xml"] as Uint8Array);
    expect([...workbook.matchAll(/<sheet name="([^"]+)"/g)].map((match) => match[1])).toEqual([
      "Table_1",
      "Notes",
    ]);
    const text = (xml: string) =>
      [...xml.matchAll(/<t xml:space="preserve">([^<]*)<\/t>/g)].map((match) => match[1]);
    const sheet = strFromU8(parts["xl/worksheets/sheet1.xml"] as Uint8Array);
    expect(sheet).toContain(
      '<c r="A1" t="inlineStr" s="1"><is><t xml:space="preserve">People by region &amp; gender</t></is></c>',
    );
    // The title, where the notes are, then the table: no note among the data.
    expect(text(sheet).slice(1, 2)).toEqual(["This table has notes: see the Notes sheet."]);
    for (const note of published().notes) expect(sheet).not.toContain(note.slice(0, 30));
    expect(sheet).toContain('<c r="A3" t="inlineStr" s="1"><is><t xml:space="preserve">region</t></is></c>');
    expect(sheet).toContain('<c r="C4" t="inlineStr" s="4"><is><t xml:space="preserve">[c]</t></is></c>');
    expect(sheet).toContain('<c r="C9" s="2"><v>1508</v></c>');
    const notes = strFromU8(parts["xl/worksheets/sheet2.xml"] as Uint8Array);
    expect(text(notes)).toEqual(
      [
        "Note number",
        "Note text",
        ...published().notes.flatMap((note, index) => [`Note ${index + 1}`, note]),
      ].map((words) => words.replace(/&/g, "&amp;")),
    );
    expect(strFromU8(parts["xl/styles.xml"] as Uint8Array)).toContain('<alignment horizontal="right"/>');
    // The same table gives the same bytes.
    expect(Buffer.from(tableXlsx(published())).equals(Buffer.from(bytes))).toBe(true);
  });

  it("a rounded table says how it was rounded", () => {
    const rounded = publishRounded(roundTable(table, { base: 5, method: "nearest" }), "Rounded");
    expect(rounded.cells.every((cell) => !cell.withheld && (cell.freq ?? 1) % 5 === 0)).toBe(true);
    expect(rounded.notes[0]).toMatch(/rounded independently to the nearest 5/);
  });
});
