import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { sql } from "kysely";
import { stem } from "porter2";
import { describe, expect, it } from "vitest";
import { testBackends } from "../db/testing.ts";
import {
  SNIPPET_STOP as E,
  queryTerms,
  SNIPPET_START as S,
  snippet,
  snippetOptions,
  wordsOf,
} from "./snippet.ts";

describe("the words a search looks for", () => {
  it("are the query's lexemes, without those it excludes", () => {
    expect(queryTerms("'speed' & 'camera'")).toEqual(["speed", "camera"]);
    expect(queryTerms("'domest' <-> 'abus' & !'refug'")).toEqual(["domest", "abus"]);
    expect(queryTerms("!( 'drone' | 'helicopt' ) & 'polic'")).toEqual(["polic"]);
    expect(queryTerms("( 'drone' | 'helicopt' ) & !'polic' & 'cost'")).toEqual(["drone", "helicopt", "cost"]);
    expect(queryTerms("'o''brien':*")).toEqual(["o'brien"]);
    expect(queryTerms("")).toEqual([]);
  });
});

describe("a search result's snippet", () => {
  it("marks every form of the words searched for, escaping the text around them", () => {
    expect(snippet("Speed cameras <b>& fines</b>: a camera's speed.", ["speed", "camera"])).toBe(
      `${S}Speed${E} ${S}cameras${E} &lt;b&gt;&amp; fines&lt;/b&gt;: a ${S}camera${E}'s ${S}speed${E}`,
    );
  });

  it("shows the opening words when the text has no match (the words were in the title or a file)", () => {
    const text = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    expect(snippet(text, ["drone"])).toBe(Array.from({ length: 28 }, (_, i) => `word${i}`).join(" "));
  });

  it("cuts two fragments around far-apart matches, the richer first chosen, in the text's order", () => {
    const filler = (from: number) => Array.from({ length: 60 }, (_, i) => `w${from + i}`).join(" ");
    const text = `${filler(0)} parking fines ${filler(100)} parking ${filler(200)} fines and parking permits ${filler(300)}`;
    const cut = snippet(text, ["park", "fine"]);
    const fragments = cut.split(" ... ");
    expect(fragments).toHaveLength(2);
    expect(fragments[0]).toContain(`${S}parking${E} ${S}fines${E}`);
    expect(fragments[1]).toContain(`${S}fines${E} and ${S}parking${E} permits`);
    for (const part of fragments) expect(part.split(" ").length).toBeLessThanOrEqual(28);
    expect(cut).not.toContain("w150"); // the lone match between them was not the best
  });

  it("chooses the fragment with the most different words, then the one with the most matches", () => {
    const filler = (from: number) => Array.from({ length: 40 }, (_, i) => `w${from + i}`).join(" ");
    const one = { ...snippetOptions, maxFragments: 1 };
    // Both words once beat one word three times.
    const apart = `${filler(0)} parking parking parking ${filler(100)} parking fines ${filler(200)}`;
    expect(snippet(apart, ["park", "fine"], one)).toContain(`${S}parking${E} ${S}fines${E}`);
    expect(snippet(apart, ["park", "fine"], one)).not.toContain("w99");
    // One word each: the fragment where it is twice, though it comes later.
    const twice = `${filler(0)} parking ${filler(100)} parking and parking ${filler(200)}`;
    expect(snippet(twice, ["park"], one)).toContain(`${S}parking${E} and ${S}parking${E}`);
    // A match just past a fragment's end is not counted in it: "fines" (word 40) has a fragment of words 35-62
    // to itself, and loses to the two of "parking" at words 63 and 65.
    const gap = Array.from({ length: 22 }, (_, i) => `g${i}`).join(" ");
    const edge = `${filler(0)} fines ${gap} parking and parking ${filler(300)}`;
    expect(snippet(edge, ["park", "fine"], one)).not.toContain("fines");
    expect(snippet(edge, ["park", "fine"], one)).toContain(`${S}parking${E} and ${S}parking${E}`);
  });

  it("never passes on the marks themselves from a reply's text", () => {
    expect(snippet(`a ${S}fake${E} mark about drones`, ["drone"])).toBe(`a fake mark about ${S}drones${E}`);
  });
});

// The stemmer must make the lexemes the database makes, or a snippet would miss words the search matched.
describe.each(testBackends())("the snippet's stemmer on $name", (backend) => {
  it("stems as the database's english_stem does, over the words of a real published reply", async () => {
    const folder = join(import.meta.dirname, "..", "..", "..", "shared", "examples");
    const files = (await readdir(folder).catch(() => [] as string[])).filter((name) =>
      /\.(md|txt|html)$/.test(name),
    );
    let text = "";
    for (const name of files) text += await readFile(join(folder, name), "utf8");
    // Without the shared example (a checkout on its own), the words of this module's comments.
    if (text.length < 1000) text = await readFile(join(import.meta.dirname, "snippet.ts"), "utf8");
    const words = [...new Set(text.toLowerCase().match(/[a-z]+/g))];
    expect(words.length).toBeGreaterThan(150);
    const handle = await backend.open();
    try {
      const { rows } = await sql<{ w: string; l: string[] | null }>`
        select w, ts_lexize('english_stem', w) as l from unnest(${words}::text[]) as w`.execute(handle.db);
      const differ = rows.filter(
        (row) => row.l?.length && snippet(row.w, [row.l[0]!]) !== `${S}${row.w}${E}`,
      );
      expect(differ).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});

describe("a snippet's words", () => {
  // The words are found in one pass over the characters (snippet.ts), for speed; they must be the words
  // `[\p{L}\p{N}]+` finds, each matched as stemming it would match it, whatever the text.
  const pieces = fc.oneof(
    fc.constantFrom(
      "Speed",
      "cameras",
      "camera's",
      "CAMERA",
      "dying",
      "die",
      "parking",
      "Fines",
      "café",
      "naïve",
    ),
    fc.constantFrom(
      " ",
      ", ",
      ". ",
      "\n",
      "-",
      "'",
      "&",
      "<b>",
      "İstanbul",
      "Straße",
      "ǅemal",
      "𝐀𝐁",
      "١٢٣",
      "日本語",
    ),
    fc.string({ unit: "grapheme", maxLength: 6 }),
    fc.string({ unit: "binary", maxLength: 4 }),
  );
  const texts = fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join(""));

  it("are the runs of letters and digits, each matched to the lexeme its stem is", () => {
    fc.assert(
      fc.property(
        texts,
        fc.subarray(["speed", "camera", "die", "park", "fine", "café", "istanbul"]),
        (text, terms) => {
          const found = wordsOf(text, new Set(terms));
          const expected = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
          expect(found.starts).toEqual(expected.map((word) => word.index));
          expect(found.ends).toEqual(expected.map((word) => word.index + word[0].length));
          expect(found.matched).toEqual(
            expected.map(([word]) => {
              const lower = word.toLowerCase();
              if (terms.includes(lower)) return lower;
              const lexeme = stem(lower);
              return terms.includes(lexeme) ? lexeme : null;
            }),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
