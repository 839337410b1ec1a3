// Mail: outbound messages (development outbox or SMTP) and the sent-mail record; inbound messages threaded
// onto requests or logged as new ones, received by SMTP or from saved files.
export {
  type AcknowledgementInput,
  acknowledgementMessage,
  preferredFormatLabels,
  regimeTitle,
} from "./acknowledgement.ts";
export { decodeHeader, type ReadableMessage, readMessage } from "./eml.ts";
export {
  attachReceivedSchema,
  attachReceivedToRequest,
  dismissReceived,
  dismissReceivedSchema,
  type EmailSubmission,
  emailActor,
  emailRegime,
  type InboundDeps,
  type InboundEnvelope,
  type InboundResult,
  inboxStaleBefore,
  inInbox,
  type LoggedRequest,
  logReceivedAsRequest,
  logReceivedSchema,
  MAX_INBOUND_BYTES,
  type MessageSize,
  markCorrespondenceRead,
  receivedMessageBytes,
  receiveMessage,
  referenceCandidates,
  restoreReceived,
} from "./inbound.ts";
export {
  composeMessage,
  createMailer,
  defaultFrom,
  type MailAttachment,
  type Mailer,
  type MailerOptions,
  type MailLog,
  type OutboundMessage,
  recordOnlyMailer,
  type SentMessage,
} from "./outbound.ts";
export {
  DEFAULT_CLAIM_MS,
  type Delivery,
  deliverQueued,
  destroyRequestMail,
  outboxForRequest,
  type QueuedMessage,
  queueMessage,
  waitingMessages,
} from "./outbox.ts";
export { deliverWaitingIfFree, OUTBOX_LEASE, type OutboxRun, scheduleOutbox } from "./outbox-job.ts";
export {
  inboxLists,
  receivedMailById,
  receivedMailForRequest,
  sentMailById,
  sentMailForRequest,
  sentMailPage,
} from "./repo.ts";
export {
  configuredInboundAddresses,
  type InboundListener,
  type InboundListenerOptions,
  inboundAddresses,
  startInboundSmtp,
} from "./smtp-listener.ts";
export { type TrackingLinkInput, trackingLinkMessage } from "./tracking-link.ts";
export {
  isOutboxFileName,
  type MailEnvelope,
  type MailTransport,
  memoryOutboxTransport,
  outboxTransport,
  smtpTransport,
  transportFromEnv,
} from "./transports.ts";
