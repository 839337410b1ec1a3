import { z } from "zod";
import type { PreferredFormat } from "../db/index.ts";
import { regimeRule } from "../law/index.ts";
import { isoDate } from "./actions.ts";
import { type RequestRegime, requestRegimes } from "./workflow.ts";

// A new request as it arrives (staff log it from post, email or phone; the public form and the API send it),
// and the validity checks a request must pass before the clock means anything.

export { type RequestRegime, requestRegimes };

export const channels = ["web", "email", "post", "phone", "in-person", "api"] as const;

/** FOIA s.11(1): the means of communication a requester may ask for. */
export const preferredFormats = [
  "electronic",
  "paper",
  "inspection",
  "summary",
] as const satisfies readonly PreferredFormat[];

export const requesterTypes = [
  "public",
  "journalist",
  "mp-councillor",
  "business",
  "campaign-group",
  "researcher",
  "solicitor",
  "other",
  "not-given",
] as const;
export const requesterTypeLabels: Record<(typeof requesterTypes)[number], string> = {
  public: "Member of the public",
  journalist: "Journalist",
  "mp-councillor": "MP or councillor",
  business: "Business",
  "campaign-group": "Campaign group",
  researcher: "Researcher",
  solicitor: "Solicitor",
  other: "Other",
  // The requester chose not to say (or a form left it unanswered): not counted as a member of the public.
  "not-given": "Not given",
};

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `Keep this under ${max} characters` })
    .optional()
    .transform((text) => (text ? text : undefined));

export const requesterSchema = z.object({
  // Empty names and addresses are accepted here and recorded as an invalid request (FOIA s.8), not refused.
  name: z.string().trim().max(200, { error: "Keep the name under 200 characters" }).default(""),
  email: z
    .string()
    .trim()
    .max(320)
    .optional()
    .transform((text) => (text ? text : undefined))
    .pipe(
      z.email({ error: "Enter an email address in the correct format, like name@example.com" }).optional(),
    ),
  address: optionalText(1000),
  organisation: optionalText(200),
  type: z.enum(requesterTypes, { error: "Choose the kind of requester" }).default("public"),
});
export type RequesterInput = z.infer<typeof requesterSchema>;

export const newRequestSchema = z.object({
  regime: z.enum(requestRegimes, { error: "Choose FOIA, EIR, FOISA, EISR or subject access" }),
  channel: z.enum(channels, { error: "Choose how the request arrived" }),
  receivedDate: isoDate,
  body: z.string().trim().max(50_000, { error: "Keep the request under 50,000 characters" }).default(""),
  questions: z.array(z.string().trim().min(1).max(5000)).max(100).optional(),
  topic: optionalText(100),
  requester: requesterSchema,
  teamId: z.coerce.number().int().positive().optional(),
  assigneeId: z.coerce.number().int().positive().optional(),
});
export type NewRequestInput = z.input<typeof newRequestSchema>;
export type NewRequest = z.infer<typeof newRequestSchema>;

/** One reason a request is not valid: the field it is about, the reason recorded, and what to ask for. */
export interface ValidityProblem {
  field: "channel" | "requester.name" | "requester.email" | "body";
  /** As the request's record and history give it (citing the provision). */
  reason: string;
  /** As a form or the API asks the sender to put it right. */
  ask: string;
}

/**
 * Why a request is not valid, or an empty list: the one validity rule, for every channel. FOIA s.8(1) (and
 * FOISA s.8(1)): in writing, stating the applicant's name and an address for correspondence, and describing
 * the information; an email is in writing and its address will do (s.8(2)). EIR and EISR requests may be made
 * orally and need no name (EIR reg 5, EISR reg 5; ICO guidance). A subject access request needs enough to
 * find the person and reply to them (UK GDPR Art.15; ICO guidance).
 */
export function requestValidity(
  request: Pick<NewRequest, "regime" | "channel" | "body" | "requester">,
): ValidityProblem[] {
  const problems: ValidityProblem[] = [];
  const { regime, requester } = request;
  const hasAddress = Boolean(requester.email || requester.address);
  const rule = regimeRule(regime)!;
  const name = { field: "requester.name", ask: "Give the requester's name" } as const;
  const address = {
    field: "requester.email",
    ask: "Give an email address or a postal address for the reply",
  } as const;
  if (rule.kind === "foi") {
    if (request.channel === "phone" || request.channel === "in-person") {
      problems.push({
        field: "channel",
        reason: `A ${rule.shortName} s.8(1)(a) request must be made in writing`,
        ask: "Make the request in writing",
      });
    }
    if (!requester.name)
      problems.push({ ...name, reason: "The request does not state the requester's name (s.8(1)(b))" });
    if (!hasAddress)
      problems.push({ ...address, reason: "The request gives no address for correspondence (s.8(1)(b))" });
  }
  if (rule.kind === "sar") {
    if (!requester.name)
      problems.push({ ...name, reason: "A subject access request must say who the person is" });
    if (!hasAddress)
      problems.push({ ...address, reason: "A subject access request needs an address to reply to" });
  }
  if (rule.kind === "eir" && !hasAddress)
    problems.push({ ...address, reason: "The request gives no way to send a reply" });
  if (!request.body)
    problems.push({
      field: "body",
      reason: "The request does not describe the information requested (s.8(1)(c))",
      ask: "Describe the information requested",
    });
  return problems;
}

/** The reasons a request is not valid, as its record gives them (see requestValidity). */
export function validityProblems(request: NewRequest): string[] {
  return requestValidity(request).map((problem) => problem.reason);
}

/**
 * The numbered questions of a request: each numbered or bulleted line, else each sentence ending in a
 * question mark, else the whole text as one question.
 */
export function splitQuestions(body: string): string[] {
  const lines = body
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const numbered = lines.filter((line) => /^(\d+[.)]|[a-z][.)]|[-•*])\s+/i.test(line));
  if (numbered.length >= 2) return numbered.map((line) => line.replace(/^(\d+[.)]|[a-z][.)]|[-•*])\s+/i, ""));
  const asked = body
    .split(/(?<=\?)\s+/)
    .map((part) => part.trim())
    .filter((part) => part.endsWith("?"));
  if (asked.length >= 2) return asked;
  return body ? [body.trim()] : [];
}
