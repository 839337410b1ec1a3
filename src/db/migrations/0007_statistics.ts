import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Statistics (issue 7): datasets kept aggregated to their finest cells (what the statistics module rebuilds a
// Dataset from, never the record-level rows), one release policy per dataset in numbered versions (the newest
// is in force; every release names the version it was made under), and every table released, so that a new
// table of the same dataset is audited together with the earlier ones (differencing).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table statistics_datasets (
      id serial primary key,
      -- The name release policies use ("gangs-matrix").
      name text not null unique,
      title text not null,
      description text not null default '',
      -- Which columns are dimensions (with the labels shown), the frequency and the measure column.
      spec jsonb not null,
      -- The statistics module's Dataset: categories per dimension and the finest cells with their figures.
      dataset jsonb not null,
      records int not null,
      source_file text,
      imported_at timestamptz not null,
      imported_by text not null
    );

    create table statistics_policies (
      id serial primary key,
      dataset_id int not null references statistics_datasets (id),
      version int not null,
      policy jsonb not null,
      saved_at timestamptz not null,
      saved_by text not null,
      unique (dataset_id, version)
    );

    -- A released table. release: the record differencing audits against (the figures of withheld cells
    -- too, so it is never shown outside the back office); published: what the public page shows; the CSV and
    -- the workbook as they were released.
    create table statistics_releases (
      id serial primary key,
      dataset_id int not null references statistics_datasets (id),
      policy_version int not null,
      title text not null,
      dimensions jsonb not null,
      kind text not null check (kind in ('suppressed', 'rounded')),
      release jsonb not null,
      published jsonb not null,
      primary_cells int not null,
      secondary_cells int not null,
      csv bytea not null,
      xlsx bytea not null,
      request_id int references requests (id),
      released_at timestamptz not null,
      released_by text not null
    );
    create index statistics_releases_by_dataset on statistics_releases (dataset_id, id);
    create index statistics_releases_newest on statistics_releases (released_at desc, id desc);
    create index statistics_releases_by_request on statistics_releases (request_id) where request_id is not null;
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
