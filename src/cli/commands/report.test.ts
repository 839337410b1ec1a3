import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateToLatest, openDatabase } from "../../db/index.ts";
import { createRequest, performAction } from "../../requests/index.ts";
import { answerRequest } from "../../requests/testing.ts";
import { runCli } from "../testing.ts";

const actor = { userId: null, label: "Post room", role: "officer" as const };
const at = (date: string) => new Date(`${date}T10:00:00Z`);
// Run early in the next quarter, as the Cabinet Office's quarterly return is.
const report = (...args: string[]) =>
  runCli(["report", ...args], { now: () => new Date("2026-10-05T09:00:00Z") });

describe("foidesk report", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "foidesk-report-"));
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("FOIDESK_DATA_DIR", folder);
    const handle = await openDatabase({ kind: "pglite", dataDir: folder });
    await migrateToLatest(handle.db);
    await handle.db.insertInto("authority").values({ name: "Test Council" }).execute();
    // Received Wed 1 July 2026: NI's Mon 13 July (the Twelfth's substitute) is not a working day (s.10(6)), so
    // day 20 is Thu 30 July. One answered that day, one the next.
    for (const answered of ["2026-07-30", "2026-07-31"]) {
      const created = await createRequest(
        handle.db,
        {
          regime: "foia",
          channel: "post",
          receivedDate: "2026-07-01",
          body: "How many parking fines were issued in 2025?",
          requester: { name: "Priya Raman", address: "22 Market Street, Westmarch WM2 3BD" },
        },
        actor,
        at("2026-07-01"),
      );
      await performAction(handle.db, created.id, { type: "start-work" }, 1, actor, at("2026-07-02"));
      await answerRequest(handle.db, created.id, 2, { officer: actor }, at(answered));
    }
    await handle.close();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(folder, { recursive: true, force: true });
  });

  it("prints the summary for a quarter", async () => {
    const result = await report("--from", "2026-07-01", "--to", "2026-09-30");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Test Council: 2026 Q3 (July to September 2026)");
    expect(result.stdout).toContain("FOIA: received 2, answered 2, in time 1 (50%), late 1");
    // The quarter is over on the day it runs: the backlog is as it stood at the quarter's end.
    expect(result.stdout).toContain("Backlog on 2026-09-30: 0 open, 0 overdue");
    expect(result.stdout).not.toContain("Priya");
  });

  it("prints JSON and writes the Cabinet Office row as CSV", async () => {
    const file = join(folder, "q3.csv");
    const result = await report("--from", "2026-07-01", "--to", "2026-09-30", "--json", "--csv", file);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).cabinetOffice).toMatchObject({
      "Met deadline": 1,
      "Deadline exceeded": 1,
    });
    const csv = await readFile(file, "utf8");
    expect(csv.split("\r\n")[1]).toMatch(/^Test Council,2026 Q3,2026-07-01,2026-09-30,/);
  });

  it("names the option of a bad date, and of an unknown table", async () => {
    const bad = await report("--from", "2026-07-32", "--to", "2026-09-30");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("foidesk: The start date must be a real date, like 2026-07-01 (--from)\n");
    const missing = await report("--from", "2026-07-01");
    expect(missing.stderr).toContain("Enter the end date (--to)");
    const table = await report(
      "--from",
      "2026-07-01",
      "--to",
      "2026-09-30",
      "--csv",
      "x.csv",
      "--table",
      "nope",
    );
    expect(table.stderr).toContain("(--table)");
  });
});
