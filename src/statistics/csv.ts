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
  /** Field i is `text.slice(spans[2i], spans[2i + 1])`, for i < count. */
  spans(text: string, spans: Int32Array, count: number, line: number): void;
  /** A record that needed unquoting or ended with a lone carriage return. */
  fields(fields: string[], line: number): void;
}

export class CsvParser {
  private readonly sink: CsvSink;
  private pending = "";
  private line = 1;
  private started = false;
  private finished = false;
  private spans = new Int32Array(64);

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
    this.pending = this.parse(this.pending.length > 0 ? this.pending + text : text, false);
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
    let nextQuote = text.indexOf('"');
    let nextReturn = text.indexOf("\r");
    while (pos < length) {
      const start = pos;
      const startLine = this.line;
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
      if (nextReturn !== -1 && nextReturn < pos) nextReturn = text.indexOf("\r", pos);
      let lineEnd = text.indexOf("\n", pos);
      if (lineEnd === -1) {
        if (!final) return text.slice(start);
        lineEnd = length;
      }
      // Fast path: a record on one line with no quotes and no carriage return except just before the LF.
      const quoteFree = nextQuote === -1 || nextQuote > lineEnd;
      const returnFree = nextReturn === -1 || nextReturn >= lineEnd - 1;
      if (quoteFree && returnFree) {
        let end = lineEnd;
        if (end > pos && text.charCodeAt(end - 1) === 13) end--;
        pos = lineEnd + 1;
        this.line++;
        if (end === start) continue; // blank line
        let spans = this.spans;
        let count = 0;
        let from = start;
        for (;;) {
          if (2 * count + 2 > spans.length) {
            const larger = new Int32Array(spans.length * 2);
            larger.set(spans);
            this.spans = spans = larger;
          }
          const comma = text.indexOf(",", from);
          spans[2 * count] = from;
          if (comma === -1 || comma >= end) {
            spans[2 * count + 1] = end;
            count++;
            break;
          }
          spans[2 * count + 1] = comma;
          count++;
          from = comma + 1;
        }
        this.sink.spans(text, spans, count, startLine);
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
