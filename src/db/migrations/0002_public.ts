import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// The public website (issue 4): where the authority is (FOIA or FOISA), its phone number (EIR requests may be
// made orally), private tracking links, drafts of requests being made, feedback, and the mail sent.
// Migrations never change after they land; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    -- A Scottish public authority answers under FOISA and the EISR, everyone else under FOIA and the EIR.
    alter table authority add column jurisdiction text not null default 'england-and-wales'
      check (jurisdiction in ('england-and-wales', 'scotland', 'northern-ireland'));
    alter table authority add column phone text not null default '';

    -- The private tracking link: only the SHA-256 of its token is kept. FOIA s.11: the format asked for.
    alter table requests add column tracking_token_hash text;
    alter table requests add column preferred_format text
      check (preferred_format in ('electronic', 'paper', 'inspection', 'summary'));
    create unique index requests_by_tracking_token on requests (tracking_token_hash) where tracking_token_hash is not null;

    -- Answers kept between the pages of the request form (no JavaScript needed), keyed by the SHA-256 of the
    -- random id in the person's essential cookie. Deleted once stale; the answers are cleared when sent.
    create table request_drafts (
      id_hash text primary key,
      route text,
      answers jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      expires_at timestamptz not null,
      submitting_since timestamptz,
      request_id int references requests (id) on delete set null,
      tracking_token text
    );
    create index request_drafts_expiry on request_drafts (expires_at);

    create table feedback (
      id serial primary key,
      satisfaction text check (satisfaction in ('very-satisfied', 'satisfied', 'neither', 'dissatisfied', 'very-dissatisfied')),
      comments text not null,
      page text,
      created_at timestamptz not null default now()
    );
    create index feedback_newest on feedback (created_at desc);

    -- Every message the mail module sent (whatever the transport): what staff list in the back office.
    create table sent_mail (
      id serial primary key,
      message_id text not null,
      to_address text not null,
      subject text not null,
      kind text not null,
      request_id int references requests (id),
      transport text not null check (transport in ('outbox', 'smtp')),
      file_name text,
      sent_at timestamptz not null
    );
    create index sent_mail_newest on sent_mail (sent_at desc, id desc);
    create index sent_mail_by_request on sent_mail (request_id, sent_at);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
