import type { Kysely } from "kysely";
import { z } from "zod";
import type { ImportedHolidays } from "../calendar/index.ts";
import type { AuthorityRow, Database } from "../db/index.ts";
import { DomainError, invalid, parseInput } from "../errors.ts";
import { findTeamByName, listTeams, roles } from "../users/index.ts";
import { type AuthorityProfile, profileOf } from "./profile.ts";
import { checkReferencePattern } from "./reference-pattern.ts";

// The authority's settings: who it is, how its references look, how its clock reads receipt on a non-working
// day, its cost limit, its jurisdiction, the holidays it imported and the team new requests join. One row (id 1).

export const authoritySettingsSchema = z
  .object({
    name: z.string().trim().min(1, { error: "Enter the authority's name" }).max(200),
    address: z.string().trim().max(1000),
    email: z.union([z.literal(""), z.email({ error: "Enter an email address like foi@example.gov.uk" })]),
    phone: z.string().trim().max(50),
    unitCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,6}$/, { error: "The unit code is 1 to 6 letters or digits" }),
    referencePattern: z.string().trim().min(1).max(100),
    // ICO guidance (day 0 is the day of receipt) or the 2018 s.45 code (deemed received next working day).
    receiptReading: z.enum(["ico", "code-2018"], { error: "Choose ico or code-2018" }),
    // The Appropriate Limit and Fees Regulations 2004 reg 3: £600 for central government, £450 for others.
    costLimitPounds: z.coerce.number().refine((pounds) => pounds === 450 || pounds === 600, {
      error: "The cost limit is £450 or £600 (Fees Regulations 2004 reg 3)",
    }),
    jurisdiction: z.enum(["england-and-wales", "scotland", "northern-ireland"]),
    publishAfterDays: z.coerce.number().int().min(0).max(365).nullable(),
    // A team's name; empty or null: new requests without a team stay without one.
    intakeTeam: z
      .string()
      .trim()
      .max(100, { error: "A team name is 100 characters or fewer" })
      .nullable()
      .transform((name) => name || null),
    // Who may see subject access requests (requests/sar-access.ts): a team's name (or none) and roles.
    sarTeam: z
      .string()
      .trim()
      .max(100, { error: "A team name is 100 characters or fewer" })
      .nullable()
      .transform((name) => name || null),
    sarRoles: z
      .array(z.enum(roles, { error: "Choose roles from: officer, approver, manager, admin" }))
      .max(4),
  })
  .partial();
export type AuthoritySettingsChange = z.input<typeof authoritySettingsSchema>;

/**
 * The settings as the settings form and `foidesk authority show` present them: the profile, with team names for
 * team ids and the cost limit in pounds.
 */
export interface AuthoritySettings
  extends Omit<AuthorityProfile, "costLimitPence" | "intakeTeamId" | "sarTeamId"> {
  costLimitPounds: number;
  /** The team a new request joins when none is chosen (public site, API, email). */
  intakeTeam: string | null;
  /** Who may see subject access requests: this team's members and these roles. */
  sarTeam: string | null;
}

function fromRow(
  row: AuthorityRow & { intake_team_name: string | null; sar_team_name: string | null },
): AuthoritySettings {
  // The columns are read in one place (profile.ts); this view only swaps ids for names and pence for pounds.
  const { costLimitPence, intakeTeamId: _intakeTeamId, sarTeamId: _sarTeamId, ...profile } = profileOf(row);
  return {
    ...profile,
    costLimitPounds: costLimitPence / 100,
    intakeTeam: row.intake_team_name,
    sarTeam: row.sar_team_name,
  };
}

export async function authoritySettings(db: Kysely<Database>): Promise<AuthoritySettings> {
  const row = await db
    .selectFrom("authority")
    .leftJoin("teams", "teams.id", "authority.intake_team_id")
    .leftJoin("teams as sar_team", "sar_team.id", "authority.sar_team_id")
    .selectAll("authority")
    .select(["teams.name as intake_team_name", "sar_team.name as sar_team_name"])
    .where("authority.id", "=", 1)
    .executeTakeFirst();
  if (!row)
    throw new DomainError(
      "not-found",
      "The authority has not been set up: run foidesk authority set --name …",
    );
  return fromRow(row);
}

/** The id of an existing team: the intake team is chosen from the teams staff are in, never made up. */
async function teamId(db: Kysely<Database>, name: string, field = "intakeTeam"): Promise<number> {
  const team = await findTeamByName(db, name);
  if (team) return team.id;
  const teams = (await listTeams(db)).map((known) => known.name);
  throw invalid(
    field,
    teams.length
      ? `There is no team called ${name}. The teams are: ${teams.join(", ")}`
      : `There is no team called ${name}: no member of staff is in a team yet`,
  );
}

/**
 * Changes some settings (creating the authority on first use, which needs a name). Validated whole before
 * anything is written; imported holidays replace the earlier import and add to the rules.
 */
export async function updateAuthoritySettings(
  db: Kysely<Database>,
  input: unknown,
  now: Date,
  importedHolidays?: ImportedHolidays,
): Promise<AuthoritySettings> {
  const change = parseInput(authoritySettingsSchema, input);
  if (change.referencePattern !== undefined) checkReferencePattern(change.referencePattern);
  let intakeTeamId: number | null | undefined;
  if (change.intakeTeam !== undefined)
    intakeTeamId = change.intakeTeam ? await teamId(db, change.intakeTeam) : null;
  let sarTeamId: number | null | undefined;
  if (change.sarTeam !== undefined)
    sarTeamId = change.sarTeam ? await teamId(db, change.sarTeam, "sarTeam") : null;
  const columns = {
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.address !== undefined ? { address: change.address } : {}),
    ...(change.email !== undefined ? { email: change.email } : {}),
    ...(change.phone !== undefined ? { phone: change.phone } : {}),
    ...(change.unitCode !== undefined ? { unit_code: change.unitCode } : {}),
    ...(change.referencePattern !== undefined ? { reference_pattern: change.referencePattern } : {}),
    ...(change.receiptReading !== undefined ? { receipt_reading: change.receiptReading } : {}),
    ...(change.costLimitPounds !== undefined ? { cost_limit_pence: change.costLimitPounds * 100 } : {}),
    ...(change.jurisdiction !== undefined ? { jurisdiction: change.jurisdiction } : {}),
    ...(change.publishAfterDays !== undefined ? { publish_after_days: change.publishAfterDays } : {}),
    ...(intakeTeamId !== undefined ? { intake_team_id: intakeTeamId } : {}),
    ...(sarTeamId !== undefined ? { sar_team_id: sarTeamId } : {}),
    ...(change.sarRoles !== undefined ? { sar_roles: [...new Set(change.sarRoles)] } : {}),
    ...(importedHolidays ? { imported_holidays: JSON.stringify(importedHolidays) } : {}),
    updated_at: now,
  };
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("authority")
      .select("id")
      .where("id", "=", 1)
      .forUpdate()
      .executeTakeFirst();
    if (existing) await trx.updateTable("authority").set(columns).where("id", "=", 1).execute();
    else {
      if (!change.name) throw invalid("name", "Enter the authority's name to set it up");
      await trx
        .insertInto("authority")
        .values({ ...columns, name: change.name })
        .execute();
    }
  });
  return authoritySettings(db);
}
