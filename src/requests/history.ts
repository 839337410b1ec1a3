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

// Personal data and the chain (issue 18). Free text, addresses and file names in an event's payload are
// personal data that the retention schedule or an erasure request (UK GDPR Art. 5(1)(e), Art. 17) may require
// foidesk to destroy, while the history must stay tamper-evident. So such a value is never stored in the
// event: it goes to `personal_values` (its own row: a random salt and the value), and the event's payload
// holds only a reference `{ $personal: id, sha256: SHA-256(salt, value) }`. The event's hash covers the
// reference, never the value, so destroying a value (salt and value set to null, with the seq of the event
// that records the destruction) leaves every hash as it was. `audit verify` still checks, for each reference,
// that a kept value matches its salted hash (a changed value is caught) and that a destroyed one was
// destroyed by an anonymisation or erasure event in the same chain (a quietly deleted one is caught). The salt
// is destroyed with the value, so the hash left behind cannot confirm a guess such as an email address.

/** Payload keys whose text may hold personal data: sealed away from the event wherever they appear. */
export const personalFields: ReadonlySet<string> = new Set([
  "note",
  "grounds",
  "reason",
  "sentTo",
  "filename",
  "subject",
  "error",
]);

/** Events that may destroy personal values (retention module); a value destroyed by any other is tampering. */
export const personalDataDestroyingEvents: ReadonlySet<string> = new Set(["anonymised", "requester-erased"]);

export interface PersonalRef {
  $personal: number;
  sha256: string;
}

/** One row of `personal_values`: salt and value are null once destroyed, with the seq that recorded it. */
export interface PersonalValue {
  id: number;
  requestId: number;
  salt: string | null;
  value: string | null;
  destroyedSeq: number | null;
}

export function isPersonalRef(value: unknown): value is PersonalRef {
  return (
    !!value &&
    typeof value === "object" &&
    typeof (value as PersonalRef).$personal === "number" &&
    typeof (value as PersonalRef).sha256 === "string"
  );
}

export function personalDigest(salt: string, value: string): string {
  return createHash("sha256").update(salt).update("\n").update(value).digest("hex");
}

function mapPayload(value: unknown, atField: (key: string, item: unknown) => unknown | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => mapPayload(item, atField));
  if (value && typeof value === "object" && !isPersonalRef(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const replaced = atField(key, item);
      out[key] = replaced === undefined ? mapPayload(item, atField) : replaced;
    }
    return out;
  }
  return value;
}

/** The personal values of a payload, in order: the strings that `sealPayload` will store apart. */
export function personalStrings(payload: Record<string, unknown>): string[] {
  const found: string[] = [];
  mapPayload(payload, (key, item) => {
    if (personalFields.has(key) && typeof item === "string" && item !== "") found.push(item);
    return undefined;
  });
  return found;
}

/** The payload with each personal string replaced by the reference `refs` gives for it (same order). */
export function sealPayload(
  payload: Record<string, unknown>,
  refs: readonly PersonalRef[],
): Record<string, unknown> {
  let next = 0;
  return mapPayload(payload, (key, item) => {
    if (personalFields.has(key) && typeof item === "string" && item !== "") {
      const ref = refs[next++];
      if (!ref) throw new Error("a personal value has no reference");
      return ref;
    }
    return undefined;
  }) as Record<string, unknown>;
}

/** What a destroyed value reads as on the timeline. */
export const DESTROYED_VALUE = "(personal data destroyed)";

/** The payload as people read it: each reference replaced by its value, or a note that it was destroyed. */
export function openPayload(
  payload: Record<string, unknown>,
  values: ReadonlyMap<number, string | null>,
): Record<string, unknown> {
  const open = (value: unknown): unknown => {
    if (isPersonalRef(value)) return values.get(value.$personal) ?? DESTROYED_VALUE;
    if (Array.isArray(value)) return value.map(open);
    if (value && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, open(v)]),
      );
    return value;
  };
  return open(payload) as Record<string, unknown>;
}

/** Every reference in a payload, however deep. */
export function personalRefs(payload: unknown): PersonalRef[] {
  if (isPersonalRef(payload)) return [payload];
  if (Array.isArray(payload)) return payload.flatMap(personalRefs);
  if (payload && typeof payload === "object") return Object.values(payload).flatMap(personalRefs);
  return [];
}

/** Why a reference in event `seq` of request `requestId` does not hold, or null when it does. */
function personalValueProblem(
  ref: PersonalRef,
  requestId: number,
  values: ReadonlyMap<number, PersonalValue>,
  events: readonly ChainedEvent[],
): string | null {
  const row = values.get(ref.$personal);
  if (!row || row.requestId !== requestId) return `personal value ${ref.$personal} is missing`;
  if (row.value !== null && row.salt !== null)
    return personalDigest(row.salt, row.value) === ref.sha256
      ? null
      : `personal value ${ref.$personal} does not match its salted hash`;
  const destroyer = events.find((event) => event.seq === row.destroyedSeq);
  if (!destroyer || !personalDataDestroyingEvents.has(destroyer.type))
    return `personal value ${ref.$personal} was destroyed without an anonymisation or erasure event`;
  return null;
}

export type ChainCheck = { ok: true } | { ok: false; seq: number; reason: string };

/**
 * Checks one request's events, in seq order: numbered 1..n with no gap, each linked to its predecessor, each
 * hash matching its content, each personal value it refers to kept unchanged or destroyed on the record, and
 * the last one at the version the request row carries (a removed tail).
 */
export function checkChain(
  events: readonly ChainedEvent[],
  rowVersion: number,
  personalValues: ReadonlyMap<number, PersonalValue> = new Map(),
): ChainCheck {
  let prevHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    if (event.seq !== index + 1)
      return { ok: false, seq: index + 1, reason: `event ${index + 1} is missing` };
    if (event.prevHash !== prevHash)
      return { ok: false, seq: event.seq, reason: "does not link to the event before it" };
    if (eventHash(event) !== event.hash)
      return { ok: false, seq: event.seq, reason: "its content does not match its hash" };
    for (const ref of personalRefs(event.payload)) {
      const problem = personalValueProblem(ref, event.requestId, personalValues, events);
      if (problem) return { ok: false, seq: event.seq, reason: problem };
    }
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
