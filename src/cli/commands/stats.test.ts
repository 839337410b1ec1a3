import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { datasetList } from "../../datasets/index.ts";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "../../db/index.ts";
import { runCli } from "../testing.ts";

const foidesk = (...argv: string[]) => runCli(argv);

let folder: string;
const file = (name: string) => join(folder, name);

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "foidesk-stats-"));
  // Record level: one row per person (2 + 10 + 8 + 15), with an amount each.
  const records = ["region,gender,amount"];
  const counts: [string, string, number][] = [
    ["A", "female", 2],
    ["A", "male", 10],
    ["B", "female", 8],
    ["B", "male", 15],
  ];
  for (const [region, gender, n] of counts)
    for (let i = 0; i < n; i++) records.push(`${region},${gender},10`);
  await writeFile(file("people.csv"), `${records.join("\n")}\n`);
  await writeFile(
    file("aggregated.csv"),
    "region,gender,n,amount\nA,female,2,20\nA,male,10,100\nB,female,8,80\nB,male,15,150\n",
  );
  await writeFile(file("bad.csv"), "region,gender,n\nA,female,2\nA,male,ten\n");
  await writeFile(file("boroughs.csv"), "borough,n\nCamden,2\nHackney,7\nLeeds,5\nYork,9\n");
  await writeFile(
    file("boroughs.json"),
    JSON.stringify({ Total: { London: ["Camden", "Hackney"], North: ["Leeds", "York"] } }),
  );
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

type Cell = Record<string, unknown>;
const statusOf = (cells: Cell[]) =>
  Object.fromEntries(
    cells.map((cell) => [
      `${cell.region ?? cell.borough}/${cell.gender ?? ""}`.replace(/\/$/, ""),
      cell.status,
    ]),
  );

describe("foidesk stats protect", () => {
  it("--json prints every cell, margins included, with its status, and the number of secondary suppressions", async () => {
    const { code, stdout } = await foidesk(
      "stats",
      "protect",
      "--input",
      file("people.csv"),
      "--dims",
      "region,gender",
      "--rule",
      "freq:3",
      "--json",
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.secondary).toBe(3);
    expect(result.cells).toHaveLength(9);
    expect(result.cells[0]).toEqual({ region: "A", gender: "female", freq: 2, value: 2, status: "primary" });
    expect(statusOf(result.cells)).toEqual({
      "A/female": "primary",
      "A/male": "secondary",
      "A/Total": "published",
      "B/female": "secondary",
      "B/male": "secondary",
      "B/Total": "published",
      "Total/female": "published",
      "Total/male": "published",
      "Total/Total": "published",
    });
  });

  it("sums a measure over pre-aggregated rows (--freq, --measure)", async () => {
    const { stdout } = await foidesk(
      "stats",
      "protect",
      "--input",
      file("aggregated.csv"),
      "--dims",
      "region,gender",
      "--freq",
      "n",
      "--measure",
      "amount",
      "--rule",
      "freq:3",
      "--json",
    );
    const result = JSON.parse(stdout);
    expect(result.cells[0]).toEqual({ region: "A", gender: "female", freq: 2, value: 20, status: "primary" });
    expect(result.secondary).toBe(3);
  });

  it("takes a hierarchy, forced primary cells and either method", async () => {
    const hierarchy = await foidesk(
      "stats",
      "protect",
      "--input",
      file("boroughs.csv"),
      "--dims",
      "borough",
      "--freq",
      "n",
      "--hierarchy",
      `borough=${file("boroughs.json")}`,
      "--rule",
      "freq:3",
      "--method",
      "heuristic",
      "--json",
    );
    expect(statusOf(JSON.parse(hierarchy.stdout).cells)).toEqual({
      Camden: "primary",
      Hackney: "secondary",
      London: "published",
      Leeds: "published",
      York: "published",
      North: "published",
      Total: "published",
    });
    const forced = await foidesk(
      "stats",
      "protect",
      "--input",
      file("people.csv"),
      "--dims",
      "region,gender",
      "--rule",
      "freq:1",
      "--primary",
      "region=B,gender=male;region=A,gender=male",
      "--method",
      "optimal",
      "--json",
    );
    const statuses = statusOf(JSON.parse(forced.stdout).cells);
    expect([statuses["B/male"], statuses["A/male"]]).toEqual(["primary", "primary"]);
  });

  it("without --json prints a readable listing", async () => {
    const { code, stdout } = await foidesk(
      "stats",
      "protect",
      "--input",
      file("people.csv"),
      "--dims",
      "region,gender",
      "--rule",
      "freq:3",
    );
    expect(code).toBe(0);
    expect(stdout).toContain("region  gender  freq  status");
    expect(stdout).toContain("A       female  2     primary");
    expect(stdout).toContain("1 primary and 3 secondary suppressions");
  });

  it("rejects bad input with exit code 2 and one message naming the option, line and column", async () => {
    const bad = await foidesk(
      "stats",
      "protect",
      "--input",
      file("bad.csv"),
      "--dims",
      "region,gender",
      "--freq",
      "n",
      "--rule",
      "freq:3",
      "--json",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'foidesk: line 3, column 3 (n): "ten" is not a count (a whole number, 0 or more) (--input)\n',
    );
    const dims = await foidesk(
      "stats",
      "protect",
      "--input",
      file("people.csv"),
      "--dims",
      "area",
      "--rule",
      "freq:3",
    );
    expect(dims.code).toBe(2);
    expect(dims.stderr).toBe(
      'foidesk: there is no column "area" in the header (columns: region, gender, amount) (--dims)\n',
    );
    const rule = await foidesk(
      "stats",
      "protect",
      "--input",
      file("people.csv"),
      "--dims",
      "region",
      "--rule",
      "freq:0",
    );
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/\(--rule\)\n$/);
    const missing = await foidesk(
      "stats",
      "protect",
      "--input",
      file("nope.csv"),
      "--dims",
      "region",
      "--rule",
      "freq:3",
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`foidesk: cannot read ${file("nope.csv")}: ENOENT (--input)\n`);
    const primary = await foidesk(
      "stats",
      "protect",
      "--input",
      file("people.csv"),
      "--dims",
      "region",
      "--rule",
      "freq:3",
      "--primary",
      "region=Z",
    );
    expect(primary.stderr).toBe('foidesk: region has no category "Z" (--primary)\n');
  });
});

describe("foidesk stats audit", () => {
  it("prints each suppressed cell's interval from the protect output", async () => {
    const protect = await foidesk(
      "stats",
      "protect",
      "--input",
      file("people.csv"),
      "--dims",
      "region,gender",
      "--rule",
      "freq:3",
      "--json",
    );
    await writeFile(file("protected.json"), protect.stdout);
    const { code, stdout } = await foidesk("stats", "audit", "--input", file("protected.json"), "--json");
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.cells.map((cell: Cell) => [cell.region, cell.gender, cell.lower, cell.upper])).toEqual([
      ["A", "female", 0, 10],
      ["A", "male", 2, 12],
      ["B", "female", 0, 10],
      ["B", "male", 13, 23],
    ]);
    expect(result.safe).toBe(true);
    expect(result.cells[0].protected).toBe(true);
  });

  it("accepts a hand-written pattern: margins left out are published, an exposed cell is exact", async () => {
    const pattern = {
      cells: [
        { region: "A", gender: "female", freq: 2, status: "primary" },
        { region: "A", gender: "male", freq: 10, status: "secondary" },
        { region: "B", gender: "female", freq: 8, status: "published" },
        { region: "B", gender: "male", freq: 15, status: "published" },
      ],
    };
    await writeFile(file("pattern.json"), JSON.stringify(pattern));
    const { code, stdout } = await foidesk("stats", "audit", "--input", file("pattern.json"), "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).cells).toEqual([
      {
        region: "A",
        gender: "female",
        status: "primary",
        freq: 2,
        value: 2,
        lower: 2,
        upper: 2,
        exact: true,
      },
      {
        region: "A",
        gender: "male",
        status: "secondary",
        freq: 10,
        value: 10,
        lower: 10,
        upper: 10,
        exact: true,
      },
    ]);
    // With a rule, the verdict: exposed, exit code 1.
    const ruled = await foidesk("stats", "audit", "--input", file("pattern.json"), "--rule", "freq:3");
    expect(ruled.code).toBe(1);
    expect(ruled.stdout).toContain("A       female  2     primary    [2, 2]  NOT PROTECTED");
  });

  it("names what is wrong with a pattern", async () => {
    await writeFile(
      file("broken.json"),
      JSON.stringify({ cells: [{ region: "A", freq: 1, status: "hidden" }] }),
    );
    const broken = await foidesk("stats", "audit", "--input", file("broken.json"), "--json");
    expect(broken.code).toBe(2);
    expect(broken.stderr).toBe(
      "foidesk: cell 1 (A): status must be published, primary or secondary (--input)\n",
    );
    await writeFile(
      file("sums.json"),
      JSON.stringify({
        cells: [
          { region: "A", freq: 1, status: "primary" },
          { region: "Total", freq: 5, status: "published" },
        ],
      }),
    );
    const sums = await foidesk("stats", "audit", "--input", file("sums.json"), "--json");
    expect(sums.stderr).toBe(
      "foidesk: cell region=Total is 5 but its parts add up to 1: the table does not add up (--input)\n",
    );
  });

  it("writes CSV, HTML, SVG and XLSX", async () => {
    for (const format of ["csv", "html", "svg"]) {
      const { code, stdout } = await foidesk(
        "stats",
        "protect",
        "--input",
        file("people.csv"),
        "--dims",
        "region,gender",
        "--rule",
        "freq:3",
        "--format",
        format,
      );
      expect(code).toBe(0);
      expect(stdout).toContain("[c]");
    }
    const xlsx = await foidesk(
      "stats",
      "protect",
      "--input",
      file("people.csv"),
      "--dims",
      "region,gender",
      "--rule",
      "freq:3",
      "--format",
      "xlsx",
      "--output",
      file("table.xlsx"),
    );
    expect(xlsx.code).toBe(0);
    expect((await readFile(file("table.xlsx"))).subarray(0, 2).toString()).toBe("PK");
    // A CSV written to a file is data only; its notes are written beside it.
    const csv = await foidesk(
      "stats",
      "protect",
      "--input",
      file("people.csv"),
      "--dims",
      "region,gender",
      "--rule",
      "freq:3",
      "--format",
      "csv",
      "--output",
      file("table.csv"),
    );
    expect(csv.code).toBe(0);
    expect(await readFile(file("table.csv"), "utf8")).not.toContain("Note");
    expect(await readFile(file("table-notes.csv"), "utf8")).toMatch(/^Note number,Note text\r\n1,"\[c\] /);
  });
});

// `foidesk stats import` against an embedded database folder, as an administrator runs it on the server.
let dataDir: string;

/** Opens the folder the CLI writes to (PGlite takes one process at a time, so only between commands). */
async function inDatabase<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ kind: "pglite", dataDir });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

/** What is stored: the datasets, and the datasets that have a policy. */
const stored = () =>
  inDatabase(async (handle) => ({
    datasets: await datasetList(handle.db),
    withPolicies: (
      await handle.db.selectFrom("statistics_policies").select("dataset_id").distinct().execute()
    ).length,
  }));

const importArgs = (name: string, input: string) => [
  "stats",
  "import",
  "--input",
  file(input),
  "--name",
  name,
  "--title",
  "Known gangs",
  "--dims",
  "borough,age_band,category",
];

describe("foidesk stats import", () => {
  beforeAll(async () => {
    dataDir = file("data");
    // The migrated template of vitest.setup.ts, written into the folder: a fresh one initialises slowly.
    const template = process.env.FOIDESK_TEST_PGLITE_TEMPLATE;
    const handle = await openDatabase({
      kind: "pglite",
      dataDir,
      ...(template ? { loadDataDir: new Blob([await readFile(template)]) } : {}),
    });
    await migrateToLatest(handle.db);
    await handle.close();
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("FOIDESK_DATA_DIR", dataDir);
    const rows = ["borough,age_band,category"];
    for (const borough of ["Camden", "Hackney", "Leeds"])
      for (const age of ["0-17", "18+"])
        for (const category of ["drugs", "violence"]) rows.push(`${borough},${age},${category}`);
    rows.push("Camden,0-17,drugs");
    await writeFile(file("gangs.csv"), `${rows.join("\n")}\n`);
    await writeFile(
      file("counts.csv"),
      "borough,age_band,category,n\nCamden,0-17,drugs,3\nLeeds,18+,violence,lots\nYork,18+,drugs,2\n",
    );
    await writeFile(
      file("gangs-boroughs.json"),
      JSON.stringify({ London: { Inner: ["Camden", "Hackney"], North: ["Leeds"] } }),
    );
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it("stores the dataset and its first release policy, imported by foidesk itself", async () => {
    const result = await foidesk(
      ...importArgs("gangs", "gangs.csv"),
      "--hierarchy",
      `borough=${file("gangs-boroughs.json")}`,
      "--json",
    );
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const imported = JSON.parse(result.stdout);
    expect(imported).toEqual({ id: expect.any(Number), name: "gangs", records: 13, cells: 12 });
    const after = await stored();
    expect(after.datasets).toEqual([
      expect.objectContaining({ id: imported.id, name: "gangs", title: "Known gangs", records: 13 }),
    ]);
    expect(after.withPolicies).toBe(1);
    const rows = await inDatabase(async (handle) => ({
      dataset: await handle.db
        .selectFrom("statistics_datasets")
        .select(["imported_by", "source_file"])
        .where("id", "=", imported.id)
        .executeTakeFirstOrThrow(),
      policy: await handle.db
        .selectFrom("statistics_policies")
        .select(["version", "saved_by", "policy"])
        .where("dataset_id", "=", imported.id)
        .executeTakeFirstOrThrow(),
    }));
    expect(rows.dataset).toEqual({ imported_by: "foidesk (command-line import)", source_file: "gangs.csv" });
    expect(rows.policy).toMatchObject({ version: 1, saved_by: "foidesk (command-line import)" });
    expect(JSON.stringify(rows.policy.policy)).toContain('"Inner":["Camden","Hackney"]');
  });

  it("names the line and column of a bad value, and stores no dataset and no policy", async () => {
    const before = await stored();
    const result = await foidesk(...importArgs("counts", "counts.csv"), "--freq", "n");
    expect(result).toMatchObject({
      code: 2,
      stdout: "",
      stderr: 'foidesk: line 3, column 4 (n): "lots" is not a count (a whole number, 0 or more) (--input)\n',
    });
    expect(await stored()).toEqual(before);
  });

  it("refuses a short name already taken, naming --name", async () => {
    const result = await foidesk(...importArgs("gangs", "gangs.csv"), "--title", "Known gangs again");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "foidesk: There is already a dataset called gangs: choose another short name (--name)\n",
    );
    expect((await stored()).datasets).toHaveLength(1);
  });

  it("names the option of a missing or wrong field", async () => {
    expect(await foidesk("stats", "import", "--input", file("gangs.csv"), "--name", "g")).toMatchObject({
      code: 2,
      stderr: "foidesk: Enter the dataset's title (--title)\n",
    });
    expect(
      await foidesk(
        ...importArgs("gangs-2", "gangs.csv"),
        "--hierarchy",
        `region=${file("gangs-boroughs.json")}`,
      ),
    ).toMatchObject({
      code: 2,
      stderr: 'foidesk: "region" is not one of the dimensions (borough, age_band, category) (--hierarchy)\n',
    });
    expect(await foidesk(...importArgs("gangs-2", "gangs.csv").slice(0, -1), "borough,sex")).toMatchObject({
      code: 2,
      stderr:
        'foidesk: there is no column "sex" in the header (columns: borough, age_band, category) (--dims)\n',
    });
  });

  it("prints what it stored for a person to read", async () => {
    const result = await foidesk(...importArgs("gangs-3", "gangs.csv"));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Imported dataset \d+ \(gangs-3\): 13 records in 12 cells\.\n$/);
  });
});
