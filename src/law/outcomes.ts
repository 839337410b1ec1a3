// How a request was answered: the categories the request records, the reply derives and reports count
// (FOIA s.1 and s.2 answers; s.12 cost, s.14(1) vexatious and s.14(2) repeated refusals).
export const outcomes = [
  "granted-in-full",
  "partially-withheld",
  "withheld-in-full",
  "not-held",
  "ncnd",
  "refused-cost",
  "refused-vexatious",
  "refused-repeated",
] as const;
export type Outcome = (typeof outcomes)[number];

export const outcomeLabels: Record<Outcome, string> = {
  "granted-in-full": "Granted in full",
  "partially-withheld": "Partially withheld",
  "withheld-in-full": "Withheld in full",
  "not-held": "Information not held",
  ncnd: "Neither confirm nor deny",
  "refused-cost": "Refused: cost limit (s.12)",
  "refused-vexatious": "Refused: vexatious (s.14(1))",
  "refused-repeated": "Refused: repeated (s.14(2))",
};

// How an internal review ends (s.45 code of practice (2018) part 5; EIR reg 11(4); FOISA s.21(4); EISR
// reg 16(4)): the original decision upheld, or overturned in part or in whole.
export const reviewOutcomes = ["upheld", "partly-overturned", "overturned"] as const;
export type ReviewOutcome = (typeof reviewOutcomes)[number];

export const reviewOutcomeLabels: Record<ReviewOutcome, string> = {
  upheld: "Upheld",
  "partly-overturned": "Partly overturned",
  overturned: "Overturned",
};
