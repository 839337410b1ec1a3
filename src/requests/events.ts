import { z } from "zod";
import { outcomes, reviewOutcomes } from "../law/index.ts";
import type { ChainedEvent } from "./history.ts";
import type { ActionType } from "./workflow.ts";

// The history is typed: one entry per kind of event a request's history records, each with the payload it
// carries. Writers are checked by the compiler (recordEvent, appendEvent); readers get the payload through
// this union, parsed from the database (requestEvents), so a stored payload of the wrong shape is a clear
// error naming the request, the event and the field, never a silent `undefined`.
//
// Payloads are read leniently (looseObject): a key this list does not name is kept as it was stored, because
// the timeline shows every key and the hash chain covers the stored form (history.ts), which parsing never
// touches. Text that may hold personal data arrives here opened (history.ts: the value, or a note that it was
// destroyed), so it is always a string.

const date = z.string();
const text = z.string();
const optionalText = text.optional();
const noteOnly = z.looseObject({ note: optionalText });
const dated = z.looseObject({ date, note: optionalText });
const outcome = z.enum(outcomes);
const reviewOutcome = z.enum(reviewOutcomes);

/** A reply or review letter saved: what the draft said when it was saved (replies.ts). */
const drafted = z.looseObject({
  replyOutcome: outcome.optional(),
  openProblems: z.number().optional(),
  reviewOutcome: reviewOutcome.optional(),
});
/** A letter (reply, review letter, acknowledgement) sent: how, to whom, and the files made of it. */
const sent = z.looseObject({
  note: optionalText,
  sentBy: z.enum(["email", "post"]).optional(),
  sentTo: optionalText,
  letter: optionalText,
  word: optionalText,
});
const emailFailed = z.looseObject({ sentTo: optionalText, error: text });
const emailResent = z.looseObject({ sentTo: text });
const logged = z.looseObject({ regime: text, channel: text, receivedDate: date });
/** What an anonymisation or erasure destroyed (retention): the requester's fields, and counts of the rest. */
const destroyedData = z.looseObject({
  destroyed: z.object({ requester: z.array(text), requestText: z.boolean() }),
});
const documentCopy = z.looseObject({ documentId: z.number(), filename: text, copyDocumentId: z.number() });

/** What each workflow action records: its input (less its type) and what the action adds (service.ts). */
const actionPayloads = {
  acknowledge: sent,
  assign: z.looseObject({
    assigneeId: z.number(),
    teamId: z.number().optional(),
    assigneeName: optionalText,
  }),
  "start-work": noteOnly,
  "request-clarification": dated,
  "receive-clarification": dated,
  "issue-fees-notice": z.looseObject({ date, amountPence: z.number(), note: optionalText }),
  "receive-fee": dated,
  "request-identity": dated,
  "identity-received": dated,
  extend: z.looseObject({ extension: text, reason: text, date: date.optional(), notice: optionalText }),
  "submit-for-approval": z.looseObject({ outcome, note: optionalText }),
  approve: noteOnly,
  "return-for-changes": noteOnly,
  "record-outcome": z.looseObject({ outcome, date: date.optional() }),
  "draft-reply": drafted,
  "send-reply": sent,
  "record-posted": dated,
  withdraw: dated,
  lapse: z.looseObject({ date, reason: optionalText }),
  "request-review": z.looseObject({ date, grounds: optionalText }),
  "extend-review": z.looseObject({ workingDays: z.number(), reason: optionalText }),
  "draft-review-letter": drafted,
  "send-review-letter": sent,
  "record-review-posted": dated,
  "decide-review": z.looseObject({ reviewOutcome, date: date.optional(), note: optionalText }),
  "record-complaint": z.looseObject({ date, regulatorReference: optionalText }),
  "record-decision-notice": z.looseObject({
    result: text,
    date,
    regulatorReference: optionalText,
    steps: optionalText,
    complianceDate: date.optional(),
  }),
  "record-compliance": dated,
  "record-appeal": z.looseObject({ date, appellant: text, tribunalReference: optionalText }),
  "record-tribunal-outcome": z.looseObject({ date, tribunalResult: text, note: optionalText }),
  "close-regulator-stage": noteOnly,
  "add-note": noteOnly,
  "change-regime": z.looseObject({
    regime: text,
    reason: text,
    previousRegime: optionalText,
    receivedDate: date.optional(),
    referenceNote: optionalText,
    droppedExtension: optionalText,
    extensionNote: optionalText,
    approvalNote: optionalText,
    replyNote: optionalText,
    previousDueDate: date.nullable().optional(),
    dueDate: date.nullable().optional(),
  }),
} as const satisfies Record<ActionType, z.ZodType>;

/**
 * The events recorded beside the workflow's actions (recordEvent), by the module that records them. Their
 * fields are optional when read (.partial()): several were added or renamed after the event first was
 * recorded (a clean copy's `cleanDocumentId` became `copyDocumentId`), and an older history must still read.
 * A field that is there must still have its type. The failed email's `error` is always there: it is shown.
 */
const otherPayloads = {
  created: logged.partial(),
  "recorded-invalid": logged.extend({ problems: z.array(text) }).partial(),
  "document-added": z
    .looseObject({ documentId: z.number(), filename: text, sha256: text, sizeBytes: z.number() })
    .partial(),
  "document-cleaned": documentCopy
    .extend({ cleanDocumentId: z.number(), cleanFilename: text, summary: z.unknown() })
    .partial(),
  "document-redacted": documentCopy
    .extend({ redactedFilename: text, areas: z.number(), labels: z.unknown() })
    .partial(),
  "document-released-as-is": z
    .looseObject({
      documentId: z.number(),
      filename: text,
      reason: text,
      findings: z.number(),
      refused: z.string().nullable(),
    })
    .partial(),
  "correspondence-received": z
    .looseObject({
      receivedMailId: z.number(),
      subject: text,
      matchedBy: text,
      sha256: z.string().nullable(),
      documents: z.array(z.looseObject({ documentId: z.number(), filename: text })),
      notStored: z.array(z.looseObject({ filename: text, reason: text })),
      awaitingClarification: z.boolean(),
    })
    .partial(),
  "acknowledgement-email-failed": emailFailed,
  "acknowledgement-email-sent": emailResent.partial(),
  "reply-email-failed": emailFailed,
  "reply-email-resent": emailResent.partial(),
  "review-letter-email-failed": emailFailed,
  "review-letter-email-resent": emailResent.partial(),
  // publication
  published: noteOnly,
  "publication-withdrawn": z.looseObject({ reason: optionalText }),
  "redaction-removed": z.looseObject({ redactionId: z.number(), addedBy: text, addedAt: text }).partial(),
  // retention
  anonymised: destroyedData.partial(),
  "requester-erased": destroyedData.partial(),
  "requester-rectified": z.looseObject({ fields: z.array(text), article: text }).partial(),
  "legal-hold-placed": z.looseObject({ holdId: z.number(), reason: text }).partial(),
  "legal-hold-lifted": z.looseObject({ holdId: z.number(), reason: optionalText }).partial(),
} as const satisfies Record<string, z.ZodType>;

const payloadSchemas = { ...actionPayloads, ...otherPayloads };

export type EventType = keyof typeof payloadSchemas;
/** The events recorded outside the workflow's actions (recordEvent takes these). */
export type RecordedEventType = keyof typeof otherPayloads;
export const eventTypes = Object.keys(payloadSchemas) as EventType[];

/** What an event of `type` carries, as its writer gives it. */
export type EventPayload<T extends EventType> = z.input<(typeof payloadSchemas)[T]>;

/** One event of the history: its type and the payload that type carries. */
export type RequestEvent = {
  [T in EventType]: { type: T; payload: z.output<(typeof payloadSchemas)[T]> };
}[EventType];

/** A request's event as people read it: the typed event, who, when and where it sits in the chain. */
export type HistoryEvent = Omit<ChainedEvent, "type" | "payload"> & RequestEvent;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(payloadSchemas, type);
}

/**
 * The event as stored, parsed into the union: an unknown type, or a payload of the wrong shape, is an error
 * that names the request, the event and the field, so a bad stored payload is found where it is read.
 */
export function parseEvent(event: ChainedEvent): HistoryEvent {
  const where = `request ${event.requestId}, event ${event.seq} ("${event.type}")`;
  if (!isEventType(event.type))
    throw new Error(`The history of ${where} has an event of a kind foidesk does not know`);
  const parsed = payloadSchemas[event.type].safeParse(event.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "payload";
    throw new Error(`The stored payload of ${where} is not valid: ${field}: ${issue.message}`);
  }
  // The payload as stored (the schemas only check, never change it): its keys keep their order on the timeline.
  return { ...event, type: event.type, payload: event.payload } as HistoryEvent;
}

/** An event of one of `types`, typed as such. */
export function isEventOf<E extends RequestEvent, T extends EventType>(
  event: E,
  ...types: T[]
): event is Extract<E, { type: T }> {
  return (types as EventType[]).includes(event.type);
}

/** The last event of one of `types` in a history, typed as such; undefined when there is none. */
export function lastEventOf<E extends RequestEvent, T extends EventType>(
  events: readonly E[],
  ...types: T[]
): Extract<E, { type: T }> | undefined {
  return events.findLast((event) => isEventOf(event, ...types));
}

/**
 * The event a workflow action is about to record, checked against its type's payload as a stored one is, so
 * that what is written can always be read back.
 */
export function eventOf(type: EventType, payload: Record<string, unknown>): RequestEvent {
  const parsed = payloadSchemas[type].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `A "${type}" event cannot carry this payload: ${issue.path.join(".") || "payload"}: ${issue.message}`,
    );
  }
  return { type, payload } as RequestEvent;
}
