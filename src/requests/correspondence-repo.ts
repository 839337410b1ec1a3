import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";
import { receivedMailColumns } from "../mail/index.ts";

type Db = Kysely<Database>;

/** The requests whose reference is one of `candidates` (matched without regard to case). */
export async function requestsByReference(db: Db, candidates: readonly string[]) {
  if (candidates.length === 0) return [];
  return db
    .selectFrom("requests")
    .select(["id", "reference"])
    .where("reference", "in", [...new Set(candidates.flatMap((text) => [text, text.toUpperCase()]))])
    .execute();
}

export async function requestForCorrespondence(db: Db, id: number) {
  return db
    .selectFrom("requests")
    .select(["id", "reference", "state"])
    .where("id", "=", id)
    .executeTakeFirst();
}

// Mail beside the request it belongs to: the staff outbox and inbox pages. Mail is transport only and knows
// nothing of requests, so the joins on `requests` live here, with the table's owner.

/** Newest first, with the request's reference beside each message. */
export async function sentMailPage(db: Db, limit: number, offset: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom("sent_mail as m")
      .leftJoin("requests as r", "r.id", "m.request_id")
      .selectAll("m")
      .select("r.reference")
      .orderBy("m.sent_at", "desc")
      .orderBy("m.id", "desc")
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom("sent_mail")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.count) };
}

/** What waits in the mail outbox, not yet accepted by the mail server, newest first (at most `limit`). */
export async function waitingMailList(db: Db, limit: number) {
  return db
    .selectFrom("mail_outbox as o")
    .leftJoin("requests as r", "r.id", "o.request_id")
    .select([
      "o.id",
      "o.request_id",
      "o.to_address",
      "o.subject",
      "o.kind",
      "o.queued_at",
      "o.attempts",
      "o.handed_over_at",
      "o.next_attempt_at",
      "o.last_error",
      "o.given_up_at",
      "r.reference",
    ])
    .where("o.delivered_at", "is", null)
    .where("o.destroyed_at", "is", null)
    .orderBy("o.queued_at", "desc")
    .orderBy("o.id", "desc")
    .limit(limit)
    .execute();
}

export async function sentMailById(db: Db, id: number) {
  return db
    .selectFrom("sent_mail as m")
    .leftJoin("requests as r", "r.id", "m.request_id")
    .selectAll("m")
    .select("r.reference")
    .where("m.id", "=", id)
    .executeTakeFirst();
}

/** The latest messages threaded onto or logged as a request, newest first, with the request's reference. */
export async function recentlyHandledMail(db: Db, limit: number) {
  return db
    .selectFrom("received_mail as m")
    .leftJoin("requests as r", "r.id", "m.request_id")
    .select(receivedMailColumns)
    .select("r.reference")
    .where("m.status", "in", ["threaded", "logged"])
    .orderBy("m.received_at", "desc")
    .orderBy("m.id", "desc")
    .limit(limit)
    .execute();
}

/** A received message with the reference of the request it was threaded onto or logged as (if any). */
export async function receivedMailWithReference(db: Db, id: number) {
  return db
    .selectFrom("received_mail as m")
    .leftJoin("requests as r", "r.id", "m.request_id")
    .selectAll("m")
    .select("r.reference")
    .where("m.id", "=", id)
    .executeTakeFirst();
}
