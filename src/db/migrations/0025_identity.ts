import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Staff identity (issue 16): a second factor (TOTP, RFC 6238) with recovery codes kept hashed; single sign-on
// accounts (OpenID Connect issuer and subject; no password); the account lifecycle and its history; sign-in
// in stages (a session is only "signed-in" once every required step is done); throttling per account and
// address, per address, and a global count for the alarm, with backoff from the last failure.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table users alter column password_hash drop not null;
    alter table users add column last_sign_in_at timestamptz;
    alter table users add column password_reset_required boolean not null default false;
    alter table users add column totp_secret text;
    alter table users add column totp_enabled_at timestamptz;
    alter table users add column totp_last_step bigint;
    alter table users add column sso_issuer text;
    alter table users add column sso_subject text;
    create unique index users_sso_identity on users (sso_issuer, sso_subject) where sso_subject is not null;

    create table recovery_codes (
      id serial primary key,
      user_id int not null references users (id),
      code_hash text not null,
      used_at timestamptz
    );
    create index recovery_codes_by_user on recovery_codes (user_id);

    create table user_events (
      id bigserial primary key,
      user_id int not null references users (id),
      kind text not null,
      actor_id int references users (id),
      actor_label text not null,
      detail text not null default '',
      at timestamptz not null
    );
    create index user_events_by_user on user_events (user_id, at);

    alter table sessions add column stage text not null default 'signed-in'
      check (stage in ('second-factor', 'new-password', 'enrol', 'signed-in'));
    alter table sessions add column method text not null default 'password' check (method in ('password', 'sso'));
    alter table sessions add column id_token text;

    delete from sign_in_throttle;
    alter table sign_in_throttle drop constraint sign_in_throttle_kind_check;
    alter table sign_in_throttle add constraint sign_in_throttle_kind_check
      check (kind in ('account-address', 'address', 'global'));
    alter table sign_in_throttle add column last_failure_at timestamptz;
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
