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
