import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gangRecords } from "../../statistics/index.ts";
import { runCli } from "../testing.ts";

// The worked example of issue 7 on the command line: the force-wide table of the synthetic gangs matrix by
// age band and category, protected with the force's threshold (counts of 1 to 4 withheld), then audited as
// an attacker would: every withheld count keeps a range, none can be worked out from what is published.

const foidesk = (...argv: string[]) => runCli(argv);

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "foidesk-gangs-"));
  const records = gangRecords();
  const columns = Object.keys(records[0]!);
  await writeFile(
    join(folder, "gangs.csv"),
    `${[columns.join(","), ...records.map((record) => columns.map((column) => record[column]).join(","))].join("\n")}\n`,
  );
});
afterAll(async () => rm(folder, { recursive: true, force: true }));

describe("the gangs example with foidesk stats", () => {
  it("protects the force-wide table by age band and category, and the audit finds every withheld count safe", async () => {
    const protect = await foidesk(
      "stats",
      "protect",
      "--input",
      join(folder, "gangs.csv"),
      "--dims",
      "age_band,category",
      "--rule",
      "freq:4",
      "--json",
    );
    expect(protect.code).toBe(0);
    const table = JSON.parse(protect.stdout) as {
      cells: { age_band: string; category: string; freq: number; status: string }[];
      secondary: number;
    };
    const total = table.cells.find((cell) => cell.age_band === "Total" && cell.category === "Total");
    expect(total).toMatchObject({ freq: 62, status: "published" });
    const primary = table.cells.filter((cell) => cell.status === "primary");
    expect(primary.length).toBeGreaterThan(0);
    for (const cell of primary) expect(cell.freq).toBeGreaterThanOrEqual(1);
    for (const cell of primary) expect(cell.freq).toBeLessThanOrEqual(4);
    expect(table.cells.filter((cell) => cell.status === "secondary")).toHaveLength(table.secondary);
    // Every count of 1 to 4 is withheld; nothing else is withheld but to protect them.
    for (const cell of table.cells)
      if (cell.freq >= 1 && cell.freq <= 4) expect(cell.status).not.toBe("published");

    await writeFile(join(folder, "protected.json"), protect.stdout);
    const audit = await foidesk("stats", "audit", "--input", join(folder, "protected.json"), "--json");
    expect(audit.code).toBe(0);
    const intervals = JSON.parse(audit.stdout) as {
      safe: boolean;
      cells: { age_band: string; category: string; lower: number; upper: number }[];
    };
    expect(intervals.safe).toBe(true);
    for (const cell of primary) {
      const interval = intervals.cells.find(
        (candidate) => candidate.age_band === cell.age_band && candidate.category === cell.category,
      )!;
      expect(interval.upper - interval.lower).toBeGreaterThan(0);
      expect(interval.lower).toBeLessThanOrEqual(cell.freq);
      expect(interval.upper).toBeGreaterThanOrEqual(cell.freq);
    }
  });
});
