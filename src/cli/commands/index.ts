import type { Command } from "commander";

/** Every subcommand registers itself here; `foidesk --help` lists them all. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
