import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { invalid } from "../../errors.ts";
import {
  type ComplianceReport,
  complianceReport,
  type ReportTable,
  regimeName,
  reportCsv,
  reportTables,
} from "../../reporting/index.ts";
import type { CliContext } from "../context.ts";
import { withDatabase } from "../database.ts";

/**
 * `foidesk report --from 2026-07-01 --to 2026-09-30 [--json] [--csv FILE] [--table NAME]`: the compliance
 * report for a period, as a summary, as JSON, or one table (the Cabinet Office's quarterly row by default)
 * written as CSV. Counts, references and staff names only: never a requester or withheld text.
 */
export function registerReport(program: Command, { now }: CliContext): void {
  program
    .command("report")
    .description("timeliness, backlog, outcomes, exemptions and internal reviews for a period (DATABASE_URL)")
    .option("--from <date>", "the first day of the period, YYYY-MM-DD")
    .option("--to <date>", "the last day of the period, YYYY-MM-DD")
    .option("--json", "print the whole report as JSON")
    .option("--csv <file>", "write one table as CSV to FILE")
    .option("--table <name>", `the table for --csv: ${reportTables.join(", ")}`, "cabinet-office")
    .action(async (options: { from?: string; to?: string; json?: boolean; csv?: string; table: string }) => {
      if (!(reportTables as readonly string[]).includes(options.table))
        throw invalid("--table", `Choose a table: ${reportTables.join(", ")}`);
      const report = await withDatabase((handle) =>
        complianceReport(handle.db, options, now(), { from: "--from", to: "--to" }),
      );
      if (options.csv) {
        await writeFile(options.csv, reportCsv(report, options.table as ReportTable));
        process.stderr.write(`Wrote the ${options.table} table to ${options.csv}\n`);
      }
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (!options.csv) process.stdout.write(summary(report));
    });
}

const shown = (value: number | null, suffix = "") => (value === null ? "–" : `${value}${suffix}`);

function summary(report: ComplianceReport): string {
  const lines = [
    `${report.authority}: ${report.quarter ? `${report.quarter.name} (${report.quarter.label})` : `${report.period.from} to ${report.period.to}`}`,
    "",
    "Timeliness (requests answered in the period)",
  ];
  for (const row of report.timeliness) {
    if (row.regime !== "all" && row.received + row.answered === 0) continue;
    const days =
      row.unit === "mixed"
        ? ""
        : `; median ${shown(row.medianDays)}, 95th percentile ${shown(row.p95Days)} ${row.unit} days`;
    lines.push(
      `  ${regimeName(row.regime)}: received ${row.received}, answered ${row.answered}, in time ${row.inTime} (${shown(row.percentInTime, "%")}), late ${row.late}${days}`,
    );
  }
  const backlog = report.backlog;
  lines.push(
    "",
    `Backlog on ${backlog.asOf}: ${backlog.open} open, ${backlog.overdue} overdue (${backlog.byBand.map((band) => `${band.label}: ${band.requests}`).join(", ")})`,
  );
  if (backlog.oldest[0])
    lines.push(`  Oldest open: ${backlog.oldest[0].reference}, received ${backlog.oldest[0].receivedDate}`);
  const total = (category: string) =>
    report.outcomes.rows.find((row) => row.category === category)?.total ?? 0;
  lines.push(
    "",
    `Outcomes of the ${report.outcomes.received.at(-1)} requests received: ${report.outcomes.rows
      .filter((row) => row.total > 0)
      .map((row) => `${row.label} ${row.total}`)
      .join(", ")}`,
    `  Resolvable ${report.outcomes.resolvable.at(-1)}, granted in full ${total("granted-in-full")} (${shown(report.outcomes.percentGrantedInFull.at(-1) ?? null, "%")})`,
    "",
    `Exemptions cited in ${report.exemptions.replies.reduce((sum, r) => sum + r.sent, 0)} replies sent:`,
    ...report.exemptions.rows.map((row) => `  ${regimeName(row.regime)} ${row.label}: ${row.requests}`),
    "",
    `Internal reviews: received ${report.reviews.received}, decided ${report.reviews.decided} (in time ${shown(report.reviews.percentInTime, "%")}), ${report.reviews.outcomes.map((o) => `${o.label.toLowerCase()} ${o.reviews}`).join(", ")}`,
  );
  return `${lines.join("\n")}\n`;
}
