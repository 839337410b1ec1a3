import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import {
  type Database,
  type JobLog,
  type RepeatedJob,
  repeatJob,
  takeLease,
  withLease,
} from "../db/index.ts";
import { DEFAULT_CLAIM_MS, deliverQueued, queuedMessage, waitingMessages } from "./outbox.ts";
import type { MailTransport } from "./transports.ts";

// The outbox worker: hands over what is waiting in the outbox — a message whose process died before it
// could, or one refused earlier and due another try. One process at a time (a lease, as publication's
// schedule); each message is still claimed on its own (mail/outbox.ts), so the hand-over straight after a
// reply is sent and this worker never send the same message at once.

export const OUTBOX_LEASE = "mail-outbox";

export interface OutboxRun {
  delivered: number;
  failed: number;
}

/** A message the worker handed over, as whoever listens is told of it (mail knows nothing of requests). */
export interface DeliveredMessage {
  id: number;
  kind: string;
  requestId: number | null;
  to: string;
}

/** Told of each message the worker hands over (requests records it in the request's history); never throws. */
export type OnDelivered = (message: DeliveredMessage, at: Date) => Promise<void>;

/**
 * Hands over every waiting message unless another process is doing so (then null). The lease is held for one
 * hand-over's claim and renewed before each message, so a process that dies mid-run holds the outbox up no
 * longer than the message it was handing over is held anyway (found by CI: a 15-minute lease stalled replies).
 */
export async function deliverWaitingIfFree(
  db: Kysely<Database>,
  transport: MailTransport,
  clock: () => Date,
  holder: string,
  options: { claimMs?: number; log?: JobLog; onDelivered?: OnDelivered } = {},
): Promise<OutboxRun | null> {
  const claimMs = options.claimMs ?? DEFAULT_CLAIM_MS;
  const lease = { name: OUTBOX_LEASE, holder, now: clock(), forMs: claimMs };
  return withLease(db, lease, async () => {
    const run: OutboxRun = { delivered: 0, failed: 0 };
    for (const id of await waitingMessages(db, lease.now, claimMs)) {
      const now = clock();
      // Lost (it ran out while a hand-over hung past its claim, and another process took it): stop here.
      if (!(await takeLease(db, OUTBOX_LEASE, holder, now, claimMs))) break;
      const delivery = await deliverQueued(db, id, {
        transport,
        now,
        claimMs,
        ...(options.log ? { log: options.log } : {}),
      });
      if (delivery.status === "delivered") {
        run.delivered++;
        const message = options.onDelivered ? await queuedMessage(db, id) : undefined;
        if (message)
          // A history that cannot be written does not hold up the rest of the outbox.
          await options.onDelivered!(
            { id, kind: message.kind, requestId: message.request_id, to: message.to_address },
            now,
          ).catch((error: unknown) =>
            options.log?.error({ err: error, outboxId: id }, "could not record a handed-over message"),
          );
      }
      if (delivery.status === "failed") run.failed++;
    }
    return run;
  });
}

/** Runs `deliverWaitingIfFree` now and every `everyMs`; ids only in the log, never an address. */
export function scheduleOutbox(options: {
  db: Kysely<Database>;
  transport: MailTransport;
  everyMs: number;
  now: () => Date;
  log: JobLog;
  claimMs?: number;
  onDelivered?: OnDelivered;
}): RepeatedJob {
  const holder = `app-${process.pid}-${randomUUID()}`;
  return repeatJob(
    () =>
      deliverWaitingIfFree(options.db, options.transport, options.now, holder, {
        log: options.log,
        ...(options.claimMs !== undefined ? { claimMs: options.claimMs } : {}),
        ...(options.onDelivered ? { onDelivered: options.onDelivered } : {}),
      })
        .then((run) => {
          if (run && (run.delivered || run.failed)) options.log.info({ ...run }, "handed over waiting mail");
        })
        .catch((error: unknown) => options.log.error({ err: error }, "could not hand over waiting mail")),
    options.everyMs,
  );
}
