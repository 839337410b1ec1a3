import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { type Database, type JobLog, type RepeatedJob, repeatJob, withLease } from "../db/index.ts";
import type { FileStore } from "../storage/index.ts";
import { type PublishDueReport, publishDue } from "./service.ts";

type Db = Kysely<Database>;

// Replies are published automatically once the authority's "publish after N days" has passed since they were
// sent. The web app looks for them on a timer; with several app processes, one at a time does it (a lease in
// the database), so a reply is never published twice at once. `foidesk publish --due` does the same by hand.

export const PUBLISH_DUE_LEASE = "publish-due";
/** Longer than a run takes; a process that dies mid-run leaves the lease to run out after this. */
const LEASE_MS = 15 * 60_000;

/** Publishes what is due unless another process is doing so (then null). */
export async function publishDueIfFree(
  db: Db,
  files: FileStore,
  now: Date,
  holder: string,
): Promise<PublishDueReport | null> {
  return withLease(db, { name: PUBLISH_DUE_LEASE, holder, now, forMs: LEASE_MS }, () =>
    publishDue(db, files, now),
  );
}

export type PublicationSchedule = RepeatedJob;

/** Runs `publishDueIfFree` now and every `everyMs`; references only in the log, never a requester. */
export function schedulePublication(options: {
  db: Db;
  files: FileStore;
  everyMs: number;
  now: () => Date;
  log: JobLog;
}): PublicationSchedule {
  const holder = `app-${process.pid}-${randomUUID()}`;
  return repeatJob(
    () =>
      publishDueIfFree(options.db, options.files, options.now(), holder)
        .then((report) => {
          if (report && (report.published.length || report.failed.length))
            options.log.info(
              {
                published: report.published.map((entry) => entry.reference),
                failed: report.failed.map((entry) => entry.reference),
              },
              "published the replies that were due",
            );
        })
        .catch((error: unknown) =>
          options.log.error({ err: error }, "could not look for replies due for publication"),
        ),
    options.everyMs,
  );
}
