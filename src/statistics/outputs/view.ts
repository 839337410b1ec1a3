import type { DimensionTree, TreeNode } from "../hierarchy.ts";
import type { ProtectedTable } from "../protect.ts";
import type { RoundedTable } from "../rounding.ts";
import { cellLabels, isInterior, type Table } from "../table.ts";

/** The symbol for a withheld figure: "[c]", confidential, as the Government Statistical Service writes it. */
export const SUPPRESSED = "[c]";

export const SUPPRESSED_MEANING = "withheld to protect confidentiality";

/** One row of a published table in long form: one cell. */
export interface PublishedCell {
  labels: string[];
  /** The published count; null when withheld. */
  freq: number | null;
  /** The published sum of the measure; null when withheld or for a frequency table. */
  value: number | null;
  withheld: boolean;
  /** Whether any label is a total or subtotal. */
  margin: boolean;
}

/** A table as it may be published: figures, withheld cells and the notes that explain them. */
export interface PublishedTable {
  title: string;
  dimensions: string[];
  /** Per dimension, its labels in order (parts before their totals). */
  labels: string[][];
  /** The name of the figure shown: "Count" or the measure. */
  quantity: string;
  magnitude: boolean;
  cells: PublishedCell[];
  notes: string[];
}

function dimensionLabels(table: Table): string[][] {
  return table.dimensions.map((tree: DimensionTree) => tree.nodes.map((node: TreeNode) => node.label));
}

/** The published form of a protected table: withheld cells carry no figure. */
export function publishSuppressed(protectedTable: ProtectedTable, title: string): PublishedTable {
  const { table } = protectedTable;
  const magnitude = table.measure !== undefined;
  const cells = table.cells.map((cell) => {
    const withheld = protectedTable.status[cell.index] !== "published";
    return {
      labels: cellLabels(table, cell),
      freq: withheld ? null : cell.freq,
      value: withheld || !magnitude ? null : cell.value,
      withheld,
      margin: !isInterior(table, cell),
    };
  });
  const notes = cells.some((cell) => cell.withheld)
    ? [
        `${SUPPRESSED} Figure ${SUPPRESSED_MEANING}: it is a small number, or it would allow a small number to be worked out from the other figures.`,
      ]
    : [];
  return {
    title,
    dimensions: table.dimensions.map((tree) => tree.name),
    labels: dimensionLabels(table),
    quantity: magnitude ? (table.measure as string) : "Count",
    magnitude,
    cells,
    notes,
  };
}

/** The published form of a rounded table. */
export function publishRounded(rounded: RoundedTable, title: string): PublishedTable {
  const { table } = rounded;
  const magnitude = table.measure !== undefined;
  const cells = table.cells.map((cell) => ({
    labels: cellLabels(table, cell),
    freq: magnitude ? null : (rounded.rounded[cell.index] as number),
    value: magnitude ? (rounded.rounded[cell.index] as number) : null,
    withheld: false,
    margin: !isInterior(table, cell),
  }));
  const note =
    rounded.method === "controlled"
      ? `Figures are rounded to a multiple of ${rounded.base}; totals are the sums of the rounded figures, so each is within ${rounded.base - 1} of the true figure.`
      : `Figures are rounded independently to the nearest ${rounded.base}, so totals may not equal the sum of their parts.`;
  return {
    title,
    dimensions: table.dimensions.map((tree) => tree.name),
    labels: dimensionLabels(table),
    quantity: magnitude ? (table.measure as string) : "Count",
    magnitude,
    cells,
    notes: [note],
  };
}

/** The figure a cell shows: the value of a magnitude table, else the count. */
export function shownFigure(published: PublishedTable, cell: PublishedCell): number | null {
  return published.magnitude ? cell.value : cell.freq;
}

export function formatFigure(figure: number): string {
  return figure.toLocaleString("en-GB", { maximumFractionDigits: 2 });
}
