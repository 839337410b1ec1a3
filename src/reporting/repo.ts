import type { Kysely } from "kysely";
import { authorityProfile } from "../authority/index.ts";
import { formatIsoDate, londonDate, tryParseIsoDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import type { ClockEvent } from "../law/index.ts";
import { reportedRequestEvents, reportedRequests, sentReplies } from "../requests/index.ts";
import type { ReportCase } from "./cases.ts";
import type { SentReplyCitations } from "./exemptions.ts";
import type { ReportPeriod } from "./period.ts";

// The SQL of the reports: read-only. A report for a period needs the requests received by its end that were
// still open, or touched by any event, on or after its start; their workflow events (type and date only: no
// note, no reply text); and the exemption ids and refusal ground of the replies sent in it. Nothing about
// the requester is selected.

type Db = Kysely<Database>;

/** A day either side of the period, as instants: the London dates are then checked exactly in TypeScript. */
function instantBounds(period: ReportPeriod) {
  const day = (date: string, shift: number) => formatIsoDate(tryParseIsoDate(date) + shift);
  return {
    after: new Date(`${day(period.from, -1)}T00:00:00Z`),
    before: new Date(`${day(period.to, 2)}T00:00:00Z`),
  };
}

/** Which requests a report covers: all, or those of one team (`teamId`), for a team's own report. */
export interface ReportScope {
  teamId?: number;
  /**
   * The lists that name requests (the backlog's oldest, its download) leave out subject access requests, for
   * a reader who may not see them (requests/sar-access.ts); the counts still include them.
   */
  hideSubjectAccessCases?: boolean;
}

export async function reportCases(
  db: Db,
  period: ReportPeriod,
  scope: ReportScope = {},
): Promise<ReportCase[]> {
  const covered = { to: period.to, after: instantBounds(period).after, teamId: scope.teamId };
  const rows = await reportedRequests(db, covered);
  const events = await reportedRequestEvents(db, covered);
  const byRequest = new Map<number, ReportCase["events"]>();
  for (const event of events) {
    const list = byRequest.get(event.request_id) ?? [];
    // An action's own date (a reply's, a withdrawal's) when it has one, else the London day it was logged.
    list.push({ type: event.type, date: event.date ?? londonDate(new Date(event.occurred_at)) });
    byRequest.set(event.request_id, list);
  }
  return rows.map((row) => ({
    id: row.id,
    reference: row.reference,
    regime: row.regime,
    state: row.state,
    receivedDate: row.received_date,
    outcome: row.outcome,
    clock: row.clock as ClockEvent[],
    reviewReceivedDate: row.review_received_date,
    reviewOutcome: row.review_outcome,
    team: row.team,
    officer: row.officer,
    events: byRequest.get(row.id) ?? [],
  }));
}

/** The citations of every reply sent in the period: regime, London date sent, exemption ids, refusal ground. */
export async function sentReplyCitations(
  db: Db,
  period: ReportPeriod,
  scope: ReportScope = {},
): Promise<SentReplyCitations[]> {
  const { after, before } = instantBounds(period);
  const rows = await sentReplies(db, { after, before, teamId: scope.teamId });
  return rows.map((row) => ({
    regime: row.regime,
    sentDate: londonDate(new Date(row.sent_at as Date)),
    exemptionIds: Array.isArray(row.exemption_ids)
      ? row.exemption_ids.filter((id): id is string => typeof id === "string")
      : [],
    refusalGround: row.refusal_ground,
  }));
}

export async function authorityName(db: Db): Promise<string> {
  return (await authorityProfile(db)).name;
}
