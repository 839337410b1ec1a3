import multipart from "@fastify/multipart";
import { requireUser } from "../auth.ts";
import { handleNotFound } from "../errors.ts";
import type { RoutePlugin } from "../types.ts";
import { staffRoutes } from "./routes/index.ts";
import { signInRoutes } from "./routes/sign-in.ts";
import { loadStaffSession, verifyCsrf } from "./session.ts";

/** A file from a staff form (`multipart/form-data`), as it appears in `request.body`. */
export interface UploadedFile {
  filename: string;
  mediaType: string;
  bytes: Buffer;
}

/**
 * The back office, registered at /staff. Every request loads the session; every POST must carry the CSRF
 * token; every page except sign-in requires a signed-in user (roles are checked per route with requireRole).
 */
export const staffPlugin: RoutePlugin = async (app) => {
  // Files arrive in the body beside the text fields, so one Zod schema validates the whole form and the
  // CSRF check reads `_csrf` the same way for every form.
  await app.register(multipart, {
    attachFieldsToBody: "keyValues",
    limits: { fileSize: app.config.maxUploadBytes, files: 10, fields: 200, fieldSize: 1024 * 1024 },
    async onFile(part) {
      const file: UploadedFile = {
        filename: part.filename,
        mediaType: part.mimetype,
        bytes: await part.toBuffer(),
      };
      (part as unknown as { value: unknown }).value = file;
    },
  });
  app.addHook("onRequest", loadStaffSession);
  app.addHook("preValidation", verifyCsrf);
  // Unknown /staff pages still get the session (the layout shows who is signed in).
  app.setNotFoundHandler(handleNotFound);

  await app.register(signInRoutes);
  await app.register(async (signedIn) => {
    signedIn.addHook("onRequest", requireUser);
    for (const routes of staffRoutes) await signedIn.register(routes);
  });
};
