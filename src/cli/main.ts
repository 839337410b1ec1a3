import { Command, CommanderError } from "commander";
import { isDomainError } from "../errors.ts";
import { commands } from "./commands/index.ts";
import { type CliContext, systemClock } from "./context.ts";

/** Exit codes, one place: 0 ok, 1 unexpected failure, 2 bad input, 3 conflict or not found. */
const exitCodes = { invalid: 2, "not-found": 3, conflict: 3 } as const;

export function createProgram(context: CliContext = { now: systemClock }): Command {
  const program = new Command("foidesk")
    .description("Freedom of Information casework, statutory clocks and the disclosure log")
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  for (const register of commands) register(program, context);
  return program;
}

/** Runs `foidesk` with `argv`; `options.now` replaces the machine's clock (tests give a fixed one). */
export async function run(argv: string[], options: Partial<CliContext> = {}): Promise<number> {
  const program = createProgram({ now: options.now ?? systemClock }).exitOverride();
  try {
    await program.parseAsync(argv, { from: "user" });
    // A command that found a problem (e.g. a broken audit chain) sets process.exitCode itself.
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isDomainError(error)) {
      const option = error.field ? ` (${error.field})` : "";
      process.stderr.write(`foidesk: ${error.message}${option}\n`);
      return exitCodes[error.code as keyof typeof exitCodes] ?? 1;
    }
    process.stderr.write(
      `foidesk: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

if (import.meta.main) {
  process.exitCode = await run(process.argv.slice(2));
}
