import { DomainError } from "../errors.ts";

/**
 * A streaming CSV parser (RFC 4180): fields separated by commas, records by CRLF, LF or CR; a field in double
 * quotes may hold commas, line breaks and doubled quotes (`""`). Text arrives in chunks of any size (a chunk
 * may end inside a field); each complete record goes to `onRecord` with the physical line it starts on, so
 * nothing but the unfinished record is ever held. A byte-order mark at the start is dropped; blank lines are
 * skipped.
 *
 * A sink may instead take records as spans of the chunk (`spans`: start and end offsets, two per field) when
 * no field needs unquoting — the common case — so a consumer slices only the fields it needs.
 */
export interface CsvSink {
  /** Field i is `text.slice(spans[2i], spans[2i + 1])`, for i < count; `hashes[i]` is its FNV-1a hash. */
  spans(text: string, spans: Int32Array, count: number, line: number, hashes: Int32Array): void;
  /** A record that needed unquoting or ended with a lone carriage return. */
  fields(fields: string[], line: number): void;
}

/** FNV-1a, 32 bits: the hash of a field's UTF-16 code units. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

export function fnv1a(text: string, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

export class CsvParser {
  private readonly sink: CsvSink;
  private pending = "";
  private line = 1;
  private started = false;
  private finished = false;
  private spans: Int32Array = new Int32Array(64);
  private hashes: Int32Array = new Int32Array(32);

  constructor(onRecord: ((fields: string[], line: number) => void) | CsvSink) {
    this.sink =
      typeof onRecord === "function"
        ? {
            spans(text, spans, count, line) {
              const fields: string[] = new Array(count);
              for (let i = 0; i < count; i++) fields[i] = text.slice(spans[2 * i], spans[2 * i + 1]);
              onRecord(fields, line);
            },
            fields: onRecord,
          }
        : onRecord;
  }

  push(chunk: string): void {
    if (this.finished) throw new Error("CsvParser: push after end");
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.pending.length > 0) {
      // Finish the record the last chunk left open with just the head of this one, rather than joining two
      // large strings (which would copy the whole chunk); a record that runs on (a quoted line break) joins all.
      const lineEnd = text.indexOf("\n");
      if (lineEnd >= 0) {
        const rest = this.parse(this.pending + text.slice(0, lineEnd + 1), false);
        if (rest === "") {
          this.pending = this.parse(text.slice(lineEnd + 1), false);
          return;
        }
        this.pending = this.parse(rest + text.slice(lineEnd + 1), false);
        return;
      }
      text = this.pending + text;
    }
    this.pending = this.parse(text, false);
  }

  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.parse(this.pending, true);
    this.pending = "";
  }

  /** Parses every complete record in `text`; returns the unfinished tail (empty when `final`). */
  private parse(text: string, final: boolean): string {
    const length = text.length;
    let pos = 0;
    let spans = this.spans;
    let hashes = this.hashes;
    while (pos < length) {
      const start = pos;
      const startLine = this.line;
      // Fast path, one pass over the characters: a record on one line without quotes, each field's span and
      // FNV-1a hash noted as it goes (the consumer looks categories up by hash without copying them).
      let count = 0;
      let from = start;
      let hash = FNV_OFFSET;
      let i = start;
      let end = -1;
      let next = -1;
      while (i < length) {
        const c = text.charCodeAt(i);
        if (c === 44) {
          if (2 * count + 2 > spans.length) {
            spans = this.grow();
            hashes = this.hashes;
          }
          spans[2 * count] = from;
          spans[2 * count + 1] = i;
          hashes[count] = hash;
          count++;
          from = i + 1;
          hash = FNV_OFFSET;
        } else if (c === 10) {
          end = i;
          next = i + 1;
          break;
        } else if (c === 13 && i + 1 < length && text.charCodeAt(i + 1) === 10) {
          end = i;
          next = i + 2;
          break;
        } else if (c === 34 || c === 13) {
          break;
        } else hash = Math.imul(hash ^ c, FNV_PRIME);
        i++;
      }
      if (end < 0 && i >= length) {
        // The text ends inside the record: wait for more, or end it here.
        if (!final) return text.slice(start);
        end = length;
        next = length;
      }
      if (end >= 0) {
        this.line++;
        pos = next;
        if (end === start) continue; // blank line
        if (2 * count + 2 > spans.length) {
          spans = this.grow();
          hashes = this.hashes;
        }
        spans[2 * count] = from;
        spans[2 * count + 1] = end;
        hashes[count] = hash;
        this.sink.spans(text, spans, count + 1, startLine, hashes);
        continue;
      }
      const record = this.slowRecord(text, pos, final);
      if (record === undefined) {
        this.line = startLine;
        return text.slice(start);
      }
      pos = record.next;
      if (record.fields.length === 1 && record.fields[0] === "" && !record.quoted) continue;
      this.sink.fields(record.fields, startLine);
    }
    return "";
  }

  private grow(): Int32Array {
    const spans = new Int32Array(this.spans.length * 2);
    spans.set(this.spans);
    const hashes = new Int32Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    this.spans = spans;
    this.hashes = hashes;
    return spans;
  }

  /** One record character by character (quotes, CR line ends); undefined when the text ends inside it. */
  private slowRecord(
    text: string,
    from: number,
    final: boolean,
  ): { fields: string[]; next: number; quoted: boolean } | undefined {
    const length = text.length;
    const fields: string[] = [];
    let pos = from;
    let quoted = false;
    for (;;) {
      if (pos >= length) {
        if (!final) return undefined;
        fields.push("");
        return { fields, next: pos, quoted };
      }
      let value: string;
      if (text.charCodeAt(pos) === 34) {
        quoted = true;
        const fieldLine = this.line;
        let parts = "";
        let p = pos + 1;
        for (;;) {
          const q = text.indexOf('"', p);
          if (q === -1) {
            if (!final) return undefined;
            throw csvError(fieldLine, fields.length + 1, "a quoted field is not closed");
          }
          this.line += countLineBreaks(text, p, q);
          if (q + 1 >= length && !final) return undefined;
          if (text.charCodeAt(q + 1) === 34) {
            parts += text.slice(p, q + 1);
            p = q + 2;
            continue;
          }
          parts += text.slice(p, q);
          pos = q + 1;
          break;
        }
        value = parts;
        if (pos < length) {
          const c = text.charCodeAt(pos);
          if (c !== 44 && c !== 10 && c !== 13)
            throw csvError(
              this.line,
              fields.length + 1,
              "a closing quote must be followed by a comma or a line end",
            );
        }
      } else {
        let p = pos;
        while (p < length) {
          const c = text.charCodeAt(p);
          if (c === 44 || c === 10 || c === 13) break;
          if (c === 34)
            throw csvError(
              this.line,
              fields.length + 1,
              'a field with a quote (") must be enclosed in quotes, with the quote doubled',
            );
          p++;
        }
        if (p >= length && !final) return undefined;
        value = text.slice(pos, p);
        pos = p;
      }
      fields.push(value);
      if (pos >= length) {
        if (!final) return undefined;
        return { fields, next: pos, quoted };
      }
      const c = text.charCodeAt(pos);
      if (c === 44) {
        pos++;
        continue;
      }
      if (c === 13) {
        if (pos + 1 >= length && !final) return undefined;
        pos += text.charCodeAt(pos + 1) === 10 ? 2 : 1;
      } else {
        pos++;
      }
      this.line++;
      return { fields, next: pos, quoted };
    }
  }
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) count++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) count++;
  }
  return count;
}

/** A problem in the data, naming the line and column (both counted from 1). */
export function csvError(line: number, column: number, message: string, columnName?: string): DomainError {
  const where = columnName === undefined ? `column ${column}` : `column ${column} (${columnName})`;
  return new DomainError("invalid", `line ${line}, ${where}: ${message}`, "--input");
}

/** Parses a whole CSV text (tests and small inputs); records with their line numbers. */
export function parseCsv(text: string): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  const parser = new CsvParser((fields, line) => records.push({ fields, line }));
  parser.push(text);
  parser.end();
  return records;
}

/** Quotes a field when it needs it (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
