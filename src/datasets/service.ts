import { basename } from "node:path";
import type { Kysely, Transaction } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError, type FieldProblem, invalid, isDomainError } from "../errors.ts";
import { citeExemptions, exemption, isSubjectAccess } from "../law/index.ts";
import {
  type Actor,
  newReplyInput,
  type RequestState,
  replyFor,
  saveReplyDraft,
  transitions,
} from "../requests/index.ts";
import type { ReplyInput } from "../responses/index.ts";
import {
  answerTableRequest,
  auditWithReleases,
  buildTable,
  cellLabels,
  type Dataset,
  type DatasetSpec,
  formatRule,
  importDataset,
  type LpSolver,
  loadHighsSolver,
  notesCsv,
  type PublishedTable,
  parseReleasePolicy,
  policyRules,
  publishRounded,
  publishSuppressed,
  type Release,
  type ReleasePolicy,
  releaseOf,
  type TableAnswer,
  tableCsv,
  tableHtml,
  tableSvg,
  tableXlsx,
} from "../statistics/index.ts";
import { readCsvDataset } from "./csv-file.ts";
import * as repo from "./repo.ts";

// Datasets kept in the database, their release policies and the tables released from them (issue 7). The
// statistics module does the disclosure control; this module loads and stores what it works on, checks every
// table against the earlier releases of its dataset before it is recorded, and links a table (or a refusal
// by policy) to a request's reply. Handlers call these functions and nothing else.

type Db = Kysely<Database>;
type Conn = Kysely<Database> | Transaction<Database>;

/** Who builds and releases tables: case officers and managers (there is no analyst role). */
const releasers = ["officer", "manager", "admin"] as const;
/** Who imports datasets and sets release policies: the authority's decision, so managers. */
const policyEditors = ["manager", "admin"] as const;

/** The states in which a reply can still be drafted: read from the workflow's "draft-reply" transition. */
const draftingStates: readonly RequestState[] = (() => {
  const from = transitions.find((transition) => transition.action === "draft-reply")?.from;
  if (!Array.isArray(from)) throw new Error("the draft-reply transition lists no states");
  return from;
})();

function requireRole(actor: Actor, roles: readonly string[], what: string): void {
  if (!roles.includes(actor.role)) throw new DomainError("forbidden", `Only ${what}.`);
}

/** A dimension as the dataset keeps it: its column and the label pages and files show. */
export interface DimensionColumn {
  name: string;
  label: string;
}

export interface DatasetColumns {
  dimensions: DimensionColumn[];
  frequency?: string;
  measure?: string;
}

/** "age_band" → "Age band": a column name as a heading. */
export function columnLabel(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Counts of 1 to 4 withheld, zeros shown: what a new dataset's policy starts with until a manager sets it. */
const DEFAULT_THRESHOLD = 4;

function solver(): Promise<LpSolver> {
  return loadHighsSolver();
}

// ---- Importing --------------------------------------------------------------------------------------------

/**
 * What an import is made of, from the import form or from `foidesk stats import`. The CSV is an upload held
 * in memory (the form's, up to its size limit) or a file on disk, streamed so that its size does not matter.
 */
export interface DatasetImport {
  name?: string | undefined;
  title?: string | undefined;
  description?: string | undefined;
  /** The CSV: its bytes, a file on this machine (the command line), or an upload received into the store. */
  file?:
    | { filename: string; bytes: Uint8Array }
    | { path: string }
    | { filename: string; content: { sizeBytes: number; chunks(): AsyncIterable<Uint8Array> } }
    | undefined;
  /** Dimension columns, separated by commas. */
  dimensions?: string | undefined;
  frequency?: string | undefined;
  measure?: string | undefined;
  /** `{"dimension": {"Total": {...}}}`: JSON text from the form, or the `--hierarchy` files already read. */
  hierarchies?: string | Record<string, unknown> | undefined;
}

/** A stored dataset, as the import reports it. */
export interface ImportedDataset {
  id: number;
  name: string;
  records: number;
  cells: number;
}

/** foidesk itself, when `foidesk stats import` stores a dataset: it acts with a manager's right to import. */
export const commandLineImporter: Actor = {
  userId: null,
  label: "foidesk (command-line import)",
  role: "system",
};

/** Who imports: managers on the web, and the command line, run by whoever runs the server. */
const importers = [...policyEditors, "system"] as const;

const namePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The bytes of an upload as text chunks for the streaming importer (UTF-8; a character split between chunks is kept). */
function* byteChunks(bytes: Uint8Array, size = 1 << 20): Generator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

/** UTF-8 text a piece at a time (a character split between pieces is joined). */
async function* textChunks(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The importer's fields ("dims", "--input") as the import form names them. */
const importFields: Record<string, string> = {
  dims: "dimensions",
  freq: "frequency",
  measure: "measure",
  input: "file",
  "--input": "file",
};

function renamed(error: unknown, fields: Record<string, string>): unknown {
  if (!isDomainError(error)) return error;
  const problems = error.problems.map((problem) => ({
    field: fields[problem.field] ?? problem.field,
    message: problem.message,
  }));
  const field = error.field === undefined ? undefined : (fields[error.field] ?? error.field);
  return new DomainError(error.code, error.message, field, problems);
}

function parseJsonObject(text: string | undefined, field: string, example: string): Record<string, unknown> {
  if (!text?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(field, `This is not JSON (${(error as Error).message}). Write it like ${example}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw invalid(field, `Write it as a JSON object, like ${example}`);
  return parsed as Record<string, unknown>;
}

const hierarchyExample = '{"region": {"Total": {"North": ["Leeds", "York"]}}}';
const groupsExample = '{"age": {"0-17": ["0-15", "16-17"]}}';

/** Builds a table by each dimension with its hierarchy or groups, so that a bad one is refused now, by name. */
function checkDimensionShapes(
  dataset: Dataset,
  hierarchies: Record<string, unknown>,
  groups: Record<string, unknown>,
): void {
  for (const [field, shapes, example] of [
    ["hierarchies", hierarchies, hierarchyExample],
    ["groups", groups, groupsExample],
  ] as const) {
    for (const [name, shape] of Object.entries(shapes)) {
      if (!dataset.dimensions.includes(name))
        throw invalid(
          field,
          `"${name}" is not a dimension of the dataset (it has ${dataset.dimensions.join(", ")})`,
        );
      if (typeof shape !== "object" || shape === null || Array.isArray(shape))
        throw invalid(field, `The ${field} of ${name} must be a JSON object, like ${example}`);
      try {
        buildTable(
          dataset,
          [field === "hierarchies" ? { name, hierarchy: shape as never } : { name, groups: shape as never }],
          field,
        );
      } catch (error) {
        if (isDomainError(error)) throw invalid(field, `${name}: ${error.message}`);
        throw error;
      }
    }
  }
}

async function refuseTakenName(db: Conn, name: string): Promise<void> {
  if (await repo.datasetNameTaken(db, name))
    throw invalid("name", `There is already a dataset called ${name}: choose another short name`);
}

/**
 * Imports a dataset from a CSV file of record-level rows (or pre-aggregated rows with a frequency column),
 * with a first release policy (counts of 1 to 4 withheld) for a manager to review. Every field is checked
 * before the file is read, and the file is read in full before anything is written; the dataset and its
 * policy are written in one transaction: a bad line is refused naming its line and column, and nothing is
 * half-imported. Errors name the form's fields (`file`, `dimensions`…); the command line renames them.
 */
export async function importCsvDataset(
  db: Db,
  input: DatasetImport,
  actor: Actor,
  now: Date,
): Promise<ImportedDataset> {
  requireRole(actor, importers, "an information-rights manager can import a dataset");
  const problems: FieldProblem[] = [];
  const name = input.name?.trim() ?? "";
  const title = input.title?.trim() ?? "";
  if (!name)
    problems.push({ field: "name", message: "Enter a short name for the dataset, like gangs-matrix" });
  else if (!namePattern.test(name))
    problems.push({
      field: "name",
      message: "The short name can use only lower-case letters, numbers and hyphens, like gangs-matrix",
    });
  if (!title) problems.push({ field: "title", message: "Enter the dataset's title" });
  else if (title.length > 200)
    problems.push({ field: "title", message: "Enter a title of 200 characters or fewer" });
  if ((input.description?.length ?? 0) > 5000)
    problems.push({ field: "description", message: "Enter a description of 5,000 characters or fewer" });
  const file = input.file;
  const filename = file ? ("path" in file ? basename(file.path) : file.filename) : "";
  if (
    !file ||
    ("bytes" in file && file.bytes.length === 0) ||
    ("content" in file && file.content.sizeBytes === 0)
  )
    problems.push({ field: "file", message: "Choose a CSV file to import" });
  else if (!/\.(csv|txt)$/i.test(filename))
    problems.push({ field: "file", message: "The file must be a CSV file (.csv)" });
  const dimensions = (input.dimensions ?? "")
    .split(",")
    .map((column) => column.trim())
    .filter(Boolean);
  if (dimensions.length === 0)
    problems.push({
      field: "dimensions",
      message: "Enter the columns that are dimensions, separated by commas",
    });
  if (problems.length > 0)
    throw new DomainError("invalid", problems[0]!.message, problems[0]!.field, problems);

  const spec: DatasetSpec = {
    dimensions,
    ...(input.frequency?.trim() ? { frequency: input.frequency.trim() } : {}),
    ...(input.measure?.trim() ? { measure: input.measure.trim() } : {}),
  };
  const hierarchies =
    typeof input.hierarchies === "object"
      ? input.hierarchies
      : parseJsonObject(input.hierarchies, "hierarchies", hierarchyExample);
  // Refused before a large file is read; the shapes need the categories, so they wait for the data.
  for (const dimension of Object.keys(hierarchies))
    if (!dimensions.includes(dimension))
      throw invalid("hierarchies", `"${dimension}" is not one of the dimensions (${dimensions.join(", ")})`);
  await refuseTakenName(db, name);
  let dataset: Dataset;
  try {
    dataset =
      "path" in file!
        ? await readCsvDataset(file.path, spec)
        : await importDataset(
            textChunks("bytes" in file! ? byteChunks(file.bytes) : file!.content.chunks()),
            spec,
          );
  } catch (error) {
    throw renamed(error, importFields);
  }
  if (dataset.records === 0) throw invalid("file", "The file has a header but no rows");
  checkDimensionShapes(dataset, hierarchies, {});
  const columns: DatasetColumns = {
    dimensions: dimensions.map((column) => ({ name: column, label: columnLabel(column) })),
    ...(spec.frequency ? { frequency: spec.frequency } : {}),
    ...(spec.measure ? { measure: spec.measure } : {}),
  };
  const policy = parseReleasePolicy({
    dataset: name,
    dimensions,
    threshold: DEFAULT_THRESHOLD,
    zeros: "show",
    hierarchies,
  });
  const id = await db.transaction().execute(async (trx) => {
    // Again inside the transaction: another import may have taken the name while the file was read.
    await refuseTakenName(trx, name);
    const id = await repo.insertDataset(trx, {
      name,
      title,
      description: input.description?.trim() ?? "",
      spec: columns,
      dataset,
      records: dataset.records,
      sourceFile: filename.slice(0, 200),
      at: now,
      by: actor.label,
    });
    await repo.insertPolicy(trx, { datasetId: id, version: 1, policy, at: now, by: actor.label });
    return id;
  });
  return { id, name, records: dataset.records, cells: dataset.cells.length };
}

/** Stores a dataset already aggregated (the demo's), with its policy, in one transaction. */
export async function storeDataset(
  db: Db,
  values: {
    title: string;
    description: string;
    dataset: Dataset;
    policy: ReleasePolicy;
    labels?: Record<string, string>;
  },
  actor: Actor,
  now: Date,
): Promise<number> {
  const columns: DatasetColumns = {
    dimensions: values.dataset.dimensions.map((name) => ({
      name,
      label: values.labels?.[name] ?? columnLabel(name),
    })),
    ...(values.dataset.frequency ? { frequency: values.dataset.frequency } : {}),
    ...(values.dataset.measure ? { measure: values.dataset.measure } : {}),
  };
  return db.transaction().execute(async (trx) => {
    const id = await repo.insertDataset(trx, {
      name: values.policy.dataset,
      title: values.title,
      description: values.description,
      spec: columns,
      dataset: values.dataset,
      records: values.dataset.records,
      sourceFile: null,
      at: now,
      by: actor.label,
    });
    await repo.insertPolicy(trx, {
      datasetId: id,
      version: 1,
      policy: values.policy,
      at: now,
      by: actor.label,
    });
    return id;
  });
}

// ---- Reading ----------------------------------------------------------------------------------------------

export async function datasetList(db: Db) {
  return (await repo.datasetList(db)).map((row) => ({
    id: row.id,
    name: row.name,
    title: row.title,
    description: row.description,
    records: Number(row.records),
    importedAt: row.imported_at,
    releases: Number(row.releases ?? 0),
  }));
}

interface Loaded {
  id: number;
  name: string;
  title: string;
  description: string;
  columns: DatasetColumns;
  dataset: Dataset;
  importedAt: Date;
  importedBy: string;
  sourceFile: string | null;
  policy: ReleasePolicy;
  policyVersion: number;
  policySavedAt: Date;
  policySavedBy: string;
}

async function loadDataset(db: Conn, id: number): Promise<Loaded> {
  const row = await repo.datasetById(db, id);
  if (!row) throw new DomainError("not-found", "There is no such dataset");
  const policy = await repo.currentPolicy(db, id);
  if (!policy) throw new Error(`dataset ${id} has no release policy`);
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    description: row.description,
    columns: row.spec as unknown as DatasetColumns,
    dataset: row.dataset as unknown as Dataset,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
    sourceFile: row.source_file,
    policy: parseReleasePolicy(policy.policy),
    policyVersion: policy.version,
    policySavedAt: policy.saved_at,
    policySavedBy: policy.saved_by,
  };
}

function labelsOf(loaded: Loaded): Map<string, string> {
  return new Map(loaded.columns.dimensions.map((dimension) => [dimension.name, dimension.label]));
}

function labelFor(loaded: Loaded, name: string): string {
  return labelsOf(loaded).get(name) ?? columnLabel(name);
}

/** The printed citations ("Section 31(1)(a)(b) Law enforcement") for exemption ids of the catalogue. */
function citations(ids: readonly string[]): string[] {
  const known = ids.filter((id) => exemption(id));
  return known.length ? citeExemptions(known) : [];
}

/** The policy in words, for the dataset page. */
function policySummary(loaded: Loaded) {
  const { policy } = loaded;
  const label = (name: string) => labelFor(loaded, name);
  const rules = policyRules(policy).map(formatRule);
  return {
    restricted: policy.restricted.map((entry) => ({
      dimensions: entry.dimensions.map(label),
      citations: citations(entry.exemptions),
      exemptions: entry.exemptions,
      reason: entry.reason,
    })),
    allowed: policy.allowed.map((combination) => combination.map(label).join(" × ")),
    threshold: policy.threshold ?? null,
    zeros: policy.zeros,
    rules,
    dominance: policy.dominance ?? null,
    pPercent: policy.pPercent ?? null,
    rounding: policy.rounding ?? null,
    method: policy.method,
    hierarchies: Object.keys(policy.hierarchies).map(label),
    groups: Object.entries(policy.groups).map(([name, groups]) => ({
      dimension: label(name),
      groups: Object.entries(groups).map(([group, members]) => `${group}: ${members.join(", ")}`),
    })),
    unreleasable: policy.unreleasable
      ? { citations: citations(policy.unreleasable.exemptions), reason: policy.unreleasable.reason }
      : null,
  };
}

/** What the back office says of every release: its suppressions, policy, request, who and when. */
function releaseFacts(row: {
  primary_cells: number;
  secondary_cells: number;
  policy_version: number;
  request_id: number | null;
  request_reference: string | null;
  released_at: Date;
  released_by: string;
}) {
  return {
    primary: row.primary_cells,
    secondary: row.secondary_cells,
    policyVersion: row.policy_version,
    requestId: row.request_id,
    requestReference: row.request_reference,
    releasedAt: row.released_at,
    releasedBy: row.released_by,
  };
}

/** The dataset page: its dimensions and categories, its policy in force, and what has been released from it. */
export async function datasetPage(db: Db, id: number) {
  const loaded = await loadDataset(db, id);
  const releases = await repo.releasesOf(db, id);
  return {
    id: loaded.id,
    name: loaded.name,
    title: loaded.title,
    description: loaded.description,
    records: loaded.dataset.records,
    cells: loaded.dataset.cells.length,
    sourceFile: loaded.sourceFile,
    importedAt: loaded.importedAt,
    importedBy: loaded.importedBy,
    frequency: loaded.columns.frequency ?? null,
    measure: loaded.columns.measure ?? null,
    dimensions: loaded.columns.dimensions.map((dimension) => ({
      ...dimension,
      categories: loaded.dataset.categories[loaded.dataset.dimensions.indexOf(dimension.name)] ?? [],
    })),
    policy: {
      version: loaded.policyVersion,
      savedAt: loaded.policySavedAt,
      savedBy: loaded.policySavedBy,
      value: loaded.policy,
      summary: policySummary(loaded),
    },
    releases: releases.map((row) => ({
      id: row.id,
      title: row.title,
      dimensions: (row.dimensions as string[]).map((name) => labelFor(loaded, name)),
      kind: row.kind,
      ...releaseFacts(row),
    })),
  };
}

// ---- The release policy -----------------------------------------------------------------------------------

/** The policy's own fields as a form sends them (the dataset and its dimensions are the dataset's). */
export type PolicyInput = Omit<Partial<ReleasePolicy>, "dataset" | "dimensions"> & Record<string, unknown>;

/** Where a problem the policy schema finds is shown on the policy form. */
function policyField(field: string): string {
  const parts = field.split(".");
  if (parts[0] === "restricted" && parts.length >= 3) return parts.slice(0, 3).join(".");
  if (parts[0] === "unreleasable" && parts.length >= 2) return parts.slice(0, 2).join(".");
  if (["allowed", "hierarchies", "groups"].includes(parts[0] ?? "")) return parts[0] as string;
  return field;
}

/**
 * The policy form states each refused combination's harm and public-interest tests, but not those of the
 * refusal used when a table cannot be released safely: saving it unchanged (the same exemptions) keeps the
 * arguments the current version states there, so that saving the form loses nothing.
 */
function keepRefusalArguments(policy: ReleasePolicy, current: ReleasePolicy): ReleasePolicy {
  const key = (entry: { exemptions: readonly string[] }) => [...entry.exemptions].sort().join(" ");
  const before = current.unreleasable;
  if (!policy.unreleasable || !before || key(before) !== key(policy.unreleasable)) return policy;
  return {
    ...policy,
    unreleasable: {
      ...policy.unreleasable,
      ...(!policy.unreleasable.harm && before.harm ? { harm: before.harm } : {}),
      ...(!policy.unreleasable.publicInterest && before.publicInterest
        ? { publicInterest: before.publicInterest }
        : {}),
    },
  };
}

/** Saves a new version of the dataset's release policy (managers): checked whole, and against the data. */
export async function savePolicy(db: Db, datasetId: number, input: PolicyInput, actor: Actor, now: Date) {
  requireRole(actor, policyEditors, "an information-rights manager can change a release policy");
  const loaded = await loadDataset(db, datasetId);
  let policy: ReleasePolicy;
  try {
    policy = parseReleasePolicy({ ...input, dataset: loaded.name, dimensions: loaded.dataset.dimensions });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const problems = error.problems.map((problem) => ({
      field: policyField(problem.field),
      message: problem.message,
    }));
    throw new DomainError("invalid", problems[0]?.message ?? error.message, problems[0]?.field, problems);
  }
  policy = keepRefusalArguments(policy, loaded.policy);
  const problems: FieldProblem[] = [];
  const checkExemptions = (ids: readonly string[], field: string) => {
    for (const id of ids)
      if (!exemption(id))
        problems.push({
          field,
          message: `"${id}" is not an exemption in foidesk's catalogue, like foia-31-1-a`,
        });
  };
  policy.restricted.forEach((entry, index) => {
    checkExemptions(entry.exemptions, `restricted.${index}.exemptions`);
  });
  if (policy.unreleasable) checkExemptions(policy.unreleasable.exemptions, "unreleasable.exemptions");
  if (policy.measure !== undefined && policy.measure !== loaded.dataset.measure)
    problems.push({
      field: "measure",
      message: loaded.dataset.measure
        ? `The dataset's measure is ${loaded.dataset.measure}`
        : "The dataset has no measure, so the dominance and p% rules cannot apply",
    });
  if (problems.length > 0)
    throw new DomainError("invalid", problems[0]!.message, problems[0]!.field, problems);
  checkDimensionShapes(loaded.dataset, policy.hierarchies, policy.groups);
  const version = loaded.policyVersion + 1;
  await repo.insertPolicy(db, { datasetId, version, policy, at: now, by: actor.label });
  return version;
}

// ---- Building a table -------------------------------------------------------------------------------------

export interface TableRequest {
  dimensions: readonly string[];
  requestId?: number | undefined;
  title?: string | undefined;
}

interface EarlierRelease {
  id: number;
  kind: "suppressed" | "rounded";
  release: Release;
}

async function earlierReleases(db: Conn, datasetId: number): Promise<EarlierRelease[]> {
  return (await repo.releasesOf(db, datasetId)).map((row) => ({
    id: row.id,
    kind: row.kind,
    release: { ...(row.release as unknown as Release), id: String(row.id) },
  }));
}

function checkDimensions(loaded: Loaded, dimensions: readonly string[]): string[] {
  const chosen = [...new Set(dimensions)];
  if (chosen.length === 0) throw invalid("dimensions", "Choose at least one dimension for the table");
  for (const name of chosen)
    if (!loaded.dataset.dimensions.includes(name))
      throw invalid("dimensions", `The dataset has no dimension called ${name}`);
  // The dataset's order, whatever order they were ticked in: the last one runs across the table.
  return loaded.dataset.dimensions.filter((name) => chosen.includes(name));
}

function defaultTitle(loaded: Loaded, dimensions: readonly string[]): string {
  const labels = dimensions.map((name) => labelFor(loaded, name).toLowerCase());
  const joined = labels.length > 1 ? `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}` : labels[0];
  return `${loaded.title} by ${joined}`;
}

/** A published table whose headings are the dimensions' labels, not their column names. */
function labelled(loaded: Loaded, published: PublishedTable): PublishedTable {
  return { ...published, dimensions: published.dimensions.map((name) => labelFor(loaded, name)) };
}

/** Rounding cannot be audited with other tables of the same data, so a rounded table is only ever the first. */
function roundingRefusal(
  loaded: Loaded,
  dimensions: readonly string[],
  earlier: readonly EarlierRelease[],
): TableAnswer | null {
  if (earlier.length === 0) return null;
  return {
    outcome: "refused",
    kind: "unsafe",
    exemptions: loaded.policy.unreleasable?.exemptions ?? [],
    reason:
      `${loaded.policy.unreleasable?.reason ?? ""} A rounded table cannot be audited together with the ${earlier.length === 1 ? "table" : `${earlier.length} tables`} already released from this dataset; release it with suppression instead (a release policy without rounding).`.trim(),
    dimensions: [...dimensions],
  };
}

function answer(
  loaded: Loaded,
  dimensions: readonly string[],
  earlier: readonly EarlierRelease[],
  lp: LpSolver,
): TableAnswer {
  if (loaded.policy.rounding) {
    const decision = answerTableRequest(loaded.dataset, loaded.policy, dimensions, lp, []);
    if (decision.outcome !== "rounded") return decision;
    return roundingRefusal(loaded, dimensions, earlier) ?? decision;
  }
  return answerTableRequest(
    loaded.dataset,
    loaded.policy,
    dimensions,
    lp,
    earlier.map((entry) => entry.release),
  );
}

export type TableView =
  | {
      outcome: "refused";
      kind: "restricted" | "not-provided" | "unsafe";
      exemptions: string[];
      citations: string[];
      reason: string;
      /** The dimensions the policy withholds (labels). */
      withheld: string[];
    }
  | {
      outcome: "released" | "rounded";
      title: string;
      html: string;
      svg: string;
      primary: number;
      secondary: number;
      /** Cells withheld beyond the table's own pattern because of earlier releases. */
      differencingSuppressions: number;
      earlierReleases: number;
      /** The attacker's interval for each withheld cell (staff only: it includes the true figure's bounds). */
      intervals: { cell: string; lower: number; upper: number }[];
      auditSafe: boolean;
      method: string;
      optimal: boolean;
      rounding: { base: number; method: string; largestChange: number } | null;
    };

interface Answered {
  loaded: Loaded;
  dimensions: string[];
  answer: TableAnswer;
  earlier: EarlierRelease[];
  title: string;
  published: PublishedTable | null;
}

async function answerFor(db: Conn, loaded: Loaded, request: TableRequest): Promise<Answered> {
  const dimensions = checkDimensions(loaded, request.dimensions);
  const earlier = await earlierReleases(db, loaded.id);
  const result = answer(loaded, dimensions, earlier, await solver());
  const title = request.title?.trim() || defaultTitle(loaded, dimensions);
  const published =
    result.outcome === "released"
      ? labelled(loaded, publishSuppressed(result.protectedTable, title))
      : result.outcome === "rounded"
        ? labelled(loaded, publishRounded(result.rounded, title))
        : null;
  return { loaded, dimensions, answer: result, earlier, title, published };
}

/** The refusal's reason as one text: the policy's words, then foidesk's, each starting with a capital. */
function reasonText(result: Extract<TableAnswer, { outcome: "refused" }>, policy: ReleasePolicy): string {
  const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  const prefix = policy.unreleasable?.reason;
  if (result.kind !== "unsafe" || !prefix || !result.reason.startsWith(`${prefix} `))
    return capital(result.reason);
  return `${capital(prefix)} ${capital(result.reason.slice(prefix.length + 1))}`;
}

function viewOf(answered: Answered): TableView {
  const { answer: result, published, loaded } = answered;
  if (result.outcome === "refused")
    return {
      outcome: "refused",
      kind: result.kind,
      exemptions: result.exemptions,
      citations: citations(result.exemptions),
      reason: reasonText(result, loaded.policy),
      withheld: result.dimensions.map((name) => labelFor(loaded, name)),
    };
  const html = tableHtml(published as PublishedTable);
  const svg = tableSvg(published as PublishedTable);
  if (result.outcome === "rounded")
    return {
      outcome: "rounded",
      title: answered.title,
      html,
      svg,
      primary: 0,
      secondary: 0,
      differencingSuppressions: 0,
      earlierReleases: answered.earlier.length,
      intervals: [],
      auditSafe: true,
      method: "rounding",
      optimal: false,
      rounding: {
        base: result.rounded.base,
        method: result.rounded.method,
        largestChange: result.rounded.largestChange,
      },
    };
  const { protectedTable } = result;
  const { table } = protectedTable;
  return {
    outcome: "released",
    title: answered.title,
    html,
    svg,
    primary: protectedTable.status.filter((status) => status === "primary").length,
    secondary: protectedTable.status.filter((status) => status === "secondary").length,
    differencingSuppressions: result.differencingSuppressions,
    earlierReleases: answered.earlier.length,
    intervals: protectedTable.audit.intervals.map((interval) => ({
      cell: cellLabels(table, table.cells[interval.column]!).join(", "),
      lower: interval.lower,
      upper: interval.upper,
    })),
    auditSafe: protectedTable.audit.safe,
    method: protectedTable.method,
    optimal: protectedTable.optimal,
    rounding: null,
  };
}

/** What a table by these dimensions would be: refused by the policy (and why), or protected and checked. */
export async function buildTableView(db: Db, datasetId: number, request: TableRequest): Promise<TableView> {
  const loaded = await loadDataset(db, datasetId);
  return viewOf(await answerFor(db, loaded, request));
}

// ---- Releasing --------------------------------------------------------------------------------------------

export interface Released {
  releaseId: number;
  /** When the table answered a request: whether its reply now links to it, or why not. */
  reply: { requestId: number; added: boolean; problem: string | null } | null;
}

/** The public page of a release, for links in replies. */
export const statisticsPath = (releaseId: number) => `/statistics/${releaseId}`;

const utf8 = new TextEncoder();

/** The differencing record of a rounded table: its true figures, as if published exactly (the cautious view). */
function roundedRelease(result: Extract<TableAnswer, { outcome: "rounded" }>): Release {
  const { table } = result.rounded;
  return {
    id: "",
    dimensions: table.specs.map((spec) => ({ ...spec })),
    ...(table.measure !== undefined ? { measure: table.measure } : {}),
    cells: table.cells.map((cell) => ({
      labels: cellLabels(table, cell),
      freq: cell.freq,
      value: cell.value,
      status: "published" as const,
    })),
  };
}

/**
 * Releases a table: in one transaction, with the dataset locked so releases of it are made one at a time,
 * builds it again against every earlier release, audits it with them (never recording a table that fails),
 * and records it with its CSV and workbook. When it answers a request, the request's reply then gets a
 * paragraph of advice and assistance linking to the table's public page.
 */
export async function releaseTable(
  db: Db,
  datasetId: number,
  request: TableRequest,
  actor: Actor,
  now: Date,
  options: { baseUrl: string },
): Promise<Released> {
  requireRole(actor, releasers, "a case officer or an information-rights manager can release a table");
  if (request.requestId !== undefined) await workedRequest(db, request.requestId);
  const lp = await solver();
  const { releaseId, title } = await db.transaction().execute(async (trx) => {
    if (!(await repo.lockDataset(trx, datasetId)))
      throw new DomainError("not-found", "There is no such dataset");
    const loaded = await loadDataset(trx, datasetId);
    const answered = await answerFor(trx, loaded, request);
    const result = answered.answer;
    if (result.outcome === "refused")
      throw new DomainError(
        "conflict",
        result.kind === "unsafe"
          ? `This table cannot be released. ${reasonText(result, loaded.policy)}`
          : `The release policy refuses this table. ${reasonText(result, loaded.policy)}`,
        "dimensions",
      );
    // A table goes into a reply once: released again, it would be a second copy of the same figures.
    if (request.requestId !== undefined) {
      const earlier = await repo.sameReleaseForRequest(trx, {
        datasetId,
        dimensions: answered.dimensions,
        policyVersion: loaded.policyVersion,
        requestId: request.requestId,
      });
      if (earlier)
        throw new DomainError(
          "conflict",
          `This table, "${earlier.title}", was already released into the reply to ${earlier.reference} on ${londonDate(earlier.released_at)}: a table is released once. It is in the reply's advice and assistance, and goes on the public site when the reply is sent`,
          "dimensions",
        );
    }
    const published = answered.published as PublishedTable;
    let release: Release;
    let primary = 0;
    let secondary = 0;
    if (result.outcome === "released") {
      const { protectedTable } = result;
      // The last word: the table audited on its own and with every earlier release; a table that fails is
      // never recorded (it would mean a solver tolerance problem, not a choice).
      const joint = auditWithReleases(
        protectedTable,
        answered.earlier.map((entry) => entry.release),
        lp,
        loaded.dataset,
      );
      if (!protectedTable.audit.safe || !joint.safe)
        throw new Error(
          `the table to release failed its audit: ${JSON.stringify(joint.exposures[0] ?? null)}`,
        );
      release = releaseOf(protectedTable, "");
      primary = protectedTable.status.filter((status) => status === "primary").length;
      secondary = protectedTable.status.filter((status) => status === "secondary").length;
    } else release = roundedRelease(result);
    const id = await repo.insertRelease(trx, {
      datasetId,
      policyVersion: loaded.policyVersion,
      title: answered.title,
      dimensions: answered.dimensions,
      kind: result.outcome === "released" ? "suppressed" : "rounded",
      release,
      published,
      primaryCells: primary,
      secondaryCells: secondary,
      csv: utf8.encode(tableCsv(published)),
      xlsx: tableXlsx(published, { sheetName: "Table_1" }),
      requestId: request.requestId ?? null,
      at: now,
      by: actor.label,
    });
    return { releaseId: id, title: answered.title };
  });
  if (request.requestId === undefined) return { releaseId, reply: null };
  return {
    releaseId,
    reply: await adviceInReply(db, releaseId, title, request.requestId, actor, now, options),
  };
}

/**
 * Adds a paragraph of advice and assistance (FOIA s.16, EIR reg 9, FOISA s.15) linking to the release's public
 * page; a problem is returned, not thrown.
 */
async function adviceInReply(
  db: Db,
  releaseId: number,
  title: string,
  requestId: number,
  actor: Actor,
  now: Date,
  options: { baseUrl: string },
): Promise<NonNullable<Released["reply"]>> {
  const url = `${options.baseUrl}${statisticsPath(releaseId)}`;
  try {
    await changeReply(db, requestId, actor, now, (content) => {
      const advice = [...(content.advice ?? [])];
      if (!advice.some((item) => item.link?.url === url))
        advice.push({
          purpose: "published-information",
          text: `We have published a table of the figures we can release safely: ${title}. Small numbers in it are withheld, so that no one can be identified from it and the information withheld above cannot be worked out from it.`,
          link: { url, text: title },
        });
      return { ...content, advice };
    });
    return { requestId, added: true, problem: null };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const undecided = error.problems.some((problem) => /^questions\.\d+\.decision$/.test(problem.field));
    return {
      requestId,
      added: false,
      problem: undecided
        ? "The reply does not yet have a decision for each question, so it cannot be saved with the table in it. Choose the decisions in the reply, then add the table to it from this page."
        : error.message,
    };
  }
}

/** Adds an earlier release to the reply of the request it answered (when that could not be done at release). */
export async function addReleaseToReply(
  db: Db,
  releaseId: number,
  actor: Actor,
  now: Date,
  options: { baseUrl: string },
): Promise<NonNullable<Released["reply"]>> {
  requireRole(actor, releasers, "a case officer or an information-rights manager can change a reply");
  const row = await repo.releaseForStaff(db, releaseId);
  if (!row) throw new DomainError("not-found", "There is no such release");
  if (row.request_id === null)
    throw new DomainError("conflict", "This table was not released for a request", "request");
  const added = await adviceInReply(db, releaseId, row.title, row.request_id, actor, now, options);
  if (added.problem) throw new DomainError("conflict", added.problem, "reply");
  return added;
}

async function workedRequest(db: Db, requestId: number) {
  const summary = await repo.requestSummary(db, requestId);
  if (!summary) throw invalid("request", "There is no such request");
  if (isSubjectAccess(summary.regime))
    throw invalid("request", "A subject access request is not answered with a table");
  if (!draftingStates.includes(summary.state))
    throw invalid(
      "request",
      `The reply to ${summary.reference} cannot be changed now (the request is ${summary.state.replace(/-/g, " ")})`,
    );
  return summary;
}

/** Applies a change to the request's draft reply (a new draft when there is none) and saves it. */
async function changeReply(
  db: Db,
  requestId: number,
  actor: Actor,
  now: Date,
  change: (content: ReplyInput) => ReplyInput,
): Promise<void> {
  const summary = await workedRequest(db, requestId);
  const stored = await replyFor(db, requestId);
  const content = stored?.content ?? (await newReplyInput(db, requestId, actor, now));
  await saveReplyDraft(db, requestId, change(structuredClone(content)), summary.version, actor, now);
}

/**
 * Puts a refusal by the release policy into the request's draft reply: the policy's exemptions applied to
 * every question, with its reason text — a refusal notice states the exemption and why it applies (FOIA
 * s.17(1)(b)-(c)) — as the harm reasoning for a prejudice-based exemption, otherwise as the reasons it
 * applies. Returns the request's id, for the reply editor.
 */
export async function addRefusalToReply(
  db: Db,
  datasetId: number,
  request: TableRequest & { requestId: number },
  actor: Actor,
  now: Date,
): Promise<number> {
  requireRole(actor, releasers, "a case officer or an information-rights manager can change a reply");
  const loaded = await loadDataset(db, datasetId);
  const answered = await answerFor(db, loaded, request);
  const result = answered.answer;
  if (result.outcome !== "refused")
    throw new DomainError(
      "conflict",
      "The release policy allows this table: release it instead",
      "dimensions",
    );
  if (result.exemptions.length === 0)
    throw new DomainError(
      "conflict",
      "The release policy names no exemption for this table: explain in the reply why it is not provided",
      "dimensions",
    );
  const summary = await workedRequest(db, request.requestId);
  const ids = [...result.exemptions].sort();
  const prejudice = ids.some((id) => exemption(id)?.harm);
  await changeReply(db, request.requestId, actor, now, (content) => {
    const applications = [...(content.exemptions ?? [])];
    const questions = Array.from(
      { length: Math.max(1, content.questions?.length ?? summary.questions) },
      (_, i) => i + 1,
    );
    let application = applications.find(
      (candidate) => [...candidate.exemptionIds].sort().join(" ") === ids.join(" "),
    );
    if (!application) {
      application = { exemptionIds: ids, questionNumbers: questions };
      applications.push(application);
    }
    if (prejudice) {
      const harm = { ...(application.harm ?? {}) };
      const reasoning = [...(harm.reasoning ?? [])];
      if (!reasoning.includes(result.reason)) reasoning.push(result.reason);
      // The harm test the policy states (FOIA s.17(1)(c)), where the officer has not stated it already.
      application.harm = {
        ...harm,
        ...(result.harm && !harm.interest?.trim() ? { interest: result.harm.interest } : {}),
        ...(result.harm && !harm.likelihood ? { likelihood: result.harm.likelihood } : {}),
        reasoning,
      };
    } else {
      const reasons = [...(application.reasons ?? [])];
      if (!reasons.includes(result.reason)) reasons.push(result.reason);
      application.reasons = reasons;
    }
    // The public-interest test the policy has weighed (FOIA s.17(3)), unless one is in the draft already.
    const weighed = application.publicInterest;
    const empty =
      !weighed ||
      (!weighed.balance?.trim() &&
        !weighed.favouringDisclosure?.length &&
        !weighed.favouringWithholding?.length);
    if (result.publicInterest && empty) application.publicInterest = { ...result.publicInterest };
    // A question the policy refuses and that has no decision yet is withheld (the officer can change it).
    const decided = (content.questions ?? []).map((question) => ({
      ...question,
      decision: question.decision ?? "withheld",
    }));
    return { ...content, questions: decided, exemptions: applications };
  });
  return request.requestId;
}

/** Requests a table could answer (their reply is still being drafted), for the build form. */
export async function requestChoices(db: Db) {
  return repo.requestsBeingWorked(db, draftingStates);
}

/**
 * A release in the back office: its table, figures, files and the request it answered, and whether that
 * request's reply links to it (`baseUrl`: the site's address, as the link was written).
 */
export async function releasePage(db: Db, releaseId: number, baseUrl: string) {
  const row = await repo.releaseForStaff(db, releaseId);
  if (!row) throw new DomainError("not-found", "There is no such release");
  const published = row.published as unknown as PublishedTable;
  const url = `${baseUrl}${statisticsPath(row.id)}`;
  const reply = row.request_id === null ? null : await replyFor(db, row.request_id);
  return {
    inReply:
      row.request_id === null ? null : (reply?.content.advice ?? []).some((item) => item.link?.url === url),
    csvPath: `${statisticsPath(row.id)}/table.csv`,
    xlsxPath: `${statisticsPath(row.id)}/table.xlsx`,
    id: row.id,
    datasetId: row.dataset_id,
    datasetTitle: row.dataset_title,
    title: row.title,
    kind: row.kind,
    html: tableHtml(published),
    ...releaseFacts(row),
    publicPath: statisticsPath(row.id),
  };
}

// ---- Public -----------------------------------------------------------------------------------------------

/** Every released table, newest first (the routine publications page). */
export async function publishedStatistics(db: Db) {
  return (await repo.publicReleaseList(db)).map((row) => ({
    id: row.id,
    title: row.title,
    datasetTitle: row.dataset_title,
    releasedAt: row.released_at,
    path: statisticsPath(row.id),
  }));
}

/** A release's public page: the table and its notes, the chart, the files. Nothing about who released it. */
export async function publishedStatistic(db: Db, releaseId: number) {
  const row = await repo.publicRelease(db, releaseId);
  if (!row) throw new DomainError("not-found", "There is no such table");
  const published = row.published as unknown as PublishedTable;
  const path = statisticsPath(row.id);
  return {
    id: row.id,
    title: row.title,
    datasetTitle: row.dataset_title,
    datasetDescription: row.dataset_description,
    releasedAt: row.released_at,
    html: tableHtml(published),
    svg: tableSvg(published),
    withheld: published.cells.some((cell) => cell.withheld),
    rounded: row.kind === "rounded",
    // The table as published (withheld cells already carry no figure), for the JSON API.
    dimensions: published.dimensions,
    labels: published.labels,
    quantity: published.quantity,
    magnitude: published.magnitude,
    cells: published.cells,
    notes: published.notes,
    csvPath: `${path}/table.csv`,
    xlsxPath: `${path}/table.xlsx`,
    notesPath: published.notes.length > 0 ? `${path}/notes.csv` : null,
  };
}

/** A file name from a table's title: "known-gangs-by-age-band-and-category". */
function fileStem(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 80) || "table"
  );
}

/** The notes on a published table (what "[c]" means), as the CSV that goes beside the table's. */
export async function publishedStatisticNotes(db: Db, releaseId: number) {
  const row = await repo.publicRelease(db, releaseId);
  const published = row?.published as unknown as PublishedTable | undefined;
  if (!row || !published || published.notes.length === 0)
    throw new DomainError("not-found", "There is no such table");
  return {
    filename: `${fileStem(row.title)}-notes.csv`,
    mediaType: "text/csv",
    bytes: new TextEncoder().encode(notesCsv(published)),
  };
}

const mediaTypes = {
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

/** The CSV or workbook exactly as released. */
export async function publishedStatisticFile(db: Db, releaseId: number, format: "csv" | "xlsx") {
  const row = await repo.releaseFile(db, releaseId, format);
  if (!row) throw new DomainError("not-found", "There is no such table");
  return { filename: `${fileStem(row.title)}.${format}`, mediaType: mediaTypes[format], bytes: row.bytes };
}
