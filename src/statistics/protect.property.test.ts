import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { auditTable } from "./audit.ts";
import { datasetFromRows } from "./dataset.ts";
import { loadHighsSolver } from "./highs-solver.ts";
import { protectTable } from "./protect.ts";
import type { PrimaryRule } from "./rules.ts";
import type { LpSolver } from "./solver.ts";
import { amount, buildTable, type Table } from "./table.ts";

let solver: LpSolver;
beforeAll(async () => {
  solver = await loadHighsSolver();
});

/** A random frequency table: a shape of 1–3 dimensions and a count per interior cell, small ones common. */
const tables = (maxCells: number) =>
  fc
    .oneof(
      fc.tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 4 })).map(([a, b]) => [a, b]),
      fc.integer({ min: 2, max: 5 }).map((a) => [a]),
      fc.constant([2, 2, 2]),
    )
    .chain((shape) => {
      const size = shape.reduce((product, n) => product * n, 1);
      return fc.tuple(
        fc.constant(shape),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 5, max: 30 })), {
          minLength: Math.min(size, maxCells),
          maxLength: Math.min(size, maxCells),
        }),
      );
    })
    .filter(([shape, counts]) => counts.length === shape.reduce((product, n) => product * n, 1))
    .map(([shape, counts]) => {
      const dims = shape.map((_, d) => `d${d}`);
      const rows = counts.map((n, index) => {
        const row: Record<string, string | number> = { n };
        let rest = index;
        for (let d = shape.length - 1; d >= 0; d--) {
          row[dims[d] as string] = `c${rest % (shape[d] as number)}`;
          rest = Math.floor(rest / (shape[d] as number));
        }
        return row;
      });
      return buildTable(datasetFromRows(rows, { dimensions: dims, frequency: "n" }), dims);
    });

/** Checks, with a fresh attacker, that every primary cell's interval covers its protection interval. */
function expectReleasable(table: Table, result: ReturnType<typeof protectTable>): void {
  const suppressed = table.cells
    .filter((cell) => result.status[cell.index] !== "published")
    .map((cell) => cell.index);
  const audit = auditTable(table, suppressed, solver, {
    primaries: result.primaries,
    singletons: result.singletons,
  });
  expect(audit.exposures).toEqual([]);
  for (const primary of result.primaries.values()) {
    const value = amount(table, table.cells[primary.cell] as Table["cells"][number]);
    const interval = audit.intervals.find((candidate) => candidate.column === primary.cell);
    expect(interval).toBeDefined();
    expect(interval?.lower).toBeLessThanOrEqual(value - primary.protection.lower);
    expect(interval?.upper).toBeGreaterThanOrEqual(value + primary.protection.upper);
  }
}

describe("every table the module releases passes the interval audit", () => {
  it("for random small tables and thresholds, by both methods; the optimum never hides more", () => {
    fc.assert(
      fc.property(tables(27), fc.integer({ min: 1, max: 4 }), (table, threshold) => {
        const rules: PrimaryRule[] = [{ kind: "frequency", threshold }];
        const heuristic = protectTable(table, { rules, method: "heuristic" }, solver);
        expectReleasable(table, heuristic);
        const optimal = protectTable(table, { rules, method: "optimal" }, solver);
        expectReleasable(table, optimal);
        expect(optimal.optimal).toBe(true);
        expect(optimal.informationLoss.freq).toBeLessThanOrEqual(heuristic.informationLoss.freq);
      }),
      { numRuns: 25 },
    );
  });

  it("the optimal method finds the cheapest safe pattern (checked against every pattern of tiny tables)", () => {
    const tiny = tables(9).filter((table) => table.cells.length <= 9);
    fc.assert(
      fc.property(tiny, fc.integer({ min: 1, max: 3 }), (table, threshold) => {
        const rules: PrimaryRule[] = [{ kind: "frequency", threshold }];
        const optimal = protectTable(table, { rules, method: "optimal" }, solver);
        const primaries = [...optimal.primaries.keys()];
        const others = table.cells.map((cell) => cell.index).filter((index) => !optimal.primaries.has(index));
        let best = Number.POSITIVE_INFINITY;
        for (let mask = 0; mask < 1 << others.length; mask++) {
          const extra = others.filter((_, bit) => mask & (1 << bit));
          const hidden = extra.reduce((sum, index) => sum + (table.cells[index]?.freq ?? 0), 0);
          if (hidden >= best) continue;
          const audit = auditTable(table, [...primaries, ...extra], solver, {
            primaries: optimal.primaries,
            singletons: optimal.singletons,
          });
          if (audit.safe) best = hidden;
        }
        expect(optimal.informationLoss.freq).toBe(best);
      }),
      { numRuns: 8 },
    );
  });
});
