import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { insertPublishedReplies, type PublishedRow, rumRankings, searchIndex } from "./repo.ts";
import { type DisclosureLogParams, searchDisclosureLog } from "./search.ts";

// Whichever way a search is ranked (with ts_rank over every match, or inside a RUM index nearest first and the
// nearest ranked again: repo.ts), a person sees the same replies in the same order on every page, for one
// word, several, a phrase, "or", an exclusion and filters. On PGlite and a server without rum every way is
// GIN's; on a server with rum the ways differ and must still agree while a search has at most RERANKED
// matches (past that, RUM orders the rest by its own distance).

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
    questionsText: words[0]!,
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
];

describe.each(testBackends())("the ranking paths agree on $name", (backend) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await backend.open();
    await insertPublishedReplies(handle.db, replies);
    await sql`analyze published_replies`.execute(handle.db);
  });
  afterAll(async () => handle?.close());

  /** Every page of a search, five results a page, as the references a person would read in order. */
  async function allPages(params: DisclosureLogParams, rumRanking: (typeof rumRankings)[number]) {
    const seen: string[] = [];
    for (let page = 1; page <= 20; page++) {
      const result = await searchDisclosureLog(
        handle.db,
        { ...params, page: String(page) },
        { cache: false, pageSize: 5, rumRanking },
      );
      seen.push(...result.results.map((reply) => reply.reference));
      if (page >= result.pages) return { references: seen, total: result.total };
    }
    return { references: seen, total: -1 };
  }

  it("finds the same replies in the same order, page by page, whichever ranks them", async () => {
    for (const params of searches) {
      const byPath = await Promise.all(rumRankings.map((ranking) => allPages(params, ranking)));
      const [never, ...others] = byPath;
      expect(never!.references.length, JSON.stringify(params)).toBeGreaterThan(0);
      expect(never!.references.length).toBe(never!.total);
      for (const other of others) expect(other, JSON.stringify(params)).toEqual(never);
    }
  });

  it("ranks inside the index only where the server has RUM", async () => {
    const index = await searchIndex(handle.db);
    if (backend.name === "pglite") expect(index.kind).toBe("gin");
  });
});
