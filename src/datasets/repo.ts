import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../db/index.ts";
import { replySentFor, requestReferenceOf } from "../requests/index.ts";
import {
  storedColumns,
  storedDataset,
  storedDimensions,
  storedPolicy,
  storedPublished,
  storedRelease,
} from "./stored-json.ts";

// The datasets module's SQL, and only here (STYLE.md): datasets, their release policies (one row per version,
// the newest in force) and the tables released from them. The public pages read the releases' published
// columns only: never `release` (it keeps the withheld figures) nor who released them. JSON columns are
// checked as they are read (stored-json.ts).

type Db = Kysely<Database> | Transaction<Database>;

export async function datasetList(db: Db) {
  return db
    .selectFrom("statistics_datasets as d")
    .select([
      "d.id",
      "d.name",
      "d.title",
      "d.description",
      "d.records",
      "d.imported_at",
      (eb) =>
        eb
          .selectFrom("statistics_releases as r")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("r.dataset_id", "=", "d.id")
          .as("releases"),
    ])
    .orderBy("d.title")
    .execute();
}

export async function datasetById(db: Db, id: number) {
  const row = await db.selectFrom("statistics_datasets").selectAll().where("id", "=", id).executeTakeFirst();
  return (
    row && { ...row, spec: storedColumns(row.spec, row.id), dataset: storedDataset(row.dataset, row.id) }
  );
}

export async function datasetNameTaken(db: Db, name: string): Promise<boolean> {
  const row = await db
    .selectFrom("statistics_datasets")
    .select("id")
    .where("name", "=", name)
    .executeTakeFirst();
  return row !== undefined;
}

/** Holds the dataset's row until the transaction ends: releases of one dataset are made one at a time. */
export async function lockDataset(db: Transaction<Database>, id: number): Promise<boolean> {
  const row = await db
    .selectFrom("statistics_datasets")
    .select("id")
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertDataset(
  db: Db,
  values: {
    name: string;
    title: string;
    description: string;
    spec: unknown;
    dataset: unknown;
    records: number;
    sourceFile: string | null;
    at: Date;
    by: string;
  },
): Promise<number> {
  const { id } = await db
    .insertInto("statistics_datasets")
    .values({
      name: values.name,
      title: values.title,
      description: values.description,
      spec: JSON.stringify(values.spec),
      dataset: JSON.stringify(values.dataset),
      records: values.records,
      source_file: values.sourceFile,
      imported_at: values.at,
      imported_by: values.by,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** The policy in force: the newest version. */
export async function currentPolicy(db: Db, datasetId: number) {
  const row = await db
    .selectFrom("statistics_policies")
    .selectAll()
    .where("dataset_id", "=", datasetId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
  return row && { ...row, policy: storedPolicy(row.policy, row.id) };
}

export async function insertPolicy(
  db: Db,
  values: { datasetId: number; version: number; policy: unknown; at: Date; by: string },
): Promise<void> {
  await db
    .insertInto("statistics_policies")
    .values({
      dataset_id: values.datasetId,
      version: values.version,
      policy: JSON.stringify(values.policy),
      saved_at: values.at,
      saved_by: values.by,
    })
    .execute();
}

/** What the back office and differencing both read of a release: its figures' provenance and who made it. */
const releaseRecord = [
  "r.id",
  "r.title",
  "r.kind",
  "r.policy_version",
  "r.primary_cells",
  "r.secondary_cells",
  "r.request_id",
  "r.released_at",
  "r.released_by",
] as const;

/** Every table released from the dataset, oldest first, with what differencing needs. */
export async function releasesOf(db: Db, datasetId: number) {
  const rows = await db
    .selectFrom("statistics_releases as r")
    .select([
      ...releaseRecord,
      requestReferenceOf("r.request_id").as("request_reference"),
      "r.dimensions",
      "r.release",
    ])
    .where("r.dataset_id", "=", datasetId)
    .orderBy("r.id")
    .execute();
  return rows.map((row) => ({
    ...row,
    dimensions: storedDimensions(row.dimensions, row.id),
    release: storedRelease(row.release, row.id),
  }));
}

export async function insertRelease(
  db: Db,
  values: {
    datasetId: number;
    policyVersion: number;
    title: string;
    dimensions: string[];
    kind: "suppressed" | "rounded";
    release: unknown;
    published: unknown;
    primaryCells: number;
    secondaryCells: number;
    csv: Uint8Array;
    xlsx: Uint8Array;
    requestId: number | null;
    at: Date;
    by: string;
  },
): Promise<number> {
  const { id } = await db
    .insertInto("statistics_releases")
    .values({
      dataset_id: values.datasetId,
      policy_version: values.policyVersion,
      title: values.title,
      dimensions: JSON.stringify(values.dimensions),
      kind: values.kind,
      release: JSON.stringify(values.release),
      published: JSON.stringify(values.published),
      primary_cells: values.primaryCells,
      secondary_cells: values.secondaryCells,
      csv: values.csv,
      xlsx: values.xlsx,
      request_id: values.requestId,
      released_at: values.at,
      released_by: values.by,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** A release as the back office shows it (who released it, the request it answered). */
export async function releaseForStaff(db: Db, id: number) {
  const row = await db
    .selectFrom("statistics_releases as r")
    .innerJoin("statistics_datasets as d", "d.id", "r.dataset_id")
    .select([
      ...releaseRecord,
      requestReferenceOf("r.request_id").as("request_reference"),
      "r.dataset_id",
      "d.title as dataset_title",
      "r.published",
    ])
    .where("r.id", "=", id)
    .executeTakeFirst();
  return row && { ...row, published: storedPublished(row.published, row.id) };
}

/** An earlier release of the same table (dataset, dimensions, policy) into the same request's reply. */
export async function sameReleaseForRequest(
  db: Db,
  values: { datasetId: number; dimensions: string[]; policyVersion: number; requestId: number },
) {
  return db
    .selectFrom("statistics_releases as r")
    .select(["r.id", "r.title", "r.released_at", requestReferenceOf<string>("r.request_id").as("reference")])
    .where("r.dataset_id", "=", values.datasetId)
    .where("r.request_id", "=", values.requestId)
    .where("r.policy_version", "=", values.policyVersion)
    .where(sql<boolean>`r.dimensions = ${JSON.stringify(values.dimensions)}::jsonb`)
    .executeTakeFirst();
}

// ---- Public: published columns only ----------------------------------------------------------------------

/**
 * Released to the public: a routine table at once; a table released into a request's reply only once that
 * reply has been sent, after its sign-off (the reply's advice links to it; until then it is not public).
 */
function publicReleases(db: Db) {
  return db
    .selectFrom("statistics_releases as r")
    .where((eb) => eb.or([eb("r.request_id", "is", null), replySentFor("r.request_id")]));
}

export async function publicReleaseList(db: Db) {
  return publicReleases(db)
    .innerJoin("statistics_datasets as d", "d.id", "r.dataset_id")
    .select(["r.id", "r.title", "d.title as dataset_title", "r.released_at"])
    .orderBy("r.released_at", "desc")
    .orderBy("r.id", "desc")
    .execute();
}

export async function publicRelease(db: Db, id: number) {
  const row = await publicReleases(db)
    .innerJoin("statistics_datasets as d", "d.id", "r.dataset_id")
    .select([
      "r.id",
      "r.title",
      "r.kind",
      "r.published",
      "r.released_at",
      "d.title as dataset_title",
      "d.description as dataset_description",
    ])
    .where("r.id", "=", id)
    .executeTakeFirst();
  return row && { ...row, published: storedPublished(row.published, row.id) };
}

export async function releaseFile(db: Db, id: number, format: "csv" | "xlsx") {
  return publicReleases(db)
    .select(["r.title", format === "csv" ? "r.csv as bytes" : "r.xlsx as bytes"])
    .where("r.id", "=", id)
    .executeTakeFirst();
}
