import { formatIsoDate, tryParseIsoDate } from "../calendar/index.ts";
import { regimeRule } from "./regimes.ts";

// The regulator stage after an internal review (DESIGN.md): a complaint to the Information Commissioner (FOIA
// s.50, EIR reg 18) or the Scottish Information Commissioner (FOISA s.47, EISR reg 17), the decision notice
// with any steps and the date to take them by, and the appeal against it.

export interface AppealRoute {
  /** Where the notice is appealed. */
  body: string;
  /** Calendar days from the date of the decision notice. */
  days: number;
  provision: string;
}

/**
 * FOIA s.57 (and EIR reg 18): appeal to the First-tier Tribunal (General Regulatory Chamber) within 28 days of
 * the date the notice was sent (Tribunal Procedure (First-tier Tribunal) (GRC) Rules 2009 r.22(1)(b)).
 * FOISA s.56 (and EISR reg 17): appeal on a point of law to the Court of Session within 42 days after the
 * date the notice is given.
 */
export function appealRoute(regime: string): AppealRoute {
  return regimeRule(regime)?.regulator === "sic"
    ? { body: "the Court of Session", days: 42, provision: "FOISA s.56" }
    : {
        body: "the First-tier Tribunal (General Regulatory Chamber)",
        days: 28,
        provision: "FOIA s.57; GRC Rules r.22(1)(b)",
      };
}

/** The last day to appeal a decision notice dated `noticeDate`. */
export function appealDeadline(regime: string, noticeDate: string): string {
  return formatIsoDate(tryParseIsoDate(noticeDate) + appealRoute(regime).days);
}
