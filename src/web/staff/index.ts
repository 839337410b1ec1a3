import multipart from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { DomainError } from "../../errors.ts";
import { requireRequestAccess, requireUser } from "../auth.ts";
import { handleNotFound } from "../errors.ts";
import { noStore } from "../security.ts";
import type { RoutePlugin } from "../types.ts";
import { staffRoutes } from "./routes/index.ts";
import { signInRoutes } from "./routes/sign-in.ts";
import { loadStaffSession, verifyCsrf } from "./session.ts";
import type { UploadedFile } from "./uploaded-file.ts";

/** Bytes of files read so far, per request (a WeakMap: nothing outlives the request). */
const uploadedBytes = new WeakMap<FastifyRequest, number>();

const uploadTooLarge = (field: string, limit: number) =>
  new DomainError(
    "too-large",
    `The files sent together must be smaller than ${Math.round(limit / 1024 / 1024)} MB`,
    field,
  );

/**
 * The back office, registered at /staff. Every request loads the session; every POST must carry the CSRF
 * token; every page except sign-in requires a signed-in user (roles are checked per route with requireRole).
 */
export const staffPlugin: RoutePlugin = async (app) => {
  // Files arrive in the body beside the text fields, so one Zod schema validates the whole form and the
  // CSRF check reads `_csrf` the same way for every form.
  const limit = app.config.maxUploadBytes;
  await app.register(multipart, {
    attachFieldsToBody: "keyValues",
    limits: { fileSize: limit, files: 10, fields: 200, fieldSize: 1024 * 1024 },
    // Read as it arrives, counting every file of the request together: past the limit the upload is refused
    // at once, so ten large files never sit in memory side by side.
    async onFile(this: FastifyRequest, part) {
      let total = uploadedBytes.get(this) ?? 0;
      const chunks: Buffer[] = [];
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        total += chunk.byteLength;
        if (total > limit) throw uploadTooLarge(part.fieldname, limit);
        chunks.push(chunk);
      }
      if (part.file.truncated) throw uploadTooLarge(part.fieldname, limit);
      uploadedBytes.set(this, total);
      const file: UploadedFile = {
        filename: part.filename,
        mediaType: part.mimetype,
        bytes: Buffer.concat(chunks),
      };
      (part as unknown as { value: unknown }).value = file;
    },
  });
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
