import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { insertPublishedReplies, type PublishedRow, searchIndex, searchLog } from "./repo.ts";
import {
  type DisclosureLogParams,
  expectedFromSample,
  MAX_RESULTS,
  roughly,
  searchDisclosureLog,
} from "./search.ts";

// Search on both backends, and on PostgreSQL with whichever index the server allows (RUM when the rum
// extension is installed, as .ci/run does; GIN otherwise): the same replies found, the same best match first,
// phrases and exclusions honoured, every result on exactly one page, and large counts said to be estimates.

const at = new Date("2026-05-01T09:00:00Z");

function reply(
  n: number,
  fields: { title: string; body: string; topic?: string; year?: number; outcome?: string },
): PublishedRow {
  const year = fields.year ?? 2025;
  return {
    requestId: null,
    reference: `FOI-${year}-${String(n).padStart(5, "0")}`,
    regime: "foia",
    receivedDate: `${year}-03-01`,
    replyDate: `${year}-03-${String(1 + (n % 27)).padStart(2, "0")}`,
    year,
    topic: fields.topic ?? null,
    outcome: fields.outcome ?? "granted-in-full",
    exemptions: [],
    title: fields.title,
    questionsText: fields.title,
    reply: {},
    bodyText: fields.body,
    attachmentText: "",
    publishedAt: at,
    publishedBy: "test",
  };
}

// Replies 1–5 are the ones the searches below are about; 130 more about overtime, alike in threes (ties in
// any ranking), more than RUM's nearest that are ranked again.
const replies: PublishedRow[] = [
  reply(1, {
    title: "Drones used by the force",
    body: "The force owns four drones. Drones were flown 312 times.",
    topic: "Drones",
  }),
  reply(2, {
    title: "Helicopter hours",
    body: "The helicopter flew 1,200 hours; drones are not counted here.",
    topic: "Helicopters",
  }),
  reply(3, {
    title: "Stop and search by ward",
    body: "Officers carried out 2,300 stop and search encounters in the year.",
    topic: "Stop and search",
  }),
  reply(4, {
    title: "Search warrants",
    body: "We do not stop to count warrants; a search under warrant is recorded by the court.",
    topic: "Warrants",
  }),
  reply(5, {
    title: "Parking fines",
    body: "The council, not the force, issues parking fines.",
    topic: "Parking",
  }),
  ...Array.from({ length: 130 }, (_, k) =>
    reply(100 + k, {
      title: k % 3 ? "Pay of officers" : "Overtime paid to officers",
      body: `${"Overtime paid to officers in the year, by month. ".repeat(1 + (k % 3))}`,
      topic: "Overtime",
      year: 2019 + (k % 7),
      outcome: k % 2 ? "not-held" : "granted-in-full",
    }),
  ),
];

// The repository's own query for "overtime" (130 of the replies), as search.ts makes it.
const overtime = {
  text: "overtime",
  terms: ["overtim"],
  filters: {},
  sort: "relevance" as const,
  limit: 20,
  offset: 0,
};

describe.each(testBackends())("searching the disclosure log on $name", (backend) => {
  let handle: DatabaseHandle;
  const search = (params: DisclosureLogParams, options = {}) =>
    searchDisclosureLog(handle.db, params, { cache: false, ...options });

  beforeAll(async () => {
    handle = await backend.open();
    await insertPublishedReplies(handle.db, replies);
    await sql`analyze published_replies`.execute(handle.db);
  });
  afterAll(async () => handle?.close());

  it("finds matches with RUM where the server has it, GIN otherwise, and reads a word's best first", async () => {
    const index = await searchIndex(handle.db);
    if (backend.name === "pglite") expect(index.kind).toBe("gin");
    const { rows } = await sql<{ available: boolean }>`
      select exists (select 1 from pg_available_extensions where name = 'rum') as available`.execute(
      handle.db,
    );
    expect(index.kind).toBe(rows[0]?.available ? "rum" : "gin");
    // A word's best replies are the first of its kept ranks, read in the index's order: no sort over its
    // matches (the planner is kept off reading the whole of a table this small instead).
    const text = await handle.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_bitmapscan = off`.execute(trx);
      const plan = await sql<{ "QUERY PLAN": string }>`
        explain select reply_id from published_search_terms where lexeme = 'overtim'
        order by score desc, reply_date desc, reply_id desc limit 10`.execute(trx);
      return plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
    expect(text).toMatch(/Index (Only )?Scan using published_search_terms_best/);
    expect(text).not.toContain("Sort");
  });

  it("puts the reply about the words first, and finds every reply that uses them", async () => {
    const page = await search({ q: "drones" });
    expect(page.results.map((result) => result.reference)).toEqual(["FOI-2025-00001", "FOI-2025-00002"]);
    expect(page.total).toBe(2);
    expect(page.estimated).toBe(false);
    expect(page.results[0]!.snippetHtml).toContain("<mark>");
  });

  it("a quoted phrase needs its words together and in order; a minus leaves a word out", async () => {
    const phrase = await search({ q: '"stop and search"' });
    expect(phrase.results.map((result) => result.reference)).toEqual(["FOI-2025-00003"]);
    const words = await search({ q: "stop search" });
    expect(words.results.map((result) => result.reference).sort()).toEqual([
      "FOI-2025-00003",
      "FOI-2025-00004",
    ]);
    const without = await search({ q: "drones -helicopter" });
    expect(without.results.map((result) => result.reference)).toEqual(["FOI-2025-00001"]);
  });

  it("filters the ranked results and counts the other filters' values", async () => {
    const page = await search({ q: "overtime", year: "2020", outcome: "not-held" });
    expect(page.total).toBe(page.results.length);
    expect(page.results.every((result) => result.replyDate.startsWith("2020-"))).toBe(true);
    expect(page.results.every((result) => result.outcome === "not-held")).toBe(true);
    const years = Object.fromEntries(page.facets.year.map((value) => [value.value, value.count]));
    expect(Object.values(years).reduce((sum, count) => sum + count, 0)).toBe(65);
  });

  it("counts each filter's values among the replies that pass every other filter, with two or three chosen", async () => {
    const facets = ["year", "outcome", "topic"] as const;
    const choices: Record<string, string>[] = [
      { year: "2020", outcome: "not-held" },
      { year: "2021", topic: "Overtime", outcome: "granted-in-full" },
      { outcome: "not-held", topic: "Drones" },
    ];
    for (const filters of choices)
      for (const q of [undefined, "officers"]) {
        const page = await search({ ...(q ? { q } : {}), ...filters });
        const matching = replies.filter(
          (row) => q === undefined || `${row.title} ${row.bodyText}`.toLowerCase().includes(q),
        );
        for (const facet of facets) {
          const others = matching.filter((row) =>
            Object.entries(filters).every(
              ([name, value]) => name === facet || String(row[name as typeof facet]) === value,
            ),
          );
          const expected: Record<string, number> = {};
          for (const row of others) expected[String(row[facet])] = (expected[String(row[facet])] ?? 0) + 1;
          const counted = Object.fromEntries(page.facets[facet].map((value) => [value.value, value.count]));
          expect(counted, `${facet} of ${JSON.stringify({ q, ...filters })}`).toEqual(expected);
        }
      }
  });

  it("shows every result of a search on exactly one page, even among equally good matches", async () => {
    const seen: string[] = [];
    for (let number = 1; number <= 7; number++) {
      const page = await search({ q: "overtime", page: String(number) });
      expect(page.total).toBe(130);
      seen.push(...page.results.map((result) => result.reference));
    }
    expect(seen).toHaveLength(130);
    expect(new Set(seen).size).toBe(130);
    // The replies asking about overtime in their title come first (ts_rank over what a reply is about).
    const titled = replies.filter((row) => row.title.startsWith("Overtime")).length;
    const first = seen
      .slice(0, titled)
      .map((reference) => replies.find((row) => row.reference === reference)!);
    expect(first.every((row) => row.title.startsWith("Overtime"))).toBe(true);
  });

  it("estimates the total and the counts of a search matching very many, and says so", async () => {
    const exact = await search({ q: "overtime" });
    const estimated = await search({ q: "overtime" }, { countExactlyUpTo: 10 });
    expect(estimated.estimated).toBe(true);
    // The planner's statistics see the word in 130 of 135 replies; an estimate may be off, not wildly.
    expect(estimated.total).toBeGreaterThan(65);
    expect(estimated.total).toBeLessThanOrEqual(135);
    expect(estimated.facets.year.length).toBeGreaterThan(0);
    // The results themselves are the same: only the counting differs.
    expect(estimated.results.map((result) => result.reference)).toEqual(
      exact.results.map((result) => result.reference),
    );
  });

  it("counts no more matches than its cap, and estimates from how far through the table the count got", async () => {
    const query = overtime;
    const capped = await searchLog(handle.db, query, true, 10);
    expect(capped.countedAll).toBe(false);
    // 130 replies use the word; 11 were read. The estimate is rough on a table of a few pages, never small.
    expect(capped.matches).toBeGreaterThan(10);
    expect(capped.matches).toBeLessThanOrEqual(135 * 4);
    const whole = await searchLog(handle.db, query, true, 1000);
    expect(whole.countedAll).toBe(true);
    expect(whole.matches).toBe(130);
    // The page is the same either way: ranked on its own, not from the capped matches.
    expect(capped.rows.map((row) => row.reference)).toEqual(whole.rows.map((row) => row.reference));
  });

  it("reads every match of a search that has few in one go: its page, and how many exactly, past the counting cap", async () => {
    const query = overtime;
    const whole = await searchLog(handle.db, query, true, 1000);
    const read = await searchLog(handle.db, query, true, 10, 200);
    expect(read).toMatchObject({ readAll: true, countedAll: false, matches: 130, counts: null });
    expect(read.rows.map((row) => row.reference)).toEqual(whole.rows.map((row) => row.reference));
    // More than it may read: the page is found the other way, the number estimated.
    const over = await searchLog(handle.db, query, true, 10, 50);
    expect(over).toMatchObject({ readAll: false, countedAll: false, counts: null });
    expect(over.rows.map((row) => row.reference)).toEqual(whole.rows.map((row) => row.reference));
    // Two words the statistics say match few are read whole: the total is their number, not a guess from how
    // far through the table a capped count got.
    const exact = await search({ q: "overtime officers" });
    const past = await search({ q: "overtime officers" }, { countExactlyUpTo: 10 });
    expect(exact).toMatchObject({ estimated: false, total: 130 });
    expect(past).toMatchObject({ estimated: true, total: 130 });
    expect(past.results.map((result) => result.reference)).toEqual(
      exact.results.map((result) => result.reference),
    );
  });

  it("says a search is estimated when its count reaches the cap, though the planner expected fewer", async () => {
    // Replies published since the statistics were last gathered: the planner expects next to none to match.
    const zeppelins = Array.from({ length: 30 }, (_, k) =>
      reply(900 + k, {
        title: "Zeppelin sightings",
        body: `Zeppelin sighting ${k} over the county.`,
        year: 2026,
      }),
    );
    await insertPublishedReplies(handle.db, zeppelins);
    try {
      const exact = await search({ q: "zeppelin" });
      expect(exact.estimated).toBe(false);
      expect(exact.total).toBe(30);
      const capped = await search({ q: "zeppelin" }, { countExactlyUpTo: 10 });
      expect(capped.estimated).toBe(true);
      expect(capped.total).toBeGreaterThan(10);
      expect(capped.results.map((result) => result.reference)).toEqual(
        exact.results.map((result) => result.reference),
      );
    } finally {
      await sql`delete from published_replies where reference like 'FOI-2026-%'`.execute(handle.db);
    }
  });

  it("pages stop at a thousand results", async () => {
    const page = await search({ page: "999" });
    expect(page.page).toBe(MAX_RESULTS / page.pageSize);
  });
});

describe.each(testBackends())("estimating several words on $name", (backend) => {
  let handle: DatabaseHandle;
  const search = (params: DisclosureLogParams) =>
    // Small caps, as this log is small: searches that can match fewer than READ_ALL_UP_TO are read whole
    // and their number is exact.
    searchDisclosureLog(handle.db, params, { cache: false, countExactlyUpTo: 100, readAllUpTo: 100 });

  // 4,000 replies: half about body worn video, half about parking fines, so that each of "body", "worn" and
  // "video" is in half of the log, and the phrase too. Taking them for unrelated, the planner expects the
  // phrase in an eighth (0.5 x 0.5 x 0.5), about 500 replies; it is in 2,000.
  beforeAll(async () => {
    handle = await backend.open();
    const many = Array.from({ length: 4000 }, (_, k) =>
      reply(2000 + k, {
        title: k % 2 ? "Parking fines issued" : "Body worn video cameras",
        body:
          k % 2
            ? `Parking fines in ward ${k}.`
            : `Officers wear body worn video cameras; ${k} recordings kept.`,
        year: 2018,
      }),
    );
    for (let i = 0; i < many.length; i += 500)
      await insertPublishedReplies(handle.db, many.slice(i, i + 500));
    await sql`analyze published_replies`.execute(handle.db);
  }, 60_000);
  afterAll(async () => handle?.close());

  it("estimates words that go together from the sampled replies, not as if they were unrelated", async () => {
    const phrase = await search({ q: '"body worn video"' });
    expect(phrase.estimated).toBe(true);
    expect(phrase.total).toBeGreaterThan(2000 * 0.7);
    expect(phrase.total).toBeLessThan(2000 * 1.3);
    const words = await search({ q: "worn cameras" });
    expect(words.estimated).toBe(true);
    expect(words.total).toBeGreaterThan(2000 * 0.7);
    expect(words.total).toBeLessThan(2000 * 1.3);
  });

  it("counts words that match few, exactly", async () => {
    // Never together: none.
    expect(await search({ q: "parking cameras" })).toMatchObject({ estimated: false, total: 0 });
    // Reply 2000's number is in its body, and only there.
    expect(await search({ q: "worn 2000" })).toMatchObject({ estimated: false, total: 1 });
  });
});

describe("expectedFromSample", () => {
  it("goes by the sample only when it has hits enough and says well over the counting cap", () => {
    // 63 hits of one in 32: about 2,000, twice a cap of 1,000: estimated.
    expect(expectedFromSample({ hits: 63, estimate: 2016 }, 1000)).toBe(2016);
    // Near the cap, or few hits: no more than the cap, so the search is counted.
    expect(expectedFromSample({ hits: 40, estimate: 1280 }, 1000)).toBe(1000);
    expect(expectedFromSample({ hits: 3, estimate: 96 }, 1000)).toBe(96);
    expect(expectedFromSample({ hits: 15, estimate: 480 }, 10)).toBe(10);
    expect(expectedFromSample({ hits: 0, estimate: 0 }, 1000)).toBe(0);
  });
});

describe("roughly", () => {
  it("says a large count to two significant figures", () => {
    expect(roughly(25_762)).toBe(26_000);
    expect(roughly(1_234_567)).toBe(1_200_000);
    expect(roughly(987)).toBe(990);
    expect(roughly(42)).toBe(42);
  });
});
