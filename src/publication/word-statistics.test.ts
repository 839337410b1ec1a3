import fc from "fast-check";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { testBackends } from "../db/testing.ts";
import { insertPublishedReplies, type PublishedRow, wordStatistics } from "./repo.ts";
import { matchesAtMost, repliesWith, type WordStatistics } from "./word-statistics.ts";

// 10,000 replies; "polic" in all of them, "camera" in 800, "speed" in 300, "dog" in 40; "drone" too rare to
// be kept, so it is taken to be no commoner than the rarest kept (0.002, 20 replies).
const statistics: WordStatistics = {
  replies: 10_000,
  shares: new Map([
    ["polic", 1],
    ["camera", 0.08],
    ["speed", 0.03],
    ["dog", 0.004],
    ["a|b", 0.05],
  ]),
  floor: 0.002,
};

describe("how many replies a search can match at most, by the statistics", () => {
  it("is the rarest word's number when every word is needed: several words, a phrase, a word left out", () => {
    expect(repliesWith(statistics, "camera")).toBe(800);
    expect(repliesWith(statistics, "drone")).toBe(20);
    expect(matchesAtMost("'speed' & 'camera'", statistics)).toBe(300);
    expect(matchesAtMost("'polic' <-> 'dog'", statistics)).toBe(40);
    expect(matchesAtMost("'polic' <2> 'camera' & !'speed'", statistics)).toBe(800);
    expect(matchesAtMost("'polic' & 'drone'", statistics)).toBe(20);
  });

  it("adds the words up for 'or', and cannot say when a word must be missing from one side of it", () => {
    expect(matchesAtMost("'speed' | 'dog'", statistics)).toBe(340);
    expect(matchesAtMost("'speed' | 'polic'", statistics)).toBe(10_000);
    expect(matchesAtMost("'speed' | !'dog'", statistics)).toBeNull();
    expect(matchesAtMost("!'dog'", statistics)).toBeNull();
    // Cautious where websearch_to_tsquery never leads (it makes no brackets with "or" in them).
    expect(matchesAtMost("!( 'speed' | 'dog' ) & 'camera'", statistics)).toBeNull();
    expect(matchesAtMost("", statistics)).toBeNull();
  });

  it("reads operators only outside the quoted words", () => {
    expect(matchesAtMost("'a|b' & 'camera'", statistics)).toBe(500);
    expect(matchesAtMost("'it''s!' | 'dog'", statistics)).toBe(60);
  });

  it("is never fewer than a reply with all the words makes, however the words are spread", () => {
    // Replies as sets of words; the statistics are their exact shares. A query of words joined by "and" (some
    // left out) matches no more replies than the bound says.
    const words = ["a", "b", "c", "d", "e"];
    fc.assert(
      fc.property(
        fc.array(fc.subarray(words), { minLength: 1, maxLength: 40 }),
        fc.subarray(words, { minLength: 1 }),
        fc.subarray(words),
        (replies, needed, leftOut) => {
          const without = leftOut.filter((word) => !needed.includes(word));
          const shares = new Map(
            words.map((word) => [
              word,
              replies.filter((reply) => reply.includes(word)).length / replies.length,
            ]),
          );
          const exact = { replies: replies.length, shares, floor: 0 };
          const query = [...needed.map((w) => `'${w}'`), ...without.map((w) => `!'${w}'`)].join(" & ");
          const matches = replies.filter(
            (reply) => needed.every((w) => reply.includes(w)) && without.every((w) => !reply.includes(w)),
          ).length;
          expect(matchesAtMost(query, exact)).toBeGreaterThanOrEqual(matches);
          const anyOf = needed.map((w) => `'${w}'`).join(" | ");
          const anyMatches = replies.filter((reply) => needed.some((w) => reply.includes(w))).length;
          expect(matchesAtMost(anyOf, exact)).toBeGreaterThanOrEqual(anyMatches);
        },
      ),
    );
  });
});

describe.each(testBackends())("the words' statistics on $name", (backend) => {
  const row = (n: number, title: string): PublishedRow => ({
    requestId: null,
    reference: `FOI-2025-${String(n).padStart(5, "0")}`,
    regime: "foia",
    receivedDate: "2025-03-01",
    replyDate: "2025-03-20",
    year: 2025,
    topic: null,
    outcome: "granted-in-full",
    exemptions: [],
    title,
    questionsText: title,
    reply: {},
    bodyText: title,
    attachmentText: "",
    publishedAt: new Date("2025-03-21T09:00:00Z"),
    publishedBy: "test",
  });

  it("are none until the replies are analysed, then each common word's share of them", async () => {
    const rows = Array.from({ length: 200 }, (_, n) =>
      row(n, n % 4 ? "Parking fines by ward" : "Speed cameras by ward"),
    );
    const before = await backend.open();
    try {
      await insertPublishedReplies(before.db, rows);
      expect(await wordStatistics(before.db)).toBeNull();
    } finally {
      await before.close();
    }
    const handle = await backend.open();
    try {
      await insertPublishedReplies(handle.db, rows);
      await sql`analyze published_replies`.execute(handle.db);
      const read = await wordStatistics(handle.db);
      expect(read?.replies).toBe(200);
      expect(read?.shares.get("ward")).toBe(1);
      expect(read?.shares.get("speed")).toBeCloseTo(0.25, 5);
      expect(read?.shares.get("park")).toBeCloseTo(0.75, 5);
      expect(read && matchesAtMost("'speed' & 'ward'", read)).toBe(50);
      expect(read && repliesWith(read, "zeppelin")).toBeLessThanOrEqual(50);
    } finally {
      await handle.close();
    }
  });
});
