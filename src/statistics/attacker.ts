import type { LpResult, LpSession, LpSolver } from "./solver.ts";
import { sparseRows } from "./solver.ts";

/**
 * The attacker's problem (Hundepool et al. 2012 §4.3.1; Fischetti & Salazar, "Solving the cell suppression
 * problem on tabular data with linear constraints", Management Science 47(7), 2001): the attacker knows every
 * published figure, every linear relation between figures (each total is the sum of its parts) and that no
 * figure is negative, and computes the smallest and largest value a suppressed figure can take. Those two LPs
 * per suppressed figure are the audit; their duals give the cuts that secondary suppression adds.
 *
 * A system is a set of columns (figures) tied by homogeneous equations Σ coefficient × figure = 0:
 * - "decision" columns are the cells of the table being released, published or suppressed as decided;
 * - "fixed" columns are known exactly (cells published in an earlier release);
 * - "free" columns are never published (cells of the finest cross-classification, cells suppressed earlier).
 */
export interface AttackerSystem {
  columns: number;
  /** The true figure of every column. */
  nominal: Float64Array;
  /** 0 decision, 1 fixed, 2 free. */
  kind: Uint8Array;
  equations: { columns: number[]; values: number[] }[];
  /** Whether every figure is a whole number (counts): intervals are then rounded inwards. */
  integral: boolean;
}

export const DECISION = 0;
export const FIXED = 1;
export const FREE = 2;

/**
 * "plain": what a real attacker knows (no upper bounds); "bounded": each hidden figure is also at most its
 * value plus `slack` — a stronger attacker, used while choosing suppressions because a dual cut needs finite
 * bounds. A pattern safe against the bounded attacker is safe against the plain one.
 */
export type AttackerMode = { kind: "plain" } | { kind: "bounded"; slack: number };

/** Σ coefficients[j] × suppressed(j) ≥ rhs over decision columns: a suppression pattern must satisfy it. */
export interface Cut {
  columns: number[];
  coefficients: number[];
  rhs: number;
}

export interface Extreme {
  /** max (direction +1) or −min (direction −1) of the column; Infinity when unbounded. */
  bound: number;
  primal: Float64Array | undefined;
  /** The LP's result; `rowDual[k]` is the dual of equation `rows[k]` (equations not listed have none). */
  result: LpResult & { rows: readonly number[] };
}

const TOLERANCE = 1e-7;

export function tolerance(value: number): number {
  return TOLERANCE * Math.max(1, Math.abs(value));
}

interface Component {
  /** Global column of each local column. */
  members: number[];
  /** Global equation of each local row. */
  rows: number[];
  local: Map<number, number>;
  /** Local row of each global equation in the group. */
  rowLocal: Map<number, number>;
  /** Each local row's right-hand side (the published figures moved across), while the LP exists. */
  rhs: number[];
  session: LpSession | undefined;
}

/**
 * One attacker whose LPs follow the current suppression pattern. Hidden figures fall into independent groups
 * (connected through the equations they share); each group is its own small LP over its hidden figures only,
 * with published figures moved to the right-hand side. A group's LP is built once and then solved for each
 * of its figures with a new objective, reusing the last basis.
 */
export class Attacker {
  readonly system: AttackerSystem;
  readonly mode: AttackerMode;
  private readonly solver: LpSolver;
  private readonly suppressed: Uint8Array;
  private readonly known: Uint8Array;
  /** Per column, the equations it appears in. */
  private readonly columnEquations: number[][];
  /** Per column, its group while `fresh`; -1 for a figure the attacker knows exactly. */
  private componentOf: Int32Array;
  private components: Component[] = [];
  private fresh = false;
  solves = 0;
  /** Solver time, as the solver reports it. */
  seconds = 0;

  constructor(
    system: AttackerSystem,
    solver: LpSolver,
    mode: AttackerMode,
    suppressed: Iterable<number> = [],
  ) {
    this.system = system;
    this.mode = mode;
    this.solver = solver;
    this.suppressed = new Uint8Array(system.columns);
    for (const column of suppressed) this.suppressed[column] = 1;
    this.known = new Uint8Array(system.columns);
    this.componentOf = new Int32Array(system.columns).fill(-1);
    this.columnEquations = Array.from({ length: system.columns }, () => []);
    system.equations.forEach((equation, row) => {
      for (const column of equation.columns) (this.columnEquations[column] as number[]).push(row);
    });
  }

  dispose(): void {
    for (const component of this.components) component.session?.dispose();
    this.components = [];
  }

  isSuppressed(column: number): boolean {
    return this.suppressed[column] === 1;
  }

  /** Hidden by the pattern: a suppressed decision column or a free one. */
  private patternHidden(column: number): boolean {
    const kind = this.system.kind[column];
    return kind === FREE || (kind === DECISION && this.suppressed[column] === 1);
  }

  /** Whether the attacker may move this column: hidden by the pattern and not known. */
  isHidden(column: number): boolean {
    return this.known[column] !== 1 && this.patternHidden(column);
  }

  private upperOf(column: number): number {
    const nominal = this.system.nominal[column] as number;
    return this.mode.kind === "bounded" ? nominal + this.mode.slack : Number.POSITIVE_INFINITY;
  }

  private bounds(column: number): [number, number] {
    const nominal = this.system.nominal[column] as number;
    return this.isHidden(column) ? [0, this.upperOf(column)] : [nominal, nominal];
  }

  /** Brings a column's bounds in its group's LP up to date, or marks the groups stale if it joins one. */
  private refresh(column: number): void {
    if (!this.fresh) return;
    const group = this.componentOf[column] as number;
    if (group < 0) {
      if (this.isHidden(column)) this.join(column);
      return;
    }
    const component = this.components[group] as Component;
    if (!component.session) return;
    const [lower, upper] = this.bounds(column);
    component.session.setBounds(component.local.get(column) as number, lower, upper);
  }

  setSuppressed(column: number, on: boolean): void {
    if ((this.suppressed[column] === 1) === on) return;
    this.suppressed[column] = on ? 1 : 0;
    this.refresh(column);
  }

  /** Lets a contributor's knowledge of a column in (the column is fixed at its value) or out. */
  setKnown(column: number, on: boolean): void {
    if ((this.known[column] === 1) === on) return;
    this.known[column] = on ? 1 : 0;
    this.refresh(column);
  }

  /**
   * A newly hidden column joins the groups it shares an equation with. Joining one group whose LP exists
   * extends that LP in place (a new column, the rows' right-hand sides adjusted, new rows for its other
   * equations), keeping the basis for a warm start; joining several merges them into one to be rebuilt.
   */
  private join(column: number): void {
    const { system } = this;
    const touching = new Set<number>();
    for (const row of this.columnEquations[column] as number[]) {
      for (const other of (system.equations[row] as { columns: number[] }).columns) {
        const group = this.componentOf[other] as number;
        if (group >= 0) touching.add(group);
      }
    }
    const nominal = system.nominal[column] as number;
    if (touching.size === 1) {
      const group = [...touching][0] as number;
      const component = this.components[group] as Component;
      const local = component.members.length;
      component.members.push(column);
      component.local.set(column, local);
      this.componentOf[column] = group;
      const session = component.session;
      const existingRows: number[] = [];
      const existingValues: number[] = [];
      const newRows: { row: number; value: number; rhs: number }[] = [];
      for (const row of this.columnEquations[column] as number[]) {
        const equation = system.equations[row] as { columns: number[]; values: number[] };
        const value = equation.values[equation.columns.indexOf(column)] as number;
        const localRow = component.rowLocal.get(row);
        if (localRow !== undefined) {
          if (session) {
            const rhs = (component.rhs[localRow] as number) + value * nominal;
            component.rhs[localRow] = rhs;
            session.setRowBounds(localRow, rhs, rhs);
          }
          existingRows.push(localRow);
          existingValues.push(value);
        } else {
          let rhs = 0;
          equation.columns.forEach((other, k) => {
            if (other !== column) rhs -= (equation.values[k] as number) * (system.nominal[other] as number);
          });
          newRows.push({ row, value, rhs });
        }
      }
      for (const { row } of newRows) {
        component.rowLocal.set(row, component.rows.length);
        component.rows.push(row);
      }
      if (session) {
        const [lower, upper] = this.bounds(column);
        session.addColumn(0, lower, upper, existingRows, existingValues);
        for (const { value, rhs } of newRows) {
          component.rhs.push(rhs);
          session.addRow([local], [value], rhs, rhs);
        }
      }
      return;
    }
    // A group of its own, or the merger of several: rebuilt when next needed.
    const merged: Component = {
      members: [column],
      rows: [],
      local: new Map([[column, 0]]),
      rowLocal: new Map(),
      rhs: [],
      session: undefined,
    };
    const index = this.components.length;
    this.components.push(merged);
    this.componentOf[column] = index;
    for (const group of touching) {
      const component = this.components[group] as Component;
      component.session?.dispose();
      component.session = undefined;
      for (const member of component.members) {
        merged.local.set(member, merged.members.length);
        merged.members.push(member);
        this.componentOf[member] = index;
      }
      component.members = [];
      component.rows = [];
    }
    const rows = new Set<number>();
    for (const member of merged.members)
      for (const row of this.columnEquations[member] as number[]) rows.add(row);
    for (const row of rows) {
      merged.rowLocal.set(row, merged.rows.length);
      merged.rows.push(row);
    }
  }

  /** Groups the hidden columns: two are in one group when an equation holds both. */
  private regroup(): void {
    this.dispose();
    const { system } = this;
    const parent = new Int32Array(system.columns).map((_, index) => index);
    const find = (x: number): number => {
      let root = x;
      while (parent[root] !== root) root = parent[root] as number;
      while (parent[x] !== root) {
        const next = parent[x] as number;
        parent[x] = root;
        x = next;
      }
      return root;
    };
    for (const equation of system.equations) {
      let first = -1;
      for (const column of equation.columns) {
        if (!this.patternHidden(column)) continue;
        if (first < 0) first = column;
        else parent[find(column)] = find(first);
      }
    }
    this.componentOf.fill(-1);
    const byRoot = new Map<number, number>();
    for (let column = 0; column < system.columns; column++) {
      if (!this.patternHidden(column)) continue;
      const root = find(column);
      let group = byRoot.get(root);
      if (group === undefined) {
        group = this.components.length;
        byRoot.set(root, group);
        this.components.push({
          members: [],
          rows: [],
          local: new Map(),
          rowLocal: new Map(),
          rhs: [],
          session: undefined,
        });
      }
      const component = this.components[group] as Component;
      component.local.set(column, component.members.length);
      component.members.push(column);
      this.componentOf[column] = group;
    }
    system.equations.forEach((equation, row) => {
      for (const column of equation.columns) {
        const group = this.componentOf[column] as number;
        if (group >= 0) {
          const component = this.components[group] as Component;
          component.rowLocal.set(row, component.rows.length);
          component.rows.push(row);
          return;
        }
      }
    });
    this.fresh = true;
  }

  private session(component: Component): LpSession {
    if (component.session) return component.session;
    const { system } = this;
    const size = component.members.length;
    const lower = new Float64Array(size);
    const upper = new Float64Array(size);
    component.members.forEach((column, local) => {
      const [l, u] = this.bounds(column);
      lower[local] = l;
      upper[local] = u;
    });
    const rows = component.rows.map((row) => {
      const equation = system.equations[row] as { columns: number[]; values: number[] };
      const columns: number[] = [];
      const values: number[] = [];
      let rhs = 0;
      equation.columns.forEach((column, k) => {
        const local = component.local.get(column);
        const value = equation.values[k] as number;
        if (local === undefined) rhs -= value * (system.nominal[column] as number);
        else {
          columns.push(local);
          values.push(value);
        }
      });
      return { columns, values, lower: rhs, upper: rhs };
    });
    component.rhs = rows.map((row) => row.lower);
    component.session = this.solver.open({
      sense: "maximize",
      columns: size,
      cost: new Float64Array(size),
      lower,
      upper,
      rows: sparseRows(rows),
    });
    return component.session;
  }

  /** max (direction +1) or −min (direction −1) of one column. */
  extreme(column: number, direction: 1 | -1): Extreme {
    const nominal = this.system.nominal[column] as number;
    if (!this.isHidden(column)) {
      return {
        bound: direction * nominal,
        primal: this.system.nominal,
        result: {
          status: "optimal",
          objective: direction * nominal,
          primal: this.system.nominal,
          rowDual: new Float64Array(0),
          rows: [],
        },
      };
    }
    if (!this.fresh) this.regroup();
    const component = this.components[this.componentOf[column] as number] as Component;
    const session = this.session(component);
    session.setObjective("maximize", [component.local.get(column) as number], [direction]);
    const local = session.solve();
    this.solves++;
    this.seconds += local.seconds ?? 0;
    // Duals stay sparse: the group's rows only (every other equation's dual is zero).
    const rows = component.rows.slice(0, local.rowDual.length);
    const result = { ...local, rowDual: local.rowDual, rows };
    if (local.status === "unbounded") return { bound: Number.POSITIVE_INFINITY, primal: undefined, result };
    if (local.status !== "optimal")
      throw new Error(`the attacker's LP ended ${local.status}: the published figures do not add up`);
    const primal = this.system.nominal.slice();
    const members = component.members;
    for (let k = 0; k < members.length; k++) primal[members[k] as number] = local.primal[k] as number;
    return { bound: local.objective, primal, result: { ...result, primal } };
  }

  /** The attacker's interval for a column (rounded inwards to whole numbers for counts). */
  interval(column: number): { lower: number; upper: number; low: Extreme; high: Extreme } {
    const high = this.extreme(column, 1);
    const low = this.extreme(column, -1);
    let lower = -low.bound;
    let upper = high.bound;
    if (this.system.integral) {
      lower = Math.ceil(lower - tolerance(lower));
      if (Number.isFinite(upper)) upper = Math.floor(upper + tolerance(upper));
    }
    return { lower: Math.max(0, lower), upper, low, high };
  }

  /**
   * The cut an insufficient extreme gives (Fischetti & Salazar 2001, via LP duality): for any row duals γ,
   * with reduced costs d = c − Aᵀγ, the bound Σ_j (u_j d_j⁺ − l_j d_j⁻) caps the attacker's objective. With
   * the bounds of a hidden decision column being [0, a_j + S] and of a published one [a_j, a_j], the cap is
   * C + Σ_j (S d_j⁺ + a_j d_j⁻) × suppressed_j, so protection (cap ≥ required) needs that sum ≥ required − C.
   * `required` is the objective the extreme must reach (value + protection level, or its negative below).
   */
  cut(
    column: number,
    direction: 1 | -1,
    extreme: Extreme,
    required: number,
    known?: number,
  ): Cut | undefined {
    if (this.mode.kind !== "bounded") throw new Error("cuts need the bounded attacker");
    if (known !== undefined && this.known[known] !== 1) {
      this.known[known] = 1;
      try {
        return this.cut(column, direction, extreme, required, known);
      } finally {
        this.known[known] = 0;
      }
    }
    const slack = this.mode.slack;
    const { nominal, kind } = this.system;
    const gamma = extreme.result.rowDual;
    const rows = extreme.result.rows;
    const attempt = (sign: 1 | -1) => {
      const reduced = new Map<number, number>();
      // d = c − Aᵀγ, only where it can be non-zero: the target and the columns of rows with a dual.
      reduced.set(column, direction);
      gamma.forEach((dual, k) => {
        if (Math.abs(dual) < 1e-12) return;
        const equation = this.system.equations[rows[k] as number] as { columns: number[]; values: number[] };
        for (let k = 0; k < equation.columns.length; k++) {
          const j = equation.columns[k] as number;
          reduced.set(j, (reduced.get(j) ?? 0) - sign * dual * (equation.values[k] as number));
        }
      });
      let constant = 0;
      let cap = 0;
      const columns: number[] = [];
      const coefficients: number[] = [];
      for (const [j, raw] of reduced) {
        const d = Math.abs(raw) < 1e-9 ? 0 : raw;
        if (d === 0) continue;
        const a = nominal[j] as number;
        const positive = Math.max(0, d);
        const negative = Math.max(0, -d);
        if (kind[j] === FREE && this.known[j] !== 1) {
          constant += (a + slack) * positive;
          cap += (a + slack) * positive;
        } else if (kind[j] === DECISION && this.known[j] !== 1) {
          constant += a * d;
          const g = slack * positive + a * negative;
          cap += a * d + (this.suppressed[j] === 1 ? g : 0);
          if (g > 0) {
            columns.push(j);
            coefficients.push(g);
          }
        } else {
          constant += a * d;
          cap += a * d;
        }
      }
      return { constant, cap, columns, coefficients };
    };
    const candidates = [attempt(1), attempt(-1)];
    const target = extreme.bound;
    const matching = candidates.find(
      (candidate) => Math.abs(candidate.cap - target) <= 1e-6 * Math.max(1, Math.abs(target)),
    );
    if (!matching) return undefined;
    let rhs = required - matching.constant;
    if (rhs <= tolerance(required)) return undefined;
    // Strengthen and scale: with 0/1 variables a coefficient above the right-hand side counts as the rhs.
    const coefficients = matching.coefficients.map((g) => Math.min(g, rhs) / rhs);
    rhs = 1;
    return { columns: matching.columns, coefficients, rhs };
  }
}
