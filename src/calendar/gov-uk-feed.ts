import { invalid } from "../errors.ts";
import { type BankHoliday, divisions, type ImportedHolidays, isDivision } from "./bank-holidays.ts";
import { tryParseIsoDate } from "./iso-date.ts";

/**
 * Reads the GOV.UK bank-holidays feed format (https://www.gov.uk/bank-holidays.json):
 *   {"england-and-wales":{"division":"england-and-wales","events":[{"title":…,"date":"YYYY-MM-DD",
 *     "notes":…,"bunting":…},…]},"scotland":{…},"northern-ireland":{…}}
 * so that an authority can add a holiday proclaimed after a release without an upgrade. Any subset of the
 * divisions may be given. Pure: the caller reads the file. Every error names the line it is about, which
 * JSON.parse cannot do, hence the small parser below that remembers where each value starts.
 */
export function parseGovUkFeed(text: string): ImportedHolidays {
  const root = new LineParser(text).parseDocument();
  if (root.kind !== "object") throw feedError(root.line, "the feed must be a JSON object keyed by division");
  const result: Partial<Record<(typeof divisions)[number], BankHoliday[]>> = {};
  for (const entry of root.entries) {
    if (!isDivision(entry.key)) {
      throw feedError(entry.line, `unknown division "${entry.key}" (use ${divisions.join(", ")})`);
    }
    const division = entry.value;
    if (division.kind !== "object") throw feedError(division.line, `"${entry.key}" must be an object`);
    const name = field(division, "division");
    if (name && (name.value.kind !== "string" || name.value.value !== entry.key)) {
      throw feedError(name.value.line, `"division" must be "${entry.key}"`);
    }
    const events = field(division, "events");
    if (!events) throw feedError(division.line, `"${entry.key}" has no "events" list`);
    if (events.value.kind !== "array") throw feedError(events.value.line, `"events" must be a list`);
    result[entry.key] = events.value.items.map(readEvent);
  }
  return result;
}

function readEvent(event: JsonValue): BankHoliday {
  if (event.kind !== "object") throw feedError(event.line, "each event must be an object");
  const date = field(event, "date");
  if (!date) throw feedError(event.line, 'event has no "date"');
  if (date.value.kind !== "string" || Number.isNaN(tryParseIsoDate(date.value.value))) {
    const shown = date.value.kind === "string" ? `"${date.value.value}"` : "that value";
    throw feedError(date.value.line, `event date ${shown} is not a real date in the form YYYY-MM-DD`);
  }
  const title = field(event, "title");
  if (title?.value.kind !== "string" || title.value.value.trim() === "") {
    throw feedError(title?.value.line ?? event.line, `event on ${date.value.value} has no "title"`);
  }
  const notes = field(event, "notes");
  if (notes && notes.value.kind !== "string") throw feedError(notes.value.line, '"notes" must be text');
  const bunting = field(event, "bunting");
  if (bunting && bunting.value.kind !== "boolean")
    throw feedError(bunting.value.line, '"bunting" must be true or false');
  return {
    date: date.value.value,
    title: title.value.value,
    notes: notes?.value.kind === "string" ? notes.value.value : "",
  };
}

function feedError(line: number, message: string) {
  return invalid("feed", `line ${line}: ${message}`);
}

type JsonValue =
  | { kind: "object"; line: number; entries: { key: string; line: number; value: JsonValue }[] }
  | { kind: "array"; line: number; items: JsonValue[] }
  | { kind: "string"; line: number; value: string }
  | { kind: "number"; line: number; value: number }
  | { kind: "boolean"; line: number; value: boolean }
  | { kind: "null"; line: number };

function field(object: Extract<JsonValue, { kind: "object" }>, key: string) {
  let found: { key: string; line: number; value: JsonValue } | undefined;
  for (const entry of object.entries) if (entry.key === key) found = entry; // the last wins, as in JSON.parse
  return found;
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Strict JSON (RFC 8259) with the line each value starts on. */
class LineParser {
  readonly #text: string;
  #at = 0;
  #line = 1;

  constructor(text: string) {
    this.#text = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  parseDocument(): JsonValue {
    const value = this.#value();
    this.#space();
    if (this.#at < this.#text.length) this.#fail("unexpected text after the end of the feed");
    return value;
  }

  #fail(message: string): never {
    throw feedError(this.#line, message);
  }

  #space(): void {
    for (;;) {
      const char = this.#text[this.#at];
      if (char === "\n") this.#line++;
      else if (char !== " " && char !== "\t" && char !== "\r") return;
      this.#at++;
    }
  }

  #expect(char: string): void {
    this.#space();
    if (this.#text[this.#at] !== char) this.#fail(`expected "${char}" but found ${this.#describe()}`);
    this.#at++;
  }

  #describe(): string {
    const char = this.#text[this.#at];
    return char === undefined ? "the end of the file" : `"${char}"`;
  }

  #value(): JsonValue {
    this.#space();
    const line = this.#line;
    const char = this.#text[this.#at];
    if (char === "{") return this.#object(line);
    if (char === "[") return this.#array(line);
    if (char === '"') return { kind: "string", line, value: this.#string() };
    for (const [word, value] of [
      ["true", true],
      ["false", false],
    ] as const) {
      if (this.#text.startsWith(word, this.#at)) {
        this.#at += word.length;
        return { kind: "boolean", line, value };
      }
    }
    if (this.#text.startsWith("null", this.#at)) {
      this.#at += 4;
      return { kind: "null", line };
    }
    numberPattern.lastIndex = this.#at;
    const match = numberPattern.exec(this.#text);
    if (match) {
      this.#at += match[0].length;
      return { kind: "number", line, value: Number(match[0]) };
    }
    return this.#fail(`expected a value but found ${this.#describe()}`);
  }

  #object(line: number): JsonValue {
    this.#at++;
    const entries: { key: string; line: number; value: JsonValue }[] = [];
    this.#space();
    if (this.#text[this.#at] === "}") {
      this.#at++;
      return { kind: "object", line, entries };
    }
    for (;;) {
      this.#space();
      const keyLine = this.#line;
      if (this.#text[this.#at] !== '"') this.#fail(`expected a quoted name but found ${this.#describe()}`);
      const key = this.#string();
      this.#expect(":");
      entries.push({ key, line: keyLine, value: this.#value() });
      this.#space();
      const next = this.#text[this.#at];
      this.#at++;
      if (next === "}") return { kind: "object", line, entries };
      if (next !== ",") {
        this.#at--;
        this.#fail(`expected "," or "}" but found ${this.#describe()}`);
      }
    }
  }

  #array(line: number): JsonValue {
    this.#at++;
    const items: JsonValue[] = [];
    this.#space();
    if (this.#text[this.#at] === "]") {
      this.#at++;
      return { kind: "array", line, items };
    }
    for (;;) {
      items.push(this.#value());
      this.#space();
      const next = this.#text[this.#at];
      this.#at++;
      if (next === "]") return { kind: "array", line, items };
      if (next !== ",") {
        this.#at--;
        this.#fail(`expected "," or "]" but found ${this.#describe()}`);
      }
    }
  }

  #string(): string {
    const start = this.#at;
    this.#at++;
    for (;;) {
      const char = this.#text[this.#at];
      if (char === undefined || char === "\n") this.#fail("a string is not closed");
      if (char === '"') break;
      if (char < " ") this.#fail("a control character inside a string");
      this.#at += char === "\\" ? 2 : 1;
    }
    this.#at++;
    try {
      return JSON.parse(this.#text.slice(start, this.#at)) as string;
    } catch {
      return this.#fail("a string has an invalid escape");
    }
  }
}
