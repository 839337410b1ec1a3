import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// The disclosure log (issue 6): replies published to the public, built from an allow-list of fields with
// personal data masked, and stored apart from casework so that search never reads a casework table; the
// redactions officers add to one request and the rules managers keep for every request; when replies are
// published automatically. Migrations never change after they land; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    -- Publish each sent reply automatically this many days after it was sent (null: only by hand).
    alter table authority add column publish_after_days int check (publish_after_days between 0 and 3650);

    -- Authority-wide: a phrase (matched whole, any case) or a regular expression, masked in every reply.
    create table redaction_rules (
      id serial primary key,
      kind text not null check (kind in ('phrase', 'pattern')),
      pattern text not null,
      reason text not null,
      created_at timestamptz not null,
      created_by text not null
    );

    -- One request's own redactions: a phrase or a name to mask wherever it appears in what is published.
    create table request_redactions (
      id serial primary key,
      request_id int not null references requests (id),
      phrase text not null,
      reason text not null,
      created_at timestamptz not null,
      created_by text not null
    );
    create index request_redactions_by_request on request_redactions (request_id);

    -- The published record: only what the public may see (masked), its search vector and its facets. A
    -- withdrawn reply keeps its row (its page answers 410 Gone) but not its content.
    create table published_replies (
      id serial primary key,
      request_id int unique references requests (id),
      reference text not null unique,
      regime text not null check (regime in ('foia', 'eir', 'foisa')),
      received_date date not null,
      reply_date date not null,
      year int not null,
      topic text,
      outcome text not null,
      exemptions text[] not null default '{}',
      title text not null,
      reply jsonb not null,
      body_text text not null,
      search tsvector not null,
      published_at timestamptz not null,
      published_by text not null,
      withdrawn_at timestamptz,
      withdrawn_by text,
      withdrawn_reason text
    );
    create index published_replies_search on published_replies using gin (search) where withdrawn_at is null;
    create index published_replies_newest on published_replies (reply_date desc, id desc) where withdrawn_at is null;
    create index published_replies_facets on published_replies (year, regime, outcome, topic) where withdrawn_at is null;
    create index published_replies_by_exemption on published_replies using gin (exemptions) where withdrawn_at is null;
    create index published_replies_feed on published_replies (published_at desc, id desc) where withdrawn_at is null;

    -- Files published with a reply: text and CSV as masked copies (content), other files only once a manager
    -- has checked them, unchanged from the file store (storage_key).
    create table published_attachments (
      id serial primary key,
      published_reply_id int not null references published_replies (id) on delete cascade,
      position int not null,
      file_name text not null,
      media_type text not null,
      size_bytes int not null,
      content bytea,
      storage_key text,
      masked_spans int not null default 0,
      check ((content is null) <> (storage_key is null))
    );
    create index published_attachments_by_reply on published_attachments (published_reply_id, position);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
