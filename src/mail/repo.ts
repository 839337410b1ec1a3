import type { Insertable, Kysely, Transaction } from "kysely";
import type { Database, SentMailTable } from "../db/index.ts";

// The mail module's SQL (STYLE.md: queries live in the owning module's repo.ts).

type Db = Kysely<Database> | Transaction<Database>;

export async function authoritySender(db: Db) {
  return db.selectFrom("authority").select(["name", "email"]).where("id", "=", 1).executeTakeFirst();
}

export async function recordSent(db: Db, row: Insertable<SentMailTable>): Promise<number> {
  const { id } = await db.insertInto("sent_mail").values(row).returning("id").executeTakeFirstOrThrow();
  return id;
}

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

export async function sentMailById(db: Db, id: number) {
  return db
    .selectFrom("sent_mail as m")
    .leftJoin("requests as r", "r.id", "m.request_id")
    .selectAll("m")
    .select("r.reference")
    .where("m.id", "=", id)
    .executeTakeFirst();
}

/** What was sent about one request, oldest first (the tracking page's "letters sent"). */
export async function sentMailForRequest(db: Db, requestId: number) {
  return db
    .selectFrom("sent_mail")
    .select(["id", "subject", "kind", "sent_at"])
    .where("request_id", "=", requestId)
    .orderBy("sent_at")
    .orderBy("id")
    .execute();
}
