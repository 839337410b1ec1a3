import type { Command } from "commander";
import { DEMO_TOTP_SECRET, demoTotpKey } from "../../demo/index.ts";
import { totpCode } from "../../users/index.ts";
import type { CliContext } from "../context.ts";

/**
 * `foidesk demo code`: the code an authenticator app holding the demo's published key shows now, for signing
 * in to the demo as its manager or administrator without a phone. It knows only the demo's key, which is
 * public: it cannot make a code for any real account.
 */
export function registerDemo(program: Command, { now: clock }: CliContext): void {
  const demo = program.command("demo").description("the demo authority (started with: foidesk serve --demo)");
  demo
    .command("code")
    .description("print the code the demo's managers and administrators type after their password")
    .action(() => {
      const now = clock();
      const secondsLeft = 30 - (Math.floor(now.getTime() / 1000) % 30);
      process.stdout.write(`${totpCode(DEMO_TOTP_SECRET, now)}\n`);
      process.stderr.write(
        `The demo's code for the next ${secondsLeft} seconds (key ${demoTotpKey}). Each code works once per account.\n`,
      );
    });
}
