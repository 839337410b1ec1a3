import { z } from "zod";
import { DomainError } from "../../../errors.ts";
import {
  recordPosted,
  replyFor,
  replyLetterhead,
  requestDetail,
  saveReplyDraft,
  sendReply,
  submitReply,
} from "../../../requests/index.ts";
import { actorFor, currentUser } from "../../auth.ts";
import { recordId } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { errorsSchema } from "./requests.ts";

// The reply over JSON: read the draft with what stops it going, save a draft, submit it for approval and send
// it. Approving and returning it are the request's actions (POST /requests/{id}/actions). The same service
// functions as the back office: the workflow's guards refuse (403, 409, 422 listing every problem).

const idParams = z.object({
  id: recordId.describe("The request's id"),
});
const version = z
  .number({ error: "Send the version the request was read at" })
  .int()
  .min(1)
  .describe("The request's version as last read");

const problemSchema = z.object({ field: z.string(), message: z.string() });

const replySchema = z
  .object({
    requestId: z.number().int(),
    content: z
      .record(z.string(), z.unknown())
      .describe("The structured reply as drafted (questions, decisions, exemptions, disclosure, advice…)"),
    outcome: z.string().describe("The outcome the reply amounts to, e.g. partially-withheld"),
    reviewOutcome: z
      .string()
      .nullable()
      .describe("The review letter's decision (upheld, partly-overturned, overturned); null on the reply"),
    problems: z
      .array(problemSchema)
      .describe("What stops it being approved or sent, each on its field; empty when complete"),
    updatedAt: z.string(),
    updatedBy: z.string(),
    sentAt: z.string().nullable(),
    letterDocumentId: z
      .number()
      .int()
      .nullable()
      .describe("The PDF letter sent, among the request's documents"),
    wordDocumentId: z.number().int().nullable(),
    requestVersion: z.number().int().describe("Send it back with a change: a stale version is refused (409)"),
  })
  .describe("A request's reply or internal review letter, checked");

const savedSchema = z.object({
  id: z.number().int(),
  reference: z.string(),
  state: z.string(),
  version: z.number().int(),
  outcome: z.string(),
  problems: z.array(problemSchema),
});

const actedSchema = z.object({
  id: z.number().int(),
  reference: z.string(),
  state: z.string(),
  version: z.number().int(),
});

const sentSchema = actedSchema.extend({
  outcome: z.string(),
  method: z.enum(["email", "post"]).describe("Email, or post when the requester gave no email address"),
  to: z.string(),
  emailed: z.boolean(),
  emailError: z.string().nullable().describe("Why the email failed; the reply is still recorded as sent"),
  letterDocumentId: z.number().int(),
  wordDocumentId: z.number().int(),
});

const refusals = {
  403: errorsSchema.describe("Not allowed for this role"),
  404: errorsSchema.describe("There is no such request, or no reply"),
  409: errorsSchema.describe("Not allowed in the request's state, or a stale version"),
};

/** The two letters over the same routes: the reply, and the internal review's letter (s.45 code part 5). */
const letters = [
  { kind: "reply", path: "reply", name: "reply", tag: "replies" },
  { kind: "review", path: "review-letter", name: "review letter", tag: "review letters" },
] as const;

export const replyApiRoutes: RoutePlugin = async (app) => {
  for (const letter of letters) {
    const tags = [letter.tag];
    const review = letter.kind === "review";
    app.get(
      `/requests/:id/${letter.path}`,
      {
        schema: {
          summary: review
            ? "A request's internal review letter, with what stops it being sent"
            : "A request's reply, with what stops it being approved or sent",
          tags,
          params: idParams,
          response: { 200: replySchema, 404: refusals[404] },
        },
      },
      async (request) => {
        const { id } = request.params;
        const detail = await requestDetail(app.db, { id }, actorFor(currentUser(request)), app.now());
        const stored = await replyFor(app.db, id, letter.kind);
        if (!stored)
          throw new DomainError("not-found", `No ${letter.name} has been drafted for this request`);
        return {
          requestId: id,
          content: stored.content as Record<string, unknown>,
          outcome: stored.outcome,
          reviewOutcome: stored.reply?.review?.outcome ?? null,
          problems: [...stored.problems],
          updatedAt: stored.updatedAt.toISOString(),
          updatedBy: stored.updatedBy,
          sentAt: stored.sentAt?.toISOString() ?? null,
          letterDocumentId: stored.letterDocumentId,
          wordDocumentId: stored.wordDocumentId,
          requestVersion: detail.request.version,
        };
      },
    );

    app.put(
      `/requests/:id/${letter.path}`,
      {
        schema: {
          summary: review ? "Save the internal review letter's draft" : "Save the reply's draft",
          description: review
            ? "The review letter is a reply with a review section: { outcome: upheld | partly-overturned | overturned, reasons: [...], nextSteps }, and the questions, exemptions and reasons as they stand after the review; Disclosure holds only what is newly disclosed. The dates of the review request and of the reply under review come from the request. Refused to anyone who drafted, submitted, approved or sent the original reply."
            : "A draft may be incomplete: the answer lists what it lacks. The reference, regime, dates and requester come from the request. Refused once the reply is submitted for approval, until it is returned.",
          tags,
          params: idParams,
          body: z.object({
            version,
            reply: z.record(z.string(), z.unknown()).describe(`The structured ${letter.name}`),
          }),
          response: { 200: savedSchema, ...refusals },
        },
      },
      async (request) => {
        const saved = await saveReplyDraft(
          app.db,
          request.params.id,
          request.body.reply,
          request.body.version,
          actorFor(currentUser(request)),
          app.now(),
          letter.kind,
        );
        return { ...saved, problems: [...saved.problems] };
      },
    );

    app.post(
      `/requests/:id/${letter.path}/send`,
      {
        schema: {
          summary: review ? "Send the internal review letter" : "Send the reply",
          description: review
            ? "Stores the review letter's PDF and Word document on the request, records the review decision (review-decided) when emailed, and queues the email with the letter in the mail outbox in the same transaction, then hands it to the mail server (emailed: accepted now; otherwise it stays in the outbox and is tried again). With no email address the letter is generated to be posted and the decision waits for it: record it as posted (record-posted). An incomplete letter is refused (422), every problem listed."
            : "Stores the PDF letter and the Word document on the request as part of the reply, records the outcome (responded) when emailed, and queues the email with the letter in the mail outbox in the same transaction, then hands it to the mail server (emailed: accepted now; otherwise it stays in the outbox and is tried again). With no email address the letter is generated to be posted and the request is not responded until it is recorded as posted (record-posted). A reply that needs approval must be approved first.",
          tags,
          params: idParams,
          body: z.object({ version }),
          response: { 200: sentSchema, ...refusals },
        },
      },
      async (request) => {
        const sent = await sendReply(
          app.db,
          app.files,
          app.mailer,
          request.params.id,
          request.body.version,
          actorFor(currentUser(request)),
          app.now(),
          await replyLetterhead(app.db),
          letter.kind,
        );
        return {
          id: sent.id,
          reference: sent.reference,
          state: sent.state,
          version: sent.version,
          outcome: sent.outcome,
          method: sent.method,
          to: sent.to,
          emailed: sent.emailed,
          emailError: sent.emailError,
          letterDocumentId: sent.letterDocumentId,
          wordDocumentId: sent.wordDocumentId,
        };
      },
    );

    app.post(
      `/requests/:id/${letter.path}/record-posted`,
      {
        schema: {
          summary: `Record the ${letter.name}'s letter as posted`,
          description: `For a ${letter.name} sent as a letter to post: records the day it was posted (not in the future, not before the letter was generated) and, dated that day, ${review ? "the review decision (review-decided)" : "the outcome (responded)"}. The reply is given when it is sent (FOIA s.10(1)), so the statutory clock counts to that day. Any member of staff may record it; until it is recorded, the request cannot be withdrawn, extended or moved to another law (409).`,
          tags,
          params: idParams,
          body: z.object({ version, date: z.string() }),
          response: { 200: actedSchema, ...refusals },
        },
      },
      async (request) => {
        const result = await recordPosted(
          app.db,
          request.params.id,
          { date: request.body.date },
          request.body.version,
          actorFor(currentUser(request)),
          app.now(),
          letter.kind,
        );
        return { id: result.id, reference: result.reference, state: result.state, version: result.version };
      },
    );
  }

  app.post(
    "/requests/:id/reply/submit",
    {
      schema: {
        summary: "Submit the reply for approval",
        description:
          "With the outcome the reply amounts to; an incomplete reply is refused (422), every problem listed.",
        tags: ["replies"],
        params: idParams,
        body: z.object({ version, note: z.string().max(10_000).optional() }),
        response: { 200: actedSchema, ...refusals },
      },
    },
    async (request) => {
      const result = await submitReply(
        app.db,
        request.params.id,
        request.body.version,
        actorFor(currentUser(request)),
        app.now(),
        request.body.note,
      );
      return { id: result.id, reference: result.reference, state: result.state, version: result.version };
    },
  );
};
