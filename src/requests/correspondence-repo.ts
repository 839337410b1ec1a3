import type { Kysely } from "kysely";
import type { Database } from "../db/index.ts";

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
