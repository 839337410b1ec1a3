import type { Kysely } from "kysely";
import { runScript } from "./script.ts";

// The internal review's letter (s.45 code of practice (2018) part 5; EIR reg 11(4); FOISA s.21; EISR reg 16):
// drafted, validated and sent as the first reply is, with the review's decision in it, so it has the same
// shape as a reply (responses' ReplyInput as JSON, with its review section) and the same documents once sent.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table review_letters (
      request_id int primary key references requests (id),
      content jsonb not null,
      updated_at timestamptz not null,
      updated_by text not null,
      sent_at timestamptz,
      letter_document_id int references documents (id),
      word_document_id int references documents (id)
    );
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
