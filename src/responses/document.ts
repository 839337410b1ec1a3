import {
  costActivityLabels,
  costOfHours,
  costRules,
  type Exemption,
  environmentalProvisions,
  exemption,
  formatPence,
  isEnvironmental,
  likelihoodLabels,
  proceduralRefusal,
  type ReviewOutcome,
} from "../law/index.ts";
import { complaintRightsText } from "./complaint-rights.ts";
import { formatLongDate } from "./dates.ts";
import { decisionSentence, isNcndApplication, replyCitations } from "./outcome.ts";
import {
  decisionLabels,
  type ExemptionApplication,
  type PublicInterest,
  type Reply,
  type ReviewDecision,
} from "./reply.ts";

// The reply laid out once, as a sequence of blocks (headings, paragraphs, lists, tables) in the disclosure-log
// order. The web page, the PDF letter, the Word document and the email body are each a rendering of these
// same blocks, so they cannot say different things.

export interface Run {
  text: string;
  href?: string;
  bold?: boolean;
}

export type Block =
  | { kind: "heading"; level: 1 | 2 | 3; text: string }
  | { kind: "paragraph"; runs: Run[] }
  | { kind: "list"; ordered: boolean; items: string[] }
  | { kind: "table"; caption: string; columns: string[]; rows: string[][] };

/** The section headings, in the order they appear (the renderings' tests compare them). */
export const sectionHeadings = {
  reasons: "Reason for decision",
  disclosure: "Disclosure",
  advice: "Advice and Assistance",
  complaints: "Complaint rights",
  review: "Internal review decision",
} as const;

export const requestRestatement = "I note you seek access to the following information:";

const heading = (level: 1 | 2 | 3, text: string): Block => ({ kind: "heading", level, text });
/** A web address in text as typed; the punctuation that ends a sentence after it is not part of it. */
const webAddress = /https?:\/\/[^\s<>"]+/gi;
const trailingPunctuation = /[.,;:!?'’"”)\]]+$/;

/**
 * Text as runs, each web address in it a link (the web page, PDF and Word each make it one), so an address
 * typed into a reply can be followed and, on a small screen, wraps like the link it is.
 */
export function textRuns(text: string): Run[] {
  const runs: Run[] = [];
  let from = 0;
  for (const match of text.matchAll(webAddress)) {
    const trailing = trailingPunctuation.exec(match[0])?.[0] ?? "";
    let url = match[0].slice(0, match[0].length - trailing.length);
    // A closing bracket belongs to the address when the address opened one, as Wikipedia's do.
    const count = (character: string) => url.split(character).length - 1;
    if (trailing.startsWith(")") && count("(") > count(")")) url += ")";
    if (!/^https?:\/\/[^/?#]+\.[^/?#]/i.test(url)) continue;
    const start = match.index;
    if (start > from) runs.push({ text: text.slice(from, start) });
    runs.push({ text: url, href: url });
    from = start + url.length;
  }
  if (from < text.length || runs.length === 0) runs.push({ text: text.slice(from) });
  return runs;
}

const paragraph = (text: string): Block => ({ kind: "paragraph", runs: textRuns(text) });
const lead = (label: string, text: string): Block => ({
  kind: "paragraph",
  runs: [{ text: `${label} `, bold: true }, ...textRuns(text)],
});
const strong = (text: string): Block => ({ kind: "paragraph", runs: [{ text, bold: true }] });
const nonBlank = (texts: readonly string[] | undefined) => (texts ?? []).filter((text) => text.trim() !== "");

export function replyTitle(reply: Reply): string {
  const kind = isEnvironmental(reply.regime)
    ? "Environmental information request"
    : "Freedom of information request";
  return `${reply.review ? "Internal review: " : ""}${kind} reference no: ${reply.reference}`;
}

/** The review letter's words for its decision (the request's codes are upheld, partly-overturned, overturned). */
const reviewDecisionWords: Record<ReviewOutcome, string> = {
  upheld: "We have upheld the original decision.",
  "partly-overturned": "We have overturned the original decision in part.",
  overturned: "We have overturned the original decision.",
};

/**
 * The review letter's own section: when it was asked for, that someone not involved reviewed it (s.45 code
 * of practice (2018) part 5), the decision and the reasons for it, and what happens next.
 */
function reviewBlocks(review: ReviewDecision): Block[] {
  const blocks: Block[] = [
    heading(2, sectionHeadings.review),
    paragraph(
      `On ${formatLongDate(review.requestedDate)} you asked us to review our reply of ${formatLongDate(review.replyDate)}. The review was carried out by someone who was not involved in the original decision.`,
    ),
  ];
  if (review.outcome) blocks.push(strong(reviewDecisionWords[review.outcome]));
  blocks.push(...nonBlank(review.reasons).map(paragraph));
  if (review.nextSteps.trim() !== "") blocks.push(paragraph(review.nextSteps));
  return blocks;
}

function publicInterestBlocks(reply: Reply, publicInterest: PublicInterest | undefined): Block[] {
  if (!publicInterest) return [];
  const blocks: Block[] = [];
  const forDisclosure = nonBlank(publicInterest.favouringDisclosure);
  const forWithholding = nonBlank(publicInterest.favouringWithholding);
  if (forDisclosure.length > 0) {
    blocks.push(strong("Public interest considerations favouring disclosure"));
    blocks.push({ kind: "list", ordered: false, items: forDisclosure });
  }
  if (forWithholding.length > 0) {
    blocks.push(strong("Public interest considerations favouring non-disclosure"));
    blocks.push({ kind: "list", ordered: false, items: forWithholding });
  }
  if (publicInterest.balance.trim() !== "") {
    blocks.push(strong("Balance test"));
    if (isEnvironmental(reply.regime)) {
      // EIR reg 12(2), EISR reg 10(2)(b): stated, because the balance must be struck with it.
      const presumption = environmentalProvisions[reply.regime].presumption;
      blocks.push(
        paragraph(
          `${presumption[0]?.toUpperCase()}${presumption.slice(1)} requires us to apply a presumption in favour of disclosure.`,
        ),
      );
    }
    blocks.push(paragraph(publicInterest.balance));
  }
  return blocks;
}

const determiners = new Set([
  "the",
  "a",
  "an",
  "any",
  "its",
  "our",
  "their",
  "this",
  "that",
  "these",
  "those",
]);

/**
 * Words typed to go on a sentence ("… would be likely to prejudice ___."): without a full stop of their own,
 * and with the first letter lower-cased where it was capitalised only because it was typed first — a
 * determiner, or a word of the provision's own wording ("The prevention of crime" → "the prevention of
 * crime"). A name, an acronym or a capitalised phrase ("Police Scotland", "HMRC") is left as typed.
 */
export function continuingSentence(text: string, wording = ""): string {
  const words = text
    .trim()
    .replace(/[\s.]+$/, "")
    .split(/\s+/);
  const [first = "", second = ""] = words;
  const ordinary = new Set([
    ...determiners,
    ...wording
      .toLowerCase()
      .split(/\W+/)
      .filter((word) => word.length > 2),
  ]);
  if (/^[A-Z][a-z]+$/.test(first) && !/^[A-Z]/.test(second) && ordinary.has(first.toLowerCase()))
    words[0] = first.toLowerCase();
  return words.join(" ");
}

/** The harm test as a sentence: "Disclosure would be likely to prejudice the prevention or detection of crime." */
function harmSentence(
  entries: readonly Exemption[],
  application: ExemptionApplication,
  ncnd: boolean,
): string | null {
  const test = entries.find((entry) => entry.harm && entry.basis !== "class")?.harm;
  const harm = application.harm;
  if (!test || !harm || harm.interest.trim() === "") return null;
  const basis = entries.find((entry) => entry.harm)?.basis;
  const interest = continuingSentence(
    harm.interest,
    entries.map((entry) => entry.harm?.interest ?? "").join(" "),
  );
  if (basis === "necessity") return `Withholding the information ${test.verb} ${interest}.`;
  if (!harm.likelihood) return null;
  // Neither confirm nor deny: the harm is in the confirmation or denial itself (e.g. FOIA s.31(3)).
  const act = ncnd ? "Confirming or denying whether we hold the information" : "Disclosure";
  return `${act} ${likelihoodLabels[harm.likelihood]} ${test.verb} ${interest}.`;
}

function applicationBlocks(reply: Reply, application: ExemptionApplication): Block[] {
  const entries = application.exemptionIds.map(exemption).filter((entry) => entry !== undefined);
  if (entries.length === 0) return [];
  const blocks: Block[] = [];
  const citation = replyCitations({ ...reply, refusal: undefined, exemptions: [application] }).join("; ");
  blocks.push(heading(3, citation));
  const questions = application.questionNumbers;
  if (reply.questions.length > 1 && questions.length > 0) {
    const list = questions.map(String);
    const which =
      list.length === 1
        ? `question ${list[0]}`
        : `questions ${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
    blocks.push(paragraph(`This applies to ${which}.`));
  }
  for (const text of nonBlank(application.reasons)) blocks.push(paragraph(text));
  const opinion = application.qualifiedPersonOpinion;
  const entryWithOpinion = entries.find((entry) => entry.needsQualifiedPersonOpinion);
  if (opinion && entryWithOpinion?.harm) {
    const likelihood = opinion.likelihood ?? application.harm?.likelihood;
    const who = [opinion.name, opinion.role].filter((part) => part.trim() !== "").join(", ");
    blocks.push(
      paragraph(
        `The qualified person for the purposes of section 36 of the Act, ${who}, gave the opinion on ${formatLongDate(opinion.date)} that disclosure ${likelihood ? likelihoodLabels[likelihood] : "would, or would be likely to,"} ${entryWithOpinion.harm.verb} ${entryWithOpinion.harm.interest}.`,
      ),
    );
  }
  const sentence = harmSentence(entries, application, isNcndApplication(reply, application));
  if (sentence) blocks.push(lead("Harm test:", sentence));
  for (const text of nonBlank(application.harm?.reasoning)) blocks.push(paragraph(text));
  if (isNcndApplication(reply, application) && reply.regime === "foisa") {
    blocks.push(
      paragraph(
        "Under section 18(1) of the Act, revealing whether the information exists or is held would be contrary to the public interest.",
      ),
    );
  }
  blocks.push(...publicInterestBlocks(reply, application.publicInterest));
  return blocks;
}

function refusalBlocks(reply: Reply): Block[] {
  const refusal = reply.refusal;
  if (!refusal) return [];
  const regime = reply.regime;
  const rule = proceduralRefusal(regime, refusal.ground);
  const blocks: Block[] = [heading(3, rule.printed)];
  for (const text of nonBlank(refusal.reasons)) blocks.push(paragraph(text));
  if (refusal.ground === "cost" && refusal.estimate && refusal.estimate.lines.length > 0) {
    const estimate = refusal.estimate;
    const rate = costRules[regime].hourlyRatePence;
    const hours = estimate.lines.reduce((sum, line) => sum + line.hours, 0);
    const cost = costOfHours(regime, hours);
    blocks.push({
      kind: "table",
      caption: "Estimate of the time needed to comply with the request",
      columns: ["Activity", "How the time is estimated", "Hours"],
      rows: [
        ...estimate.lines.map((line) => [
          costActivityLabels[line.activity],
          line.basis,
          formatHours(line.hours),
        ]),
        ["Total", "", formatHours(hours)],
      ],
    });
    if (regime === "foia") {
      const limit = estimate.limitPence ? ` of ${formatPence(estimate.limitPence)}` : "";
      blocks.push(
        paragraph(
          `At ${formatPence(rate)} an hour, the rate set by regulation 4(4) of the Freedom of Information and Data Protection (Appropriate Limit and Fees) Regulations 2004, the estimated cost is ${formatPence(cost)}, which exceeds the appropriate limit${limit}.`,
        ),
      );
    } else if (regime === "foisa") {
      blocks.push(
        paragraph(
          `At no more than ${formatPence(rate)} an hour for staff time, as regulation 3 of the Freedom of Information (Fees for Required Disclosure) (Scotland) Regulations 2004 allows, the projected cost is ${formatPence(cost)}, which exceeds the prescribed amount of ${formatPence(estimate.limitPence ?? 60_000)}.`,
        ),
      );
    } else if (regime === "eisr") {
      // EISR reg 8 allows only a reasonable charge, with no limit: the FOISA fees rate is a guide only.
      blocks.push(
        paragraph(
          `At ${formatPence(rate)} an hour, the estimated cost is ${formatPence(cost)}. The Regulations set no cost limit, but we have used the rate for staff time in the Freedom of Information (Fees for Required Disclosure) (Scotland) Regulations 2004 as a guide to the burden of complying.`,
        ),
      );
    } else {
      blocks.push(
        paragraph(
          `At ${formatPence(rate)} an hour, the estimated cost is ${formatPence(cost)}. The Regulations set no cost limit, but we have used the hourly rate in the Freedom of Information and Data Protection (Appropriate Limit and Fees) Regulations 2004 as a guide to the burden of complying.`,
        ),
      );
    }
    if (estimate.aggregatedRequests.length > 0) {
      const references = estimate.aggregatedRequests.map((request) => request.reference).join(", ");
      blocks.push(
        paragraph(
          regime === "foia"
            ? `We have added the cost of your related requests (${references}), which seek the same or similar information and were received within 60 consecutive working days, as regulation 5 of those Regulations allows.`
            : `We have considered the burden of this request together with your related requests (${references}).`,
        ),
      );
    }
  }
  blocks.push(...publicInterestBlocks(reply, refusal.publicInterest));
  return blocks;
}

function notHeldBlocks(reply: Reply): Block[] {
  const blocks: Block[] = [];
  reply.questions.forEach((question, i) => {
    const explanation = question.notHeldExplanation?.trim();
    if (question.decision !== "not-held" || !explanation) return;
    blocks.push(
      heading(
        3,
        reply.questions.length > 1 ? `Question ${i + 1}: information not held` : "Information not held",
      ),
    );
    blocks.push(paragraph(explanation));
  });
  return blocks;
}

function disclosureBlocks(reply: Reply): Block[] {
  const blocks: Block[] = [];
  const attachments: string[] = [];
  for (const block of reply.disclosure) {
    if (block.kind === "text") {
      if (block.text.trim() !== "") blocks.push(paragraph(block.text));
    } else if (block.kind === "table") {
      blocks.push({ kind: "table", caption: block.caption, columns: block.columns, rows: block.rows });
    } else {
      attachments.push(block.description.trim() ? `${block.fileName}: ${block.description}` : block.fileName);
    }
  }
  if (attachments.length > 0) {
    blocks.push(
      paragraph(
        attachments.length === 1 ? "The following file is attached:" : "The following files are attached:",
      ),
    );
    blocks.push({ kind: "list", ordered: false, items: attachments });
  }
  if (blocks.length === 0)
    blocks.push(
      paragraph(
        reply.review
          ? "No further information is disclosed with this response."
          : "No information is disclosed with this response.",
      ),
    );
  return blocks;
}

/** The blocks of the reply, from the reference line to the complaint rights. */
export function replyBlocks(reply: Reply): Block[] {
  const blocks: Block[] = [heading(1, replyTitle(reply)), paragraph(requestRestatement)];
  blocks.push({ kind: "list", ordered: true, items: reply.questions.map((question) => question.text) });
  if (reply.review) blocks.push(...reviewBlocks(reply.review));

  blocks.push(paragraph(decisionSentence(reply)));
  const citations = replyCitations(reply);
  if (citations.length > 0 && decisionSentence(reply).endsWith(":")) {
    blocks.push({ kind: "list", ordered: false, items: citations });
  }
  const decisions = reply.questions.map((question) => question.decision);
  if (reply.questions.length > 1 && new Set(decisions).size > 1) {
    blocks.push(paragraph("The decision on each question is:"));
    blocks.push({
      kind: "list",
      ordered: false,
      items: decisions.map((decision, i) => `Question ${i + 1}: ${decisionLabels[decision].toLowerCase()}`),
    });
  }
  if (reply.subjectAccessReference?.trim()) {
    blocks.push(
      paragraph(
        `Your request includes your own personal data. We are dealing with that part as a subject access request under Article 15 of the UK General Data Protection Regulation (reference ${reply.subjectAccessReference.trim()}), and will reply to it separately.`,
      ),
    );
  }

  const reasons = [
    ...nonBlank(reply.reasons).map(paragraph),
    ...refusalBlocks(reply),
    ...reply.exemptions.flatMap((application) => applicationBlocks(reply, application)),
    ...notHeldBlocks(reply),
  ];
  if (reasons.length > 0) blocks.push(heading(2, sectionHeadings.reasons), ...reasons);

  blocks.push(heading(2, sectionHeadings.disclosure), ...disclosureBlocks(reply));

  const advice = reply.advice.filter((item) => item.text.trim() !== "");
  if (advice.length > 0) {
    blocks.push(heading(2, sectionHeadings.advice));
    for (const item of advice) {
      blocks.push(paragraph(item.text));
      if (item.link)
        blocks.push({ kind: "paragraph", runs: [{ text: item.link.text, href: item.link.url }] });
    }
  }

  blocks.push(heading(2, sectionHeadings.complaints));
  // After the review only the regulator is left: FOIA s.50 (the Information Commissioner; EIR reg 18), FOISA
  // s.47(1) (the Scottish Information Commissioner; EISR reg 17) and, in Scotland, s.56.
  const rights = complaintRightsText[reply.regime];
  for (const item of reply.review ? rights.slice(1) : rights) {
    blocks.push(paragraph(item.text));
    if (item.link) blocks.push({ kind: "paragraph", runs: [{ text: item.link.text, href: item.link.url }] });
  }
  return blocks;
}

function formatHours(hours: number): string {
  return Number.isInteger(hours) ? String(hours) : hours.toFixed(2).replace(/0$/, "");
}

/** The text of a block's runs. */
export function runsText(runs: readonly Run[]): string {
  return runs.map((run) => run.text).join("");
}
