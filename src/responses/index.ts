// Responses: the structured reply to a request, its validation, the paragraph library and the reply's
// renderings (web page, PDF letter, Word document, email text). Pure: no I/O, no clock; dates come in.
export { type ComplaintParagraph, complaintRightsText } from "./complaint-rights.ts";
export { formatLongDate } from "./dates.ts";
export {
  type Block,
  type Run,
  replyBlocks,
  replyTitle,
  requestRestatement,
  runsText,
  sectionHeadings,
  textRuns,
} from "./document.ts";
export { renderLetterDocx, renderReplyDocx } from "./docx.ts";
export { type DecidedRefusal, reviewLetterStart, withAdvice, withRefusal } from "./edits.ts";
export { gangsReply, gangsReplyInput, westmarchLetterhead } from "./examples/gangs.ts";
export { type SampleReplySource, sampleReply } from "./examples/outcomes.ts";
export { sizeText } from "./file-size.ts";
export { escapeHtml, type HtmlOptions, renderReplyHtml } from "./html.ts";
export {
  addressLines,
  type Letter,
  type Letterhead,
  letterheadSchema,
  replyLetter,
  salutation,
  signOffLines,
} from "./letter.ts";
export {
  decisionSentence,
  isNcndApplication,
  isRefusalNotice,
  type ReplyOutcome,
  replyCitations,
  replyOutcome,
  replyOutcomes,
} from "./outcome.ts";
export {
  defaultParagraphLibrary,
  type FilledText,
  fillPlaceholders,
  type LibraryParagraph,
  libraryParagraphSchema,
  type ParagraphKind,
  type PlaceholderName,
  paragraphKindLabels,
  paragraphKinds,
  paragraphsFor,
  placeholders,
  placeholdersIn,
  placeholderValues,
} from "./paragraphs.ts";
export { type PdfOptions, renderLetterPdf, renderReplyPdf } from "./pdf.ts";
export { type LetterFont, type LetterFonts, letterFontFiles, parseLetterFonts } from "./pdf-fonts.ts";
export { replyEmailSubject, replyPlainText } from "./plain-text.ts";
export {
  type Advice,
  type AdvicePurpose,
  advicePurposes,
  type CostEstimate,
  type CostLine,
  type Decision,
  type DisclosureBlock,
  decisionLabels,
  decisions,
  type ExemptionApplication,
  type Harm,
  isIsoDate,
  type PublicInterest,
  parseReply,
  type QualifiedPersonOpinion,
  type Question,
  type Refusal,
  type Reply,
  type ReplyInput,
  type ReviewDecision,
  replySchema,
  reviewDecisionSchema,
} from "./reply.ts";
export {
  assertReplyReady,
  confirmingPhrase,
  type ReplyProblem,
  type ValidationContext,
  validateReply,
} from "./validate.ts";
