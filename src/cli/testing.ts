import { vi } from "vitest";
import { run } from "./main.ts";

/** What a command printed, and the exit code it gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Both streams as they were written, in order (what a person at the terminal would see). */
  output: string;
}

/**
 * Runs the `foidesk` command in-process, as the tests of each command do, and captures what it prints;
 * `process.exitCode` is left as it was. `prepare` runs once the streams are captured (e.g. to give the
 * command its standard input); every mock is restored afterwards.
 */
export async function runCli(argv: string[], prepare?: () => void): Promise<CliRun> {
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
    prepare?.();
    return { code: await run(argv), ...result };
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
