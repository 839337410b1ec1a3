import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  type Division,
  divisions,
  firstRuleYear,
  formatHumanDate,
  type ImportedHolidays,
  isDivision,
  lastRuleYear,
  listHolidays,
  londonDate,
  parseGovUkFeed,
  tryParseIsoDate,
} from "../../calendar/index.ts";
import { invalid, isDomainError } from "../../errors.ts";
import type { CliContext } from "../context.ts";

/** Reads and parses a GOV.UK-format holidays file; errors name the option and the file's line. */
export async function readHolidayFile(file: string, option: string): Promise<ImportedHolidays> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw invalid(option, `cannot read ${file} (${reason})`);
  }
  try {
    return parseGovUkFeed(text);
  } catch (error) {
    if (isDomainError(error)) throw invalid(option, `${file} ${error.message}`);
    throw error;
  }
}

function parseYear(text: string, option: string): number {
  const year = /^\d{4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(year >= firstRuleYear && year <= lastRuleYear)) {
    throw invalid(option, `"${text}" is not a year from ${firstRuleYear} to ${lastRuleYear}`);
  }
  return year;
}

interface HolidaysOptions {
  division: string;
  from?: string;
  to?: string;
  import?: string;
  json?: boolean;
}

export function registerHolidays(program: Command, { now }: CliContext): void {
  program
    .command("holidays")
    .description("list UK bank holidays by division, from the rules plus any imported GOV.UK file")
    .option("--division <division>", `${divisions.join(", ")} or all (the union, as FOIA counts)`, "all")
    .option("--from <year>", "first year (default: this year)")
    .option("--to <year>", "last year (default: the first year)")
    .option("--import <file>", "add holidays from a file in the GOV.UK bank-holidays JSON format")
    .option("--json", 'print a JSON array of {"date","title"}')
    .action(async (options: HolidaysOptions) => {
      const division = options.division;
      if (division !== "all" && !isDivision(division)) {
        throw invalid("--division", `unknown division "${division}" (use ${divisions.join(", ")} or all)`);
      }
      const from = parseYear(options.from ?? londonDate(now()).slice(0, 4), "--from");
      const to = options.to === undefined ? from : parseYear(options.to, "--to");
      if (to < from) throw invalid("--to", `${to} is before --from ${from}`);
      const imported = options.import ? await readHolidayFile(options.import, "--import") : undefined;
      const holidays = listHolidays(division as Division | "all", from, to, imported);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(holidays)}\n`);
        return;
      }
      const width = 17;
      const lines = [`${"Date".padEnd(width)}Holiday`];
      for (const holiday of holidays) {
        lines.push(`${formatHumanDate(tryParseIsoDate(holiday.date)).padEnd(width)}${holiday.title}`);
      }
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
