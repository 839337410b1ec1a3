import { z } from "zod";
import { DomainError } from "../../../errors.ts";
import {
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
  .describe("A request's reply, checked");

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

const tags = ["replies"];
const refusals = {
  403: errorsSchema.describe("Not allowed for this role"),
  404: errorsSchema.describe("There is no such request, or no reply"),
  409: errorsSchema.describe("Not allowed in the request's state, or a stale version"),
};

export const replyApiRoutes: RoutePlugin = async (app) => {
  app.get(
    "/requests/:id/reply",
    {
      schema: {
        summary: "A request's reply, with what stops it being approved or sent",
        tags,
        params: idParams,
        response: { 200: replySchema, 404: refusals[404] },
      },
    },
    async (request) => {
      const { id } = request.params;
      const detail = await requestDetail(app.db, { id }, actorFor(currentUser(request)), app.now());
      const stored = await replyFor(app.db, id);
      if (!stored) throw new DomainError("not-found", "No reply has been drafted for this request");
      return {
        requestId: id,
        content: stored.content as Record<string, unknown>,
        outcome: stored.outcome,
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
    "/requests/:id/reply",
    {
      schema: {
        summary: "Save the reply's draft",
        description:
          "A draft may be incomplete: the answer lists what it lacks. The reference, regime, dates and requester come from the request. Refused once the reply is submitted for approval, until it is returned.",
        tags,
        params: idParams,
        body: z.object({
          version,
          reply: z.record(z.string(), z.unknown()).describe("The structured reply"),
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
      );
      return { ...saved, problems: [...saved.problems] };
    },
  );

  app.post(
    "/requests/:id/reply/submit",
    {
      schema: {
        summary: "Submit the reply for approval",
        description:
          "With the outcome the reply amounts to; an incomplete reply is refused (422), every problem listed.",
        tags,
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

  app.post(
    "/requests/:id/reply/send",
    {
      schema: {
        summary: "Send the reply",
        description:
          "Stores the PDF letter and the Word document on the request as part of the reply, records the outcome (responded), and queues the email with the letter in the mail outbox in the same transaction, then hands it to the mail server (emailed: accepted now; otherwise it stays in the outbox and is tried again). With no email address the letter is left to be posted. A reply that needs approval must be approved first.",
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
};
