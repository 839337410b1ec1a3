import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { DomainError, invalid } from "../../../errors.ts";
import {
  FileRefused,
  PdfPageCache,
  type RedactionArea,
  type RedactionPattern,
  redactionPatterns,
} from "../../../files/index.ts";
import { makeCleanCopy, makeRedactedCopy, readDocument, releaseAsIs } from "../../../requests/index.ts";
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

const pageParams = documentParams.extend({
  page: z.coerce.number().int().positive().max(100_000),
});

/** Pixels to the point in a page image: sharp enough to read, light enough for hundreds of pages. */
const pageScale = 1.5;

const patternLabels: Record<RedactionPattern, string> = {
  email: "Email addresses",
  "uk-phone": "UK phone numbers",
  "ni-number": "National Insurance numbers",
  "uk-postcode": "Postcodes",
};

const lines = (value: unknown) =>
  (typeof value === "string" ? value : "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");

/**
 * The areas typed or drawn on the redaction page, one a line: `page, left, top, right, bottom` in points from
 * the page's top-left corner, then optionally the exemption for that box (otherwise the form's).
 */
export function parseAreas(
  value: unknown,
  pages: readonly { width: number; height: number }[],
): RedactionArea[] {
  return lines(value).map((line, index) => {
    const match =
      /^(\d+)[\s,]+(-?[\d.]+)[\s,]+(-?[\d.]+)[\s,]+(-?[\d.]+)[\s,]+(-?[\d.]+)(?:[\s,]+(.+))?$/.exec(line);
    const where = `Area ${index + 1} ("${line.slice(0, 40)}")`;
    if (!match)
      throw invalid("areas", `${where} must be a page number and four numbers: left, top, right, bottom`);
    const page = Number(match[1]);
    const size = pages[page - 1];
    if (!size) throw invalid("areas", `${where} is on page ${page}, but the file has ${pages.length} pages`);
    const [left, top, right, bottom] = [match[2], match[3], match[4], match[5]].map(Number) as [
      number,
      number,
      number,
      number,
    ];
    if (![left, top, right, bottom].every(Number.isFinite) || right <= left || bottom <= top)
      throw invalid("areas", `${where} must have its right after its left and its bottom below its top`);
    const label = match[6]?.trim();
    if (label && label.length > 40) throw invalid("areas", `${where} has an exemption over 40 characters`);
    const rect: RedactionArea["rect"] = [
      Math.max(0, left),
      Math.max(0, top),
      Math.min(size.width, right),
      Math.min(size.height, bottom),
    ];
    return label ? { page, rect, label } : { page, rect };
  });
}

/**
 * The PDF on a request that a redaction page is about (another kind of file cannot be redacted here), with
 * its pages' sizes; the file stays open in `open` for drawing its pages.
 */
async function pdfDocument(request: FastifyRequest, open: PdfPageCache) {
  const { id, documentId } = request.params as { id: number; documentId: number };
  const { document, bytes } = await readDocument(
    request.server.db,
    request.server.files,
    id,
    documentId,
    actorFor(currentUser(request)),
    request.server.now(),
  );
  if (document.media_type !== "application/pdf")
    throw new DomainError("not-found", "Only a PDF can be redacted here: make a clean copy of other files");
  try {
    return { document, bytes, pages: await open.pageSizes(document.sha256, bytes) };
  } catch (error) {
    if (error instanceof FileRefused) throw invalid("document", `It cannot be redacted: ${error.message}`);
    throw error;
  }
}

/** The redaction page: the phrase and pattern form, and each page's image to mark areas on. */
async function redactPageContext(
  request: FastifyRequest,
  open: PdfPageCache,
): Promise<Record<string, unknown>> {
  const { id, documentId } = request.params as { id: number; documentId: number };
  const { document, pages } = await pdfDocument(request, open);
  const base = `${requestPath(id)}/documents/${documentId}`;
  return {
    requestHref: requestPath(id),
    document: { id: document.id, filename: document.filename },
    action: `${base}/redact`,
    patterns: redactionPatterns.map((value) => ({ value, text: patternLabels[value] })),
    pages: pages.map((size, index) => ({
      number: index + 1,
      src: `${base}/pages/${index + 1}`,
      width: Math.round(size.width * 100) / 100,
      height: Math.round(size.height * 100) / 100,
      pixelWidth: Math.round(size.width * pageScale),
      pixelHeight: Math.round(size.height * pageScale),
    })),
  };
}

export const documentCheckRoutes: RoutePlugin = async (app) => {
  // The redaction page asks for each page's image in turn: the file is parsed once, then kept open (a few
  // files at most, the least recently used closed first) until the app stops.
  const open = new PdfPageCache();
  app.addHook("onClose", async () => open.close());
  const redactForm = {
    form: {
      template: "staff/requests/redact.njk",
      context: (request: FastifyRequest) => redactPageContext(request, open),
    },
  };
  app.get(
    "/requests/:id/documents/:documentId/redact",
    { schema: { params: documentParams } },
    async (request, reply) =>
      reply.render("staff/requests/redact.njk", {
        ...(await redactPageContext(request, open)),
        values: { label: "s.40(2)" },
      }),
  );
  // A page image, for staff only (this plugin's routes all need a signed-in user): never cached by others.
  app.get(
    "/requests/:id/documents/:documentId/pages/:page",
    { schema: { params: pageParams } },
    async (request, reply) => {
      const { document, bytes, pages } = await pdfDocument(request, open);
      const { page } = request.params;
      if (page > pages.length) throw new DomainError("not-found", `The file has no page ${page}`);
      return reply
        .type("image/png")
        .header("cache-control", "private, no-store")
        .send(Buffer.from(await open.render(document.sha256, bytes, page, pageScale)));
    },
  );
  app.post(
    "/requests/:id/documents/:documentId/redact",
    { schema: { params: documentParams, body: formBody }, config: redactForm },
    async (request, reply) => {
      const { id, documentId } = request.params;
      const body = request.body;
      const chosen = ([] as unknown[]).concat(body.patterns ?? []);
      const patterns = redactionPatterns.filter((pattern) => chosen.includes(pattern));
      if (chosen.length !== patterns.length) throw invalid("patterns", "Choose from the patterns listed");
      const { pages } = await pdfDocument(request, open);
      await makeRedactedCopy(
        app.db,
        app.files,
        id,
        documentId,
        {
          phrases: lines(body.phrases),
          patterns,
          areas: parseAreas(body.areas, pages),
          label: typeof body.label === "string" ? body.label : "",
        },
        actorFor(currentUser(request)),
        app.now(),
      );
      return reply.redirect(`${requestPath(id)}?redacted=1#hidden-data`, 303);
    },
  );
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
