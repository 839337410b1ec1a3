import { invalid } from "../errors.ts";
import type { DimensionTree, TreeNode } from "./hierarchy.ts";
import type { LpSolver } from "./solver.ts";
import { sparseRows } from "./solver.ts";
import { amount, isInterior, type Table, type TableCell } from "./table.ts";

/**
 * Rounding as an alternative to suppression (Hundepool et al. 2012 §5.3; ONS guidance on rounding counts):
 * - "nearest": every figure, margins included, rounded independently to the nearest multiple of the base
 *   (halves up). Each figure is within base/2 of the truth; totals need not equal the sum of their rounded
 *   parts, and a reader can combine figures to narrow some cells, so it suits routine publications of
 *   large counts rather than tables with small cells.
 * - "controlled": zero-restricted controlled rounding (Cox 1987): every figure is moved to one of the two
 *   multiples of the base next to it (multiples, zeros included, are kept), and the rounded table adds up —
 *   every rounded total equals the sum of its rounded parts. Each figure is within base − 1 of the truth and
 *   a count of 1 to base − 1 cannot be told from 0 or from the base. Found by a MIP that minimises the total
 *   change; two-dimensional tables always have such a rounding, deeper ones may not (an error says so).
 */
export type RoundingMethod = "nearest" | "controlled";

export interface RoundedTable {
  table: Table;
  base: number;
  method: RoundingMethod;
  /** The published figure of each cell. */
  rounded: Float64Array;
  /** Largest |rounded − true| over the table. */
  largestChange: number;
  /** Whether every total equals the sum of its rounded parts. */
  additive: boolean;
}

function floorTo(value: number, base: number): number {
  return Math.floor(value / base) * base;
}

function additive(table: Table, rounded: Float64Array): boolean {
  return table.equations.every((equation) => {
    let sum = 0;
    for (const part of equation.parts) sum += rounded[part] as number;
    return Math.abs(sum - (rounded[equation.total] as number)) < 1e-9;
  });
}

function finish(table: Table, base: number, method: RoundingMethod, rounded: Float64Array): RoundedTable {
  let largestChange = 0;
  for (const cell of table.cells)
    largestChange = Math.max(largestChange, Math.abs((rounded[cell.index] as number) - amount(table, cell)));
  return { table, base, method, rounded, largestChange, additive: additive(table, rounded) };
}

/** The interior cells inside each cell (a cell is inside a margin when each of its nodes is below the margin's). */
function interiorMembers(table: Table): number[][] {
  const members: number[][] = table.cells.map(() => []);
  const ancestors = table.dimensions.map((tree: DimensionTree) =>
    tree.nodes.map((_, node) => {
      const chain: number[] = [];
      for (let at = node; at >= 0; at = (tree.nodes[at] as TreeNode).parent) chain.push(at);
      return chain;
    }),
  );
  for (const cell of table.cells) {
    if (!isInterior(table, cell)) continue;
    const walk = (d: number, index: number) => {
      if (d === table.dimensions.length) {
        (members[index] as number[]).push(cell.index);
        return;
      }
      const chain = (ancestors[d] as number[][])[cell.coordinates[d] as number] as number[];
      for (const node of chain) walk(d + 1, index + node * (table.strides[d] as number));
    };
    walk(0, 0);
  }
  return members;
}

export function roundTable(
  table: Table,
  options: { base: number; method: RoundingMethod },
  solver?: LpSolver,
): RoundedTable {
  const { base, method } = options;
  if (!(Number.isInteger(base) && base >= 2))
    throw invalid("rounding", "the rounding base must be a whole number of 2 or more");
  if (method === "nearest") {
    const rounded = Float64Array.from(
      table.cells,
      (cell) => Math.floor(amount(table, cell) / base + 0.5) * base,
    );
    return finish(table, base, method, rounded);
  }
  if (!solver) throw new Error("controlled rounding needs a solver");
  const interior = table.cells.filter((cell) => isInterior(table, cell));
  // One 0/1 column per interior cell that is not already a multiple: 1 rounds it up.
  const free = interior.filter((cell) => amount(table, cell) % base !== 0);
  const position = new Map(free.map((cell, k) => [cell.index, k]));
  const members = interiorMembers(table);
  const rows: { columns: number[]; values: number[]; lower: number; upper: number }[] = [];
  for (const cell of table.cells) {
    if (isInterior(table, cell)) continue;
    const figure = amount(table, cell);
    let fixed = 0;
    const columns: number[] = [];
    for (const member of members[cell.index] as number[]) {
      const value = amount(table, table.cells[member] as TableCell);
      fixed += floorTo(value, base);
      const at = position.get(member);
      if (at !== undefined) columns.push(at);
    }
    const low = floorTo(figure, base);
    const high = figure % base === 0 ? figure : low + base;
    rows.push({ columns, values: columns.map(() => base), lower: low - fixed, upper: high - fixed });
  }
  const cost = Float64Array.from(free, (cell) => {
    const value = amount(table, cell);
    const down = value - floorTo(value, base);
    return base - down - down; // rounding up changes the figure by (base − down) instead of down
  });
  const result = solver.solve({
    sense: "minimize",
    columns: free.length,
    cost,
    lower: new Float64Array(free.length),
    upper: new Float64Array(free.length).fill(1),
    rows: sparseRows(rows),
    integer: new Uint8Array(free.length).fill(1),
  });
  if (result.status !== "optimal")
    throw invalid(
      "rounding",
      "this table has no controlled rounding (it can happen with three or more dimensions): use nearest rounding or suppression",
    );
  const rounded = new Float64Array(table.cells.length);
  for (const cell of interior) {
    const value = amount(table, cell);
    const at = position.get(cell.index);
    rounded[cell.index] =
      at === undefined ? value : floorTo(value, base) + ((result.primal[at] as number) > 0.5 ? base : 0);
  }
  for (const cell of table.cells) {
    if (isInterior(table, cell)) continue;
    let sum = 0;
    for (const member of members[cell.index] as number[]) sum += rounded[member] as number;
    rounded[cell.index] = sum;
  }
  return finish(table, base, method, rounded);
}
