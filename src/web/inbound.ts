import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import type { InboundDeps, Mailer, MailLog } from "../mail/index.ts";
import {
  type AcknowledgeDeps,
  type CorrespondenceDeps,
  deliverReceivedMail,
  type IntakeDeps,
} from "../requests/index.ts";
import type { FileStore } from "../storage/index.ts";
import type { App } from "./types.ts";

// Inbound email: mail receives and keeps a message, then hands it to the request side through its `deliver`
// port, bound here; the request side logs a new request through intake, as every channel does (tracking
// link, acknowledgement, intake team), sending mail through the mailer given here. The services
// acknowledging a request and intake need are bound here as well.

/** What receiving mail needs, and what the staff inbox's actions on a message need. */
export type MailIntakeDeps = InboundDeps & CorrespondenceDeps;

export interface InboundParts {
  db: Kysely<Database>;
  files: FileStore;
  mailer: Mailer;
  now: () => Date;
  log: MailLog;
  /** Where tracking links point, and the name the acknowledgement falls back on. */
  baseUrl: string;
  serviceName: string;
}

export function inboundDeps(parts: InboundParts): MailIntakeDeps {
  const correspondence: CorrespondenceDeps = {
    db: parts.db,
    files: parts.files,
    mailer: parts.mailer,
    now: parts.now,
    log: parts.log,
    baseUrl: parts.baseUrl,
    serviceName: parts.serviceName,
  };
  return { ...correspondence, deliver: (message) => deliverReceivedMail(correspondence, message) };
}

/** The same, from the app's own services (the staff inbox, and the listener `serve` starts). */
export function appInboundDeps(app: App): MailIntakeDeps {
  return inboundDeps({
    db: app.db,
    files: app.files,
    mailer: app.mailer,
    now: app.now,
    log: app.log,
    baseUrl: app.config.baseUrl,
    serviceName: app.config.serviceName,
  });
}

/** What acknowledging a request needs, from the app's services (staff pages and the API's actions). */
export function acknowledgeDeps(app: App): AcknowledgeDeps {
  return {
    db: app.db,
    files: app.files,
    mailer: app.mailer,
    baseUrl: app.config.baseUrl,
    serviceName: app.config.serviceName,
  };
}

/** What intake needs, from the app's services: the public form, the API and the staff form log requests so. */
export function intakeDeps(app: App, log: IntakeDeps["log"]): IntakeDeps {
  return { ...acknowledgeDeps(app), serviceName: app.config.serviceName, log };
}
