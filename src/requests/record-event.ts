import type { Transaction } from "kysely";
import type { Database } from "../db/index.ts";
import { DomainError } from "../errors.ts";
import type { EventPayload, EventType } from "./events.ts";
import { GENESIS_HASH } from "./history.ts";
import * as repo from "./repo.ts";
import { type Actor, transitions } from "./workflow.ts";

// Events that change nothing the workflow decides (a reply published to the disclosure log, or withdrawn
// from it) still belong in the request's history: appended to the same hash chain, moving the version on.

/**
 * Appends one event of `type` to the request's history inside the caller's transaction, so that it commits
 * (or not) with the caller's own writes. Refuses a workflow action's type: those go through performAction.
 */
export async function recordEvent<T extends EventType>(
  trx: Transaction<Database>,
  requestId: number,
  type: T,
  payload: EventPayload<T>,
  actor: Actor,
  now: Date,
): Promise<{ seq: number }> {
  if (transitions.some((transition) => transition.action === type) || type === "created")
    throw new Error(`"${type}" is a workflow event; use performAction`);
  const row = await repo.lockRequest(trx, requestId);
  if (!row) throw new DomainError("not-found", "There is no such request");
  const seq = row.version + 1;
  await appendEvent(trx, requestId, seq, type, payload, actor, now);
  await repo.updateRequest(trx, requestId, { version: seq, updated_at: now, updated_by: actor.label });
  return { seq };
}

/**
 * The one way an event joins a request's history: chained to the last event's hash (read alone, not the
 * whole history), its personal values held apart (repo.insertEvent). The caller has locked the request and
 * moves its version to `seq` in the same transaction.
 */
export async function appendEvent<T extends EventType>(
  trx: Transaction<Database>,
  requestId: number,
  seq: number,
  type: T,
  payload: EventPayload<T>,
  actor: Actor,
  now: Date,
): Promise<void> {
  const prevHash = (await repo.lastEventHash(trx, requestId)) ?? GENESIS_HASH;
  await repo.insertEvent(trx, {
    requestId,
    seq,
    type,
    payload,
    actorId: actor.userId,
    actorLabel: actor.label,
    occurredAt: now,
    prevHash,
  });
}
