import type { PreferredFormat } from "../db/index.ts";
import { isSubjectAccess, type RegimeRule, regimeRule } from "../law/index.ts";
import { type Block, escapeHtml, formatLongDate, type Letter, textRuns } from "../responses/index.ts";
import type { OutboundMessage } from "./outbound.ts";

// The acknowledgement a requester receives when their request is logged: reference, due date, what they
// asked, and the private tracking link, by email or, to a postal address, as a letter. Pure: everything
// comes in as arguments.

export interface AcknowledgementInput {
  authorityName: string;
  requestId: number;
  reference: string;
  regime: "foia" | "eir" | "foisa" | "eisr" | "sar";
  requesterName: string;
  email: string;
  receivedDate: string;
  dueDate: string | null;
  body: string;
  preferredFormat: PreferredFormat | null;
  trackingUrl: string;
}

export const preferredFormatLabels: Record<PreferredFormat, string> = {
  electronic: "An electronic copy, by email",
  paper: "A paper copy, by post",
  inspection: "To inspect the information in person",
  summary: "A summary or digest of the information",
};

/** The law a request is handled under (the law's title); a Scottish authority's environmental request is an EISR one. */
export function regimeTitle(regime: AcknowledgementInput["regime"]): string {
  const rule = regimeRule(regime)!;
  return isSubjectAccess(regime)
    ? `the ${rule.law.title} (a subject access request)`
    : `the ${rule.law.title}`;
}

/** The regime's time limit in words, from the law's rule: "20 working days", "one month". */
function limitWords(rule: RegimeRule): string {
  if (rule.unit === "calendar") return rule.limit === 1 ? "one month" : `${rule.limit} months`;
  return `${rule.limit} working days`;
}

function timeLimit(input: Pick<AcknowledgementInput, "dueDate" | "regime">): string[] {
  const when = input.dueDate ? `We will reply by ${formatLongDate(input.dueDate)}.` : "";
  const rule = regimeRule(input.regime)!;
  const extended = rule.limit + (rule.extension?.maxLength ?? 0);
  switch (input.regime) {
    case "sar":
      return [
        `${when} The law gives us ${limitWords(rule)} to reply.`.trim(),
        "We may need to check who you are before we can send you personal information. If we ask for proof of identity, the month starts when we have it.",
      ];
    case "eir":
      return [
        `${when} The law gives us ${limitWords(rule)} to reply, or ${extended} if the request is both complex and voluminous (we will tell you if so).`.trim(),
      ];
    case "eisr":
      // EISR reg 5(2)(a), reg 7: 40 working days where volume and complexity make 20 impracticable.
      return [
        `${when} The law gives us ${limitWords(rule)} to reply, or ${extended} if the volume and complexity of the information make that impracticable (we will tell you if so within the first ${rule.limit}).`.trim(),
      ];
    default:
      return [`${when} The law gives us ${limitWords(rule)} to reply.`.trim()];
  }
}

/** What the acknowledgement says, whether it goes by email or as a letter: one wording for both. */
function acknowledgementWording(input: Omit<AcknowledgementInput, "email" | "requestId">) {
  return {
    subject: `We have received your request ${input.reference}`,
    salutation: `Dear ${input.requesterName || "requester"},`,
    opening: `Thank you for your request, which we received on ${formatLongDate(input.receivedDate)} and are handling under ${regimeTitle(input.regime)}. Your reference is ${input.reference}.`,
    limit: timeLimit(input),
    format: input.preferredFormat
      ? `You asked to receive the information as: ${preferredFormatLabels[input.preferredFormat].toLowerCase()}.`
      : null,
    asked: "What you asked for:",
    track:
      "You can see where your request is, read our reply and ask for an internal review at this private link:",
    keepPrivate: "Anyone with this link can see your request, so do not share it.",
    quote: `Please quote ${input.reference} if you contact us about this request.`,
  };
}

export function acknowledgementMessage(input: AcknowledgementInput): OutboundMessage {
  const words = acknowledgementWording(input);
  const { opening, format, track, keepPrivate, subject } = words;
  const limit = words.limit;
  const text = [
    words.salutation,
    "",
    opening,
    "",
    ...limit.flatMap((line) => [line, ""]),
    ...(format ? [format, ""] : []),
    words.asked,
    "",
    ...input.body.split(/\r?\n/).map((line) => `  ${line}`),
    "",
    track,
    input.trackingUrl,
    keepPrivate,
    "",
    words.quote,
    "",
    input.authorityName,
    "",
  ].join("\n");
  const paragraph = (words: string) => `<p>${escapeHtml(words)}</p>`;
  const html = [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8"><title>',
    escapeHtml(subject),
    '</title></head><body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5">',
    paragraph(words.salutation),
    paragraph(opening),
    ...limit.map(paragraph),
    ...(format ? [paragraph(format)] : []),
    paragraph(words.asked),
    `<blockquote style="white-space: pre-wrap; border-left: 4px solid #b1b4b6; margin: 0; padding-left: 12px">${escapeHtml(input.body)}</blockquote>`,
    paragraph(track),
    `<p><a href="${escapeHtml(input.trackingUrl)}">${escapeHtml(input.trackingUrl)}</a></p>`,
    paragraph(keepPrivate),
    paragraph(words.quote),
    paragraph(input.authorityName),
    "</body></html>",
  ].join("\n");
  return { to: input.email, subject, text, html, kind: "acknowledgement", requestId: input.requestId };
}

/**
 * The acknowledgement as a letter, for a requester who gave a postal address and no email: the same words
 * as the email, on the authority's letterhead (rendered as PDF and Word like a reply), dated `date`.
 */
export function acknowledgementLetter(
  input: Omit<AcknowledgementInput, "email" | "requestId"> & { address: string },
  date: string,
): Letter {
  const words = acknowledgementWording(input);
  const paragraph = (text: string): Block => ({ kind: "paragraph", runs: textRuns(text) });
  const asked = input.body
    .split(/\r?\n\s*\r?\n/)
    .map((text) => text.trim())
    .filter((text) => text !== "");
  return {
    title: words.subject,
    subject: "Acknowledgement of a request for information",
    reference: input.reference,
    date,
    requester: { name: input.requesterName, address: input.address },
    blocks: [
      { kind: "heading", level: 1, text: `Your request ${input.reference}` },
      paragraph(words.opening),
      ...words.limit.map(paragraph),
      ...(words.format ? [paragraph(words.format)] : []),
      paragraph(words.asked),
      ...asked.map(paragraph),
      paragraph(words.track),
      paragraph(input.trackingUrl),
      paragraph(words.keepPrivate),
      paragraph(words.quote),
    ],
  };
}
