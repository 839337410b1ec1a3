import { tryParseIsoDate, workingCalendar } from "../calendar/index.ts";

// A requester asking again: the two rules that look back over their earlier requests.
// - FOIA s.14(2): a request identical or substantially similar to an earlier one from the same person need
//   not be complied with unless a reasonable interval has passed.
// - Appropriate Limit and Fees Regulations 2004 reg 5: requests from one person for the same or similar
//   information within 60 consecutive working days may be aggregated for the s.12 cost limit.

const stopWords = new Set(
  "a an and any are as at be by can could do does for from have how i in information is it many me my of on or please provide request requested the this that to under was were what which with you your".split(
    " ",
  ),
);

function terms(text: string): Set<string> {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  // A light stem: plural and -ing/-ed endings, enough to match "gangs" with "gang".
  return new Set(
    words
      .filter((word) => word.length > 2 && !stopWords.has(word))
      .map((word) => word.replace(/(ing|ed|es|s)$/, "")),
  );
}

/** Jaccard similarity of the two texts' content words, 0 to 1. */
export function textSimilarity(a: string, b: string): number {
  const left = terms(a);
  const right = terms(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const term of left) if (right.has(term)) shared++;
  return shared / (left.size + right.size - shared);
}

export interface EarlierRequest {
  id: number;
  reference: string;
  receivedDate: string;
  body: string;
}

export interface RepeatWarning {
  reference: string;
  kind: "repeated" | "aggregation";
  similarity: number;
  message: string;
}

const REPEAT_SIMILARITY = 0.6;
const SIMILAR_SIMILARITY = 0.2;
const AGGREGATION_WORKING_DAYS = 60;

export function repeatWarnings(current: EarlierRequest, others: readonly EarlierRequest[]): RepeatWarning[] {
  const calendar = workingCalendar("uk");
  const day = tryParseIsoDate(current.receivedDate);
  const warnings: RepeatWarning[] = [];
  for (const other of others) {
    if (other.id === current.id) continue;
    const otherDay = tryParseIsoDate(other.receivedDate);
    const apart = Math.abs(calendar.countWorkingDays(Math.min(day, otherDay), Math.max(day, otherDay)));
    const similarity = textSimilarity(current.body, other.body);
    const percent = Math.round(similarity * 100);
    if (similarity >= REPEAT_SIMILARITY && otherDay <= day) {
      warnings.push({
        reference: other.reference,
        kind: "repeated",
        similarity,
        message: `${percent}% similar to ${other.reference} (received ${other.receivedDate}): it may repeat it (FOIA s.14(2))`,
      });
    } else if (similarity >= SIMILAR_SIMILARITY && apart <= AGGREGATION_WORKING_DAYS) {
      warnings.push({
        reference: other.reference,
        kind: "aggregation",
        similarity,
        message: `${other.reference} asks for similar information within 60 working days (${apart} apart): the two may be aggregated for the cost limit (Fees Regulations 2004 reg 5)`,
      });
    }
  }
  return warnings.sort((a, b) => b.similarity - a.similarity);
}
