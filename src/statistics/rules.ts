import { invalid } from "../errors.ts";
import { amount, isMagnitude, type Table, type TableCell } from "./table.ts";

/**
 * Primary suppression rules as the official tools define them (tau-Argus manual, ch. 4; Hundepool et al.,
 * "Statistical Disclosure Control", Wiley 2012, §4.2):
 * - frequency: a cell is unsafe iff 0 < count ≤ threshold (zeros are never unsafe by this rule);
 * - dominance (n,k): unsafe iff the n largest contributions exceed k% of the cell total;
 * - p%: unsafe iff total − the two largest < p% of the largest, i.e. the second-largest contributor, who can
 *   subtract its own value, would estimate the largest within p%.
 */
export type PrimaryRule =
  | {
      kind: "frequency";
      threshold: number;
      /**
       * The required protection either side of an unsafe cell, as a percentage of its value: tau-Argus's
       * "frequency range". Default 30; never less than one unit (a count must not be pinned to its value).
       */
      rangePercent?: number;
    }
  | { kind: "dominance"; n: number; k: number }
  | { kind: "p-percent"; p: number };

/** How far below and above its value the attacker's interval for a protected cell must reach. */
export interface ProtectionLevels {
  lower: number;
  upper: number;
}

export type PrimaryReason = "frequency" | "dominance" | "p-percent" | "requested";

export interface PrimaryCell {
  cell: number;
  reasons: PrimaryReason[];
  protection: ProtectionLevels;
}

export const DEFAULT_RANGE_PERCENT = 30;

/** `freq:N`, `nk:N,K`, `p:P`, as the CLI writes them. */
export function parseRule(text: string, field = "rule"): PrimaryRule {
  const match = /^(freq|nk|p):(.+)$/.exec(text.trim());
  const numbers = match ? (match[2] as string).split(",").map((part) => Number(part.trim())) : [];
  const positive = (value: number | undefined) => value !== undefined && Number.isFinite(value) && value > 0;
  if (match?.[1] === "freq" && numbers.length === 1 && Number.isInteger(numbers[0]) && positive(numbers[0]))
    return { kind: "frequency", threshold: numbers[0] as number };
  if (
    match?.[1] === "nk" &&
    numbers.length === 2 &&
    Number.isInteger(numbers[0]) &&
    positive(numbers[0]) &&
    positive(numbers[1]) &&
    (numbers[1] as number) <= 100
  )
    return { kind: "dominance", n: numbers[0] as number, k: numbers[1] as number };
  if (match?.[1] === "p" && numbers.length === 1 && positive(numbers[0]) && (numbers[0] as number) <= 100)
    return { kind: "p-percent", p: numbers[0] as number };
  throw invalid(
    field,
    `"${text}" is not a rule: use freq:N (cells 1 to N unsafe), nk:N,K (N largest over K%) or p:P (p% rule)`,
  );
}

export function formatRule(rule: PrimaryRule): string {
  if (rule.kind === "frequency") return `freq:${rule.threshold}`;
  if (rule.kind === "dominance") return `nk:${rule.n},${rule.k}`;
  return `p:${rule.p}`;
}

function sumTop(cell: TableCell, n: number): number {
  let sum = 0;
  for (let i = 0; i < n && i < cell.top.length; i++) sum += cell.top[i] as number;
  return sum;
}

/** Whether one rule finds a cell unsafe. Zero cells never are. */
export function unsafeByRule(cell: TableCell, rule: PrimaryRule): boolean {
  if (cell.freq === 0) return false;
  if (rule.kind === "frequency") return cell.freq <= rule.threshold;
  const total = cell.value;
  if (total <= 0) return false;
  if (rule.kind === "dominance") return sumTop(cell, rule.n) > (rule.k / 100) * total;
  const largest = cell.top[0] ?? 0;
  return total - sumTop(cell, 2) < (rule.p / 100) * largest;
}

/**
 * The protection interval a rule requires, as tau-Argus computes it (libtauargus Table.cpp,
 * SetProtectionLevelCell; Hundepool et al. 2012 §4.2.3):
 * - dominance (n,k): upper = 100/k × (sum of the n largest) − total, the amount the total must be able to grow
 *   before the n largest would no longer dominate it;
 * - p%: upper = p/100 × largest − (total − largest − second), so the second-largest contributor, knowing its
 *   own value, cannot bound the largest within p% of it; the largest, estimating the second, needs only
 *   p/100 × second − (the same rest), which is no more, so one level protects against both;
 * - frequency (and cells asked for): rangePercent% of the value, at least one unit.
 * tau-Argus uses the same level below as above; the lower level is capped at the value (a cell cannot go below
 * zero). For counts the levels are rounded up to whole numbers, as counts are whole.
 */
export function protectionLevels(
  table: Table,
  cell: TableCell,
  reasons: readonly PrimaryReason[],
  rules: readonly PrimaryRule[],
): ProtectionLevels {
  const value = amount(table, cell);
  let level = 0;
  const rangeLevel = (percent: number) => Math.max(1, (Math.abs(value) * percent) / 100);
  for (const rule of rules) {
    if (rule.kind === "frequency") {
      if (reasons.includes("frequency"))
        level = Math.max(level, rangeLevel(rule.rangePercent ?? DEFAULT_RANGE_PERCENT));
    } else if (rule.kind === "dominance" && reasons.includes("dominance")) {
      level = Math.max(level, (100 / rule.k) * sumTop(cell, rule.n) - cell.value);
    } else if (rule.kind === "p-percent" && reasons.includes("p-percent")) {
      const largest = cell.top[0] ?? 0;
      level = Math.max(level, (rule.p / 100) * largest - (cell.value - sumTop(cell, 2)));
    }
  }
  if (reasons.includes("requested") || level <= 0) {
    const frequency = rules.find((rule) => rule.kind === "frequency");
    level = Math.max(
      level,
      rangeLevel(
        frequency?.kind === "frequency"
          ? (frequency.rangePercent ?? DEFAULT_RANGE_PERCENT)
          : DEFAULT_RANGE_PERCENT,
      ),
    );
  }
  if (!isMagnitude(table)) level = Math.ceil(level - 1e-9);
  return { lower: Math.min(level, Math.max(0, value)), upper: level };
}

/**
 * Applies the rules to every cell (margins included: a margin can be unsafe too) and adds the cells asked for
 * (`requested`, e.g. `--primary`). Rules on contributions (dominance, p%) need a magnitude table.
 */
export function primaryCells(
  table: Table,
  rules: readonly PrimaryRule[],
  requested: readonly number[] = [],
): Map<number, PrimaryCell> {
  for (const rule of rules) {
    if (rule.kind !== "frequency" && !isMagnitude(table))
      throw invalid("rule", `the ${rule.kind === "dominance" ? "nk" : "p"} rule needs a measure (--measure)`);
  }
  const found = new Map<number, PrimaryCell>();
  const asked = new Set(requested);
  for (const cell of table.cells) {
    const reasons: PrimaryReason[] = [];
    for (const rule of rules) if (unsafeByRule(cell, rule)) reasons.push(rule.kind);
    if (asked.has(cell.index)) reasons.push("requested");
    if (reasons.length === 0) continue;
    found.set(cell.index, {
      cell: cell.index,
      reasons,
      protection: protectionLevels(table, cell, reasons, rules),
    });
  }
  return found;
}

/**
 * Cells whose one contributor knows the cell exactly: a cell of a single record (count 1). In a magnitude
 * table that record's contributor knows the cell's value; in a frequency table the one respondent may know
 * that it is alone. The audit gives each such cell's contributor a turn as the attacker, so that two
 * singletons cannot protect each other (tau-Argus manual §4.2.5, "singleton"; Hundepool et al. 2012 §4.3.3).
 * (With pre-aggregated rows, `--freq`, a row of several records is not a singleton.)
 */
export function singletonCells(table: Table): Set<number> {
  const singletons = new Set<number>();
  for (const cell of table.cells) if (cell.freq === 1) singletons.add(cell.index);
  return singletons;
}
