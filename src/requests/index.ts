// Requests: the lifecycle of a request from receipt to reply, review and complaint (DESIGN.md).
export {
  type AcknowledgeDeps,
  type Acknowledged,
  type AcknowledgementMailer,
  acknowledgementEmailState,
  acknowledgeRequest,
  takeAction,
} from "./acknowledge.ts";
export { type Action, actionSchema, isoDate } from "./actions.ts";
export { type ClockedRequest, currentDeadline, type DueColumns, dueColumns } from "./clock.ts";
export {
  attachReceivedSchema,
  attachReceivedToRequest,
  type CorrespondenceDeps,
  deliverReceivedMail,
  type EmailSubmission,
  emailActor,
  emailRegime,
  logReceivedAsRequest,
  logReceivedSchema,
} from "./correspondence.ts";
// The staff outbox and inbox pages: mail beside the reference of the request it belongs to.
export {
  receivedMailWithReference,
  recentlyHandledMail,
  sentMailById,
  sentMailPage,
  waitingMailList,
} from "./correspondence-repo.ts";
export {
  type AuditedFile,
  type AuditedRequest,
  assertReleasable,
  auditReleasedFiles,
  type DocumentCheck,
  documentChecks,
  findingsInWords,
  inspectDocument,
  makeCleanCopy,
  makeRedactedCopy,
  type PdfRedactionRequest,
  releaseAsIs,
  releaseBlock,
  storedChecks,
} from "./file-release.ts";
export { type ChainedEvent, canonicalJson, eventHash, GENESIS_HASH } from "./history.ts";
export {
  channels,
  type NewRequest,
  type NewRequestInput,
  newRequestSchema,
  preferredFormats,
  type RequestRegime,
  requesterSchema,
  requesterTypeLabels,
  requesterTypes,
  requestRegimes,
  requestValidity,
  splitQuestions,
  type ValidityProblem,
  validityProblems,
} from "./intake.ts";
export type { LetterKind } from "./letter-kinds.ts";
export {
  deleteParagraph,
  ensureParagraphLibrary,
  libraryParagraph,
  type ParagraphEntry,
  type ParagraphInput,
  paragraphForRequest,
  paragraphLibrary,
  saveParagraph,
} from "./paragraph-library.ts";
// Read models: what other modules read of requests (the `requests` table has one owner).
export {
  answeredRequests,
  assignedOpenRequestOnTopic,
  eventDates,
  lastOutcomeRecorded,
  type ReportedRequests,
  referenceOfRequestWithBody,
  replySentFor,
  reportedRequestEvents,
  reportedRequests,
  requestAndEventCounts,
  requestByTrackingHash,
  requestForPublication,
  requestReferenceOf,
  requestSummary,
  requestsBeingWorked,
  requestsDueForPublication,
  requestText,
  sentReplies,
  trackableRequestsOf,
} from "./read-models.ts";
export { recordEvent } from "./record-event.ts";
export {
  checkReferencePattern,
  DEFAULT_REFERENCE_PATTERN,
  formatReference,
  referenceRegimeCodes,
} from "./reference.ts";
export { type RepeatWarning, repeatWarnings, textSimilarity } from "./repeats.ts";
export {
  type ReplyDelivery,
  type ReplyMailer,
  recordOutboxDelivery,
  replyDelivery,
  resendReplyEmail,
  sendWaitingEmailNow,
} from "./reply-delivery.ts";
export { draftDemoReplies } from "./reply-demo.ts";
export {
  newReplyInput,
  replyFor,
  type SavedReply,
  type StoredReply,
  saveReplyDraft,
  submitReply,
} from "./reply-draft.ts";
export { type ReplyFile, renderReplyFile, replyLetterhead } from "./reply-files.ts";
export { recordPosted, type SentReply, sendReply } from "./reply-send.ts";
export { type CheckedReply, checkReply } from "./reply-state.ts";
/** A request's events as people read them (personal values in place): for export and for the timeline. */
export { requestEvents as readableHistory } from "./repo.ts";
export {
  askForReview,
  type RequesterActionDeps,
  resendLinkPauseMinutes,
  resendTrackingLinks,
  reviewNotYetMessage,
} from "./requester-actions.ts";
// What retention reads and writes of requests: closed requests due for review, and anonymising one.
export {
  detachRequester,
  lockedRequest,
  requestIdByReference,
  requestRecordsOfRequester,
  requestReferencesOfRequester,
  retentionCandidates,
} from "./retention-repo.ts";
export {
  assertMayReadRequest,
  maySeeSubjectAccess,
  type SarDocumentView,
  type SubjectAccessPolicy,
  sarDocumentViews,
  subjectAccessPolicy,
} from "./sar-access.ts";
export {
  type ActionResult,
  addDocument,
  authorityClock,
  type ChainVerification,
  type CreatedRequest,
  createRequest,
  DUE_SOON_WORKING_DAYS,
  documentTypes,
  lapseUnpaidFee,
  lapseUnpaidFees,
  MAX_DOCUMENT_BYTES,
  performAction,
  type QueueCursor,
  readDocument,
  requestDetail,
  requesterHistory,
  systemActor,
  type TimelineEntry,
  verifyAuditChain,
  type WorkQueueFilter,
  workQueue,
} from "./service.ts";
export {
  type IntakeDeps,
  publicActor,
  type Submission,
  type SubmissionInput,
  type Submitted,
  submissionSchema,
  submitRequest,
} from "./submission.ts";
export {
  newTrackingToken,
  setTrackingToken,
  trackedRequest,
  trackingLinkLifetimeMonths,
  trackingTokenHash,
  trackingUrl,
} from "./tracking-link.ts";
export {
  type ActionType,
  type Actor,
  type ActorRole,
  actionTypes,
  allowedActions,
  appellants,
  closedStates,
  decisionNoticeResults,
  isOpen,
  isRegulatorStageOpen,
  type Outcome,
  outcomeLabels,
  outcomeNeedsApproval,
  outcomes,
  type ReplyGuardState,
  type RequestState,
  type ReviewOutcome,
  regulatorStageOpenStates,
  requestStates,
  reviewOutcomes,
  stateLabels,
  type Transition,
  transitions,
  tribunalResults,
} from "./workflow.ts";
