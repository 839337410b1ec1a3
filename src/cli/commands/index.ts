import type { Command } from "commander";
import { registerAudit } from "./audit.ts";
import { registerDueDate } from "./due-date.ts";
import { registerHolidays } from "./holidays.ts";

/** Every subcommand registers itself here; `foidesk --help` lists them all. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerHolidays, registerDueDate, registerAudit];
