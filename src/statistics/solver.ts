// The linear-programming solver the statistics module is given. The module never loads a solver itself
// (DESIGN.md: statistics depends on nothing but a solver); highs-solver.ts adapts HiGHS to this interface
// for the CLI, the bench and the tests, and anything else that solves LPs and MIPs could stand in.

/** Sparse rows, compressed by row (CSR): row r holds `indices/values[starts[r] .. starts[r + 1])`. */
export interface SparseRows {
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * `minimize|maximize cost·x` subject to `rows.lower ≤ A x ≤ rows.upper` and `lower ≤ x ≤ upper`. Infinite
 * bounds are `±Infinity`. With `integer`, every column marked 1 must take a whole value (a MIP).
 */
export interface LinearProgram {
  sense: "minimize" | "maximize";
  columns: number;
  cost: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  rows: SparseRows;
  integer?: Uint8Array;
}

export type LpStatus = "optimal" | "infeasible" | "unbounded" | "limit" | "error";

export interface LpResult {
  status: LpStatus;
  /** The objective at the solution; meaningful when `status` is "optimal" (or "limit" with a solution). */
  objective: number;
  /** Column values. */
  primal: Float64Array;
  /** Row duals (LP only). Sign conventions differ between solvers: callers check them (attacker.ts). */
  rowDual: Float64Array;
  /** Time the solver spent, as it reports it (the pure module reads no clock of its own). */
  seconds?: number;
}

export interface SolveOptions {
  /** Stop a MIP after this many seconds and return the best solution found, with status "limit". */
  timeLimitSeconds?: number;
}

/** A model kept loaded between solves, so a series of related LPs reuses the last basis (warm start). */
export interface LpSession {
  /** Replaces the objective: the listed columns get the listed costs, every other column 0. */
  setObjective(sense: "minimize" | "maximize", columns: readonly number[], costs: readonly number[]): void;
  setBounds(column: number, lower: number, upper: number): void;
  /** Appends a row `lower ≤ Σ values[i]·x[columns[i]] ≤ upper`. */
  addRow(columns: readonly number[], values: readonly number[], lower: number, upper: number): void;
  /** Appends a column with the given cost, bounds and coefficients in existing rows; the basis is kept. */
  addColumn(
    cost: number,
    lower: number,
    upper: number,
    rows: readonly number[],
    values: readonly number[],
  ): void;
  setRowBounds(row: number, lower: number, upper: number): void;
  solve(options?: SolveOptions): LpResult;
  dispose(): void;
}

export interface LpSolver {
  /** Solves one program (LP or MIP) from scratch. */
  solve(program: LinearProgram, options?: SolveOptions): LpResult;
  /** Loads a program to be changed and solved repeatedly; the caller disposes it. */
  open(program: LinearProgram): LpSession;
}

/** Builds CSR rows from a list of sparse rows. */
export function sparseRows(
  rows: readonly { columns: readonly number[]; values: readonly number[]; lower: number; upper: number }[],
): SparseRows {
  let size = 0;
  for (const row of rows) size += row.columns.length;
  const starts = new Int32Array(rows.length + 1);
  const indices = new Int32Array(size);
  const values = new Float64Array(size);
  const lower = new Float64Array(rows.length);
  const upper = new Float64Array(rows.length);
  let at = 0;
  rows.forEach((row, r) => {
    starts[r] = at;
    for (let k = 0; k < row.columns.length; k++) {
      indices[at] = row.columns[k] as number;
      values[at] = row.values[k] as number;
      at++;
    }
    lower[r] = row.lower;
    upper[r] = row.upper;
  });
  starts[rows.length] = at;
  return { starts, indices, values, lower, upper };
}
