import { describe, expect, it } from "vitest";
import { isDomainError } from "../errors.ts";
import { datasetFromRows } from "./dataset.ts";
import { buildTable, cellLabels, findCell, tableFromCells } from "./table.ts";

const rows = [
  { borough: "Camden", gender: "female", n: 3 },
  { borough: "Camden", gender: "male", n: 5 },
  { borough: "Hackney", gender: "female", n: 7 },
  { borough: "Leeds", gender: "male", n: 11 },
  { borough: "York", gender: "female", n: 13 },
];
const dataset = datasetFromRows(rows, { dimensions: ["borough", "gender"], frequency: "n" });
const hierarchy = { Total: { London: ["Camden", "Hackney"], North: { Yorkshire: ["Leeds", "York"] } } };

describe("buildTable", () => {
  it("cross-tabulates with every margin, labelled Total, parts before totals", () => {
    const table = buildTable(dataset, ["borough", "gender"]);
    expect(table.dimensions.map((tree) => tree.nodes.map((node) => node.label))).toEqual([
      ["Camden", "Hackney", "Leeds", "York", "Total"],
      ["female", "male", "Total"],
    ]);
    expect(table.cells).toHaveLength(15);
    expect(findCell(table, ["Camden", "Total"])?.freq).toBe(8);
    expect(findCell(table, ["Total", "female"])?.freq).toBe(23);
    expect(findCell(table, ["Total", "Total"])?.freq).toBe(39);
    expect(findCell(table, ["Leeds", "female"])?.freq).toBe(0);
    // One equation per row total (5 rows) and per column total (3 columns).
    expect(table.equations).toHaveLength(8);
    for (const equation of table.equations) {
      const parts = equation.parts.reduce((sum, part) => sum + (table.cells[part]?.freq ?? 0), 0);
      expect(table.cells[equation.total]?.freq).toBe(parts);
    }
  });

  it("adds every subtotal of a hierarchy, with an equation for each level", () => {
    const table = buildTable(dataset, [{ name: "borough", hierarchy }, "gender"]);
    expect(table.dimensions[0]?.nodes.map((node) => node.label)).toEqual([
      "Camden",
      "Hackney",
      "London",
      "Leeds",
      "York",
      "Yorkshire",
      "North",
      "Total",
    ]);
    expect(findCell(table, ["London", "female"])?.freq).toBe(10);
    expect(findCell(table, ["Yorkshire", "Total"])?.freq).toBe(24);
    expect(findCell(table, ["North", "Total"])?.freq).toBe(24);
    // borough: 4 parents × 3 gender nodes; gender: 1 parent × 8 borough nodes.
    expect(table.equations).toHaveLength(20);
    expect(cellLabels(table, table.cells[table.cells.length - 1]!)).toEqual(["Total", "Total"]);
  });

  it("rejects a hierarchy that misses a category or repeats one", () => {
    const problem = (spec: unknown) => {
      try {
        buildTable(dataset, [{ name: "borough", hierarchy: spec as typeof hierarchy }]);
      } catch (error) {
        if (isDomainError(error)) return error.message;
      }
      return "no error";
    };
    expect(problem({ Total: { London: ["Camden", "Hackney"], North: ["Leeds"] } })).toBe(
      'category "York" of borough is not in its hierarchy',
    );
    expect(problem({ Total: { London: ["Camden", "Hackney", "Leeds"], North: ["Leeds", "York"] } })).toBe(
      '"Leeds" appears twice in the hierarchy of borough',
    );
  });

  it("regroups categories before tabulating", () => {
    const table = buildTable(dataset, [{ name: "borough", groups: { South: ["Camden", "Hackney"] } }]);
    expect(table.dimensions[0]?.nodes.map((node) => node.label)).toEqual(["Leeds", "South", "York", "Total"]);
    expect(findCell(table, ["South"])?.freq).toBe(15);
  });
});

describe("tableFromCells", () => {
  it("computes missing margins and checks given ones add up", () => {
    const cells = [
      { labels: ["A", "x"], freq: 1 },
      { labels: ["A", "y"], freq: 2 },
      { labels: ["B", "x"], freq: 3 },
      { labels: ["B", "y"], freq: 4 },
    ];
    const table = tableFromCells([{ name: "r" }, { name: "c" }], cells);
    expect(findCell(table, ["Total", "Total"])?.freq).toBe(10);
    expect(() =>
      tableFromCells([{ name: "r" }, { name: "c" }], [...cells, { labels: ["A", "Total"], freq: 4 }]),
    ).toThrow("cell r=A, c=Total is 4 but its parts add up to 3: the table does not add up");
    expect(() => tableFromCells([{ name: "r" }, { name: "c" }], cells.slice(1))).toThrow(
      "cell r=A, c=x is missing",
    );
  });
});
