import { z } from "zod";
import {
  actionSchema,
  addDocument,
  MAX_DOCUMENT_BYTES,
  readDocument,
  requestDetail,
  requestRegimes,
  requestStates,
  stateLabels,
  submissionSchema,
  submitRequest,
  takeAction,
  type WorkQueueFilter,
  workQueue,
} from "../../../requests/index.ts";
import { attachmentHeader } from "../../attachment.ts";
import { actorFor, currentUser } from "../../auth.ts";
import { acknowledgeDeps, intakeDeps } from "../../inbound.ts";
import { recordId } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";

// Casework over JSON, for staff tools and scripts with a token (`foidesk token create --user NAME`): the work
// queue, logging a request, a request's detail, its actions and its documents. Each route calls one service
// function; the service enforces roles (403), the workflow (409) and versions (409).

const idParams = z.object({ id: recordId.describe("The request's id") });

/** The error body of every refusal (web/errors.ts), listed so the OpenAPI document shows 403/404/409/413. */
export const errorsSchema = z
  .object({
    errors: z.array(z.object({ field: z.string().optional(), message: z.string() })),
    correlationId: z.string(),
  })
  .describe("What was refused and why; each problem names its field when it has one");

const refusal = (description: string) => errorsSchema.describe(description);

const stateSchema = z.enum(requestStates);

const queueQuery = z.object({
  mine: z.stringbool().optional().describe("Only requests assigned to the token's user"),
  assigneeId: recordId.optional().describe("Only requests assigned to this member of staff"),
  teamId: recordId.optional().describe("Only this team's requests"),
  state: stateSchema.optional().describe("Only requests in this (open) state"),
  regime: z.enum(requestRegimes).optional(),
  dueWithinWorkingDays: z.coerce
    .number()
    .int()
    .min(0)
    .max(260)
    .optional()
    .describe("Only requests due within this many working days (clock running)"),
  overdue: z.stringbool().optional().describe("Only overdue requests"),
  page: z.coerce.number().int().min(1).max(100_000).optional().describe("From 1; 50 a page by default"),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
});

const queueRowSchema = z.object({
  id: z.number().int(),
  reference: z.string(),
  regime: z.string(),
  state: z.string(),
  stateLabel: z.string(),
  topic: z.string().nullable(),
  summary: z.string().describe("The start of the request's text"),
  requesterName: z.string(),
  assignee: z.string().nullable(),
  team: z.string().nullable(),
  receivedDate: z.string(),
  dueDate: z.string().nullable(),
  clockStopped: z.boolean(),
  daysLeft: z
    .number()
    .int()
    .nullable()
    .describe("In `unit` days; negative when overdue; null while the clock is stopped"),
  unit: z.enum(["working", "calendar"]).describe("Working days, or calendar days for subject access"),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
  version: z.number().int(),
});

const workQueueSchema = z
  .object({
    requests: z.array(queueRowSchema),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    pages: z.number().int(),
    counts: z.object({ open: z.number().int(), overdue: z.number().int(), dueSoon: z.number().int() }),
  })
  .describe("One page of the work queue, soonest due first (overdue first)");

const createdSchema = z
  .object({
    id: z.number().int(),
    reference: z.string(),
    state: z.string(),
    dueDate: z.string().nullable(),
    valid: z.boolean(),
    problems: z.array(z.string()).describe("Why the request is not valid (FOIA s.8), when it is not"),
    trackingUrl: z
      .string()
      .describe("The requester's private link to follow the request (also in their acknowledgement email)"),
  })
  .describe("The request as logged; one that fails the validity checks is recorded as invalid");

const detailSchema = z
  .object({
    id: z.number().int(),
    reference: z.string(),
    regime: z.string(),
    channel: z.string(),
    receivedDate: z.string(),
    body: z.string(),
    questions: z.array(z.string()),
    topic: z.string().nullable(),
    state: z.string(),
    stateLabel: z.string(),
    outcome: z.string().nullable(),
    valid: z.boolean(),
    invalidReason: z.string().nullable(),
    reviewReceivedDate: z.string().nullable(),
    reviewOutcome: z.string().nullable(),
    version: z.number().int().describe("Send it back with an action: a stale version is refused (409)"),
    updatedAt: z.string(),
    updatedBy: z.string(),
    requester: z.object({
      id: z.number().int(),
      name: z.string(),
      email: z.string().nullable(),
      address: z.string().nullable(),
      organisation: z.string().nullable(),
      type: z.string(),
    }),
    assignee: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    team: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    deadline: z
      .object({
        regime: z.string().describe("The regime whose clock runs: an internal review has its own"),
        dueDate: z.string(),
        refusalNoticeDue: z.string().nullable().describe("FOIA s.17(1) under a public-interest extension"),
        unit: z.enum(["working", "calendar"]),
        daysAllowed: z.number().int(),
        daysUsed: z.number().int(),
        daysLeft: z.number().int(),
        stopped: z.boolean(),
        overdue: z.boolean(),
      })
      .nullable(),
    overdue: z.boolean(),
    timeline: z.array(
      z.object({
        seq: z.number().int(),
        type: z.string(),
        label: z.string(),
        actor: z.string(),
        occurredAt: z.string(),
        details: z.record(z.string(), z.unknown()),
      }),
    ),
    documents: z.array(
      z.object({
        id: z.number().int(),
        filename: z.string(),
        mediaType: z.string(),
        sizeBytes: z.number().int(),
        sha256: z.string(),
        uploadedBy: z.string(),
        uploadedAt: z.string(),
      }),
    ),
    warnings: z.array(
      z.object({
        reference: z.string(),
        kind: z.enum(["repeated", "aggregation"]),
        similarity: z.number(),
        message: z.string(),
      }),
    ),
    actions: z
      .array(z.object({ type: z.string(), label: z.string() }))
      .describe("The actions this user may take in this state"),
  })
  .describe("A request with its requester, deadline, history, documents and allowed actions");

const actionBody = z.intersection(
  actionSchema,
  z.object({
    version: z
      .number({ error: "Send the version the request was read at" })
      .int()
      .min(1)
      .describe("The request's version as last read"),
  }),
);

const actionResultSchema = z
  .object({
    id: z.number().int(),
    reference: z.string(),
    state: z.string(),
    stateLabel: z.string(),
    version: z.number().int(),
    dueDate: z.string().nullable(),
  })
  .describe("The request after the action: its new state and version");

const documentBody = z.object({
  filename: z
    .string()
    .trim()
    .min(1, "Give the file's name")
    .max(200)
    .describe("With its extension, e.g. reply.pdf"),
  contentBase64: z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, "Send the file's bytes in base64")
    .describe(`The file, base64-encoded; at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB before encoding`),
});

const documentSchema = z.object({
  id: z.number().int(),
  filename: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
});

type Detail = Awaited<ReturnType<typeof requestDetail>>;

function detailJson(detail: Detail) {
  const row = detail.request;
  const deadline = detail.deadline;
  return {
    id: row.id,
    reference: row.reference,
    regime: row.regime,
    channel: row.channel,
    receivedDate: row.received_date,
    body: row.body,
    questions: row.questions,
    topic: row.topic,
    state: row.state,
    stateLabel: stateLabels[row.state] ?? row.state,
    outcome: row.outcome,
    valid: row.valid,
    invalidReason: row.invalid_reason,
    reviewReceivedDate: row.review_received_date,
    reviewOutcome: row.review_outcome,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
    requester: {
      id: row.requester_id,
      name: row.requester_name,
      email: row.requester_email,
      address: row.requester_address,
      organisation: row.requester_organisation,
      type: row.requester_type,
    },
    assignee: row.assignee_id !== null ? { id: row.assignee_id, name: row.assignee_name ?? "" } : null,
    team: row.team_id !== null ? { id: row.team_id, name: row.team_name ?? "" } : null,
    deadline: deadline
      ? {
          regime: deadline.regime,
          dueDate: deadline.dueDate,
          refusalNoticeDue: deadline.refusalNoticeDue ?? null,
          unit: deadline.unit,
          daysAllowed: deadline.daysAllowed,
          daysUsed: deadline.daysUsed,
          // law's timeLeft, as the work queue and the request page count it
          daysLeft: detail.standing?.daysLeft ?? deadline.daysLeft,
          stopped: deadline.stopped,
          overdue: detail.standing?.overdue ?? deadline.overdue,
        }
      : null,
    overdue: detail.overdue,
    timeline: detail.timeline.map((entry) => ({
      seq: entry.seq,
      type: entry.type,
      label: entry.label,
      actor: entry.actor,
      occurredAt: entry.occurredAt.toISOString(),
      details: entry.details,
    })),
    documents: detail.documents.map((document) => ({
      id: document.id,
      filename: document.filename,
      mediaType: document.media_type,
      sizeBytes: document.size_bytes,
      sha256: document.sha256,
      uploadedBy: document.uploaded_by,
      uploadedAt: document.uploaded_at.toISOString(),
    })),
    warnings: detail.warnings,
    actions: detail.actions,
  };
}

const tags = ["casework"];

export const requestApiRoutes: RoutePlugin = async (app) => {
  app.get(
    "/requests",
    {
      schema: {
        summary: "The work queue",
        description:
          "Open requests, soonest due first (so overdue first), with the counts a manager watches.",
        tags,
        querystring: queueQuery,
        response: { 200: workQueueSchema },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const query = request.query;
      const filter: WorkQueueFilter = {
        assigneeId: query.mine ? user.id : query.assigneeId,
        teamId: query.teamId,
        state: query.state,
        regime: query.regime,
        dueWithinWorkingDays: query.dueWithinWorkingDays,
        overdue: query.overdue,
        page: query.page,
        pageSize: query.pageSize,
      };
      const queue = await workQueue(app.db, filter, app.now(), actorFor(user));
      return {
        requests: queue.rows.map((row) => ({
          id: row.id,
          reference: row.reference,
          regime: row.regime,
          state: row.state,
          stateLabel: stateLabels[row.state] ?? row.state,
          topic: row.topic,
          summary: row.summary,
          requesterName: row.requester_name,
          assignee: row.assignee_name,
          team: row.team_name,
          receivedDate: row.received_date,
          dueDate: row.due_date,
          clockStopped: row.clock_stopped,
          daysLeft: row.daysLeft,
          unit: row.unit,
          overdue: row.overdue,
          dueSoon: row.dueSoon,
          version: row.version,
        })),
        total: Number(queue.total),
        page: queue.page,
        pageSize: queue.pageSize,
        pages: queue.pages,
        counts: {
          open: Number(queue.counts.open),
          overdue: Number(queue.counts.overdue),
          dueSoon: Number(queue.counts.dueSoon),
        },
      };
    },
  );

  app.post(
    "/requests",
    {
      schema: {
        summary: "Make a request (integrations) or log one received by post, email or phone (staff)",
        description:
          'An integration sends `{"regime", "requester": {"name", "email", "address"}, "body"}`: the request is received today through the API, and one that FOIA s.8 would not accept is refused (422, naming each field). Staff tools logging a request received by post, email or phone also send `channel` and `receivedDate`; such a request is recorded even when invalid, with the reasons. Either way the answer carries the reference, the due date and the requester\'s private tracking link. A valid request with an email address is acknowledged by email at once (state acknowledged, version 2); one with a postal address only is acknowledged with the `acknowledge` action, which makes the letter to post. An officer may assign it only to themselves.',
        operationId: "createRequest",
        tags,
        body: submissionSchema,
        response: { 201: createdSchema, 403: refusal("Not allowed for this role") },
      },
    },
    async (request, reply) => {
      const submitted = await submitRequest(
        intakeDeps(app, request.log),
        request.body,
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.code(201).send(submitted);
    },
  );

  app.get(
    "/requests/:id",
    {
      schema: {
        summary: "A request: detail, deadline, timeline, documents and allowed actions",
        tags,
        params: idParams,
        response: { 200: detailSchema, 404: refusal("There is no such request") },
      },
    },
    async (request) => {
      const user = currentUser(request);
      return detailJson(await requestDetail(app.db, { id: request.params.id }, actorFor(user), app.now()));
    },
  );

  app.get(
    "/requests/by-reference/:reference",
    {
      schema: {
        summary: "A request found by its reference",
        tags,
        params: z.object({ reference: z.string().min(1).max(100).describe("e.g. 01.FOI.22.024103") }),
        response: { 200: detailSchema, 404: refusal("No request has this reference") },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const where = { reference: request.params.reference };
      return detailJson(await requestDetail(app.db, where, actorFor(user), app.now()));
    },
  );

  app.post(
    "/requests/:id/actions",
    {
      schema: {
        summary: "Take an action on a request",
        description:
          'One action, e.g. `{"type": "acknowledge", "version": 3}`, with the fields its type takes and the version the request was read at. `{"type": "change-regime", "regime": "eir", "reason": "…", "version": 4}` moves a request logged under the wrong law to the right one (a regime of the authority\'s jurisdiction): the received date and reference stay, the due date becomes the new law\'s. Refused with 409 when the version is stale or the action is not allowed in this state (the message says what is allowed from here), 403 when the role may not take it.',
        tags,
        params: idParams,
        body: actionBody,
        response: {
          200: actionResultSchema,
          403: refusal("This role may not take this action"),
          404: refusal("There is no such request"),
          409: refusal("Stale version, or not allowed from this state; the message says what is"),
        },
      },
    },
    async (request) => {
      const { version, ...action } = request.body;
      const result = await takeAction(
        acknowledgeDeps(app),
        request.params.id,
        action,
        version,
        actorFor(currentUser(request)),
        app.now(),
      );
      return { ...result, stateLabel: stateLabels[result.state] ?? result.state };
    },
  );

  app.post(
    "/requests/:id/documents",
    {
      // base64 is 4/3 of the bytes; the service refuses anything over MAX_DOCUMENT_BYTES itself.
      bodyLimit: Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 64 * 1024,
      schema: {
        summary: "Add a document to a request",
        description: `JSON with the file in base64 (no multipart). Allowed: PDF, Word, OpenDocument, spreadsheets, CSV, text, RTF, email, PNG and JPEG, up to ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB; anything else is refused (422, 413).`,
        tags,
        params: idParams,
        body: documentBody,
        response: {
          201: documentSchema,
          404: refusal("There is no such request"),
          413: refusal("The file is too large"),
        },
      },
    },
    async (request, reply) => {
      const bytes = Buffer.from(request.body.contentBase64, "base64");
      const document = await addDocument(
        app.db,
        app.files,
        request.params.id,
        { filename: request.body.filename, bytes },
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.code(201).send(document);
    },
  );

  app.get(
    "/requests/:id/documents/:documentId",
    {
      schema: {
        summary: "Download a document",
        description: "Answers with the file itself, in its media type, as an attachment.",
        tags,
        params: idParams.extend({ documentId: recordId.describe("The document's id") }),
      },
    },
    async (request, reply) => {
      const { document, bytes } = await readDocument(
        app.db,
        app.files,
        request.params.id,
        request.params.documentId,
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply
        .type(document.media_type)
        .header("content-disposition", attachmentHeader(document.filename))
        .header("cache-control", "private, no-store")
        .send(Buffer.from(bytes));
    },
  );
};
