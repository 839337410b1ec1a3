import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Replies: the structured reply being drafted for a request (responses module's ReplyInput as JSON), the
// letters it was sent as, and the library of reusable paragraphs managers keep.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table replies (
      request_id int primary key references requests (id),
      content jsonb not null,
      updated_at timestamptz not null,
      updated_by text not null,
      sent_at timestamptz,
      letter_document_id int references documents (id),
      word_document_id int references documents (id)
    );

    -- Files sent to the requester as part of the reply (the letter and its attachments), as against case papers.
    alter table documents add column part_of_reply boolean not null default false;

    create table reply_paragraphs (
      id serial primary key,
      kind text not null,
      exemption_id text,
      title text not null,
      body text not null,
      updated_at timestamptz not null default now(),
      updated_by text not null default ''
    );
    create index reply_paragraphs_by_kind on reply_paragraphs (kind, exemption_id);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
