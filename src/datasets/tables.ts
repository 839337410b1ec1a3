import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/index.ts";
import { invalid } from "../errors.ts";
import {
  answerTableRequest,
  cellLabels,
  type LpSolver,
  loadHighsSolver,
  type PublishedTable,
  publishRounded,
  publishSuppressed,
  type Release,
  type ReleasePolicy,
  type TableAnswer,
  tableHtml,
  tableSvg,
} from "../statistics/index.ts";
import * as repo from "./repo.ts";
import { citations, type Loaded, labelFor, loadDataset } from "./stored-dataset.ts";

// Building a table: the dimensions checked, the policy and the earlier releases applied, the answer (refused,
// released with suppression, or rounded) as the build page shows it.

type Db = Kysely<Database>;
type Conn = Kysely<Database> | Transaction<Database>;

export function solver(): Promise<LpSolver> {
  return loadHighsSolver();
}

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
    release: { ...row.release, id: String(row.id) },
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

export async function answerFor(db: Conn, loaded: Loaded, request: TableRequest): Promise<Answered> {
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
export function reasonText(
  result: Extract<TableAnswer, { outcome: "refused" }>,
  policy: ReleasePolicy,
): string {
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
