import {
  citeExemptions,
  environmentalProvisions,
  exemption,
  formatPence,
  type InformationRegime,
  isEnvironmental,
  proceduralRefusal,
  regimeLaw,
} from "../law/index.ts";
import { formatLongDate } from "./dates.ts";
import type { Decision, ExemptionApplication, Reply } from "./reply.ts";

// What a reply amounts to: its outcome (as the request records it), whether it is a refusal notice (FOIA
// s.17, EIR reg 14, FOISA s.16, EISR reg 13) and the opening sentence that says so.

/** The request's outcomes (one list, in law): what a reply amounts to is one of them. */
import type { Outcome as ReplyOutcome } from "../law/index.ts";

export { outcomes as replyOutcomes } from "../law/index.ts";
export type { ReplyOutcome };

interface DecisionMix {
  disclosed: boolean;
  withheld: boolean;
  ncnd: boolean;
  notHeld: boolean;
}

function mix(decisions: readonly Decision[]): DecisionMix {
  return {
    disclosed: decisions.some((d) => d === "disclosed" || d === "partly"),
    withheld: decisions.some((d) => d === "withheld" || d === "partly"),
    ncnd: decisions.includes("ncnd"),
    notHeld: decisions.includes("not-held"),
  };
}

/**
 * The outcome: a whole-request refusal decides it; otherwise anything withheld (or neither confirmed nor
 * denied) beside anything disclosed is a partial refusal, and so on down to "not held".
 */
export function replyOutcome(reply: Reply): ReplyOutcome {
  if (reply.refusal) return `refused-${reply.refusal.ground}`;
  const { disclosed, withheld, ncnd } = mix(reply.questions.map((q) => q.decision));
  if (withheld || ncnd) {
    if (disclosed) return "partially-withheld";
    return withheld ? "withheld-in-full" : "ncnd";
  }
  return disclosed ? "granted-in-full" : "not-held";
}

/**
 * A refusal notice is due when anything is withheld, neither confirmed nor denied, or refused as a whole
 * (FOIA s.17(1), (5); FOISA s.16, s.18); under the EIR and the EISR also when information is not held,
 * because that is an exception (EIR reg 12(4)(a) and reg 14(1); EISR reg 10(4)(a) and reg 13).
 */
export function isRefusalNotice(reply: Reply): boolean {
  if (reply.refusal) return true;
  const { withheld, ncnd, notHeld } = mix(reply.questions.map((q) => q.decision));
  return withheld || ncnd || (isEnvironmental(reply.regime) && notHeld);
}

/** An application is an NCND one when every question it covers is neither confirmed nor denied. */
export function isNcndApplication(reply: Reply, application: ExemptionApplication): boolean {
  const decisions = application.questionNumbers.map((n) => reply.questions[n - 1]?.decision);
  return decisions.length > 0 && decisions.every((d) => d === "ncnd");
}

/** The printed citation lines for the exemptions a reply applies, in catalogue order, each once. */
export function replyCitations(reply: Reply): string[] {
  const lines: string[] = [];
  if (reply.refusal) lines.push(proceduralRefusal(reply.regime, reply.refusal.ground).printed);
  for (const application of reply.exemptions) {
    const known = application.exemptionIds.filter((id) => exemption(id));
    if (known.length === 0) continue;
    const cited = citeExemptions(known, {
      ncnd: isNcndApplication(reply, application),
      alternative: application.alternative,
    });
    for (const line of cited) if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

function firstMention(regime: InformationRegime): string {
  const law = regimeLaw[regime];
  return `${law.title} (${law.short})`;
}

function proceduralSentence(reply: Reply): string {
  const refusal = reply.refusal;
  if (!refusal) return "";
  const regime = reply.regime;
  const rule = proceduralRefusal(regime, refusal.ground);
  if (isEnvironmental(regime)) {
    const why = {
      cost: "because of the burden that complying with it would impose",
      vexatious: "because it is vexatious",
      repeated: "because it repeats a request that we have already answered",
    }[refusal.ground];
    return `I have today decided to refuse your request as manifestly unreasonable under ${rule.provision.toLowerCase()} of ${firstMention(regime)}, ${why}. This response serves as a Refusal Notice under ${rule.noticeProvision.toLowerCase()} of the Regulations.`;
  }
  const notice = `This response serves as a Refusal Notice under ${rule.noticeProvision.toLowerCase()} of the Act.`;
  if (refusal.ground === "cost") {
    const limit = refusal.estimate?.limitPence ?? (regime === "foisa" ? 60_000 : undefined);
    const amount = limit ? formatPence(limit) : "";
    const limitText =
      regime === "foisa"
        ? `${amount || "£600"}, the amount prescribed under section 12 of ${firstMention(regime)}`
        : `the appropriate limit${amount ? ` of ${amount}` : ""} under section 12 of ${firstMention(regime)}`;
    return `I have today decided to refuse your request because the cost of complying with it would exceed ${limitText}. ${notice}`;
  }
  if (refusal.ground === "vexatious") {
    return `I have today decided to refuse your request because it is vexatious under section 14(1) of ${firstMention(regime)}. ${notice}`;
  }
  const previous = refusal.previousRequest;
  const earlier = previous
    ? `your earlier request ${previous.reference}, which we answered on ${formatLongDate(previous.answeredDate)}`
    : "an earlier request of yours that we have answered";
  return `I have today decided to refuse your request because it is identical or substantially similar to ${earlier}, and a reasonable interval has not passed since then (section 14(2) of ${firstMention(regime)}). ${notice}`;
}

/**
 * The opening decision: what is disclosed, what is not and, for a refusal notice, the provision it is given
 * under, ending with a colon when the citation list follows. Written for the requester.
 */
export function decisionSentence(reply: Reply): string {
  if (reply.refusal) return proceduralSentence(reply);
  const regime = reply.regime;
  const { disclosed, withheld, ncnd, notHeld } = mix(reply.questions.map((q) => q.decision));
  const sentences: string[] = [];
  if (disclosed) {
    sentences.push(
      withheld || ncnd
        ? "I have today decided to disclose some of the requested information."
        : `I have today decided to disclose the requested information${notHeld ? " that we hold" : ""}.`,
    );
  } else if (withheld) {
    sentences.push("I have today decided not to disclose the requested information.");
  } else if (ncnd) {
    sentences.push("I can neither confirm nor deny whether we hold the requested information.");
  } else {
    sentences.push("I can confirm that we do not hold the requested information.");
  }
  if (withheld) {
    sentences.push(disclosed ? "The rest is exempt from disclosure." : "It is exempt from disclosure.");
  }
  if (ncnd && (disclosed || withheld)) {
    sentences.push(
      "For part of your request, I can neither confirm nor deny whether we hold the information.",
    );
  }
  if (notHeld && (disclosed || withheld || ncnd)) {
    sentences.push("We do not hold some of the information you asked for.");
  }
  if (isEnvironmental(regime) && notHeld) {
    const exception = exemption(environmentalProvisions[regime].notHeld)?.provision.toLowerCase();
    sentences.push(
      `Under the Regulations, not holding information is an exception to disclosure (${exception}).`,
    );
  }
  let lawNamed = false;
  if (regime === "foisa" && notHeld) {
    // FOISA s.17(1): a notice that the information is not held.
    sentences.push(
      `This response serves as notice under section 17(1) of ${firstMention(regime)} that we do not hold ${disclosed || withheld || ncnd ? "that" : "the"} information.`,
    );
    lawNamed = true;
  }
  if (isRefusalNotice(reply)) {
    const law = lawNamed ? regimeLaw[regime].short : firstMention(regime);
    const provision = isEnvironmental(regime)
      ? `${environmentalProvisions[regime].refusalNotice} of ${law}`
      : regime === "foisa"
        ? `section 16 of ${law}${ncnd ? ", read with section 18(1)," : ""}`
        : `section 17 of ${law}`;
    const kind = withheld || notHeld ? (isEnvironmental(regime) ? "exceptions" : "exemptions") : "provisions";
    sentences.push(
      `This response ${lawNamed ? "is also" : "therefore serves as"} a Refusal Notice under ${provision} by virtue of the following ${kind}:`,
    );
  }
  return sentences.join(" ");
}
