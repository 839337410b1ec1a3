// `npm run bench -- statistics [--rows N] [--repeat R] [--seed S] [--small N] [--keep]`, or
// `node bench/statistics.ts …`.
// Three measurements, one JSON object on standard output:
// 1. aggregation: N (default 10,000,000) record-level rows written to a temporary CSV first, then only the
//    streaming import (parse + aggregate) and the cross-tabulation with margins (33 × 10 × 6) are timed, best of
//    R runs (default 3), with the CPU time of that run; peak RSS is the process's high-water mark (the CSV is
//    never held in memory);
// 2. suppression: secondary suppression (heuristic) and the audit it ends with (every suppressed cell's
//    interval, every primary cell's protection) on a ~2,000-cell hierarchical table;
// 3. quality: secondary suppressions of the heuristic against the optimum on tables small enough to solve.
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCsvDataset } from "../src/datasets/index.ts";
import { seededRandom } from "../src/random.ts";
import {
  buildTable,
  type Dataset,
  datasetFromRows,
  type LpSolver,
  loadHighsSolver,
  protectTable,
} from "../src/statistics/index.ts";

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

const boroughs = Array.from({ length: 33 }, (_, index) => `E090000${String(index + 1).padStart(2, "0")}`);
const ages = ["0-9", "10-14", "15-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"];
const categories = ["drugs", "violence", "robbery", "burglary", "vehicle", "other"];

async function writeCsv(path: string, rows: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const out = createWriteStream(path);
  out.write("borough,age_band,category,id\n");
  let batch = "";
  for (let row = 0; row < rows; row++) {
    // Skewed so that some cells are small: the borough and age index squared.
    const borough = boroughs[Math.floor(random() ** 2 * boroughs.length)] as string;
    const age = ages[Math.floor(random() ** 1.5 * ages.length)] as string;
    const category = categories[Math.floor(random() * categories.length)] as string;
    batch += `${borough},${age},${category},${row}\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      batch = "";
    }
  }
  out.write(batch);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function aggregation(rows: number, seed: number, keep: boolean, repeat: number) {
  const folder = await mkdtemp(join(tmpdir(), "foidesk-bench-statistics-"));
  const path = join(folder, "records.csv");
  try {
    await writeCsv(path, rows, seed);
    const bytes = (await stat(path)).size;
    // The best of `repeat` runs: the machine this runs on is shared, so one run can be slowed by others.
    let best:
      | { seconds: number; importSeconds: number; tabulateSeconds: number; cpuSeconds: number }
      | undefined;
    let cells = 0;
    for (let run = 0; run < repeat; run++) {
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      const dataset = await readCsvDataset(
        path,
        { dimensions: ["borough", "age_band", "category"] },
        { progress: false },
      );
      const imported = process.hrtime.bigint();
      const table = buildTable(dataset, ["borough", "age_band", "category"]);
      const finished = process.hrtime.bigint();
      const used = process.cpuUsage(cpu);
      const total = table.cells[table.cells.length - 1]?.freq;
      if (total !== rows) throw new Error(`the grand total is ${total}, not ${rows}`);
      cells = table.cells.length;
      const seconds = Number(finished - started) / 1e9;
      if (!best || seconds < best.seconds)
        best = {
          seconds,
          importSeconds: Number(imported - started) / 1e9,
          tabulateSeconds: Number(finished - imported) / 1e9,
          cpuSeconds: (used.user + used.system) / 1e6,
        };
    }
    const timing = best as NonNullable<typeof best>;
    return {
      rows,
      megabytes: Math.round(bytes / 1e5) / 10,
      runs: repeat,
      ...timing,
      rowsPerSecond: Math.round(rows / timing.seconds),
      cells,
      peakRssMegabytes: Math.round(process.resourceUsage().maxRSS / 1024),
      ...(keep ? { file: path } : {}),
    };
  } finally {
    if (!keep) await rm(folder, { recursive: true, force: true });
  }
}

/** A hierarchical dataset: 20 boroughs in 3 areas under a force, 8 age bands, 8 categories. */
function hierarchicalDataset(seed: number): {
  dataset: Dataset;
  hierarchy: Record<string, Record<string, string[]>>;
} {
  const random = seededRandom(seed);
  const areas: Record<string, string[]> = { North: [], Central: [], South: [] };
  const names = Object.keys(areas);
  for (let index = 0; index < 20; index++)
    areas[names[index % 3] as string]?.push(`B${String(index + 1).padStart(2, "0")}`);
  const rows: Record<string, string | number>[] = [];
  for (const borough of Object.values(areas).flat())
    for (let age = 0; age < 8; age++)
      for (let category = 0; category < 8; category++) {
        // Mostly comfortable counts, about one cell in eight from 1 to 3, a few zeros.
        const draw = random();
        const n =
          draw < 0.04 ? 0 : draw < 0.16 ? 1 + Math.floor(random() * 3) : 4 + Math.floor(random() * 60);
        rows.push({ borough, age: `A${age}`, category: `C${category}`, n });
      }
  return {
    dataset: datasetFromRows(rows, { dimensions: ["borough", "age", "category"], frequency: "n" }),
    hierarchy: { Force: areas },
  };
}

function suppression(solver: LpSolver, seed: number) {
  const { dataset, hierarchy } = hierarchicalDataset(seed);
  const table = buildTable(dataset, [{ name: "borough", hierarchy }, "age", "category"]);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  // Secondary suppression, then the audit protectTable always ends with: every suppressed cell's interval
  // (two LPs each) and every primary cell's protection against the attacker and each singleton.
  const result = protectTable(
    table,
    { rules: [{ kind: "frequency", threshold: 3 }], method: "heuristic" },
    solver,
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return {
    cells: table.cells.length,
    primary: result.primaries.size,
    secondary: result.secondary,
    secondaryFrequency: result.informationLoss.freq,
    auditedCells: result.audit.intervals.length,
    auditLps: result.audit.solves,
    safe: result.audit.safe,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

function quality(solver: LpSolver, tables: number, seed: number, args: { verbose: boolean }) {
  const random = seededRandom(seed);
  const shapes: number[][] = [
    [4, 4],
    [5, 4],
    [6, 3],
    [3, 3, 3],
  ];
  let heuristicCells = 0;
  let optimalCells = 0;
  let heuristicFrequency = 0;
  let optimalFrequency = 0;
  let worse = 0;
  let proved = 0;
  const started = process.hrtime.bigint();
  for (let index = 0; index < tables; index++) {
    const shape = shapes[index % shapes.length] as number[];
    const dims = shape.map((_, d) => `d${d}`);
    const rows: Record<string, string | number>[] = [];
    const walk = (d: number, labels: string[]) => {
      if (d === shape.length) {
        const draw = random();
        const n = draw < 0.2 ? 1 + Math.floor(random() * 3) : Math.floor(random() * 25);
        const row: Record<string, string | number> = { n };
        labels.forEach((label, position) => {
          row[dims[position] as string] = label;
        });
        rows.push(row);
        return;
      }
      for (let k = 0; k < (shape[d] as number); k++) walk(d + 1, [...labels, `c${k}`]);
    };
    walk(0, []);
    const table = buildTable(datasetFromRows(rows, { dimensions: dims, frequency: "n" }), dims);
    const rules = [{ kind: "frequency" as const, threshold: 3 }];
    const heuristic = protectTable(table, { rules, method: "heuristic" }, solver);
    const optimal = protectTable(table, { rules, method: "optimal" }, solver);
    if (args.verbose)
      process.stderr.write(
        `${shape.join("x")}: heuristic ${heuristic.informationLoss.freq}, optimal ${optimal.informationLoss.freq} (${optimal.optimal ? "proved" : "not proved"})\n`,
      );
    if (optimal.optimal) proved++;
    heuristicCells += heuristic.secondary;
    optimalCells += optimal.secondary;
    heuristicFrequency += heuristic.informationLoss.freq;
    optimalFrequency += optimal.informationLoss.freq;
    if (heuristic.informationLoss.freq > optimal.informationLoss.freq) worse++;
  }
  return {
    tables,
    provedOptimal: proved,
    heuristicSecondary: heuristicCells,
    optimalSecondary: optimalCells,
    heuristicFrequency,
    optimalFrequency,
    frequencyRatio: Math.round((heuristicFrequency / Math.max(1, optimalFrequency)) * 1000) / 1000,
    tablesWhereHeuristicHidMore: worse,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

export async function main(args: string[]): Promise<void> {
  const rows = Number(option(args, "--rows") ?? 10_000_000);
  const seed = Number(option(args, "--seed") ?? 20240601);
  const small = Number(option(args, "--small") ?? 20);
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(small) && small >= 0))
    throw new Error("usage: statistics [--rows N] [--repeat R] [--seed S] [--small N] [--keep]");
  const solver = await loadHighsSolver();
  const result = {
    aggregation: await aggregation(
      rows,
      seed,
      args.includes("--keep"),
      Number(option(args, "--repeat") ?? 3),
    ),
    suppression: args.includes("--no-suppression") ? undefined : suppression(solver, seed),
    quality: quality(solver, small, seed, { verbose: args.includes("--verbose") }),
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (import.meta.main) await main(process.argv.slice(2));
