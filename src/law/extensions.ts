import { formatHumanDate, tryParseIsoDate } from "../calendar/index.ts";
import { regimeRule } from "./regimes.ts";

// When an extension may still be claimed. Each law lets the authority take longer only if it tells the
// requester within the original time limit; claimed later, the original deadline has already been missed and
// the request stays late (the extension cannot hide the breach of FOIA s.10(1) and s.17(1)).

/** The provision that says the requester must be told of the extension within the original time. */
const noticeRule: Record<string, { provision: string; told: string }> = {
  // FOIA s.10(3) with s.17(2): the refusal notice saying the public interest is still being considered, and
  // estimating when a decision will be reached, is given within the s.10(1) 20 working days.
  pit: {
    provision: "FOIA s.10(3) and s.17(2)",
    told: "the refusal notice saying the public interest test needs more time, with the date you expect to decide",
  },
  // EIR reg 7(3) (EISR reg 7(2)): the applicant is notified of the extension as soon as possible and no later
  // than 20 working days after receipt.
  "eir-complex": {
    provision: "EIR reg 7(3) (EISR reg 7(2))",
    told: "a notice that the request is complex and voluminous and will take up to 40 working days",
  },
  // UK GDPR Art.12(3): the data subject is told of any extension, with the reasons, within one month of receipt.
  sar: {
    provision: "UK GDPR Art.12(3)",
    told: "a notice of the extension with the reasons for it",
  },
};

export interface ExtensionClaim {
  regime: string;
  /** The due date before any extension: the end of the original time limit. */
  originalDueDate: string;
  /** The day the requester was told of the extension. */
  noticeDate: string;
  /** Today: an extension cannot be logged once the original due date has passed. */
  today: string;
}

/** Why this extension cannot be claimed, in a case officer's words naming the rule; null when it can. */
export function extensionRefusal(claim: ExtensionClaim): string | null {
  const type = regimeRule(claim.regime)?.extension?.type;
  if (!type) return null; // the workflow says which laws allow none
  const rule = noticeRule[type];
  if (!rule) return null;
  const due = formatHumanDate(tryParseIsoDate(claim.originalDueDate));
  if (claim.noticeDate > claim.originalDueDate || claim.today > claim.originalDueDate)
    return `an extension must be claimed, and the requester told with ${rule.told}, by the original due date, ${due} (${rule.provision}). That date has passed, so the request is late: send the reply as soon as you can`;
  return null;
}
