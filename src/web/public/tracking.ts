import type { Kysely } from "kysely";
import { z } from "zod";
import { londonDate } from "../../calendar/index.ts";
import type { Database } from "../../db/index.ts";
import { DomainError } from "../../errors.ts";
import { regimeRule } from "../../law/index.ts";
import { sentMailForRequest } from "../../mail/index.ts";
import {
  isOpen,
  isRegulatorStageOpen,
  type Outcome,
  outcomeLabels,
  publicActor,
  type RequestState,
  readDocument,
  replyDelivery,
  replyFor,
  requestDetail,
  resendTrackingLinks,
  trackedRequest,
} from "../../requests/index.ts";
import type { FileStore } from "../../storage/index.ts";
import { lawFor, type PublicAuthority, type RequestRoute, regulatorFor } from "./authority.ts";
import * as repo from "./repo.ts";

// The private tracking page: what a requester can see and do with the link from their acknowledgement, with
// no account. A token that is malformed, unknown or expired is simply "not found". What the requester does
// (asking for the link again, asking for a review) is the requests module's (requester-actions.ts); this file
// reads the page and parses the forms.

type Db = Kysely<Database>;

export const resendLinkForm = z.object({
  email: z
    .string({ error: "Enter your email address" })
    .trim()
    .min(1, "Enter your email address")
    .max(320, "Your email address must be 320 characters or fewer")
    .pipe(z.email("Enter an email address in the correct format, like name@example.com")),
});

/**
 * requests' resendTrackingLinks in the background, for the form to call once it has answered: it then takes
 * as long whether or not the address is known (measured: a known address took some 3-8 ms longer when its
 * links were queued first), so its timing reveals nobody's requests either. Should the process die before the
 * links are queued, nothing has changed (the old links still work) and the person can ask again.
 */
export function resendTrackingLinksInBackground(
  deps: Parameters<typeof resendTrackingLinks>[0],
  email: string,
  authority: PublicAuthority,
  now: Date,
): void {
  resendTrackingLinks(deps, email, authority.name, now).catch((error: unknown) =>
    deps.log.error({ err: { message: (error as Error).message } }, "tracking links not sent"),
  );
}

function notFound(): DomainError {
  return new DomainError("not-found", "Page not found");
}

/** Where the request is, in plain words for the person who asked. */
export function statusFor(
  state: RequestState,
  regulatorName: string,
  reviewLetterSent = false,
): { title: string; detail: string } {
  switch (state) {
    case "received":
    case "acknowledged":
      return { title: "Received", detail: "We have received your request and will start work on it soon." };
    case "in-progress":
    case "awaiting-approval":
    case "approved":
      return { title: "In progress", detail: "We are working on your request." };
    case "extended":
      return {
        title: "In progress (more time needed)",
        detail: "We need more time to reply. We have written to you to explain why.",
      };
    case "awaiting-clarification":
      return {
        title: "Waiting for you",
        detail:
          "We have asked you to explain what information you want. The time limit is paused until you reply.",
      };
    case "awaiting-fee":
      return {
        title: "Waiting for a fee",
        detail: "We have sent you a fees notice. The time limit is paused until the fee is paid.",
      };
    case "awaiting-identity":
      return {
        title: "Waiting for proof of identity",
        detail:
          "We have asked you for information to confirm who you are. The time limit starts again when we receive it.",
      };
    case "responded":
      return { title: "Replied", detail: "We have replied to your request." };
    case "withdrawn":
      return { title: "Withdrawn", detail: "This request was withdrawn." };
    case "lapsed":
      return {
        title: "Closed",
        detail: "This request was closed because we did not hear back from you within 3 months.",
      };
    case "invalid":
      return {
        title: "Not a valid request",
        detail: "We could not accept this as a valid request. We have written to you to explain why.",
      };
    case "review-requested":
      return {
        title: "Internal review in progress",
        detail:
          "Someone who was not involved in the original decision is reviewing how we handled your request.",
      };
    case "review-decided":
      // Said to be sent only once the review letter has gone (s.45 code of practice part 5).
      return {
        title: "Internal review completed",
        detail: reviewLetterSent
          ? "We have sent you the result of the internal review."
          : "We have completed the internal review.",
      };
    case "regulator-complaint":
      return {
        title: "Complaint to the regulator",
        detail: `The ${regulatorName} is considering a complaint.`,
      };
    case "decision-notice":
      return {
        title: "Decision notice issued",
        detail: `The ${regulatorName} has issued a decision notice.`,
      };
    case "tribunal-appeal":
      return {
        title: "Appeal against the decision notice",
        detail: `The ${regulatorName}'s decision notice has been appealed.`,
      };
    case "tribunal-decided":
      return { title: "Appeal decided", detail: "The appeal against the decision notice has been decided." };
    case "regulator-closed":
      return {
        title: "Decision notice issued",
        detail: `The ${regulatorName} has issued a decision notice, and the time to appeal it has passed.`,
      };
  }
}

const reviewOutcomeWords: Record<string, string> = {
  upheld: "We upheld our original decision.",
  "partly-overturned": "We changed part of our original decision.",
  overturned: "We overturned our original decision.",
};

function routeOf(regime: string): RequestRoute {
  const kind = regimeRule(regime)?.kind;
  return kind === "eir" || kind === "sar" ? kind : "foi";
}

export async function trackingView(db: Db, token: string, authority: PublicAuthority, now: Date) {
  const tracked = await trackedRequest(db, token, now);
  if (!tracked) throw notFound();
  const detail = await requestDetail(db, { id: tracked.id }, publicActor, now);
  const request = detail.request;
  const state = request.state;
  const route = routeOf(request.regime);
  const regulator = regulatorFor(authority, route);
  const [letters, answered, reviewLetter] = await Promise.all([
    sentMailForRequest(db, request.id),
    repo.eventDates(db, request.id, ["record-outcome", "decide-review"]),
    replyFor(db, request.id, "review"),
  ]);
  // A review letter to post is sent when it is recorded as posted, not when it was generated (FOIA s.10(1)).
  const reviewPostal = reviewLetter?.sentAt ? (await replyDelivery(db, request.id, "review"))?.postal : null;
  const reviewLetterSent = Boolean(reviewLetter?.sentAt) && !reviewPostal?.awaitingPost;
  const reply = answered.findLast((event) => event.type === "record-outcome");
  const review = answered.findLast((event) => event.type === "decide-review");
  const canAskForReview = detail.actions.some((action) => action.type === "request-review");
  return {
    reference: request.reference,
    law: lawFor(route, authority),
    route,
    receivedDate: request.received_date,
    dueDate: request.due_date,
    clockStopped: request.clock_stopped,
    /** Past the due date with nothing sent (law's timeLeft, as the back office counts it). */
    late: detail.overdue,
    open: isOpen(state) && !isRegulatorStageOpen(state),
    state,
    status: statusFor(state, regulator.name, reviewLetterSent),
    body: request.body,
    outcome: request.outcome ? (outcomeLabels[request.outcome as Outcome] ?? null) : null,
    repliedOn: reply ? (reply.date ?? londonDate(reply.occurred_at)) : null,
    reviewRequestedOn: request.review_received_date,
    reviewOutcome: request.review_outcome ? (reviewOutcomeWords[request.review_outcome] ?? null) : null,
    reviewDecidedOn: review ? (review.date ?? londonDate(review.occurred_at)) : null,
    reviewLetterSentOn:
      reviewLetterSent && reviewLetter?.sentAt
        ? (reviewPostal?.postedOn ?? londonDate(reviewLetter.sentAt))
        : null,
    canAskForReview,
    regulator,
    letters: letters.map((letter) => ({ subject: letter.subject, sentAt: letter.sent_at })),
    replyDocuments: replyDocumentsOf(detail),
    version: request.version,
  };
}
export type TrackingView = Awaited<ReturnType<typeof trackingView>>;

type Detail = Awaited<ReturnType<typeof requestDetail>>;

/** The files sent as part of the reply (the letter and its attachments), once the reply has gone out. */
function replyDocumentsOf(detail: Detail) {
  if (!detail.request.outcome) return [];
  return detail.documents
    .filter((document) => document.part_of_reply)
    .map((document) => ({
      id: document.id,
      filename: document.filename,
      mediaType: document.media_type,
      sizeBytes: document.size_bytes,
    }));
}

/** One file of the reply, for the requester to download; anything else is "not found". */
export async function replyDocument(db: Db, files: FileStore, token: string, documentId: number, now: Date) {
  const tracked = await trackedRequest(db, token, now);
  if (!tracked) throw notFound();
  const detail = await requestDetail(db, { id: tracked.id }, publicActor, now);
  if (!replyDocumentsOf(detail).some((document) => document.id === documentId)) throw notFound();
  return readDocument(db, files, tracked.id, documentId, publicActor, now);
}

export const reviewForm = z.object({
  grounds: z
    .string({ error: "Tell us why you want an internal review" })
    .trim()
    .min(1, "Tell us why you want an internal review")
    .max(10_000, "Your reasons must be 10,000 characters or fewer"),
});
