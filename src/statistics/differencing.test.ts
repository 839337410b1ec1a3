import { beforeAll, describe, expect, it } from "vitest";
import { datasetFromRows } from "./dataset.ts";
import { auditWithReleases, protectWithReleases, type Release, releaseOf } from "./differencing.ts";
import { loadHighsSolver } from "./highs-solver.ts";
import { protectTable } from "./protect.ts";
import type { LpSolver } from "./solver.ts";
import { buildTable, cellLabels } from "./table.ts";

let solver: LpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

// Ages 16–17 in region A: 2 people. One table groups ages as under 18 / 18+, another as under 16 / 16+.
const counts: Record<string, [number, number]> = {
  "0-15": [40, 47],
  "16-17": [2, 9],
  "18-64": [120, 127],
  "65+": [30, 37],
};
const dataset = datasetFromRows(
  Object.entries(counts).flatMap(([age, [a, b]]) => [
    { age, region: "A", n: a },
    { age, region: "B", n: b },
  ]),
  { dimensions: ["age", "region"], frequency: "n" },
);
const rules = [{ kind: "frequency" as const, threshold: 3 }];
const under18 = buildTable(dataset, [
  { name: "age", groups: { "0-17": ["0-15", "16-17"], "18+": ["18-64", "65+"] } },
  "region",
]);
const under16 = buildTable(dataset, [
  { name: "age", groups: { "0-15": ["0-15"], "16+": ["16-17", "18-64", "65+"] } },
  "region",
]);

describe("differencing", () => {
  it("two tables that are each safe can be subtracted to reveal a small cell: the joint audit catches it", () => {
    const first = protectTable(under18, { rules }, solver);
    const second = protectTable(under16, { rules }, solver);
    expect(first.status.every((status) => status === "published")).toBe(true);
    expect(second.status.every((status) => status === "published")).toBe(true);
    const release: Release = releaseOf(first, "FOI-2024-0001");
    const audit = auditWithReleases(second, [release], solver, dataset);
    expect(audit.safe).toBe(false);
    expect(audit.exposures).toEqual([
      {
        release: undefined,
        labels: ["16-17", "A"],
        description: "age=16-17, region=A (not in any table)",
        value: 2,
        lower: 2,
        upper: 2,
        required: { lower: 1, upper: 1 },
      },
    ]);
  });

  it("suppresses more in the new table until the combination is safe, and audits it again", () => {
    const first = protectTable(under18, { rules }, solver);
    const second = protectTable(under16, { rules }, solver);
    const decision = protectWithReleases(second, [releaseOf(first, "R1")], solver, dataset);
    expect(decision.releasable).toBe(true);
    if (!decision.releasable) return;
    const hidden = decision.protectedTable.table.cells
      .filter((cell) => decision.protectedTable.status[cell.index] !== "published")
      .map((cell) => cellLabels(decision.protectedTable.table, cell).join("/"));
    expect(hidden).toEqual(["0-15/A", "0-15/B", "16+/A", "16+/B"]);
    expect(decision.added).toBe(4);
    expect(auditWithReleases(decision.protectedTable, [releaseOf(first, "R1")], solver, dataset).safe).toBe(
      true,
    );
  });

  it("says why a table cannot be released when an earlier release already gives a cell away", () => {
    // The earlier table published ages 16–17 by region outright (a threshold of 1 at the time); now the
    // threshold is 3 and the cell is primary in the new table, but nothing the new table hides can help.
    const byAge = buildTable(dataset, ["age", "region"]);
    const earlier = protectTable(byAge, { rules: [{ kind: "frequency", threshold: 1 }] }, solver);
    const now = protectTable(byAge, { rules }, solver);
    const decision = protectWithReleases(now, [releaseOf(earlier, "R0")], solver, dataset);
    expect(decision).toEqual({
      releasable: false,
      cell: "age=16-17, region=A",
      reason:
        "cell age=16-17, region=A would be revealed by combining this table with the earlier releases, whatever else this table withholds",
    });
  });

  it("reports tables that no longer add up together (the data changed between releases)", () => {
    const first = protectTable(under18, { rules }, solver);
    const release = releaseOf(first, "R1");
    // One more person aged 16–17 in A since the first release: that release is consistent in itself but not
    // with the new table.
    const grown = new Set(["0-17/A", "0-17/Total", "Total/A", "Total/Total"]);
    const changed: Release = {
      ...release,
      cells: release.cells.map((cell) =>
        grown.has(cell.labels.join("/")) ? { ...cell, freq: cell.freq + 1 } : cell,
      ),
    };
    const audit = auditWithReleases(protectTable(under16, { rules }, solver), [changed], solver);
    expect(audit.safe).toBe(false);
    expect(audit.inconsistent).toMatch(/do not add up: the data changed between them/);
    const tampered: Release = {
      ...release,
      cells: release.cells.map((cell) => (cell.labels.join("/") === "0-17/A" ? { ...cell, freq: 43 } : cell)),
    };
    expect(() => auditWithReleases(protectTable(under16, { rules }, solver), [tampered], solver)).toThrow(
      "cell age=0-17, region=Total is 98 but its parts add up to 99: the table does not add up",
    );
  });
});
