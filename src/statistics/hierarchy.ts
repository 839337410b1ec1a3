import { invalid } from "../errors.ts";

/**
 * A dimension's hierarchy as written in a `--hierarchy DIM=FILE.json` file: one root (its label is the margin's
 * label, normally "Total"); an object's keys are subtotals, an array lists the categories (values in the data)
 * that make up its parent:
 *
 *   {"Total": {"London": ["Camden", "Hackney"], "North": {"Yorkshire": ["Leeds", "York"], "Tyne": ["Newcastle"]}}}
 *
 * gives three levels below the total. To put a category beside subtotals, give it as a string:
 * `{"Total": {"London": ["Camden"], "Leeds": "Leeds"}}` (the key is the label shown, the string the category).
 * Every category in the data must appear exactly once; a category listed but absent from the data is a cell
 * of zero.
 */
export type HierarchySpec = { [label: string]: HierarchyChildren };
export type HierarchyChildren = readonly string[] | { [label: string]: HierarchyChildren | string };

/** The margin's label when a dimension has no hierarchy of its own. */
export const TOTAL = "Total";

export interface TreeNode {
  label: string;
  /** Index of the parent node; -1 for the root. */
  parent: number;
  /** Child node indices, in order. Empty for a leaf. */
  children: number[];
  /** 0 for the root. */
  depth: number;
  /** The dataset categories this node adds up (one or more for a leaf: a leaf may group several). */
  categories: string[];
}

/** A table dimension: its nodes in post-order (parts before their subtotal), the root (the total) last. */
export interface DimensionTree {
  name: string;
  nodes: TreeNode[];
  root: number;
  /** Whether the tree has levels between the total and the categories. */
  hierarchical: boolean;
}

/** Categories in reading order: numbers inside labels compare as numbers ("2" before "10", "0-15" before "16-17"). */
export function compareCategories(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Groups recode categories before the tree is built: `{"0-17": ["0-15", "16-17"]}` makes one category "0-17"
 * of two in the data. Tables of one dataset with different groupings are what differencing attacks compare.
 */
export type CategoryGroups = Readonly<Record<string, readonly string[]>>;

interface Leaf {
  label: string;
  categories: string[];
}

function groupedLeaves(
  name: string,
  categories: readonly string[],
  groups: CategoryGroups | undefined,
  field: string,
) {
  const leaves = new Map<string, Leaf>();
  const grouped = new Map<string, string>();
  for (const [label, members] of Object.entries(groups ?? {})) {
    for (const member of members) {
      const earlier = grouped.get(member);
      if (earlier !== undefined)
        throw invalid(field, `category "${member}" of ${name} is in two groups, "${earlier}" and "${label}"`);
      grouped.set(member, label);
    }
    leaves.set(label, { label, categories: [...members] });
  }
  for (const category of categories) {
    if (grouped.has(category)) continue;
    if (leaves.has(category))
      throw invalid(field, `category "${category}" of ${name} has the same name as a group`);
    leaves.set(category, { label: category, categories: [category] });
  }
  return leaves;
}

/**
 * Builds a dimension's tree from the categories seen in the data and an optional hierarchy and grouping.
 * `field` names the option a problem is reported against (e.g. "--hierarchy").
 */
export function buildTree(
  name: string,
  categories: readonly string[],
  options: { hierarchy?: HierarchySpec; groups?: CategoryGroups; field?: string } = {},
): DimensionTree {
  const field = options.field ?? "hierarchy";
  const leaves = groupedLeaves(name, categories, options.groups, field);
  const nodes: TreeNode[] = [];
  if (!options.hierarchy) {
    if (leaves.has(TOTAL))
      throw invalid(field, `${name} has a category called "${TOTAL}", which is the margin's label`);
    const children: number[] = [];
    for (const leaf of [...leaves.values()].sort((a, b) => compareCategories(a.label, b.label))) {
      children.push(nodes.length);
      nodes.push({ label: leaf.label, parent: -1, children: [], depth: 1, categories: leaf.categories });
    }
    const root = nodes.length;
    nodes.push({ label: TOTAL, parent: -1, children, depth: 0, categories: [] });
    for (const child of children) (nodes[child] as TreeNode).parent = root;
    fillCategories(nodes, root);
    return { name, nodes, root, hierarchical: false };
  }

  const roots = Object.entries(options.hierarchy);
  if (roots.length !== 1)
    throw invalid(field, `the hierarchy of ${name} must have exactly one root, e.g. {"Total": {…}}`);
  const [rootLabel, rootChildren] = roots[0] as [string, HierarchyChildren];
  const labels = new Set<string>();
  const used = new Set<string>();
  const add = (label: string, children: HierarchyChildren | string, depth: number): number => {
    if (labels.has(label)) throw invalid(field, `"${label}" appears twice in the hierarchy of ${name}`);
    labels.add(label);
    const childIndices: number[] = [];
    if (typeof children === "string") {
      if (used.has(children))
        throw invalid(field, `category "${children}" appears twice in the hierarchy of ${name}`);
      used.add(children);
      const leaf = leaves.get(children);
      nodes.push({
        label,
        parent: -1,
        children: [],
        depth,
        categories: leaf ? [...leaf.categories] : [children],
      });
      return nodes.length - 1;
    }
    if (Array.isArray(children)) {
      for (const child of children) {
        if (typeof child !== "string")
          throw invalid(
            field,
            `the hierarchy of ${name} lists something other than a category under "${label}"`,
          );
        childIndices.push(add(child, child, depth + 1));
      }
    } else if (typeof children === "object" && children !== null) {
      for (const [childLabel, grandchildren] of Object.entries(children)) {
        if (
          typeof grandchildren !== "string" &&
          (typeof grandchildren !== "object" || grandchildren === null)
        )
          throw invalid(
            field,
            `in the hierarchy of ${name}, "${childLabel}" must be a category, a list of categories or an object of subtotals`,
          );
        childIndices.push(add(childLabel, grandchildren, depth + 1));
      }
    } else {
      throw invalid(field, `in the hierarchy of ${name}, "${label}" must be a list or an object`);
    }
    if (childIndices.length === 0)
      throw invalid(field, `"${label}" in the hierarchy of ${name} has no parts`);
    nodes.push({ label, parent: -1, children: childIndices, depth, categories: [] });
    const index = nodes.length - 1;
    for (const child of childIndices) (nodes[child] as TreeNode).parent = index;
    return index;
  };
  const root = add(rootLabel, rootChildren, 0);
  for (const leaf of leaves.keys()) {
    if (!used.has(leaf)) throw invalid(field, `category "${leaf}" of ${name} is not in its hierarchy`);
  }
  fillCategories(nodes, root);
  return { name, nodes, root, hierarchical: nodes.some((node) => node.depth > 1) };
}

function fillCategories(nodes: TreeNode[], index: number): string[] {
  const node = nodes[index] as TreeNode;
  if (node.children.length === 0) return node.categories;
  node.categories = node.children.flatMap((child) => fillCategories(nodes, child));
  return node.categories;
}

/** Reads a parsed JSON value as a hierarchy, checking its shape; `field` names the option for errors. */
export function parseHierarchy(value: unknown, name: string, field: string): HierarchySpec {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw invalid(
      field,
      `the hierarchy of ${name} must be a JSON object like {"Total": {"London": ["Camden"]}}`,
    );
  // buildTree checks the rest (one root, lists of strings, no repeats) as it walks the tree.
  return value as HierarchySpec;
}
