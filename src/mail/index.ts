// Mail, as transport: outbound messages (development outbox or SMTP) and the sent-mail record; inbound messages
// received by SMTP or from saved files, parsed, kept once per Message-ID, and handed to the request side through
// the `deliver` port (InboundDeps). Mail knows nothing of requests.
export {
  type AcknowledgementInput,
  acknowledgementLetter,
  acknowledgementMessage,
  preferredFormatLabels,
  regimeTitle,
} from "./acknowledgement.ts";
export { decodeHeader, type ReadableMessage, readMessage } from "./eml.ts";
export {
  type Delivery,
  dismissReceived,
  dismissReceivedSchema,
  type InboundDeps,
  type InboundEnvelope,
  type InboundResult,
  inboxStaleBefore,
  inInbox,
  MAX_INBOUND_BYTES,
  type MessageSize,
  markCorrespondenceRead,
  type ParsedMessage,
  type ReceivedMessage,
  receivedMessageBytes,
  receiveMessage,
  referenceCandidates,
  repliedRequestId,
  restoreReceived,
  type StaffClaim,
  type StaffMember,
  withStaffClaim,
} from "./inbound.ts";
export {
  composeMessage,
  createMailer,
  defaultFrom,
  type MailAttachment,
  type Mailer,
  type MailerOptions,
  type OutboundMessage,
  recordOnlyMailer,
  type SentMessage,
} from "./outbound.ts";
export {
  DEFAULT_CLAIM_MS,
  deliverQueued,
  destroyRequestMail,
  type OutboxDelivery,
  outboxForRequest,
  type QueuedMessage,
  queuedForSince,
  queuedMessage,
  queueMessage,
  waitingMessages,
} from "./outbox.ts";
export {
  type DeliveredMessage,
  deliverWaitingIfFree,
  type OnDelivered,
  OUTBOX_LEASE,
  type OutboxRun,
  scheduleOutbox,
} from "./outbox-job.ts";
export {
  finishReceivedMail,
  inboxLists,
  receivedMailById,
  receivedMailColumns,
  receivedMailForRequest,
  sentMailForRequest,
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
  type MailLog,
  type MailTransport,
  memoryOutboxTransport,
  outboxTransport,
  smtpTransport,
  transportFromEnv,
} from "./transports.ts";
