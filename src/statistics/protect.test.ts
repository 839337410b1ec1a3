import { beforeAll, describe, expect, it } from "vitest";
import { auditTable, overlapping } from "./audit.ts";
import { datasetFromRows } from "./dataset.ts";
import { loadHighsSolver } from "./highs-solver.ts";
import { type ProtectedTable, parseCellSelectors, protectTable } from "./protect.ts";
import type { LpSolver } from "./solver.ts";
import { buildTable, cellLabels, type DimensionSpec, type Table } from "./table.ts";

let solver: LpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

function countTable(rows: Record<string, string | number>[], dims: DimensionSpec[]): Table {
  const names = dims.map((dim) => (typeof dim === "string" ? dim : dim.name));
  return buildTable(datasetFromRows(rows, { dimensions: names, frequency: "n" }), dims);
}

/** Cells by status, as "label/label" strings. */
function byStatus(result: ProtectedTable): Record<string, string[]> {
  const groups: Record<string, string[]> = { primary: [], secondary: [] };
  for (const cell of result.table.cells) {
    const status = result.status[cell.index] as string;
    if (status !== "published") groups[status]?.push(cellLabels(result.table, cell).join("/"));
  }
  return groups;
}

const twoByTwo = [
  { region: "A", gender: "female", n: 2 },
  { region: "A", gender: "male", n: 10 },
  { region: "B", gender: "female", n: 8 },
  { region: "B", gender: "male", n: 15 },
];

describe("protectTable: hand-checked patterns", () => {
  it("2×2 with margins: one primary cell needs the three others of its rectangle", () => {
    const table = countTable(twoByTwo, ["region", "gender"]);
    for (const method of ["optimal", "heuristic"] as const) {
      const result = protectTable(table, { rules: [{ kind: "frequency", threshold: 3 }], method }, solver);
      expect(byStatus(result)).toEqual({
        primary: ["A/female"],
        secondary: ["A/male", "B/female", "B/male"],
      });
      expect(result.secondary).toBe(3);
      expect(result.informationLoss).toEqual({ cells: 3, freq: 33, value: 0 });
      expect(result.audit.safe).toBe(true);
      // The attacker can move the rectangle by t ∈ [−2, 8]: A/female ∈ [0, 10].
      expect(result.audit.intervals.find((interval) => interval.column === 0)).toEqual({
        column: 0,
        lower: 0,
        upper: 10,
      });
    }
    expect(
      protectTable(table, { rules: [{ kind: "frequency", threshold: 3 }], method: "optimal" }, solver)
        .optimal,
    ).toBe(true);
  });

  it("a 3-level hierarchy (total, region, borough): the cheapest partner inside the same region", () => {
    const hierarchy = { Total: { London: ["Camden", "Hackney"], North: ["Leeds", "York"] } };
    const rows = [
      { borough: "Camden", n: 2 },
      { borough: "Hackney", n: 7 },
      { borough: "Leeds", n: 5 },
      { borough: "York", n: 9 },
    ];
    const table = countTable(rows, [{ name: "borough", hierarchy }]);
    for (const method of ["optimal", "heuristic"] as const) {
      const result = protectTable(table, { rules: [{ kind: "frequency", threshold: 3 }], method }, solver);
      // Hiding London instead would not do: London = Total − North.
      expect(byStatus(result)).toEqual({ primary: ["Camden"], secondary: ["Hackney"] });
    }
  });

  it("a 3-level hierarchy crossed with gender: the rectangle stays within London", () => {
    const hierarchy = { Total: { London: ["Camden", "Hackney"], North: ["Leeds", "York"] } };
    const counts: [string, number, number][] = [
      ["Camden", 1, 6],
      ["Hackney", 8, 9],
      ["Leeds", 4, 5],
      ["York", 5, 7],
    ];
    const rows = counts.flatMap(([borough, female, male]) => [
      { borough, gender: "female", n: female },
      { borough, gender: "male", n: male },
    ]);
    const table = countTable(rows, [{ name: "borough", hierarchy }, "gender"]);
    const result = protectTable(
      table,
      { rules: [{ kind: "frequency", threshold: 3 }], method: "optimal" },
      solver,
    );
    expect(byStatus(result)).toEqual({
      primary: ["Camden/female"],
      secondary: ["Camden/male", "Hackney/female", "Hackney/male"],
    });
    const heuristic = protectTable(
      table,
      { rules: [{ kind: "frequency", threshold: 3 }], method: "heuristic" },
      solver,
    );
    expect(heuristic.informationLoss.freq).toBeGreaterThanOrEqual(result.informationLoss.freq);
  });

  it("two singletons cannot protect each other: each contributor knows its own figure", () => {
    // Magnitude table, p% rule: A and B each have one firm, so both are primary. Hiding just A and B leaves
    // A + B published (Total − C); the firm in B subtracts its own turnover and finds A's.
    const rows = [
      { region: "A", turnover: 100 },
      { region: "B", turnover: 80 },
      { region: "C", turnover: 50 },
      { region: "C", turnover: 60 },
      { region: "C", turnover: 70 },
    ];
    const table = buildTable(datasetFromRows(rows, { dimensions: ["region"], measure: "turnover" }), [
      "region",
    ]);
    const result = protectTable(table, { rules: [{ kind: "p-percent", p: 10 }], method: "optimal" }, solver);
    expect(byStatus(result)).toEqual({ primary: ["A", "B"], secondary: ["C"] });
    const naive = auditTable(table, [0, 1], solver, {
      primaries: result.primaries,
      singletons: result.singletons,
    });
    // The plain attacker only knows A ∈ [0, 180]; B's firm knows A exactly.
    expect(naive.intervals[0]).toMatchObject({ lower: 0, upper: 180 });
    expect(
      naive.exposures.map((exposure) => [exposure.column, exposure.known, exposure.lower, exposure.upper]),
    ).toEqual([
      [0, 1, 100, 100],
      [1, 0, 80, 80],
    ]);
  });

  it("in a frequency table a count of one is a singleton too", () => {
    const rows = [
      { area: "A", n: 1 },
      { area: "B", n: 1 },
      { area: "C", n: 10 },
    ];
    const table = countTable(rows, ["area"]);
    const result = protectTable(table, { rules: [{ kind: "frequency", threshold: 2 }] }, solver);
    expect(byStatus(result)).toEqual({ primary: ["A", "B"], secondary: ["C"] });
  });

  it("a singleton's own total is not an attack on it (it is the same contributor)", () => {
    const rows = [
      { area: "A", kind: "x", n: 1 },
      { area: "B", kind: "x", n: 6 },
      { area: "B", kind: "y", n: 9 },
      { area: "C", kind: "x", n: 7 },
      { area: "C", kind: "y", n: 8 },
    ];
    const table = countTable(rows, ["area", "kind"]);
    const result = protectTable(table, { rules: [{ kind: "frequency", threshold: 1 }] }, solver);
    expect(result.audit.safe).toBe(true);
    expect(byStatus(result).primary).toEqual(["A/x", "A/Total"]);
    expect(overlapping(table, 0, 2)).toBe(true);
  });

  it("cells asked for are primary whatever the rule says; zeros can be withheld", () => {
    const table = countTable(twoByTwo, ["region", "gender"]);
    const requested = parseCellSelectors(table, "region=B,gender=male");
    const result = protectTable(table, { rules: [{ kind: "frequency", threshold: 1 }], requested }, solver);
    expect(byStatus(result).primary).toEqual(["B/male"]);
    expect(result.secondary).toBe(3);
    expect(() => parseCellSelectors(table, "region=Z")).toThrow('region has no category "Z"');

    const withZero = countTable(
      [
        { r: "A", c: "x", n: 0 },
        { r: "A", c: "y", n: 20 },
        { r: "B", c: "x", n: 30 },
        { r: "B", c: "y", n: 40 },
      ],
      ["r", "c"],
    );
    const shown = protectTable(withZero, { rules: [{ kind: "frequency", threshold: 3 }] }, solver);
    expect(byStatus(shown)).toEqual({ primary: [], secondary: [] });
    const hidden = protectTable(
      withZero,
      { rules: [{ kind: "frequency", threshold: 3 }], showZeros: false },
      solver,
    );
    expect(byStatus(hidden)).toEqual({ primary: [], secondary: ["A/x"] });
  });

  it("margins can be primary, and a table with no unsafe cell is published whole", () => {
    const table = countTable(twoByTwo, ["region", "gender"]);
    const none = protectTable(table, { rules: [{ kind: "frequency", threshold: 1 }] }, solver);
    expect(none.status.every((status) => status === "published")).toBe(true);
    const big = protectTable(table, { rules: [{ kind: "frequency", threshold: 12 }] }, solver);
    expect(byStatus(big).primary).toEqual(["A/female", "A/male", "A/Total", "B/female", "Total/female"]);
    expect(big.audit.safe).toBe(true);
  });
});
