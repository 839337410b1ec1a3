import { type Kysely, sql } from "kysely";

// How many replies a search of several words matches, estimated without reading its matches (#19). The
// planner multiplies each word's share as if the words were unrelated, so words that go together are
// underestimated ("stop and search": 1,200 for 25,169 of 1,000,000 replies), and where it guessed low the
// search counted its matches up to the cap instead, which at 1,000,000 replies costs 16-25 ms (the index must
// join each word's whole list before the first match). This index holds one reply in 32, chosen by a hash
// of the id (no period of the ids can line up with it): a search's matches among them, times 32, is how
// many it has (publication/repo.ts, sampledMatches), read from lists 32 times shorter. The same kind of index
// as the search's own (0035): RUM answers phrases itself, GIN reads the sampled replies' text to check them.
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ schema: string | null }>`
    select (select extnamespace::regnamespace::text from pg_extension where extname = 'rum') as schema
    where exists (
      select 1 from pg_class c join pg_am am on am.oid = c.relam
      where c.relname = 'published_replies_search_rum' and am.amname = 'rum'
        and c.relnamespace = (select oid from pg_namespace where nspname = current_schema())
    )`.execute(db);
  const schema = rows[0]?.schema;
  const using = schema ? `rum (search ${schema}.rum_tsvector_ops)` : "gin (search)";
  // The predicate is repeated word for word by sampledMatches: the planner uses a partial index only for a
  // query whose conditions contain its own.
  await sql
    .raw(`
    create index published_replies_search_sample on published_replies using ${using}
      where withdrawn_at is null and (hashint4(id) & 31) = 0`)
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
