import { invalid } from "../../../errors.ts";
import { addDocument, inspectDocument, readDocument } from "../../../requests/index.ts";
import { attachmentHeader } from "../../attachment.ts";
import { actorFor, currentUser } from "../../auth.ts";
import { idParams, recordId } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { requestPath } from "./paths.ts";
import { formBody, isUploadedFile } from "./requests-forms.ts";
import { requestPageContext } from "./requests-pages.ts";

// Documents on a request: uploaded from the request page (multipart, checked by the service: kind and size),
// downloaded as attachments so a browser never renders a case file as a page of ours.

const documentParams = idParams.extend({
  documentId: recordId,
});

export const documentRoutes: RoutePlugin = async (app) => {
  app.post(
    "/requests/:id/documents",
    {
      schema: { params: idParams, body: formBody },
      config: { form: { template: "staff/requests/show.njk", context: requestPageContext } },
    },
    async (request, reply) => {
      const file = request.body.file;
      // A browser sends an empty part when no file was chosen.
      if (!isUploadedFile(file) || (!file.filename && file.content.sizeBytes === 0))
        throw invalid("file", "Choose a file to upload");
      const { id } = request.params;
      const added = await addDocument(
        app.db,
        app.files,
        id,
        { filename: file.filename, content: file.content },
        actorFor(currentUser(request)),
        app.now(),
      );
      // Release safety: what the file hides is known (and shown) from the moment it is uploaded.
      await inspectDocument(app.db, app.files, added.id, app.now());
      return reply.redirect(`${requestPath(id)}?uploaded=1#documents`, 303);
    },
  );

  app.get(
    "/requests/:id/documents/:documentId",
    { schema: { params: documentParams } },
    async (request, reply) => {
      const { id, documentId } = request.params;
      const { document, bytes } = await readDocument(
        app.db,
        app.files,
        id,
        documentId,
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
