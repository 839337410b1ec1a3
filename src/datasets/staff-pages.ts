import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import { replyFor } from "../requests/index.ts";
import { tableHtml } from "../statistics/index.ts";
import { policySummary } from "./policy.ts";
import { statisticsPath } from "./public-pages.ts";
import * as repo from "./repo.ts";
import { labelFor, loadDataset } from "./stored-dataset.ts";

// The back office's pages: the datasets, a dataset with its policy and releases, a release.

type Db = Kysely<Database>;

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
      dimensions: row.dimensions.map((name) => labelFor(loaded, name)),
      kind: row.kind,
      ...releaseFacts(row),
    })),
  };
}

/**
 * A release in the back office: its table, figures, files and the request it answered, and whether that
 * request's reply links to it (`baseUrl`: the site's address, as the link was written).
 */
export async function releasePage(db: Db, releaseId: number, baseUrl: string) {
  const row = await repo.releaseForStaff(db, releaseId);
  if (!row) throw new DomainError("not-found", "There is no such release");
  const published = row.published;
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
