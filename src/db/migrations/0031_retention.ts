import { createHash, randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { runScript } from "./script.ts";

// The data lifecycle (issue 18): personal values held apart from the hash-chained history (requests/history.ts
// explains why), the retention schedule a manager sets, legal holds a manager places, and when each request was
// anonymised.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table personal_values (
      id bigserial primary key,
      request_id int not null references requests (id),
      salt text,
      value text,
      destroyed_at timestamptz,
      destroyed_seq int,
      constraint personal_values_destroyed_whole check (
        (salt is null) = (value is null) and (value is null) = (destroyed_at is not null)
        and (destroyed_at is null) = (destroyed_seq is null)
      )
    );
    create index personal_values_of_request on personal_values (request_id);

    create table retention_schedule (
      record_type text primary key check (record_type in (
        'foi-case', 'internal-review', 'regulator-case', 'sar', 'invalid-request', 'unprocessed-email')),
      months int not null check (months between 0 and 1200),
      updated_at timestamptz not null,
      updated_by text not null
    );

    create table legal_holds (
      id serial primary key,
      request_id int not null references requests (id),
      reason text not null check (length(reason) > 0),
      placed_at timestamptz not null,
      placed_by text not null,
      lifted_at timestamptz,
      lifted_by text
    );
    create index legal_holds_in_force on legal_holds (request_id) where lifted_at is null;

    alter table requests add column anonymised_at timestamptz;
    alter table received_mail add column destroyed_at timestamptz;
  `,
  );
  await sealExistingHistories(db);
}

// --- Moving personal values out of the events already stored. Frozen here on purpose: a migration never
// changes, so it keeps its own copy of the hash and of the list of personal fields as they were at 0031.

const GENESIS = "0".repeat(64);
const PERSONAL_FIELDS = new Set(["note", "grounds", "reason", "sentTo", "filename", "subject", "error"]);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

interface EventRow {
  id: string | number;
  request_id: number;
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  actor_id: number | null;
  actor_label: string;
  occurred_at: Date | string;
  prev_hash: string;
  hash: string;
}

function hashOf(row: EventRow, payload: Record<string, unknown>, prevHash: string): string {
  const content = canonical({
    requestId: row.request_id,
    seq: row.seq,
    type: row.type,
    payload,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    occurredAt: new Date(row.occurred_at).toISOString(),
  });
  return createHash("sha256").update(prevHash).update("\n").update(content).digest("hex");
}

function hasPersonal(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasPersonal);
  if (value && typeof value === "object")
    return Object.entries(value).some(
      ([key, item]) =>
        (PERSONAL_FIELDS.has(key) && typeof item === "string" && item !== "") || hasPersonal(item),
    );
  return false;
}

async function seal(db: Kysely<unknown>, requestId: number, value: unknown): Promise<unknown> {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(await seal(db, requestId, item));
    return out;
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (PERSONAL_FIELDS.has(key) && typeof item === "string" && item !== "") {
        const salt = randomBytes(16).toString("hex");
        const { rows } = await sql<{ id: string | number }>`
          insert into personal_values (request_id, salt, value) values (${requestId}, ${salt}, ${item}) returning id
        `.execute(db);
        const digest = createHash("sha256").update(salt).update("\n").update(item).digest("hex");
        out[key] = { $personal: Number(rows[0]!.id), sha256: digest };
      } else out[key] = await seal(db, requestId, item);
    }
    return out;
  }
  return value;
}

/**
 * Each request whose history verifies and holds personal values is re-chained with the values sealed away.
 * A history that does not verify is left exactly as it is, so `audit verify` goes on reporting it.
 */
export async function sealExistingHistories(db: Kysely<unknown>): Promise<void> {
  let afterId = 0;
  for (;;) {
    // Only requests with a personal field somewhere in their events (a key test on the JSON text; the
    // exact test on the parsed payload follows).
    const { rows: requests } = await sql<{ id: number }>`
      select r.id from requests r where r.id > ${afterId} and exists (
        select 1 from request_events e where e.request_id = r.id
          and e.payload::text ~ '"(note|grounds|reason|sentTo|filename|subject|error)":'
      ) order by r.id limit 200
    `.execute(db);
    if (requests.length === 0) return;
    for (const { id } of requests) {
      const { rows: events } = await sql<EventRow>`
        select * from request_events where request_id = ${id} order by seq
      `.execute(db);
      if (!events.some((event) => hasPersonal(event.payload))) continue;
      let prev = GENESIS;
      const intact = events.every((event, index) => {
        const ok =
          event.seq === index + 1 &&
          event.prev_hash === prev &&
          hashOf(event, event.payload, prev) === event.hash;
        prev = event.hash;
        return ok;
      });
      if (!intact) continue;
      prev = GENESIS;
      for (const event of events) {
        const payload = (await seal(db, id, event.payload)) as Record<string, unknown>;
        const hash = hashOf(event, payload, prev);
        await sql`
          update request_events set payload = ${JSON.stringify(payload)}::jsonb, prev_hash = ${prev}, hash = ${hash}
          where id = ${event.id}
        `.execute(db);
        prev = hash;
      }
    }
    afterId = requests.at(-1)!.id;
  }
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
