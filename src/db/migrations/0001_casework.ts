import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Casework: the authority, staff, requesters, requests and their hash-chained history.
// Migrations never change after they land; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table authority (
      id int primary key default 1 check (id = 1),
      name text not null,
      address text not null default '',
      email text not null default '',
      unit_code text not null default '01',
      reference_pattern text not null default '{unit}.{regime}.{yy}.{seq:6}',
      receipt_reading text not null default 'ico' check (receipt_reading in ('ico', 'code-2018')),
      cost_limit_pence int not null default 45000 check (cost_limit_pence in (45000, 60000)),
      imported_holidays jsonb,
      updated_at timestamptz not null default now()
    );

    create table teams (
      id serial primary key,
      name text not null unique
    );

    create table users (
      id serial primary key,
      username text not null,
      display_name text not null,
      email text not null default '',
      role text not null check (role in ('officer', 'approver', 'manager', 'admin')),
      team_id int references teams (id),
      password_hash text not null,
      active boolean not null default true,
      created_at timestamptz not null default now()
    );
    create unique index users_username_unique on users (lower(username));

    create table sessions (
      id text primary key,
      user_id int not null references users (id),
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index sessions_by_user on sessions (user_id);

    create table sign_in_attempts (
      id bigserial primary key,
      username text not null,
      ip text not null,
      succeeded boolean not null,
      at timestamptz not null default now()
    );
    create index sign_in_attempts_recent_by_username on sign_in_attempts (lower(username), at);
    create index sign_in_attempts_recent_by_ip on sign_in_attempts (ip, at);

    create table api_tokens (
      id serial primary key,
      user_id int not null references users (id),
      name text not null,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    create table requesters (
      id serial primary key,
      name text not null,
      email text,
      address text,
      organisation text,
      type text not null default 'public',
      created_at timestamptz not null default now()
    );
    create index requesters_by_email on requesters (lower(email));
    create index requesters_by_name on requesters (lower(name));

    -- Unique, gap-free references: the row lock taken by the upsert serialises creators across processes.
    create table reference_counters (
      regime text not null,
      year int not null,
      last_seq int not null,
      primary key (regime, year)
    );

    create table requests (
      id serial primary key,
      reference text not null unique,
      regime text not null check (regime in ('foia', 'eir', 'foisa', 'sar')),
      channel text not null check (channel in ('web', 'email', 'post', 'phone', 'in-person', 'api')),
      received_date date not null,
      body text not null,
      questions jsonb not null default '[]',
      topic text,
      state text not null,
      outcome text,
      valid boolean not null default true,
      invalid_reason text,
      clock jsonb not null default '[]',
      due_date date,
      refusal_notice_due date,
      clock_stopped boolean not null default false,
      review_received_date date,
      review_outcome text,
      requester_id int not null references requesters (id),
      assignee_id int references users (id),
      team_id int references teams (id),
      version int not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      updated_by text not null default ''
    );
    create index requests_work_queue_by_team on requests (team_id, due_date) where state not in ('responded', 'withdrawn', 'lapsed', 'invalid', 'review-decided', 'decision-notice');
    create index requests_work_queue_by_assignee on requests (assignee_id, due_date) where state not in ('responded', 'withdrawn', 'lapsed', 'invalid', 'review-decided', 'decision-notice');
    create index requests_work_queue_open_by_due on requests (due_date) where state not in ('responded', 'withdrawn', 'lapsed', 'invalid', 'review-decided', 'decision-notice');
    create index requests_by_state on requests (state);
    create index requests_by_requester on requests (requester_id, received_date);

    -- Append-only history; each event's hash covers its content and its predecessor's hash.
    create table request_events (
      id bigserial primary key,
      request_id int not null references requests (id),
      seq int not null,
      type text not null,
      payload jsonb not null default '{}',
      actor_id int references users (id),
      actor_label text not null,
      occurred_at timestamptz not null,
      prev_hash text not null,
      hash text not null,
      unique (request_id, seq)
    );

    create table documents (
      id serial primary key,
      request_id int not null references requests (id),
      filename text not null,
      media_type text not null,
      size_bytes int not null,
      sha256 text not null,
      storage_key text not null,
      uploaded_by text not null,
      uploaded_at timestamptz not null default now()
    );
    create index documents_by_request on documents (request_id);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
