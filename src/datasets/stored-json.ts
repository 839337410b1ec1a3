import { z } from "zod";
import { isDomainError } from "../errors.ts";
import {
  type Dataset,
  type HierarchySpec,
  type PublishedTable,
  parseReleasePolicy,
  type Release,
  type ReleasePolicy,
} from "../statistics/index.ts";

// The JSON columns of the datasets tables, checked as the repository reads them: a value that is not what
// foidesk wrote (edited by hand, or from a bad migration) fails here, naming its column and row, instead of
// surfacing later as a wrong figure on a page. Unknown keys are kept, as before these checks.

const jsonObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);

/** A dimension as the dataset keeps it: its column and the label pages and files show. */
export interface DimensionColumn {
  name: string;
  label: string;
}

/** The dataset's columns (statistics_datasets.spec): its dimensions, and its frequency and measure columns. */
export interface DatasetColumns {
  dimensions: DimensionColumn[];
  frequency?: string;
  measure?: string;
}

const datasetColumnsSchema = z.looseObject({
  dimensions: z.array(z.looseObject({ name: z.string(), label: z.string() })),
  frequency: z.string().optional(),
  measure: z.string().optional(),
}) satisfies z.ZodType<DatasetColumns>;

const datasetSchema = z
  .looseObject({
    dimensions: z.array(z.string()),
    frequency: z.string().optional(),
    measure: z.string().optional(),
    categories: z.array(z.array(z.string())),
    cells: z.array(
      z.looseObject({
        codes: z.array(z.number()),
        freq: z.number(),
        value: z.number(),
        contributors: z.number(),
        top: z.array(z.number()),
      }),
    ),
    records: z.number(),
    keepContributions: z.number(),
  })
  .transform((dataset): Dataset => ({ ...dataset, frequency: dataset.frequency, measure: dataset.measure }));

const releaseSchema = z.looseObject({
  id: z.string(),
  dimensions: z.array(
    z.looseObject({
      name: z.string(),
      hierarchy: z.custom<HierarchySpec>(jsonObject, "expected a hierarchy (an object)").optional(),
      groups: z.record(z.string(), z.array(z.string())).optional(),
    }),
  ),
  measure: z.string().optional(),
  cells: z.array(
    z.looseObject({
      labels: z.array(z.string()),
      freq: z.number(),
      value: z.number(),
      status: z.enum(["published", "primary", "secondary"]),
      protection: z.looseObject({ lower: z.number(), upper: z.number() }).optional(),
    }),
  ),
}) satisfies z.ZodType<Release>;

const publishedTableSchema = z.looseObject({
  title: z.string(),
  dimensions: z.array(z.string()),
  labels: z.array(z.array(z.string())),
  quantity: z.string(),
  magnitude: z.boolean(),
  cells: z.array(
    z.looseObject({
      labels: z.array(z.string()),
      freq: z.number().nullable(),
      value: z.number().nullable(),
      withheld: z.boolean(),
      margin: z.boolean(),
    }),
  ),
  notes: z.array(z.string()),
}) satisfies z.ZodType<PublishedTable>;

/** The stored value of `column` in row `id`, checked; a bad one is an error naming the column and the row. */
function stored<T>(schema: z.ZodType<T>, value: unknown, column: string, id: number): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
  throw new Error(`The stored ${column} of row ${id} is not valid${at}: ${issue?.message ?? "unreadable"}`);
}

export const storedColumns = (value: unknown, id: number): DatasetColumns =>
  stored(datasetColumnsSchema, value, "statistics_datasets.spec", id);

export const storedDataset = (value: unknown, id: number): Dataset =>
  stored(datasetSchema, value, "statistics_datasets.dataset", id);

export const storedRelease = (value: unknown, id: number): Release =>
  stored(releaseSchema, value, "statistics_releases.release", id);

export const storedPublished = (value: unknown, id: number): PublishedTable =>
  stored(publishedTableSchema, value, "statistics_releases.published", id);

export const storedDimensions = (value: unknown, id: number): string[] =>
  stored(z.array(z.string()), value, "statistics_releases.dimensions", id);

/** The release policy (statistics_policies.policy), checked by statistics' own schema. */
export function storedPolicy(value: unknown, id: number): ReleasePolicy {
  try {
    return parseReleasePolicy(value);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const problem = error.problems[0];
    const at = problem?.field ? ` at ${problem.field}` : "";
    throw new Error(
      `The stored statistics_policies.policy of row ${id} is not valid${at}: ${problem?.message ?? error.message}`,
    );
  }
}
