import type { Kysely, Transaction } from "kysely";
import type { ImportedHolidays } from "../calendar/index.ts";
import { type AuthorityRow, type Database, type Jurisdiction, prepared, type Role } from "../db/index.ts";
import { DEFAULT_REFERENCE_PATTERN } from "./reference-pattern.ts";

// The authority's settings as every other module reads them, with their defaults: the one place that says what
// a setting is before the authority has been set up (an empty database, a first run). Other modules ask these
// functions; none reads the `authority` table or supplies a default of its own.

type Db = Kysely<Database> | Transaction<Database>;

/** Each setting before it is set: the columns' defaults (migrations 0001, 0010, 0028 and later). */
export const authorityDefaults = {
  name: "",
  address: "",
  email: "",
  phone: "",
  unitCode: "01",
  referencePattern: DEFAULT_REFERENCE_PATTERN,
  receiptReading: "ico",
  // The Appropriate Limit and Fees Regulations 2004 reg 3(3): £450 for an authority outside central government.
  costLimitPence: 45_000,
  jurisdiction: "england-and-wales",
  publishAfterDays: null,
  intakeTeamId: null,
  // Before an authority is set up, managers alone see subject access requests (migration 0028's default).
  sarTeamId: null,
  sarRoles: ["manager"],
  importedHolidays: null,
} as const satisfies AuthorityProfile;

/** The authority's settings, each with its default when the authority has not been set up. */
export interface AuthorityProfile {
  name: string;
  address: string;
  email: string;
  phone: string;
  unitCode: string;
  referencePattern: string;
  receiptReading: "ico" | "code-2018";
  costLimitPence: number;
  jurisdiction: Jurisdiction;
  /** Publish sent replies to the disclosure log this many days after sending; null: only by hand. */
  publishAfterDays: number | null;
  /** The team a new request joins when none is chosen (web, API, email); null: no team. */
  intakeTeamId: number | null;
  /** Who may see subject access requests: this team's members and these roles. */
  sarTeamId: number | null;
  sarRoles: Role[];
  importedHolidays: ImportedHolidays | null;
}

/** The settings a row holds (every module's reading of the columns; settings.ts builds its form's view on it). */
export function profileOf(row: AuthorityRow | undefined): AuthorityProfile {
  if (!row) return { ...authorityDefaults, sarRoles: [...authorityDefaults.sarRoles] };
  return {
    name: row.name,
    address: row.address,
    email: row.email,
    phone: row.phone,
    unitCode: row.unit_code,
    referencePattern: row.reference_pattern,
    receiptReading: row.receipt_reading,
    costLimitPence: row.cost_limit_pence,
    jurisdiction: row.jurisdiction,
    publishAfterDays: row.publish_after_days,
    intakeTeamId: row.intake_team_id,
    sarTeamId: row.sar_team_id,
    // Roles are checked when set (settings.ts); the column holds only those.
    sarRoles: row.sar_roles as Role[],
    importedHolidays: (row.imported_holidays as ImportedHolidays | null) ?? null,
  };
}

/** The authority's settings (one row, id 1), or their defaults before it is set up. */
export async function authorityProfile(db: Db): Promise<AuthorityProfile> {
  // Read on nearly every page: prepared (db/prepared.ts).
  return profileOf(
    await db.selectFrom("authority").modifyFront(prepared).selectAll().where("id", "=", 1).executeTakeFirst(),
  );
}

/** Whether the authority has been set up (the demo sets up its own only in an empty database). */
export async function authorityIsSetUp(db: Db): Promise<boolean> {
  return (await db.selectFrom("authority").select("id").executeTakeFirst()) !== undefined;
}

/** Sets up the authority with who it is; every other setting keeps its default. */
export async function setUpAuthority(
  db: Db,
  identity: { name: string; address: string; email: string; phone: string },
): Promise<void> {
  await db.insertInto("authority").values(identity).execute();
}

/** Publication's setting: publish sent replies this many days after sending, or (null) only by hand. */
export async function setPublishAfterDays(db: Db, days: number | null): Promise<void> {
  await db.updateTable("authority").set({ publish_after_days: days }).where("id", "=", 1).execute();
}
