import { writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import type { Command } from "commander";
import { invalid } from "../../errors.ts";
import type { Actor } from "../../requests/index.ts";
import {
  anonymiseDue,
  checkOrphanFiles,
  dueForAnonymisation,
  eraseRequester,
  exportRequester,
  findRequester,
  liftLegalHold,
  placeLegalHoldByReference,
  rectifyRequester,
  retentionSchedule,
  setRetentionPeriod,
} from "../../retention/index.ts";
import type { CliContext } from "../context.ts";
import { withDatabase } from "../database.ts";
import { filesAndMail } from "./serve.ts";

// `foidesk retention …` and `foidesk requester …`: the information manager's tools for keeping data (README
// "Keeping data"). Whoever runs the command on the server acts as an administrator, named in each event.

function terminalActor(by: string | undefined): Actor {
  return { userId: null, label: by?.trim() || `command line (${userInfo().username})`, role: "admin" };
}

const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

function positiveId(text: string, option: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw invalid(option, `${option} must be a whole number`);
  return Number(text);
}

export function registerRetention(program: Command, { now }: CliContext): void {
  const retention = program
    .command("retention")
    .description("the retention schedule, legal holds and anonymisation (FOIDESK_DATA_DIR, DATABASE_URL)");
  retention
    .command("schedule")
    .description("show the retention schedule, or set one period with --set TYPE=MONTHS")
    .option("--set <type=months>", "set how many months after closure a record type is kept")
    .option("--by <name>", "who is setting it (recorded)")
    .action(async (options: { set?: string; by?: string }) => {
      const entries = await withDatabase(async ({ db }) => {
        if (!options.set) return retentionSchedule(db);
        const [type, months] = options.set.split("=");
        return setRetentionPeriod(db, type, months ?? "", terminalActor(options.by), now());
      });
      for (const entry of entries)
        print(
          `${entry.recordType.padEnd(18)} ${entry.months === null ? "kept (no period set)" : `${entry.months} months`}  ${entry.label}`,
        );
    });
  retention
    .command("due")
    .description("list what the schedule makes due for anonymisation, and what a legal hold keeps")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean }) => {
      const report = await withDatabase(({ db }) => dueForAnonymisation(db, now()));
      if (options.json) return print(JSON.stringify(report));
      print(
        `Due for anonymisation on ${report.today}: ${report.due.length} request(s), ${report.emails.length} unprocessed email(s).`,
      );
      for (const record of report.due)
        print(
          `  ${record.reference}  ${record.recordType}, closed ${record.closedOn}, kept until ${record.retainUntil}`,
        );
      if (report.held.length) print(`Held back: ${report.held.length}`);
      for (const record of report.held) print(`  ${record.reference}  ${record.hold}`);
    });
  retention
    .command("run")
    .description(
      "anonymise every request that is due now (the daily job does the same); --dry-run lists only",
    )
    .option("--dry-run", "list what would be destroyed, destroying nothing")
    .option("--json", "print the result as JSON")
    .action(async (options: { dryRun?: boolean; json?: boolean }) => {
      const { files, mail } = await filesAndMail(process.env);
      const run = await withDatabase(({ db }) =>
        anonymiseDue(db, files, now(), { dryRun: options.dryRun === true, mailCopies: mail.transport }),
      );
      if (options.json) print(JSON.stringify(run));
      else {
        print(
          `${run.dryRun ? "Would anonymise" : "Anonymised"} ${run.anonymised.length} request(s) and ${run.emails} unprocessed email(s).`,
        );
        for (const record of run.anonymised) print(`  ${record.reference}  ${record.recordType}`);
        for (const failure of run.failed) print(`Not anonymised ${failure.reference}: ${failure.error}`);
      }
      if (run.failed.length) process.exitCode = 1;
    });
  retention
    .command("hold")
    .description("place a legal hold on a request (--reason), or lift one (--lift HOLD_ID, --reason why)")
    .argument("[reference]", "the request's reference")
    .option("--reason <text>", "why nothing of it may be destroyed (or, with --lift, why the hold ends)")
    .option("--lift <holdId>", "lift the hold with this id")
    .option("--by <name>", "who is placing or lifting it (recorded)")
    .action(
      async (reference: string | undefined, options: { reason?: string; lift?: string; by?: string }) => {
        const actor = terminalActor(options.by);
        await withDatabase(async ({ db }) => {
          if (options.lift) {
            await liftLegalHold(db, positiveId(options.lift, "--lift"), actor, now(), options.reason);
            return print(`Lifted hold ${options.lift}.`);
          }
          const { holdId } = await placeLegalHoldByReference(db, reference, options.reason, actor, now());
          print(`Placed hold ${holdId} on ${reference}.`);
        });
      },
    );
  retention
    .command("orphans")
    .description(
      "list files in the file store that nothing refers to; --remove deletes those over an hour old",
    )
    .option("--remove", "delete them")
    .action(async (options: { remove?: boolean }) => {
      const { files } = await filesAndMail(process.env);
      const check = await withDatabase(({ db }) =>
        checkOrphanFiles(db, files, now(), { remove: options.remove === true }),
      );
      print(
        `${check.orphans.length} orphaned file(s)${options.remove ? `, ${check.removed.length} removed` : ""}.`,
      );
      for (const key of check.orphans) print(`  ${key}`);
    });

  const requester = program
    .command("requester")
    .description("one requester's own data: export it (Art. 15), erase it (Art. 17) or correct it (Art. 16)");
  const who = (command: Command) =>
    command
      .option("--email <address>", "the requester's email address")
      .option("--id <id>", "the requester's id");
  const lookUp = (options: { email?: string; id?: string }) => ({
    email: options.email,
    id: options.id ? positiveId(options.id, "--id") : undefined,
  });
  who(requester.command("export"))
    .description("write everything held about one requester to a zip with a readable index")
    .requiredOption("--out <file>", "the zip file to write")
    .action(async (options: { email?: string; id?: string; out: string }) => {
      const { files, mail } = await filesAndMail(process.env);
      const result = await withDatabase(async ({ db }) => {
        const person = await findRequester(db, lookUp(options));
        return exportRequester(db, files, person.id, now(), mail.transport);
      });
      await writeFile(options.out, result.zip);
      print(`Wrote ${options.out}: ${result.requests} request(s), ${result.documents} document(s).`);
    });
  who(requester.command("erase"))
    .description("erase one requester's personal data from all their requests (refused under a legal hold)")
    .option("--by <name>", "who is erasing it (recorded)")
    .action(async (options: { email?: string; id?: string; by?: string }) => {
      const { files, mail } = await filesAndMail(process.env);
      const result = await withDatabase(async ({ db }) => {
        const person = await findRequester(db, lookUp(options));
        return eraseRequester(db, files, person.id, terminalActor(options.by), now(), mail.transport);
      });
      print(
        `Erased the requester's personal data from ${result.references.length} request(s): ${result.references.join(", ")}`,
      );
    });
  who(requester.command("rectify"))
    .description("correct one requester's name, email, address or organisation")
    .option("--name <name>")
    .option("--new-email <address>")
    .option("--address <address>")
    .option("--organisation <name>")
    .option("--by <name>", "who is correcting it (recorded)")
    .action(
      async (options: {
        email?: string;
        id?: string;
        by?: string;
        name?: string;
        newEmail?: string;
        address?: string;
        organisation?: string;
      }) => {
        const result = await withDatabase(async ({ db }) => {
          const person = await findRequester(db, lookUp(options));
          return rectifyRequester(
            db,
            person.id,
            {
              name: options.name,
              email: options.newEmail,
              address: options.address,
              organisation: options.organisation,
            },
            terminalActor(options.by),
            now(),
          );
        });
        print(`Corrected: ${result.fields.join(", ")}.`);
      },
    );
}
