import { z } from "zod";
import { invalid } from "../../../errors.ts";
import { makeCleanCopy, releaseAsIs } from "../../../requests/index.ts";
import { actorFor, currentUser } from "../../auth.ts";
import { recordId } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { requestPath } from "./paths.ts";
import { formBody } from "./requests-forms.ts";
import { requestPageContext } from "./requests-pages.ts";

// Release safety on the request page: each file's hidden data in plain words, "Make a clean copy" (the
// original stays in the case file) and an approver's "Release as it is", with a reason.

const documentParams = z.object({
  id: recordId,
  documentId: recordId,
});

export const documentCheckRoutes: RoutePlugin = async (app) => {
  const form = { form: { template: "staff/requests/show.njk", context: requestPageContext } };
  app.post(
    "/requests/:id/documents/:documentId/clean",
    { schema: { params: documentParams, body: formBody }, config: form },
    async (request, reply) => {
      const { id, documentId } = request.params;
      const choice = request.body.trackedChanges;
      if (choice !== undefined && choice !== "accept" && choice !== "reject")
        throw invalid("trackedChanges", "Choose whether to accept or reject the tracked changes");
      await makeCleanCopy(
        app.db,
        app.files,
        id,
        documentId,
        { trackedChanges: choice ?? "accept" },
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect(`${requestPath(id)}?cleaned=1#hidden-data`, 303);
    },
  );
  app.post(
    "/requests/:id/documents/:documentId/release",
    { schema: { params: documentParams, body: formBody }, config: form },
    async (request, reply) => {
      const { id, documentId } = request.params;
      const reason = typeof request.body.reason === "string" ? request.body.reason : "";
      await releaseAsIs(app.db, app.files, id, documentId, reason, actorFor(currentUser(request)), app.now());
      return reply.redirect(`${requestPath(id)}?released=1#hidden-data`, 303);
    },
  );
};
