import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Subject access requests hold the most sensitive personal data (UK GDPR Art.15): only the team and roles a
// manager names may see them (ICO, "Right of access" guidance: who may see the data), and every view of a
// SAR's documents is recorded, who, when and what, for the data protection officer (UK GDPR Art.5(2),
// accountability). Until a manager chooses, managers alone see them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table authority
      add column sar_team_id integer references teams (id),
      add column sar_roles text[] not null default '{manager}';
    create table sar_document_views (
      id serial primary key,
      request_id integer not null references requests (id),
      document_id integer references documents (id),
      what text not null,
      user_id integer references users (id),
      user_label text not null,
      viewed_at timestamptz not null
    );
    create index sar_document_views_newest on sar_document_views (viewed_at desc, id desc);
    create index sar_document_views_by_request on sar_document_views (request_id, viewed_at desc);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
