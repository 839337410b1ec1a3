import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// Release safety (ICO, "How to disclose information safely"): what inspecting each document found, the clean
// copy made of it (which goes out instead; the original stays in the case file), and an approver's decision
// to release it as it is, with the reason.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table document_checks (
      document_id integer primary key references documents (id),
      format text,
      findings jsonb not null default '[]',
      refused text,
      inspected_at timestamptz not null,
      clean_copy_id integer references documents (id),
      clean_copy_of integer references documents (id),
      released_by text,
      released_reason text,
      released_at timestamptz,
      constraint document_checks_release_has_reason
        check (released_by is null or (released_reason is not null and released_at is not null))
    );
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
