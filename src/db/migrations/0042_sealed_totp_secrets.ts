import { type Kysely, sql } from "kysely";
import { isSealed, seal } from "../../sealed.ts";

// Authenticator (TOTP) secrets were kept as the base32 text an app scans: anyone with a copy of the database
// could make every member of staff's codes. They are sealed with the deployment's key (AES-256-GCM,
// src/sealed.ts); a database without secrets needs no key to migrate.
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ id: number; totp_secret: string }>`
    select id, totp_secret from users where totp_secret is not null
  `.execute(db);
  for (const row of rows) {
    if (isSealed(row.totp_secret)) continue;
    const sealed = seal(row.totp_secret, "totp-secret");
    await sql`update users set totp_secret = ${sealed} where id = ${row.id}`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error("foidesk migrations are forward-only");
}
