import { describe, expect, it } from "vitest";
import { DEMO_TOTP_SECRET } from "../../demo/index.ts";
import { totpCode } from "../../users/index.ts";
import { runCli } from "../testing.ts";

describe("foidesk demo code", () => {
  it("prints the code the demo's published key gives now, alone on stdout, and how long it lasts", async () => {
    // 10:00:17 is 17 seconds into its 30-second step (RFC 6238): the code lasts 13 seconds more.
    const now = new Date("2026-06-10T10:00:17Z");
    const result = await runCli(["demo", "code"], { now: () => now });
    expect(result).toMatchObject({ code: 0, stdout: `${totpCode(DEMO_TOTP_SECRET, now)}\n` });
    expect(result.stdout).toMatch(/^\d{6}\n$/);
    expect(result.stderr).toMatch(/^The demo's code for the next 13 seconds \(key GVEW S4TU .*\)\./);
    // At 10:00:30 the next step starts: a new code, good for all 30 of its seconds.
    const stepStart = new Date("2026-06-10T10:00:30Z");
    const next = await runCli(["demo", "code"], { now: () => stepStart });
    expect(next.stdout).toBe(`${totpCode(DEMO_TOTP_SECRET, stepStart)}\n`);
    expect(next.stdout).not.toBe(result.stdout);
    expect(next.stderr).toContain("for the next 30 seconds");
  });
});
