import { z } from "zod";
import type { PreferredFormat } from "../../db/index.ts";
import { preferredFormats, requesterTypeLabels, requesterTypes } from "../../requests/index.ts";
import { formText, optionalFormText } from "../schemas.ts";
import { type RequestRoute, requestRoutes } from "./authority.ts";

// The request form as data: which question pages each route asks, in order, and how each page's answers are
// checked. Answers are kept as the text typed, in the draft, until the check-your-answers page sends them.

export const questionPages = ["information", "format", "name", "contact", "about-you"] as const;
export type QuestionPage = (typeof questionPages)[number];

/** A subject access request needs no s.11 format or requester type: it is about the person themselves. */
export const pagesFor: Record<RequestRoute, readonly QuestionPage[]> = {
  foi: ["information", "format", "name", "contact", "about-you"],
  eir: ["information", "format", "name", "contact", "about-you"],
  sar: ["information", "name", "contact"],
};

export { preferredFormats };

export const preferredFormatChoices: Record<PreferredFormat, { text: string; hint: string }> = {
  electronic: { text: "An electronic copy, by email", hint: "For example a PDF or a spreadsheet" },
  paper: { text: "A paper copy, by post", hint: "" },
  inspection: { text: "Look at the information in person", hint: "We will arrange a time with you" },
  summary: { text: "A summary of the information", hint: "We may charge for making a summary" },
};

/** "Prefer not to say" is offered apart, after the others (GOV.UK's "or" divider). */
export const requesterTypeChoices = requesterTypes
  .filter((type) => type !== "not-given")
  .map((type) => ({ value: type, text: requesterTypeLabels[type] }));
export const preferNotToSay = { value: "not-given", text: "Prefer not to say" } as const;

export const kindForm = z.object({
  kind: z.enum(requestRoutes, { error: "Select what you want to ask for" }),
});

const emailFormat = z.email();

/** An optional choice: nothing chosen (absent, or sent empty) is no answer. */
const unanswered = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema);

export const pageForms = {
  information: z.object({
    description: formText("Enter the information you want", {
      max: 50_000,
      maxMessage: "The information you want must be 50,000 characters or fewer",
    }),
  }),
  format: z.object({
    format: unanswered(z.enum([...preferredFormats, "none"]).optional()),
  }),
  name: z.object({
    name: formText("Enter your full name", {
      max: 200,
      maxMessage: "Your name must be 200 characters or fewer",
    }),
  }),
  contact: z
    .object({
      email: z.string().trim().max(320, "Your email address must be 320 characters or fewer").optional(),
      address: z.string().trim().max(1000, "Your address must be 1,000 characters or fewer").optional(),
    })
    .superRefine((answers, context) => {
      // FOIA s.8(1)(b): an address for correspondence, which may be an email address (s.8(2)).
      if (!answers.email && !answers.address)
        context.addIssue({
          code: "custom",
          path: ["email"],
          message: "Enter an email address or a postal address",
        });
      else if (answers.email && !emailFormat.safeParse(answers.email).success)
        context.addIssue({
          code: "custom",
          path: ["email"],
          message: "Enter an email address in the correct format, like name@example.com",
        });
    }),
  "about-you": z.object({
    organisation: optionalFormText({
      max: 200,
      maxMessage: "The organisation must be 200 characters or fewer",
    }),
    requesterType: unanswered(
      z.enum(requesterTypes, { error: "Select who you are from the list" }).optional(),
    ),
  }),
} satisfies Record<QuestionPage, z.ZodType>;

export type Answers = Record<string, string>;

/** What a page's valid answers are kept as in the draft (only what that page asks; choices made exclusive). */
export function answersFrom(page: QuestionPage, parsed: Record<string, unknown>): Answers {
  switch (page) {
    case "contact":
      return { email: String(parsed.email ?? ""), address: String(parsed.address ?? "") };
    case "format":
      return { format: parsed.format && parsed.format !== "none" ? String(parsed.format) : "none" };
    case "about-you":
      return {
        organisation: String(parsed.organisation ?? ""),
        requesterType: String(parsed.requesterType ?? ""),
      };
    case "information":
      return { description: String(parsed.description) };
    case "name":
      return { name: String(parsed.name) };
  }
}

export function nextPath(route: RequestRoute, page: QuestionPage): string {
  const pages = pagesFor[route];
  const next = pages[pages.indexOf(page) + 1];
  return `/request/${route}/${next ?? "check"}`;
}

export function previousPath(route: RequestRoute, page: QuestionPage | "check"): string {
  const pages = pagesFor[route];
  if (page === "check") return `/request/${route}/${pages.at(-1)}`;
  const previous = pages[pages.indexOf(page) - 1];
  return previous ? `/request/${route}/${previous}` : "/request";
}

export interface CompleteAnswers {
  description: string;
  preferredFormat: PreferredFormat | null;
  name: string;
  email: string | null;
  address: string | null;
  organisation: string | null;
  requesterType: (typeof requesterTypes)[number] | null;
}

/** Every page's answers checked again before sending: the first page still missing something, or the whole. */
export function completeAnswers(
  route: RequestRoute,
  answers: Answers,
): { ok: true; answers: CompleteAnswers } | { ok: false; missing: QuestionPage } {
  // An optional question left unanswered is kept as "", which is no answer at all.
  const given = Object.fromEntries(Object.entries(answers).filter(([, value]) => value !== ""));
  for (const page of pagesFor[route]) {
    if (!pageForms[page].safeParse(given).success) return { ok: false, missing: page };
  }
  const format = answers.format;
  const type = answers.requesterType;
  return {
    ok: true,
    answers: {
      description: (answers.description ?? "").trim(),
      preferredFormat:
        route !== "sar" && (preferredFormats as readonly string[]).includes(format ?? "")
          ? (format as PreferredFormat)
          : null,
      name: (answers.name ?? "").trim(),
      email: answers.email?.trim() || null,
      address: answers.address?.trim() || null,
      organisation: route !== "sar" && answers.organisation ? answers.organisation : null,
      requesterType:
        route !== "sar" && (requesterTypes as readonly string[]).includes(type ?? "")
          ? (type as CompleteAnswers["requesterType"])
          : null,
    },
  };
}
