import { type Kysely, sql } from "kysely";
import { runScript } from "./script.ts";

// Ranked search whose cost does not grow with its matches (#19). A reply's relevance is ts_rank over what it is
// about (its rank vector: title, topic, questions) against the OR of the search's words, which is the mean of
// each word's own rank (tsrank.c, calc_rank_or). Each word's rank in each live reply is kept here, best first,
// so the best replies for a word are the first rows of its range of the index, and a search reads its words'
// best few (publication/repo.ts, bestMatches) instead of scoring every match (at 1,000,000 replies a common
// word matches a quarter of the log). Kept by triggers, as the facet counts are (0008), in both backends.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table published_search_terms (
      lexeme text not null,
      score real not null,
      reply_date date not null,
      reply_id int not null
    );
    -- One row per word of a live reply; the key is the order a search reads them in (score, then newest).
    create unique index published_search_terms_best
      on published_search_terms (lexeme, score desc, reply_date desc, reply_id desc);
  `,
  );
  // A lexeme as a query of that one word (tsquery's own quoting: a quote doubled, a backslash escaped).
  await sql
    .raw(`
    create function published_search_term(lexeme text) returns tsquery
      language sql immutable strict parallel safe
      as $$ select ('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery $$`)
    .execute(db);
  // Statement triggers with transition tables: a bulk load of replies adds their words in one insert. A
  // function each, as a statement naming a transition table its trigger lacks cannot be planned.
  const add = (from: string, unchanged: string) => `
        insert into published_search_terms (lexeme, score, reply_date, reply_id)
          select t.lexeme, ts_rank(n.rank_vector, published_search_term(t.lexeme)), n.reply_date, n.id
          from ${from} n cross join lateral unnest(n.rank_vector) as t
          where n.withdrawn_at is null ${unchanged};`;
  // By the whole key (the word's score computed again from the old vector), so the index finds each row.
  const remove = (from: string, unchanged: string) => `
        delete from published_search_terms s
          using ${from} o cross join lateral unnest(o.rank_vector) as t
          where o.withdrawn_at is null ${unchanged}
            and s.lexeme = t.lexeme
            and s.score = ts_rank(o.rank_vector, published_search_term(t.lexeme))
            and s.reply_date = o.reply_date and s.reply_id = o.id;`;
  const same = (other: string, row: string) => `and not exists (
            select 1 from ${other} x where x.id = ${row}.id and x.withdrawn_at is null
              and x.rank_vector = ${row}.rank_vector and x.reply_date = ${row}.reply_date)`;
  const functions = {
    published_search_terms_added: add("added", ""),
    published_search_terms_removed: remove("removed", ""),
    // An update changes a reply's words only when its vector, date or being live changed.
    published_search_terms_changed:
      remove("removed", same("added", "o")) + add("added", same("removed", "n")),
    published_search_terms_cleared: "delete from published_search_terms;",
  };
  for (const [name, body] of Object.entries(functions))
    await sql
      .raw(`create function ${name}() returns trigger language plpgsql as $$
      begin ${body}
        return null;
      end $$`)
      .execute(db);
  await runScript(
    db,
    `
    create trigger published_search_terms_added after insert on published_replies
      referencing new table as added for each statement execute function published_search_terms_added();
    create trigger published_search_terms_changed after update on published_replies
      referencing old table as removed new table as added for each statement execute function published_search_terms_changed();
    create trigger published_search_terms_removed after delete on published_replies
      referencing old table as removed for each statement execute function published_search_terms_removed();
    create trigger published_search_terms_cleared after truncate on published_replies
      for each statement execute function published_search_terms_cleared();
    insert into published_search_terms (lexeme, score, reply_date, reply_id)
      select t.lexeme, ts_rank(r.rank_vector, published_search_term(t.lexeme)), r.reply_date, r.id
      from published_replies r cross join lateral unnest(r.rank_vector) as t
      where r.withdrawn_at is null;
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
