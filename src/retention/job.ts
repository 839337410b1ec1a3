import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { type Database, type JobLog, type RepeatedJob, repeatJob, withLease } from "../db/index.ts";
import type { FileStore } from "../storage/index.ts";
import { type AnonymisationRun, anonymiseDue, type MailCopies } from "./service.ts";

// The daily anonymisation run: with several app processes, one at a time does it (a lease in the database,
// as publication's schedule does), so no request is anonymised twice at once. `foidesk retention run` does
// the same by hand.

export const ANONYMISE_LEASE = "retention-anonymise";
/** Longer than a run takes; a process that dies mid-run leaves the lease to run out after this. */
const LEASE_MS = 60 * 60_000;
export const DAY_MS = 24 * 60 * 60_000;

/** Anonymises what is due unless another process is doing so (then null). */
export async function anonymiseDueIfFree(
  db: Kysely<Database>,
  files: FileStore,
  now: Date,
  holder: string,
  mailCopies?: MailCopies,
): Promise<AnonymisationRun | null> {
  return withLease(db, { name: ANONYMISE_LEASE, holder, now, forMs: LEASE_MS }, () =>
    anonymiseDue(db, files, now, mailCopies ? { mailCopies } : {}),
  );
}

/** Runs `anonymiseDueIfFree` now and every `everyMs` (a day); references only in the log, never a requester. */
export function scheduleAnonymisation(options: {
  db: Kysely<Database>;
  files: FileStore;
  everyMs: number;
  now: () => Date;
  log: JobLog;
  mailCopies?: MailCopies;
}): RepeatedJob {
  const holder = `app-${process.pid}-${randomUUID()}`;
  return repeatJob(
    () =>
      anonymiseDueIfFree(options.db, options.files, options.now(), holder, options.mailCopies)
        .then((report) => {
          if (report && (report.anonymised.length || report.failed.length || report.emails))
            options.log.info(
              {
                anonymised: report.anonymised.map((entry) => entry.reference),
                failed: report.failed.map((entry) => entry.reference),
                emails: report.emails,
              },
              "anonymised the records whose retention period had ended",
            );
        })
        .catch((error: unknown) => options.log.error({ err: error }, "could not run the retention schedule")),
    options.everyMs,
  );
}
