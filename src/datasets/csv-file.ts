// Reading a CSV file for import: the file-system side of the streaming importer, kept out of the pure
// statistics module (its parser and aggregation, statistics/csv.ts and dataset.ts, never touch a file).
// Shows a progress bar on a terminal.
import { isAscii } from "node:buffer";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { invalid } from "../errors.ts";
import { type Dataset, type DatasetSpec, importDataset } from "../statistics/index.ts";

export interface ReadOptions {
  /** Where the progress bar goes; by default standard error, and only when it is a terminal. */
  progress?: NodeJS.WriteStream | false;
  chunkBytes?: number;
}

function bar(fraction: number, rows: number): string {
  const width = 30;
  const filled = Math.round(fraction * width);
  return `\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${Math.floor(fraction * 100)
    .toString()
    .padStart(3)}% ${rows.toLocaleString("en-GB")} rows`;
}

/** Streams a CSV file into a dataset; `field` names the option that gave the path. */
export async function readCsvDataset(
  path: string,
  spec: DatasetSpec,
  options: ReadOptions = {},
  field = "--input",
): Promise<Dataset> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw invalid(field, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const terminal =
    options.progress === undefined
      ? process.stderr.isTTY
        ? process.stderr
        : undefined
      : options.progress || undefined;
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  let read = 0;
  let shown = -1;
  // UTF-8, decoded cheaply: a chunk of plain ASCII (most data) is copied as one-byte text; otherwise a
  // streaming decoder carries characters split across chunks.
  const decoder = new TextDecoder("utf-8");
  let decoding = false;
  async function* chunks(): AsyncGenerator<string> {
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      read += bytes.length;
      if (!decoding && isAscii(bytes)) {
        yield bytes.toString("latin1");
        continue;
      }
      const text = decoder.decode(bytes, { stream: true });
      // Once an ASCII chunk has gone through the decoder, nothing is left pending in it.
      decoding = !isAscii(bytes);
      yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }
  try {
    return await importDataset(chunks(), spec, (rows) => {
      if (!terminal || size === 0) return;
      const percent = Math.floor((read / size) * 100);
      if (percent === shown) return;
      shown = percent;
      terminal.write(bar(Math.min(1, read / size), rows));
    });
  } finally {
    stream.destroy();
    if (terminal && shown >= 0) terminal.write("\n");
  }
}
