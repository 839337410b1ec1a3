import type { Kysely } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import type { Actor } from "../requests/index.ts";
import {
  auditWithReleases,
  cellLabels,
  type PublishedTable,
  type Release,
  releaseOf,
  type TableAnswer,
  tableCsv,
  tableXlsx,
} from "../statistics/index.ts";
import { assertCan } from "../users/index.ts";
import { adviceInReply, type TableInReply, workedRequest } from "./reply-edits.ts";
import * as repo from "./repo.ts";
import { loadDataset } from "./stored-dataset.ts";
import { answerFor, reasonText, solver, type TableRequest } from "./tables.ts";

// Releasing a table: audited with every earlier release of its dataset, recorded with its files, and linked
// from the reply of the request it answers.

type Db = Kysely<Database>;

export interface Released {
  releaseId: number;
  /** When the table answered a request: whether its reply now links to it, or why not. */
  reply: TableInReply | null;
}

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
  assertCan(actor, "release-statistics");
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
