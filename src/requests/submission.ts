import { z } from "zod";
import { londonDate } from "../calendar/index.ts";
import type { PreferredFormat } from "../db/index.ts";
import { type AcknowledgeDeps, acknowledgeRequest } from "./acknowledge.ts";
import { isoDate } from "./actions.ts";
import {
  channels,
  type NewRequestInput,
  newRequestSchema,
  preferredFormats,
  requestValidity,
} from "./intake.ts";
import { type CreatedRequest, createRequest, systemActor } from "./service.ts";
import { newTrackingToken, startTracking, trackingUrl } from "./tracking-link.ts";
import type { Actor } from "./workflow.ts";

// Intake: every channel makes a request here (the public web form, POST /api/v1/requests, an email received,
// a member of staff logging one from the post or the phone). The request is logged (committed), given a
// private tracking link, and acknowledged through the mail port the caller provides (AcknowledgeDeps.mailer).

/** Who makes a request through the public site, as the request's history names them. */
export const publicActor: Actor = { userId: null, label: "Requester (web form)", role: "requester" };

/** A new request as createRequest takes it; the date received is today unless given. */
export type Submission = Omit<NewRequestInput, "receivedDate"> & {
  receivedDate?: string | undefined;
  preferredFormat?: PreferredFormat | null | undefined;
};

export interface Submitted extends CreatedRequest {
  receivedDate: string;
  /** The secret in the link; not stored anywhere (the confirmation page may show it once). */
  trackingToken: string;
  trackingUrl: string;
  /**
   * Whether it was acknowledged (not: no email address, an invalid request). The email may still be waiting
   * in the outbox, should the mail server have refused it: the outbox worker hands it over later.
   */
  acknowledged: boolean;
}

/** What intake needs: the acknowledgement's ports (the mailer, the file store), and a log for its failures. */
export interface IntakeDeps extends AcknowledgeDeps {
  serviceName: string;
  log: { error(details: Record<string, unknown>, message: string): void };
}

/** Logs a request from any channel, gives it a tracking link and acknowledges it by email when it can. */
export async function submitRequest(
  deps: IntakeDeps,
  submission: Submission,
  actor: Actor,
  now: Date,
): Promise<Submitted> {
  const { preferredFormat = null, ...request } = submission;
  const receivedDate = request.receivedDate ?? londonDate(now);
  const created = await createRequest(deps.db, { ...request, receivedDate }, actor, now);
  const token = newTrackingToken();
  await startTracking(deps.db, created.id, token, preferredFormat);
  const link = trackingUrl(deps.baseUrl, token);
  let acknowledged = false;
  let state = created.state;
  // Acknowledged by email at once, whichever channel logged it (the web form, the API, the inbound email),
  // the way every acknowledgement is made: the email, the event and the state together. An invalid request
  // is answered by a member of staff, who explains what is missing; a request with a postal address only is
  // acknowledged by staff with a letter to post.
  if (request.requester.email?.trim() && created.valid) {
    try {
      const result = await acknowledgeRequest(deps, created.id, 1, systemActor, now, {
        trackingToken: token,
      });
      acknowledged = true;
      state = result.state;
    } catch (error) {
      // The request is stored whatever happens (a refused email does not throw: it waits in the outbox); should
      // the acknowledgement itself fail, the request stays "received", for staff to acknowledge.
      deps.log.error(
        { err: { message: (error as Error).message }, requestId: created.id },
        "acknowledgement not sent",
      );
    }
  }
  return { ...created, state, receivedDate, trackingToken: token, trackingUrl: link, acknowledged };
}

/**
 * A request sent in by its requester or logged by staff (the body of POST /api/v1/requests, issue 4): at its
 * simplest `{regime, requester{name,email,address}, body}` from an integration (channel "api", received
 * today). A request made by its requester online ("api", "web") that would not be valid (requestValidity) is
 * refused, naming each field, since the sender can put it right. Staff logging a request received by post,
 * email or phone give `channel` and `receivedDate`; such a request is recorded even when invalid, with the
 * reasons, because it has been received.
 */
export const submissionSchema = newRequestSchema
  .extend({
    channel: z
      .enum(channels, { error: "Choose how the request arrived" })
      .default("api")
      .describe("How the request arrived; an integration leaves it out (api)"),
    receivedDate: isoDate.optional().describe("The date of receipt (YYYY-MM-DD); today when left out"),
    preferredFormat: z
      .enum(preferredFormats, { error: `Choose one of ${preferredFormats.join(", ")}` })
      .optional()
      .describe("FOIA s.11(1): the format the requester prefers"),
  })
  .superRefine((input, context) => {
    if (input.channel !== "api" && input.channel !== "web") return;
    for (const problem of requestValidity(input))
      context.addIssue({ code: "custom", path: problem.field.split("."), message: problem.ask });
  });
export type SubmissionInput = z.infer<typeof submissionSchema>;
