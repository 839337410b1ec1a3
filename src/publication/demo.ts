import type { Kysely } from "kysely";
import type { Database, RequestStateName } from "../db/index.ts";
import { type Actor, answeredRequests, lastOutcomeRecorded } from "../requests/index.ts";
import { type SampleReplySource, sampleReply } from "../responses/index.ts";
import { memoryFileStore } from "../storage/index.ts";
import { automaticPublisher, publishReply } from "./service.ts";

// The demo's disclosure log: the demo requests that have been answered get a sent reply (the gangs example
// and variations on it, one per outcome) and are published, so that a first run shows a log to search.
// Fictional, like the rest of the demo. One reply mentions its requester by name, as letters do, to show
// the masking in the preview and the "[redacted]" on the public page.

const answeredStates: RequestStateName[] = [
  "responded",
  "review-requested",
  "review-decided",
  "regulator-complaint",
  "decision-notice",
  "tribunal-appeal",
  "tribunal-decided",
  "regulator-closed",
];

interface DemoSource extends SampleReplySource {
  id: number;
}

/** The date the demo recorded its outcome (the reply's date), or the day before `now`. */
async function replyDate(db: Kysely<Database>, requestId: number, now: Date): Promise<string> {
  const event = await lastOutcomeRecorded(db, requestId);
  if (typeof event?.date === "string") return event.date;
  return (event?.occurred_at ?? new Date(now.getTime() - 86_400_000)).toISOString().slice(0, 10);
}

/**
 * Gives the demo's answered requests a sent reply (where they have none) and publishes them. Does nothing
 * when the log already has replies, so a restarted demo is left as it was. Returns how many it published.
 */
export async function publishDemoReplies(db: Kysely<Database>, now: Date): Promise<number> {
  const existing = await db.selectFrom("published_replies").select("id").limit(1).executeTakeFirst();
  if (existing) return 0;
  const sources: DemoSource[] = await answeredRequests(db, answeredStates);
  const manager = await db
    .selectFrom("users")
    .select(["id", "display_name"])
    .where("role", "=", "manager")
    .where("active", "=", true)
    .orderBy("id")
    .executeTakeFirst();
  const actor: Actor = manager
    ? { userId: manager.id, label: manager.display_name, role: "manager" }
    : automaticPublisher;
  const files = memoryFileStore();
  let published = 0;
  for (const source of sources) {
    const reply = await db
      .selectFrom("replies")
      .select(["request_id", "sent_at"])
      .where("request_id", "=", source.id)
      .executeTakeFirst();
    if (!reply) {
      const date = await replyDate(db, source.id, now);
      await db
        .insertInto("replies")
        .values({
          request_id: source.id,
          content: JSON.stringify(sampleReply(source, date)),
          updated_at: new Date(`${date}T10:00:00Z`),
          updated_by: actor.label,
          sent_at: new Date(`${date}T10:00:00Z`),
        })
        .execute();
    } else if (!reply.sent_at) continue;
    await publishReply(db, files, source.id, {}, actor, now);
    published++;
  }
  return published;
}
