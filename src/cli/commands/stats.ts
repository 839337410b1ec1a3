import { readFile, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  commandLineImporter,
  type ImportedDataset,
  importCsvDataset,
  readCsvDataset,
} from "../../datasets/index.ts";
import { invalid, isDomainError } from "../../errors.ts";
import {
  auditJson,
  auditTable,
  buildTable,
  type CellStatus,
  cellLabels,
  checkDimensionNames,
  type DimensionSpec,
  type HierarchySpec,
  type LpSolver,
  loadHighsSolver,
  notesCsv,
  type PrimaryRule,
  type ProtectedTable,
  parseCellSelectors,
  parseHierarchy,
  parsePattern,
  parseRule,
  primaryCells,
  protectedJson,
  protectTable,
  publishSuppressed,
  singletonCells,
  type Table,
  tableCsv,
  tableFromCells,
  tableHtml,
  tableSvg,
  tableXlsx,
} from "../../statistics/index.ts";
import type { CliContext } from "../context.ts";
import { withDatabase } from "../database.ts";

/** Library fields → the options that set them, so a message names what the user typed. */
const optionOf: Record<string, string> = {
  dims: "--dims",
  freq: "--freq",
  measure: "--measure",
  hierarchy: "--hierarchy",
  rule: "--rule",
  primary: "--primary",
  input: "--input",
};

/** The import's fields, named as the web form names them (datasets service) → the options that set them. */
const importOptionOf: Record<string, string> = {
  name: "--name",
  title: "--title",
  description: "--description",
  file: "--input",
  dimensions: "--dims",
  frequency: "--freq",
  measure: "--measure",
  hierarchies: "--hierarchy",
};

async function withOptionNames<T>(action: () => Promise<T> | T, options = optionOf): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (isDomainError(error) && error.field && options[error.field])
      throw invalid(options[error.field] as string, error.message);
    throw error;
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `DIM=FILE.json` options, read and checked. */
async function readHierarchies(entries: readonly string[]): Promise<Map<string, HierarchySpec>> {
  const hierarchies = new Map<string, HierarchySpec>();
  for (const entry of entries) {
    const at = entry.indexOf("=");
    if (at <= 0) throw invalid("--hierarchy", `"${entry}" must be DIM=FILE.json`);
    const name = entry.slice(0, at);
    const path = entry.slice(at + 1);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      throw invalid(
        "--hierarchy",
        `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw invalid("--hierarchy", `${path} is not JSON: ${(error as Error).message}`);
    }
    hierarchies.set(name, parseHierarchy(parsed, name, "--hierarchy"));
  }
  return hierarchies;
}

function parseRules(texts: readonly string[]): PrimaryRule[] {
  if (texts.length === 0) throw invalid("--rule", "give a rule: --rule freq:N, nk:N,K or p:P");
  return texts.map((text) => parseRule(text, "--rule"));
}

function splitList(text: string | undefined, option: string): string[] {
  const names = (text ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length === 0) throw invalid(option, `${option} needs at least one column name`);
  return names;
}

/** A fixed-width listing: one line per cell with its labels, figures and status. */
function listing(table: Table, status: readonly CellStatus[], extra?: (cell: number) => string[]): string {
  const names = table.dimensions.map((tree) => tree.name);
  const header = [...names, "freq", ...(table.measure !== undefined ? ["value"] : []), "status"];
  const rows = table.cells.map((cell) => [
    ...cellLabels(table, cell),
    String(cell.freq),
    ...(table.measure !== undefined ? [String(cell.value)] : []),
    status[cell.index] as string,
    ...(extra?.(cell.index) ?? []),
  ]);
  const extraHeader = extra ? ["interval"] : [];
  const all = [[...header, ...extraHeader], ...rows];
  const widths = all[0]?.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length))) ?? [];
  return all
    .map((row) =>
      row
        .map((text, column) => text.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function humanProtect(result: ProtectedTable): string {
  const primary = result.primaries.size;
  const method = result.optimal ? `${result.method} (proved cheapest)` : result.method;
  return (
    `${listing(result.table, result.status)}\n\n` +
    `${primary} primary and ${result.secondary} secondary suppressions by the ${method} method; ` +
    `secondary cells hide a frequency of ${result.informationLoss.freq}` +
    (result.table.measure !== undefined ? ` and a value of ${result.informationLoss.value}` : "") +
    `.\nAudit: every primary cell keeps its protection interval (${result.audit.intervals.length} suppressed cells checked).\n`
  );
}

interface ProtectOptions {
  input?: string;
  dims?: string;
  freq?: string;
  measure?: string;
  hierarchy: string[];
  rule: string[];
  primary: string[];
  method?: string;
  zeros?: string;
  format?: string;
  output?: string;
  title?: string;
  json?: boolean;
}

export async function runProtect(options: ProtectOptions, solver?: LpSolver): Promise<void> {
  if (!options.input) throw invalid("--input", "give the CSV file: --input data.csv");
  const dims = splitList(options.dims, "--dims");
  const rules = parseRules(options.rule);
  const method = options.method ?? "auto";
  if (method !== "optimal" && method !== "heuristic" && method !== "auto")
    throw invalid("--method", "the method is optimal or heuristic");
  const zeros = options.zeros ?? "show";
  if (zeros !== "show" && zeros !== "hide")
    throw invalid("--zeros", "zeros are shown (show) or withheld (hide)");
  const format = options.format ?? (options.json ? "json" : "text");
  if (!["json", "text", "csv", "html", "svg", "xlsx"].includes(format))
    throw invalid("--format", "the format is json, text, csv, html, svg or xlsx");
  if (format === "xlsx" && !options.output)
    throw invalid("--output", "an .xlsx workbook needs --output FILE.xlsx");
  checkDimensionNames(dims, "--dims");
  const hierarchies = await readHierarchies(options.hierarchy);
  for (const name of hierarchies.keys())
    if (!dims.includes(name)) throw invalid("--hierarchy", `"${name}" is not one of --dims`);
  const result = await withOptionNames(async () => {
    const dataset = await readCsvDataset(options.input as string, {
      dimensions: dims,
      frequency: options.freq,
      measure: options.measure,
    });
    const specs: DimensionSpec[] = dims.map((name) => {
      const hierarchy = hierarchies.get(name);
      return hierarchy ? { name, hierarchy } : name;
    });
    const table = buildTable(dataset, specs);
    const requested = options.primary.flatMap((text) => parseCellSelectors(table, text));
    return protectTable(
      table,
      { rules, requested, method, showZeros: zeros === "show" },
      solver ?? (await loadHighsSolver()),
    );
  });
  const title = options.title ?? `${result.table.measure ?? "Count"} by ${dims.join(" and ")}`;
  let output: string | Uint8Array;
  if (format === "json") output = `${JSON.stringify(protectedJson(result))}\n`;
  else if (format === "text") output = humanProtect(result);
  else if (format === "csv") output = tableCsv(publishSuppressed(result, title));
  else if (format === "html") output = tableHtml(publishSuppressed(result, title));
  else if (format === "svg") output = tableSvg(publishSuppressed(result, title));
  else output = tableXlsx(publishSuppressed(result, title));
  if (options.output) await writeFile(options.output, output);
  else process.stdout.write(output);
  // The CSV is data only; what its symbols mean goes beside it, as table-notes.csv for table.csv.
  const published = format === "csv" ? publishSuppressed(result, title) : null;
  if (published && published.notes.length > 0 && options.output)
    await writeFile(options.output.replace(/(\.csv)?$/i, "-notes.csv"), notesCsv(published));
}

interface AuditOptions {
  input?: string;
  rule: string[];
  json?: boolean;
}

export async function runAudit(options: AuditOptions, solver?: LpSolver): Promise<void> {
  if (!options.input) throw invalid("--input", "give the protected table: --input protected.json");
  let text: string;
  try {
    text = await readFile(options.input, "utf8");
  } catch (error) {
    throw invalid(
      "--input",
      `cannot read ${options.input}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid("--input", `${options.input} is not JSON: ${(error as Error).message}`);
  }
  const pattern = parsePattern(parsed, (dimensions, cells) => tableFromCells(dimensions, cells, "--input"));
  const { table, status } = pattern;
  const lp = solver ?? (await loadHighsSolver());
  const suppressed = table.cells
    .filter((cell) => status[cell.index] !== "published")
    .map((cell) => cell.index);
  const ruleTexts = options.rule.length > 0 ? options.rule : pattern.rules;
  let verdicts: Map<number, boolean> | undefined;
  let audit = auditTable(table, suppressed, lp);
  if (ruleTexts.length > 0) {
    // With the rules, each primary cell's protection interval is known: say whether it holds.
    const rules = ruleTexts.map((rule) => parseRule(rule, "--rule"));
    const primaries = new Map(
      [
        ...primaryCells(
          table,
          rules,
          table.cells.filter((cell) => status[cell.index] === "primary").map((cell) => cell.index),
        ),
      ].filter(([index]) => status[index] === "primary"),
    );
    audit = await withOptionNames(() =>
      auditTable(table, suppressed, lp, { primaries, singletons: singletonCells(table) }),
    );
    verdicts = new Map([...primaries.keys()].map((index) => [index, true]));
    for (const exposure of audit.exposures) verdicts.set(exposure.column, false);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(auditJson(table, status, audit, verdicts))}\n`);
  } else {
    const intervals = new Map(audit.intervals.map((interval) => [interval.column, interval]));
    const text = listing(table, status, (index) => {
      const interval = intervals.get(index);
      if (!interval) return [""];
      const upper = Number.isFinite(interval.upper) ? String(interval.upper) : "unbounded";
      const verdict = verdicts?.get(index);
      return [`[${interval.lower}, ${upper}]${verdict === false ? "  NOT PROTECTED" : ""}`];
    });
    const exact = audit.intervals.filter((interval) => interval.lower === interval.upper).length;
    const summary =
      `${audit.intervals.length} suppressed cells; ${exact} can be worked out exactly.` +
      (verdicts
        ? audit.safe
          ? " Every primary cell keeps its protection interval."
          : " Some primary cells are exposed."
        : "");
    process.stdout.write(`${text}\n\n${summary}\n`);
  }
  if (verdicts && !audit.safe) process.exitCode = 1;
}

interface ImportOptions {
  input?: string;
  name?: string;
  title?: string;
  description?: string;
  dims?: string;
  freq?: string;
  measure?: string;
  hierarchy: string[];
  json?: boolean;
}

/**
 * Stores a dataset from a CSV file of any size (streamed, a progress bar on a terminal) with its first release
 * policy, checked and written as the web import does it, in the database the server uses.
 */
export async function runImport(options: ImportOptions, now: Date): Promise<ImportedDataset> {
  const hierarchies = Object.fromEntries(await readHierarchies(options.hierarchy));
  const imported = await withOptionNames(
    () =>
      withDatabase((handle) =>
        importCsvDataset(
          handle.db,
          {
            name: options.name,
            title: options.title,
            description: options.description,
            file: options.input ? { path: options.input } : undefined,
            dimensions: options.dims,
            frequency: options.freq,
            measure: options.measure,
            hierarchies,
          },
          commandLineImporter,
          now,
        ),
      ),
    importOptionOf,
  );
  if (options.json) process.stdout.write(`${JSON.stringify(imported)}\n`);
  else
    process.stdout.write(
      `Imported dataset ${imported.id} (${imported.name}): ${imported.records.toLocaleString("en-GB")} records in ${imported.cells.toLocaleString("en-GB")} cells.\n`,
    );
  return imported;
}

const hierarchyHelp = `
Hierarchy files (--hierarchy DIM=FILE.json) give a dimension levels between its total and its categories:
  {"Total": {"London": ["Camden", "Hackney"], "North": {"Yorkshire": ["Leeds", "York"]}}}
The single root is the margin's label; an object's keys are subtotals, a list holds categories as they appear
in the data. A category beside subtotals is given as a string: {"Total": {"London": ["Camden"], "Leeds": "Leeds"}}.
`;

const ruleHelp = `
Rules: freq:N (counts 1 to N are unsafe), nk:N,K (the N largest contributions over K% of the cell),
p:P (the cell less its two largest contributions under P% of the largest). --rule may be repeated.
`;

export function registerStats(program: Command, { now }: CliContext): void {
  const stats = program
    .command("stats")
    .description(
      "statistical tables with disclosure control: import a dataset, protect a table, audit a suppression pattern",
    );
  stats
    .command("import")
    .description(
      "store a dataset from record-level CSV of any size, with a first release policy (DATABASE_URL or FOIDESK_DATA_DIR)",
    )
    .option("--input <file>", "record-level CSV with a header row (or pre-aggregated rows with --freq)")
    .option("--name <short-name>", "the dataset's short name: lower-case letters, numbers and hyphens")
    .option("--title <title>", "the dataset's title, as staff pages show it")
    .option("--description <text>", "what the data is and where it comes from")
    .option("--dims <columns>", "the dimension columns, comma-separated, e.g. borough,age_band,category")
    .option("--freq <column>", "a column of counts, for pre-aggregated rows")
    .option("--measure <column>", "a column to sum, for magnitude tables (each row is one contribution)")
    .option("--hierarchy <dim=file>", "a hierarchy for a dimension (JSON; repeatable)", collect, [])
    .option("--json", "print the new dataset's id, name, records and cells as JSON")
    .addHelpText("after", hierarchyHelp)
    .action(async (options: ImportOptions) => {
      await runImport(options, now());
    });
  stats
    .command("protect")
    .description("build a table with margins from record-level CSV and suppress what is unsafe")
    .option("--input <file>", "record-level CSV with a header row (or pre-aggregated rows with --freq)")
    .option("--dims <columns>", "the dimension columns, comma-separated, e.g. region,gender")
    .option("--freq <column>", "a column of counts, for pre-aggregated rows")
    .option("--measure <column>", "a column to sum: makes a magnitude table (each row is one contribution)")
    .option("--hierarchy <dim=file>", "a hierarchy for a dimension (JSON; repeatable)", collect, [])
    .option("--rule <rule>", "freq:N, nk:N,K or p:P (repeatable)", collect, [])
    .option(
      "--primary <cells>",
      'cells to suppress whatever the rule says, e.g. "region=A,gender=female" (repeatable or ;-separated)',
      collect,
      [],
    )
    .option(
      "--method <method>",
      "optimal (cheapest, small tables) or heuristic (large tables); default: by size",
    )
    .option("--zeros <show|hide>", "publish zero cells (show, the default) or withhold them")
    .option("--format <format>", "json, text (default), csv, html, svg or xlsx")
    .option("--output <file>", "write to a file instead of standard output")
    .option("--title <title>", "the table's title in csv, html, svg and xlsx output")
    .option("--json", "print every cell with its status, and the number of secondary suppressions, as JSON")
    .addHelpText("after", `${hierarchyHelp}${ruleHelp}`)
    .action(async (options: ProtectOptions) => {
      await runProtect(options);
    });
  stats
    .command("audit")
    .description("the interval an attacker can compute for each suppressed cell of a protected table")
    .option("--input <file>", "the JSON from stats protect --json, or a hand-written pattern of that shape")
    .option(
      "--rule <rule>",
      "also check each primary cell's protection interval under this rule (repeatable)",
      collect,
      [],
    )
    .option("--json", "print the intervals as JSON")
    .action(async (options: AuditOptions) => {
      await runAudit(options);
    });
}
