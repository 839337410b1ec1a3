import { invalid } from "../../errors.ts";
import type { AuditResult } from "../audit.ts";
import type { HierarchySpec } from "../hierarchy.ts";
import type { CellStatus, ProtectedTable } from "../protect.ts";
import { formatRule } from "../rules.ts";
import { cellLabels, type LabelledCell, type Table, type TableCell } from "../table.ts";

/** Keys of a cell object that are not dimensions. */
const reserved = new Set(["freq", "value", "status", "lower", "upper", "exact", "protected", "required"]);

export function checkDimensionNames(names: readonly string[], field = "dims"): void {
  for (const name of names)
    if (reserved.has(name))
      throw invalid(field, `a dimension cannot be called "${name}": the output uses that name`);
}

/**
 * `foidesk stats protect --json`: every cell, margins included (labelled "Total"), with its figures and its
 * status, and the number of secondary suppressions; then what the audit needs to rebuild the table.
 */
export function protectedJson(protectedTable: ProtectedTable): Record<string, unknown> {
  const { table } = protectedTable;
  const names = table.dimensions.map((tree) => tree.name);
  const cells = table.cells.map((cell) => {
    const entry: Record<string, unknown> = {};
    cellLabels(table, cell).forEach((label, d) => {
      entry[names[d] as string] = label;
    });
    entry.freq = cell.freq;
    entry.value = table.measure !== undefined ? cell.value : cell.freq;
    entry.status = protectedTable.status[cell.index];
    return entry;
  });
  const hierarchies: Record<string, HierarchySpec> = {};
  for (const spec of table.specs) if (spec.hierarchy) hierarchies[spec.name] = spec.hierarchy;
  return {
    cells,
    secondary: protectedTable.secondary,
    dimensions: names,
    ...(table.measure !== undefined ? { measure: table.measure } : {}),
    ...(Object.keys(hierarchies).length > 0 ? { hierarchies } : {}),
    rules: protectedTable.rules.map(formatRule),
    method: protectedTable.method,
    optimal: protectedTable.optimal,
    informationLoss: protectedTable.informationLoss,
  };
}

/** A suppression pattern read back: the table, each cell's status, and any rules it was made with. */
export interface ParsedPattern {
  table: Table;
  status: CellStatus[];
  rules: string[];
}

function record(value: unknown, where: string, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw invalid(field, `${where} must be a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * Reads the output of `stats protect --json`, or a hand-written pattern of the same shape: `{"cells": [{…}]}`
 * (or just the array), each cell a label per dimension, `freq` (and `value` for a magnitude table) and
 * `status`. Margins may be left out: they are computed from the cells, and published.
 */
export function parsePattern(
  input: unknown,
  build: (dimensions: { name: string; hierarchy?: HierarchySpec }[], cells: LabelledCell[]) => Table,
  field = "--input",
): ParsedPattern {
  const top = Array.isArray(input) ? { cells: input } : record(input, "the pattern", field);
  const list = top.cells;
  if (!Array.isArray(list) || list.length === 0)
    throw invalid(field, 'the pattern needs "cells": a list of cells with their labels, freq and status');
  const first = record(list[0], "cell 1", field);
  const names = Array.isArray(top.dimensions)
    ? top.dimensions.map(String)
    : Object.keys(first).filter((key) => !reserved.has(key));
  if (names.length === 0) throw invalid(field, "the cells name no dimension");
  const hierarchies = (top.hierarchies ?? {}) as Record<string, HierarchySpec>;
  const statuses: string[] = [];
  const given = list.map((raw, index) => {
    const where = `cell ${index + 1}`;
    const cell = record(raw, where, field);
    const labels = names.map((name) => {
      const label = cell[name];
      if (typeof label !== "string" && typeof label !== "number")
        throw invalid(field, `${where} has no label for ${name}`);
      return String(label);
    });
    const freq = cell.freq ?? cell.value;
    if (typeof freq !== "number" || !Number.isFinite(freq) || freq < 0)
      throw invalid(field, `${where} (${labels.join(", ")}): freq must be a number, 0 or more`);
    const value = cell.value;
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0))
      throw invalid(field, `${where} (${labels.join(", ")}): value must be a number, 0 or more`);
    const status = cell.status ?? "published";
    if (status !== "published" && status !== "primary" && status !== "secondary" && status !== "suppressed")
      throw invalid(field, `${where} (${labels.join(", ")}): status must be published, primary or secondary`);
    statuses.push(status === "suppressed" ? "secondary" : status);
    return { labels, freq, value: value as number | undefined };
  });
  // A magnitude table says so, or its values differ from its counts.
  const magnitude =
    typeof top.measure === "string" ||
    (given.every((cell) => cell.value !== undefined) && given.some((cell) => cell.value !== cell.freq));
  const table = build(
    names.map((name) => (hierarchies[name] ? { name, hierarchy: hierarchies[name] } : { name })),
    given.map((cell) =>
      magnitude
        ? { labels: cell.labels, freq: cell.freq, value: cell.value }
        : { labels: cell.labels, freq: cell.freq },
    ),
  );
  const status: CellStatus[] = table.cells.map(() => "published");
  given.forEach((cell, index) => {
    const found = findIndex(table, cell.labels);
    if (found !== undefined) status[found] = statuses[index] as CellStatus;
  });
  const rules = Array.isArray(top.rules)
    ? top.rules.map(String)
    : typeof top.rule === "string"
      ? [top.rule]
      : [];
  return { table, status, rules };
}

function findIndex(table: Table, labels: readonly string[]): number | undefined {
  let index = 0;
  for (let d = 0; d < table.dimensions.length; d++) {
    const tree = table.dimensions[d] as Table["dimensions"][number];
    const node = tree.nodes.findIndex((candidate) => candidate.label === labels[d]);
    if (node < 0) return undefined;
    index += node * (table.strides[d] as number);
  }
  return index;
}

/** `foidesk stats audit --json`: each suppressed cell's interval; `upper` is null when nothing bounds it. */
export function auditJson(
  table: Table,
  status: readonly CellStatus[],
  audit: AuditResult,
  protectedCells?: ReadonlyMap<number, boolean>,
): Record<string, unknown> {
  const names = table.dimensions.map((tree) => tree.name);
  const cells = audit.intervals.map((interval) => {
    const cell = table.cells[interval.column] as TableCell;
    const entry: Record<string, unknown> = {};
    cellLabels(table, cell).forEach((label, d) => {
      entry[names[d] as string] = label;
    });
    entry.status = status[cell.index];
    entry.freq = cell.freq;
    entry.value = table.measure !== undefined ? cell.value : cell.freq;
    entry.lower = interval.lower;
    entry.upper = Number.isFinite(interval.upper) ? interval.upper : null;
    entry.exact = interval.lower === interval.upper;
    const verdict = protectedCells?.get(cell.index);
    if (verdict !== undefined) entry.protected = verdict;
    return entry;
  });
  return {
    cells,
    suppressed: cells.length,
    exact: cells.filter((cell) => cell.exact).length,
    ...(protectedCells ? { safe: audit.safe } : {}),
  };
}
