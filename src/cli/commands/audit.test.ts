import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateToLatest, openDatabase } from "../../db/index.ts";
import { createRequest, performAction } from "../../requests/index.ts";
import { runCli } from "../testing.ts";

const actor = { userId: null, label: "Post room", role: "officer" as const };

const verify = () => runCli(["audit", "verify"]);

describe("foidesk audit verify", () => {
  let folder: string;
  let reference = "";
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "foidesk-audit-"));
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("FOIDESK_DATA_DIR", folder);
    const handle = await openDatabase({ kind: "pglite", dataDir: folder });
    await migrateToLatest(handle.db);
    await handle.db.insertInto("authority").values({ name: "Audit Council" }).execute();
    const body = {
      regime: "foia",
      channel: "post",
      receivedDate: "2024-05-01",
      body: "Bin collections?",
      requester: { name: "A", address: "1 High St" },
    };
    const created = await createRequest(handle.db, body, actor, new Date("2024-05-01T09:00:00Z"));
    await performAction(
      handle.db,
      created.id,
      { type: "acknowledge" },
      1,
      actor,
      new Date("2024-05-02T09:00:00Z"),
    );
    reference = created.reference;
    await handle.close();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(folder, { recursive: true, force: true });
  });

  it("says the history is intact, then names the first broken link once an event is altered", async () => {
    expect(await verify()).toMatchObject({ code: 0, output: "History intact: 2 events on 1 requests.\n" });
    const handle = await openDatabase({ kind: "pglite", dataDir: folder });
    await handle.db
      .updateTable("request_events")
      .set({ actor_label: "Someone else" })
      .where("seq", "=", 2)
      .execute();
    await handle.close();
    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.output).toContain(
      `History broken at request ${reference}, event 2: its content does not match its hash.`,
    );
  });
});
