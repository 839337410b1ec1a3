import type { Command } from "commander";
import { registerAudit } from "./audit.ts";
import { registerDueDate } from "./due-date.ts";
import { registerHolidays } from "./holidays.ts";
import { registerMigrate } from "./migrate.ts";
import { registerServe } from "./serve.ts";
import { registerStats } from "./stats.ts";
import { registerToken } from "./token.ts";
import { registerUser } from "./user.ts";

/** Every subcommand registers itself here; `foidesk --help` lists them all. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerHolidays,
  registerDueDate,
  registerAudit,
  registerMigrate,
  registerServe,
  registerUser,
  registerToken,
  registerStats,
];
