import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../testing.ts";

const foidesk = (...argv: string[]) => runCli(argv);

afterEach(() => vi.restoreAllMocks());

describe("foidesk holidays", () => {
  it("--division scotland --from 2012 --to 2028 --json: a date-ordered array of {date, title}", async () => {
    const { code, stdout } = await foidesk(
      "holidays",
      "--division",
      "scotland",
      "--from",
      "2012",
      "--to",
      "2028",
      "--json",
    );
    expect(code).toBe(0);
    const holidays = JSON.parse(stdout) as { date: string; title: string }[];
    expect(Object.keys(holidays[0] ?? {})).toEqual(["date", "title"]);
    const dates = holidays.map((h) => h.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates[0]).toBe("2012-01-02");
    expect(dates.at(-1)).toBe("2028-12-26");
    expect(dates).toContain("2026-06-15");
    expect(dates).toContain("2024-12-02"); // St Andrew's Day substitute
    expect(dates).not.toContain("2024-04-01"); // Easter Monday: not in Scotland
    expect(holidays.find((h) => h.date === "2023-05-08")?.title).toBe(
      "Bank holiday for the coronation of King Charles III",
    );
  });

  it("without --from, lists this year's holidays (the year in the United Kingdom)", async () => {
    const { stdout } = await runCli(["holidays", "--division", "england-and-wales", "--json"], {
      now: () => new Date("2027-06-10T10:00:00Z"),
    });
    const dates = (JSON.parse(stdout) as { date: string }[]).map((holiday) => holiday.date);
    // Christmas and Boxing Day 2027 fall at a weekend: the substitutes are 27 and 28 December.
    expect([dates[0], dates.at(-1)]).toEqual(["2027-01-01", "2027-12-28"]);
    expect(dates.every((date) => date.startsWith("2027-"))).toBe(true);
  });

  it("--division all is the union, one entry per date", async () => {
    const { stdout } = await foidesk(
      "holidays",
      "--division",
      "all",
      "--from",
      "2023",
      "--to",
      "2023",
      "--json",
    );
    const holidays = JSON.parse(stdout) as { date: string; title: string }[];
    expect(holidays).toHaveLength(14);
    expect(holidays.find((h) => h.date === "2023-07-12")?.title).toBe(
      "Battle of the Boyne (Orangemen’s Day) (Northern Ireland)",
    );
  });

  it("prints a table for people, with weekday names", async () => {
    const { stdout } = await foidesk(
      "holidays",
      "--division",
      "england-and-wales",
      "--from",
      "2022",
      "--to",
      "2022",
    );
    expect(stdout.split("\n")[0]).toMatch(/^Date\s+Holiday$/);
    expect(stdout).toContain("Tue 27 Dec 2022  Christmas Day (substitute day)");
    expect(stdout).toContain("Mon 19 Sep 2022  Bank Holiday for the State Funeral of Queen Elizabeth II");
  });

  it("--import adds holidays from a GOV.UK-format file, and names the line of a bad one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "foidesk-"));
    const good = join(dir, "good.json");
    await writeFile(
      good,
      '{"scotland":{"division":"scotland","events":[\n{"title":"Extra","date":"2027-09-06"}]}}',
    );
    const { stdout } = await foidesk(
      "holidays",
      "--division",
      "scotland",
      "--from",
      "2027",
      "--import",
      good,
      "--json",
    );
    expect(stdout).toContain('{"date":"2027-09-06","title":"Extra"}');
    const bad = join(dir, "bad.json");
    await writeFile(
      bad,
      '{"scotland":{"division":"scotland","events":[\n{"title":"Extra","date":"2027-09-31"}]}}',
    );
    const result = await foidesk("holidays", "--division", "scotland", "--from", "2027", "--import", bad);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `foidesk: ${bad} line 2: event date "2027-09-31" is not a real date in the form YYYY-MM-DD (--import)\n`,
    );
    const missing = await foidesk("holidays", "--import", join(dir, "none.json"));
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toMatch(/cannot read .*none\.json \(ENOENT\) \(--import\)/);
  });

  it("bad options exit 2 with one message naming the option", async () => {
    for (const [argv, option] of [
      [["--division", "wales"], "--division"],
      [["--from", "1989"], "--from"],
      [["--from", "2020", "--to", "2101"], "--to"],
      [["--from", "2024", "--to", "2020"], "--to"],
      [["--from", "twenty"], "--from"],
    ] as const) {
      const { code, stdout, stderr } = await foidesk("holidays", ...argv);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toContain(`(${option})`);
    }
  });
});
