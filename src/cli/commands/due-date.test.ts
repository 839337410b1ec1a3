import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../testing.ts";
import { batchLine, optionName, runBatch } from "./due-date.ts";

const foidesk = (...argv: string[]) => runCli(argv);

const bin = fileURLToPath(new URL("../../../bin/foidesk.js", import.meta.url));

describe("foidesk due-date", () => {
  it("--regime foia --received 2022-12-01 --json prints the due date", async () => {
    const { code, stdout } = await foidesk(
      "due-date",
      "--regime",
      "foia",
      "--received",
      "2022-12-01",
      "--json",
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      regime: "foia",
      received: "2022-12-01",
      dueDate: "2023-01-04",
      unit: "working",
    });
  });

  it("without --as-of, reports as of today in the United Kingdom", async () => {
    const at = (instant: string) =>
      runCli(["due-date", "--regime", "foia", "--received", "2023-06-01", "--json"], {
        now: () => new Date(instant),
      });
    const june = JSON.parse((await at("2023-06-20T10:00:00Z")).stdout);
    expect(june).toMatchObject({ dueDate: "2023-06-29", asOf: "2023-06-20", daysUsed: 13, overdue: false });
    // 23:30 UTC on 30 June is already 1 July in London (BST): the request is overdue there.
    const july = JSON.parse((await at("2023-06-30T23:30:00Z")).stdout);
    expect(july).toMatchObject({ asOf: "2023-07-01", overdue: true });
  });

  it("takes clock events and an as-of date", async () => {
    const asOfApril = (...argv: string[]) => foidesk("due-date", "--json", "--as-of", "2024-04-30", ...argv);
    const clarified = await asOfApril(
      "--regime",
      "foia",
      "--received",
      "2024-03-01",
      "--clarification-requested",
      "2024-03-05",
      "--clarified",
      "2024-03-12",
    );
    expect(JSON.parse(clarified.stdout)).toMatchObject({
      dueDate: "2024-04-12",
      overdue: true,
      stopped: false,
    });
    const fee = await foidesk(
      "due-date",
      "--json",
      "--regime",
      "foia",
      "--received",
      "2023-09-01",
      "--fee-requested",
      "2023-09-08",
      "--fee-paid",
      "2023-09-20",
    );
    expect(JSON.parse(fee.stdout).dueDate).toBe("2023-10-12");
    const pit = await asOfApril(
      "--regime",
      "foia",
      "--received",
      "2022-12-01",
      "--extension",
      "pit",
      "--extension-days",
      "10",
    );
    expect(JSON.parse(pit.stdout)).toMatchObject({ dueDate: "2023-01-18", refusalNoticeDue: "2023-01-04" });
    const eir = await asOfApril("--regime", "eir", "--received", "2019-12-02", "--extension", "eir-complex");
    expect(JSON.parse(eir.stdout).dueDate).toBe("2020-01-31");
    const sar = await asOfApril("--regime", "sar", "--received", "2023-01-31", "--extension", "sar");
    expect(JSON.parse(sar.stdout).dueDate).toBe("2023-05-02");
    const identity = await foidesk(
      "due-date",
      "--json",
      "--regime",
      "sar",
      "--received",
      "2024-05-10",
      "--identity-requested",
      "2024-05-13",
      "--identity-received",
      "2024-05-20",
    );
    expect(JSON.parse(identity.stdout).dueDate).toBe("2024-06-20");
    const code2018 = await asOfApril(
      "--regime",
      "foia",
      "--received",
      "2023-04-08",
      "--reading",
      "code-2018",
    );
    expect(JSON.parse(code2018.stdout).dueDate).toBe("2023-05-11");
  });

  it("prints a table for people, dates with weekday names", async () => {
    const { stdout } = await foidesk(
      "due-date",
      "--regime",
      "foia",
      "--received",
      "2022-12-01",
      "--as-of",
      "2022-12-29",
    );
    expect(stdout).toMatch(/^Regime\s+foia \(Freedom of Information Act 2000\)$/m);
    expect(stdout).toMatch(/^Received\s+Thu 1 Dec 2022$/m);
    expect(stdout).toMatch(/^Due date\s+Wed 4 Jan 2023$/m);
    expect(stdout).toMatch(/^As of\s+Thu 29 Dec 2022$/m);
    expect(stdout).toMatch(/^Days left\s+2$/m);
    expect(stdout).toMatch(/^Status\s+in time$/m);
  });

  it("bad input exits 2 with one message naming the option, and prints no result", async () => {
    const cases: [string[], string, RegExp][] = [
      [["--regime", "fooi", "--received", "2023-01-01"], "--regime", /unknown regime "fooi"/],
      [["--received", "2023-01-01"], "--regime", /regime is required/],
      [["--regime", "foia"], "--received", /required/],
      [["--regime", "foia", "--received", "2023-02-30"], "--received", /2023-02-30 is not a real date/],
      [
        [
          "--regime",
          "foia",
          "--received",
          "2023-01-05",
          "--clarification-requested",
          "2023-01-10",
          "--clarified",
          "2023-01-06",
        ],
        "--clarified",
        /before it was asked for/,
      ],
      [
        ["--regime", "foia", "--received", "2023-01-05", "--clarified", "2023-01-06"],
        "--clarification-requested",
        /needed/,
      ],
      [
        [
          "--regime",
          "foia",
          "--received",
          "2023-01-05",
          "--fee-requested",
          "2023-01-10",
          "--fee-paid",
          "2023-01-09",
        ],
        "--fee-paid",
        /before/,
      ],
      [
        ["--regime", "foisa", "--received", "2023-01-05", "--extension", "pit"],
        "--extension",
        /does not apply/,
      ],
      [
        ["--regime", "foia", "--received", "2023-01-05", "--extension", "pit", "--extension-days", "x"],
        "--extension-days",
        /whole/,
      ],
      [["--regime", "foia", "--received", "2023-01-05", "--reading", "gov"], "--reading", /unknown reading/],
      [["--regime", "foia", "--received", "2023-01-05", "--as-of", "2023-01-04"], "--as-of", /before/],
      [
        ["--regime", "foia", "--received", "2023-01-05", "--holidays", "/nonexistent/feed.json"],
        "--holidays",
        /cannot read/,
      ],
      [["--batch", "--regime", "foia"], "--regime", /not used with --batch/],
    ];
    for (const [argv, option, message] of cases) {
      const { code, stdout, stderr } = await foidesk("due-date", "--json", ...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(stdout, argv.join(" ")).toBe("");
      expect(stderr.trim().split("\n"), argv.join(" ")).toHaveLength(1);
      expect(stderr, argv.join(" ")).toContain(`(${option})`);
      expect(stderr, argv.join(" ")).toMatch(message);
    }
  });

  it("names fields as options", () => {
    expect(optionName("clarificationRequested")).toBe("--clarification-requested");
    expect(optionName("asOf")).toBe("--as-of");
    expect(optionName("received")).toBe("--received");
  });
});

describe("foidesk due-date --batch", () => {
  async function* linesOf(...lines: string[]) {
    yield* lines;
  }

  it("writes one result per line; a bad line gets an error and the rest still run", async () => {
    let output = "";
    await runBatch(
      linesOf(
        '{"regime":"foia","received":"2022-12-01","asOf":"2022-12-20"}',
        "not json",
        '{"regime":"foia","received":"2022-12-01","clarificationRequested":"2022-12-05","clarified":"2022-12-02","reference":"FOI/1"}',
        "",
        '{"regime":"sar","received":"2024-01-31","extension":"sar","reference":7}',
        '{"regime":"eir","received":"2019-12-02","recieved":"2019-12-02"}',
        '{"regime":"eir","received":"2019-12-02","extension":"eir-complex","extensionDays":10}',
        "[1,2]",
      ),
      { today: "2026-01-01" },
      (chunk) => {
        output += chunk;
      },
    );
    const results = output
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(results).toHaveLength(7);
    expect(results[0]).toMatchObject({ dueDate: "2023-01-04", daysUsed: 13, asOf: "2022-12-20" });
    expect(results[1]).toEqual({ error: "not a JSON object" });
    expect(results[2]).toEqual({
      reference: "FOI/1",
      error: "2022-12-02 is before it was asked for on 2022-12-05 (clarified)",
    });
    expect(results[3]).toMatchObject({
      reference: 7,
      dueDate: "2024-04-30",
      asOf: "2026-01-01",
      overdue: true,
    });
    expect(results[4]).toEqual({ error: 'unknown field "recieved"' });
    expect(results[5]).toMatchObject({ dueDate: "2020-01-17", daysAllowed: 30 });
    expect(results[6]).toEqual({ error: "not a JSON object" });
  });

  it("as-of and reading from the command line apply to every line unless the line has its own", () => {
    const defaults = { asOf: "2023-04-20", reading: "code-2018", today: "2026-01-01" };
    const own = JSON.parse(
      batchLine('{"regime":"foia","received":"2023-04-08","asOf":"2023-05-11"}', defaults),
    );
    expect(own).toMatchObject({ dueDate: "2023-05-11", asOf: "2023-05-11", overdue: false });
    const ico = JSON.parse(batchLine('{"regime":"foia","received":"2023-04-08","reading":"ico"}', defaults));
    expect(ico).toMatchObject({ dueDate: "2023-05-10", asOf: "2023-04-20" });
  });

  // A real child process keeps the machine's clock; each good line gives its own asOf, so no result uses it.
  it("reads standard input through the installed command", () => {
    const input = [
      '{"regime":"foisa","received":"2023-06-20","asOf":"2023-07-01"}',
      '{"regime":"foia","received":"2023-02-30"}',
      '{"regime":"internal-review","received":"2023-12-15","asOf":"2024-01-31"}',
    ].join("\n");
    const result = spawnSync(process.execPath, [bin, "due-date", "--batch"], { input, encoding: "utf8" });
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.dueDate ?? line.error)).toEqual([
      "2023-07-18",
      "2023-02-30 is not a real date (received)",
      "2024-01-18",
    ]);
  });
});
