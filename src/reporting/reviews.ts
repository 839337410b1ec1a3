import type { ClockSettings } from "../law/index.ts";
import { type ReviewOutcome, reviewOutcomes } from "../requests/index.ts";
import { deadlinesOn, lastDate, type ReportCase } from "./cases.ts";
import { inPeriod, type ReportPeriod } from "./period.ts";
import { ICO_EXPECTED_PERCENT, percent } from "./timeliness.ts";

// Internal reviews: asked for and decided in a period, how they came out, and whether they were decided in
// the time the s.45 code of practice (2018) asks: 20 working days (para 5.4), no more than 40 where the
// review is complex and was extended (para 5.5; EIR reg 11(4) makes 40 the statutory limit). The deadline is
// the requests module's, so a review under another rule (EISR reg 16(4)) is timed by its own.

export const reviewOutcomeLabels: Record<ReviewOutcome, string> = {
  upheld: "Original decision upheld",
  "partly-overturned": "Overturned in part",
  overturned: "Overturned in full",
};

export type ReviewTimeliness = "within-20" | "within-extension" | "late";

export interface ReviewTiming {
  timeliness: ReviewTimeliness;
  workingDaysTaken: number;
}

/** The timing of a review decided on `decided`. */
export function reviewTiming(request: ReportCase, decided: string, settings: ClockSettings): ReviewTiming {
  const { extended, limit: base } = deadlinesOn(
    request,
    "review-requested",
    decided,
    settings,
    (event) => event.kind === "extension" && event.type === "internal-review",
  );
  return {
    timeliness:
      decided <= base.dueDate ? "within-20" : decided <= extended.dueDate ? "within-extension" : "late",
    workingDaysTaken: extended.daysUsed,
  };
}

export interface ReviewSummary {
  /** Asked for in the period. */
  received: number;
  /** Decided in the period. */
  decided: number;
  outcomes: { outcome: ReviewOutcome; label: string; reviews: number }[];
  /** Decided in the period without an outcome on record (should be none). */
  outcomeNotRecorded: number;
  within20: number;
  withinExtension: number;
  late: number;
  percentInTime: number | null;
  meetsIcoExpectation: boolean | null;
  /** Asked for and still undecided at the end of the period. */
  open: number;
}

export function reviewSummary(
  cases: readonly ReportCase[],
  period: ReportPeriod,
  settings: ClockSettings,
  asOf: string,
): ReviewSummary {
  const received = cases.filter((request) => inPeriod(lastDate(request, "request-review"), period));
  const decided = cases.flatMap((request) => {
    const date = lastDate(request, "decide-review");
    return inPeriod(date, period) ? [{ request, timing: reviewTiming(request, date, settings) }] : [];
  });
  const count = (timeliness: ReviewTimeliness) =>
    decided.filter((d) => d.timing.timeliness === timeliness).length;
  const inTime = count("within-20") + count("within-extension");
  const percentInTime = percent(inTime, decided.length);
  const open = cases.filter((request) => {
    const asked = lastDate(request, "request-review");
    const decidedOn = lastDate(request, "decide-review");
    return asked !== null && asked <= asOf && (decidedOn === null || decidedOn < asked || decidedOn > asOf);
  });
  return {
    received: received.length,
    decided: decided.length,
    outcomes: reviewOutcomes.map((outcome) => ({
      outcome,
      label: reviewOutcomeLabels[outcome],
      reviews: decided.filter((d) => d.request.reviewOutcome === outcome).length,
    })),
    outcomeNotRecorded: decided.filter(
      (d) => !(reviewOutcomes as readonly string[]).includes(d.request.reviewOutcome ?? ""),
    ).length,
    within20: count("within-20"),
    withinExtension: count("within-extension"),
    late: count("late"),
    percentInTime,
    meetsIcoExpectation: percentInTime === null ? null : percentInTime >= ICO_EXPECTED_PERCENT,
    open: open.length,
  };
}
