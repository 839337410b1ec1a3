import type { Kysely, Transaction } from "kysely";
import { authorityProfile } from "../authority/index.ts";
import type { Database } from "../db/index.ts";
import type { ModelScheme, ValidEntry } from "./scheme.ts";

// The publication scheme's SQL, and only here (STYLE.md): the model schemes' classes and the guide's entries.

type Db = Kysely<Database> | Transaction<Database>;

/** The authority's jurisdiction, which decides its model scheme (authority module; unset: England and Wales). */
export async function jurisdiction(db: Db): Promise<string> {
  return (await authorityProfile(db)).jurisdiction;
}

export async function classes(db: Db, scheme: ModelScheme) {
  return db
    .selectFrom("publication_scheme_classes")
    .select(["id", "position", "title", "description"])
    .where("scheme", "=", scheme)
    .orderBy("position")
    .execute();
}

export async function classExists(db: Db, id: number, scheme: ModelScheme): Promise<boolean> {
  const row = await db
    .selectFrom("publication_scheme_classes")
    .select("id")
    .where("id", "=", id)
    .where("scheme", "=", scheme)
    .executeTakeFirst();
  return row !== undefined;
}

export async function releaseExists(db: Db, id: number): Promise<boolean> {
  const row = await db.selectFrom("statistics_releases").select("id").where("id", "=", id).executeTakeFirst();
  return row !== undefined;
}

/** Every entry, by class then title, with the released table's title when it links to one. */
export async function entries(db: Db) {
  return db
    .selectFrom("publication_scheme_entries as e")
    .leftJoin("statistics_releases as r", "r.id", "e.release_id")
    .select([
      "e.id",
      "e.class_id",
      "e.title",
      "e.description",
      "e.availability",
      "e.url",
      "e.release_id",
      "r.title as release_title",
      "e.charge",
      "e.reviewed_on",
      "e.reviewed_by",
    ])
    .orderBy("e.class_id")
    .orderBy("e.title")
    .orderBy("e.id")
    .execute();
}

export async function entryById(db: Db, id: number) {
  return db.selectFrom("publication_scheme_entries").selectAll().where("id", "=", id).executeTakeFirst();
}

function columns(entry: ValidEntry, reviewedOn: string, reviewedBy: string) {
  return {
    class_id: entry.classId,
    title: entry.title,
    description: entry.description,
    availability: entry.availability,
    url: entry.url,
    release_id: entry.releaseId,
    charge: entry.charge,
    reviewed_on: reviewedOn,
    reviewed_by: reviewedBy,
  };
}

export async function insertEntry(db: Db, entry: ValidEntry, reviewedOn: string, reviewedBy: string) {
  const { id } = await db
    .insertInto("publication_scheme_entries")
    .values(columns(entry, reviewedOn, reviewedBy))
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateEntry(
  db: Db,
  id: number,
  entry: ValidEntry,
  reviewedOn: string,
  reviewedBy: string,
): Promise<boolean> {
  const result = await db
    .updateTable("publication_scheme_entries")
    .set(columns(entry, reviewedOn, reviewedBy))
    .where("id", "=", id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteEntry(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom("publication_scheme_entries").where("id", "=", id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Released tables an entry can link to, newest first. */
export async function releaseChoices(db: Db) {
  return db
    .selectFrom("statistics_releases")
    .select(["id", "title"])
    .orderBy("released_at", "desc")
    .orderBy("id", "desc")
    .execute();
}
