import multipart from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { DomainError } from "../../errors.ts";
import type { StagedFile } from "../../storage/index.ts";
import { currentUser, requireRequestAccess, requireUser } from "../auth.ts";
import { handleNotFound } from "../errors.ts";
import { noStore } from "../security.ts";
import type { RoutePlugin } from "../types.ts";
import { staffRoutes } from "./routes/index.ts";
import { signInRoutes } from "./routes/sign-in.ts";
import { loadStaffSession, verifyCsrf } from "./session.ts";
import type { UploadedFile } from "./uploaded-file.ts";

/** Per request (WeakMaps: nothing outlives the request): bytes of files read so far, and the staged files. */
const uploadedBytes = new WeakMap<FastifyRequest, number>();
const stagedFiles = new WeakMap<FastifyRequest, StagedFile[]>();

/** Room for a form's text fields and part headers beside its files, in the early Content-Length check. */
const FORM_FIELDS_ALLOWANCE = 1024 * 1024;

const uploadTooLarge = (field: string, limit: number) =>
  new DomainError(
    "too-large",
    `The files sent together must be smaller than ${Math.round(limit / 1024 / 1024)} MB`,
    field,
  );

/** A part's bytes as they arrive, counted with every earlier file of the request: refused past `limit`. */
async function* countedPart(
  request: FastifyRequest,
  chunks: AsyncIterable<Buffer>,
  field: string,
  limit: number,
): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    const total = (uploadedBytes.get(request) ?? 0) + chunk.byteLength;
    if (total > limit) throw uploadTooLarge(field, limit);
    uploadedBytes.set(request, total);
    yield chunk;
  }
}

async function discardUncommitted(request: FastifyRequest): Promise<void> {
  const staged = stagedFiles.get(request) ?? [];
  stagedFiles.delete(request);
  await Promise.all(staged.map((file) => file.discard()));
}

/**
 * The back office, registered at /staff. Every request loads the session; every POST must carry the CSRF
 * token; every page except sign-in requires a signed-in user (who may do what is checked per route with requireAbility).
 */
export const staffPlugin: RoutePlugin = async (app) => {
  // Files arrive in the body beside the text fields, so one Zod schema validates the whole form and the
  // CSRF check reads `_csrf` the same way for every form.
  const limit = app.config.maxUploadBytes;
  await app.register(multipart, {
    attachFieldsToBody: "keyValues",
    // A byte over the limit per file, so that countedPart sees a file too large as it arrives and refuses it
    // then; at the limit itself busboy would cut the file short and read the rest of it before the refusal.
    limits: { fileSize: limit + 1, files: 10, fields: 200, fieldSize: 1024 * 1024 },
    // Each file goes to the file store as it arrives (staged), never whole into memory; all the files of a
    // request are counted together, and past the limit the upload is refused at once.
    async onFile(this: FastifyRequest, part) {
      // Only a signed-in member of staff may make the server write a file, even a staged one.
      currentUser(this);
      const content = await app.files.stage(
        countedPart(this, part.file as AsyncIterable<Buffer>, part.fieldname, limit),
      );
      stagedFiles.set(this, [...(stagedFiles.get(this) ?? []), content]);
      if (part.file.truncated) throw uploadTooLarge(part.fieldname, limit);
      const file: UploadedFile = { filename: part.filename, mediaType: part.mimetype, content };
      (part as unknown as { value: unknown }).value = file;
    },
  });
  // Refused before a byte is read when the request says it is larger than any form with files may be.
  app.addHook("onRequest", async (request) => {
    const declared = Number(request.headers["content-length"] ?? 0);
    if (declared > limit + FORM_FIELDS_ALLOWANCE) throw uploadTooLarge("file", limit);
  });
  // Whatever the handler did not commit — the form was refused, or the request failed — is not kept: gone
  // before the answer is sent (onSend), and again after it, should sending fail (onResponse, onRequestAbort).
  app.addHook("onSend", async (request, _reply, payload) => {
    await discardUncommitted(request);
    return payload;
  });
  app.addHook("onResponse", discardUncommitted);
  app.addHook("onRequestAbort", discardUncommitted);
  app.addHook("onRequest", loadStaffSession);
  app.addHook("onSend", noStore);
  app.addHook("preValidation", verifyCsrf);
  // Unknown /staff pages still get the session (the layout shows who is signed in).
  app.setNotFoundHandler(handleNotFound);

  await app.register(signInRoutes);
  await app.register(async (signedIn) => {
    signedIn.addHook("onRequest", requireUser);
    signedIn.addHook("preHandler", requireRequestAccess);
    for (const routes of staffRoutes) await signedIn.register(routes);
  });
};
