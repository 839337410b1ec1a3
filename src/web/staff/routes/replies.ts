import { z } from "zod";
import { DomainError } from "../../../errors.ts";
import {
  paragraphForRequest,
  performAction,
  recordPosted,
  renderReplyFile,
  replyLetterhead,
  resendReplyEmail,
  saveReplyDraft,
  sendReply,
  submitReply,
} from "../../../requests/index.ts";
import { attachmentHeader } from "../../attachment.ts";
import { actorFor, currentUser } from "../../auth.ts";
import { idParams } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { readReplyForm, replyCommand, withParagraph } from "./replies-form.ts";
import { editorContext, previewContext, replyPath } from "./replies-pages.ts";
import { type FormBody, FormProblems, fieldText, formBody } from "./requests-forms.ts";

// The reply to a request in the back office: the editor (every button saves the draft), the preview, the
// draft's letter and Word document, and the workflow's steps for the reply (submit, approve, return, send).
// Each handler reads the form and calls one service function; the workflow's rules live in requests.

const notices: Record<string, string> = {
  saved: "Draft saved",
  inserted: "Paragraph inserted and draft saved",
  removed: "Removed, and draft saved",
  submitted: "Submitted for approval",
  approved: "Approved: it can be sent",
  returned: "Returned to its author for changes",
  sent: "Reply sent, and the request recorded as responded",
  posted: "Letter ready to post: print it, post it, then record the day it was posted",
  "recorded-posted": "Letter recorded as posted, and the request recorded as responded",
  "email-failed": "Reply recorded as sent, but the email was not delivered",
  sending: "Reply recorded as sent: the email is in the outbox and goes as soon as the mail server takes it",
  emailed: "Email sent again",
};

/** The review letter's own words where they differ: sending it decides the review, not the request. */
const reviewNotices: Record<string, string> = {
  sent: "Review letter sent, and the review recorded as decided",
  posted: "Review letter ready to post: print it, post it, then record the day it was posted",
  "recorded-posted": "Review letter recorded as posted, and the review recorded as decided",
  "email-failed": "Review letter recorded as sent, but the email was not delivered",
  sending:
    "Review letter recorded as sent and the review as decided: the email is in the outbox and goes as soon as the mail server takes it",
};

function noticeFor(letter: "reply" | "review", done: string | undefined): string | undefined {
  return (letter === "review" ? reviewNotices[done ?? ""] : undefined) ?? notices[done ?? ""];
}

const editorForm = { template: "staff/replies/edit.njk", context: editorContext };
const previewForm = { template: "staff/replies/preview.njk", context: previewContext };

function versionOf(body: FormBody): number {
  const version = Number(fieldText(body, "version"));
  if (!Number.isInteger(version))
    throw new DomainError("invalid", "Reload the page and try again", "version");
  return version;
}

/** Where the editor goes after a save: back to the item just added, removed or filled. */
function afterSave(editor: string, command: ReturnType<typeof replyCommand>, counts: Record<string, number>) {
  switch (command.kind) {
    case "preview":
      return `${editor}/preview`;
    case "add": {
      const lists: Record<string, [string, string]> = {
        question: ["questions", "question"],
        exemption: ["exemptions", "exemption"],
        text: ["disclosure", "text"],
        table: ["disclosure", "table"],
        attachment: ["disclosure", "attachment"],
        advice: ["advice", "advice"],
        "cost-line": ["refusal", "cost-line"],
      };
      const [list, add] = lists[command.list] ?? ["questions", "question"];
      return `${editor}?add=${add}#${list}.${counts[list] ?? 0}`;
    }
    case "remove":
      return `${editor}?done=removed#${command.item.replace(/\.\d+$/, "")}`;
    case "insert":
      return `${editor}?done=inserted#${command.field}`;
    default:
      return `${editor}?done=saved`;
  }
}

export const replyRoutes: RoutePlugin = async (app) => {
  // The request page's actions from the workflow table lead here.
  app.get("/requests/:id/actions/draft-reply", { schema: { params: idParams } }, async (request, reply) =>
    reply.redirect(replyPath(request.params.id), 303),
  );
  app.get("/requests/:id/actions/send-reply", { schema: { params: idParams } }, async (request, reply) =>
    reply.redirect(`${replyPath(request.params.id)}/preview#send`, 303),
  );
  app.get(
    "/requests/:id/actions/draft-review-letter",
    { schema: { params: idParams } },
    async (request, reply) => reply.redirect(replyPath(request.params.id, "review"), 303),
  );
  app.get("/requests/:id/actions/record-posted", { schema: { params: idParams } }, async (request, reply) =>
    reply.redirect(`${replyPath(request.params.id)}/preview#ready-to-post`, 303),
  );
  app.get(
    "/requests/:id/actions/record-review-posted",
    { schema: { params: idParams } },
    async (request, reply) =>
      reply.redirect(`${replyPath(request.params.id, "review")}/preview#ready-to-post`, 303),
  );
  app.get(
    "/requests/:id/actions/send-review-letter",
    { schema: { params: idParams } },
    async (request, reply) => reply.redirect(`${replyPath(request.params.id, "review")}/preview#send`, 303),
  );

  // The reply's pages, and the same pages for the internal review's letter (s.45 code of practice part 5).
  for (const letter of ["reply", "review"] as const) {
    const segment = letter === "review" ? "review-letter" : "reply";
    const previewPage = (id: number, done: string) => `${replyPath(id, letter)}/preview?done=${done}`;

    app.get(
      `/requests/:id/${segment}`,
      {
        schema: {
          params: idParams,
          querystring: z.object({ add: z.string().optional(), done: z.string().optional() }),
        },
      },
      async (request, reply) =>
        reply.render("staff/replies/edit.njk", {
          ...(await editorContext(request)),
          notice: noticeFor(letter, request.query.done),
        }),
    );

    app.post(
      `/requests/:id/${segment}`,
      { schema: { params: idParams, body: formBody }, config: { form: editorForm } },
      async (request, reply) => {
        const { id } = request.params;
        const command = replyCommand(request.body);
        let body = request.body;
        if (command.kind === "insert") {
          if (command.paragraphId === null)
            throw new DomainError("invalid", "Choose a paragraph to insert", `library.${command.field}`);
          const text = await paragraphForRequest(app.db, id, command.paragraphId, app.now());
          body = withParagraph(body, command.field, text);
        }
        const input = readReplyForm(
          body,
          command.kind === "remove" ? command.item : undefined,
          letter === "review",
        );
        await saveReplyDraft(
          app.db,
          id,
          input,
          versionOf(body),
          actorFor(currentUser(request)),
          app.now(),
          letter,
        );
        const counts = {
          questions: input.questions?.length ?? 0,
          exemptions: input.exemptions?.length ?? 0,
          disclosure: input.disclosure?.length ?? 0,
          advice: input.advice?.length ?? 0,
        };
        return reply.redirect(afterSave(replyPath(id, letter), command, counts), 303);
      },
    );

    app.get(
      `/requests/:id/${segment}/preview`,
      { schema: { params: idParams, querystring: z.object({ done: z.string().optional() }) } },
      async (request, reply) =>
        reply.render("staff/replies/preview.njk", {
          ...(await previewContext(request)),
          notice: noticeFor(letter, request.query.done),
        }),
    );

    for (const format of ["pdf", "docx"] as const) {
      app.get(
        `/requests/:id/${segment}/letter.${format}`,
        { schema: { params: idParams } },
        async (request, reply) => {
          const file = await renderReplyFile(app.db, app.files, request.params.id, format, app.now(), letter);
          return reply
            .type(file.mediaType)
            .header("content-disposition", attachmentHeader(file.filename))
            .header("cache-control", "no-store")
            .send(Buffer.from(file.bytes));
        },
      );
    }

    app.post(
      `/requests/:id/${segment}/send`,
      { schema: { params: idParams, body: formBody }, config: { form: previewForm } },
      async (request, reply) => {
        const { id } = request.params;
        const sent = await sendReply(
          app.db,
          app.files,
          app.mailer,
          id,
          versionOf(request.body),
          actorFor(currentUser(request)),
          app.now(),
          await replyLetterhead(app.db),
          letter,
        );
        const done =
          sent.method === "post"
            ? "posted"
            : sent.emailed
              ? "sent"
              : sent.emailError
                ? "email-failed"
                : "sending";
        return reply.redirect(previewPage(id, done), 303);
      },
    );

    // A postal letter: the day it was posted is the day the reply was given (FOIA s.10(1)).
    app.post(
      `/requests/:id/${segment}/record-posted`,
      { schema: { params: idParams, body: formBody }, config: { form: previewForm } },
      async (request, reply) => {
        const { id } = request.params;
        const form = new FormProblems();
        const date = form.date(request.body, "date");
        if (form.problems.length > 0) {
          const [first] = form.problems;
          throw new DomainError("invalid", first!.message, first!.field, form.problems);
        }
        await recordPosted(
          app.db,
          id,
          { date },
          versionOf(request.body),
          actorFor(currentUser(request)),
          app.now(),
          letter,
        );
        return reply.redirect(previewPage(id, "recorded-posted"), 303);
      },
    );

    app.post(
      `/requests/:id/${segment}/resend-email`,
      { schema: { params: idParams, body: formBody }, config: { form: previewForm } },
      async (request, reply) => {
        const { id } = request.params;
        const result = await resendReplyEmail(
          app.db,
          app.files,
          app.mailer,
          id,
          actorFor(currentUser(request)),
          app.now(),
          letter,
        );
        return reply.redirect(previewPage(id, result.emailed ? "emailed" : "email-failed"), 303);
      },
    );
  }

  // Four-eyes is the reply's: the review letter is written by someone not involved and sent by them.
  const previewPage = (id: number, done: string) => `${replyPath(id)}/preview?done=${done}`;

  app.post(
    "/requests/:id/reply/submit",
    { schema: { params: idParams, body: formBody }, config: { form: previewForm } },
    async (request, reply) => {
      const { id } = request.params;
      const note = fieldText(request.body, "note");
      await submitReply(app.db, id, versionOf(request.body), actorFor(currentUser(request)), app.now(), note);
      return reply.redirect(previewPage(id, "submitted"), 303);
    },
  );

  app.post(
    "/requests/:id/reply/approve",
    { schema: { params: idParams, body: formBody }, config: { form: previewForm } },
    async (request, reply) => {
      const { id } = request.params;
      const note = fieldText(request.body, "note");
      await performAction(
        app.db,
        id,
        { type: "approve", ...(note ? { note } : {}) },
        versionOf(request.body),
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect(previewPage(id, "approved"), 303);
    },
  );

  app.post(
    "/requests/:id/reply/return",
    { schema: { params: idParams, body: formBody }, config: { form: previewForm } },
    async (request, reply) => {
      const { id } = request.params;
      await performAction(
        app.db,
        id,
        { type: "return-for-changes", note: fieldText(request.body, "note") ?? "" },
        versionOf(request.body),
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect(previewPage(id, "returned"), 303);
    },
  );
};
