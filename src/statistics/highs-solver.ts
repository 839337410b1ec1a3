// The one impure file of the statistics module: HiGHS (compiled to WebAssembly, npm package `highs`) behind
// the LpSolver interface. Loading the Wasm is asynchronous; every solve after that is synchronous.
import highsModule, { type Highs, type Model, type ModelData } from "highs";
import type { LinearProgram, LpResult, LpSession, LpSolver, LpStatus, SolveOptions } from "./solver.ts";

// The package is CommonJS to TypeScript but Node loads its ES module, whose default export is the loader.
const highsLoader = (
  typeof highsModule === "function" ? highsModule : highsModule.default
) as typeof highsModule.default;

let loading: Promise<Highs> | undefined;

/** Loads HiGHS once per process and returns the solver. */
export async function loadHighsSolver(): Promise<LpSolver> {
  loading ??= highsLoader();
  return highsSolver(await loading);
}

function modelData(highs: Highs, program: LinearProgram): ModelData {
  const { rows } = program;
  return {
    numCols: program.columns,
    numRows: rows.lower.length,
    sense:
      program.sense === "maximize"
        ? highs.constants.objectiveSense.maximize
        : highs.constants.objectiveSense.minimize,
    colCost: program.cost,
    colLower: program.lower,
    colUpper: program.upper,
    rowLower: rows.lower,
    rowUpper: rows.upper,
    matrix: {
      format: "csr",
      numRows: rows.lower.length,
      numCols: program.columns,
      starts: rows.starts,
      indices: rows.indices,
      values: rows.values,
    },
    ...(program.integer
      ? { integrality: Int32Array.from(program.integer, (flag) => (flag ? 1 : 0)) as Int32Array }
      : {}),
  };
}

function status(highs: Highs, code: number, hasSolution: boolean): LpStatus {
  const codes = highs.constants.modelStatus;
  if (code === codes.optimal) return "optimal";
  if (code === codes.infeasible) return "infeasible";
  // An attacker's problem always has a feasible point (the true table), so "infeasible or unbounded" means
  // unbounded for every model this module builds.
  if (code === codes.unbounded || code === codes.unboundedOrInfeasible) return "unbounded";
  if (
    (code === codes.timeLimit ||
      code === codes.iterationLimit ||
      code === codes.solutionLimit ||
      code === codes.interrupted) &&
    hasSolution
  )
    return "limit";
  if (code === codes.empty) return "optimal";
  return "error";
}

function result(highs: Highs, model: Model, columns: number, rows: number): LpResult {
  const code = model.getModelStatus();
  const solution = model.getSolution();
  const primal = solution.colValue.length === columns ? solution.colValue : new Float64Array(columns);
  const hasSolution = solution.colValue.length === columns && primalStatus(model) === 2;
  const rowDual = solution.rowDual.length === rows ? solution.rowDual : new Float64Array(rows);
  return {
    status: status(highs, code, hasSolution),
    objective: model.getObjectiveValue(),
    primal,
    rowDual,
    seconds: model.getRunTime(),
  };
}

/** HiGHS's primal_solution_status: 2 is "feasible"; the item is missing before any solve. */
function primalStatus(model: Model): unknown {
  try {
    return model.info.get("primal_solution_status");
  } catch {
    return undefined;
  }
}

const quiet = { output_flag: false, presolve: "off" } as const;

function applyOptions(model: Model, program: { integer?: Uint8Array }, options?: SolveOptions): void {
  model.options.set({
    ...quiet,
    time_limit: options?.timeLimitSeconds ?? 1e9,
    // Secondary suppression needs the true optimum, not one within HiGHS's default 0.01% gap.
    ...(program.integer ? { mip_rel_gap: 0, mip_abs_gap: 1e-6 } : {}),
  });
}

export function highsSolver(highs: Highs): LpSolver {
  return {
    solve(program, options) {
      const model = highs.createModel(modelData(highs, program));
      try {
        applyOptions(model, program, options);
        model.run();
        return result(highs, model, program.columns, program.rows.lower.length);
      } finally {
        model.dispose();
      }
    },
    open(program): LpSession {
      const model = highs.createModel(modelData(highs, program));
      applyOptions(model, program);
      // A new objective leaves the last basis primal feasible: primal simplex carries on from it.
      if (!program.integer) model.options.set("simplex_strategy", 4);
      let timeLimit: number | undefined;
      let rows = program.rows.lower.length;
      let columns = program.columns;
      let costed: readonly number[] = [];
      let currentSense = program.sense;
      return {
        setObjective(sense, indices, costs) {
          for (const column of costed) model.changeColCost(column, 0);
          for (let k = 0; k < indices.length; k++)
            model.changeColCost(indices[k] as number, costs[k] as number);
          costed = indices.slice();
          if (sense !== currentSense) {
            currentSense = sense;
            model.changeObjectiveSense(
              sense === "maximize"
                ? highs.constants.objectiveSense.maximize
                : highs.constants.objectiveSense.minimize,
            );
          }
        },
        setBounds(column, lower, upper) {
          model.changeColBounds(column, lower, upper);
        },
        addRow(indices, values, lower, upper) {
          model.addRow(lower, upper, { indices: indices.slice(), values: values.slice() });
          rows++;
        },
        addColumn(cost, lower, upper, indices, values) {
          model.addCol(cost, lower, upper, { indices: indices.slice(), values: values.slice() });
          columns++;
        },
        setRowBounds(row, lower, upper) {
          model.changeRowBounds(row, lower, upper);
        },
        solve(options) {
          if (options?.timeLimitSeconds !== timeLimit) {
            timeLimit = options?.timeLimitSeconds;
            model.options.set("time_limit", timeLimit ?? 1e9);
          }
          // HiGHS counts its time limit over every run since the clocks were zeroed: give each solve its own.
          model.zeroAllClocks();
          model.run();
          return result(highs, model, columns, rows);
        },
        dispose() {
          model.dispose();
        },
      };
    },
  };
}
