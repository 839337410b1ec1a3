import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateToLatest } from "../../db/index.ts";
import { createRequest, performAction } from "../../requests/index.ts";
import { servedStores } from "../serve-process.ts";
import { runCli } from "../testing.ts";

const actor = { userId: null, label: "Post room", role: "officer" as const };

// Both backends: the embedded database in a folder, and a schema of its own on the test PostgreSQL server.
const { stores, remove } = await servedStores("foidesk-retention-cli-");
afterAll(() => remove());

// The requests are dated years back, so that with a 0- or 12-month period they are due whatever day it is.
describe.each(stores)("foidesk retention and foidesk requester on $name", (store) => {
  const folder = store.dataDir;
  let reference = "";
  beforeAll(async () => {
    vi.stubEnv("DATABASE_URL", store.databaseUrl);
    vi.stubEnv("FOIDESK_DATA_DIR", folder);
    const handle = await store.open();
    await migrateToLatest(handle.db);
    await handle.db.insertInto("authority").values({ name: "Cli Council" }).execute();
    const created = await createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: "2020-03-02",
        body: "Parking fines 2019?",
        requester: { name: "Jo Bloggs", email: "jo@example.org" },
      },
      actor,
      new Date("2020-03-02T09:00:00Z"),
    );
    await performAction(
      handle.db,
      created.id,
      { type: "withdraw", date: "2020-03-05", note: "Jo withdrew" },
      1,
      actor,
      new Date("2020-03-05T09:00:00Z"),
    );
    reference = created.reference;
    await handle.close();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
  });

  it("sets the schedule, lists what is due, holds, exports, refuses then erases, and the history verifies", async () => {
    expect((await runCli(["retention", "schedule", "--set", "foi-case=ten"])).code).toBe(2);
    const set = await runCli(["retention", "schedule", "--set", "foi-case=12", "--by", "Ivy Manager"]);
    expect(set.stdout).toMatch(/^foi-case\s+12 months/m);
    expect(set.stdout).toMatch(/^sar\s+kept \(no period set\)/m);
    const due = await runCli(["retention", "due"]);
    expect(due.stdout).toContain(`${reference}  foi-case, closed 2020-03-05, kept until 2021-03-05`);

    const placed = await runCli(["retention", "hold", reference, "--reason", "Litigation hold"]);
    // The hold's number is the one printed: a sequence on a shared server need not start at 1.
    const holdId = /^Placed hold (\d+) on/.exec(placed.stdout)?.[1];
    expect(holdId).toBeDefined();
    const dry = await runCli(["retention", "run", "--dry-run"]);
    expect(dry.stdout).toContain("Would anonymise 0 request(s)");
    const out = join(folder, "jo.zip");
    expect(
      (await runCli(["requester", "export", "--email", "jo@example.org", "--out", out])).stdout,
    ).toContain("1 request(s)");
    const zip = unzipSync(new Uint8Array(await readFile(out)));
    expect(strFromU8(zip["index.html"]!)).toContain("Jo Bloggs");
    const refused = await runCli(["requester", "erase", "--email", "jo@example.org"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("legal hold");

    expect((await runCli(["retention", "due"])).stdout).toContain(
      `${reference}  a manager's hold: Litigation hold`,
    );
    const lifted = await runCli(["retention", "hold", "--lift", holdId!, "--reason", "Claim withdrawn"]);
    expect(lifted, lifted.stderr).toMatchObject({ code: 0 });
    expect((await runCli(["retention", "run"])).stdout).toContain(`Anonymised 1 request(s)`);
    expect((await runCli(["requester", "erase", "--email", "jo@example.org"])).code).toBe(3);
    expect(await runCli(["audit", "verify"])).toMatchObject({ code: 0 });
    const orphans = await runCli(["retention", "orphans"]);
    expect(orphans, orphans.stderr).toMatchObject({ stdout: "0 orphaned file(s).\n", code: 0 });
  });
});
