import type { Kysely, Transaction } from "kysely";
import { londonDate } from "../calendar/index.ts";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import { type OutboundMessage, queuedForSince, trackingLinkMessage } from "../mail/index.ts";
import { escapeHtml, formatLongDate } from "../responses/index.ts";
import type { AcknowledgementMailer } from "./acknowledge.ts";
import { trackableRequestsOf } from "./read-models.ts";
import { type ActionResult, performAction, requestDetail } from "./service.ts";
import { publicActor } from "./submission.ts";
import {
  linksLiveSince,
  newTrackingToken,
  setTrackingToken,
  trackedRequest,
  trackingUrl,
} from "./tracking-link.ts";
import type { RequestState } from "./workflow.ts";

// What a requester does themselves, with no account: ask for their tracking link again (by email address),
// and ask for an internal review through their link. Each message goes through the mail outbox in the
// transaction of the change it tells of, then is handed over at once; the outbox worker retries a refusal.

type Db = Kysely<Database>;

export interface RequesterActionDeps {
  db: Db;
  /** The port the messages go out through (the app's mailer, or a test's). */
  mailer: AcknowledgementMailer;
  log: { error(details: Record<string, unknown>, message: string): void };
}

/** One email of new links per address in this time at most, however often the form is sent. */
export const resendLinkPauseMinutes = 10;
/** The most requests a single ask sends links for (the newest). */
const resendLinkMostRequests = 10;

/**
 * "Send me my link again": each live request made from this address gets a new link (the old one stops
 * working: only a hash is kept, so the old token cannot be sent again), emailed to that address only. It
 * returns nothing, so the caller answers the same whether or not the address is known and reveals nobody's
 * requests. Each new link is queued in the mail outbox with its token (either both or neither), then handed
 * over.
 */
export async function resendTrackingLinks(
  deps: RequesterActionDeps & { baseUrl: string },
  email: string,
  authorityName: string,
  now: Date,
): Promise<void> {
  const pausedSince = new Date(now.getTime() - resendLinkPauseMinutes * 60_000);
  // A link still waiting in the outbox counts, so an outage does not let the form queue link after link.
  if (await queuedForSince(deps.db, email, "tracking-link", pausedSince)) return;
  const requests = await trackableRequestsOf(deps.db, email, linksLiveSince(now), resendLinkMostRequests);
  const queued: number[] = [];
  for (const request of requests) {
    const token = newTrackingToken();
    const message = trackingLinkMessage({
      authorityName,
      requestId: request.id,
      reference: request.reference,
      requesterName: request.name,
      // The address on the request, not as typed into the form.
      email: request.email ?? email,
      receivedDate: request.received_date,
      trackingUrl: trackingUrl(deps.baseUrl, token),
    });
    // The old link stops working as the new one is queued: either both or neither.
    const { id } = await deps.db.transaction().execute(async (trx) => {
      await setTrackingToken(trx, request.id, token);
      return deps.mailer.queue(trx, message);
    });
    queued.push(id);
  }
  // What the mail server refuses, or a process that dies first leaves, the outbox worker hands over later.
  await handOver(deps, queued, "tracking link not sent");
}

/** Hands queued messages over one by one; a refusal is logged (ids only), and the outbox tries again later. */
async function handOver(
  deps: Pick<RequesterActionDeps, "mailer" | "log">,
  outboxIds: readonly number[],
  failure: string,
): Promise<void> {
  for (const outboxId of outboxIds) {
    try {
      const delivery = await deps.mailer.deliver(outboxId);
      if (delivery.status === "failed")
        deps.log.error({ err: { message: delivery.error }, outboxId }, failure);
    } catch (error) {
      deps.log.error({ err: { message: (error as Error).message }, outboxId }, failure);
    }
  }
}

function notFound(): DomainError {
  return new DomainError("not-found", "Page not found");
}

/** Why an internal review cannot be asked for now, and when it can. */
export function reviewNotYetMessage(state: RequestState): string {
  if (state === "review-requested") return "You have already asked for an internal review of this request.";
  if (["review-decided", "regulator-complaint", "decision-notice"].includes(state))
    return "The internal review of this request has been completed.";
  if (["withdrawn", "lapsed", "invalid"].includes(state)) return "This request is closed.";
  return "You can ask for an internal review once we have replied to your request.";
}

/**
 * The requester asks, through the link `token`, for an internal review: it is opened on the request (its
 * clock starts today) and acknowledged by email (through the mail outbox, handed over at once). Only once we
 * have replied; the transition table says so, not this function. A link that opens nothing is "not found".
 */
export async function askForReview(
  deps: RequesterActionDeps,
  token: string,
  grounds: string,
  authorityName: string,
  now: Date,
): Promise<ActionResult> {
  const tracked = await trackedRequest(deps.db, token, now);
  if (!tracked) throw notFound();
  const before = await requestDetail(deps.db, { id: tracked.id }, publicActor, now);
  if (!before.actions.some((allowed) => allowed.type === "request-review")) {
    throw new DomainError("conflict", reviewNotYetMessage(before.request.state), "grounds");
  }
  const action = { type: "request-review", date: londonDate(now), grounds };
  const email = before.request.requester_email;
  let outboxId: number | null = null;
  // The acknowledgement is queued in the review's transaction: either both are recorded or neither.
  const queueAcknowledgement = async (trx: Transaction<Database>, result: ActionResult) => {
    if (!email) return;
    const message = reviewAcknowledgementMessage(email, before.request.requester_name, result, authorityName);
    outboxId = (await deps.mailer.queue(trx, message)).id;
  };
  let result: ActionResult;
  try {
    result = await performAction(
      deps.db,
      tracked.id,
      action,
      tracked.version,
      publicActor,
      now,
      queueAcknowledgement,
    );
  } catch (error) {
    // Staff may have changed the request (a note) since it was read: act on what is there now, once.
    if (!(error instanceof DomainError && error.code === "conflict" && error.field === "version"))
      throw error;
    const fresh = await trackedRequest(deps.db, token, now);
    if (!fresh) throw notFound();
    result = await performAction(
      deps.db,
      fresh.id,
      action,
      fresh.version,
      publicActor,
      now,
      queueAcknowledgement,
    );
  }
  if (outboxId !== null) await handOver(deps, [outboxId], "review acknowledgement not sent");
  return result;
}

/** The email that acknowledges a request for an internal review. */
function reviewAcknowledgementMessage(
  email: string,
  requesterName: string,
  result: ActionResult,
  authorityName: string,
): OutboundMessage {
  const due = result.dueDate ? ` We will send you the result by ${formatLongDate(result.dueDate)}.` : "";
  const text = [
    `Dear ${requesterName || "requester"},`,
    "",
    `We have received your request for an internal review of ${result.reference}.${due}`,
    "",
    "Someone who was not involved in the original decision will review how we handled your request.",
    "",
    authorityName,
    "",
  ].join("\n");
  return {
    to: email,
    subject: `Internal review requested: ${result.reference}`,
    text,
    html: `<!DOCTYPE html><html lang="en"><body>${text
      .split("\n\n")
      .map((paragraph) => `<p>${escapeHtml(paragraph.trim())}</p>`)
      .join("")}</body></html>`,
    kind: "review-acknowledgement",
    requestId: result.id,
  };
}
