import { vi } from "vitest";
import type { CliContext } from "./context.ts";
import { run } from "./main.ts";

/** What a command printed, and the exit code it gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Both streams as they were written, in order (what a person at the terminal would see). */
  output: string;
}

/** How a test runs the command: the clock it reads, and what to set up before it starts. */
export interface CliRunOptions extends Partial<CliContext> {
  /** Runs once the streams are captured (e.g. to give the command its standard input). */
  prepare?: () => void;
}

/**
 * Runs the `foidesk` command in-process, as the tests of each command do, and captures what it prints;
 * `process.exitCode` is left as it was, and every mock is restored afterwards. A test whose result depends on
 * the time gives `now` (a fixed instant); without it the command reads the machine's clock.
 */
export async function runCli(argv: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const result = { stdout: "", stderr: "", output: "" };
  const capture = (stream: "stdout" | "stderr") =>
    vi.spyOn(process[stream], "write").mockImplementation((chunk) => {
      result[stream] += String(chunk);
      result.output += String(chunk);
      return true;
    });
  capture("stdout");
  capture("stderr");
  const before = process.exitCode;
  // A command reports a problem by setting process.exitCode; start each run from none, as a new process would.
  process.exitCode = undefined;
  try {
    options.prepare?.();
    return { code: await run(argv, options.now ? { now: options.now } : {}), ...result };
  } finally {
    process.exitCode = before;
    vi.restoreAllMocks();
  }
}

export {
  pgliteStore,
  postgresSchemaStore,
  type ServedProcess,
  type ServedStore,
  servedStores,
  serveProcess,
  stopped,
  withSearchPath,
} from "./serve-process.ts";
