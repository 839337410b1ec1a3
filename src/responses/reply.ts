import { z } from "zod";
import { parseInput } from "../errors.ts";
import { costActivities, informationRegimes, likelihoods, reviewOutcomes } from "../law/index.ts";

// The structured reply to a request: one record from which the web page, the PDF letter, the Word document
// and the email are all rendered. The schema describes a draft (what can be saved while a case officer is
// still writing it: texts may be empty, reasoning may be missing); `validateReply` says what a draft lacks
// before it can be approved and sent.

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const length = month === 2 && leap ? 29 : (monthLengths[month - 1] ?? 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= length;
}

const isoDate = z
  .string({ error: "Enter a date" })
  .trim()
  .refine(isIsoDate, { error: "Enter a real date, like 2026-03-12" });

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `Keep this under ${max.toLocaleString("en-GB")} characters` });
const shortText = text(500);
const paragraph = text(20_000);
const paragraphs = z.array(paragraph).max(200).default([]);

/** A web address a reply may link to: http or https only, so a link can never run script. */
const webAddress = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => /^https?:\/\/[^\s<>"]+$/i.test(value), {
    error: "Enter a web address starting with https://",
  });

/** How each question is answered. "refused" is for a request refused whole (cost, vexatious, repeated). */
export const decisions = ["disclosed", "partly", "withheld", "not-held", "ncnd", "refused"] as const;
export type Decision = (typeof decisions)[number];
export const decisionLabels: Record<Decision, string> = {
  disclosed: "Disclosed",
  partly: "Partly disclosed",
  withheld: "Withheld",
  "not-held": "Not held",
  ncnd: "Neither confirmed nor denied",
  refused: "Refused",
};

export const questionSchema = z.object({
  text: text(5000).min(1, { error: "Enter the question" }),
  decision: z.enum(decisions, { error: "Choose a decision for the question" }),
  /** EIR reg 12(9): information on emissions cannot be refused under reg 12(5)(d)–(g). */
  concernsEmissions: z.boolean().default(false),
  /** The question asks for the requester's own personal data (which is subject access, not FOI). */
  requestersOwnData: z.boolean().default(false),
  /** What was searched and why nothing was found (for a "not held" answer). */
  notHeldExplanation: paragraph.optional(),
});
export type Question = z.infer<typeof questionSchema>;

export const harmSchema = z.object({
  /** The protected interest, e.g. "the prevention or detection of crime". */
  interest: shortText.default(""),
  likelihood: z.enum(likelihoods).optional(),
  /** The evidence and reasoning that link disclosure to the harm. */
  reasoning: paragraphs,
});
export type Harm = z.infer<typeof harmSchema>;

export const publicInterestSchema = z.object({
  favouringDisclosure: paragraphs,
  favouringWithholding: paragraphs,
  /** The conclusion: which way the balance falls and why. */
  balance: paragraph.default(""),
});
export type PublicInterest = z.infer<typeof publicInterestSchema>;

/** FOIA s.36(2): the qualified person's reasonable opinion, recorded before the reply is sent. */
export const qualifiedPersonOpinionSchema = z.object({
  name: shortText.default(""),
  role: shortText.default(""),
  date: isoDate,
  likelihood: z.enum(likelihoods).optional(),
});
export type QualifiedPersonOpinion = z.infer<typeof qualifiedPersonOpinionSchema>;

/**
 * One or more catalogue entries of one section applied together to some questions, with one set of reasons:
 * s.31(1)(a) and (b) argued together print as "Section 31(1)(a)(b) Law enforcement".
 */
export const exemptionApplicationSchema = z.object({
  exemptionIds: z.array(z.string().trim().min(1)).min(1, { error: "Choose an exemption" }).max(20),
  /** 1-based question numbers. */
  questionNumbers: z.array(z.number().int().min(1)).max(100).default([]),
  /** Cited in the alternative (FOIA s.23 or s.24), so as not to reveal which applies. */
  alternative: z.boolean().default(false),
  /** Why the exemption applies (s.17(1)(c)): for a class-based exemption, what makes the information fall in the class. */
  reasons: paragraphs,
  harm: harmSchema.optional(),
  publicInterest: publicInterestSchema.optional(),
  qualifiedPersonOpinion: qualifiedPersonOpinionSchema.optional(),
});
export type ExemptionApplication = z.infer<typeof exemptionApplicationSchema>;

export const costLineSchema = z.object({
  activity: z.enum(costActivities, { error: "Choose the activity" }),
  /** How the hours are reached, e.g. "420 files at about ten minutes each". */
  basis: paragraph.default(""),
  hours: z.number().min(0).max(100_000),
});
export type CostLine = z.infer<typeof costLineSchema>;

export const costEstimateSchema = z.object({
  lines: z.array(costLineSchema).max(50).default([]),
  /** The authority's appropriate limit as the reply states it (FOIA reg 3: £450 or £600; FOISA reg 5: £600). */
  limitPence: z.number().int().positive().optional(),
  /** Other requests aggregated with this one (FOIA: Appropriate Limit and Fees Regulations 2004 reg 5). */
  aggregatedRequests: z
    .array(z.object({ reference: shortText.min(1), receivedDate: isoDate }))
    .max(50)
    .default([]),
});
export type CostEstimate = z.infer<typeof costEstimateSchema>;

export const refusalSchema = z.discriminatedUnion("ground", [
  z.object({
    ground: z.literal("cost"),
    estimate: costEstimateSchema.optional(),
    reasons: paragraphs,
    /** EIR reg 12(4)(b) only: the public-interest test applies. */
    publicInterest: publicInterestSchema.optional(),
  }),
  z.object({
    ground: z.literal("vexatious"),
    reasons: paragraphs,
    publicInterest: publicInterestSchema.optional(),
  }),
  z.object({
    ground: z.literal("repeated"),
    previousRequest: z.object({ reference: shortText.default(""), answeredDate: isoDate }).optional(),
    reasons: paragraphs,
    publicInterest: publicInterestSchema.optional(),
  }),
]);
export type Refusal = z.infer<typeof refusalSchema>;

const answers = z.array(z.number().int().min(1)).max(100).default([]);

/** What is disclosed, in the order it appears under "Disclosure". */
export const disclosureBlockSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text"), text: paragraph, questionNumbers: answers }),
  z.object({
    kind: z.literal("table"),
    caption: shortText.default(""),
    columns: z.array(shortText).min(1).max(30),
    rows: z.array(z.array(shortText).max(30)).max(5000),
    questionNumbers: answers,
  }),
  z.object({
    kind: z.literal("attachment"),
    fileName: shortText.min(1, { error: "Enter the file name" }),
    description: shortText.default(""),
    questionNumbers: answers,
  }),
]);
export type DisclosureBlock = z.infer<typeof disclosureBlockSchema>;

/** FOIA s.16, EIR reg 9, FOISA s.15: advice and assistance, tagged by what it is for. */
export const advicePurposes = ["published-information", "narrowing", "subject-access", "other"] as const;
export type AdvicePurpose = (typeof advicePurposes)[number];

export const adviceSchema = z.object({
  purpose: z.enum(advicePurposes).default("other"),
  text: paragraph,
  link: z.object({ url: webAddress, text: shortText.min(1, { error: "Enter the link text" }) }).optional(),
});
export type Advice = z.infer<typeof adviceSchema>;

/**
 * The internal review's decision, when this is the review letter rather than the first reply (s.45 code of
 * practice (2018) part 5; EIR reg 11(4); FOISA s.21(4)-(5); EISR reg 16(4)): the questions, exemptions and
 * disclosure then say where the request stands after the review, and what is disclosed is newly disclosed.
 */
export const reviewDecisionSchema = z.object({
  /** The day the requester asked for the review. */
  requestedDate: isoDate,
  /** The date of the reply under review. */
  replyDate: isoDate,
  outcome: z.enum(reviewOutcomes, { error: "Choose the review decision" }).optional(),
  /** Why the reviewer reached the decision. */
  reasons: paragraphs,
  /** What happens next where the decision is overturned and nothing is disclosed with this letter. */
  nextSteps: paragraph.default(""),
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

export const replySchema = z.object({
  reference: shortText.min(1, { error: "Enter the reference" }),
  regime: z.enum(informationRegimes, { error: "Choose FOIA, EIR, FOISA or EISR" }),
  /** The date the reply is sent (and the letter is dated). */
  date: isoDate,
  receivedDate: isoDate,
  /** For the letter's address block and salutation only; never rendered on the web page. */
  requester: z.object({
    name: shortText.default(""),
    address: text(1000).optional(),
    email: shortText.optional(),
  }),
  questions: z.array(questionSchema).min(1, { error: "Add at least one question" }).max(100),
  exemptions: z.array(exemptionApplicationSchema).max(50).default([]),
  refusal: refusalSchema.optional(),
  /** Opening paragraphs of "Reason for decision", before the exemption-by-exemption reasons. */
  reasons: paragraphs,
  disclosure: z.array(disclosureBlockSchema).max(200).default([]),
  advice: z.array(adviceSchema).max(50).default([]),
  /** Where a question is the requester's own data: the subject access request it has been logged as. */
  subjectAccessReference: shortText.optional(),
  /** Present on the internal review's letter only. */
  review: reviewDecisionSchema.optional(),
  /** Who signs the letter and the email (not shown on the web page). */
  signOff: z.object({ name: shortText.default(""), jobTitle: shortText.default("") }).optional(),
});
export type Reply = z.infer<typeof replySchema>;
export type ReplyInput = z.input<typeof replySchema>;

/** Parses a draft reply, throwing one `invalid` domain error naming each bad field. */
export function parseReply(input: unknown): Reply {
  return parseInput(replySchema, input);
}
