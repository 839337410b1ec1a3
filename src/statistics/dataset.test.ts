import { describe, expect, it } from "vitest";
import { isDomainError } from "../errors.ts";
import { importDataset } from "./dataset.ts";

async function importText(text: string, spec: Parameters<typeof importDataset>[1], chunk = 7) {
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += chunk) chunks.push(text.slice(at, at + chunk));
  return importDataset(chunks, spec);
}

async function failure(
  text: string,
  spec: Parameters<typeof importDataset>[1],
): Promise<{ field?: string; message: string }> {
  try {
    await importText(text, spec);
  } catch (error) {
    if (isDomainError(error)) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error("no error");
}

describe("importDataset", () => {
  it("aggregates record-level rows on the fly into the finest cells, categories in reading order", async () => {
    const dataset = await importText(
      "region,gender,age\nB,male,10\nA,female,2\nA,female,30\nB,male,5\nA,male,1\n",
      { dimensions: ["region", "gender"] },
    );
    expect(dataset.records).toBe(5);
    expect(dataset.categories).toEqual([
      ["A", "B"],
      ["female", "male"],
    ]);
    const counts = Object.fromEntries(
      dataset.cells.map((cell) => [
        cell.codes.map((code, d) => dataset.categories[d]?.[code]).join("/"),
        cell.freq,
      ]),
    );
    expect(counts).toEqual({ "A/female": 2, "A/male": 1, "B/male": 2 });
  });

  it("sums a frequency column and a measure, keeping each cell's largest contributions", async () => {
    const dataset = await importText("region,n,turnover\nA,2,100\nA,1,500.5\nA,3,20\nB,1,7\n", {
      dimensions: ["region"],
      frequency: "n",
      measure: "turnover",
      keepContributions: 2,
    });
    const a = dataset.cells.find((cell) => dataset.categories[0]?.[cell.codes[0] as number] === "A");
    expect(a).toMatchObject({ freq: 6, value: 620.5, contributors: 3, top: [500.5, 100] });
  });

  it("names the line and column of bad data and imports nothing", async () => {
    const spec = { dimensions: ["region"], frequency: "n", measure: "amount" };
    expect(await failure("region,n,amount\nA,1,10\nB,x,5\n", spec)).toEqual({
      field: "--input",
      message: 'line 3, column 2 (n): "x" is not a count (a whole number, 0 or more)',
    });
    expect((await failure("region,n,amount\nA,1,10\nB,1,ten\n", spec)).message).toBe(
      'line 3, column 3 (amount): "ten" is not a number',
    );
    expect((await failure("region,n,amount\nA,1,-4\n", spec)).message).toMatch(
      /^line 2, column 3 \(amount\): "-4" is negative/,
    );
    expect((await failure("region,n,amount\nA,1\n", spec)).message).toBe(
      "line 2, column 3: the row has 2 fields but the header has 3",
    );
    expect((await failure('region,n,amount\n"A\n', spec)).message).toBe(
      "line 2, column 1: a quoted field is not closed",
    );
    expect((await failure("region,n,amount\n,1,3\n", spec)).message).toBe(
      "line 2, column 1 (region): the category is empty",
    );
  });

  it("names a missing column against its option", async () => {
    expect(await failure("region,n\nA,1\n", { dimensions: ["area"] })).toEqual({
      field: "dims",
      message: 'there is no column "area" in the header (columns: region, n)',
    });
    expect((await failure("region,n\nA,1\n", { dimensions: ["region"], frequency: "count" })).field).toBe(
      "freq",
    );
  });
});
