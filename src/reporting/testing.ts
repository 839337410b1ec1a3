import type { ClockEvent } from "../law/index.ts";
import type { RequestState } from "../requests/index.ts";
import type { ReportCase } from "./cases.ts";

/** A request for the pure tests: its history as [action, date] pairs after "created" on the received date. */
export function reportCase(fields: {
  regime?: string;
  received: string;
  events?: [string, string][];
  clock?: ClockEvent[];
  state?: RequestState;
  outcome?: string | null;
  reviewReceivedDate?: string | null;
  reviewOutcome?: string | null;
  team?: string | null;
  officer?: string | null;
  reference?: string;
}): ReportCase {
  return {
    id: 1,
    reference: fields.reference ?? "FOI/2026/0001",
    regime: fields.regime ?? "foia",
    state: fields.state ?? "responded",
    receivedDate: fields.received,
    outcome: fields.outcome ?? null,
    clock: fields.clock ?? [],
    reviewReceivedDate: fields.reviewReceivedDate ?? null,
    reviewOutcome: fields.reviewOutcome ?? null,
    team: fields.team ?? null,
    officer: fields.officer ?? null,
    events: [
      { type: "created", date: fields.received },
      ...(fields.events ?? []).map(([type, date]) => ({ type, date })),
    ],
  };
}
