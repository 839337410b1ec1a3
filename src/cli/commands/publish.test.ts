import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateToLatest, openDatabase } from "../../db/index.ts";
import { createRequest } from "../../requests/index.ts";
import { gangsReplyInput } from "../../responses/index.ts";
import { runCli } from "../testing.ts";

const actor = { userId: null, label: "Post room", role: "officer" as const };

// The reply below is sent at 09:00 on 20 May 2024 and the authority publishes after 20 days: due from 09:00 on
// 9 June.
const dueFrom = new Date("2024-06-09T09:00:00Z");
const publishAt = (now: Date, ...args: string[]) => runCli(["publish", ...args], { now: () => now });
const publish = (...args: string[]) => publishAt(dueFrom, ...args);

describe("foidesk publish --due", () => {
  let folder: string;
  let reference = "";
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "foidesk-publish-"));
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("FOIDESK_DATA_DIR", folder);
    const handle = await openDatabase({ kind: "pglite", dataDir: folder });
    await migrateToLatest(handle.db);
    await handle.db
      .insertInto("authority")
      .values({ name: "Test Council", publish_after_days: 20 })
      .execute();
    const created = await createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "post",
        receivedDate: "2024-05-01",
        body: "How many known gangs are there?",
        requester: { name: "Priya Raman", address: "22 Market Street, Westmarch WM2 3BD" },
      },
      actor,
      new Date("2024-05-01T09:00:00Z"),
    );
    reference = created.reference;
    const sentAt = new Date("2024-05-20T09:00:00Z");
    await handle.db
      .insertInto("replies")
      .values({
        request_id: created.id,
        content: JSON.stringify({ ...gangsReplyInput, reference }),
        updated_at: sentAt,
        updated_by: "Post room",
        sent_at: sentAt,
      })
      .execute();
    await handle.close();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(folder, { recursive: true, force: true });
  });

  it("asks what to publish without --due", async () => {
    const result = await publish();
    expect(result.code).toBe(2);
    expect(result.output).toContain("foidesk publish --due");
  });

  it("lists what is due, publishes it once, and then finds nothing due", async () => {
    const minuteBefore = new Date(dueFrom.getTime() - 60_000);
    expect(await publishAt(minuteBefore, "--due", "--dry-run")).toMatchObject({
      code: 0,
      output: "Nothing is due.\n",
    });
    expect(await publish("--due", "--dry-run")).toMatchObject({
      code: 0,
      output: `Due for publication: ${reference}\n`,
    });
    expect(await publish("--due", "--json")).toMatchObject({
      code: 0,
      output: `${JSON.stringify({ published: [{ reference, url: `/disclosure-log/${reference}` }], failed: [] })}\n`,
    });
    expect(await publish("--due")).toMatchObject({ code: 0, output: "Nothing was due.\n" });
  });
});
