import { stem } from "porter2";

// A search result's snippet, cut in the app rather than by PostgreSQL's ts_headline, which parses each reply's
// whole text again for every result: about 0.2 ms a reply, a sixth of a cold search's cost (bench/search,
// mix against mixNoSnippets). The words are matched as the search matched them: the query's lexemes, as
// PostgreSQL made them (websearch_to_tsquery, its `english` configuration), against each word of the text
// stemmed with the same algorithm (Snowball's English stemmer, "porter2", which the `english_stem` dictionary
// uses; snippet.test.ts checks a vocabulary against the server's). The output is ts_headline's, as the rest of
// publication reads it: text with &, < and > as entities, each match between \u0001 and \u0002, fragments
// joined by " ... ".

export const SNIPPET_START = "\u0001";
export const SNIPPET_STOP = "\u0002";

export interface SnippetOptions {
  /** At most this many words in a fragment (ts_headline's MaxWords). */
  maxWords: number;
  /** At most this many fragments (MaxFragments). */
  maxFragments: number;
  /** Words shown before a fragment's first match, for context. */
  before: number;
}

export const snippetOptions: SnippetOptions = { maxWords: 28, maxFragments: 2, before: 5 };

/**
 * The lexemes a tsquery's text (`websearch_to_tsquery(…)::text`, e.g. `'speed' & 'camera' & !'fine'`) looks
 * for: every quoted lexeme except those under a NOT, which a matching reply does not contain.
 */
export function queryTerms(tsquery: string): string[] {
  const terms = new Set<string>();
  // A "!" applies to the operand after it: one lexeme, or a whole group in brackets.
  const groups: boolean[] = [];
  let negate = false;
  for (const [token, quoted] of tsquery.matchAll(/'((?:[^']|'')*)'|[!()]/g)) {
    const negated = negate || groups.at(-1) === true;
    if (token === "!") {
      negate = true;
      continue;
    }
    if (token === "(") groups.push(negated);
    else if (token === ")") groups.pop();
    // tsquery's quoting: a quote doubled, a backslash escaped.
    else if (!negated && quoted !== undefined) terms.add(quoted.replace(/''|\\(.)/g, (_m, c) => c ?? "'"));
    negate = false;
  }
  return [...terms];
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const escapeText = (text: string) => text.replace(/[&<>]/g, (c) => entities[c]!);
const marks = new RegExp(`[${SNIPPET_START}${SNIPPET_STOP}]`, "g");

/** A text's words: where each starts and ends, and the lexeme it matched (null: none). */
interface Words {
  starts: number[];
  ends: number[];
  matched: (string | null)[];
}

// The stems of words met lately: a log's vocabulary is small, and stemming is most of a snippet's cost.
const stems = new Map<string, string>();
function stemmed(word: string): string {
  let found = stems.get(word);
  if (found === undefined) {
    found = stem(word);
    if (stems.size >= 50_000) stems.clear();
    stems.set(word, found);
  }
  return found;
}

const letterOrDigit = /^[\p{L}\p{N}]$/u;

/** Whether a code point past ASCII is a letter or a digit (`[\p{L}\p{N}]`). */
const isWordCode = (code: number): boolean => letterOrDigit.test(String.fromCodePoint(code));
/** ASCII's letters and digits: 1, the rest 0. */
const asciiWord = Uint8Array.from({ length: 128 }, (_, code) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) ? 1 : 0,
);

/**
 * The text's words (runs of letters and digits, `[\p{L}\p{N}]+`, as PostgreSQL's parser splits them), each with
 * the lexeme it matched. One pass over the characters, without a match object per word (a reply has hundreds of
 * words and a page twenty replies: the regular expression's matches were most of a snippet's cost). Only words
 * that begin as a lexeme does are lower-cased and stemmed: stemming changes at most a word's last two letters
 * before its suffix ("dying", "die"), so no other word can make one.
 */
export function wordsOf(text: string, terms: ReadonlySet<string>): Words {
  const beginnings = [...terms].map((term) => term.slice(0, Math.max(1, term.length - 2)));
  const firsts = new Set(beginnings.map((beginning) => beginning.codePointAt(0)));
  const words: Words = { starts: [], ends: [], matched: [] };
  let i = 0;
  const length = text.length;
  /** How many code units the word character at `at` takes (1, or 2 for a surrogate pair), or 0: not one. */
  const wordWidth = (at: number): number => {
    const unit = text.charCodeAt(at);
    if (unit < 128) return asciiWord[unit]!;
    if (unit >= 0xd800 && unit <= 0xdbff && at + 1 < length) {
      const low = text.charCodeAt(at + 1);
      if (low >= 0xdc00 && low <= 0xdfff)
        return isWordCode((unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000) ? 2 : 0;
    }
    return isWordCode(unit) ? 1 : 0;
  };
  while (i < length) {
    let width = wordWidth(i);
    if (width === 0) {
      i++;
      continue;
    }
    const start = i;
    while (width > 0) {
      i += width;
      width = i < length ? wordWidth(i) : 0;
    }
    let matched: string | null = null;
    // A quick look at the first letter (either case) before lower-casing the word.
    const first = text.codePointAt(start)!;
    const lowerFirst = first < 128 ? (first >= 65 && first <= 90 ? first + 32 : first) : -1;
    if (lowerFirst === -1 || firsts.has(lowerFirst)) {
      const word = text.slice(start, i).toLowerCase();
      if (beginnings.some((beginning) => word.startsWith(beginning))) {
        if (terms.has(word)) matched = word;
        else {
          const lexeme = stemmed(word);
          if (terms.has(lexeme)) matched = lexeme;
        }
      }
    }
    words.starts.push(start);
    words.ends.push(i);
    words.matched.push(matched);
  }
  return words;
}

/** The fragment from word `from` to word `to` (exclusive), escaped, its matches marked. */
function fragment(text: string, words: Words, from: number, to: number): string {
  // The marks are put in first and the whole escaped once: escaping leaves them alone.
  let out = "";
  let at = words.starts[from]!;
  for (let i = from; i < to; i++) {
    if (words.matched[i] === null) continue;
    const start = words.starts[i]!;
    const end = words.ends[i]!;
    out += `${text.slice(at, start)}${SNIPPET_START}${text.slice(start, end)}${SNIPPET_STOP}`;
    at = end;
  }
  return escapeText(out + text.slice(at, words.ends[to - 1]!));
}

/**
 * Up to `maxFragments` fragments of the text around its matches, the ones with the most different matched
 * words first, in the text's order; without a match, its opening words.
 */
export function snippet(
  text: string,
  terms: readonly string[],
  options: SnippetOptions = snippetOptions,
): string {
  const clean = text.replace(marks, "");
  const wanted = new Set(terms);
  const words = wordsOf(clean, wanted);
  const count = words.starts.length;
  if (count === 0) return "";
  const matches: number[] = [];
  for (let i = 0; i < count; i++) if (words.matched[i] !== null) matches.push(i);
  if (matches.length === 0) return fragment(clean, words, 0, Math.min(count, options.maxWords));
  const windows: { from: number; to: number; distinct: number; count: number }[] = [];
  // A window's matches are a run of `matches` (in order, as the windows are), [lo, hi): two cursors, not a
  // filter of every match for each (a reply can use a word a hundred times).
  let lo = 0;
  let hi = 0;
  for (const first of matches) {
    const from = Math.max(0, Math.min(first - options.before, count - options.maxWords));
    const to = Math.min(count, from + options.maxWords);
    while (matches[lo]! < from) lo++;
    while (hi < matches.length && matches[hi]! < to) hi++;
    const distinct: (string | null)[] = [];
    for (let m = lo; m < hi; m++) {
      const lexeme = words.matched[matches[m]!]!;
      if (!distinct.includes(lexeme)) distinct.push(lexeme);
    }
    windows.push({ from, to, distinct: distinct.length, count: hi - lo });
  }
  windows.sort((a, b) => b.distinct - a.distinct || b.count - a.count || a.from - b.from);
  const chosen: typeof windows = [];
  for (const window of windows) {
    if (chosen.length >= options.maxFragments) break;
    if (chosen.some((other) => window.from < other.to && other.from < window.to)) continue;
    chosen.push(window);
  }
  chosen.sort((a, b) => a.from - b.from);
  return chosen.map((window) => fragment(clean, words, window.from, window.to)).join(" ... ");
}
