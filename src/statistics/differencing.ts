import { invalid } from "../errors.ts";
import { type AttackerSystem, DECISION, FIXED, FREE } from "./attacker.ts";
import { type AuditResult, auditSystem, auditTable, type Target } from "./audit.ts";
import type { Dataset } from "./dataset.ts";
import { mergeContributions } from "./dataset.ts";
import type { CategoryGroups, DimensionTree, HierarchySpec, TreeNode } from "./hierarchy.ts";
import type { CellStatus, ProtectedTable } from "./protect.ts";
import {
  DEFAULT_RANGE_PERCENT,
  type PrimaryReason,
  type ProtectionLevels,
  protectionLevels,
  unsafeByRule,
} from "./rules.ts";
import { CannotProtect, heuristicSuppression, slackFor } from "./secondary.ts";
import { type LpSolver, sparseRows } from "./solver.ts";
import { amount, cellLabels, describeCell, type Table, type TableCell, tableFromCells } from "./table.ts";

/** One cell of a table as released: its labels, figures, status, and (for primary cells) its protection. */
export interface ReleasedCell {
  labels: string[];
  freq: number;
  value: number;
  status: CellStatus;
  protection?: ProtectionLevels;
}

/**
 * A table as it was released, kept so later tables of the same dataset can be audited with it. The figures of
 * suppressed cells are kept too (never published): an earlier primary cell must stay protected.
 */
export interface Release {
  id: string;
  dimensions: { name: string; hierarchy?: HierarchySpec; groups?: CategoryGroups }[];
  /** Set when the release is a magnitude table. */
  measure?: string;
  cells: ReleasedCell[];
}

/** The record of a protected table, to keep with the reply that released it. */
export function releaseOf(protectedTable: ProtectedTable, id: string): Release {
  const { table } = protectedTable;
  return {
    id,
    dimensions: table.specs.map((spec) => ({ ...spec })),
    ...(table.measure !== undefined ? { measure: table.measure } : {}),
    cells: table.cells.map((cell) => {
      const primary = protectedTable.primaries.get(cell.index);
      return {
        labels: cellLabels(table, cell),
        freq: cell.freq,
        value: cell.value,
        status: protectedTable.status[cell.index] as CellStatus,
        ...(primary ? { protection: primary.protection } : {}),
      };
    }),
  };
}

/** A release's table rebuilt from its cells, its leaves regrouped as they were. */
function releaseTable(release: Release): Table {
  const table = tableFromCells(
    release.dimensions.map((dimension) => ({ name: dimension.name, hierarchy: dimension.hierarchy })),
    release.cells.map((cell) => ({
      labels: cell.labels,
      freq: cell.freq,
      ...(release.measure !== undefined ? { value: cell.value } : {}),
    })),
    `release ${release.id}`,
  );
  release.dimensions.forEach((dimension, d) => {
    if (dimension.groups) regroup(table.dimensions[d] as DimensionTree, dimension.groups);
  });
  return table;
}

function regroup(tree: DimensionTree, groups: CategoryGroups): void {
  const fill = (index: number): string[] => {
    const node = tree.nodes[index] as TreeNode;
    if (node.children.length === 0) {
      const members = groups[node.label];
      if (members) node.categories = [...members];
      return node.categories;
    }
    node.categories = node.children.flatMap(fill);
    return node.categories;
  };
  fill(tree.root);
}

interface Source {
  /** undefined for the table being released. */
  release: Release | undefined;
  table: Table;
  /** First column of this table's cells in the joint system. */
  offset: number;
  status: readonly CellStatus[];
}

/** Where a column of the joint system comes from. */
export interface JointCell {
  release: string | undefined;
  labels: string[];
  description: string;
}

export interface JointSystem {
  system: AttackerSystem;
  sources: Source[];
  /** Per dimension name, the atoms (classes of categories no table tells apart). */
  atoms: Map<string, string[][]>;
  describe(column: number): JointCell;
  /** Whether two columns share any atom (their contributors overlap). */
  related(a: number, b: number): boolean;
  /** The finest cells (atoms) with their figures from the dataset, when one was given. */
  finest: { column: number; cell: TableCell }[];
}

/**
 * Expresses every table — the new one and the earlier releases — as sums over the finest cross-classification
 * they share: per dimension, the classes of categories that no table tells apart ("atoms"); a cell is the sum
 * of the atom cells inside it. The attacker then works over the union of every table's equations, which is
 * how two tables that are each safe can still be subtracted to reveal a cell (Hundepool et al. 2012 §4.5,
 * linked tables; the tau-Argus manual's "modular" linked-tables discussion).
 */
export function jointSystem(
  table: Table,
  status: readonly CellStatus[],
  releases: readonly Release[],
  dataset?: Dataset,
): JointSystem {
  const sources: Source[] = [{ release: undefined, table, offset: 0, status }];
  let columns = table.cells.length;
  for (const release of releases) {
    const rebuilt = releaseTable(release);
    const byIndex: CellStatus[] = new Array(rebuilt.cells.length).fill("published");
    for (const cell of release.cells) {
      const found = findByLabels(rebuilt, cell.labels);
      if (found) byIndex[found.index] = cell.status;
    }
    sources.push({ release, table: rebuilt, offset: columns, status: byIndex });
    columns += rebuilt.cells.length;
  }
  if (releases.some((release) => (release.measure !== undefined) !== (table.measure !== undefined)))
    throw invalid("releases", "an earlier release counts where this table sums a measure (or the reverse)");

  // Atoms per dimension: categories grouped by which leaf of each table holds them.
  const names = [...new Set(sources.flatMap((source) => source.table.dimensions.map((tree) => tree.name)))];
  const atoms = new Map<string, string[][]>();
  const atomOf = new Map<string, Map<string, number>>();
  for (const name of names) {
    const trees = sources.map((source) => source.table.dimensions.find((tree) => tree.name === name));
    const universe = new Set<string>();
    for (const tree of trees)
      for (const node of tree?.nodes ?? []) for (const category of node.categories) universe.add(category);
    const bySignature = new Map<string, string[]>();
    for (const category of universe) {
      const signature = trees
        .map((tree) =>
          tree
            ? tree.nodes.findIndex((node) => node.children.length === 0 && node.categories.includes(category))
            : -2,
        )
        .join(",");
      const members = bySignature.get(signature);
      if (members) members.push(category);
      else bySignature.set(signature, [category]);
    }
    const list = [...bySignature.values()];
    atoms.set(name, list);
    const lookup = new Map<string, number>();
    list.forEach((members, index) => {
      for (const category of members) lookup.set(category, index);
    });
    atomOf.set(name, lookup);
  }
  const sizes = names.map((name) => (atoms.get(name) as string[][]).length);
  const atomCount = sizes.reduce((product, size) => product * size, 1);
  if (atomCount > 500_000)
    throw invalid(
      "releases",
      `the tables share ${atomCount.toLocaleString("en-GB")} finest cells: too many to audit together`,
    );
  const atomStrides = sizes.map((_, d) => sizes.slice(d + 1).reduce((product, size) => product * size, 1));
  const atomOffset = columns;
  columns += atomCount;

  // Per source, dimension and node: the atoms inside the node.
  const nodeAtoms = sources.map((source) =>
    names.map((name) => {
      const tree = source.table.dimensions.find((candidate) => candidate.name === name);
      if (!tree) return undefined;
      const lookup = atomOf.get(name) as Map<string, number>;
      return tree.nodes.map((node) =>
        [...new Set(node.categories.map((category) => lookup.get(category) as number))].sort((a, b) => a - b),
      );
    }),
  );
  const allAtoms = sizes.map((size) => Array.from({ length: size }, (_, index) => index));

  const nominal = new Float64Array(columns);
  const kind = new Uint8Array(columns).fill(FREE);
  const equations: { columns: number[]; values: number[] }[] = [];
  const cellAtoms = (sourceIndex: number, cell: TableCell): number[][] => {
    const source = sources[sourceIndex] as Source;
    return names.map((name, d) => {
      const position = source.table.dimensions.findIndex((tree) => tree.name === name);
      if (position < 0) return allAtoms[d] as number[];
      const perNode = (nodeAtoms[sourceIndex] as (number[][] | undefined)[])[d] as number[][];
      return perNode[cell.coordinates[position] as number] as number[];
    });
  };
  sources.forEach((source, sourceIndex) => {
    for (const cell of source.table.cells) {
      const column = source.offset + cell.index;
      nominal[column] = amount(source.table, cell);
      const cellStatus = source.status[cell.index];
      kind[column] = sourceIndex === 0 ? DECISION : cellStatus === "published" ? FIXED : FREE;
      const sets = cellAtoms(sourceIndex, cell);
      const members: number[] = [column];
      const values: number[] = [1];
      const walk = (d: number, index: number) => {
        if (d === names.length) {
          members.push(atomOffset + index);
          values.push(-1);
          return;
        }
        for (const atom of sets[d] as number[]) walk(d + 1, index + atom * (atomStrides[d] as number));
      };
      walk(0, 0);
      equations.push({ columns: members, values });
    }
  });
  // The finest cells' true figures, from the dataset: never published, but what a differencing attack reveals.
  const finest: { column: number; cell: TableCell }[] = [];
  if (dataset) {
    const positions = names.map((name) => dataset.dimensions.indexOf(name));
    if (positions.some((position) => position < 0))
      throw invalid("releases", "an earlier release uses a dimension this dataset does not have");
    const byAtom = new Map<number, TableCell>();
    for (const source of dataset.cells) {
      let index = 0;
      for (let d = 0; d < names.length; d++) {
        const position = positions[d] as number;
        const category = (dataset.categories[position] as string[])[
          source.codes[position] as number
        ] as string;
        const atom = (atomOf.get(names[d] as string) as Map<string, number>).get(category);
        if (atom === undefined) {
          index = -1;
          break;
        }
        index += atom * (atomStrides[d] as number);
      }
      if (index < 0) continue;
      let cell = byAtom.get(index);
      if (!cell) {
        cell = { index, coordinates: [], freq: 0, value: 0, contributors: 0, top: [] };
        byAtom.set(index, cell);
      }
      cell.freq += source.freq;
      cell.value += source.value;
      cell.contributors += source.contributors;
      cell.top = mergeContributions(cell.top, source.top, dataset.keepContributions);
    }
    for (const [index, cell] of byAtom) {
      nominal[atomOffset + index] = amount(table, cell);
      finest.push({ column: atomOffset + index, cell });
    }
  }
  const integral = table.measure === undefined && [...nominal].every(Number.isInteger);
  const system: AttackerSystem = { columns, nominal, kind, equations, integral };

  const sourceOf = (column: number): Source | undefined =>
    sources.find((source) => column >= source.offset && column < source.offset + source.table.cells.length);
  const atomSets = (column: number): number[][] => {
    const source = sourceOf(column);
    if (source)
      return cellAtoms(sources.indexOf(source), source.table.cells[column - source.offset] as TableCell);
    const index = column - atomOffset;
    return names.map((_, d) => [Math.floor(index / (atomStrides[d] as number)) % (sizes[d] as number)]);
  };
  return {
    system,
    sources,
    atoms,
    finest,
    describe(column) {
      const source = sourceOf(column);
      if (!source) {
        const labels = atomSets(column).map((set, d) =>
          ((atoms.get(names[d] as string) as string[][])[set[0] as number] as string[]).join("+"),
        );
        const description = labels.map((label, d) => `${names[d]}=${label}`).join(", ");
        return { release: undefined, labels, description: `${description} (not in any table)` };
      }
      const cell = source.table.cells[column - source.offset] as TableCell;
      const where = source.release ? ` of release ${source.release.id}` : "";
      return {
        release: source.release?.id,
        labels: cellLabels(source.table, cell),
        description: `${describeCell(source.table, cell)}${where}`,
      };
    },
    related(a, b) {
      const x = atomSets(a);
      const y = atomSets(b);
      return x.every((set, d) => set.some((atom) => (y[d] as number[]).includes(atom)));
    },
  };
}

function findByLabels(table: Table, labels: readonly string[]): TableCell | undefined {
  let index = 0;
  for (let d = 0; d < table.dimensions.length; d++) {
    const node = (table.dimensions[d] as DimensionTree).nodes.findIndex(
      (candidate) => candidate.label === labels[d],
    );
    if (node < 0) return undefined;
    index += node * (table.strides[d] as number);
  }
  return table.cells[index];
}

/** The targets of a joint audit: the new table's primary cells and every earlier release's. */
function jointTargets(joint: JointSystem, protectedTable: ProtectedTable): Target[] {
  const targets: Target[] = [];
  for (const primary of protectedTable.primaries.values()) {
    targets.push({
      column: primary.cell,
      value: amount(protectedTable.table, protectedTable.table.cells[primary.cell] as TableCell),
      protection: primary.protection,
    });
  }
  for (const source of joint.sources.slice(1)) {
    const release = source.release as Release;
    for (const cell of release.cells) {
      if (cell.status !== "primary") continue;
      const found = findByLabels(source.table, cell.labels);
      if (!found) continue;
      const value = amount(source.table, found);
      const level = Math.max(1, (value * DEFAULT_RANGE_PERCENT) / 100);
      targets.push({
        column: source.offset + found.index,
        value,
        protection: cell.protection ?? { lower: Math.min(value, Math.ceil(level)), upper: Math.ceil(level) },
      });
    }
  }
  // Finest cells that the rules find unsafe: two tables' difference can isolate one (e.g. ages 16–17 from
  // "under 18" in one table and "under 16" in another).
  const { table, rules } = protectedTable;
  for (const { column, cell } of joint.finest) {
    const reasons: PrimaryReason[] = rules
      .filter((rule) => unsafeByRule(cell, rule))
      .map((rule) => rule.kind);
    if (reasons.length === 0) continue;
    targets.push({
      column,
      value: amount(table, cell),
      protection: protectionLevels(table, cell, reasons, rules),
    });
  }
  return targets;
}

export interface DifferencingExposure {
  /** undefined: a cell of the new table. */
  release: string | undefined;
  labels: string[];
  description: string;
  value: number;
  lower: number;
  upper: number;
  required: ProtectionLevels;
}

export interface DifferencingAudit {
  safe: boolean;
  exposures: DifferencingExposure[];
  /** Set when the tables cannot be audited together (they do not add up: the data changed between them). */
  inconsistent?: string;
  audit?: AuditResult;
}

/** Whether the published figures of all the tables can hold at once (one LP with no objective). */
function consistent(joint: JointSystem, hidden: readonly number[], solver: LpSolver): boolean {
  const { system } = joint;
  const hiddenSet = new Set(hidden);
  const lower = new Float64Array(system.columns);
  const upper = new Float64Array(system.columns);
  for (let column = 0; column < system.columns; column++) {
    const open = system.kind[column] === FREE || hiddenSet.has(column);
    lower[column] = open ? 0 : (system.nominal[column] as number);
    upper[column] = open ? Number.POSITIVE_INFINITY : (system.nominal[column] as number);
  }
  const result = solver.solve({
    sense: "minimize",
    columns: system.columns,
    cost: new Float64Array(system.columns),
    lower,
    upper,
    rows: sparseRows(system.equations.map((equation) => ({ ...equation, lower: 0, upper: 0 }))),
  });
  return result.status === "optimal";
}

function suppressedColumns(joint: JointSystem): number[] {
  const hidden: number[] = [];
  const source = joint.sources[0] as Source;
  source.status.forEach((status, index) => {
    if (status !== "published") hidden.push(index);
  });
  return hidden;
}

/**
 * Audits a protected table together with the tables released before it from the same dataset: the attacker
 * knows every figure published in any of them. Reports every primary cell (new or earlier) that the
 * combination narrows below its protection interval.
 */
export function auditWithReleases(
  protectedTable: ProtectedTable,
  earlierReleases: readonly Release[],
  solver: LpSolver,
  dataset?: Dataset,
): DifferencingAudit {
  if (earlierReleases.length === 0) return { safe: protectedTable.audit.safe, exposures: [] };
  const joint = jointSystem(protectedTable.table, protectedTable.status, earlierReleases, dataset);
  const inconsistent = {
    safe: false,
    exposures: [],
    inconsistent:
      "the earlier releases and this table do not add up: the data changed between them, so they cannot be audited together",
  };
  if (!consistent(joint, suppressedColumns(joint), solver)) return inconsistent;
  const targets = jointTargets(joint, protectedTable);
  let audit: AuditResult;
  try {
    audit = auditSystem(joint.system, suppressedColumns(joint), solver, {
      targets,
      singletons: [...protectedTable.singletons],
      related: joint.related,
      intervalsOf: [],
    });
  } catch (error) {
    if (error instanceof Error && /do not add up/.test(error.message)) return inconsistent;
    throw error;
  }
  const exposures = audit.exposures.map((exposure) => {
    const where = joint.describe(exposure.column);
    return {
      release: where.release,
      labels: where.labels,
      description: where.description,
      value: exposure.value,
      lower: exposure.lower,
      upper: exposure.upper,
      required: exposure.required,
    };
  });
  return { safe: audit.safe, exposures, audit };
}

export type ReleaseDecision =
  | { releasable: true; protectedTable: ProtectedTable; added: number }
  | { releasable: false; reason: string; cell?: string };

/**
 * Makes a protected table safe to release alongside the earlier releases: if the joint audit finds a cell
 * narrowed, hides more cells of the new table (heuristic on the joint system, audited again); if nothing the
 * new table can hide protects it — an earlier release already gives it away — says why it cannot be released.
 */
export function protectWithReleases(
  protectedTable: ProtectedTable,
  earlierReleases: readonly Release[],
  solver: LpSolver,
  dataset?: Dataset,
): ReleaseDecision {
  if (earlierReleases.length === 0) return { releasable: true, protectedTable, added: 0 };
  const first = auditWithReleases(protectedTable, earlierReleases, solver, dataset);
  if (first.inconsistent) return { releasable: false, reason: first.inconsistent };
  if (first.safe) return { releasable: true, protectedTable, added: 0 };
  const joint = jointSystem(protectedTable.table, protectedTable.status, earlierReleases, dataset);
  const targets = jointTargets(joint, protectedTable);
  const { table } = protectedTable;
  const weights = new Float64Array(joint.system.columns);
  for (const cell of table.cells) weights[cell.index] = cell.freq * (table.cells.length + 1) + 1;
  let suppressed: Set<number>;
  try {
    suppressed = heuristicSuppression(
      {
        system: joint.system,
        targets,
        singletons: [...protectedTable.singletons],
        related: joint.related,
        mandatory: suppressedColumns(joint),
        weights,
        slack: slackFor(joint.system, targets),
      },
      solver,
    ).suppressed;
  } catch (error) {
    if (error instanceof CannotProtect) {
      const where = joint.describe(error.column);
      return {
        releasable: false,
        cell: where.description,
        reason: `cell ${where.description} would be revealed by combining this table with the earlier releases, whatever else this table withholds`,
      };
    }
    throw error;
  }
  const status = table.cells.map((cell) =>
    protectedTable.primaries.has(cell.index)
      ? "primary"
      : suppressed.has(cell.index)
        ? "secondary"
        : "published",
  ) as CellStatus[];
  const added = status.filter((value, index) => value !== protectedTable.status[index]).length;
  const loss = { cells: 0, freq: 0, value: 0 };
  for (const cell of table.cells) {
    if (status[cell.index] !== "secondary") continue;
    loss.cells++;
    loss.freq += cell.freq;
    loss.value += cell.value;
  }
  const hidden = table.cells.filter((cell) => status[cell.index] !== "published").map((cell) => cell.index);
  const audit = auditTable(table, hidden, solver, {
    primaries: protectedTable.primaries,
    singletons: protectedTable.singletons,
  });
  const candidate: ProtectedTable = {
    ...protectedTable,
    status,
    secondary: loss.cells,
    informationLoss: loss,
    optimal: false,
    audit,
  };
  const check = auditWithReleases(candidate, earlierReleases, solver, dataset);
  if (!check.safe || !audit.safe)
    throw new Error(`the differencing suppression failed its audit: ${JSON.stringify(check.exposures[0])}`);
  return { releasable: true, protectedTable: candidate, added };
}
