import type { Kysely } from "kysely";
import { z } from "zod";
import { londonDate } from "../../calendar/index.ts";
import type { Database, PreferredFormat } from "../../db/index.ts";
import type { Mailer } from "../../mail/index.ts";
import {
  type Actor,
  acknowledgeRequest,
  type CreatedRequest,
  channels,
  createRequest,
  isoDate,
  type NewRequestInput,
  newRequestSchema,
  newTrackingToken,
  systemActor,
  trackingTokenHash,
  trackingUrl,
} from "../../requests/index.ts";
import type { FileStore } from "../../storage/index.ts";
import { preferredFormats } from "./questions.ts";
import * as repo from "./repo.ts";

// Making a request from outside: the web form and POST /api/v1/requests both come here. The request is logged
// (committed), given a private tracking link, and acknowledged by email through the mail module.

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
  /** Whether the acknowledgement went out (no email address, an invalid request, or the transport failed). */
  acknowledged: boolean;
}

export interface SubmitDeps {
  db: Kysely<Database>;
  /** Where a letter acknowledging the request would be kept. */
  files: FileStore;
  mailer: Pick<Mailer, "send">;
  baseUrl: string;
  serviceName: string;
  log: { error(details: Record<string, unknown>, message: string): void };
}

export { trackingTokenHash, trackingUrl };

export async function submitRequest(
  deps: SubmitDeps,
  submission: Submission,
  actor: Actor,
  now: Date,
): Promise<Submitted> {
  const { preferredFormat = null, ...request } = submission;
  const receivedDate = request.receivedDate ?? londonDate(now);
  const created = await createRequest(deps.db, { ...request, receivedDate }, actor, now);
  const token = newTrackingToken();
  await repo.setTracking(deps.db, created.id, trackingTokenHash(token), preferredFormat);
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
      // The request is stored whatever happens to the email: it stays "received", for staff to acknowledge.
      deps.log.error(
        { err: { message: (error as Error).message }, requestId: created.id },
        "acknowledgement not sent",
      );
    }
  }
  return { ...created, state, receivedDate, trackingToken: token, trackingUrl: link, acknowledged };
}

/**
 * The body of POST /api/v1/requests (issue 4): at its simplest `{regime, requester{name,email,address}, body}`
 * from an integration (channel "api", received today), in which case a request that would not be valid under
 * FOIA s.8 is refused with 422 naming each field, since the sender can put it right. Staff tools logging a
 * request received by post, email or phone give `channel` and `receivedDate`; such a request is recorded even
 * when invalid, with the reasons, because it has been received.
 */
export const apiRequestSchema = newRequestSchema
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
    const { regime, requester } = input;
    // FOIA s.8(1), FOISA s.8(1): a name, an address for correspondence and a description. The EIR and the
    // EISR need no name (reg 5 of each).
    if (regime !== "eir" && regime !== "eisr" && !requester.name)
      context.addIssue({ code: "custom", path: ["requester", "name"], message: "Give the requester's name" });
    if (!requester.email && !requester.address)
      context.addIssue({
        code: "custom",
        path: ["requester", "email"],
        message: "Give an email address or a postal address for the reply",
      });
    if (!input.body)
      context.addIssue({ code: "custom", path: ["body"], message: "Describe the information requested" });
  });
export type ApiRequest = z.infer<typeof apiRequestSchema>;
