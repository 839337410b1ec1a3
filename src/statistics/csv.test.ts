import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDomainError } from "../errors.ts";
import { CsvParser, csvField, parseCsv } from "./csv.ts";

function parseInChunks(text: string, cuts: readonly number[]): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  const parser = new CsvParser((fields, line) => records.push({ fields, line }));
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.push(text.slice(at, cut));
    at = cut;
  }
  parser.push(text.slice(at));
  parser.end();
  return records;
}

function failure(text: string): string {
  try {
    parseCsv(text);
  } catch (error) {
    if (isDomainError(error)) return error.message;
    throw error;
  }
  throw new Error("no error");
}

describe("CsvParser (RFC 4180)", () => {
  it("reads plain fields with LF, CRLF and CR line ends, skipping blank lines and a byte-order mark", () => {
    expect(parseCsv("\ufeffa,b\n1,2\r\n3,4\r5,6\n\n")).toEqual([
      { fields: ["a", "b"], line: 1 },
      { fields: ["1", "2"], line: 2 },
      { fields: ["3", "4"], line: 3 },
      { fields: ["5", "6"], line: 4 },
    ]);
  });

  it("reads quoted fields with commas, doubled quotes and line breaks, and counts lines inside them", () => {
    const text = 'name,note\n"Smith, J","said ""no"""\n"two\nlines",x\nlast,"",\n';
    expect(parseCsv(text)).toEqual([
      { fields: ["name", "note"], line: 1 },
      { fields: ["Smith, J", 'said "no"'], line: 2 },
      { fields: ["two\nlines", "x"], line: 3 },
      { fields: ["last", "", ""], line: 5 },
    ]);
  });

  it("keeps empty fields and a last line without a line end", () => {
    expect(parseCsv(",a,\n1,,3")).toEqual([
      { fields: ["", "a", ""], line: 1 },
      { fields: ["1", "", "3"], line: 2 },
    ]);
  });

  it("names the line and column of malformed quoting", () => {
    expect(failure('a,b\n1,"open\n')).toBe("line 2, column 2: a quoted field is not closed");
    expect(failure('a,b\n1,"x"y\n')).toBe(
      "line 2, column 2: a closing quote must be followed by a comma or a line end",
    );
    expect(failure('a,b\nx,1"2\n')).toMatch(/^line 2, column 2: a field with a quote/);
  });

  it("gives the same records however the text is cut into chunks", () => {
    const field = fc.oneof(
      fc.stringMatching(/^[a-z0-9 ]{0,5}$/),
      fc.string({ maxLength: 6 }).map((text) => text.replace(/\r/g, "")),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom("\n", "\r\n"),
        (rows, cuts, newline) => {
          // Rows of one empty field are blank lines, which the parser skips.
          const records = rows.filter((row) => !(row.length === 1 && row[0] === ""));
          const text = records.map((row) => row.map(csvField).join(",")).join(newline) + newline;
          const whole = parseCsv(text).map((record) => record.fields);
          expect(whole).toEqual(records);
          const chunked = parseInChunks(
            text,
            cuts.map((cut) => cut % (text.length + 1)),
          );
          expect(chunked).toEqual(parseCsv(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});
