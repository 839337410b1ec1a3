import { invalid } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import { mergeContributions } from "./dataset.ts";
import {
  buildTree,
  type CategoryGroups,
  type DimensionTree,
  type HierarchySpec,
  type TreeNode,
} from "./hierarchy.ts";

/** A table dimension as asked for: a dataset column, optionally with a hierarchy and groups of categories. */
export type DimensionSpec = string | { name: string; hierarchy?: HierarchySpec; groups?: CategoryGroups };

export interface TableCell {
  index: number;
  /** Per dimension, the node index in that dimension's tree. */
  coordinates: number[];
  freq: number;
  value: number;
  contributors: number;
  /** The largest contributions, largest first. */
  top: number[];
}

/** `cells[total]` equals the sum of `cells[parts]`: one line of a table (a row, a column, a subtotal). */
export interface Equation {
  total: number;
  parts: number[];
}

/**
 * A cross-tabulation with every margin and subtotal: one cell per combination of nodes (categories, subtotals,
 * the total) of its dimensions. Its equations — each total is the sum of its parts, along every dimension and
 * for every combination of the others — are derived once here and used both by the attacker's problem (audit.ts)
 * and by secondary suppression (secondary.ts).
 */
export interface Table {
  dimensions: DimensionTree[];
  /** Set for a magnitude table (cells are sums of this measure); undefined for a frequency table. */
  measure: string | undefined;
  keepContributions: number;
  cells: TableCell[];
  /** Cell index = Σ coordinates[d] × strides[d]. */
  strides: number[];
  equations: Equation[];
  /** The specs the dimensions were built from, so a release can record how its table was made. */
  specs: { name: string; hierarchy?: HierarchySpec; groups?: CategoryGroups }[];
}

export function isMagnitude(table: Table): boolean {
  return table.measure !== undefined;
}

/** The figure a cell publishes and disclosure control protects: the sum of the measure, or the count. */
export function amount(table: Table, cell: TableCell): number {
  return table.measure !== undefined ? cell.value : cell.freq;
}

export function cellLabels(table: Table, cell: TableCell): string[] {
  return cell.coordinates.map(
    (node, d) => ((table.dimensions[d] as DimensionTree).nodes[node] as TreeNode).label,
  );
}

export function isInterior(table: Table, cell: TableCell): boolean {
  return cell.coordinates.every(
    (node, d) => ((table.dimensions[d] as DimensionTree).nodes[node] as TreeNode).children.length === 0,
  );
}

/** Finds a cell by its labels, one per dimension; undefined when a label is not in the table. */
export function findCell(table: Table, labels: readonly string[]): TableCell | undefined {
  let index = 0;
  for (let d = 0; d < table.dimensions.length; d++) {
    const tree = table.dimensions[d] as DimensionTree;
    const node = tree.nodes.findIndex((candidate) => candidate.label === labels[d]);
    if (node < 0) return undefined;
    index += node * (table.strides[d] as number);
  }
  return table.cells[index];
}

function normaliseSpec(spec: DimensionSpec): {
  name: string;
  hierarchy?: HierarchySpec;
  groups?: CategoryGroups;
} {
  return typeof spec === "string" ? { name: spec } : spec;
}

/** An empty table over the given trees: every cell zero, the equations derived. */
function emptyTable(
  trees: DimensionTree[],
  measure: string | undefined,
  keepContributions: number,
  specs: Table["specs"],
): Table {
  const strides: number[] = new Array(trees.length).fill(1);
  for (let d = trees.length - 2; d >= 0; d--)
    strides[d] = (strides[d + 1] as number) * (trees[d + 1] as DimensionTree).nodes.length;
  const size = trees.reduce((product, tree) => product * tree.nodes.length, 1);
  if (size > 5_000_000) throw invalid("dims", `the table would have ${size.toLocaleString("en-GB")} cells`);
  const cells: TableCell[] = new Array(size);
  for (let index = 0; index < size; index++) {
    const coordinates = trees.map(
      (tree, d) => Math.floor(index / (strides[d] as number)) % tree.nodes.length,
    );
    cells[index] = { index, coordinates, freq: 0, value: 0, contributors: 0, top: [] };
  }
  const equations: Equation[] = [];
  for (let d = 0; d < trees.length; d++) {
    const tree = trees[d] as DimensionTree;
    const stride = strides[d] as number;
    for (const cell of cells) {
      const node = tree.nodes[cell.coordinates[d] as number] as TreeNode;
      if (node.children.length === 0) continue;
      const base = cell.index - (cell.coordinates[d] as number) * stride;
      equations.push({ total: cell.index, parts: node.children.map((child) => base + child * stride) });
    }
  }
  return { dimensions: trees, measure, keepContributions, cells, strides, equations, specs };
}

/** Fills every margin and subtotal from the interior cells (parts come before their totals in post-order). */
function fillMargins(table: Table): void {
  const { cells, strides, dimensions, keepContributions } = table;
  for (let d = 0; d < dimensions.length; d++) {
    const tree = dimensions[d] as DimensionTree;
    const stride = strides[d] as number;
    // Cells are visited with this dimension's node in ascending (post-)order, so parts are complete first.
    for (let node = 0; node < tree.nodes.length; node++) {
      const treeNode = tree.nodes[node] as TreeNode;
      if (treeNode.children.length === 0) continue;
      for (const cell of cells) {
        if (cell.coordinates[d] !== node) continue;
        // Only cells whose later dimensions are still leaves: the later passes add those up.
        let later = true;
        for (let e = d + 1; e < dimensions.length; e++) {
          const other = (dimensions[e] as DimensionTree).nodes[cell.coordinates[e] as number] as TreeNode;
          if (other.children.length > 0) {
            later = false;
            break;
          }
        }
        if (!later) continue;
        const base = cell.index - node * stride;
        let freq = 0;
        let value = 0;
        let contributors = 0;
        let top: number[] = [];
        for (const child of treeNode.children) {
          const part = cells[base + child * stride] as TableCell;
          freq += part.freq;
          value += part.value;
          contributors += part.contributors;
          if (part.top.length > 0) top = mergeContributions(top, part.top, keepContributions);
        }
        cell.freq = freq;
        cell.value = value;
        cell.contributors = contributors;
        cell.top = top;
      }
    }
  }
}

/**
 * Cross-tabulates a dataset over some of its dimensions, with all margins (labelled "Total" unless a hierarchy
 * names its root otherwise) and every subtotal of each hierarchy. Dimensions of the dataset not in the table
 * are summed over.
 */
export function buildTable(dataset: Dataset, dimensions: readonly DimensionSpec[], field = "dims"): Table {
  if (dimensions.length === 0) throw invalid(field, "a table needs at least one dimension");
  const specs = dimensions.map(normaliseSpec);
  const seen = new Set<string>();
  const positions = specs.map((spec) => {
    if (seen.has(spec.name)) throw invalid(field, `dimension "${spec.name}" is named twice`);
    seen.add(spec.name);
    const position = dataset.dimensions.indexOf(spec.name);
    if (position < 0)
      throw invalid(
        field,
        `the dataset has no dimension "${spec.name}" (it has ${dataset.dimensions.join(", ")})`,
      );
    return position;
  });
  const trees = specs.map((spec, d) =>
    buildTree(spec.name, dataset.categories[positions[d] as number] as string[], {
      hierarchy: spec.hierarchy,
      groups: spec.groups,
      field: "hierarchy",
    }),
  );
  const table = emptyTable(trees, dataset.measure, dataset.keepContributions, specs);
  // Per table dimension, dataset category index → leaf node.
  const leafOf = trees.map((tree, d) => {
    const categories = dataset.categories[positions[d] as number] as string[];
    const byCategory = new Map<string, number>();
    tree.nodes.forEach((node, index) => {
      if (node.children.length === 0) for (const category of node.categories) byCategory.set(category, index);
    });
    return categories.map((category) => byCategory.get(category) as number);
  });
  for (const source of dataset.cells) {
    let index = 0;
    for (let d = 0; d < trees.length; d++) {
      const code = source.codes[positions[d] as number] as number;
      index += ((leafOf[d] as number[])[code] as number) * (table.strides[d] as number);
    }
    const cell = table.cells[index] as TableCell;
    cell.freq += source.freq;
    cell.value += source.value;
    cell.contributors += source.contributors;
    if (source.top.length > 0) cell.top = mergeContributions(cell.top, source.top, table.keepContributions);
  }
  fillMargins(table);
  return table;
}

/** One cell as given in a hand-written or saved table: a label per dimension and its figures. */
export interface LabelledCell {
  labels: string[];
  freq: number;
  value?: number;
}

/**
 * Rebuilds a table from labelled cells (`foidesk stats audit` input). Interior cells must all be given;
 * margins may be left out (they are computed) but any given must add up. The table is a magnitude table when
 * every cell has a value.
 */
export function tableFromCells(
  dimensions: readonly { name: string; hierarchy?: HierarchySpec }[],
  given: readonly LabelledCell[],
  field = "input",
): Table {
  const magnitude = given.length > 0 && given.every((cell) => cell.value !== undefined);
  const trees = dimensions.map((dimension, d) => {
    const labels = new Set<string>();
    for (const cell of given) labels.add(cell.labels[d] as string);
    if (dimension.hierarchy) {
      // Categories are the hierarchy's leaves; the tree builder checks each given label against it below.
      const tree = buildTree(dimension.name, [], { hierarchy: dimension.hierarchy, field });
      const known = new Set(tree.nodes.map((node) => node.label));
      for (const label of labels)
        if (!known.has(label))
          throw invalid(field, `"${label}" is not in the hierarchy of ${dimension.name}`);
      return tree;
    }
    const rootLabel = "Total";
    labels.delete(rootLabel);
    return buildTree(dimension.name, [...labels], { field });
  });
  const table = emptyTable(
    trees,
    magnitude ? "value" : undefined,
    2,
    dimensions.map((dimension) => ({ ...dimension })),
  );
  const supplied = new Map<number, LabelledCell>();
  for (const cell of given) {
    const found = findCell(table, cell.labels);
    if (!found) throw invalid(field, `cell ${cell.labels.join(", ")} is not in the table`);
    if (supplied.has(found.index)) throw invalid(field, `cell ${cell.labels.join(", ")} is given twice`);
    supplied.set(found.index, cell);
    found.freq = cell.freq;
    found.value = cell.value ?? 0;
  }
  for (const cell of table.cells) {
    if (isInterior(table, cell) && !supplied.has(cell.index))
      throw invalid(field, `cell ${describeCell(table, cell)} is missing`);
  }
  // Keep the given margins, recompute, and compare.
  const givenMargins = [...supplied.entries()].filter(
    ([index]) => !isInterior(table, table.cells[index] as TableCell),
  );
  fillMargins(table);
  for (const [index, cell] of givenMargins) {
    const computed = table.cells[index] as TableCell;
    const figure = magnitude ? (cell.value as number) : cell.freq;
    const expected = amount(table, computed);
    if (Math.abs(figure - expected) > 1e-6 * Math.max(1, Math.abs(expected)))
      throw invalid(
        field,
        `cell ${describeCell(table, computed)} is ${figure} but its parts add up to ${expected}: the table does not add up`,
      );
  }
  return table;
}

/** "region=A, gender=female": how messages name a cell. */
export function describeCell(table: Table, cell: TableCell): string {
  return cellLabels(table, cell)
    .map((label, d) => `${(table.dimensions[d] as DimensionTree).name}=${label}`)
    .join(", ");
}
