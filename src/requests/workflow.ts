import { addMonthsClamped, formatIsoDate, formatLongDate, tryParseIsoDate } from "../calendar/index.ts";
import type { RequestStateName, Role } from "../db/index.ts";
import type { FieldProblem } from "../errors.ts";
import {
  extensionRefusal,
  isSubjectAccess,
  lateFeeRefusal,
  type Outcome,
  outcomeLabels,
  outcomes,
  type ReviewOutcome,
  regimeFor,
  regimeRule,
  reviewOutcomes,
} from "../law/index.ts";
import { can, rolesWith } from "../users/index.ts";

// The request lifecycle as data (STYLE.md, after the MoJ correspondence tool): for each action, the states it
// may be taken from, the state it leads to, who may take it and the guard that must hold. The request page's
// "actions allowed here" and the API's 409 messages are both derived from this one table.

export const requestStates = [
  "received",
  "acknowledged",
  "awaiting-clarification",
  "awaiting-fee",
  "awaiting-identity",
  "in-progress",
  "extended",
  "awaiting-approval",
  "approved",
  "responded",
  "withdrawn",
  "lapsed",
  "invalid",
  "review-requested",
  "review-decided",
  "regulator-complaint",
  "decision-notice",
  "tribunal-appeal",
  "tribunal-decided",
  "regulator-closed",
] as const satisfies readonly RequestStateName[];
export type RequestState = (typeof requestStates)[number];
// The request row's state column (db/schema.ts) holds exactly these: a state missing here fails to compile.
type SameStates = [RequestStateName] extends [RequestState] ? true : false;
export const stateColumnMatches: SameStates = true;

/** States in which nothing is owed to the requester; the work queue leaves them out. */
export const closedStates = [
  "responded",
  "withdrawn",
  "lapsed",
  "invalid",
  "review-decided",
  "tribunal-decided",
  "regulator-closed",
] as const satisfies readonly RequestState[];

export function isOpen(state: RequestState): boolean {
  return !(closedStates as readonly RequestState[]).includes(state);
}

/**
 * The regulator stage (FOIA s.50, FOISA s.47): a complaint with the regulator, a decision notice whose steps
 * or appeal window are still running, or an appeal before the tribunal (or, for FOISA, the Court of Session).
 * Retention and legal holds ask this: nothing at this stage may be anonymised.
 */
export const regulatorStageOpenStates = [
  "regulator-complaint",
  "decision-notice",
  "tribunal-appeal",
] as const satisfies readonly RequestState[];

/** The regulator stage is open for a request in `state` (a complaint, a decision notice or an appeal). */
export function isRegulatorStageOpen(state: string): boolean {
  return (regulatorStageOpenStates as readonly string[]).includes(state);
}

export const stateLabels: Record<RequestState, string> = {
  received: "Received",
  acknowledged: "Acknowledged",
  "awaiting-clarification": "Awaiting clarification",
  "awaiting-fee": "Awaiting fee",
  "awaiting-identity": "Awaiting proof of identity",
  "in-progress": "In progress",
  extended: "Extended",
  "awaiting-approval": "Awaiting approval",
  approved: "Approved",
  responded: "Responded",
  withdrawn: "Withdrawn",
  lapsed: "Lapsed",
  invalid: "Invalid",
  "review-requested": "Internal review requested",
  "review-decided": "Internal review decided",
  "regulator-complaint": "Complaint to the regulator",
  "decision-notice": "Decision notice received",
  "tribunal-appeal": "Appeal against the decision notice",
  "tribunal-decided": "Appeal decided",
  "regulator-closed": "Regulator stage closed",
};

export { type Outcome, outcomeLabels, outcomes };

/**
 * Four-eyes: a reply that withholds or refuses anything, and any reply to a subject access request, is signed
 * off by an approver who did not write it (foidesk's clearance rule, after the MoJ tool's).
 */
export function outcomeNeedsApproval(outcome: Outcome, regime: string): boolean {
  return isSubjectAccess(regime) || !(outcome === "granted-in-full" || outcome === "not-held");
}

/** The laws a request can be handled under. */
export const requestRegimes = ["foia", "eir", "foisa", "eisr", "sar"] as const;
export type RequestRegime = (typeof requestRegimes)[number];

/**
 * The laws a request to this authority can be handled under. A Scottish public authority answers under FOISA
 * and, for environmental information, the EISR (FOISA s.39(2), s.62); any other under FOIA and the EIR (FOIA
 * s.3(1) and s.80 leave Scottish public authorities out; EIR reg 2(2) takes FOIA's public authorities).
 * Subject access (UK GDPR Art.15) applies across the UK.
 */
export function regimesForAuthority(scottish: boolean): readonly RequestRegime[] {
  return (["foi", "eir", "sar"] as const).map((kind) => regimeFor(kind, scottish) as RequestRegime);
}

/** How a message names a regime: "the FOIA", "the EISR", "subject access (UK GDPR Art.15)". */
function regimeName(regime: string): string {
  return isSubjectAccess(regime) ? "subject access (UK GDPR Art.15)" : `the ${regime.toUpperCase()}`;
}

/**
 * The state after the law a request is handled under changes (the "change-regime" row of the table keeps the
 * state, with two exceptions). A reply with the approver, or approved, goes back to be worked: it was checked
 * and signed off under the old law's catalogue (four-eyes). An extended request whose extension the new law
 * does not allow is no longer extended.
 */
export function stateAfterRegimeChange(state: RequestState, extensionDropped: boolean): RequestState {
  if (state === "awaiting-approval" || state === "approved") return "in-progress";
  if (state === "extended" && extensionDropped) return "in-progress";
  return state;
}

export { type ReviewOutcome, reviewOutcomes };

export const decisionNoticeResults = ["upheld", "partly-upheld", "not-upheld"] as const;
export type DecisionNoticeResult = (typeof decisionNoticeResults)[number];

/** Who appealed a decision notice. */
export const appellants = ["authority", "requester"] as const;
export const tribunalResults = ["allowed", "allowed-in-part", "dismissed", "withdrawn"] as const;
export type TribunalResult = (typeof tribunalResults)[number];

export const actionTypes = [
  "acknowledge",
  "assign",
  "start-work",
  "request-clarification",
  "receive-clarification",
  "issue-fees-notice",
  "receive-fee",
  "request-identity",
  "identity-received",
  "extend",
  "submit-for-approval",
  "approve",
  "return-for-changes",
  "record-outcome",
  "draft-reply",
  "send-reply",
  "record-posted",
  "withdraw",
  "lapse",
  "request-review",
  "extend-review",
  "draft-review-letter",
  "send-review-letter",
  "record-review-posted",
  "decide-review",
  "record-complaint",
  "record-decision-notice",
  "record-compliance",
  "record-appeal",
  "record-tribunal-outcome",
  "close-regulator-stage",
  "add-note",
  "change-regime",
] as const;
export type ActionType = (typeof actionTypes)[number];

/** Who takes an action: a member of staff, the requester (through the tracking link) or foidesk itself. */
export type ActorRole = Role | "requester" | "system";

export interface Actor {
  userId: number | null;
  /** As the history shows it, e.g. "Olu Officer". */
  label: string;
  role: ActorRole;
}

/** "a FOIA", "an EIR", "an EISR": the regime's code as a message reads it aloud. */
function anRegime(regime: string): string {
  const code = regime.toUpperCase();
  return `${code.startsWith("E") ? "an" : "a"} ${code}`;
}

/** What a guard may look at: the request as it stands, its history, who acts, and today. */
export interface GuardContext {
  request: {
    regime: string;
    state: RequestState;
    assigneeId: number | null;
    clockStopped: boolean;
    lastClarificationRequested: string | null;
    /** The due date as it stands (before an extension: the end of the original time limit). */
    dueDate?: string | null;
    /** The day the fees notice still awaiting payment was given. */
    feeRequested?: string | null;
  };
  /** The decision notice's steps not yet taken, and the last day to appeal it (decision-notice only). */
  regulator?: { stepsOutstanding: boolean; appealDeadline: string | null };
  /** The author of the reply awaiting approval (the actor of the latest submit-for-approval). */
  submittedBy: number | null;
  /** Everyone who saved the draft reply since it was last returned for changes (or ever, if never returned). */
  draftEditors?: readonly number[];
  /**
   * Everyone who took part in the decision under review: who drafted, submitted, approved or sent the reply
   * (or recorded the outcome). Given for the internal review's actions.
   */
  originalDecisionTakers?: readonly number[];
  approvedOutcome: Outcome | null;
  /** A letter (the reply or the review letter) generated to be posted and not yet recorded as posted. */
  letterAwaitingPost?: { letter: "reply" | "review"; generatedOn: string | null } | null;
  /** The drafted reply, when the action looks at it (`Transition.reply`); null when none is drafted. */
  reply?: ReplyGuardState | null;
  actor: Actor;
  input: Record<string, unknown>;
  today: string;
  /** The authority is a Scottish public authority (its jurisdiction is Scotland): FOISA and the EISR apply. */
  scottish: boolean;
}

/** The drafted reply as the guards see it: its outcome and what stops it being approved or sent. */
export interface ReplyGuardState {
  outcome: Outcome;
  /** validateReply's problems (empty when the reply is complete). */
  problems: readonly FieldProblem[];
  /** The reply has been sent (its letter generated and stored, emailed or to be posted). */
  sent?: boolean;
  /** The review letter's decision (the review letter only). */
  reviewOutcome?: ReviewOutcome | null;
  /** Sent as a letter to post that no one has yet recorded as posted. */
  awaitingPost?: boolean;
  /** The day the letter was generated (sent), ISO; null when it has not been. */
  generatedOn?: string | null;
}

/** A guard's refusal that is about one field of the input (a date that cannot be right): the form marks it. */
export interface FieldRefusal {
  message: string;
  field: string;
}

/** A clock stop an action starts or ends (law's ClockStop kinds). */
export type ClockStopKind = "clarification" | "fee" | "identity";

/**
 * What an action does to the statutory clock (clock.ts applies it): a stop begins on the input's `date`; the
 * open stop of that kind ends on it; an extension of the input's `extension` kind is added, or the internal
 * review's by the input's `workingDays`; or the clock is read again under the input's new `regime`.
 */
export type ClockEffect =
  | { stop: ClockStopKind }
  | { resume: ClockStopKind }
  | { extend: "reply" | "review" }
  | { underRegime: "regime" };

/** The request's columns an action may set beside its state, clock and due date. */
export type EffectColumn = "outcome" | "review_received_date" | "review_outcome" | "regime";

/**
 * What an action changes besides the state it leads to (`to`), as data: one interpreter (service.ts) applies
 * it, and the due date is worked out again after every action. In the order they are applied:
 */
export interface Effect {
  /** A rule the input must keep, naming the field that breaks it (checked before anything is written). */
  check?: (input: Readonly<Record<string, unknown>>) => FieldProblem | null;
  /** Columns set from the input: the name of the input's field, or null to clear the column. */
  set?: Partial<Record<EffectColumn, string | null>>;
  /** The member of staff named in this input field takes the request (and their team, unless one is named). */
  assignee?: "assigneeId";
  /**
   * The law the request is handled under changes: the state follows stateAfterRegimeChange, and the history
   * records what was kept and dropped, and the due date before and after.
   */
  regimeChange?: true;
  clock?: ClockEffect;
}

export interface Transition {
  action: ActionType;
  label: string;
  from: readonly RequestState[] | "open" | "any-but-invalid";
  /** The next state; `null` leaves the state as it is. */
  to: RequestState | null;
  roles: readonly ActorRole[];
  /** The laws the action applies to (every law when not given); the page offers it only under these. */
  regimes?: readonly string[];
  /** The reason the action is not allowed (with the field it is about, when one is), or null when it is. */
  guard?: (context: GuardContext) => string | FieldRefusal | null;
  /**
   * What the action asks of the drafted reply: "checked", a reply (if one is drafted) must pass validation;
   * "required", a reply must be drafted and pass. A refusal lists every problem (FOIA s.17, EIR reg 14).
   */
  reply?: "checked" | "required";
  /** Which letter `reply` means: the reply (the default) or the internal review's letter. */
  letter?: "reply" | "review";
  /**
   * The reason, in the law's words, when the action is asked for in a state it is not allowed from and the
   * state alone would not explain why (a fee logged after its notice lapsed); null for the usual message.
   */
  stateRefusal?: (context: GuardContext) => string | null;
  /** What the action changes besides the state (none when not given). */
  effect?: Effect;
}

/**
 * Four-eyes when replying: from "approved" only the outcome that was approved; otherwise only outcomes that
 * need no sign-off.
 */
function approvalRefusal(
  request: GuardContext["request"],
  outcome: Outcome,
  approvedOutcome: Outcome | null,
): string | null {
  if (request.state === "approved") {
    return approvedOutcome && outcome !== approvedOutcome
      ? `the approved outcome is "${outcomeLabels[approvedOutcome]}"; submit the new outcome for approval`
      : null;
  }
  return outcomeNeedsApproval(outcome, request.regime)
    ? `"${outcomeLabels[outcome] ?? outcome}" needs an approver's sign-off first: submit it for approval`
    : null;
}

/** A drafted reply decides the outcome: one typed in must be the same. */
function replyOutcomeRefusal(reply: ReplyGuardState | null | undefined, outcome: unknown): string | null {
  return reply && outcome !== reply.outcome
    ? `the drafted reply's outcome is "${outcomeLabels[reply.outcome]}": change the reply, not the outcome`
    : null;
}

/** FOIA s.17, EIR reg 14, FOISA s.16: no outcome without the reply that tells the requester it. */
function unsentReplyRefusal(
  request: GuardContext["request"],
  reply: ReplyGuardState | null | undefined,
): string | null {
  if (isSubjectAccess(request.regime)) return null;
  if (reply?.awaitingPost) return notYetPosted("reply");
  if (reply?.sent) return null;
  return `${anRegime(request.regime)} request is answered only by sending its reply, which is the notice the law requires: draft the reply, then use "Send the reply" (by email, or as a letter to post). An outcome cannot be recorded without one`;
}

/** FOIA s.10(1): a reply is given when it is sent; a letter is sent when it is posted, not when it is printed. */
function notYetPosted(what: "reply" | "review letter"): string {
  return `the ${what} is a letter that has not been recorded as posted yet: a reply is given when it is sent (FOIA s.10(1)), and a letter is sent when it is posted. Post it, then use "Record as posted" with the date it went`;
}

/** A letter generated to be posted is sent once: after that it waits to be posted, and cannot be sent again. */
function alreadySentRefusal(
  letter: ReplyGuardState | null | undefined,
  what: "reply" | "review letter",
): string | null {
  if (!letter?.sent) return null;
  return letter.awaitingPost
    ? `the ${what}'s letter was generated on ${letter.generatedOn} and is waiting to be posted: post it, then use "Record as posted"`
    : `the ${what} has already been sent`;
}

/** A sent letter is what the requester was given: it is kept as sent, never changed. */
function sentLetterRefusal(
  letter: ReplyGuardState | null | undefined,
  what: "reply" | "review letter",
): string | null {
  return letter?.sent
    ? `the ${what} has been sent${letter.awaitingPost ? " (its letter is waiting to be posted)" : ""} and can no longer be changed`
    : null;
}

/**
 * What may still be done while a letter waits to be recorded as posted: recording it, notes, assignment, and
 * the letter's own steps (their guards say what to do with it). Anything else would change or close a request
 * whose answer is already printed.
 */
const whileLetterAwaitsPost: ReadonlySet<ActionType> = new Set<ActionType>([
  "record-posted",
  "record-review-posted",
  "assign",
  "add-note",
  "draft-reply",
  "send-reply",
  "record-outcome",
  "draft-review-letter",
  "send-review-letter",
  "decide-review",
]);

/**
 * FOIA s.10(1) (EIR reg 5(2), FOISA s.10(1)): a reply is given the day its letter is posted. Once the letter
 * is generated it is the answer; the request cannot be withdrawn, extended, moved to another law or have its
 * clock stopped under it until the day it went is recorded. Null when `action` may go ahead.
 */
export function letterAwaitingPostRefusal(
  action: ActionType,
  awaiting: GuardContext["letterAwaitingPost"],
): string | null {
  if (!awaiting || whileLetterAwaitsPost.has(action)) return null;
  const what = awaiting.letter === "review" ? "review letter" : "reply";
  const generated = awaiting.generatedOn ? `, generated on ${formatLongDate(awaiting.generatedOn)},` : "";
  const record = transitionFor(awaiting.letter === "review" ? "record-review-posted" : "record-posted").label;
  return `"${transitionFor(action).label}" cannot be done while the ${what}${generated} waits to be recorded as posted: it already answers the request, and the requester is given it the day it is posted (FOIA s.10(1)). Post the letter and use "${record}" with the date it went first`;
}

/**
 * Recording a postal letter as posted: there must be one waiting, and the day it went can be neither in the
 * future nor before the letter was generated (FOIA s.10(1): the reply is given when it is sent).
 */
function postedRefusal(
  { reply, input, today }: GuardContext,
  what: "reply" | "review letter",
): string | FieldRefusal | null {
  if (!reply?.awaitingPost)
    return reply?.sent
      ? `the ${what} has already been sent or recorded as posted: there is no letter waiting to be posted`
      : `there is no ${what} letter waiting to be posted: draft the ${what}, then use "Send the ${what}" to generate the letter`;
  const date = String(input.date ?? "");
  if (date > today)
    return {
      field: "date",
      message: `the date posted, ${date}, is in the future: record the letter as posted on or after the day it goes (today is ${today})`,
    };
  if (reply.generatedOn && date < reply.generatedOn)
    return {
      field: "date",
      message: `the letter was generated on ${reply.generatedOn}, so it cannot have been posted on ${date}: enter the day it was actually posted`,
    };
  return null;
}

/**
 * s.45 code of practice (2018) part 5, and our own acknowledgement: the review is carried out by someone who
 * was not involved in the original decision (for FOISA, the s.60 code; for the EIR, the reg 16 code). The same
 * for drafting, sending and deciding it.
 */
function reviewerRefusal({ actor, originalDecisionTakers }: GuardContext): string | null {
  return actor.userId !== null && originalDecisionTakers?.includes(actor.userId)
    ? "you took part in the original decision (you drafted, approved, submitted or sent the reply): an internal review is decided by someone who was not involved (s.45 code of practice, part 5). Ask a colleague who had no part in it to carry out the review; anyone may still record its letter as posted"
    : null;
}

/** Where the requester may complain once the review is done: FOIA s.50 (EIR reg 18), FOISA s.47 (EISR reg 17). */
function regulatorAfterReview(regime: string): string {
  return regime === "foisa" || regime === "eisr"
    ? "the Scottish Information Commissioner (FOISA s.47)"
    : "the Information Commissioner (FOIA s.50)";
}

/**
 * An internal review under FOIA-type laws is decided by sending its review letter (the decision, its reasons
 * and the right to go to the regulator); a subject access review's letter is written outside foidesk.
 */
function unsentReviewLetterRefusal(
  request: GuardContext["request"],
  letter: ReplyGuardState | null | undefined,
  reviewOutcome: unknown,
): string | null {
  if (request.regime === "sar") return null;
  if (letter?.awaitingPost) return notYetPosted("review letter");
  if (!letter?.sent)
    return `the internal review of ${anRegime(request.regime)} request is decided only by sending the review letter, which gives the requester the decision, the reasons and their right to complain to ${regulatorAfterReview(request.regime)}: draft the review letter, then use "Send the review letter" (by email, or as a letter to post). A decision cannot be recorded without one`;
  return letter.reviewOutcome && reviewOutcome !== letter.reviewOutcome
    ? `the review letter's decision is "${letter.reviewOutcome.replace("-", " ")}": change the letter, not the decision`
    : null;
}

/**
 * FOIA s.50(4), FOISA s.49(5): a decision notice that requires steps says by when they must be taken, and
 * that date comes after the notice.
 */
function decisionNoticeStepsProblem(input: Readonly<Record<string, unknown>>): FieldProblem | null {
  const { steps, complianceDate, date } = input;
  if (steps && !complianceDate)
    return {
      field: "complianceDate",
      message: "Enter the date by which the decision notice's steps must be taken",
    };
  if (complianceDate && !steps)
    return { field: "steps", message: "Enter the steps the decision notice requires, or leave the date out" };
  if (typeof complianceDate === "string" && typeof date === "string" && complianceDate <= date)
    return {
      field: "complianceDate",
      message: "The date to take the steps by must be after the decision notice",
    };
  return null;
}

const staff: readonly ActorRole[] = rolesWith("work-on-requests");
const informationRegimes: readonly string[] = ["foia", "eir", "foisa", "eisr"];
const signOff: readonly ActorRole[] = rolesWith("approve-reply");
const working: readonly RequestState[] = ["received", "acknowledged", "in-progress", "extended"];
/** Open, and no reply sent yet. */
const beforeReply: readonly RequestState[] = [
  ...working,
  "awaiting-clarification",
  "awaiting-fee",
  "awaiting-identity",
  "awaiting-approval",
  "approved",
];

/** UK GDPR Art.12(6): proof of identity is asked for only for subject access, never under FOIA-type laws. */
function subjectAccessOnly({ request }: GuardContext): string | null {
  // The regime's rule says whether it stops the clock for proof of identity.
  return (regimeRule(request.regime)?.identity ?? "none") !== "none"
    ? null
    : `proof of identity is asked for only for a subject access request (UK GDPR Art.12(6)); ${anRegime(request.regime)} request is answered whoever asks`;
}

/** A refusal from the capability table as a guard's clause ("…: ask a manager"). */
const clause = (reason: string) => reason.charAt(0).toLowerCase() + reason.slice(1);

export const transitions: readonly Transition[] = [
  // foidesk itself acknowledges a request that arrives with an email address (acknowledge.ts).
  {
    action: "acknowledge",
    label: "Acknowledge",
    from: ["received"],
    to: "acknowledged",
    roles: [...staff, "system"],
  },
  {
    action: "assign",
    label: "Assign",
    from: "open",
    to: null,
    roles: staff,
    effect: { assignee: "assigneeId" },
    // An officer may take a case; allocating it to someone else is a manager's call (users/abilities.ts).
    guard: ({ actor, input }) => {
      const permission = can(actor, "assign-request", { assigneeId: input.assigneeId as number | null });
      return permission.allowed
        ? null
        : `${clause(permission.reason)}: take it yourself, or ask a manager to allocate it to a colleague`;
    },
  },
  {
    action: "start-work",
    label: "Start work",
    from: ["received", "acknowledged"],
    to: "in-progress",
    roles: staff,
  },
  {
    // FOIA s.1(3), EIR reg 9(2), FOISA s.1(3): the clock stops until the clarification arrives.
    action: "request-clarification",
    label: "Log clarification sent",
    from: working,
    to: "awaiting-clarification",
    roles: staff,
    effect: { clock: { stop: "clarification" } },
  },
  {
    action: "receive-clarification",
    label: "Log clarification received",
    from: ["awaiting-clarification"],
    to: "in-progress",
    roles: [...staff, "requester"],
    effect: { clock: { resume: "clarification" } },
  },
  {
    // FOIA s.9 and s.10(2): a fees notice stops the clock until the fee is paid.
    action: "issue-fees-notice",
    label: "Log fees notice sent",
    from: working,
    to: "awaiting-fee",
    roles: staff,
    effect: { clock: { stop: "fee" } },
  },
  {
    // FOIA s.9(2), FOISA s.9(4): a fee paid three months or more after the notice is too late.
    action: "receive-fee",
    label: "Log fee paid",
    from: ["awaiting-fee"],
    to: "in-progress",
    roles: staff,
    effect: { clock: { resume: "fee" } },
    guard: ({ request, input, today }) =>
      request.feeRequested
        ? lateFeeRefusal(request.regime, request.feeRequested, String(input.date ?? today))
        : null,
    // Once the notice has lapsed by itself the request is closed; the payment is refused with the reason.
    stateRefusal: ({ request, input, today }) =>
      request.state === "lapsed" && request.feeRequested
        ? lateFeeRefusal(request.regime, request.feeRequested, String(input.date ?? today))
        : null,
  },
  {
    // UK GDPR Art.12(6): with reasonable doubts the controller may ask for what it needs to confirm identity;
    // ICO right-of-access guidance: the month starts only when that information is received.
    action: "request-identity",
    label: "Log proof of identity asked for",
    from: working,
    to: "awaiting-identity",
    roles: staff,
    effect: { clock: { stop: "identity" } },
    regimes: ["sar"],
    guard: subjectAccessOnly,
  },
  {
    action: "identity-received",
    label: "Log proof of identity received",
    from: ["awaiting-identity"],
    to: "in-progress",
    roles: staff,
    effect: { clock: { resume: "identity" } },
    regimes: ["sar"],
    guard: subjectAccessOnly,
  },
  {
    // FOIA s.10(3) public-interest extension; EIR and EISR reg 7(1) complex and voluminous; UK GDPR Art.12(3)
    // for SAR; none under FOISA. The regime's rule object says which.
    action: "extend",
    label: "Extend the deadline",
    from: ["acknowledged", "in-progress"],
    to: "extended",
    roles: staff,
    effect: { clock: { extend: "reply" } },
    guard: ({ request, input, today }) => {
      const expected = regimeRule(request.regime)?.extension?.type;
      // FOISA s.10(1): 20 working days, with no power to extend (unlike FOIA s.10(3) or EIR reg 7).
      if (!expected)
        return `${anRegime(request.regime)} request cannot be extended: its law sets the time limit with no extension (FOISA s.10(1)), so reply by the due date`;
      if (input.extension !== expected)
        return `${anRegime(request.regime)} request is extended as "${expected}", the only extension its law allows`;
      // Only within the original time, with the requester told (FOIA s.10(3)/s.17(2), EIR reg 7(3), Art.12(3)).
      return request.dueDate
        ? extensionRefusal({
            regime: request.regime,
            originalDueDate: request.dueDate,
            noticeDate: String(input.date ?? today),
            today,
          })
        : null;
    },
  },
  {
    action: "submit-for-approval",
    label: "Submit for approval",
    from: ["in-progress", "extended"],
    to: "awaiting-approval",
    roles: staff,
    reply: "checked",
    // Four-eyes signs off the reply itself: under FOIA-type laws there must be one to sign off.
    guard: ({ request, reply, input }) =>
      (!isSubjectAccess(request.regime) && !reply
        ? "there is no reply to approve: draft the reply first, then submit it for approval"
        : null) ?? replyOutcomeRefusal(reply, input.outcome),
  },
  {
    action: "approve",
    label: "Approve",
    from: ["awaiting-approval"],
    to: "approved",
    roles: signOff,
    reply: "checked",
    // Four-eyes: not the person who submitted it, nor anyone who edited the draft since it was last returned.
    guard: ({ submittedBy, draftEditors, actor }) =>
      actor.userId !== null && (submittedBy === actor.userId || draftEditors?.includes(actor.userId))
        ? "the reply must be approved by someone other than its author: you wrote or edited this draft since it was last returned, so another approver must sign it off"
        : null,
  },
  {
    action: "return-for-changes",
    label: "Return for changes",
    from: ["awaiting-approval"],
    to: "in-progress",
    roles: signOff,
  },
  {
    // A request is answered by a reply (FOIA s.1(1), s.17; EIR reg 5, reg 14; FOISA s.1, s.16): under these
    // laws the outcome is recorded only by sending the drafted, validated reply ("send-reply"), never alone.
    // A subject access reply is made outside foidesk's reply editor (UK GDPR Art.15), so a SAR's outcome is
    // recorded here, after its sign-off.
    action: "record-outcome",
    label: "Record the outcome",
    from: ["in-progress", "extended", "approved"],
    to: "responded",
    roles: staff,
    effect: { set: { outcome: "outcome" } },
    regimes: ["sar"],
    reply: "checked",
    guard: ({ request, input, approvedOutcome, reply }) =>
      unsentReplyRefusal(request, reply) ??
      replyOutcomeRefusal(reply, input.outcome) ??
      approvalRefusal(request, input.outcome as Outcome, approvedOutcome),
  },
  {
    // The structured reply is written while the request is worked; once submitted it is locked until the
    // approver returns it.
    action: "draft-reply",
    label: "Draft the reply",
    from: ["in-progress", "extended"],
    to: null,
    roles: staff,
    letter: "reply",
    guard: ({ reply }) => sentLetterRefusal(reply, "reply"),
  },
  {
    // Sending the drafted reply (letter, Word copy, email) is followed in the same transaction by
    // record-outcome with the reply's outcome, which moves the request to responded.
    action: "send-reply",
    label: "Send the reply",
    from: ["in-progress", "extended", "approved"],
    to: null,
    roles: staff,
    reply: "required",
    guard: ({ request, approvedOutcome, reply }) =>
      alreadySentRefusal(reply, "reply") ??
      (reply ? approvalRefusal(request, reply.outcome, approvedOutcome) : null),
  },
  {
    // A reply with no email address goes as a letter: "Send the reply" generates, validates and stores it, and
    // the request waits until an officer records the day it was posted, which is the day the reply was given
    // (FOIA s.10(1); EIR reg 5(2); FOISA s.10(1)). Followed in the same transaction by record-outcome dated
    // that day, which moves the request to responded.
    action: "record-posted",
    label: "Record as posted",
    from: ["in-progress", "extended", "approved"],
    to: null,
    roles: staff,
    letter: "reply",
    guard: (context) => postedRefusal(context, "reply"),
  },
  {
    action: "withdraw",
    label: "Withdraw",
    from: beforeReply,
    to: "withdrawn",
    roles: [...staff, "requester"],
  },
  {
    // ICO guidance: a request may be closed if no clarification arrives within three months (the fee's
    // three months are in FOIA s.9(2)).
    action: "lapse",
    label: "Close as lapsed",
    from: ["awaiting-clarification", "awaiting-fee"],
    to: "lapsed",
    roles: [...staff, "system"],
    guard: ({ request, today }) => {
      const since = request.lastClarificationRequested;
      if (!since) return null;
      const due = formatIsoDate(addMonthsClamped(tryParseIsoDate(since), 3));
      return today < due
        ? `a request can be closed as lapsed only three months after the clarification or fees notice (ICO guidance; FOIA s.9(2)), on or after ${due}: until then it waits for the requester`
        : null;
    },
  },
  {
    // s.45 code of practice (2018) para 5: an internal review is asked for within 40 working days of the reply.
    action: "request-review",
    label: "Log internal review request",
    from: ["responded"],
    to: "review-requested",
    roles: [...staff, "requester"],
    effect: { set: { review_received_date: "date", review_outcome: null } },
  },
  {
    // s.45 code para 5.4: 20 working days, 40 at the most for a complex review. FOISA s.21(1) and EISR
    // reg 16(4): 20 working days, with no extension (EISR reg 7 extends only the first reply).
    action: "extend-review",
    label: "Extend the internal review",
    from: ["review-requested"],
    to: null,
    roles: staff,
    effect: { clock: { extend: "review" } },
    guard: ({ request }) => {
      const review = regimeRule(regimeRule(request.regime)?.review ?? "internal-review");
      return review && !review.extension
        ? `${anRegime(request.regime)} review cannot be extended: ${review.title} allows ${review.limit} working days`
        : null;
    },
  },
  {
    // The review letter is drafted like a reply, by someone not involved in the original decision.
    action: "draft-review-letter",
    label: "Draft the review letter",
    from: ["review-requested"],
    to: null,
    roles: staff,
    regimes: informationRegimes,
    letter: "review",
    guard: (context) => sentLetterRefusal(context.reply, "review letter") ?? reviewerRefusal(context),
  },
  {
    // Sending the complete review letter (PDF and Word, emailed or to be posted) is followed in the same
    // transaction by decide-review with the letter's decision, which moves the request to review-decided.
    action: "send-review-letter",
    label: "Send the review letter",
    from: ["review-requested"],
    to: null,
    roles: staff,
    regimes: informationRegimes,
    reply: "required",
    letter: "review",
    guard: (context) => alreadySentRefusal(context.reply, "review letter") ?? reviewerRefusal(context),
  },
  {
    // The review letter to post, as "record-posted" for the reply: followed in the same transaction by
    // decide-review dated the day it was posted (s.45 code para 5.10; FOISA s.21(4)).
    action: "record-review-posted",
    label: "Record the review letter as posted",
    from: ["review-requested"],
    to: null,
    roles: staff,
    regimes: informationRegimes,
    letter: "review",
    guard: (context) => postedRefusal(context, "review letter"),
  },
  {
    // s.45 code part 5 (para 5.10: the outcome and its reasons in writing), EIR reg 11(4), FOISA s.21(4)-(5),
    // EISR reg 16(4): under these laws recorded only by sending the review letter; a SAR review here.
    action: "decide-review",
    label: "Record review decision",
    from: ["review-requested"],
    to: "review-decided",
    roles: staff,
    effect: { set: { review_outcome: "reviewOutcome" } },
    regimes: ["sar"],
    reply: "checked",
    letter: "review",
    // The decision is the review letter's: its sender was checked as independent when it was sent. Recording
    // the day a posted letter went is clerical (the post room may do it), so only a decision recorded
    // without a letter (a subject access review) checks whoever records it.
    guard: (context) =>
      (context.reply?.sent ? null : reviewerRefusal(context)) ??
      unsentReviewLetterRefusal(context.request, context.reply, context.input.reviewOutcome),
  },
  {
    // FOIA s.50: the requester may apply to the Information Commissioner for a decision.
    action: "record-complaint",
    label: "Log complaint to the regulator",
    from: ["responded", "review-decided"],
    to: "regulator-complaint",
    roles: staff,
  },
  {
    // FOIA s.50(3)-(4), FOISA s.49(5)-(6): the notice, with the steps to take and the date to take them by.
    action: "record-decision-notice",
    label: "Record decision notice",
    from: ["regulator-complaint"],
    to: "decision-notice",
    roles: staff,
    effect: { check: decisionNoticeStepsProblem },
  },
  {
    // FOIA s.54, FOISA s.53: failing to take the steps is dealt with as contempt of court.
    action: "record-compliance",
    label: "Log the decision notice's steps taken",
    from: ["decision-notice"],
    to: null,
    roles: staff,
    guard: ({ regulator }) =>
      regulator?.stepsOutstanding
        ? null
        : "the decision notice has no steps outstanding: nothing is owed to the regulator",
  },
  {
    // FOIA s.57 (First-tier Tribunal, 28 days); FOISA s.56 (Court of Session, 42 days).
    action: "record-appeal",
    label: "Log an appeal against the decision notice",
    from: ["decision-notice"],
    to: "tribunal-appeal",
    roles: staff,
  },
  {
    action: "record-tribunal-outcome",
    label: "Record the appeal's outcome",
    from: ["tribunal-appeal"],
    to: "tribunal-decided",
    roles: staff,
  },
  {
    // Closed once the steps are taken and the appeal window has closed with no appeal.
    action: "close-regulator-stage",
    label: "Close the regulator stage",
    from: ["decision-notice"],
    to: "regulator-closed",
    roles: staff,
    guard: ({ regulator, today }) => {
      if (regulator?.stepsOutstanding)
        return "the decision notice's steps have not been logged as taken (FOIA s.54, FOISA s.53): log them first";
      if (regulator?.appealDeadline && today <= regulator.appealDeadline)
        return `the appeal window is open until ${regulator.appealDeadline}: close the stage after that, or log the appeal`;
      return null;
    },
  },
  { action: "add-note", label: "Add a note", from: "any-but-invalid", to: null, roles: staff },
  {
    // A request logged under the wrong law is handled under the right one: environmental information under
    // the EIR (FOIA s.39(1)) or, in Scotland, the EISR (FOISA s.39(2)); the requester's own personal data as
    // a subject access request (FOIA s.40(1), FOISA s.38(1)(a); UK GDPR Art.15). Only before the reply is
    // sent; the received date and reference stay, the deadline is the new law's (stateAfterRegimeChange).
    action: "change-regime",
    label: "Change the law this request is handled under",
    from: beforeReply,
    to: null,
    roles: rolesWith("change-regime"),
    effect: { set: { regime: "regime" }, regimeChange: true, clock: { underRegime: "regime" } },
    guard: ({ request, input, scottish, actor }) => {
      const allowed = regimesForAuthority(scottish);
      if (request.state === "awaiting-identity" && !isSubjectAccess(input.regime))
        return "the request awaits proof of identity, which only subject access asks for: log it received first";
      if (input.regime === request.regime)
        return `the request is already handled under ${regimeName(request.regime)}: choose another law`;
      if (!allowed.includes(input.regime as RequestRegime)) {
        const where = scottish ? "a Scottish public authority" : "a public authority outside Scotland";
        return `${regimeName(String(input.regime))} does not apply to ${where}: choose ${allowed.map(regimeName).join(", ")}`;
      }
      // A subject access reply always needs sign-off; moved to a law where some outcomes need none, one
      // officer could answer it alone. Only a manager decides that it was never subject access.
      const mover = can(actor, "move-from-subject-access");
      if (isSubjectAccess(request.regime) && !isSubjectAccess(input.regime) && !mover.allowed)
        return clause(mover.reason);
      return null;
    },
  },
];

const byAction = new Map(transitions.map((transition) => [transition.action, transition]));

export function transitionFor(action: ActionType): Transition {
  const transition = byAction.get(action);
  if (!transition) throw new Error(`no transition for ${action}`);
  return transition;
}

export function actionAllowedFrom(transition: Transition, state: RequestState): boolean {
  if (transition.from === "open") return isOpen(state);
  if (transition.from === "any-but-invalid") return state !== "invalid";
  return transition.from.includes(state);
}

/**
 * The actions this actor may take on a request in `state`, under `regime` when given (guards on input are
 * checked when acting).
 */
export function allowedActions(state: RequestState, role: ActorRole, regime?: string): Transition[] {
  return transitions.filter(
    (transition) =>
      actionAllowedFrom(transition, state) &&
      transition.roles.includes(role) &&
      (regime === undefined || !transition.regimes || transition.regimes.includes(regime)),
  );
}

export interface Refusal {
  /**
   * "state": not from this state (409); "role": not for this role (403); "guard": a rule does not hold (409);
   * "reply": the drafted reply is missing something (422, every problem listed).
   */
  kind: "state" | "role" | "guard" | "reply";
  message: string;
  /** The input field a guard's refusal is about, when it is about one. */
  field?: string;
  problems?: readonly FieldProblem[];
}

const actionVerbs: Partial<Record<ActionType, string>> = {
  "submit-for-approval": "submitted for approval",
  approve: "approved",
  "record-outcome": "recorded as the outcome",
  "send-reply": "sent",
  "send-review-letter": "sent",
  "decide-review": "used to record the review decision",
};

function replyRefusal(transition: Transition, context: GuardContext): Refusal | null {
  if (!transition.reply) return null;
  const reply = context.reply;
  const what = transition.letter === "review" ? "review letter" : "reply";
  if (!reply) {
    return transition.reply === "required"
      ? { kind: "guard", message: `there is no ${what} to send: draft the ${what} first` }
      : null;
  }
  const count = reply.problems.length;
  if (count === 0) return null;
  return {
    kind: "reply",
    message: `The ${what} cannot be ${actionVerbs[transition.action] ?? "used"} yet: fix the ${count === 1 ? "problem" : `${count} problems`} listed`,
    problems: reply.problems,
  };
}

/**
 * Why `action` cannot be taken now, or null when it can: the words of a 409 or 403 answer and of the page's
 * error. A refusal for the state names what is allowed from here, so the person knows what to do instead.
 */
export function refusalFor(action: ActionType, context: GuardContext): Refusal | null {
  const transition = transitionFor(action);
  const state = context.request.state;
  if (!actionAllowedFrom(transition, state)) {
    const reason = transition.stateRefusal?.(context);
    if (reason) return { kind: "state", message: reason };
    const allowed = allowedActions(state, context.actor.role, context.request.regime).map((t) =>
      t.label.toLowerCase(),
    );
    const options =
      allowed.length > 0 ? `allowed from here: ${allowed.join(", ")}` : "nothing can be done from here";
    return {
      kind: "state",
      message: `"${transition.label}" is not allowed when a request is ${stateLabels[state].toLowerCase()}; ${options}`,
    };
  }
  if (!transition.roles.includes(context.actor.role)) {
    const roles = transition.roles.filter((role) => role !== "system" && role !== "requester");
    return { kind: "role", message: `"${transition.label}" needs the role ${roles.join(" or ")}` };
  }
  const awaitingPost = letterAwaitingPostRefusal(action, context.letterAwaitingPost);
  if (awaitingPost) return { kind: "guard", message: awaitingPost };
  // An incomplete reply first: fixing it comes before anything else can be done with it.
  const incomplete = replyRefusal(transition, context);
  if (incomplete) return incomplete;
  const reason = transition.guard?.(context) ?? null;
  if (!reason) return null;
  return typeof reason === "string" ? { kind: "guard", message: reason } : { kind: "guard", ...reason };
}
