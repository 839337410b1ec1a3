import { type Kysely, sql } from "kysely";
import { runScript } from "./script.ts";

// Measured on 100,000 published replies (bench/search): browsing without words counted every reply for the
// filters' counts (over 100 ms); the counts per combination of facet values are now kept by a trigger, a few
// hundred rows to add up. (Keeping the search vectors in line made phrase rechecks three times cheaper but
// the heap four times larger, and a common word's search twice as slow: they stay out of line.)
// And the disclosure log's version: a trigger counts every change to the published replies, so a search kept
// in any app process (publication/search-cache.ts) is known stale at once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    -- How many live replies have each combination of facet values.
    create table published_facet_counts (
      year int not null,
      regime text not null,
      outcome text not null,
      topic text,
      exemptions text[] not null,
      replies int not null,
      unique nulls not distinct (year, regime, outcome, topic, exemptions)
    );
    insert into published_facet_counts (year, regime, outcome, topic, exemptions, replies)
      select year, regime, outcome, topic, exemptions, count(*) from published_replies
      where withdrawn_at is null group by year, regime, outcome, topic, exemptions;

    create table disclosure_log_version (
      id int primary key default 1 check (id = 1),
      version bigint not null
    );
    insert into disclosure_log_version (id, version) values (1, 1);
    create function disclosure_log_changed() returns trigger language plpgsql as $$ begin update disclosure_log_version set version = version + 1 where id = 1; return null; end $$;
    create trigger disclosure_log_changed after insert or update or delete or truncate on published_replies
      for each statement execute function disclosure_log_changed();
  `,
  );
  // Function bodies hold semicolons at the ends of lines, so they are not part of the script above.
  await sql
    .raw(`
    create function published_facet_count() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.withdrawn_at is null then
        update published_facet_counts set replies = replies - 1
          where year = old.year and regime = old.regime and outcome = old.outcome
            and topic is not distinct from old.topic and exemptions = old.exemptions;
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.withdrawn_at is null then
        insert into published_facet_counts as kept (year, regime, outcome, topic, exemptions, replies)
          values (new.year, new.regime, new.outcome, new.topic, new.exemptions, 1)
          on conflict (year, regime, outcome, topic, exemptions) do update set replies = kept.replies + 1;
      end if;
      return null;
    end $$`)
    .execute(db);
  await sql
    .raw(`
    create trigger published_facet_count
      after insert or delete or update of year, regime, outcome, topic, exemptions, withdrawn_at
      on published_replies for each row execute function published_facet_count()`)
    .execute(db);
  await sql
    .raw(`
    create function published_facet_counts_cleared() returns trigger language plpgsql as $$
    begin
      delete from published_facet_counts;
      return null;
    end $$`)
    .execute(db);
  await sql
    .raw(`
    create trigger published_facet_counts_cleared after truncate on published_replies
      for each statement execute function published_facet_counts_cleared()`)
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
