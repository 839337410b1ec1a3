// Masking personal data before anything reaches the disclosure log. Pure: the text and the rules come in,
// the masked text (or the masked spans, for the preview) go out. What is masked:
// - the requester's name (whole, and each part of a person's name), email, address and organisation;
// - any email address, UK phone number, National Insurance number or UK postcode (UK GDPR Art. 4(1): any
//   of them can identify a living person), except the authority's own published contact details;
// - the phrases officers add to one request, and the phrases and patterns managers keep for every request.
// Masking errs on the side of hiding: a false match costs a word, a missed one a data breach.

import {
  emailPattern,
  findUkPhones,
  niNumberPattern,
  phraseRegExp,
  postcodePattern,
  regExpMatches,
} from "../files/index.ts";

export type MaskKind =
  | "requester-name"
  | "requester-email"
  | "requester-address"
  | "requester-organisation"
  | "request-redaction"
  | "authority-rule"
  | "email"
  | "phone"
  | "ni-number"
  | "postcode";

export const maskKindLabels: Record<MaskKind, string> = {
  "requester-name": "The requester's name",
  "requester-email": "The requester's email address",
  "requester-address": "The requester's address",
  "requester-organisation": "The requester's organisation",
  "request-redaction": "Redaction added to this request",
  "authority-rule": "Authority-wide redaction rule",
  email: "An email address",
  phone: "A UK phone number",
  "ni-number": "A National Insurance number",
  postcode: "A UK postcode",
};

/** What the public sees in place of a masked span. */
export const REDACTED = "[redacted]";

export interface Mask {
  start: number;
  end: number;
  kind: MaskKind;
  /** Why, in words for the preview: the kind's label, or the reason given with the redaction or rule. */
  reason: string;
}

export interface RequesterIdentifiers {
  name: string;
  email?: string | null | undefined;
  address?: string | null | undefined;
  organisation?: string | null | undefined;
  /** A person (each part of the name is masked too) rather than a company or a campaign group. */
  individual: boolean;
}

export interface RedactionRuleInput {
  kind: "phrase" | "pattern";
  pattern: string;
  reason: string;
}

export interface RedactionInput {
  requester?: RequesterIdentifiers | undefined;
  requestRedactions?: readonly { phrase: string; reason: string }[];
  rules?: readonly RedactionRuleInput[];
  /** The authority's own contact details (email, phone, postcode), left in place where a pattern finds them. */
  keep?: readonly string[];
}

type Finder = (text: string) => Iterable<[number, number]>;

interface Matcher {
  kind: MaskKind;
  reason: string;
  find: Finder;
  /** Pattern matches (not the requester's own details, not a redaction someone asked for) honour `keep`. */
  generic: boolean;
}

export interface Redactor {
  readonly matchers: readonly Matcher[];
  readonly keep: ReadonlySet<string>;
}

function phraseFinder(phrase: string): Finder {
  const regex = phraseRegExp(phrase);
  return (text) => (regex ? regExpMatches(regex, text) : []);
}

const titles = new Set([
  "mr",
  "mrs",
  "ms",
  "miss",
  "mx",
  "dr",
  "prof",
  "professor",
  "sir",
  "dame",
  "lord",
  "lady",
  "cllr",
  "councillor",
  "rev",
  "revd",
  "reverend",
  "hon",
  "mp",
  "msp",
  "ms.",
  "mr.",
  "mrs.",
  "dr.",
]);

/** The parts of a person's name worth masking on their own: not titles, not initials. */
export function nameParts(name: string): string[] {
  return name
    .split(/[\s,]+/)
    .map((part) => part.replace(/^[^\p{L}]+|[^\p{L}'’-]+$/gu, ""))
    .filter((part) => part.length >= 2 && !titles.has(part.toLowerCase()));
}

/** Address parts to mask: the whole address, and each line or comma-separated part that is more than a town. */
export function addressParts(address: string): string[] {
  const parts = address
    .split(/[\n,]+/)
    .map((part) => part.trim())
    .filter((part) => part.split(/\s+/).length >= 2 || /\d/.test(part));
  const whole = address.trim().replace(/\s+/g, " ");
  return [...new Set([whole, ...parts])].filter((part) => part.length >= 3);
}

/** Why a redaction rule cannot be used, or null when it can. */
export function ruleProblem(rule: { kind: "phrase" | "pattern"; pattern: string }): string | null {
  const pattern = rule.pattern.trim();
  if (pattern === "") return "Enter the phrase or pattern to mask";
  if (pattern.length > 500) return "Keep the phrase or pattern under 500 characters";
  if (rule.kind === "phrase") return null;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, "giu");
  } catch (error) {
    return `The pattern is not a valid regular expression: ${(error as Error).message}`;
  }
  if (regex.test("")) return "The pattern matches empty text; make it match at least one character";
  return null;
}

/** The matchers for one request, strongest first (when spans overlap, the first matcher names the mask). */
export function createRedactor(input: RedactionInput): Redactor {
  const matchers: Matcher[] = [];
  const requester = input.requester;
  const phrase = (kind: MaskKind, text: string | null | undefined, reason = maskKindLabels[kind]) => {
    if (text && text.trim().length >= 2)
      matchers.push({ kind, reason, find: phraseFinder(text), generic: false });
  };
  if (requester) {
    phrase("requester-email", requester.email);
    phrase("requester-name", requester.name);
    if (requester.individual) for (const part of nameParts(requester.name)) phrase("requester-name", part);
    phrase("requester-organisation", requester.organisation);
    if (requester.address)
      for (const part of addressParts(requester.address)) phrase("requester-address", part);
  }
  for (const redaction of input.requestRedactions ?? [])
    phrase("request-redaction", redaction.phrase, redaction.reason || maskKindLabels["request-redaction"]);
  for (const rule of input.rules ?? []) {
    if (ruleProblem(rule)) continue;
    const reason = rule.reason || maskKindLabels["authority-rule"];
    if (rule.kind === "phrase") phrase("authority-rule", rule.pattern, reason);
    else {
      const regex = new RegExp(rule.pattern.trim(), "giu");
      matchers.push({
        kind: "authority-rule",
        reason,
        find: (text) => regExpMatches(regex, text),
        generic: false,
      });
    }
  }
  const pattern = (kind: MaskKind, regex: RegExp) =>
    matchers.push({
      kind,
      reason: maskKindLabels[kind],
      find: (text) => regExpMatches(regex, text),
      generic: true,
    });
  pattern("email", emailPattern);
  pattern("ni-number", niNumberPattern);
  matchers.push({ kind: "phone", reason: maskKindLabels.phone, find: findUkPhones, generic: true });
  pattern("postcode", postcodePattern);
  return { matchers, keep: new Set((input.keep ?? []).map(keepKey).filter((key) => key.length > 0)) };
}

/** Contact details compare without case or spacing (a phone number by its digits). */
function keepKey(text: string): string {
  const compact = text.toLowerCase().replace(/[\s\u00a0]+/g, "");
  return /^[+\d().-]+$/.test(compact) ? compact.replace(/\D/g, "").replace(/^44/, "0") : compact;
}

/** Text that may be shown in place of a span only in the preview: never the private-use markers. */
export function stripMarkers(text: string): string {
  return text.replace(/[\uE000-\uE00F]/g, "");
}

/** Every span to mask in `text`, in order, overlapping matches merged (the strongest matcher names it). */
export function findMasks(text: string, redactor: Redactor): Mask[] {
  const found: (Mask & { rank: number })[] = [];
  redactor.matchers.forEach((matcher, rank) => {
    for (const [start, end] of matcher.find(text)) {
      if (matcher.generic && redactor.keep.has(keepKey(text.slice(start, end)))) continue;
      found.push({ start, end, kind: matcher.kind, reason: matcher.reason, rank });
    }
  });
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);
  const merged: (Mask & { rank: number })[] = [];
  for (const mask of found) {
    const last = merged.at(-1);
    if (last && mask.start < last.end) {
      if (mask.end > last.end) last.end = mask.end;
      if (mask.rank < last.rank)
        Object.assign(last, { kind: mask.kind, reason: mask.reason, rank: mask.rank });
      continue;
    }
    merged.push({ ...mask });
  }
  return merged.map(({ rank: _rank, ...mask }) => mask);
}

export interface Segment {
  text: string;
  mask?: Mask;
}

/** The text cut into plain and masked segments, for the preview. */
export function segments(text: string, redactor: Redactor): Segment[] {
  const clean = stripMarkers(text);
  const result: Segment[] = [];
  let at = 0;
  for (const mask of findMasks(clean, redactor)) {
    if (mask.start > at) result.push({ text: clean.slice(at, mask.start) });
    result.push({ text: clean.slice(mask.start, mask.end), mask });
    at = mask.end;
  }
  if (at < clean.length) result.push({ text: clean.slice(at) });
  return result;
}

/**
 * The text as the public sees it. Masking runs again until nothing more is found, so no replacement can join
 * what is left into something that should have been masked.
 */
export function maskText(text: string, redactor: Redactor): string {
  let current = stripMarkers(text);
  for (let pass = 0; pass < 4; pass++) {
    const masks = findMasks(current, redactor);
    if (masks.length === 0) return current;
    let next = "";
    let at = 0;
    for (const mask of masks) {
      next += current.slice(at, mask.start) + REDACTED;
      at = mask.end;
    }
    current = next + current.slice(at);
  }
  return current;
}

/** How many spans masking `text` would hide. */
export function countMasks(text: string, redactor: Redactor): number {
  return findMasks(stripMarkers(text), redactor).length;
}
