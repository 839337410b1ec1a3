import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Dismissing email that needs no action (spam, newsletters) from the inbox: the message is kept, with who
// dismissed it, when and why, and leaves the not-processed list; restoring it puts it back there.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table received_mail drop constraint received_mail_status_check;
    alter table received_mail add constraint received_mail_status_check
      check (status in ('processing', 'threaded', 'logged', 'not-processed', 'dismissed'));
    alter table received_mail
      add column dismissed_at timestamptz,
      add column dismissed_by text,
      add column dismissed_reason text;
    alter table received_mail add constraint received_mail_dismissed_with_reason
      check (status <> 'dismissed' or (dismissed_at is not null and dismissed_by is not null and dismissed_reason is not null));
    create index received_mail_dismissed on received_mail (dismissed_at desc, id desc) where status = 'dismissed';
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
