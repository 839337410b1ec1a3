import { describe, expect, it } from "vitest";
import { datasetFromRows } from "./dataset.ts";
import { parseRule, primaryCells, protectionLevels, singletonCells, unsafeByRule } from "./rules.ts";
import { buildTable, findCell, type TableCell } from "./table.ts";

const cell = (top: number[], freq = top.length): TableCell => ({
  index: 0,
  coordinates: [],
  freq,
  value: top.reduce((sum, amount) => sum + amount, 0),
  contributors: freq,
  top,
});

describe("primary rules", () => {
  it("frequency: unsafe iff 0 < count ≤ N", () => {
    const rule = parseRule("freq:3");
    expect(rule).toEqual({ kind: "frequency", threshold: 3 });
    expect([0, 1, 3, 4].map((n) => unsafeByRule(cell([], n), rule))).toEqual([false, true, true, false]);
  });

  it("dominance (n,k): unsafe iff the n largest exceed k% of the cell", () => {
    const rule = parseRule("nk:2,85");
    expect(unsafeByRule(cell([50, 36, 14]), rule)).toBe(true); // 86 > 85
    expect(unsafeByRule(cell([50, 35, 15]), rule)).toBe(false); // 85 is not over 85
  });

  it("p%: unsafe iff total − the two largest < p% of the largest (a singleton always is)", () => {
    const rule = parseRule("p:10");
    expect(unsafeByRule(cell([100, 30, 9]), rule)).toBe(true); // 9 < 10
    expect(unsafeByRule(cell([100, 30, 10]), rule)).toBe(false);
    expect(unsafeByRule(cell([100]), rule)).toBe(true);
    expect(unsafeByRule(cell([0, 0], 2), rule)).toBe(false);
  });

  it("rejects malformed rules", () => {
    for (const text of ["freq:0", "freq:x", "nk:2", "nk:2,120", "p:-1", "q:3"])
      expect(() => parseRule(text)).toThrow(/is not a rule/);
  });
});

describe("protection levels (tau-Argus)", () => {
  const rows = [
    { firm: "a", region: "North", turnover: 100 },
    { firm: "b", region: "North", turnover: 30 },
    { firm: "c", region: "North", turnover: 9 },
    { firm: "d", region: "South", turnover: 50 },
    { firm: "e", region: "South", turnover: 50 },
    { firm: "f", region: "South", turnover: 50 },
  ];
  const table = buildTable(datasetFromRows(rows, { dimensions: ["region"], measure: "turnover" }), [
    "region",
  ]);
  const north = findCell(table, ["North"]) as TableCell;

  it("p%: the second-largest contributor cannot bound the largest within p%", () => {
    // p/100 × 100 − (139 − 100 − 30) = 10 − 9 = 1
    expect(protectionLevels(table, north, ["p-percent"], [{ kind: "p-percent", p: 10 }])).toEqual({
      lower: 1,
      upper: 1,
    });
  });

  it("dominance: how far the total must be able to grow before the n largest stop dominating it", () => {
    // 100/85 × 130 − 139 = 13.94…
    const levels = protectionLevels(table, north, ["dominance"], [{ kind: "dominance", n: 2, k: 85 }]);
    expect(levels.upper).toBeCloseTo(130 / 0.85 - 139, 9);
  });

  it("frequency: 30% of a count either side, at least one, whole numbers, never below zero", () => {
    const counts = buildTable(
      datasetFromRows(
        [
          { r: "A", n: 1 },
          { r: "B", n: 10 },
        ],
        { dimensions: ["r"], frequency: "n" },
      ),
      ["r"],
    );
    const rules = [{ kind: "frequency" as const, threshold: 10 }];
    expect(protectionLevels(counts, findCell(counts, ["A"]) as TableCell, ["frequency"], rules)).toEqual({
      lower: 1,
      upper: 1,
    });
    expect(protectionLevels(counts, findCell(counts, ["B"]) as TableCell, ["frequency"], rules)).toEqual({
      lower: 3,
      upper: 3,
    });
  });

  it("finds primary cells among margins too, adds requested ones, and lists singletons", () => {
    const primaries = primaryCells(
      table,
      [{ kind: "p-percent", p: 10 }],
      [(findCell(table, ["South"]) as TableCell).index],
    );
    expect(
      [...primaries.values()].map((primary) => [table.cells[primary.cell]?.coordinates, primary.reasons]),
    ).toEqual([
      [[0], ["p-percent"]],
      [[1], ["requested"]],
    ]);
    expect(singletonCells(table).size).toBe(0);
    expect(() =>
      primaryCells(buildTable(datasetFromRows([{ r: "A" }], { dimensions: ["r"] }), ["r"]), [
        parseRule("p:10"),
      ]),
    ).toThrow("the p rule needs a measure (--measure)");
  });
});
