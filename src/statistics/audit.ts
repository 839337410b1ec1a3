import {
  Attacker,
  type AttackerMode,
  type AttackerSystem,
  DECISION,
  type Extreme,
  tolerance,
} from "./attacker.ts";
import type { PrimaryCell, ProtectionLevels } from "./rules.ts";
import type { LpSolver } from "./solver.ts";
import { amount, isMagnitude, type Table } from "./table.ts";

/** A figure that must stay protected: its column, true value and protection levels. */
export interface Target {
  column: number;
  value: number;
  protection: ProtectionLevels;
}

/** The attacker's interval for one hidden figure. `upper` is Infinity when nothing bounds it. */
export interface Interval {
  column: number;
  lower: number;
  upper: number;
}

/** A protected figure the attacker can narrow too far, and who (`known`: a singleton's own contributor). */
export interface Exposure {
  column: number;
  value: number;
  lower: number;
  upper: number;
  required: ProtectionLevels;
  /** The column whose sole contributor is the attacker, when it takes one. */
  known?: number;
}

export interface Violation {
  target: Target;
  direction: 1 | -1;
  known: number | undefined;
  extreme: Extreme;
  /** The objective the extreme must reach: value + upper level, or −(value − lower level). */
  required: number;
}

/** Whether an extreme reaches what a direction requires, after rounding counts inwards. */
function reaches(attacker: Attacker, extreme: Extreme, required: number): boolean {
  let bound = extreme.bound;
  if (!Number.isFinite(bound)) return true;
  if (attacker.system.integral) bound = Math.floor(bound + tolerance(bound));
  return bound >= required - tolerance(required);
}

function deviates(attacker: Attacker, primal: Float64Array | undefined, column: number): boolean {
  if (!primal) return true;
  const nominal = attacker.system.nominal[column] as number;
  return Math.abs((primal[column] as number) - nominal) > tolerance(nominal);
}

/**
 * Checks targets against an attacker, with each singleton's contributor taking a turn as the attacker. Keeps,
 * per target, the LP solutions that witness its protection: a solution with a figure at its true value stays
 * optimal when that figure becomes known or published, so only targets whose witnesses move it need solving
 * again (the same argument lets most singleton turns be skipped).
 */
export class TargetChecker {
  readonly attacker: Attacker;
  readonly targets: Target[];
  private readonly singletons: number[];
  private readonly related: (target: number, singleton: number) => boolean;
  private readonly witnesses = new Map<number, (Float64Array | undefined)[]>();
  /** Per target index, the plain extremes of the last check (bound of max and of −min). */
  readonly extremes = new Map<number, { up: number; down: number }>();

  /**
   * `related(target, singleton)`: whether the two figures share contributors (one contains the other), in which
   * case the singleton's contributor is an insider of the target, whom the target's own rule already allows for.
   */
  constructor(
    attacker: Attacker,
    targets: Target[],
    singletons: Iterable<number>,
    related: (target: number, singleton: number) => boolean = () => false,
  ) {
    this.attacker = attacker;
    this.targets = targets;
    this.singletons = [...singletons];
    this.related = related;
  }

  /** Checks one target; returns its violations (empty when protected) and records its witnesses. */
  check(index: number, firstOnly = false): Violation[] {
    const target = this.targets[index] as Target;
    const { attacker } = this;
    const violations: Violation[] = [];
    const witnesses: (Float64Array | undefined)[] = [];
    const requiredUp = target.value + target.protection.upper;
    const requiredDown = -(target.value - target.protection.lower);
    const base: { direction: 1 | -1; required: number; extreme: Extreme }[] = [];
    for (const [direction, required] of [
      [1, requiredUp],
      [-1, requiredDown],
    ] as const) {
      const extreme = attacker.extreme(target.column, direction);
      base.push({ direction, required, extreme });
      const last = this.extremes.get(index) ?? { up: Number.NaN, down: Number.NaN };
      if (direction === 1) last.up = extreme.bound;
      else last.down = extreme.bound;
      this.extremes.set(index, last);
      if (!reaches(attacker, extreme, required)) {
        violations.push({ target, direction, known: undefined, extreme, required });
        if (firstOnly) return violations;
      } else witnesses.push(extreme.primal);
    }
    // Each singleton's contributor in turn. A solution with the singleton at its true value already answers
    // for it; the rest are tried together (a coalition that knows them all), and only a group the coalition
    // breaks is split in halves, so a protected target costs one more LP, not one per singleton.
    const candidates = this.singletons.filter(
      (singleton) =>
        singleton !== target.column &&
        attacker.isHidden(singleton) &&
        !this.related(target.column, singleton),
    );
    for (const { direction, required, extreme } of base) {
      if (candidates.length === 0 || !reaches(attacker, extreme, required)) continue;
      const found: (Float64Array | undefined)[] = [extreme.primal];
      const uncovered = (group: readonly number[]) =>
        group.filter((singleton) => found.every((primal) => deviates(attacker, primal, singleton)));
      const test = (group: readonly number[]): boolean => {
        const open = uncovered(group);
        if (open.length === 0) return true;
        for (const singleton of open) attacker.setKnown(singleton, true);
        const known = attacker.extreme(target.column, direction);
        for (const singleton of open) attacker.setKnown(singleton, false);
        if (reaches(attacker, known, required)) {
          found.push(known.primal);
          witnesses.push(known.primal);
          return true;
        }
        if (open.length === 1) {
          violations.push({ target, direction, known: open[0], extreme: known, required });
          return !firstOnly;
        }
        const half = Math.ceil(open.length / 2);
        return test(open.slice(0, half)) && test(open.slice(half));
      };
      if (!test(candidates) && firstOnly) return violations;
    }
    this.witnesses.set(index, violations.length === 0 ? witnesses : [undefined]);
    return violations;
  }

  /**
   * Targets that may lose protection if `column` is published (their witnesses move it), those whose
   * witnesses move it most first: they are the likeliest to fail, and a failed check stops at the first.
   */
  affectedBy(column: number): number[] {
    const affected: { index: number; reliance: number }[] = [];
    const nominal = this.attacker.system.nominal[column] as number;
    this.targets.forEach((_, index) => {
      const witnesses = this.witnesses.get(index);
      let reliance = 0;
      for (const primal of witnesses ?? [undefined]) {
        if (!primal) reliance = Number.POSITIVE_INFINITY;
        else if (deviates(this.attacker, primal, column))
          reliance = Math.max(reliance, Math.abs((primal[column] as number) - nominal));
      }
      if (reliance > 0) affected.push({ index, reliance });
    });
    return affected.sort((a, b) => b.reliance - a.reliance || a.index - b.index).map((entry) => entry.index);
  }

  saveWitnesses(indices: readonly number[]): Map<number, (Float64Array | undefined)[] | undefined> {
    return new Map(indices.map((index) => [index, this.witnesses.get(index)]));
  }

  restoreWitnesses(saved: Map<number, (Float64Array | undefined)[] | undefined>): void {
    for (const [index, witnesses] of saved) {
      if (witnesses) this.witnesses.set(index, witnesses);
      else this.witnesses.delete(index);
    }
  }
}

/** The attacker's system for one table: a column per cell, an equation per total. */
export function tableSystem(table: Table): AttackerSystem {
  const nominal = Float64Array.from(table.cells, (cell) => amount(table, cell));
  return {
    columns: table.cells.length,
    nominal,
    kind: new Uint8Array(table.cells.length).fill(DECISION),
    equations: table.equations.map((equation) => ({
      columns: [equation.total, ...equation.parts],
      values: [1, ...equation.parts.map(() => -1)],
    })),
    integral: !isMagnitude(table) && nominal.every((value) => Number.isInteger(value)),
  };
}

export interface AuditResult {
  /** The attacker's interval for every suppressed cell. */
  intervals: Interval[];
  /** Protected cells the attacker (or a singleton's contributor) narrows below their protection levels. */
  exposures: Exposure[];
  safe: boolean;
  solves: number;
}

/**
 * The audit: the interval of every hidden figure as the plain attacker computes it (two LPs each), and a check
 * that every target's interval covers its protection interval, for the attacker and for each singleton's
 * contributor in turn. `intervalsOf` lists the columns to report (default: the suppressed ones).
 */
export function auditSystem(
  system: AttackerSystem,
  suppressed: Iterable<number>,
  solver: LpSolver,
  options: {
    targets?: Target[];
    singletons?: Iterable<number>;
    related?: (target: number, singleton: number) => boolean;
    intervalsOf?: number[];
    mode?: AttackerMode;
  } = {},
): AuditResult {
  const hidden = [...suppressed];
  const attacker = new Attacker(system, solver, options.mode ?? { kind: "plain" }, hidden);
  try {
    const exposures: Exposure[] = [];
    const targets = options.targets ?? [];
    const checker = new TargetChecker(attacker, targets, options.singletons ?? [], options.related);
    const known = new Map<number, { lower: number; upper: number }>();
    targets.forEach((target, index) => {
      const violations = checker.check(index);
      const extremes = checker.extremes.get(index);
      if (extremes && !Number.isNaN(extremes.up) && !Number.isNaN(extremes.down))
        known.set(target.column, rounded(attacker, -extremes.down, extremes.up));
      const seen = new Set<string>();
      for (const violation of violations) {
        const key = String(violation.known);
        if (seen.has(key)) continue;
        seen.add(key);
        // Report the interval the attacker in question computes.
        if (violation.known !== undefined) attacker.setKnown(violation.known, true);
        const interval = attacker.interval(target.column);
        if (violation.known !== undefined) attacker.setKnown(violation.known, false);
        exposures.push({
          column: target.column,
          value: target.value,
          lower: interval.lower,
          upper: interval.upper,
          required: target.protection,
          ...(violation.known === undefined ? {} : { known: violation.known }),
        });
      }
    });
    const intervals: Interval[] = [];
    for (const column of options.intervalsOf ?? hidden) {
      const { lower, upper } = known.get(column) ?? attacker.interval(column);
      intervals.push({ column, lower, upper });
    }
    return { intervals, exposures, safe: exposures.length === 0, solves: attacker.solves };
  } finally {
    attacker.dispose();
  }
}

/** An interval from the two extremes, rounded inwards for whole-number figures. */
function rounded(attacker: Attacker, low: number, high: number): { lower: number; upper: number } {
  let lower = low;
  let upper = high;
  if (attacker.system.integral) {
    lower = Math.ceil(lower - tolerance(lower));
    if (Number.isFinite(upper)) upper = Math.floor(upper + tolerance(upper));
  }
  return { lower: Math.max(0, lower), upper };
}

/** Targets for a table's primary cells. */
export function tableTargets(table: Table, primaries: ReadonlyMap<number, PrimaryCell>): Target[] {
  return [...primaries.values()].map((primary) => ({
    column: primary.cell,
    value: amount(table, table.cells[primary.cell] as Table["cells"][number]),
    protection: primary.protection,
  }));
}

/**
 * Audits a table's suppression pattern: every suppressed cell's interval as an attacker who knows every
 * published cell, every margin and that no figure is negative computes it; and, given the primary cells and
 * singletons, whether each primary cell keeps its protection interval.
 */
export function auditTable(
  table: Table,
  suppressed: Iterable<number>,
  solver: LpSolver,
  options: { primaries?: ReadonlyMap<number, PrimaryCell>; singletons?: Iterable<number> } = {},
): AuditResult {
  return auditSystem(tableSystem(table), suppressed, solver, {
    targets: options.primaries ? tableTargets(table, options.primaries) : [],
    singletons: options.singletons ?? [],
    related: (a, b) => overlapping(table, a, b),
  });
}

/** Whether two cells share contributors: along every dimension one's category lies within the other's. */
export function overlapping(table: Table, a: number, b: number): boolean {
  const first = table.cells[a] as Table["cells"][number];
  const second = table.cells[b] as Table["cells"][number];
  return table.dimensions.every((tree, d) => {
    const x = first.coordinates[d] as number;
    const y = second.coordinates[d] as number;
    return within(tree.nodes, x, y) || within(tree.nodes, y, x);
  });
}

function within(nodes: readonly { parent: number }[], node: number, ancestor: number): boolean {
  for (let at = node; at >= 0; at = (nodes[at] as { parent: number }).parent)
    if (at === ancestor) return true;
  return false;
}
