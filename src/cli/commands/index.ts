import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { registerAudit } from "./audit.ts";
import { registerAuthority } from "./authority.ts";
import { registerBackup } from "./backup.ts";
import { registerDemo } from "./demo.ts";
import { registerDueDate } from "./due-date.ts";
import { registerFiles } from "./files.ts";
import { registerHolidays } from "./holidays.ts";
import { registerMail } from "./mail.ts";
import { registerMigrate } from "./migrate.ts";
import { registerPublish } from "./publish.ts";
import { registerReport } from "./report.ts";
import { registerRetention } from "./retention.ts";
import { registerServe } from "./serve.ts";
import { registerStats } from "./stats.ts";
import { registerToken } from "./token.ts";
import { registerUser } from "./user.ts";

/**
 * Every subcommand registers itself here; `foidesk --help` lists them all. Each is given the context (the
 * clock) it reads the time from.
 */
export type RegisterCommand = (program: Command, context: CliContext) => void;

export const commands: RegisterCommand[] = [
  registerHolidays,
  registerDueDate,
  registerAudit,
  registerAuthority,
  registerMigrate,
  registerPublish,
  registerServe,
  registerUser,
  registerToken,
  registerStats,
  registerReport,
  registerMail,
  registerFiles,
  registerRetention,
  registerBackup,
  registerDemo,
];
