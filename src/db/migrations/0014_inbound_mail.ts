import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Inbound email (mail/inbound.ts): every message received, once. The Message-ID is unique (each authority has
// a database or schema of its own), so a message the relay delivers again is recognised and ignored. A row is
// claimed ('processing') before any work, then threaded onto a request, logged as a new one, or kept as not
// processed with the reason. Outbound Message-IDs (sent_mail) are looked up when a reply names one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table received_mail (
      id serial primary key,
      message_id text not null,
      from_name text not null default '',
      from_address text,
      to_addresses text not null default '',
      subject text not null default '',
      text_body text not null default '',
      size_bytes int not null,
      sha256 text not null,
      storage_key text,
      attachments int not null default 0,
      status text not null check (status in ('processing', 'threaded', 'logged', 'not-processed')),
      reason text,
      request_id int references requests (id),
      matched_by text check (matched_by in ('reference', 'reply-header', 'new-request', 'staff')),
      received_at timestamptz not null,
      claimed_at timestamptz not null,
      handled_at timestamptz,
      handled_by text,
      seen_at timestamptz,
      seen_by text
    );
    create unique index received_mail_message_id on received_mail (message_id);
    create index received_mail_newest on received_mail (received_at desc, id desc);
    create index received_mail_not_processed on received_mail (received_at desc, id desc)
      where status in ('processing', 'not-processed');
    create index received_mail_by_request on received_mail (request_id, received_at)
      where request_id is not null;
    create index received_mail_unseen on received_mail (request_id)
      where status = 'threaded' and seen_at is null;
    create index sent_mail_by_message_id on sent_mail (message_id);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
