import { regimeRule, regimes, reviewOutcomeLabels } from "../../../law/index.ts";
import {
  type ActionType,
  type channels,
  type decisionNoticeResults,
  outcomeLabels,
  type RequestState,
  requesterTypeLabels,
  requestRegimes,
  stateLabels,
  type TimelineEntry,
} from "../../../requests/index.ts";
import { formatDate } from "../../views.ts";

// Words for the casework pages: the service speaks in codes ("pit", "refused-cost"), people read labels.

/** What each regime is called, short ("FOIA") and in full ("Freedom of Information Act 2000"): the law's names. */
export const regimeLabels: Record<string, string> = Object.fromEntries(
  regimes.map((regime) => [regime, regimeRule(regime)!.shortName]),
);
export const regimeLongLabels: Record<string, string> = Object.fromEntries(
  requestRegimes.map((regime) => [regime, regimeRule(regime)!.longName]),
);

export const channelLabels: Record<(typeof channels)[number], string> = {
  web: "Web form",
  email: "Email",
  post: "Post",
  phone: "Phone",
  "in-person": "In person",
  api: "API",
};

export const extensionLabels: Record<string, string> = {
  pit: "Public interest test (FOIA s.10(3))",
  "eir-complex": "Complex and voluminous (EIR and EISR reg 7(1))",
  sar: "Complex or numerous requests (UK GDPR Art.12(3))",
};

/** The extension each regime allows (the workflow's guard refuses any other), as the law's rule says. */
export const extensionForRegime: Record<string, string> = Object.fromEntries(
  requestRegimes.flatMap((regime) => {
    const type = regimeRule(regime)!.extension?.type;
    return type ? [[regime, type]] : [];
  }),
);

export { reviewOutcomeLabels };

export const decisionNoticeResultLabels: Record<(typeof decisionNoticeResults)[number], string> = {
  upheld: "Complaint upheld",
  "partly-upheld": "Complaint partly upheld",
  "not-upheld": "Complaint not upheld",
};

/** Colours of the state tag: closed grey, waiting on the requester yellow, with approvers purple. */
export const stateTagClasses: Record<RequestState, string> = {
  received: "govuk-tag--blue",
  acknowledged: "govuk-tag--light-blue",
  "awaiting-clarification": "govuk-tag--yellow",
  "awaiting-fee": "govuk-tag--yellow",
  "awaiting-identity": "govuk-tag--yellow",
  "in-progress": "govuk-tag--turquoise",
  extended: "govuk-tag--orange",
  "awaiting-approval": "govuk-tag--purple",
  approved: "govuk-tag--pink",
  responded: "govuk-tag--green",
  withdrawn: "govuk-tag--grey",
  lapsed: "govuk-tag--grey",
  invalid: "govuk-tag--red",
  "review-requested": "govuk-tag--orange",
  "review-decided": "govuk-tag--green",
  "regulator-complaint": "govuk-tag--red",
  "decision-notice": "govuk-tag--red",
  "tribunal-appeal": "govuk-tag--red",
  "tribunal-decided": "govuk-tag--grey",
  "regulator-closed": "govuk-tag--grey",
};

export function stateTag(state: RequestState): { text: string; classes: string } {
  return {
    text: stateLabels[state] ?? state,
    classes: stateTagClasses[state] ?? "govuk-tag--grey",
  };
}

export function pounds(pence: number): string {
  return `£${(pence / 100).toFixed(2)}`;
}

const label = (labels: Record<string, string>, code: unknown) =>
  typeof code === "string" ? (labels[code] ?? code) : String(code);

/** How each payload field of an event reads in the timeline; fields not listed here are not shown. */
const detailFormats: Record<string, { label: string; text: (value: unknown) => string }> = {
  receivedDate: { label: "Received", text: formatDate },
  regime: { label: "Regime", text: (value) => label(regimeLabels, value) },
  previousRegime: { label: "Previously handled under", text: (value) => label(regimeLabels, value) },
  channel: { label: "Arrived by", text: (value) => label(channelLabels, value) },
  problems: {
    label: "Why it is not valid",
    text: (value) => (Array.isArray(value) ? value.join("\n") : String(value)),
  },
  assigneeName: { label: "Assigned to", text: String },
  date: { label: "Date", text: formatDate },
  amountPence: { label: "Fee", text: (value) => pounds(Number(value)) },
  extension: { label: "Kind of extension", text: (value) => label(extensionLabels, value) },
  workingDays: { label: "Extra working days", text: String },
  outcome: { label: "Outcome", text: (value) => label(outcomeLabels, value) },
  reviewOutcome: { label: "Review decision", text: (value) => label(reviewOutcomeLabels, value) },
  result: { label: "Result", text: (value) => label(decisionNoticeResultLabels, value) },
  regulatorReference: { label: "Regulator's reference", text: String },
  // FOIA s.50(4), FOISA s.49(6): what the decision notice requires, and by when.
  steps: { label: "Steps required", text: String },
  complianceDate: { label: "Steps to be taken by", text: formatDate },
  tribunalReference: { label: "Tribunal's reference", text: String },
  filename: { label: "File", text: String },
  grounds: { label: "Grounds", text: String },
  reason: { label: "Reason", text: String },
  note: { label: "Note", text: String },
  replyOutcome: { label: "The reply's outcome", text: (value) => label(outcomeLabels, value) },
  openProblems: { label: "Problems to fix", text: (value) => (Number(value) ? String(value) : "None") },
  sentBy: { label: "Sent by", text: (value) => (value === "post" ? "Post" : "Email") },
  sentTo: { label: "To", text: String },
  letter: { label: "Letter", text: String },
  word: { label: "Word copy", text: String },
  error: { label: "Why", text: String },
  previousDueDate: { label: "Due date before", text: formatDate },
  dueDate: { label: "Due date now", text: formatDate },
  referenceNote: { label: "Reference", text: String },
  extensionNote: { label: "Extension", text: String },
  approvalNote: { label: "Approval", text: String },
  replyNote: { label: "Reply", text: String },
};

export interface TimelineItem {
  title: string;
  by: string;
  at: string;
  details: { label: string; text: string }[];
}

/** The history as the timeline component shows it: newest first, each event's details in words. */
export function timelineItems(timeline: readonly TimelineEntry[]): TimelineItem[] {
  return timeline
    .map((entry) => ({
      title: entry.label,
      by: entry.actor,
      at: entry.occurredAt.toISOString(),
      details: Object.entries(detailFormats)
        .filter(([field]) => entry.details[field] !== undefined && entry.details[field] !== "")
        .map(([field, format]) => ({ label: format.label, text: format.text(entry.details[field]) })),
    }))
    .reverse();
}

/** Actions taken with one button on the request page; the others open a form of their own. */
export const oneClickActions: readonly ActionType[] = ["acknowledge", "start-work", "approve"];

export { outcomeLabels, requesterTypeLabels, stateLabels };
