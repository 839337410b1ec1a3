// The web app: buildApp, and what route files need (types, auth hooks, form schema helpers).
export { type AppDeps, buildApp } from "./app.ts";
export { currentUser, requireAbility, requireUser } from "./auth.ts";
export { type ResolvedWebConfig, resolveWebConfig, type WebConfig, webConfigFromEnv } from "./config.ts";
export { httpStatusForCode } from "./errors.ts";
export { appInboundDeps, type InboundParts, inboundDeps, type MailIntakeDeps } from "./inbound.ts";
export { type FieldError, formText, optionalFormText, type ZodTypeProvider } from "./schemas.ts";
export type { UploadedFile } from "./staff/uploaded-file.ts";
export type { App, FormPage, RoutePlugin } from "./types.ts";
