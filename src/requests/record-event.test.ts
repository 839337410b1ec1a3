import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { type Actor, createRequest, recordEvent, requestDetail, verifyAuditChain } from "./index.ts";

const now = new Date("2026-03-12T10:00:00Z");

describe.each(testBackends())("recordEvent on $name", (backend) => {
  let handle: DatabaseHandle;
  let actor: Actor;
  let requestId: number;

  beforeAll(async () => {
    handle = await backend.open();
    await handle.db.insertInto("authority").values({ name: "Test Constabulary" }).execute();
    const user = await handle.db
      .insertInto("users")
      .values({ username: "mo", display_name: "Mo Manager", role: "manager", password_hash: "x" })
      .returning("id")
      .executeTakeFirstOrThrow();
    actor = { userId: user.id, label: "Mo Manager", role: "manager" };
    const created = await createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: "2026-02-20",
        body: "How many speed cameras are there?",
        requester: { name: "Sam Doe", email: "sam@example.org" },
      },
      actor,
      now,
    );
    requestId = created.id;
  });
  afterAll(() => handle.close());

  it("appends a non-workflow event to the hash chain and moves the version on", async () => {
    const result = await handle.db
      .transaction()
      .execute((trx) =>
        recordEvent(trx, requestId, "published", { note: "On the disclosure log" }, actor, now),
      );
    expect(result.seq).toBe(2);
    const detail = await requestDetail(handle.db, { id: requestId }, actor, now);
    expect(detail.request.version).toBe(2);
    expect(detail.timeline.at(-1)).toMatchObject({
      type: "published",
      label: "Published to the disclosure log",
      actor: "Mo Manager",
    });
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, events: 2 });
  });

  it("is undone with the caller's transaction", async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await recordEvent(trx, requestId, "publication-withdrawn", { reason: "x" }, actor, now);
        throw new Error("the caller's own write failed");
      }),
    ).rejects.toThrow("the caller's own write failed");
    const detail = await requestDetail(handle.db, { id: requestId }, actor, now);
    expect(detail.request.version).toBe(2);
  });

  it("still reads an event recorded in an older shape (a clean copy's cleanDocumentId, before copyDocumentId)", async () => {
    await handle.db.transaction().execute((trx) =>
      recordEvent(
        trx,
        requestId,
        "document-cleaned",
        {
          documentId: 1,
          filename: "pay.xlsm",
          cleanDocumentId: 2,
          cleanFilename: "pay.xlsx",
          summary: "Macros",
        },
        actor,
        now,
      ),
    );
    const detail = await requestDetail(handle.db, { id: requestId }, actor, now);
    expect(detail.timeline.at(-1)).toMatchObject({
      type: "document-cleaned",
      label: "Clean copy made of a document",
      details: { cleanDocumentId: 2, cleanFilename: "pay.xlsx" },
    });
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });

  it("names the request, event and field when a stored payload is not what its type carries", async () => {
    const before = await requestDetail(handle.db, { id: requestId }, actor, now);
    const seq = before.request.version + 1;
    await handle.db
      .transaction()
      .execute((trx) =>
        recordEvent(trx, requestId, "legal-hold-placed", { holdId: 7, reason: "Claim" }, actor, now),
      );
    await handle.db
      .updateTable("request_events")
      .set({ payload: JSON.stringify({ holdId: "seven" }) })
      .where("request_id", "=", requestId)
      .where("seq", "=", seq)
      .execute();
    await expect(requestDetail(handle.db, { id: requestId }, actor, now)).rejects.toThrow(
      `The stored payload of request ${requestId}, event ${seq} ("legal-hold-placed") is not valid: holdId:`,
    );
    await handle.db
      .deleteFrom("request_events")
      .where("request_id", "=", requestId)
      .where("seq", "=", seq)
      .execute();
    await handle.db
      .updateTable("requests")
      .set({ version: seq - 1 })
      .where("id", "=", requestId)
      .execute();
  });

  it("refuses workflow actions and unknown requests", async () => {
    await expect(
      handle.db.transaction().execute((trx) => recordEvent(trx, requestId, "approve", {}, actor, now)),
    ).rejects.toThrow(/performAction/);
    await expect(
      handle.db.transaction().execute((trx) => recordEvent(trx, 999_999, "published", {}, actor, now)),
    ).rejects.toMatchObject({ code: "not-found" });
  });
});
