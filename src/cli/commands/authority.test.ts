import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../db/index.ts";
import { addTestUser } from "../../users/testing.ts";
import { runCli } from "../testing.ts";

async function foidesk(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await runCli(args);
  return { code, out: stdout, err: stderr };
}

describe("foidesk authority", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "foidesk-authority-"));
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("FOIDESK_DATA_DIR", join(folder, "data"));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(folder, { recursive: true, force: true });
  });

  it("sets the authority up, imports holidays from a GOV.UK file, chooses the intake team and names a bad option", async () => {
    const file = join(folder, "holidays.json");
    const event = { title: "Proclaimed holiday", date: "2027-06-07", notes: "", bunting: true };
    await writeFile(
      file,
      JSON.stringify({ "england-and-wales": { division: "england-and-wales", events: [event] } }),
    );
    const first = await foidesk("authority", "set", "--cost-limit", "600");
    expect(first).toMatchObject({ code: 2, out: "", err: expect.stringContaining("(--name)") });
    const set = await foidesk("authority", "set", "--name", "Test Council", "--holidays", file, "--json");
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({
      name: "Test Council",
      costLimitPounds: 450,
      importedHolidays: { "england-and-wales": [{ date: "2027-06-07" }] },
    });
    const bad = await foidesk("authority", "set", "--cost-limit", "500");
    expect(bad).toMatchObject({ code: 2, out: "", err: expect.stringContaining("(--cost-limit)") });
    const shown = await foidesk("authority", "show");
    expect(shown.out).toMatch(/Cost limit\s+£450/);

    const noTeam = await foidesk("authority", "set", "--intake-team", "Information Rights");
    expect(noTeam).toMatchObject({ code: 2, out: "", err: expect.stringContaining("(--intake-team)") });
    expect(noTeam.err).toContain("There is no team called Information Rights");
    const handle = await openDatabase({ kind: "pglite", dataDir: join(folder, "data") });
    try {
      await addTestUser(
        handle.db,
        { username: "ines", name: "Ines Intake", role: "officer", team: "Information Rights" },
        new Date("2026-01-05T09:00:00Z"),
      );
    } finally {
      await handle.close();
    }
    const intake = await foidesk("authority", "set", "--intake-team", "Information Rights");
    expect(intake.out).toMatch(/Intake team\s+Information Rights/);
    const cleared = await foidesk("authority", "set", "--no-intake-team", "--json");
    expect(JSON.parse(cleared.out)).toMatchObject({ intakeTeam: null });
    // Each command opens the embedded database from its folder: a few seconds each on a busy machine.
  }, 180_000);
});
