import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import {
  insertPublishedReplies,
  type PublishedRow,
  queryShape,
  rankings,
  readEnough,
  type SearchQuery,
  searchLog,
  unreadRanges,
} from "./repo.ts";
import { type DisclosureLogParams, searchDisclosureLog } from "./search.ts";
import { queryTerms } from "./snippet.ts";

// Whichever way a search is ranked (from the words' kept ranks, best first, or by scoring every match:
// repo.ts), a person sees the same replies in the same order on every page, for one word, several, a phrase,
// "or", an exclusion and filters, however few postings the best-first way reads at first (so that it must
// read deeper, and fill the page with matches none of whose words are in what they are about).

const at = new Date("2026-05-01T09:00:00Z");
const topics = ["Drones", "Helicopters", "Stop and search", "Overtime", "Parking"];
const phrases = [
  "drones flown by the force",
  "police helicopter hours",
  "stop and search encounters by ward",
  "overtime paid to officers",
  "parking fines issued by the council",
  "body worn video cameras",
];

/** 48 replies mixing the phrases, some repeated, so ranks differ and some tie. */
const replies: PublishedRow[] = Array.from({ length: 48 }, (_, n) => {
  const year = 2020 + (n % 5);
  const words = [phrases[n % 6]!, phrases[(n * 5 + 1) % 6]!];
  const body = `${words[0]}. ${`${words[1]}. `.repeat(1 + (n % 3))}Reply number ${n}.`;
  return {
    requestId: null,
    reference: `FOI-${year}-${String(n + 1).padStart(5, "0")}`,
    regime: n % 4 === 0 ? "eir" : "foia",
    receivedDate: `${year}-02-01`,
    replyDate: `${year}-03-${String(1 + (n % 9)).padStart(2, "0")}`,
    year,
    topic: topics[n % 5]!,
    outcome: n % 3 === 0 ? "not-held" : "granted-in-full",
    exemptions: n % 7 === 0 ? ["foia-40"] : [],
    title: words[0]!.replace(/^./, (letter) => letter.toUpperCase()),
    // Every other reply asks with the second phrase too: a word's rank differs between replies.
    questionsText: n % 2 === 0 ? words[0]! : `${words[0]!}\n${words[1]!}`,
    reply: {},
    bodyText: body,
    attachmentText: "",
    publishedAt: at,
    publishedBy: "test",
  };
});

const searches: DisclosureLogParams[] = [
  { q: "drones" },
  { q: "overtime officers" },
  { q: "police helicopter" },
  { q: '"stop and search"' },
  { q: '"body worn video"' },
  { q: "drones or parking" },
  { q: "ward -overtime" },
  { q: "council", year: "2022" },
  { q: "video", outcome: "granted-in-full" },
  { q: "fines", regime: "foia", topic: "Parking" },
  { q: "number" },
  { q: "reply -drones" },
];

/** A search by relevance as search.ts makes it, best first, reading `firstPostings` of each word's at first. */
async function bestFirst(
  db: DatabaseHandle["db"],
  q: string,
  page: { year: number | undefined; limit: number; offset: number; firstPostings: number },
): Promise<SearchQuery> {
  const shape = await queryShape(db, q);
  return {
    text: q,
    terms: queryTerms(shape.tsquery),
    // As search.ts says of one word alone: its best need no ranking again.
    ...(shape.nodes === 1 ? { oneWord: true } : {}),
    filters: page.year === undefined ? {} : { year: page.year },
    sort: "relevance",
    limit: page.limit,
    offset: page.offset,
    snippets: false,
    ranking: "best-first",
    firstPostings: page.firstPostings,
  };
}

/** The backend's database holding `rows`, analysed, for the tests of the block that calls it. */
function holding(backend: ReturnType<typeof testBackends>[number], rows: readonly PublishedRow[]) {
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    handle = await backend.open();
    await insertPublishedReplies(handle.db, rows);
    await sql`analyze published_replies`.execute(handle.db);
  });
  afterAll(async () => handle?.close());
  return {
    get db() {
      if (!handle) throw new Error("the database is opened before the tests");
      return handle.db;
    },
  };
}

describe.each(testBackends())("the ranking paths agree on $name", (backend) => {
  const handle = holding(backend, replies);

  /** Every page of a search, five results a page, as the references a person would read in order. */
  async function allPages(params: DisclosureLogParams, ranking: (typeof rankings)[number]) {
    const seen: string[] = [];
    for (let page = 1; page <= 20; page++) {
      const result = await searchDisclosureLog(
        handle.db,
        { ...params, page: String(page) },
        { cache: false, pageSize: 5, ranking },
      );
      seen.push(...result.results.map((reply) => reply.reference));
      if (page >= result.pages) return { references: seen, total: result.total };
    }
    return { references: seen, total: -1 };
  }

  it("finds the same replies in the same order, page by page, whichever ranks them", async () => {
    for (const params of searches) {
      const [auto, ...others] = await Promise.all(rankings.map((ranking) => allPages(params, ranking)));
      expect(auto!.references.length, JSON.stringify(params)).toBeGreaterThan(0);
      expect(auto!.references.length).toBe(auto!.total);
      for (const other of others) expect(other, JSON.stringify(params)).toEqual(auto);
    }
  });

  it("reading a few postings first, and deeper when a reply not read could rank higher, changes nothing", async () => {
    const words = [
      "drones",
      "police",
      "helicopter",
      "overtime",
      "officers",
      "council",
      "video",
      "ward",
      "reply",
    ];
    const text = fc.oneof(
      fc.subarray(words, { minLength: 1, maxLength: 3 }).map((chosen) => chosen.join(" ")),
      fc.constantFrom(...searches.map((params) => params.q!)),
    );
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.option(fc.constantFrom(2020, 2021, 2022, 2023, 2024), { nil: undefined }),
        async (q, firstPostings, offset, limit, year) => {
          const query = await bestFirst(handle.db, q, { year, limit, offset, firstPostings });
          const best = await searchLog(handle.db, query, false);
          const every = await searchLog(handle.db, { ...query, ranking: "every-match" }, false);
          // And made from every match in the statement that counts them.
          const counted = await searchLog(handle.db, { ...query, ranking: "every-match" }, true);
          // And as the app goes when the statistics say it can match very many (several words: no deeper
          // than a bound, then every match).
          const many = await searchLog(
            handle.db,
            { ...query, ranking: "auto", matchesAtMost: 1_000_000 },
            false,
          );
          expect(many.rows.map((row) => row.reference)).toEqual(every.rows.map((row) => row.reference));
          // And read whole without counting them (a search the statistics say matches few).
          const read = await searchLog(handle.db, query, true, 0, 10_000);
          expect(best.rows.map((row) => row.reference)).toEqual(every.rows.map((row) => row.reference));
          expect(counted.rows.map((row) => row.reference)).toEqual(every.rows.map((row) => row.reference));
          expect(read.readAll).toBe(true);
          expect(read.rows.map((row) => row.reference)).toEqual(every.rows.map((row) => row.reference));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("keeps each word's rank for every live reply, through publishing again, withdrawing and deleting", async () => {
    type Db = typeof handle.db;
    const kept = async (db: Db = handle.db) =>
      (
        await sql<{ lexeme: string; score: number; reply_date: string; reply_id: number }>`
          select lexeme, score, reply_date::text, reply_id from published_search_terms
          order by reply_id, lexeme`.execute(db)
      ).rows;
    const expected = async (db: Db = handle.db) =>
      (
        await sql<{ lexeme: string; score: number; reply_date: string; reply_id: number }>`
          select t.lexeme, ts_rank(r.rank_vector, published_search_term(t.lexeme)) as score,
            r.reply_date::text, r.id as reply_id
          from published_replies r cross join lateral unnest(r.rank_vector) as t
          where r.withdrawn_at is null order by r.id, t.lexeme`.execute(db)
      ).rows;
    expect(await kept()).toEqual(await expected());
    await handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`update published_replies set title = 'Drones and helicopters', rank_vector =
        setweight(to_tsvector('english', 'Drones and helicopters'), 'A') where reference = 'FOI-2020-00001'`.execute(
          trx,
        );
        await sql`update published_replies set reply_date = reply_date + 1 where reference = 'FOI-2021-00002'`.execute(
          trx,
        );
        await sql`update published_replies set withdrawn_at = now(), rank_vector = ''::tsvector
        where reference = 'FOI-2022-00003'`.execute(trx);
        await sql`update published_replies set outcome = outcome where reference = 'FOI-2023-00004'`.execute(
          trx,
        );
        await sql`delete from published_replies where reference = 'FOI-2024-00005'`.execute(trx);
        // A word with a quote and a backslash in it is kept and found by its own rank.
        await sql`update published_replies set rank_vector = ${"'o''brien\\\\x':1A"}::tsvector
        where reference = 'FOI-2020-00006'`.execute(trx);
        expect(await kept(trx)).toEqual(await expected(trx));
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    expect(await kept()).toEqual(await expected());
    const withdrawn = await sql<{ n: number }>`
      select count(*)::int as n from published_search_terms s join published_replies r on r.id = s.reply_id
      where r.withdrawn_at is not null`.execute(handle.db);
    expect(withdrawn.rows[0]?.n).toBe(0);
    await handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`truncate published_replies cascade`.execute(trx);
        expect(await kept(trx)).toEqual([]);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    expect((await kept()).length).toBeGreaterThan(0);
  });
});

class Rollback extends Error {}

// Several words whose best ranks are shared by many replies, most with only one of the words: the first
// postings read cannot settle the page, and the replies not read that could still rank with it are found by
// their words' kept ranks at once (unreadRanges, bestOfUnread). More matches than a page ranks again (100).
const vocabulary = ["knife", "crime", "police", "helicopter", "drones", "video"];
const crowded: PublishedRow[] = Array.from({ length: 900 }, (_, n) => {
  const word = (k: number) => vocabulary[(n * (k + 1) + k * 3) % vocabulary.length]!;
  const [a, b, c] = [word(0), word(1), word(2)];
  // Titles of one, two or three words, repeated or not; questions of some of them; every reply's text has all.
  const title = [a, n % 3 === 0 ? a : b, n % 4 === 0 ? c : ""].join(" ").trim();
  const questions = n % 5 === 0 ? `${b} ${c}` : n % 5 === 1 ? a : "";
  const year = 2020 + (n % 5);
  return {
    ...replies[0]!,
    reference: `FOI-${year}-${String(n + 1).padStart(5, "0")}`,
    regime: n % 4 === 0 ? "eir" : "foia",
    replyDate: `${year}-0${1 + (n % 9)}-${String(1 + (n % 27)).padStart(2, "0")}`,
    year,
    topic: n % 7 === 0 ? "Knife crime" : null,
    title: title.replace(/^./, (letter) => letter.toUpperCase()),
    questionsText: questions,
    bodyText: `${title}. ${vocabulary.join(" ")} reported.`,
  };
});

describe.each(testBackends())("many replies at the same ranks, on $name", (backend) => {
  const handle = holding(backend, crowded);

  it("rank several words the same from their first postings and the rest not read as by every match", async () => {
    const text = fc.oneof(
      fc
        .uniqueArray(fc.constantFrom(...vocabulary), { minLength: 2, maxLength: 3 })
        .map((chosen) => chosen.join(" ")),
      fc.constantFrom('"knife crime"', '"police helicopter"', "drones or video", "knife crime -drones"),
    );
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.integer({ min: 60, max: 400 }),
        fc.integer({ min: 0, max: 120 }),
        fc.option(fc.constantFrom(2020, 2022, 2024), { nil: undefined, freq: 3 }),
        async (q, firstPostings, offset, year) => {
          const query = await bestFirst(handle.db, q, { year, limit: 10, offset, firstPostings });
          const best = await searchLog(handle.db, query, false);
          const every = await searchLog(handle.db, { ...query, ranking: "every-match" }, false);
          expect(best.rows.map((row) => [row.reference, row.rank])).toEqual(
            every.rows.map((row) => [row.reference, row.rank]),
          );
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe("whether a round read enough", () => {
  const last = (lexeme: string, score: number, reply_date: string, reply_id: number, read: number) => ({
    lexeme,
    score,
    reply_date,
    reply_id,
    read,
  });
  const terms = ["speed", "camera"];

  it("is exact when the page's last ranks above what a reply not read could", () => {
    const round = {
      found: 20,
      last: { rank: 0.5, reply_date: "2024-01-01", id: 7 },
      lasts: [last("speed", 0.6, "2025-01-01", 9, 200), last("camera", 0.3, "2025-01-01", 9, 200)],
    };
    expect(readEnough(round, terms, 200, 20)).toBe("exact");
    // (0.6 + 0.6) / 2 = 0.6 > 0.5: a reply not read could rank higher.
    expect(
      readEnough({ ...round, lasts: [round.lasts[0]!, { ...round.lasts[1]!, score: 0.6 }] }, terms, 200, 20),
    ).toBe("deeper");
  });

  it("on a tie, is exact only when the page's last is newer than the last read of every word still open", () => {
    const lasts = [last("speed", 0.6, "2024-06-01", 50, 200)];
    const tie = (reply_date: string, id: number) => ({
      found: 20,
      last: { rank: 0.6, reply_date, id },
      lasts,
    });
    expect(readEnough(tie("2024-07-01", 1), ["speed"], 200, 20)).toBe("exact");
    expect(readEnough(tie("2024-06-01", 50), ["speed"], 200, 20)).toBe("exact");
    expect(readEnough(tie("2024-06-01", 49), ["speed"], 200, 20)).toBe("deeper");
    expect(readEnough(tie("2024-05-01", 99), ["speed"], 200, 20)).toBe("deeper");
  });

  it("a word whose postings were all read bounds nothing; with none left open, fills a page not full", () => {
    const lasts = [last("speed", 0.6, "2024-06-01", 50, 37), last("camera", 0.6, "2024-06-01", 50, 12)];
    expect(
      readEnough({ found: 20, last: { rank: 0.01, reply_date: "2000-01-01", id: 1 }, lasts }, terms, 200, 20),
    ).toBe("exact");
    expect(
      readEnough({ found: 5, last: { rank: 0.01, reply_date: "2000-01-01", id: 1 }, lasts }, terms, 200, 20),
    ).toBe("fill");
    expect(
      readEnough(
        { found: 5, last: null, lasts: [last("speed", 0.6, "2024-06-01", 50, 200)] },
        terms,
        200,
        20,
      ),
    ).toBe("deeper");
  });
});

describe("where the replies not read that could rank with a page's last may be", () => {
  const last = (lexeme: string, score: number, read: number) => ({
    lexeme,
    score,
    reply_date: "2025-01-01",
    reply_id: 9,
    read,
  });
  const round = (rank: number, lasts: ReturnType<typeof last>[], found = 100) => ({
    found,
    last: { rank, reply_date: "2024-01-01", id: 7 },
    lasts,
  });

  /** Each open word's lexeme and where its range starts, for a round whose page's last ranks `rank`. */
  const starts = (rank: number, lasts: ReturnType<typeof last>[], terms: string[]) =>
    unreadRanges(round(rank, lasts), terms, 200, 100)?.map((range) => [range.last.lexeme, range.from]);

  it("is, for each word still open, its postings not read down to the page's last less the others' lasts", () => {
    // Two words ranking 0.5 together sum to 1.0: at least 1.0 - 0.7 of speed's, 1.0 - 0.6 of camera's.
    expect(starts(0.5, [last("speed", 0.6, 200), last("camera", 0.7, 200)], ["speed", "camera"])).toEqual([
      ["speed", expect.closeTo(0.3, 5)],
      ["camera", expect.closeTo(0.4, 5)],
    ]);
  });

  it("leaves out a word all of whose postings were read: no reply not read has it", () => {
    // Three words ranking 0.5 sum to 1.5; camera adds nothing to a reply not read.
    const lasts = [last("speed", 0.6, 200), last("camera", 0.7, 37), last("van", 0.8, 200)];
    expect(starts(0.5, lasts, ["speed", "camera", "van"])).toEqual([
      ["speed", expect.closeTo(0.7, 5)],
      ["van", expect.closeTo(0.9, 5)],
    ]);
  });

  it("is nowhere in particular when a reply without one of the words could rank with it, or the page was not found", () => {
    // "drones or helicopters": either word alone at its last reaches the page's last.
    const or = round(0.43, [last("drone", 0.86, 200), last("helicopt", 0.87, 200)]);
    expect(unreadRanges(or, ["drone", "helicopt"], 200, 100)).toBeNull();
    // Exactly at the page's last (within float4's precision) is still with it.
    const tie = round(0.3, [last("drone", 0.6, 200), last("helicopt", 0.6, 200)]);
    expect(unreadRanges(tie, ["drone", "helicopt"], 200, 100)).toBeNull();
    const fewer = round(0.5, [last("speed", 0.6, 200), last("camera", 0.7, 200)], 99);
    expect(unreadRanges(fewer, ["speed", "camera"], 200, 100)).toBeNull();
  });
});

describe.each(testBackends())("a reply about none of the words on $name", (backend) => {
  let handle: DatabaseHandle;
  const row = (reference: string, title: string, questions: string, body: string): PublishedRow => ({
    ...replies[0]!,
    reference,
    title,
    topic: null,
    questionsText: questions,
    bodyText: body,
  });
  beforeAll(async () => {
    handle = await backend.open();
    await insertPublishedReplies(handle.db, [
      // About parking (in its questions), and matches: its text says parking, not refuges.
      row("FOI-2026-00001", "Council budget", "parking permits", "Parking permits issued by the council."),
      // About refuges, which the search leaves out, yet matches: its text says ward, and not refuges.
      row("FOI-2026-00002", "Refuges for victims", "refuges", "Ward visits report."),
    ]);
  });
  afterAll(async () => handle?.close());

  it("comes after every reply about one of them, whichever way the search is ranked", async () => {
    for (const ranking of rankings) {
      const page = await searchDisclosureLog(
        handle.db,
        { q: "ward or parking -refuges" },
        { cache: false, ranking },
      );
      expect(
        page.results.map((result) => result.reference),
        ranking,
      ).toEqual(["FOI-2026-00001", "FOI-2026-00002"]);
    }
  });
});
