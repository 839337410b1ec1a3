import { invalid } from "../errors.ts";
import { type AuditResult, auditSystem, overlapping, tableSystem, tableTargets } from "./audit.ts";
import type { DimensionTree } from "./hierarchy.ts";
import { type PrimaryCell, type PrimaryRule, primaryCells, singletonCells } from "./rules.ts";
import {
  CannotProtect,
  heuristicSuppression,
  lineCuts,
  optimalSuppression,
  type SuppressionProblem,
  type SuppressionResult,
  slackFor,
} from "./secondary.ts";
import type { LpSolver } from "./solver.ts";
import { amount, describeCell, type Table, type TableCell } from "./table.ts";

export type CellStatus = "published" | "primary" | "secondary";

/** What secondary suppression minimises: the frequency hidden (default), the value hidden, or the cells. */
export type SuppressionCost = "freq" | "value" | "cells";

export type SuppressionMethod = "optimal" | "heuristic" | "auto";

export interface ProtectOptions {
  rules: readonly PrimaryRule[];
  /** Cells to treat as primary whatever the rules say (e.g. `--primary`). */
  requested?: readonly number[];
  /**
   * "auto" (the default) uses the optimal method on tables of up to `optimalLimit` cells (default 150), the
   * heuristic beyond; the optimal method falls back to the heuristic if it has not finished within
   * `timeLimitSeconds` of solver time (default 30).
   */
  method?: SuppressionMethod;
  optimalLimit?: number;
  /** Whether zero cells are published (default) or withheld; withheld zeros are counted as secondary. */
  showZeros?: boolean;
  cost?: SuppressionCost;
  timeLimitSeconds?: number;
}

export interface InformationLoss {
  /** Secondary cells: suppressed to protect primary cells (and zeros withheld by policy). */
  cells: number;
  freq: number;
  value: number;
}

export interface ProtectedTable {
  table: Table;
  rules: PrimaryRule[];
  /** Per cell index. */
  status: CellStatus[];
  primaries: Map<number, PrimaryCell>;
  singletons: Set<number>;
  /** Zero cells withheld by policy (status "secondary"). */
  hiddenZeros: Set<number>;
  method: "optimal" | "heuristic";
  /** Whether the pattern is proved cheapest. */
  optimal: boolean;
  secondary: number;
  informationLoss: InformationLoss;
  /** The final audit, by the plain attacker: every suppressed cell's interval and any exposure (none). */
  audit: AuditResult;
}

export function suppressionWeights(table: Table, cost: SuppressionCost): Float64Array {
  const n = table.cells.length;
  if (cost === "cells") return new Float64Array(n).fill(1);
  if (cost === "freq") {
    // Whole-number weights: frequency first, then fewer cells (freq × (n + 1) + 1), so an exact MIP gap holds.
    return Float64Array.from(table.cells, (cell) => cell.freq * (n + 1) + 1);
  }
  let largest = 0;
  for (const cell of table.cells) largest = Math.max(largest, amount(table, cell));
  const scale = largest > 0 ? (n + 1) / largest : 1;
  return Float64Array.from(table.cells, (cell) => amount(table, cell) * scale + 1);
}

/**
 * `region=A,gender=female`: a cell named by labels; a dimension left out means its total. `;` separates
 * several cells.
 */
export function parseCellSelectors(table: Table, text: string, field = "primary"): number[] {
  return text
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      const coordinates = table.dimensions.map((tree) => tree.root);
      for (const pair of part.split(",")) {
        const at = pair.indexOf("=");
        if (at < 0) throw invalid(field, `"${pair}" must be DIMENSION=LABEL, e.g. region=A`);
        const name = pair.slice(0, at).trim();
        const label = pair.slice(at + 1).trim();
        const d = table.dimensions.findIndex((tree) => tree.name === name);
        if (d < 0) throw invalid(field, `"${name}" is not a dimension of the table`);
        const tree = table.dimensions[d] as DimensionTree;
        const node = tree.nodes.findIndex((candidate) => candidate.label === label);
        if (node < 0) throw invalid(field, `${name} has no category "${label}"`);
        coordinates[d] = node;
      }
      return coordinates.reduce((index, node, d) => index + node * (table.strides[d] as number), 0);
    });
}

/**
 * Protects a table: primary suppression by the rules (and cells asked for), secondary suppression by the
 * chosen method, then the audit by the plain attacker — a table is returned only if every primary cell keeps
 * its protection interval against the attacker and against each singleton's contributor.
 */
export function protectTable(table: Table, options: ProtectOptions, solver: LpSolver): ProtectedTable {
  const primaries = primaryCells(table, options.rules, options.requested ?? []);
  const singletons = singletonCells(table);
  const hiddenZeros = new Set<number>();
  if (options.showZeros === false) {
    for (const cell of table.cells)
      if (cell.freq === 0 && !primaries.has(cell.index)) hiddenZeros.add(cell.index);
  }
  const system = tableSystem(table);
  const targets = tableTargets(table, primaries);
  const related = (a: number, b: number) => overlapping(table, a, b);
  const problem: SuppressionProblem = {
    system,
    targets,
    singletons: [...singletons],
    related,
    mandatory: [...primaries.keys(), ...hiddenZeros],
    weights: suppressionWeights(table, options.cost ?? "freq"),
    slack: slackFor(system, targets),
    initialCuts: lineCuts(system, targets, singletons, related),
  };
  const method = options.method ?? "auto";
  const useOptimal =
    method === "optimal" || (method === "auto" && table.cells.length <= (options.optimalLimit ?? 150));
  let result: SuppressionResult | undefined;
  try {
    if (targets.length === 0) {
      result = {
        suppressed: new Set(problem.mandatory),
        optimal: true,
        method: useOptimal ? "optimal" : "heuristic",
        iterations: 0,
        solves: 0,
      };
    } else {
      if (useOptimal)
        result = optimalSuppression(problem, solver, { timeLimitSeconds: options.timeLimitSeconds });
      result ??= heuristicSuppression(problem, solver);
    }
  } catch (error) {
    if (error instanceof CannotProtect)
      throw invalid(
        "rule",
        `cell ${describeCell(table, table.cells[error.column] as TableCell)} cannot be protected: ${error.message}`,
      );
    throw error;
  }
  const status: CellStatus[] = table.cells.map((cell) =>
    primaries.has(cell.index) ? "primary" : result.suppressed.has(cell.index) ? "secondary" : "published",
  );
  const suppressed = table.cells
    .filter((cell) => status[cell.index] !== "published")
    .map((cell) => cell.index);
  const audit = auditSystem(system, suppressed, solver, { targets, singletons, related });
  // Never release a table the audit finds unsafe (it would mean a solver tolerance problem, not a choice).
  if (!audit.safe)
    throw new Error(`the suppression pattern failed its audit: ${JSON.stringify(audit.exposures[0])}`);
  const loss: InformationLoss = { cells: 0, freq: 0, value: 0 };
  for (const cell of table.cells) {
    if (status[cell.index] !== "secondary") continue;
    loss.cells++;
    loss.freq += cell.freq;
    loss.value += cell.value;
  }
  return {
    table,
    rules: [...options.rules],
    status,
    primaries,
    singletons,
    hiddenZeros,
    method: result.method,
    optimal: result.optimal,
    secondary: loss.cells,
    informationLoss: loss,
    audit,
  };
}
