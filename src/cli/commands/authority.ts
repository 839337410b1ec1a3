import type { Command } from "commander";
import { type AuthoritySettings, authoritySettings, updateAuthoritySettings } from "../../authority/index.ts";
import { invalid, isDomainError } from "../../errors.ts";
import type { CliContext } from "../context.ts";
import { withDatabase } from "../database.ts";
import { readHolidayFile } from "./holidays.ts";

interface SetOptions {
  name?: string;
  address?: string;
  email?: string;
  phone?: string;
  unitCode?: string;
  referencePattern?: string;
  receiptReading?: string;
  costLimit?: string;
  jurisdiction?: string;
  publishAfterDays?: string;
  /** False for --no-intake-team. */
  intakeTeam?: string | false;
  /** False for --no-sar-team. */
  sarTeam?: string | false;
  sarRoles?: string;
  holidays?: string;
  json?: boolean;
}

function print(settings: AuthoritySettings, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(settings)}\n`);
    return;
  }
  const imported = Object.values(settings.importedHolidays ?? {}).reduce(
    (sum, list) => sum + (list?.length ?? 0),
    0,
  );
  const rows: Array<[string, string]> = [
    ["Name", settings.name],
    ["Address", settings.address],
    ["Email", settings.email],
    ["Phone", settings.phone],
    ["Jurisdiction", settings.jurisdiction],
    ["References", `${settings.referencePattern} (unit ${settings.unitCode})`],
    ["Receipt reading", settings.receiptReading],
    ["Cost limit", `£${settings.costLimitPounds}`],
    [
      "Publish after",
      settings.publishAfterDays === null ? "by hand only" : `${settings.publishAfterDays} days`,
    ],
    ["Intake team", settings.intakeTeam ?? "none (new requests join no team)"],
    [
      "Who sees subject access requests",
      [settings.sarTeam ? `the ${settings.sarTeam} team` : "", settings.sarRoles.join(", ")]
        .filter(Boolean)
        .join("; ") || "nobody",
    ],
    ["Imported holidays", String(imported)],
  ];
  for (const [label, value] of rows) process.stdout.write(`${label.padEnd(18)}${value}\n`);
}

function optionFor(field: string): string {
  const renamed: Record<string, string> = { costLimitPounds: "cost-limit" };
  return `--${renamed[field] ?? field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** `foidesk authority show|set`: the authority's settings, including holidays imported from a GOV.UK file. */
export function registerAuthority(program: Command, { now }: CliContext): void {
  const authority = program.command("authority").description("show or change the authority's settings");
  authority
    .command("show")
    .description("print the authority's settings")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
      const settings = await withDatabase((handle) => authoritySettings(handle.db));
      print(settings, options.json);
    });
  authority
    .command("set")
    .description("change settings; only the options given change (the first use needs --name)")
    .option("--name <text>", "the authority's name")
    .option("--address <text>", "postal address for letters")
    .option("--email <address>", "the information-rights team's email")
    .option("--phone <text>", "phone number (EIR requests may be made orally)")
    .option("--unit-code <code>", "the {unit} part of references")
    .option("--reference-pattern <pattern>", "e.g. {unit}.{regime}.{yy}.{seq:6}")
    .option("--receipt-reading <reading>", "ico (default) or code-2018")
    .option("--cost-limit <pounds>", "450 or 600 (Fees Regulations 2004 reg 3)")
    .option("--jurisdiction <name>", "england-and-wales, scotland (FOISA) or northern-ireland")
    .option("--publish-after-days <n>", "publish sent replies after N days; 'off' for by hand only")
    .option("--intake-team <team>", "the team new requests join when none is chosen (web, API, email)")
    .option("--no-intake-team", "new requests without a team join none")
    .option("--sar-team <team>", "the team whose members see subject access requests")
    .option("--no-sar-team", "no team sees subject access requests (only --sar-roles)")
    .option(
      "--sar-roles <roles>",
      "roles that see subject access requests, comma-separated, e.g. manager,admin",
    )
    .option("--holidays <file>", "import bank holidays from a GOV.UK-format JSON file (adds to the rules)")
    .option("--json", "print the result as JSON")
    .action(async (options: SetOptions) => {
      const holidays = options.holidays ? await readHolidayFile(options.holidays, "--holidays") : undefined;
      const change = {
        name: options.name,
        address: options.address,
        email: options.email,
        phone: options.phone,
        unitCode: options.unitCode,
        referencePattern: options.referencePattern,
        receiptReading: options.receiptReading,
        costLimitPounds: options.costLimit,
        jurisdiction: options.jurisdiction,
        publishAfterDays: options.publishAfterDays === "off" ? null : options.publishAfterDays,
        intakeTeam: options.intakeTeam === false ? null : options.intakeTeam,
        sarTeam: options.sarTeam === false ? null : options.sarTeam,
        sarRoles:
          options.sarRoles === undefined
            ? undefined
            : options.sarRoles
                .split(",")
                .map((role) => role.trim())
                .filter(Boolean),
      };
      const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
      try {
        const settings = await withDatabase((handle) =>
          updateAuthoritySettings(handle.db, defined, now(), holidays),
        );
        print(settings, options.json);
      } catch (error) {
        // Name the option the person typed, not the setting's field.
        if (isDomainError(error) && error.field) throw invalid(optionFor(error.field), error.message);
        throw error;
      }
    });
}
