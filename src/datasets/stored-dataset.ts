import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError, invalid, isDomainError } from "../errors.ts";
import { citeExemptions, exemption } from "../law/index.ts";
import { buildTable, type Dataset, type ReleasePolicy } from "../statistics/index.ts";
import * as repo from "./repo.ts";
import type { DatasetColumns } from "./stored-json.ts";

// A stored dataset as the other jobs read it: its columns and their labels, its data and its policy in
// force; and the check that a hierarchy or grouping of its dimensions builds.

type Conn = Kysely<Database> | Transaction<Database>;

/** "age_band" → "Age band": a column name as a heading. */
export function columnLabel(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface Loaded {
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

export async function loadDataset(db: Conn, id: number): Promise<Loaded> {
  const row = await repo.datasetById(db, id);
  if (!row) throw new DomainError("not-found", "There is no such dataset");
  const policy = await repo.currentPolicy(db, id);
  if (!policy) throw new Error(`dataset ${id} has no release policy`);
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    description: row.description,
    columns: row.spec,
    dataset: row.dataset,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
    sourceFile: row.source_file,
    policy: policy.policy,
    policyVersion: policy.version,
    policySavedAt: policy.saved_at,
    policySavedBy: policy.saved_by,
  };
}

function labelsOf(loaded: Loaded): Map<string, string> {
  return new Map(loaded.columns.dimensions.map((dimension) => [dimension.name, dimension.label]));
}

export function labelFor(loaded: Loaded, name: string): string {
  return labelsOf(loaded).get(name) ?? columnLabel(name);
}

/** The printed citations ("Section 31(1)(a)(b) Law enforcement") for exemption ids of the catalogue. */
export function citations(ids: readonly string[]): string[] {
  const known = ids.filter((id) => exemption(id));
  return known.length ? citeExemptions(known) : [];
}

export const hierarchyExample = '{"region": {"Total": {"North": ["Leeds", "York"]}}}';
const groupsExample = '{"age": {"0-17": ["0-15", "16-17"]}}';

/** Builds a table by each dimension with its hierarchy or groups, so that a bad one is refused now, by name. */
export function checkDimensionShapes(
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
