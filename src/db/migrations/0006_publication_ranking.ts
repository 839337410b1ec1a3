import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Measured on 100,000 published replies (bench/search): ranking detoasted each match's whole search vector,
// and the heap carried the reply and its text in line, so a search read several pages per match. Ranking now
// reads a small vector of what a reply is about (its summary, topic and questions), kept in line, and every
// large column (the reply, its text, the full search vector) is kept out of line, so the heap a search walks
// holds only what search reads. Counting the exemption facet unnests small in-line arrays.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table published_replies add column rank_vector tsvector not null default ''::tsvector;
    alter table published_replies alter column rank_vector set storage main;
    alter table published_replies set (toast_tuple_target = 1024);

    -- Rewrites every row under the new target: the large columns move out of line.
    update published_replies set rank_vector =
      setweight(to_tsvector('english', title), 'A')
      || setweight(to_tsvector('english', coalesce(topic, '')), 'A')
      || setweight(to_tsvector('english', coalesce(
           (select string_agg(question ->> 'text', ' ') from jsonb_array_elements(reply -> 'questions') as question), '')), 'B')
      where withdrawn_at is null;
    alter table published_replies alter column rank_vector drop default;
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
