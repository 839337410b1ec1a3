import { Attacker, type AttackerSystem, type Cut, DECISION, FREE } from "./attacker.ts";
import { type Target, TargetChecker, type Violation } from "./audit.ts";
import type { LpSolver } from "./solver.ts";

/**
 * Secondary (complementary) suppression: choose more figures to hide so that no target can be narrowed below
 * its protection interval, losing as little as possible.
 */
export interface SuppressionProblem {
  system: AttackerSystem;
  targets: Target[];
  /** Columns whose sole contributor knows them (each takes a turn as the attacker). */
  singletons: number[];
  /** Decision columns that must be hidden (primary cells, zeros a policy hides). */
  mandatory: number[];
  /** Cost of hiding each column (decision columns only). */
  weights: Float64Array;
  /** Bound on how far above its value the choosing attacker lets a hidden figure go (see AttackerMode). */
  slack: number;
  /** Whether a target and a singleton share contributors (the singleton's turn is then skipped). */
  related?: (target: number, singleton: number) => boolean;
  /** Cuts known to hold before any LP is solved (e.g. each line through a target needs a second hidden cell). */
  initialCuts?: Cut[];
}

export interface SuppressionResult {
  suppressed: Set<number>;
  /** True when the method proved the pattern cheapest (the optimal method finished). */
  optimal: boolean;
  method: "optimal" | "heuristic";
  iterations: number;
  solves: number;
}

/** No pattern protects a target: the reason names the target. */
export class CannotProtect extends Error {
  readonly column: number;
  constructor(column: number, message: string) {
    super(message);
    this.name = "CannotProtect";
    this.column = column;
  }
}

function decisionColumns(system: AttackerSystem): number[] {
  const columns: number[] = [];
  for (let column = 0; column < system.columns; column++)
    if (system.kind[column] === DECISION) columns.push(column);
  return columns;
}

/**
 * The cut of last resort: hiding fewer cells never widens an interval, so any protecting pattern hides some
 * cell this one publishes; when none is left, nothing can protect the target.
 */
function noGood(attacker: Attacker, decisions: readonly number[], violation: Violation): Cut {
  const columns = decisions.filter((column) => !attacker.isSuppressed(column));
  if (columns.length === 0)
    throw new CannotProtect(violation.target.column, "hiding every cell still does not protect it");
  return { columns, coefficients: columns.map(() => 1), rhs: 1 };
}

/**
 * The heuristic: start from the mandatory cells; while the (bounded) attacker can narrow some target, take the
 * cut its LP duals give and hide the cells that meet it most cheaply (cost per unit of the cut's coefficient),
 * then audit again. Hiding more never narrows an interval, so targets found safe stay safe and the loop ends.
 * A final pass, within a budget of LPs, publishes again each secondary cell the targets turn out not to need,
 * dearest first.
 * Like sdcTable's SIMPLEHEURISTIC it relies on the attacker's LPs rather than on the table's geometry, so
 * hierarchies, linked tables and earlier releases are handled alike.
 */
export function heuristicSuppression(
  problem: SuppressionProblem,
  solver: LpSolver,
  options: { prune?: boolean; pruneBudget?: number; maxRounds?: number } = {},
): SuppressionResult {
  const { system, weights } = problem;
  const decisions = decisionColumns(system);
  const attacker = new Attacker(system, solver, { kind: "bounded", slack: problem.slack }, problem.mandatory);
  const mandatory = new Set(problem.mandatory);
  try {
    const checker = new TargetChecker(attacker, problem.targets, problem.singletons, problem.related);
    let pending = problem.targets.map((_, index) => index);
    let rounds = 0;
    const maxRounds = options.maxRounds ?? 10_000;
    while (pending.length > 0) {
      if (++rounds > maxRounds) throw new Error("secondary suppression did not settle");
      const unsafe: number[] = [];
      for (const index of pending) {
        const violations = checker.check(index, true);
        if (violations.length === 0) continue;
        unsafe.push(index);
        const violation = violations[0] as Violation;
        const cut =
          attacker.cut(
            violation.target.column,
            violation.direction,
            violation.extreme,
            violation.required,
            violation.known,
          ) ?? noGood(attacker, decisions, violation);
        satisfyCut(attacker, cut, weights, violation);
      }
      pending = unsafe;
    }
    // Pruning re-checks the targets each secondary cell's removal could affect; on large tables that is most
    // of them, so it stops after a budget of LPs (by default four times what finding the pattern took).
    if (options.prune ?? true) {
      const budget = options.pruneBudget ?? 4 * attacker.solves + 500;
      prune(attacker, checker, weights, mandatory, attacker.solves + budget);
    }
    const suppressed = new Set(decisions.filter((column) => attacker.isSuppressed(column)));
    return { suppressed, optimal: false, method: "heuristic", iterations: rounds, solves: attacker.solves };
  } finally {
    attacker.dispose();
  }
}

/** Hides the cheapest cells (per unit of coefficient) until the cut holds for the current pattern. */
function satisfyCut(attacker: Attacker, cut: Cut, weights: Float64Array, violation: Violation): void {
  let met = 0;
  const open: { column: number; coefficient: number }[] = [];
  cut.columns.forEach((column, k) => {
    const coefficient = cut.coefficients[k] as number;
    if (attacker.isSuppressed(column)) met += coefficient;
    else open.push({ column, coefficient });
  });
  let deficit = cut.rhs - met;
  while (deficit > 1e-9) {
    let best = -1;
    let bestRatio = Number.POSITIVE_INFINITY;
    open.forEach((candidate, k) => {
      if (attacker.isSuppressed(candidate.column)) return;
      const ratio = ((weights[candidate.column] as number) + 1e-9) / Math.min(candidate.coefficient, deficit);
      if (ratio < bestRatio) {
        bestRatio = ratio;
        best = k;
      }
    });
    if (best < 0) throw new CannotProtect(violation.target.column, "no published cell is left to hide");
    const chosen = open[best] as { column: number; coefficient: number };
    attacker.setSuppressed(chosen.column, true);
    deficit -= chosen.coefficient;
  }
}

/** Publishes again each secondary cell (dearest first) if every target stays protected without it. */
function prune(
  attacker: Attacker,
  checker: TargetChecker,
  weights: Float64Array,
  mandatory: ReadonlySet<number>,
  stopAfter: number,
): void {
  const secondary: number[] = [];
  for (let column = 0; column < attacker.system.columns; column++) {
    if (attacker.isSuppressed(column) && !mandatory.has(column)) secondary.push(column);
  }
  secondary.sort((a, b) => (weights[b] as number) - (weights[a] as number) || a - b);
  for (const column of secondary) {
    if (attacker.solves >= stopAfter) return;
    const affected = checker.affectedBy(column);
    const saved = checker.saveWitnesses(affected);
    attacker.setSuppressed(column, false);
    const stillSafe = affected.every((index) => checker.check(index, true).length === 0);
    if (!stillSafe) {
      attacker.setSuppressed(column, true);
      checker.restoreWitnesses(saved);
    }
  }
}

/**
 * The optimal method: the classic cell-suppression model solved by constraint generation (Fischetti & Salazar
 * 2001). A master MIP picks the cheapest pattern (0/1 per cell) meeting the cuts found so far; every target is
 * then attacked (each singleton's contributor in turn) and each insufficient extreme adds the cut its duals
 * give; repeat until no attacker can narrow any target. The pattern is then optimal for the bounded attacker.
 * Returns undefined when it runs out of iterations or of `timeLimitSeconds` (for the whole method, counted in
 * the time the solver reports; default 30 s): the caller falls back to the heuristic.
 */
export function optimalSuppression(
  problem: SuppressionProblem,
  solver: LpSolver,
  options: { maxIterations?: number; timeLimitSeconds?: number } = {},
): SuppressionResult | undefined {
  const { system, weights } = problem;
  const decisions = decisionColumns(system);
  const position = new Map(decisions.map((column, k) => [column, k]));
  const mandatory = new Set(problem.mandatory);
  const lower = Float64Array.from(decisions, (column) => (mandatory.has(column) ? 1 : 0));
  const master = solver.open({
    sense: "minimize",
    columns: decisions.length,
    cost: Float64Array.from(decisions, (column) => weights[column] as number),
    lower,
    upper: new Float64Array(decisions.length).fill(1),
    rows: {
      starts: new Int32Array(1),
      indices: new Int32Array(0),
      values: new Float64Array(0),
      lower: new Float64Array(0),
      upper: new Float64Array(0),
    },
    integer: new Uint8Array(decisions.length).fill(1),
  });
  const attacker = new Attacker(system, solver, { kind: "bounded", slack: problem.slack }, problem.mandatory);
  const addCut = (cut: Cut) => {
    const columns: number[] = [];
    const values: number[] = [];
    cut.columns.forEach((column, k) => {
      const at = position.get(column);
      if (at === undefined) return;
      columns.push(at);
      values.push(cut.coefficients[k] as number);
    });
    master.addRow(columns, values, cut.rhs - 1e-7, Number.POSITIVE_INFINITY);
  };
  try {
    for (const cut of problem.initialCuts ?? []) addCut(cut);
    const checker = new TargetChecker(attacker, problem.targets, problem.singletons, problem.related);
    const maxIterations = options.maxIterations ?? 500;
    const budget = options.timeLimitSeconds ?? 30;
    let spent = 0;
    for (let iteration = 1; iteration <= maxIterations; iteration++) {
      const remaining = budget - spent - attacker.seconds;
      if (remaining <= 0) return undefined;
      const result = master.solve({ timeLimitSeconds: remaining });
      spent += result.seconds ?? 0;
      if (result.status !== "optimal") return undefined;
      decisions.forEach((column, k) => {
        attacker.setSuppressed(column, (result.primal[k] as number) > 0.5);
      });
      let violated = 0;
      problem.targets.forEach((_, index) => {
        for (const violation of checker.check(index)) {
          violated++;
          const cut =
            attacker.cut(
              violation.target.column,
              violation.direction,
              violation.extreme,
              violation.required,
              violation.known,
            ) ?? noGood(attacker, decisions, violation);
          addCut(cut);
        }
      });
      if (violated === 0) {
        const suppressed = new Set(decisions.filter((column) => attacker.isSuppressed(column)));
        return {
          suppressed,
          optimal: true,
          method: "optimal",
          iterations: iteration,
          solves: attacker.solves,
        };
      }
    }
    return undefined;
  } finally {
    attacker.dispose();
    master.dispose();
  }
}

/** Each line (equation) through a target needs another hidden cell, and one more beside any singleton in it. */
export function lineCuts(
  system: AttackerSystem,
  targets: readonly Target[],
  singletons: ReadonlySet<number>,
  related: (target: number, singleton: number) => boolean = () => false,
): Cut[] {
  const cuts: Cut[] = [];
  const byColumn = new Map<number, number[]>();
  system.equations.forEach((equation, row) => {
    for (const column of equation.columns) {
      const list = byColumn.get(column);
      if (list) list.push(row);
      else byColumn.set(column, [row]);
    }
  });
  for (const target of targets) {
    for (const row of byColumn.get(target.column) ?? []) {
      const equation = system.equations[row] as { columns: number[] };
      // Valid only where every other figure in the line could be published: none never published.
      if (equation.columns.some((column) => system.kind[column] === FREE)) continue;
      const others = equation.columns.filter(
        (column) => column !== target.column && system.kind[column] === DECISION,
      );
      if (others.length > 0) cuts.push({ columns: others, coefficients: others.map(() => 1), rhs: 1 });
      for (const singleton of others) {
        if (!singletons.has(singleton) || related(target.column, singleton)) continue;
        const rest = others.filter((column) => column !== singleton);
        if (rest.length > 0) cuts.push({ columns: rest, coefficients: rest.map(() => 1), rhs: 1 });
      }
    }
  }
  return cuts;
}

/** The bounded attacker's slack: above any figure and any protection level, so it never decides alone. */
export function slackFor(system: AttackerSystem, targets: readonly Target[]): number {
  let largest = 0;
  for (const value of system.nominal) largest = Math.max(largest, value);
  for (const target of targets) largest = Math.max(largest, target.protection.upper, target.protection.lower);
  return largest + 1;
}
