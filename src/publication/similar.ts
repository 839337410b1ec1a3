import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import { outcomeName } from "./facets.ts";
import * as repo from "./repo.ts";
import { publicPath } from "./service.ts";

// Published replies like a request: to point the requester to information already published (FOIA s.21,
// and s.16 advice and assistance) and to answer like questions alike. The request's distinctive words become
// one OR query; ts_rank orders the replies by how many of those words they use, and how often (pg_trgm's
// similarity is not available in PGlite, so the same full-text index serves both backends).

/** Words in every request, which say nothing about what this one is about. */
const commonWords = new Set(
  `information request requests requested please provide provided number numbers details detail copy copies
  held hold holds would could like know years year many much last each since within including data record
  records between also thank thanks dear regards freedom act foi foia eir foisa eisr under following total
  breakdown broken down per month months period recent current currently relating related regarding about
  whether which what when where were have been does made make asked answer question questions kind yours
  sincerely faithfully the and for with from that this these those are was were has had not but you your our
  their them they there into over than then can may might will shall should all any some such other more most
  how who why its it's been being also only very`.split(/\s+/),
);

/** The request's words as an OR query (websearch syntax), most distinctive first; null when none is left. */
export function similarityQuery(text: string, maxWords = 16): string | null {
  const counts = new Map<string, number>();
  for (const match of text.toLowerCase().matchAll(/[a-z][a-z'-]{2,}/g)) {
    const word = match[0].replace(/['-]+$/, "").replace(/'s$/, "");
    if (word.length < 3 || commonWords.has(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  // Longer words tend to be the subject ("surveillance", "fixed-penalty"); ties go to the repeated ones.
  const words = [...counts]
    .sort(([a, countA], [b, countB]) => b.length - a.length || countB - countA || a.localeCompare(b))
    .slice(0, maxWords)
    .map(([word]) => word.replace(/-/g, " "));
  return words.length ? words.join(" or ") : null;
}

export interface SimilarReply {
  reference: string;
  url: string;
  title: string;
  replyDate: string;
  outcome: string;
  outcomeName: string;
  rank: number;
}

/** The published replies most like the request's text (its body, questions and topic), best first. */
export async function similarPublishedReplies(
  db: Kysely<Database>,
  requestId: number,
  limit = 5,
): Promise<SimilarReply[]> {
  const request = await repo.requestText(db, requestId);
  if (!request) throw new DomainError("not-found", "There is no such request");
  const questions = Array.isArray(request.questions) ? request.questions.join("\n") : "";
  const query = similarityQuery([request.topic ?? "", request.body, questions].join("\n"));
  if (!query) return [];
  const rows = await repo.similarTo(db, query, requestId, limit);
  return rows.map((row) => ({
    reference: row.reference,
    url: publicPath(row.reference),
    title: row.title,
    replyDate: row.reply_date,
    outcome: row.outcome,
    outcomeName: outcomeName(row.outcome),
    rank: row.rank,
  }));
}
