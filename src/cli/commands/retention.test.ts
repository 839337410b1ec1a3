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

// The request closes on 5 March 2020; kept 12 months, it is due for anonymisation on 5 March 2021, the day
// the commands run (a minute past midnight in London), and not the evening before.
const keptUntil = new Date("2021-03-05T00:01:00Z");
const foidesk = (argv: string[], now = keptUntil) => runCli(argv, { now: () => now });

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
    expect((await foidesk(["retention", "schedule", "--set", "foi-case=ten"])).code).toBe(2);
    const set = await foidesk(["retention", "schedule", "--set", "foi-case=12", "--by", "Ivy Manager"]);
    expect(set.stdout).toMatch(/^foi-case\s+12 months/m);
    expect(set.stdout).toMatch(/^sar\s+kept \(no period set\)/m);
    const eveningBefore = await foidesk(["retention", "due"], new Date("2021-03-04T23:59:00Z"));
    expect(eveningBefore.stdout).toBe(
      "Due for anonymisation on 2021-03-04: 0 request(s), 0 unprocessed email(s).\n",
    );
    const due = await foidesk(["retention", "due"]);
    expect(due.stdout).toBe(
      "Due for anonymisation on 2021-03-05: 1 request(s), 0 unprocessed email(s).\n" +
        `  ${reference}  foi-case, closed 2020-03-05, kept until 2021-03-05\n`,
    );

    const placed = await foidesk(["retention", "hold", reference, "--reason", "Litigation hold"]);
    // The hold's number is the one printed: a sequence on a shared server need not start at 1.
    const holdId = /^Placed hold (\d+) on/.exec(placed.stdout)?.[1];
    expect(holdId).toBeDefined();
    const dry = await foidesk(["retention", "run", "--dry-run"]);
    expect(dry.stdout).toContain("Would anonymise 0 request(s)");
    const out = join(folder, "jo.zip");
    expect(
      (await foidesk(["requester", "export", "--email", "jo@example.org", "--out", out])).stdout,
    ).toContain("1 request(s)");
    const zip = unzipSync(new Uint8Array(await readFile(out)));
    expect(strFromU8(zip["index.html"]!)).toContain("Jo Bloggs");
    const refused = await foidesk(["requester", "erase", "--email", "jo@example.org"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("legal hold");

    expect((await foidesk(["retention", "due"])).stdout).toContain(
      `${reference}  a manager's hold: Litigation hold`,
    );
    const lifted = await foidesk(["retention", "hold", "--lift", holdId!, "--reason", "Claim withdrawn"]);
    expect(lifted, lifted.stderr).toMatchObject({ code: 0 });
    expect((await foidesk(["retention", "run"])).stdout).toContain(`Anonymised 1 request(s)`);
    expect((await foidesk(["requester", "erase", "--email", "jo@example.org"])).code).toBe(3);
    expect(await foidesk(["audit", "verify"])).toMatchObject({ code: 0 });
    const orphans = await foidesk(["retention", "orphans"]);
    expect(orphans, orphans.stderr).toMatchObject({ stdout: "0 orphaned file(s).\n", code: 0 });
  });
});
