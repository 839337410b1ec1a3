import { invalid } from "../errors.ts";
import { CsvParser, csvError } from "./csv.ts";
import { compareCategories } from "./hierarchy.ts";

/** Which columns of the record-level data are dimensions, counts and measures. */
export interface DatasetSpec {
  /** Categorical columns (the table's dimensions come from these). */
  dimensions: readonly string[];
  /** A column of counts, for pre-aggregated rows; without it every row counts 1. */
  frequency?: string;
  /** A column summed for magnitude tables; each row is one contribution to its cell. */
  measure?: string;
  /**
   * How many of each cell's largest contributions to keep (largest first) for the dominance and p% rules.
   * Ten covers any (n,k) rule with n ≤ 10; keeping a bounded number is what lets 10 million rows aggregate
   * in constant memory.
   */
  keepContributions?: number;
}

/** The finest cell of a dataset: one combination of categories, one per dimension. */
export interface DatasetCell {
  /** Per dimension, the index of the category in `Dataset.categories`. */
  codes: number[];
  /** Number of records (or the sum of the frequency column). */
  freq: number;
  /** Sum of the measure (0 without one). */
  value: number;
  /** Number of rows (contributors) in the cell. */
  contributors: number;
  /** The largest contributions, largest first (at most `keepContributions`). */
  top: number[];
}

/** Record-level data aggregated to its finest cells: what a table is built from. */
export interface Dataset {
  dimensions: string[];
  frequency: string | undefined;
  measure: string | undefined;
  /** Per dimension, its categories in reading order. */
  categories: string[][];
  cells: DatasetCell[];
  /** Rows read. */
  records: number;
  keepContributions: number;
}

interface Accumulator {
  codes: number[];
  freq: number;
  value: number;
  contributors: number;
  top: number[];
}

/** Inserts `amount` into `top` (largest first), keeping at most `keep` entries. */
export function insertContribution(top: number[], amount: number, keep: number): void {
  if (top.length >= keep && amount <= (top[top.length - 1] as number)) return;
  let at = top.length;
  while (at > 0 && (top[at - 1] as number) < amount) at--;
  top.splice(at, 0, amount);
  if (top.length > keep) top.pop();
}

/** Merges two largest-first lists into one of at most `keep` entries. */
export function mergeContributions(a: readonly number[], b: readonly number[], keep: number): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (merged.length < keep && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && (a[i] as number) >= (b[j] as number)))
      merged.push(a[i++] as number);
    else merged.push(b[j++] as number);
  }
  return merged;
}

const wholeNumber = /^\d+$/;

/**
 * Aggregates records on the fly: a map from the tuple of category codes to its running count, sum and largest
 * contributions. The first record is the header. Nothing is kept of a row once it has been added.
 */
export class DatasetBuilder {
  private readonly spec: DatasetSpec;
  private readonly keep: number;
  private columns: number[] = [];
  private width = 0;
  private frequencyColumn = -1;
  private measureColumn = -1;
  private names: string[] = [];
  private readonly codes: Map<string, number>[];
  private readonly categories: string[][];
  // Up to three dimensions the key is a number (17 bits a dimension); beyond that a string.
  private readonly numeric: boolean;
  private readonly counts = new Map<number | string, Accumulator>();
  private records = 0;
  private headerSeen = false;

  constructor(spec: DatasetSpec) {
    if (spec.dimensions.length === 0) throw invalid("dims", "name at least one dimension column");
    const seen = new Set<string>();
    for (const name of spec.dimensions) {
      if (seen.has(name)) throw invalid("dims", `dimension "${name}" is named twice`);
      seen.add(name);
    }
    if (spec.frequency !== undefined && seen.has(spec.frequency))
      throw invalid("freq", `"${spec.frequency}" is a dimension, so it cannot also be the frequency column`);
    if (spec.measure !== undefined && seen.has(spec.measure))
      throw invalid("measure", `"${spec.measure}" is a dimension, so it cannot also be the measure`);
    this.spec = spec;
    this.keep = Math.max(2, spec.keepContributions ?? 10);
    this.codes = spec.dimensions.map(() => new Map());
    this.categories = spec.dimensions.map(() => []);
    this.numeric = spec.dimensions.length <= 3;
  }

  get rows(): number {
    return this.records;
  }

  /** Adds one CSV record (the first is the header). Throws a domain error naming the line and column. */
  add(fields: string[], line: number): void {
    if (!this.headerSeen) {
      this.header(fields);
      return;
    }
    if (fields.length !== this.width)
      throw csvError(
        line,
        Math.min(fields.length, this.width) + 1,
        `the row has ${fields.length} fields but the header has ${this.width}`,
      );
    const dims = this.columns.length;
    let key: number | string = 0;
    let codeKey = "";
    const codes: number[] = [];
    for (let d = 0; d < dims; d++) {
      const column = this.columns[d] as number;
      const text = fields[column] as string;
      const map = this.codes[d] as Map<string, number>;
      let code = map.get(text);
      if (code === undefined) {
        if (text === "") throw csvError(line, column + 1, "the category is empty", this.names[column]);
        code = (this.categories[d] as string[]).length;
        if (this.numeric && code >= 1 << 17)
          throw csvError(
            line,
            column + 1,
            "the dimension has more than 131,072 categories",
            this.names[column],
          );
        map.set(text, code);
        (this.categories[d] as string[]).push(text);
      }
      codes.push(code);
      if (this.numeric) key = (key as number) * 131072 + code;
      else codeKey += d === 0 ? String(code) : `,${code}`;
    }
    if (!this.numeric) key = codeKey;
    let freq = 1;
    if (this.frequencyColumn >= 0) {
      const text = fields[this.frequencyColumn] as string;
      if (!wholeNumber.test(text))
        throw csvError(
          line,
          this.frequencyColumn + 1,
          `"${text}" is not a count (a whole number, 0 or more)`,
          this.names[this.frequencyColumn],
        );
      freq = Number(text);
    }
    let amount = 0;
    if (this.measureColumn >= 0) {
      const text = fields[this.measureColumn] as string;
      amount = text.trim() === "" ? Number.NaN : Number(text);
      if (!Number.isFinite(amount))
        throw csvError(
          line,
          this.measureColumn + 1,
          `"${text}" is not a number`,
          this.names[this.measureColumn],
        );
      if (amount < 0)
        throw csvError(
          line,
          this.measureColumn + 1,
          `"${text}" is negative; magnitude tables need contributions of 0 or more`,
          this.names[this.measureColumn],
        );
    }
    this.records++;
    let cell = this.counts.get(key);
    if (cell === undefined) {
      cell = { codes, freq: 0, value: 0, contributors: 0, top: [] };
      this.counts.set(key, cell);
    }
    cell.freq += freq;
    cell.contributors++;
    if (this.measureColumn >= 0) {
      cell.value += amount;
      insertContribution(cell.top, amount, this.keep);
    }
  }

  private header(fields: string[]): void {
    this.headerSeen = true;
    this.names = fields.map((name) => name.trim());
    this.width = fields.length;
    const find = (name: string, field: string) => {
      const index = this.names.indexOf(name);
      if (index < 0)
        throw invalid(
          field,
          `there is no column "${name}" in the header (columns: ${this.names.join(", ")})`,
        );
      return index;
    };
    this.columns = this.spec.dimensions.map((name) => find(name, "dims"));
    if (this.spec.frequency !== undefined) this.frequencyColumn = find(this.spec.frequency, "freq");
    if (this.spec.measure !== undefined) this.measureColumn = find(this.spec.measure, "measure");
  }

  /** The dataset, with categories in reading order. Only call once every record has been added. */
  finish(): Dataset {
    if (!this.headerSeen) throw invalid("input", "the file is empty: it needs a header row");
    // Renumber categories into reading order so tables list them sorted.
    const order = this.categories.map((list) => {
      const sorted = list
        .map((_, index) => index)
        .sort((a, b) => compareCategories(list[a] as string, list[b] as string));
      const rank = new Array<number>(list.length);
      sorted.forEach((original, position) => {
        rank[original] = position;
      });
      return { sorted: sorted.map((index) => list[index] as string), rank };
    });
    const cells: DatasetCell[] = [];
    for (const cell of this.counts.values()) {
      cells.push({
        codes: cell.codes.map((code, d) => (order[d] as { rank: number[] }).rank[code] as number),
        freq: cell.freq,
        value: cell.value,
        contributors: cell.contributors,
        top: cell.top,
      });
    }
    return {
      dimensions: [...this.spec.dimensions],
      frequency: this.spec.frequency,
      measure: this.spec.measure,
      categories: order.map((entry) => entry.sorted),
      cells,
      records: this.records,
      keepContributions: this.keep,
    };
  }
}

/**
 * Imports record-level CSV from a stream of text chunks. The dataset is returned only once the whole input has
 * parsed: a bad value anywhere throws (naming its line and column) and nothing is half-imported.
 * `onProgress` is told the rows read so far after each chunk.
 */
export async function importDataset(
  chunks: AsyncIterable<string> | Iterable<string>,
  spec: DatasetSpec,
  onProgress?: (rows: number) => void,
): Promise<Dataset> {
  const builder = new DatasetBuilder(spec);
  const parser = new CsvParser((fields, line) => builder.add(fields, line));
  for await (const chunk of chunks) {
    parser.push(chunk);
    onProgress?.(builder.rows);
  }
  parser.end();
  return builder.finish();
}

/** A dataset from rows already in memory (tests, the demo): `rows[i][dimension]` and optional count/measure. */
export function datasetFromRows(
  rows: readonly Readonly<Record<string, string | number>>[],
  spec: DatasetSpec,
): Dataset {
  const builder = new DatasetBuilder(spec);
  const columns = [
    ...spec.dimensions,
    ...(spec.frequency ? [spec.frequency] : []),
    ...(spec.measure ? [spec.measure] : []),
  ];
  builder.add(columns, 1);
  rows.forEach((row, index) => {
    builder.add(
      columns.map((column) => String(row[column] ?? "")),
      index + 2,
    );
  });
  return builder.finish();
}
