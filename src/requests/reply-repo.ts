import { type Kysely, sql, type Transaction } from "kysely";
import { authorityProfile } from "../authority/index.ts";
import type { Database } from "../db/index.ts";

// The SQL of replies: the drafted reply per request, the documents it is sent as, the mail that carried it,
// and the library of reusable paragraphs (STYLE.md: queries live in the owning module's repo).

type Db = Kysely<Database> | Transaction<Database>;

/** A request's letters: its reply, and the internal review's letter (the same shape, kept apart). */
export type LetterKind = "reply" | "review";

/** The table each letter is kept in; both are a ReplyTable, so one query serves either. */
function letterTable(letter: LetterKind): "replies" {
  return (letter === "review" ? "review_letters" : "replies") as "replies";
}

/** The kind of the emails that carry each letter (sent_mail.kind). */
export const letterMailKinds: Record<LetterKind, string> = { reply: "reply", review: "review-letter" };

export async function replyRow(db: Db, requestId: number, letter: LetterKind = "reply") {
  return db
    .selectFrom(letterTable(letter))
    .selectAll()
    .where("request_id", "=", requestId)
    .executeTakeFirst();
}

export async function lockReplyRow(
  db: Transaction<Database>,
  requestId: number,
  letter: LetterKind = "reply",
) {
  return db
    .selectFrom(letterTable(letter))
    .selectAll()
    .where("request_id", "=", requestId)
    .forUpdate()
    .executeTakeFirst();
}

export async function costLimitPence(db: Db): Promise<number> {
  return (await authorityProfile(db)).costLimitPence;
}

export async function authorityLetterhead(db: Db) {
  const { name, address, email, phone } = await authorityProfile(db);
  return { name, address, email, phone };
}

export async function saveReplyContent(
  db: Db,
  requestId: number,
  content: Record<string, unknown>,
  at: Date,
  by: string,
  letter: LetterKind = "reply",
): Promise<void> {
  const json = JSON.stringify(content);
  await db
    .insertInto(letterTable(letter))
    .values({ request_id: requestId, content: json, updated_at: at, updated_by: by })
    .onConflict((conflict) =>
      conflict.column("request_id").doUpdateSet({ content: json, updated_at: at, updated_by: by }),
    )
    .execute();
}

/**
 * Points an unsent draft at the law its request is now handled under, so that its validation applies that
 * law's catalogue. True when there was such a draft.
 */
export async function setDraftRegime(db: Db, requestId: number, regime: string): Promise<boolean> {
  const result = await db
    .updateTable("replies")
    .set({ content: sql`jsonb_set(content, '{regime}', to_jsonb(${regime}::text))` })
    .where("request_id", "=", requestId)
    .where("sent_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markReplySent(
  db: Db,
  requestId: number,
  sent: { content: Record<string, unknown>; at: Date; by: string; letterId: number; wordId: number },
  letter: LetterKind = "reply",
): Promise<void> {
  await db
    .updateTable(letterTable(letter))
    .set({
      content: JSON.stringify(sent.content),
      updated_at: sent.at,
      updated_by: sent.by,
      sent_at: sent.at,
      letter_document_id: sent.letterId,
      word_document_id: sent.wordId,
    })
    .where("request_id", "=", requestId)
    .execute();
}

/** A letter foidesk wrote, stored as a document of the request (the reply's are part of the reply). */
export async function insertLetterDocument(
  db: Db,
  document: {
    requestId: number;
    filename: string;
    mediaType: string;
    bytes: number;
    sha256: string;
    storageKey: string;
    by: string;
    at: Date;
    partOfReply: boolean;
  },
): Promise<number> {
  const { id } = await db
    .insertInto("documents")
    .values({
      request_id: document.requestId,
      filename: document.filename,
      media_type: document.mediaType,
      size_bytes: document.bytes,
      sha256: document.sha256,
      storage_key: document.storageKey,
      uploaded_by: document.by,
      uploaded_at: document.at,
      part_of_reply: document.partOfReply,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export async function markDocumentsPartOfReply(db: Db, requestId: number, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("documents")
    .set({ part_of_reply: true })
    .where("request_id", "=", requestId)
    .where("id", "in", ids)
    .execute();
}

export async function documentsByIds(db: Db, requestId: number, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("documents")
    .selectAll()
    .where("request_id", "=", requestId)
    .where("id", "in", ids)
    .orderBy("id")
    .execute();
}

/** The reply emails that reached the transport for a request, newest first. */
export async function replyMail(db: Db, requestId: number, letter: LetterKind = "reply") {
  return db
    .selectFrom("sent_mail")
    .select(["id", "to_address", "sent_at", "message_id"])
    .where("request_id", "=", requestId)
    .where("kind", "=", letterMailKinds[letter])
    .orderBy("sent_at", "desc")
    .orderBy("id", "desc")
    .execute();
}

/** Answered requests whose sent reply has no letter on file yet (the demo gives them one). */
export async function sentRepliesWithoutLetters(db: Db) {
  return db
    .selectFrom("replies as p")
    .innerJoin("requests as r", "r.id", "p.request_id")
    .select(["p.request_id", "p.content", "p.sent_at", "p.updated_by", "r.reference"])
    .where("p.sent_at", "is not", null)
    .where("p.letter_document_id", "is", null)
    .orderBy("p.request_id")
    .execute();
}

export async function setReplyLetters(
  db: Db,
  requestId: number,
  letterId: number,
  wordId: number,
): Promise<void> {
  await db
    .updateTable("replies")
    .set({ letter_document_id: letterId, word_document_id: wordId })
    .where("request_id", "=", requestId)
    .execute();
}

// The paragraph library.

export interface ParagraphValues {
  kind: string;
  exemption_id: string | null;
  title: string;
  body: string;
}

export async function paragraphs(
  db: Db,
  filter: { kind?: string | undefined; exemptionId?: string | undefined },
) {
  let query = db.selectFrom("reply_paragraphs").selectAll();
  if (filter.kind) query = query.where("kind", "=", filter.kind);
  if (filter.exemptionId) query = query.where("exemption_id", "=", filter.exemptionId);
  return query.orderBy("kind").orderBy("exemption_id").orderBy("title").orderBy("id").execute();
}

export async function paragraphById(db: Db, id: number) {
  return db.selectFrom("reply_paragraphs").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function insertParagraph(db: Db, values: ParagraphValues, at: Date, by: string) {
  const { id } = await db
    .insertInto("reply_paragraphs")
    .values({ ...values, updated_at: at, updated_by: by })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateParagraph(db: Db, id: number, values: ParagraphValues, at: Date, by: string) {
  const result = await db
    .updateTable("reply_paragraphs")
    .set({ ...values, updated_at: at, updated_by: by })
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteParagraph(db: Db, id: number) {
  const result = await db.deleteFrom("reply_paragraphs").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Fills an empty library with `seed`, once: the table lock makes a second process wait and then find the
 * rows the first one wrote.
 */
export async function seedParagraphsIfEmpty(
  db: Kysely<Database>,
  seed: readonly ParagraphValues[],
  at: Date,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`lock table reply_paragraphs in share row exclusive mode`.execute(trx);
    const any = await trx.selectFrom("reply_paragraphs").select("id").limit(1).executeTakeFirst();
    if (any || seed.length === 0) return 0;
    await trx
      .insertInto("reply_paragraphs")
      .values(seed.map((paragraph) => ({ ...paragraph, updated_at: at, updated_by: "foidesk" })))
      .execute();
    return seed.length;
  });
}
