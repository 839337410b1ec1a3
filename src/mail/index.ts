// Mail: outbound messages (development outbox or SMTP) and the sent-mail record. Inbound mail is to come.
export {
  type AcknowledgementInput,
  acknowledgementMessage,
  preferredFormatLabels,
  regimeTitle,
} from "./acknowledgement.ts";
export { decodeHeader, type ReadableMessage, readMessage } from "./eml.ts";
export {
  composeMessage,
  createMailer,
  defaultFrom,
  type MailAttachment,
  type Mailer,
  type MailerOptions,
  type MailLog,
  type OutboundMessage,
  type SentMessage,
} from "./outbound.ts";
export { sentMailById, sentMailForRequest, sentMailPage } from "./repo.ts";
export {
  isOutboxFileName,
  type MailEnvelope,
  type MailTransport,
  memoryOutboxTransport,
  outboxTransport,
  smtpTransport,
  transportFromEnv,
} from "./transports.ts";
