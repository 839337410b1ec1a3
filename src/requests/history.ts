import { createHash } from "node:crypto";

// The append-only history: each event's hash covers its content and its predecessor's hash (SHA-256), so a
// changed, removed or reordered event breaks the chain from that point on. One chain per request.

export const GENESIS_HASH = "0".repeat(64);

export interface ChainedEvent {
  requestId: number;
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  actorId: number | null;
  actorLabel: string;
  occurredAt: Date;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level: the database's jsonb does not keep key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function eventHash(event: Omit<ChainedEvent, "hash">): string {
  const content = canonicalJson({
    requestId: event.requestId,
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    occurredAt: event.occurredAt.toISOString(),
  });
  return createHash("sha256").update(event.prevHash).update("\n").update(content).digest("hex");
}

export type ChainCheck = { ok: true } | { ok: false; seq: number; reason: string };

/**
 * Checks one request's events, in seq order: numbered 1..n with no gap, each linked to its predecessor, each
 * hash matching its content, and the last one at the version the request row carries (a removed tail).
 */
export function checkChain(events: readonly ChainedEvent[], rowVersion: number): ChainCheck {
  let prevHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    if (event.seq !== index + 1)
      return { ok: false, seq: index + 1, reason: `event ${index + 1} is missing` };
    if (event.prevHash !== prevHash)
      return { ok: false, seq: event.seq, reason: "does not link to the event before it" };
    if (eventHash(event) !== event.hash)
      return { ok: false, seq: event.seq, reason: "its content does not match its hash" };
    prevHash = event.hash;
  }
  if (events.length !== rowVersion) {
    return {
      ok: false,
      seq: events.length + 1,
      reason: `the request is at version ${rowVersion} but its history has ${events.length} events`,
    };
  }
  return { ok: true };
}
