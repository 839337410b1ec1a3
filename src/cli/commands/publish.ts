import { join } from "node:path";
import type { Command } from "commander";
import { invalid } from "../../errors.ts";
import { dueForPublication, publishDue } from "../../publication/index.ts";
import { localFolderStore } from "../../storage/index.ts";
import type { CliContext } from "../context.ts";
import { withDatabase } from "../database.ts";

/**
 * `foidesk publish --due`: publishes to the disclosure log every sent reply whose automatic publication is
 * due (the authority's "publish after N days" setting), for a nightly cron job. `--dry-run` lists them only.
 * Files that cannot be masked (PDF, Word) are held back: a manager publishes those by hand after checking.
 */
export function registerPublish(program: Command, { now: clock }: CliContext): void {
  program
    .command("publish")
    .description("publish sent replies to the disclosure log when due (FOIDESK_FILES_DIR, DATABASE_URL)")
    .option("--due", "publish every reply whose automatic publication is due")
    .option("--dry-run", "list what is due without publishing it")
    .option("--json", "print the result as JSON")
    .action(async (options: { due?: boolean; dryRun?: boolean; json?: boolean }) => {
      if (!options.due) throw invalid("--due", "Say what to publish: foidesk publish --due");
      const dataDir = process.env.FOIDESK_DATA_DIR ?? "data";
      const files = localFolderStore(process.env.FOIDESK_FILES_DIR ?? join(dataDir, "files"));
      const now = clock();
      if (options.dryRun) {
        const due = await withDatabase((handle) => dueForPublication(handle.db, now));
        const references = due.map((row) => row.reference);
        if (options.json) process.stdout.write(`${JSON.stringify({ due: references })}\n`);
        else
          process.stdout.write(
            references.length ? `Due for publication: ${references.join(", ")}\n` : "Nothing is due.\n",
          );
        return;
      }
      const report = await withDatabase((handle) => publishDue(handle.db, files, now));
      if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        process.stdout.write(
          report.published.length
            ? `Published ${report.published.length}: ${report.published.map((item) => item.reference).join(", ")}\n`
            : "Nothing was due.\n",
        );
        for (const failure of report.failed)
          process.stdout.write(`Not published ${failure.reference}: ${failure.problem}\n`);
      }
      if (report.failed.length > 0) process.exitCode = 1;
    });
}
