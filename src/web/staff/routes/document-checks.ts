import { z } from "zod";
import { invalid } from "../../../errors.ts";
import {
  type Actor,
  findingsInWords,
  makeCleanCopy,
  releaseAsIs,
  releaseBlock,
  storedChecks,
} from "../../../requests/index.ts";
import { actorFor, currentUser } from "../../auth.ts";
import type { RoutePlugin } from "../../types.ts";
import { formBody } from "./requests-forms.ts";
import { requestPageContext, requestPath } from "./requests-pages.ts";

// Release safety on the request page: each file's hidden data in plain words, "Make a clean copy" (the
// original stays in the case file) and an approver's "Release as it is", with a reason.

const documentParams = z.object({
  id: z.coerce.number().int().positive().max(2_147_483_647),
  documentId: z.coerce.number().int().positive().max(2_147_483_647),
});

const releasers = new Set(["approver", "manager", "admin"]);

/** The request page's "Hidden data in these files" section: one entry per file that cannot go out as it is. */
export async function documentCheckPanel(
  db: Parameters<typeof storedChecks>[0],
  requestId: number,
  documents: readonly { id: number; filename: string; uploaded_by: string }[],
  actor: Actor,
) {
  const checks = await storedChecks(
    db,
    documents.map((document) => document.id),
  );
  const byId = new Map(documents.map((document) => [document.id, document]));
  return [...checks.values()]
    .filter(
      (check) => releaseBlock(check) !== null || check.releasedBy !== null || check.cleanCopyOf !== null,
    )
    .map((check) => {
      const document = byId.get(check.documentId)!;
      const copy = check.cleanCopyId ? byId.get(check.cleanCopyId) : undefined;
      const original = check.cleanCopyOf ? byId.get(check.cleanCopyOf) : undefined;
      return {
        id: check.documentId,
        filename: document.filename,
        href: `${requestPath(requestId)}/documents/${check.documentId}`,
        findings: findingsInWords(check),
        blocked: releaseBlock(check),
        cleanCopy: copy
          ? { filename: copy.filename, href: `${requestPath(requestId)}/documents/${copy.id}` }
          : null,
        cleanCopyOf: original?.filename ?? null,
        released: check.releasedBy
          ? { by: check.releasedBy, reason: check.releasedReason, at: check.releasedAt }
          : null,
        canClean:
          !check.cleanCopyId && !check.cleanCopyOf && (check.findings.length > 0 || check.refused === null),
        canRelease: releasers.has(actor.role) && document.uploaded_by !== actor.label && !check.releasedBy,
        tracked: check.findings.some((finding) => finding.kind === "tracked-change"),
      };
    });
}

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
