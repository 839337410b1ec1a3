import { addMonthsClamped, formatIsoDate, tryParseIsoDate } from "../calendar/index.ts";
import type { RetentionRecordType } from "../db/index.ts";
import { isSubjectAccess } from "../law/index.ts";
import { regulatorStageOpenStates } from "../requests/index.ts";

// What the retention schedule says and when the law holds a record back (pure: the facts and today are given).
// UK GDPR Art. 5(1)(e): personal data kept no longer than necessary; the Lord Chancellor's code of practice on
// records management under FOIA s.46 (2021), part 1 §11: an authority keeps records to a retention schedule and
// can show what it destroyed.

export const recordTypes = [
  "foi-case",
  "internal-review",
  "regulator-case",
  "sar",
  "invalid-request",
  "unprocessed-email",
] as const satisfies readonly RetentionRecordType[];

export const recordTypeLabels: Record<RetentionRecordType, string> = {
  "foi-case": "FOI, EIR, FOISA or EISR request",
  "internal-review": "Request that had an internal review",
  "regulator-case": "Request taken to the regulator (complaint, decision notice, appeal)",
  sar: "Subject access request",
  "invalid-request": "Invalid request (not valid under FOIA s.8 / FOISA s.8)",
  "unprocessed-email": "Email received but not processed (not threaded onto a request)",
};

/**
 * The demo authority's schedule, in months after the record closed. Modelled on common UK local-authority
 * practice as set out in the IRMS "Retention Guidelines for Local Authorities" (request handling: last action
 * + 3 years; where the requester appealed to the Information Commissioner or the Tribunal: last action + 6
 * years, the Limitation Act 1980 s.5 period), and the ICO's guidance "Retention and destruction of requested
 * information" (FOIA/EIR, v1.1 2013), which expects an authority to keep the request file long enough for any
 * complaint. A manager sets the authority's own schedule; these are only its starting values.
 */
export const demoSchedule: Record<RetentionRecordType, number> = {
  "foi-case": 36,
  "internal-review": 36,
  "regulator-case": 72,
  sar: 36,
  "invalid-request": 12,
  "unprocessed-email": 6,
};

/** What decides a closed request's record type: its law, its state and whether it went to review or regulator. */
export interface RetentionFacts {
  regime: string;
  state: string;
  /** The history has an internal review request. */
  reviewed: boolean;
  /** The history has a complaint to the regulator or a decision notice. */
  regulator: boolean;
}

export function recordTypeOf(facts: RetentionFacts): RetentionRecordType {
  if (facts.regulator) return "regulator-case";
  if (facts.reviewed) return "internal-review";
  if (facts.state === "invalid") return "invalid-request";
  if (isSubjectAccess(facts.regime)) return "sar";
  return "foi-case";
}

/** The first day on which a record closed on `closedOn` may be anonymised: `months` months later. */
export function retentionEnds(closedOn: string, months: number): string {
  return formatIsoDate(addMonthsClamped(tryParseIsoDate(closedOn), months));
}

/**
 * States in which a challenge to the authority's answer is open: an internal review (FOIA s.45 code of
 * practice part 5; FOISA s.20), a complaint to the regulator (FOIA s.50; FOISA s.47), a decision notice whose
 * appeal window runs, or an appeal to the tribunal (FOIA s.57); the regulator stage's open states are the
 * workflow's own list.
 */
export const legalHoldStates: readonly string[] = ["review-requested", ...regulatorStageOpenStates];

/**
 * After a decision notice, anything is kept for six weeks: the 28 days to appeal to the First-tier Tribunal
 * (Tribunal Procedure (First-tier Tribunal) (General Regulatory Chamber) Rules 2009, r.22(1)(b)) and time to
 * hear of the appeal (the Local Government and Social Care Ombudsman's "Retention and disposal of casework
 * records policy", appendix 1, A.1).
 */
export const DECISION_NOTICE_HOLD_DAYS = 42;

export interface HoldFacts {
  state: string;
  /** The date of the latest decision notice, if any. */
  decisionNoticeDate: string | null;
  /** Reasons of the manager holds in force. */
  managerHolds: readonly string[];
}

/**
 * THE legal hold rule: why nothing of this request may be destroyed (anonymised, erased) today, or null when
 * nothing holds it. Every destruction path asks this one predicate.
 */
export function legalHold(facts: HoldFacts, today: string): string | null {
  if (facts.managerHolds.length > 0) return `a manager's hold: ${facts.managerHolds.join("; ")}`;
  if (facts.state === "decision-notice") {
    const noticeDay = facts.decisionNoticeDate ? tryParseIsoDate(facts.decisionNoticeDate) : Number.NaN;
    if (!Number.isFinite(noticeDay) || tryParseIsoDate(today) < noticeDay + DECISION_NOTICE_HOLD_DAYS)
      return "a decision notice whose appeal period has not ended";
    return null;
  }
  if (facts.state === "review-requested") return "an internal review is open";
  if (legalHoldStates.includes(facts.state)) return "a case with the regulator or tribunal is open";
  return null;
}
