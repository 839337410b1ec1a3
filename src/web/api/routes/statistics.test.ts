import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsvDataset, releaseTable, savePolicy } from "../../../datasets/index.ts";
import { testBackends } from "../../../db/testing.ts";
import type { Actor } from "../../../requests/index.ts";
import { addTestUser } from "../../../users/testing.ts";
import { openTestApp, type TestApp } from "../../testing.ts";

// The public statistics API on each database: the list links each table's page and files, and a table's JSON
// gives each withheld cell the symbol and its meaning, never its figure, nor who released it or why.

const now = new Date("2026-03-02T10:00:00Z");
const baseUrl = "http://localhost:3000";

/** Women in Eastfold: 7, under the threshold of 10; no published figure is 7. */
const staffCsv = [
  "ward,sex,n",
  "Eastfold,F,7",
  "Eastfold,M,131",
  "Northmoor,F,254",
  "Northmoor,M,263",
  "Westway,F,381",
  "Westway,M,395",
].join("\n");

/** Every number in a JSON text, however deep. */
function numbersIn(json: unknown): number[] {
  if (typeof json === "number") return [json];
  if (Array.isArray(json)) return json.flatMap(numbersIn);
  if (json && typeof json === "object") return Object.values(json).flatMap(numbersIn);
  return [];
}

describe.each(testBackends())("the statistics API on $name", (backend) => {
  let t: TestApp;
  let releaseId: number;
  beforeAll(async () => {
    t = await openTestApp(backend);
    const db = t.handle.db;
    await db.insertInto("authority").values({ name: "Westmarch Council" }).execute();
    const mina = await addTestUser(db, { username: "mina", name: "Mina Manager", role: "manager" }, now);
    const olu = await addTestUser(db, { username: "olu", name: "Olu Officer", role: "officer" }, now);
    const manager: Actor = { userId: mina.id, label: mina.name, role: "manager" };
    const officer: Actor = { userId: olu.id, label: olu.name, role: "officer" };
    const { id } = await importCsvDataset(
      db,
      {
        name: "staff",
        title: "Staff by ward",
        file: { filename: "staff.csv", bytes: new TextEncoder().encode(staffCsv) },
        dimensions: "ward, sex",
        frequency: "n",
      },
      manager,
      now,
    );
    await savePolicy(db, id, { threshold: 10, zeros: "show" }, manager, now);
    releaseId = (await releaseTable(db, id, { dimensions: ["ward", "sex"] }, officer, now, { baseUrl }))
      .releaseId;
  });
  afterAll(async () => t?.close());

  it("lists the released tables with links to the page, the CSV and the spreadsheet, without a token", async () => {
    const response = await t.app.inject("/api/v1/statistics");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      releases: [
        {
          id: releaseId,
          title: expect.stringContaining("Staff by ward"),
          datasetTitle: "Staff by ward",
          releasedAt: now.toISOString(),
          links: {
            page: `${baseUrl}/statistics/${releaseId}`,
            csv: `${baseUrl}/statistics/${releaseId}/table.csv`,
            xlsx: `${baseUrl}/statistics/${releaseId}/table.xlsx`,
          },
        },
      ],
    });
  });

  it("gives the published table: a withheld cell has the symbol and its meaning, and its true count is nowhere", async () => {
    const response = await t.app.inject(`/api/v1/statistics/${releaseId}`);
    expect(response.statusCode).toBe(200);
    const table = response.json();
    expect(table.dimensions).toEqual([
      { name: expect.any(String), labels: expect.arrayContaining(["Eastfold", "Northmoor", "Westway"]) },
      { name: expect.any(String), labels: expect.arrayContaining(["F", "M"]) },
    ]);
    expect(table.withheld).toBe(true);
    const eastfoldWomen = table.cells.find(
      (cell: { labels: string[] }) => cell.labels[0] === "Eastfold" && cell.labels[1] === "F",
    );
    expect(eastfoldWomen).toEqual({
      labels: ["Eastfold", "F"],
      total: false,
      count: null,
      value: null,
      symbol: "[c]",
      meaning: "withheld to protect confidentiality",
    });
    // The cells not withheld carry their published figure.
    const published = table.cells.filter((cell: { symbol: string | null }) => cell.symbol === null);
    expect(published.length).toBeGreaterThan(0);
    for (const cell of published) expect(cell).toMatchObject({ count: expect.any(Number), meaning: null });
    // The true 7 of Eastfold's women appears nowhere, as a figure or in the text.
    expect(numbersIn(table)).not.toContain(7);
    expect(response.body).not.toMatch(/(?<![\w.])7(?![\w.])/);
    // Nor who released it, nor for which request.
    expect(response.body).not.toMatch(/Olu|Officer|olu|request/i);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("answers 404 for a table never released", async () => {
    expect((await t.app.inject("/api/v1/statistics/999999")).statusCode).toBe(404);
  });

  it("is described in OpenAPI as public", async () => {
    const document = (await t.app.inject("/api/openapi.json")).json();
    expect(document.paths["/api/v1/statistics"].get.security).toEqual([]);
    expect(document.paths["/api/v1/statistics/{id}"].get.security).toEqual([]);
  });
});
