import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import { notesCsv, tableHtml, tableSvg } from "../statistics/index.ts";
import * as repo from "./repo.ts";

// The public pages of released tables and their files' names: only what was published, and nothing about
// who released it.

type Db = Kysely<Database>;

/** The public page of a release, for links in replies. */
export const statisticsPath = (releaseId: number) => `/statistics/${releaseId}`;

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
  const published = row.published;
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
  const published = row?.published;
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
