import { basename } from "node:path";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError, type FieldProblem, invalid, isDomainError } from "../errors.ts";
import type { Actor } from "../requests/index.ts";
import {
  type Dataset,
  type DatasetSpec,
  importDataset,
  parseReleasePolicy,
  type ReleasePolicy,
} from "../statistics/index.ts";
import { assertCan } from "../users/index.ts";
import { readCsvDataset } from "./csv-file.ts";
import * as repo from "./repo.ts";
import { checkDimensionShapes, columnLabel, hierarchyExample } from "./stored-dataset.ts";
import type { DatasetColumns } from "./stored-json.ts";

// Importing a dataset: from a CSV file (the import form, `foidesk stats import`), or already aggregated.

type Db = Kysely<Database>;
type Conn = Kysely<Database> | Transaction<Database>;

/** Counts of 1 to 4 withheld, zeros shown: what a new dataset's policy starts with until a manager sets it. */
const DEFAULT_THRESHOLD = 4;

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
  assertCan(actor, "import-dataset");
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
