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
    else if (!negated && quoted !== undefined) terms.add(quoted.replaceAll("''", "'"));
    negate = false;
  }
  return [...terms];
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const escapeText = (text: string) => text.replace(/[&<>]/g, (c) => entities[c]!);
const marks = new RegExp(`[${SNIPPET_START}${SNIPPET_STOP}]`, "g");

interface Word {
  start: number;
  end: number;
  /** The lexeme it matched, or null. */
  matched: string | null;
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

/**
 * The text's words (runs of letters and digits, as PostgreSQL's parser splits them), each with the lexeme it
 * matched. Only words that begin as a lexeme does are stemmed: stemming changes at most a word's last two
 * letters before its suffix ("dying", "die"), so no other word can make one.
 */
function wordsOf(text: string, terms: ReadonlySet<string>): Word[] {
  const beginnings = [...terms].map((term) => term.slice(0, Math.max(1, term.length - 2)));
  const words: Word[] = [];
  for (const found of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = found[0].toLowerCase();
    let matched: string | null = null;
    if (beginnings.some((beginning) => word.startsWith(beginning))) {
      if (terms.has(word)) matched = word;
      else {
        const lexeme = stemmed(word);
        if (terms.has(lexeme)) matched = lexeme;
      }
    }
    words.push({ start: found.index, end: found.index + found[0].length, matched });
  }
  return words;
}

/** The fragment from word `from` to word `to` (exclusive), escaped, its matches marked. */
function fragment(text: string, words: readonly Word[], from: number, to: number): string {
  let out = "";
  let at = words[from]!.start;
  for (let i = from; i < to; i++) {
    const word = words[i]!;
    out += escapeText(text.slice(at, word.start));
    const shown = escapeText(text.slice(word.start, word.end));
    out += word.matched !== null ? `${SNIPPET_START}${shown}${SNIPPET_STOP}` : shown;
    at = word.end;
  }
  return out;
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
  if (words.length === 0) return "";
  const matches = words.flatMap((word, i) => (word.matched !== null ? [i] : []));
  if (matches.length === 0) return fragment(clean, words, 0, Math.min(words.length, options.maxWords));
  const windows: { from: number; to: number; distinct: number; count: number }[] = [];
  for (const first of matches) {
    const from = Math.max(0, Math.min(first - options.before, words.length - options.maxWords));
    const to = Math.min(words.length, from + options.maxWords);
    const inside = matches.filter((i) => i >= from && i < to);
    const distinct = new Set(inside.map((i) => words[i]!.matched));
    windows.push({ from, to, distinct: distinct.size, count: inside.length });
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
