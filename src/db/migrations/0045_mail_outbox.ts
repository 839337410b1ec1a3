import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// The mail outbox (issue 18): a message that must not be lost, such as a reply, is stored here in the same
// transaction as what it announces, and handed to the mail transport afterwards (mail/outbox.ts). A message
// is handed over by one process at a time (`handed_over_at`, a claim) and marked delivered once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table mail_outbox (
      id serial primary key,
      message_id text not null unique,
      request_id int references requests (id),
      kind text not null,
      to_address text not null,
      subject text not null,
      envelope jsonb not null,
      raw bytea,
      queued_at timestamptz not null,
      attempts int not null default 0,
      handed_over_at timestamptz,
      next_attempt_at timestamptz not null,
      last_error text,
      given_up_at timestamptz,
      delivered_at timestamptz,
      sent_mail_id int references sent_mail (id),
      destroyed_at timestamptz,
      constraint mail_outbox_delivered_whole check ((delivered_at is null) = (sent_mail_id is null))
    );
    -- What the outbox worker looks at: messages not yet delivered, soonest first.
    create index mail_outbox_waiting on mail_outbox (next_attempt_at) where delivered_at is null and raw is not null;
    create index mail_outbox_of_request on mail_outbox (request_id)
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, "drop table mail_outbox");
}
