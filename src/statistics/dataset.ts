import { invalid } from "../errors.ts";
import { CsvParser, type CsvSink, csvError, fnv1a } from "./csv.ts";
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

/**
 * A dimension's categories, looked up straight from a span of the chunk (hash of its characters, then a
 * comparison in place) so that a row's fields need not be copied into strings of their own.
 */
class CategoryIndex {
  readonly names: string[] = [];
  /** Open addressing: code + 1 at the hash's slot (or the next free one), 0 for empty. */
  private slots = new Int32Array(64);
  private hashes: number[] = [];

  /** The category's code, or −1; `hash` is fnv1a of the span. */
  find(text: string, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const length = end - start;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot] as number;
      if (entry === 0) return -1;
      const name = this.names[entry - 1] as string;
      if (name.length === length) {
        // A character loop: cheaper than a call into the runtime for short category names.
        let k = 0;
        while (k < length && name.charCodeAt(k) === text.charCodeAt(start + k)) k++;
        if (k === length) return entry - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  add(name: string): number {
    const code = this.names.length;
    this.names.push(name);
    this.hashes.push(fnv1a(name, 0, name.length));
    if (this.names.length * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      for (let index = 0; index < this.names.length; index++) this.place(index);
    } else this.place(code);
    return code;
  }

  private place(code: number): void {
    const mask = this.slots.length - 1;
    let slot = (this.hashes[code] as number) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = code + 1;
  }
}

/** Nested arrays indexed by category code, one level per dimension, accumulators at the last. */
type Trie = (Trie | Accumulator | undefined)[];

/**
 * Aggregates records on the fly: a trie of arrays keyed by the categories' codes, holding each cell's running
 * count, sum and largest contributions. The first record is the header. Nothing is kept of a row once it has
 * been added. It is a CsvSink, so rows arrive as spans of the chunk and only the needed fields are read.
 */
export class DatasetBuilder implements CsvSink {
  private readonly spec: DatasetSpec;
  private readonly keep: number;
  private columns: number[] = [];
  private width = 0;
  private frequencyColumn = -1;
  private measureColumn = -1;
  private names: string[] = [];
  private readonly indexes: CategoryIndex[];
  private readonly root: Trie = [];
  private readonly codes: number[];
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
    this.indexes = spec.dimensions.map(() => new CategoryIndex());
    this.codes = spec.dimensions.map(() => 0);
  }

  get rows(): number {
    return this.records;
  }

  /** Adds one record given as strings (the first is the header). */
  add(fields: string[], line: number): void {
    this.fields(fields, line);
  }

  fields(fields: string[], line: number): void {
    const text = fields.join("\u0000");
    const spans = new Int32Array(fields.length * 2);
    const hashes = new Int32Array(fields.length);
    let at = 0;
    fields.forEach((field, index) => {
      spans[2 * index] = at;
      spans[2 * index + 1] = at + field.length;
      hashes[index] = fnv1a(field, 0, field.length);
      at += field.length + 1;
    });
    this.spans(text, spans, fields.length, line, hashes);
  }

  spans(text: string, spans: Int32Array, count: number, line: number, hashes: Int32Array): void {
    if (!this.headerSeen) {
      const fields: string[] = [];
      for (let i = 0; i < count; i++) fields.push(text.slice(spans[2 * i], spans[2 * i + 1]));
      this.header(fields);
      return;
    }
    if (count !== this.width)
      throw csvError(
        line,
        Math.min(count, this.width) + 1,
        `the row has ${count} fields but the header has ${this.width}`,
      );
    const columns = this.columns;
    const indexes = this.indexes;
    const dims = columns.length;
    const codes = this.codes;
    for (let d = 0; d < dims; d++) {
      const column = columns[d] as number;
      const start = spans[2 * column] as number;
      const end = spans[2 * column + 1] as number;
      const index = indexes[d] as CategoryIndex;
      let code = index.find(text, start, end, hashes[column] as number);
      if (code < 0) {
        if (end === start) throw csvError(line, column + 1, "the category is empty", this.names[column]);
        code = index.add(text.slice(start, end));
      }
      codes[d] = code;
    }
    let freq = 1;
    if (this.frequencyColumn >= 0) {
      const start = spans[2 * this.frequencyColumn] as number;
      const end = spans[2 * this.frequencyColumn + 1] as number;
      freq = 0;
      for (let i = start; i < end; i++) {
        const digit = text.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9) {
          freq = -1;
          break;
        }
        freq = freq * 10 + digit;
      }
      if (freq < 0 || end === start)
        throw csvError(
          line,
          this.frequencyColumn + 1,
          `"${text.slice(start, end)}" is not a count (a whole number, 0 or more)`,
          this.names[this.frequencyColumn],
        );
    }
    let amount = 0;
    if (this.measureColumn >= 0) {
      const raw = text.slice(spans[2 * this.measureColumn], spans[2 * this.measureColumn + 1]);
      amount = raw.trim() === "" ? Number.NaN : Number(raw);
      if (!Number.isFinite(amount))
        throw csvError(
          line,
          this.measureColumn + 1,
          `"${raw}" is not a number`,
          this.names[this.measureColumn],
        );
      if (amount < 0)
        throw csvError(
          line,
          this.measureColumn + 1,
          `"${raw}" is negative; magnitude tables need contributions of 0 or more`,
          this.names[this.measureColumn],
        );
    }
    this.records++;
    let node = this.root;
    for (let d = 0; d < dims - 1; d++) {
      const code = codes[d] as number;
      let child = node[code] as Trie | undefined;
      if (child === undefined) {
        child = [];
        node[code] = child;
      }
      node = child;
    }
    const last = codes[dims - 1] as number;
    let cell = node[last] as Accumulator | undefined;
    if (cell === undefined) {
      cell = { codes: codes.slice(), freq: 0, value: 0, contributors: 0, top: [] };
      node[last] = cell;
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
    const order = this.indexes.map(({ names }) => {
      const sorted = names
        .map((_, index) => index)
        .sort((a, b) => compareCategories(names[a] as string, names[b] as string));
      const rank = new Array<number>(names.length);
      sorted.forEach((original, position) => {
        rank[original] = position;
      });
      return { sorted: sorted.map((index) => names[index] as string), rank };
    });
    const cells: DatasetCell[] = [];
    const dims = this.spec.dimensions.length;
    const walk = (node: Trie, depth: number) => {
      for (const child of node) {
        if (child === undefined) continue;
        if (depth < dims - 1) {
          walk(child as Trie, depth + 1);
          continue;
        }
        const cell = child as Accumulator;
        cells.push({
          codes: cell.codes.map((code, d) => (order[d] as { rank: number[] }).rank[code] as number),
          freq: cell.freq,
          value: cell.value,
          contributors: cell.contributors,
          top: cell.top,
        });
      }
    };
    walk(this.root, 0);
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
  const parser = new CsvParser(builder);
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
