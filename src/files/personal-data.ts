// The personal data a text can be searched for, shared by masking for the disclosure log (publication) and
// true redaction of files: phrases as whole words, and the patterns UK GDPR Art. 4(1) makes identifying (email
// addresses, UK phone numbers, National Insurance numbers, postcodes). Pure: text in, spans out.

const letterOrDigit = "[\\p{L}\\p{N}]";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A phrase as a regular expression: any case, any run of spaces or line breaks between its words, straight
 * or curly apostrophes alike, and whole words only ("Lee" does not match "Leeds").
 */
export function phraseRegExp(phrase: string): RegExp | null {
  const words = phrase.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const body = words.map((word) => escapeRegExp(word).replace(/['’]/g, "['’]")).join("[\\s\\u00a0]+");
  const first = words[0]!;
  const last = words.at(-1)!;
  const start = /^[\p{L}\p{N}]/u.test(first) ? `(?<!${letterOrDigit})` : "";
  const end = /[\p{L}\p{N}]$/u.test(last) ? `(?!${letterOrDigit})` : "";
  return new RegExp(`${start}${body}${end}`, "giu");
}

export function* regExpMatches(pattern: RegExp, text: string): Iterable<[number, number]> {
  const regex = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
  for (const match of text.matchAll(regex)) {
    if (match[0].length === 0) continue;
    yield [match.index, match.index + match[0].length];
  }
}

export const emailPattern = /[\p{L}\p{N}._%+'’-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** National Insurance numbers, with or without spaces: two letters, six digits, A to D (any prefix). */
export const niNumberPattern =
  /(?<![\p{L}\p{N}])[A-Z]{2}[ \u00a0-]?\d{2}[ \u00a0-]?\d{2}[ \u00a0-]?\d{2}[ \u00a0-]?[A-D](?![\p{L}\p{N}])/giu;

/** UK postcodes (outward code, optional space, inward code), any case, including GIR 0AA. */
export const postcodePattern =
  /(?<![\p{L}\p{N}])(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[ \u00a0]?\d[A-Z]{2}(?![\p{L}\p{N}])/giu;

// A run of digits and the separators people write phone numbers with; each run is then read group by group.
const numberRun = /[+(]?\d[\d ().\u00a0-]*/g;

/** Whether the digits of consecutive groups make a UK phone number (national, +44 or 0044 form). */
function isUkPhone(groups: readonly string[], international: boolean): boolean {
  const digits = groups.join("");
  let subscriber: string | null = null;
  if (international) subscriber = digits.slice(2);
  else if (digits.startsWith("0044")) subscriber = digits.slice(4);
  if (subscriber !== null) {
    if (subscriber.startsWith("0")) subscriber = subscriber.slice(1); // +44 (0)20 …
    return (subscriber.length === 9 || subscriber.length === 10) && subscriber[0] !== "0";
  }
  if (groups.length > 4 || groups.some((group) => group.length < 2)) return false;
  return digits[0] === "0" && digits[1] !== "0" && (digits.length === 10 || digits.length === 11);
}

/** UK phone numbers: 01632 960001, 020 7946 0018, (01632) 960 001, 07700 900123, +44 (0)20 7946 0018. */
export function* findUkPhones(text: string): Iterable<[number, number]> {
  for (const run of text.matchAll(numberRun)) {
    const groups = [...run[0].matchAll(/\d+/g)].map((group) => ({
      digits: group[0],
      start: run.index + group.index,
      end: run.index + group.index + group[0].length,
    }));
    let i = 0;
    while (i < groups.length) {
      const startAt = groups[i]!.start;
      const before = text.slice(Math.max(0, startAt - 2), startAt);
      const international = /\+ ?$/.test(before) && groups[i]!.digits.startsWith("44");
      const boundary = startAt === 0 || !/[\p{L}\p{N}]/u.test(text[startAt - 1]!);
      let found = -1;
      if (boundary || international) {
        for (let j = Math.min(groups.length - 1, i + 6); j >= i; j--) {
          const slice = groups.slice(i, j + 1).map((group) => group.digits);
          if (isUkPhone(slice, international)) {
            found = j;
            break;
          }
        }
      }
      if (found < 0) {
        i++;
        continue;
      }
      let start = startAt;
      if (international) start = startAt - (text[startAt - 1] === "+" ? 1 : 2);
      else if (text[startAt - 1] === "(") start = startAt - 1;
      let end = groups[found]!.end;
      const after = text[end];
      if (after === ")" && text.slice(start, end).includes("(")) end++;
      yield [start, end];
      i = found + 1;
    }
  }
}

/** The patterns a PDF can be truly redacted by (besides phrases): `files redact --pattern` and the staff page. */
export const redactionPatterns = ["email", "uk-phone", "ni-number", "uk-postcode"] as const;
export type RedactionPattern = (typeof redactionPatterns)[number];

/** Finds every phrase (whole words, any case) and pattern in a page's text. */
export function redactionFinder(phrases: readonly string[], patterns: readonly RedactionPattern[]) {
  const expressions = phrases
    .map((phrase) => phraseRegExp(phrase))
    .filter((regex): regex is RegExp => regex !== null);
  const fixed: Record<Exclude<RedactionPattern, "uk-phone">, RegExp> = {
    email: emailPattern,
    "ni-number": niNumberPattern,
    "uk-postcode": postcodePattern,
  };
  return (text: string): [number, number][] => [
    ...expressions.flatMap((regex) => [...regExpMatches(regex, text)]),
    ...patterns.flatMap((pattern) =>
      pattern === "uk-phone" ? [...findUkPhones(text)] : [...regExpMatches(fixed[pattern], text)],
    ),
  ];
}
