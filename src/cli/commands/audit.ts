import type { Command } from "commander";
import { verifyAuditChain } from "../../requests/index.ts";
import { withDatabase } from "../database.ts";

/** `foidesk audit verify`: checks every request's hash-chained history and names the first broken link. */
export function registerAudit(program: Command): void {
  const audit = program.command("audit").description("check the tamper-evident history of every request");
  audit
    .command("verify")
    .description("verify every request's hash chain; exits 1 and names the first broken link if any")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean }) => {
      const result = await withDatabase((handle) => verifyAuditChain(handle.db));
      if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else if (result.ok)
        process.stdout.write(`History intact: ${result.events} events on ${result.requests} requests.\n`);
      else
        process.stdout.write(
          `History broken at request ${result.reference}, event ${result.seq}: ${result.reason}.\n` +
            `Checked ${result.requests} requests and ${result.events} events before it.\n`,
        );
      if (!result.ok) process.exitCode = 1;
    });
}
