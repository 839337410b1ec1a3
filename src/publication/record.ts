import { DomainError } from "../errors.ts";
import { phraseRegExp } from "../files/index.ts";
import {
  escapeHtml,
  type Reply,
  renderReplyHtml,
  replyBlocks,
  replyOutcome,
  runsText,
  sectionHeadings,
} from "../responses/index.ts";
import { exemptionFacet } from "./facets.ts";
import {
  addressParts,
  countMasks,
  type Mask,
  maskText,
  nameParts,
  type Redactor,
  type RequesterIdentifiers,
  segments,
} from "./redaction.ts";

// The published record of a reply, built from an allow-list: each field the public may see is copied (and its
// text masked) one by one; nothing is published by deleting fields from a request or a reply, so a field added
// to either tomorrow stays private until someone adds it here. Never copied: the requester (name, address,
// email), the signatory, the subject access reference, case papers and the letters themselves (they carry the
// requester's name and address). Pure: the reply, the files' text and the redactor come in.

/** A question that asks for the requester's own data says so, and no more. */
export const OWN_DATA_QUESTION =
  "A request for the requester's own personal data, dealt with separately as a subject access request.";

/** The reply as the disclosure log shows it, with every free text passed through `text` (masking or marking). */
export function publicReply(reply: Reply, text: (value: string) => string): Reply {
  const texts = (values: readonly string[]) => values.map(text);
  const publicInterest = (pi: Reply["exemptions"][number]["publicInterest"]) =>
    pi && {
      favouringDisclosure: texts(pi.favouringDisclosure),
      favouringWithholding: texts(pi.favouringWithholding),
      balance: text(pi.balance),
    };
  const refusal = reply.refusal;
  return {
    reference: reply.reference,
    regime: reply.regime,
    date: reply.date,
    receivedDate: reply.receivedDate,
    requester: { name: "" },
    questions: reply.questions.map((question) => ({
      text: question.requestersOwnData ? OWN_DATA_QUESTION : text(question.text),
      decision: question.decision,
      concernsEmissions: question.concernsEmissions,
      requestersOwnData: question.requestersOwnData,
      ...(question.notHeldExplanation !== undefined && !question.requestersOwnData
        ? { notHeldExplanation: text(question.notHeldExplanation) }
        : {}),
    })),
    exemptions: reply.exemptions.map((application) => ({
      exemptionIds: [...application.exemptionIds],
      questionNumbers: [...application.questionNumbers],
      alternative: application.alternative,
      reasons: texts(application.reasons),
      ...(application.harm
        ? {
            harm: {
              interest: text(application.harm.interest),
              ...(application.harm.likelihood ? { likelihood: application.harm.likelihood } : {}),
              reasoning: texts(application.harm.reasoning),
            },
          }
        : {}),
      ...(application.publicInterest ? { publicInterest: publicInterest(application.publicInterest) } : {}),
      ...(application.qualifiedPersonOpinion
        ? {
            qualifiedPersonOpinion: {
              name: text(application.qualifiedPersonOpinion.name),
              role: text(application.qualifiedPersonOpinion.role),
              date: application.qualifiedPersonOpinion.date,
              ...(application.qualifiedPersonOpinion.likelihood
                ? { likelihood: application.qualifiedPersonOpinion.likelihood }
                : {}),
            },
          }
        : {}),
    })),
    ...(refusal ? { refusal: publicRefusal(refusal, text, texts, publicInterest) } : {}),
    reasons: texts(reply.reasons),
    disclosure: reply.disclosure.map((block): Reply["disclosure"][number] => {
      if (block.kind === "text")
        return { kind: "text", text: text(block.text), questionNumbers: [...block.questionNumbers] };
      if (block.kind === "table")
        return {
          kind: "table",
          caption: text(block.caption),
          columns: texts(block.columns),
          rows: block.rows.map(texts),
          questionNumbers: [...block.questionNumbers],
        };
      return {
        kind: "attachment",
        fileName: text(block.fileName),
        description: text(block.description),
        questionNumbers: [...block.questionNumbers],
      };
    }),
    advice: reply.advice.map((item) => {
      // A link whose address had anything masked is dropped: a masked address is no address.
      const url = item.link ? text(item.link.url) : undefined;
      return {
        purpose: item.purpose,
        text: text(item.text),
        ...(item.link && url === item.link.url ? { link: { url, text: text(item.link.text) } } : {}),
      };
    }),
  };
}

function publicRefusal(
  refusal: NonNullable<Reply["refusal"]>,
  text: (value: string) => string,
  texts: (values: readonly string[]) => string[],
  publicInterest: (
    pi: Reply["exemptions"][number]["publicInterest"],
  ) => Reply["exemptions"][number]["publicInterest"],
): NonNullable<Reply["refusal"]> {
  const pi = refusal.publicInterest ? { publicInterest: publicInterest(refusal.publicInterest) } : {};
  switch (refusal.ground) {
    case "cost":
      return {
        ground: "cost",
        reasons: texts(refusal.reasons),
        ...pi,
        ...(refusal.estimate
          ? {
              estimate: {
                lines: refusal.estimate.lines.map((line) => ({
                  activity: line.activity,
                  basis: text(line.basis),
                  hours: line.hours,
                })),
                ...(refusal.estimate.limitPence !== undefined
                  ? { limitPence: refusal.estimate.limitPence }
                  : {}),
                aggregatedRequests: refusal.estimate.aggregatedRequests.map((request) => ({
                  reference: request.reference,
                  receivedDate: request.receivedDate,
                })),
              },
            }
          : {}),
      };
    case "vexatious":
      return { ground: "vexatious", reasons: texts(refusal.reasons), ...pi };
    case "repeated":
      return {
        ground: "repeated",
        reasons: texts(refusal.reasons),
        ...pi,
        ...(refusal.previousRequest
          ? {
              previousRequest: {
                reference: refusal.previousRequest.reference,
                answeredDate: refusal.previousRequest.answeredDate,
              },
            }
          : {}),
      };
  }
}

/**
 * The reply's words as searched and as snippets are cut from: its page without the heading line, the
 * restatement and the complaint rights (the same on every reply, so they would match every search). The
 * decision comes first, so that a listing without a search shows what was decided rather than repeating the
 * question its title already shows; the questions follow.
 */
export function replySearchText(reply: Reply): string {
  const lines: string[] = [];
  const questions = new Set(reply.questions.map((question) => question.text));
  const blocks = replyBlocks(reply);
  let questionLines: string[] = [];
  for (const [index, block] of blocks.entries()) {
    if (index === 0) continue;
    if (block.kind === "heading" && block.text === sectionHeadings.complaints) break;
    switch (block.kind) {
      case "heading":
        lines.push(block.text);
        break;
      case "paragraph": {
        const text = runsText(block.runs);
        if (index !== 1) lines.push(text);
        break;
      }
      case "list":
        if (questionLines.length === 0 && block.ordered && block.items.every((item) => questions.has(item)))
          questionLines = block.items;
        else lines.push(...block.items);
        break;
      case "table":
        if (block.caption) lines.push(block.caption);
        lines.push(block.columns.join(" "), ...block.rows.map((row) => row.join(" ")));
        break;
    }
  }
  // The decision sentence (and the citations after it), then the questions, then the rest.
  const decisionEnd = lines.findIndex(
    (line) => line === sectionHeadings.reasons || line === sectionHeadings.disclosure,
  );
  const head = decisionEnd < 0 ? lines : lines.slice(0, decisionEnd);
  const tail = decisionEnd < 0 ? [] : lines.slice(decisionEnd);
  return [...head, ...questionLines, ...tail].join("\n");
}

/** The list's one-line summary of a reply: its first question, shortened. */
export function replySummary(reply: Reply): string {
  const first = reply.questions[0]?.text.replace(/\s+/g, " ").trim() ?? "";
  const short = first.length > 200 ? `${first.slice(0, 197).replace(/\s+\S*$/, "")}…` : first;
  const more = reply.questions.length - 1;
  return more > 0 ? `${short} (and ${more} more question${more === 1 ? "" : "s"})` : short;
}

/** A file sent with the reply (never the letter itself). `text` is its content when it is text or CSV. */
export interface AttachmentSource {
  documentId: number;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  text: string | null;
  /** Why the file may not go out as it is (hidden data not cleaned nor released), or null. */
  releaseBlock?: string | null;
  /** The text inside any other format (PDF, Word, spreadsheets), hidden parts included, for the checks. */
  contentText?: string | null;
}

export type AttachmentPlan =
  | {
      documentId: number;
      fileName: string;
      mediaType: string;
      status: "masked-copy";
      text: string;
      maskedSpans: number;
    }
  | { documentId: number; fileName: string; mediaType: string; sizeBytes: number; status: "unchanged" }
  | { documentId: number; fileName: string; mediaType: string; status: "held-back"; why: string };

export const textMediaTypes = ["text/plain", "text/csv"];

/** Whether a file's text can be read and masked (text and CSV); anything else must be checked by a person. */
export function isMaskableFile(mediaType: string): boolean {
  return textMediaTypes.includes(mediaType.split(";")[0]!.trim().toLowerCase());
}

export interface PublicationSource {
  reference: string;
  topic: string | null;
  reply: Reply;
  attachments: readonly AttachmentSource[];
  /** Files that cannot be masked (PDF, Word…) that a manager has checked and chosen to publish unchanged. */
  checkedFileIds: readonly number[];
}

export interface PublishedRecord {
  reference: string;
  regime: Reply["regime"];
  receivedDate: string;
  replyDate: string;
  year: number;
  topic: string | null;
  outcome: string;
  exemptions: string[];
  title: string;
  /** The questions asked, one a line (masked): ranked with the title and topic. */
  questionsText: string;
  reply: Reply;
  bodyText: string;
  /** The published files' text (masked), searched but not shown. */
  attachmentText: string;
  attachments: AttachmentPlan[];
}

function attachmentPlans(
  source: PublicationSource,
  mask: (text: string) => string,
  count: (text: string) => number,
): AttachmentPlan[] {
  return source.attachments.map((file): AttachmentPlan => {
    const fileName = mask(file.fileName);
    const heldBack = (why: string): AttachmentPlan => ({
      documentId: file.documentId,
      fileName,
      mediaType: file.mediaType,
      status: "held-back",
      why,
    });
    // Release rules first: hidden data is never published, whatever a manager ticked.
    if (file.releaseBlock) return heldBack(`Not published: ${file.releaseBlock}.`);
    const found = file.contentText ? count(file.contentText) : 0;
    if (found > 0)
      return heldBack(
        `Not published: the file's text holds the requester's details or a redaction phrase in ${found} place${found === 1 ? "" : "s"}. Redact it (a truly redacted PDF) and send that instead.`,
      );
    if (isMaskableFile(file.mediaType) && file.text !== null) {
      return {
        documentId: file.documentId,
        fileName,
        mediaType: file.mediaType,
        status: "masked-copy",
        text: mask(file.text),
        maskedSpans: count(file.text),
      };
    }
    if (source.checkedFileIds.includes(file.documentId)) {
      return {
        documentId: file.documentId,
        fileName,
        mediaType: file.mediaType,
        sizeBytes: file.sizeBytes,
        status: "unchanged",
      };
    }
    return {
      documentId: file.documentId,
      fileName,
      mediaType: file.mediaType,
      status: "held-back",
      why: "foidesk cannot read this kind of file to mask personal data in it. Check it (or upload a redacted text or CSV version) and tick it to publish it unchanged.",
    };
  });
}

function exemptionFacets(reply: Reply): string[] {
  const keys = reply.exemptions.flatMap((application) =>
    application.exemptionIds.map(exemptionFacet).filter((key) => key !== undefined),
  );
  return [...new Set(keys)];
}

/** The record to publish: allow-listed fields, masked; refused if anything identifying got through. */
export function buildPublishedRecord(
  source: PublicationSource,
  redactor: Redactor,
  requester: RequesterIdentifiers,
): PublishedRecord {
  const mask = (text: string) => maskText(text, redactor);
  const reply = publicReply(source.reply, mask);
  const attachments = attachmentPlans(source, mask, (text) => countMasks(text, redactor));
  const record: PublishedRecord = {
    reference: source.reference,
    regime: reply.regime,
    receivedDate: reply.receivedDate,
    replyDate: reply.date,
    year: Number(reply.date.slice(0, 4)),
    topic: source.topic ? mask(source.topic) : null,
    outcome: replyOutcome(reply),
    exemptions: exemptionFacets(reply),
    title: replySummary(reply),
    questionsText: reply.questions.map((question) => question.text).join("\n"),
    reply,
    bodyText: replySearchText(reply),
    attachmentText: attachments
      .map((file) => (file.status === "masked-copy" ? file.text : ""))
      .filter(Boolean)
      .join("\n"),
    attachments,
  };
  assertNothingIdentifying(record, requester);
  return record;
}

/** The requester's identifiers, as whole phrases, that must appear in no published text. */
function identifierPatterns(requester: RequesterIdentifiers): RegExp[] {
  const phrases = [
    requester.name,
    requester.email ?? "",
    requester.organisation ?? "",
    ...(requester.address ? addressParts(requester.address) : []),
    ...(requester.individual ? nameParts(requester.name) : []),
  ].filter((phrase) => phrase.trim().length >= 2);
  return phrases.map(phraseRegExp).filter((regex) => regex !== null);
}

/** Defence in depth: masking should already have hidden these; if not, publishing stops. */
export function assertNothingIdentifying(record: PublishedRecord, requester: RequesterIdentifiers): void {
  const texts = [
    record.title,
    record.topic ?? "",
    record.bodyText,
    record.attachmentText,
    JSON.stringify(record.reply),
    ...record.attachments.map((file) => file.fileName),
  ];
  for (const pattern of identifierPatterns(requester)) {
    if (texts.some((text) => new RegExp(pattern.source, pattern.flags).test(text)))
      throw new DomainError(
        "conflict",
        "The published record would still contain the requester's details; nothing was published",
      );
  }
}

// The preview: the same allow-list and the same masks, with each masked span marked (private-use characters
// carry the marks through the reply's HTML rendering, which escapes everything else) and listed with why.

const markOpen = "\uE000";
const markMiddle = "\uE001";
const markClose = "\uE002";

export interface PreviewMask {
  number: number;
  text: string;
  kind: Mask["kind"];
  reason: string;
  where: string;
}

export interface PublicationPreview {
  /** The reply's page as the public will see it, every masked span shown in a <mark> with its reason. */
  html: string;
  title: string;
  /** The topic, marked likewise (HTML), or null when the request has none. */
  topicHtml: string | null;
  outcome: string;
  exemptions: string[];
  masks: PreviewMask[];
  attachments: (AttachmentPlan & { html?: string })[];
}

function marker(redactor: Redactor, masks: PreviewMask[], where: string) {
  return (text: string) =>
    segments(text, redactor)
      .map((segment) => {
        if (!segment.mask) return segment.text;
        masks.push({
          number: masks.length + 1,
          text: segment.text,
          kind: segment.mask.kind,
          reason: segment.mask.reason,
          where,
        });
        return `${markOpen}${masks.length}${markMiddle}${segment.text}${markClose}`;
      })
      .join("");
}

const markPattern = new RegExp(
  `${markOpen}(\\d+)${markMiddle}([^${markOpen}${markMiddle}${markClose}]*)${markClose}`,
  "g",
);

/** Turns the marks in escaped HTML into <mark> elements naming each reason; drops any stray mark. */
function marksToHtml(html: string, masks: readonly PreviewMask[]): string {
  return html
    .replace(markPattern, (_match, number: string, inner: string) => {
      const reason = escapeHtml(masks[Number(number) - 1]?.reason ?? "Masked");
      return `<mark class="app-redaction" id="mask-${number}"><span class="app-redaction__text">${inner}</span> <span class="app-redaction__reason">[${number}: ${reason}]</span></mark>`;
    })
    .replace(/[\uE000-\uE00F]/g, "");
}

/** What publishing would show, with every masked span highlighted and explained. */
export function previewPublication(source: PublicationSource, redactor: Redactor): PublicationPreview {
  const masks: PreviewMask[] = [];
  const reply = publicReply(source.reply, marker(redactor, masks, "Reply"));
  const html = marksToHtml(renderReplyHtml(reply, { headingLevel: 2 }), masks);
  const topicHtml = source.topic
    ? marksToHtml(escapeHtml(marker(redactor, masks, "Topic")(source.topic)), masks)
    : null;
  const mask = (text: string) => maskText(text, redactor);
  const plans = attachmentPlans(source, mask, (text) => countMasks(text, redactor));
  const attachments = plans.map((plan, index) => {
    const original = source.attachments[index]?.text;
    if (plan.status !== "masked-copy" || original == null) return plan;
    const marked = marker(redactor, masks, `File: ${plan.fileName}`)(original);
    return { ...plan, html: marksToHtml(escapeHtml(marked), masks) };
  });
  const publicVersion = publicReply(source.reply, mask);
  return {
    html,
    title: replySummary(publicVersion),
    topicHtml,
    outcome: replyOutcome(publicVersion),
    exemptions: exemptionFacets(publicVersion),
    masks,
    attachments,
  };
}
