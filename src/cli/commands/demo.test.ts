import { describe, expect, it } from "vitest";
import { DEMO_TOTP_SECRET } from "../../demo/index.ts";
import { totpCode } from "../../users/index.ts";
import { runCli } from "../testing.ts";

describe("foidesk demo code", () => {
  it("prints the code the demo's published key gives now, alone on stdout, and how long it lasts", async () => {
    const before = new Date();
    const result = await runCli(["demo", "code"]);
    const after = new Date();
    expect(result.code).toBe(0);
    // The command reads the machine's clock, as an authenticator app does: the code of the step it ran in.
    expect([totpCode(DEMO_TOTP_SECRET, before), totpCode(DEMO_TOTP_SECRET, after)]).toContain(
      result.stdout.trim(),
    );
    expect(result.stdout).toMatch(/^\d{6}\n$/);
    expect(result.stderr).toMatch(/^The demo's code for the next \d+ seconds \(key GVEW S4TU .*\)\./);
  });
});
