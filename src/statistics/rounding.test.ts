import { beforeAll, describe, expect, it } from "vitest";
import { datasetFromRows } from "./dataset.ts";
import { loadHighsSolver } from "./highs-solver.ts";
import { roundTable } from "./rounding.ts";
import type { LpSolver } from "./solver.ts";
import { buildTable, findCell } from "./table.ts";

let solver: LpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

const grid: [string, string, number][] = [
  ["A", "x", 1],
  ["A", "y", 7],
  ["A", "z", 0],
  ["B", "x", 12],
  ["B", "y", 3],
  ["B", "z", 10],
  ["C", "x", 4],
  ["C", "y", 6],
  ["C", "z", 2],
];
const table = buildTable(
  datasetFromRows(
    grid.map(([r, c, n]) => ({ r, c, n })),
    { dimensions: ["r", "c"], frequency: "n" },
  ),
  ["r", "c"],
);

describe("rounding", () => {
  it("nearest: each figure independently to the nearest multiple, within half the base", () => {
    const rounded = roundTable(table, { base: 5, method: "nearest" });
    expect(rounded.rounded[findCell(table, ["A", "x"])!.index]).toBe(0);
    expect(rounded.rounded[findCell(table, ["A", "y"])!.index]).toBe(5);
    expect(rounded.rounded[findCell(table, ["B", "y"])!.index]).toBe(5);
    expect(rounded.largestChange).toBeLessThanOrEqual(2.5);
  });

  it("controlled: multiples of the base next to each figure, zeros and multiples kept, and the table adds up", () => {
    const rounded = roundTable(table, { base: 5, method: "controlled" }, solver);
    expect(rounded.additive).toBe(true);
    for (const cell of table.cells) {
      const figure = rounded.rounded[cell.index] as number;
      expect(figure % 5).toBe(0);
      expect(Math.abs(figure - cell.freq)).toBeLessThan(5);
      if (cell.freq % 5 === 0) expect(figure).toBe(cell.freq);
    }
  });
});
