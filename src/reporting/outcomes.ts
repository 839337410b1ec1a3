import { type Outcome, outcomeLabels, outcomes } from "../law/index.ts";
import type { RequestState } from "../requests/index.ts";
import { type ReportCase, stateOn } from "./cases.ts";
import { inPeriod, type ReportPeriod } from "./period.ts";
import { percent } from "./timeliness.ts";

// The outcomes of the requests received in a period as they stand at the time of monitoring, in the
// categories of the Cabinet Office's quarterly FOI statistics ("initial outcomes of requests received").

/** The Cabinet Office's outcome columns for answered requests. */
export type CabinetOfficeOutcome = "granted-in-full" | "partially-withheld" | "withheld-in-full" | "not-held";

/**
 * foidesk's outcomes (law/outcomes.ts) in the Cabinet Office's columns. "Resolvable" requests are those a
 * substantive answer could be given to: every answered request except where the information is not held.
 */
export const cabinetOfficeOutcomes: Record<Outcome, { column: CabinetOfficeOutcome; resolvable: boolean }> = {
  // FOIA s.1(1)(a) and (b): confirmed held and all of it disclosed.
  "granted-in-full": { column: "granted-in-full", resolvable: true },
  // Some disclosed, some withheld under an exemption or exception (s.17(1) notice for the rest).
  "partially-withheld": { column: "partially-withheld", resolvable: true },
  // All of it withheld under one or more exemptions or exceptions.
  "withheld-in-full": { column: "withheld-in-full", resolvable: true },
  // Neither confirmed nor denied (e.g. s.23(5), s.31(3), EIR reg 12(6)): nothing is disclosed, so it is
  // withheld in full in the Cabinet Office's columns; shown apart in foidesk's own table.
  ncnd: { column: "withheld-in-full", resolvable: true },
  // s.1(1)(a): not held. Not resolvable: there is nothing to grant or withhold.
  "not-held": { column: "not-held", resolvable: false },
  // s.12 (EIR reg 12(4)(b)): refused on cost, a procedural refusal counted as withheld in full.
  "refused-cost": { column: "withheld-in-full", resolvable: true },
  // s.14(1) vexatious: a procedural refusal counted as withheld in full.
  "refused-vexatious": { column: "withheld-in-full", resolvable: true },
  // s.14(2) repeated: a procedural refusal counted as withheld in full.
  "refused-repeated": { column: "withheld-in-full", resolvable: true },
};

/** foidesk's categories for a request received in the period: its outcome, or where it stands. */
export const outcomeCategories = [
  ...outcomes,
  "on-hold",
  "not-yet-processed",
  "withdrawn-or-lapsed",
] as const;
export type OutcomeCategory = (typeof outcomeCategories)[number];

export const outcomeCategoryLabels: Record<OutcomeCategory, string> = {
  ...outcomeLabels,
  // FOIA s.1(3) and s.9, UK GDPR Art.12(6): waiting for the requester, the clock stopped.
  "on-hold": "On hold (awaiting clarification, a fee or proof of identity)",
  "not-yet-processed": "Not yet processed",
  "withdrawn-or-lapsed": "Withdrawn or lapsed",
};

const onHold: readonly RequestState[] = ["awaiting-clarification", "awaiting-fee", "awaiting-identity"];

/** Where a request received in the period stands on `date`; null for one that was not a valid request. */
export function outcomeCategory(request: ReportCase, date: string): OutcomeCategory | null {
  const state = stateOn(request, date);
  if (state === null || state === "invalid") return null;
  if (state === "withdrawn" || state === "lapsed") return "withdrawn-or-lapsed";
  if (onHold.includes(state)) return "on-hold";
  const answered = request.events.some((event) => event.type === "record-outcome" && event.date <= date);
  if (!answered) return "not-yet-processed";
  return (outcomes as readonly string[]).includes(request.outcome ?? "")
    ? (request.outcome as Outcome)
    : "not-yet-processed";
}

export interface OutcomeRow {
  category: OutcomeCategory;
  label: string;
  /** Requests per regime, in the order of `regimes`. */
  byRegime: number[];
  total: number;
}

export interface OutcomeTable {
  regimes: string[];
  rows: OutcomeRow[];
  received: number[];
  /** Answered requests less those where the information is not held. */
  resolvable: number[];
  /** Resolvable requests granted in full, as a percentage of the resolvable. */
  percentGrantedInFull: (number | null)[];
}

/** Outcomes of the requests received in `period`, as they stand on `monitoredOn`. */
export function outcomeTable(
  cases: readonly ReportCase[],
  period: ReportPeriod,
  monitoredOn: string,
  regimes: readonly string[],
): OutcomeTable {
  const received = cases.filter((r) => inPeriod(r.receivedDate, period));
  const categorised = received.flatMap((request) => {
    const category = outcomeCategory(request, monitoredOn);
    return category ? [{ regime: request.regime, category }] : [];
  });
  const columns = [...regimes, "all"];
  const count = (column: string, test: (category: OutcomeCategory) => boolean) =>
    categorised.filter((c) => (column === "all" || c.regime === column) && test(c.category)).length;
  const resolvable = columns.map((column) =>
    count(
      column,
      (category) =>
        category in cabinetOfficeOutcomes && cabinetOfficeOutcomes[category as Outcome].resolvable,
    ),
  );
  return {
    regimes: [...regimes],
    rows: outcomeCategories.map((category) => {
      const counts = columns.map((column) => count(column, (c) => c === category));
      return {
        category,
        label: outcomeCategoryLabels[category],
        byRegime: counts.slice(0, -1),
        total: counts.at(-1) ?? 0,
      };
    }),
    received: columns.map((column) => count(column, () => true)),
    resolvable,
    percentGrantedInFull: columns.map((column, k) =>
      percent(
        count(column, (c) => c === "granted-in-full"),
        resolvable[k] ?? 0,
      ),
    ),
  };
}
