import { z } from "zod";
import { exemption, exemptions, proceduralRefusals } from "../law/index.ts";
import { formatLongDate } from "./dates.ts";
import type { Reply } from "./reply.ts";

// The library of reusable paragraphs: standard harm and public-interest arguments per exemption, advice texts
// and other stock wording that managers edit and officers insert and adapt. Pure data and functions; storing
// and editing the library is the back office's. Placeholders such as {{reference}} are filled when a
// paragraph is inserted into a reply.

export const paragraphKinds = [
  "harm",
  "public-interest-for",
  "public-interest-against",
  "advice",
  "other",
] as const;
export type ParagraphKind = (typeof paragraphKinds)[number];

export const paragraphKindLabels: Record<ParagraphKind, string> = {
  harm: "Harm test",
  "public-interest-for": "Public interest: favouring disclosure",
  "public-interest-against": "Public interest: favouring withholding",
  advice: "Advice and assistance",
  other: "Other wording",
};

/** The placeholders a paragraph may use, and what each is filled with. */
export const placeholders = {
  requesterName: "The requester's name",
  reference: "The request's reference",
  date: "The date of the reply, e.g. 12 March 2026",
  receivedDate: "The date the request was received",
  authorityName: "The authority's name",
} as const;
export type PlaceholderName = keyof typeof placeholders;

const placeholderPattern = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

function isPlaceholderName(name: string): name is PlaceholderName {
  return Object.hasOwn(placeholders, name);
}

/** The placeholder names used in `text`, each once, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(placeholderPattern)].map((match) => match[1] as string))];
}

export interface FilledText {
  text: string;
  /** Known placeholders with no value given: left in place for the officer to fill. */
  missing: PlaceholderName[];
  /** Names that are not placeholders: left in place, so a typo shows rather than vanishing. */
  unknown: string[];
}

/**
 * Fills placeholders in one pass. Values are inserted as plain text and never scanned again, so a value that
 * itself contains "{{reference}}" stays as written; escaping for HTML, PDF or Word happens when rendering.
 */
export function fillPlaceholders(text: string, values: Partial<Record<PlaceholderName, string>>): FilledText {
  const missing = new Set<PlaceholderName>();
  const unknown = new Set<string>();
  const filled = text.replace(placeholderPattern, (whole, name: string) => {
    if (!isPlaceholderName(name)) {
      unknown.add(name);
      return whole;
    }
    const value = values[name];
    if (value === undefined || value === "") {
      missing.add(name);
      return whole;
    }
    return value;
  });
  return { text: filled, missing: [...missing], unknown: [...unknown] };
}

/** The placeholder values for a reply (the authority's name comes from its settings). */
export function placeholderValues(
  reply: Reply,
  authorityName?: string,
): Partial<Record<PlaceholderName, string>> {
  return {
    requesterName: reply.requester.name || undefined,
    reference: reply.reference,
    date: formatLongDate(reply.date),
    receivedDate: formatLongDate(reply.receivedDate),
    authorityName,
  };
}

export const libraryParagraphSchema = z.object({
  /** Stable across edits; the seed's keys are "<exemption id>:<kind>[:n]" or "<topic>:<name>". */
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9:.-]*$/, { error: "Use lower-case letters, digits, '-', ':' and '.'" })
    .max(120),
  kind: z.enum(paragraphKinds, { error: "Choose what the paragraph is for" }),
  exemptionId: z
    .string()
    .trim()
    .optional()
    .refine(
      (id) => !id || exemption(id) !== undefined || proceduralRefusals.some((entry) => entry.id === id),
      {
        error: "Choose an exemption from the catalogue",
      },
    ),
  title: z.string().trim().min(1, { error: "Enter a title" }).max(200),
  text: z
    .string()
    .trim()
    .min(1, { error: "Enter the text" })
    .max(20_000)
    .superRefine((text, context) => {
      const unknown = placeholdersIn(text).filter((name) => !isPlaceholderName(name));
      if (unknown.length > 0) {
        context.addIssue({
          code: "custom",
          message: `Unknown placeholder ${unknown.map((name) => `{{${name}}}`).join(", ")}: use ${Object.keys(
            placeholders,
          )
            .map((name) => `{{${name}}}`)
            .join(", ")}`,
        });
      }
    }),
});
export type LibraryParagraph = z.infer<typeof libraryParagraphSchema>;

/** Stock wording not tied to one exemption. */
const standardParagraphs: LibraryParagraph[] = [
  {
    key: "advice:published",
    kind: "advice",
    title: "Information already published",
    text: "The information that answers this part of your request is already published on our website. A link is given below.",
  },
  {
    key: "advice:narrowing",
    kind: "advice",
    title: "Narrowing a request over the cost limit",
    text: "We may be able to answer a narrower request within the limit, for example one covering a shorter period, a single area or fewer categories of information. If you would like to send a revised request, please quote reference {{reference}}.",
  },
  {
    key: "advice:subject-access",
    kind: "advice",
    title: "Own personal data: subject access",
    text: "Your request includes your own personal data. You have a right to it under Article 15 of the UK General Data Protection Regulation, and we are dealing with that part as a subject access request, separately from this response.",
  },
  {
    key: "advice:other-authority",
    kind: "advice",
    title: "Held by another authority",
    text: "We do not hold this information, but it may be held by another public authority. You may wish to ask them for it directly.",
  },
  {
    key: "other:ncnd",
    kind: "other",
    title: "Neither confirm nor deny: what it means",
    text: "A response that neither confirms nor denies is given whether or not the information exists, so that the answer itself reveals nothing. It should not be read as a sign that the information you asked for is, or is not, held.",
  },
  {
    key: "other:release-to-the-world",
    kind: "other",
    title: "Disclosure is to the world",
    text: "Information disclosed under the Act is treated as disclosed to the world, not only to the person who asked for it, so we must consider the effect of making it available to anyone.",
  },
];

function exemptionParagraphs(): LibraryParagraph[] {
  const paragraphs: LibraryParagraph[] = [];
  for (const entry of exemptions) {
    const { harm, publicInterest, reasons } = entry.samples;
    if (harm) {
      paragraphs.push({
        key: `${entry.id}:harm`,
        kind: "harm",
        exemptionId: entry.id,
        title: `${entry.printed}: harm`,
        text: harm,
      });
    }
    publicInterest?.favouringDisclosure.forEach((text, i) => {
      paragraphs.push({
        key: `${entry.id}:public-interest-for:${i + 1}`,
        kind: "public-interest-for",
        exemptionId: entry.id,
        title: `${entry.printed}: for disclosure ${i + 1}`,
        text,
      });
    });
    publicInterest?.favouringWithholding.forEach((text, i) => {
      paragraphs.push({
        key: `${entry.id}:public-interest-against:${i + 1}`,
        kind: "public-interest-against",
        exemptionId: entry.id,
        title: `${entry.printed}: for withholding ${i + 1}`,
        text,
      });
    });
    if (reasons) {
      paragraphs.push({
        key: `${entry.id}:reasons`,
        kind: "other",
        exemptionId: entry.id,
        title: `${entry.printed}: why it applies`,
        text: reasons,
      });
    }
  }
  for (const refusal of proceduralRefusals) {
    paragraphs.push({
      key: `${refusal.id}:reasons`,
      kind: "other",
      // Tied to its law (by the exemption it uses, or its own id), so that a reply is offered its own
      // law's wording only: FOIA's s.14(1) and FOISA's are different paragraphs with the same title.
      exemptionId: refusal.exemptionId ?? refusal.id,
      title: `${refusal.printed}: reasons`,
      text: refusal.sample,
    });
  }
  return paragraphs;
}

/** The library a new authority starts with: the catalogue's samples and the stock wording. */
export const defaultParagraphLibrary: readonly LibraryParagraph[] = [
  ...standardParagraphs,
  ...exemptionParagraphs(),
];

/** The paragraphs that fit a place in a reply: of one kind, for one exemption (or for none). */
export function paragraphsFor(
  library: readonly LibraryParagraph[],
  filter: { kind?: ParagraphKind; exemptionId?: string },
): LibraryParagraph[] {
  return library.filter(
    (paragraph) =>
      (!filter.kind || paragraph.kind === filter.kind) &&
      (!filter.exemptionId || paragraph.exemptionId === filter.exemptionId),
  );
}
