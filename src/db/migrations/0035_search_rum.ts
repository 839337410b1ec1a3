import { type Kysely, sql } from "kysely";

// Ranked search that does not read every match (issue 19). With GIN, the best ten of a search are found by
// scoring every match with ts_rank, so a common word costs in proportion to how many replies use it. A RUM
// index (the `rum` extension, Postgres Professional) keeps each word's positions in the index and returns the
// matches in rank order itself (`search <=> query`), with phrase search answered from the index too. Where the
// extension is not installed, or this role may not create it (PGlite, many managed servers), GIN stays and
// search ranks as before; publication/repo.ts reads which index is there.
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ available: boolean; installed: boolean; allowed: boolean }>`
    select
      exists (select 1 from pg_available_extensions where name = 'rum') as available,
      exists (select 1 from pg_extension where extname = 'rum') as installed,
      coalesce((select rolsuper from pg_roles where rolname = current_user), false) as allowed
  `.execute(db);
  const found = rows[0];
  if (!found?.available || !(found.installed || found.allowed)) return;
  if (!found.installed)
    // Once per database, in the shared public schema: each authority (and each test) has a schema of its own,
    // and dropping one must not take the extension from the others. Two schemas migrating at once may race
    // to create it; the loser finds it made.
    await sql
      .raw(`
      do $$ begin
        if exists (select 1 from pg_namespace where nspname = 'public') then
          create extension if not exists rum schema public;
        else
          create extension if not exists rum;
        end if;
      exception when unique_violation or duplicate_object then null;
      end $$`)
      .execute(db);
  const extension = await sql<{ schema: string }>`
    select extnamespace::regnamespace::text as schema from pg_extension where extname = 'rum'`.execute(db);
  const schema = extension.rows[0]?.schema;
  if (!schema) return;
  await sql
    .raw(`
    create index published_replies_search_rum on published_replies
      using rum (search ${schema}.rum_tsvector_ops) where withdrawn_at is null`)
    .execute(db);
  // RUM answers @@ as well (bitmap scans for counting, the similar-replies search); one index to keep up.
  await sql`drop index published_replies_search`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
