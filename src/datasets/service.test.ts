import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { isDomainError } from "../errors.ts";
import { type Actor, createRequest, performAction, replyFor } from "../requests/index.ts";
import {
  answerTableRequest,
  auditWithReleases,
  gangsDataset,
  gangsPolicy,
  type LpSolver,
  loadHighsSolver,
  type PublishedTable,
  parseReleasePolicy,
  type Release,
} from "../statistics/index.ts";
import { addTestUser } from "../users/testing.ts";
import {
  addRefusalToReply,
  addReleaseToReply,
  buildTableView,
  datasetList,
  datasetPage,
  importCsvDataset,
  publishedStatistic,
  publishedStatisticFile,
  releaseTable,
  savePolicy,
  storeDataset,
} from "./index.ts";

// The datasets service on each database: the gangs example (the borough breakdown refused with the policy's
// s.31(1)(a)(b) reason; the force-wide table released with suppression, every release passing the joint
// audit with those before it), differencing caught across releases, CSV import (a bad line named, nothing
// half-imported), and the reply of the request a table answers.

const now = new Date("2026-03-02T10:00:00Z");
const baseUrl = "https://foi.westmarch.example";
const utf8 = new TextEncoder();

/** Ages 16–17 in region A: 2 people (the differencing example of the statistics module's tests). */
const agesCsv = [
  "age,region,n",
  "0-15,A,40",
  "0-15,B,47",
  "16-17,A,2",
  "16-17,B,9",
  "18-64,A,120",
  "18-64,B,127",
].join("\n");

function problemOf(error: unknown): { field: string | undefined; message: string } {
  if (!isDomainError(error)) throw error;
  return { field: error.field, message: error.message };
}

async function refusal(action: Promise<unknown>) {
  try {
    await action;
  } catch (error) {
    return problemOf(error);
  }
  throw new Error("it was not refused");
}

describe.each(testBackends())("datasets on $name", (backend) => {
  let handle: DatabaseHandle;
  let manager: Actor;
  let officer: Actor;
  let solver: LpSolver;
  let gangsId: number;

  beforeAll(async () => {
    handle = await backend.open();
    solver = await loadHighsSolver();
    await handle.db.insertInto("authority").values({ name: "Westmarch Constabulary" }).execute();
    const mina = await addTestUser(
      handle.db,
      { username: "mina", name: "Mina Manager", role: "manager" },
      now,
    );
    const olu = await addTestUser(handle.db, { username: "olu", name: "Olu Officer", role: "officer" }, now);
    manager = { userId: mina.id, label: mina.name, role: "manager" };
    officer = { userId: olu.id, label: olu.name, role: "officer" };
    gangsId = await storeDataset(
      handle.db,
      { title: "Known gangs", description: "Synthetic.", dataset: gangsDataset(), policy: gangsPolicy },
      manager,
      now,
    );
  });
  afterAll(async () => handle?.close());

  async function newRequest(): Promise<number> {
    const created = await createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: "2026-02-20",
        body: "1. How many known gangs are there in each borough?\n2. How many of them have under 18s in them?",
        requester: { name: "Priya Raman", email: "priya@example.org", type: "journalist" },
        assigneeId: officer.userId ?? undefined,
      },
      officer,
      now,
    );
    await performAction(handle.db, created.id, { type: "start-work" }, 1, officer, now);
    return created.id;
  }

  it("the gangs example: borough × under 18 is refused by the policy with its s.31(1)(a)(b) reason text", async () => {
    const view = await buildTableView(handle.db, gangsId, { dimensions: ["borough", "under_18"] });
    expect(view).toMatchObject({
      outcome: "refused",
      kind: "restricted",
      exemptions: ["foia-31-1-a", "foia-31-1-b"],
      citations: ["Section 31(1)(a)(b) Law enforcement"],
      withheld: ["Borough"],
    });
    if (view.outcome === "refused") expect(view.reason).toBe(gangsPolicy.restricted[0]?.reason);
    // Nor can it be released by going round the page.
    expect(
      await refusal(releaseTable(handle.db, gangsId, { dimensions: ["borough"] }, officer, now, { baseUrl })),
    ).toMatchObject({
      field: "dimensions",
      message: expect.stringMatching(/^The release policy refuses this table\. Figures for each borough/),
    });
  });

  it("age band × category is released with small counts suppressed, and the public files carry no withheld figure", async () => {
    const view = await buildTableView(handle.db, gangsId, { dimensions: ["category", "age_band"] });
    expect(view.outcome).toBe("released");
    if (view.outcome !== "released") return;
    expect(view.title).toBe("Known gangs by age band and category");
    expect(view.primary).toBeGreaterThan(0);
    expect(view.auditSafe).toBe(true);
    expect(view.html).toContain("[c]</abbr>");
    expect(view.html).toContain('<th scope="col" class="govuk-table__header">Age band</th>');
    const released = await releaseTable(
      handle.db,
      gangsId,
      { dimensions: ["age_band", "category"] },
      officer,
      now,
      { baseUrl },
    );
    expect(released.reply).toBeNull();
    const page = await publishedStatistic(handle.db, released.releaseId);
    expect(page.title).toBe("Known gangs by age band and category");
    expect(page.withheld).toBe(true);
    expect(page.svg).toContain('role="img"');
    const csv = new TextDecoder().decode(
      (await publishedStatisticFile(handle.db, released.releaseId, "csv")).bytes,
    );
    expect(csv.split("\r\n")[0]).toBe("Age band,Category,Count");
    expect(csv).toContain("Total,Total,62");
    expect(csv).toContain("[c]");
    const xlsx = await publishedStatisticFile(handle.db, released.releaseId, "xlsx");
    expect(xlsx.filename).toBe("known-gangs-by-age-band-and-category.xlsx");
    expect([...xlsx.bytes.slice(0, 2)]).toEqual([0x50, 0x4b]); // a zip (Office Open XML)
    // What the public page is built from has no figure for a withheld cell.
    const row = await handle.db
      .selectFrom("statistics_releases")
      .select("published")
      .where("id", "=", released.releaseId)
      .executeTakeFirstOrThrow();
    const published = row.published as unknown as PublishedTable;
    for (const cell of published.cells.filter((candidate) => candidate.withheld))
      expect(cell.freq).toBeNull();
  });

  it("every table released from the dataset passes the audit together with the releases before it", async () => {
    for (const dimensions of [["under_18"], ["age_band", "under_18"], ["category"], ["age_band", "category"]])
      await releaseTable(handle.db, gangsId, { dimensions }, officer, now, { baseUrl });
    const rows = await handle.db
      .selectFrom("statistics_releases")
      .select(["id", "dimensions", "release", "kind"])
      .where("dataset_id", "=", gangsId)
      .orderBy("id")
      .execute();
    expect(rows.length).toBe(5);
    const dataset = gangsDataset();
    const earlier: Release[] = [];
    for (const row of rows) {
      const recorded = row.release as unknown as Release;
      const answer = answerTableRequest(dataset, gangsPolicy, row.dimensions, solver, earlier);
      expect(answer.outcome).toBe("released");
      if (answer.outcome !== "released") return;
      // What was recorded is what the statistics module makes of the request, given the releases before it…
      const { table, status } = answer.protectedTable;
      expect(recorded.cells.map((cell) => cell.status)).toEqual(
        table.cells.map((cell) => status[cell.index]),
      );
      // …and it passes the interval audit on its own and with every earlier release.
      expect(answer.protectedTable.audit.safe).toBe(true);
      expect(auditWithReleases(answer.protectedTable, earlier, solver, dataset).safe).toBe(true);
      earlier.push({ ...recorded, id: String(row.id) });
    }
    const page = await datasetPage(handle.db, gangsId);
    expect(page.releases.map((release) => release.title)).toContain("Known gangs by under 18");
  });

  it("catches two releases that could be subtracted: suppresses more, or says why it cannot release", async () => {
    const { id } = await importCsvDataset(
      handle.db,
      {
        name: "ages",
        title: "People",
        file: { filename: "ages.csv", bytes: utf8.encode(agesCsv) },
        dimensions: "age, region",
        frequency: "n",
      },
      manager,
      now,
    );
    const base = { threshold: 3, zeros: "show" as const };
    await savePolicy(
      handle.db,
      id,
      { ...base, groups: { age: { "0-17": ["0-15", "16-17"], "18+": ["18-64"] } } },
      manager,
      now,
    );
    const first = await releaseTable(handle.db, id, { dimensions: ["age", "region"] }, officer, now, {
      baseUrl,
    });
    const firstPage = await publishedStatistic(handle.db, first.releaseId);
    expect(firstPage.withheld).toBe(false); // 0-17 in region A is 42: safe on its own
    // Regrouped as under 16 / 16 and over: 0-17 (42) less 0-15 (40) would give the 2 aged 16–17 in region A.
    await savePolicy(
      handle.db,
      id,
      { ...base, groups: { age: { "0-15": ["0-15"], "16+": ["16-17", "18-64"] } } },
      manager,
      now,
    );
    const view = await buildTableView(handle.db, id, { dimensions: ["age", "region"] });
    expect(view.outcome).toBe("released");
    if (view.outcome !== "released") return;
    expect(view.primary).toBe(0);
    expect(view.differencingSuppressions).toBe(4);
    expect(view.earlierReleases).toBe(1);
    const second = await releaseTable(handle.db, id, { dimensions: ["age", "region"] }, officer, now, {
      baseUrl,
    });
    const csv = new TextDecoder().decode(
      (await publishedStatisticFile(handle.db, second.releaseId, "csv")).bytes,
    );
    expect(csv).toContain("0-15,A,[c]");
    expect(csv).toContain("16+,A,[c]");
    // A stricter threshold makes 0-17 in region A (42) unsafe, but the first release published it: nothing
    // this table withholds can protect it, and the page says so.
    await savePolicy(
      handle.db,
      id,
      {
        threshold: 50,
        groups: { age: { "0-17": ["0-15", "16-17"], "18+": ["18-64"] } },
        unreleasable: {
          exemptions: ["foia-40-2"],
          reason: "Combined with the figures already published, this table would identify people.",
        },
      },
      manager,
      now,
    );
    const refused = await buildTableView(handle.db, id, { dimensions: ["age", "region"] });
    expect(refused).toMatchObject({
      outcome: "refused",
      kind: "unsafe",
      citations: ["Section 40(2) Personal information"],
    });
    if (refused.outcome === "refused")
      expect(refused.reason).toMatch(
        /^Combined with the figures already published, this table would identify people\. Cell age=0-17, region=A would be revealed by combining this table with the earlier releases/,
      );
    expect(
      await refusal(
        releaseTable(handle.db, id, { dimensions: ["age", "region"] }, officer, now, { baseUrl }),
      ),
    ).toMatchObject({ message: expect.stringMatching(/^This table cannot be released\. Combined with/) });
  });

  it("names the line and column of a bad value in an uploaded CSV, and imports nothing", async () => {
    const before = await datasetList(handle.db);
    const bad = `${agesCsv}\n65+,A,lots\n65+,B,12`;
    const problem = await refusal(
      importCsvDataset(
        handle.db,
        {
          name: "ages-bad",
          title: "People",
          file: { filename: "ages.csv", bytes: utf8.encode(bad) },
          dimensions: "age,region",
          frequency: "n",
        },
        manager,
        now,
      ),
    );
    expect(problem).toEqual({
      field: "file",
      message: 'line 8, column 3 (n): "lots" is not a count (a whole number, 0 or more)',
    });
    expect(
      await refusal(
        importCsvDataset(
          handle.db,
          {
            name: "ages-bad",
            title: "People",
            file: { filename: "ages.csv", bytes: utf8.encode(agesCsv) },
            dimensions: "age,sex",
          },
          manager,
          now,
        ),
      ),
    ).toEqual({
      field: "dimensions",
      message: 'there is no column "sex" in the header (columns: age, region, n)',
    });
    // The short name of a dataset already there: refused inside the transaction, so no policy is left behind.
    expect(
      await refusal(
        importCsvDataset(
          handle.db,
          {
            name: "ages",
            title: "People again",
            file: { filename: "ages.csv", bytes: utf8.encode(agesCsv) },
            dimensions: "age,region",
            frequency: "n",
          },
          manager,
          now,
        ),
      ),
    ).toMatchObject({ field: "name" });
    expect(await datasetList(handle.db)).toEqual(before);
    const policies = await handle.db
      .selectFrom("statistics_policies")
      .select("dataset_id")
      .distinct()
      .execute();
    expect(policies.length).toBe(before.length);
    expect(
      await refusal(
        importCsvDataset(
          handle.db,
          {
            name: "x",
            title: "X",
            file: { filename: "a.csv", bytes: utf8.encode(agesCsv) },
            dimensions: "age",
          },
          officer,
          now,
        ),
      ),
    ).toMatchObject({ message: "Only an information-rights manager can import a dataset." });
  });

  it("refuses a policy naming an exemption foidesk does not know, naming the field", async () => {
    const problem = await refusal(
      savePolicy(
        handle.db,
        gangsId,
        { threshold: 4, restricted: [{ dimensions: ["borough"], exemptions: ["foia-99-1"], reason: "No." }] },
        manager,
        now,
      ),
    );
    expect(problem).toEqual({
      field: "restricted.0.exemptions",
      message: '"foia-99-1" is not an exemption in foidesk\'s catalogue, like foia-31-1-a',
    });
    expect(await refusal(savePolicy(handle.db, gangsId, { threshold: 4 }, officer, now))).toMatchObject({
      message: "Only an information-rights manager can change a release policy.",
    });
    expect((await datasetPage(handle.db, gangsId)).policy.version).toBe(1);
  });

  it("links a released table to the request's reply as advice and assistance, and puts a refusal by policy in it", async () => {
    const requestId = await newRequest();
    const release = () =>
      releaseTable(handle.db, gangsId, { dimensions: ["age_band", "category"], requestId }, officer, now, {
        baseUrl,
      });
    // No decisions yet: the table is released, and the page says why the reply could not take it.
    const first = await release();
    expect(first.reply).toEqual({
      requestId,
      added: false,
      problem: expect.stringMatching(/^The reply does not yet have a decision for each question/),
    });
    expect(await replyFor(handle.db, requestId)).toBeNull();
    // The refusal by policy starts the reply: questions without a decision are withheld under s.31.
    await addRefusalToReply(
      handle.db,
      gangsId,
      { dimensions: ["borough", "under_18"], requestId },
      officer,
      now,
    );
    // Twice changes nothing: the reason is there once.
    await addRefusalToReply(handle.db, gangsId, { dimensions: ["borough"], requestId }, officer, now);
    expect(await addReleaseToReply(handle.db, first.releaseId, officer, now, { baseUrl })).toEqual({
      requestId,
      added: true,
      problem: null,
    });
    const released = first;
    const reply = await replyFor(handle.db, requestId);
    expect(reply?.content.advice).toEqual([
      {
        purpose: "published-information",
        text: expect.stringMatching(
          /^We have published a table of the figures we can release safely: Known gangs by age band and category\./,
        ),
        link: {
          url: `${baseUrl}/statistics/${released.releaseId}`,
          text: "Known gangs by age band and category",
        },
      },
    ]);
    expect(reply?.content.questions?.map((question) => question.decision)).toEqual(["withheld", "withheld"]);
    expect(reply?.content.exemptions).toMatchObject([
      {
        exemptionIds: ["foia-31-1-a", "foia-31-1-b"],
        questionNumbers: [1, 2],
        // The harm test and the public-interest test the policy states are carried over, not left empty.
        harm: {
          interest: "the prevention or detection of crime and the apprehension or prosecution of offenders",
          likelihood: "would-be-likely-to",
          reasoning: [gangsPolicy.restricted[0]?.reason],
        },
        publicInterest: gangsPolicy.restricted[0]?.publicInterest,
      },
    ]);
    expect(reply?.problems.filter((problem) => /harm|public/.test(problem.field))).toEqual([]);
    // Not public while the reply is unsent (it withholds, so it waits for sign-off too).
    expect((await refusal(publishedStatistic(handle.db, released.releaseId))).message).toBe(
      "There is no such table",
    );
    // The same table into the same reply again is refused, saying where it already is.
    expect((await refusal(release())).message).toMatch(
      /^This table, "Known gangs by age band and category", was already released into the reply to .+: a table is released once\./,
    );
    const page = await datasetPage(handle.db, gangsId);
    expect(page.releases.at(-1)?.requestId).toBe(requestId);
    // A refusal by policy has nothing to release.
    expect(
      await refusal(
        releaseTable(handle.db, gangsId, { dimensions: ["borough"], requestId }, officer, now, { baseUrl }),
      ),
    ).toMatchObject({ field: "dimensions" });
    expect(parseReleasePolicy(page.policy.value).dataset).toBe("gangs-matrix");
  });

  it("refuses a stored value that is not what foidesk wrote, naming its column and row", async () => {
    const id = await storeDataset(
      handle.db,
      {
        title: "Known gangs (copy)",
        description: "Synthetic.",
        dataset: gangsDataset(),
        policy: { ...gangsPolicy, dataset: "gangs-copy" },
      },
      manager,
      now,
    );
    const { releaseId } = await releaseTable(
      handle.db,
      id,
      { dimensions: ["age_band", "category"] },
      officer,
      now,
      { baseUrl },
    );
    expect((await publishedStatistic(handle.db, releaseId)).id).toBe(releaseId);
    const broken = (value: unknown) => JSON.stringify(value);
    await handle.db
      .updateTable("statistics_releases")
      .set({ published: broken({ title: "Known gangs", cells: "none" }) })
      .where("id", "=", releaseId)
      .execute();
    await expect(publishedStatistic(handle.db, releaseId)).rejects.toThrow(
      `The stored statistics_releases.published of row ${releaseId} is not valid at dimensions:`,
    );
    await handle.db
      .updateTable("statistics_policies")
      .set({ policy: broken({ dataset: "gangs-copy", dimensions: [], threshold: -1 }) })
      .where("dataset_id", "=", id)
      .execute();
    await expect(buildTableView(handle.db, id, { dimensions: ["category"] })).rejects.toThrow(
      /^The stored statistics_policies\.policy of row \d+ is not valid at /,
    );
    await handle.db
      .updateTable("statistics_datasets")
      .set({ spec: broken({ dimensions: [{ name: "age_band" }] }) })
      .where("id", "=", id)
      .execute();
    await expect(datasetPage(handle.db, id)).rejects.toThrow(
      `The stored statistics_datasets.spec of row ${id} is not valid at dimensions.0.label:`,
    );
  });
});
