import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { createMailer, memoryOutboxTransport } from "../mail/index.ts";
import {
  type Actor,
  addDocument,
  createRequest,
  performAction,
  requestDetail,
  verifyAuditChain,
} from "../requests/index.ts";
import { type FileStore, memoryFileStore } from "../storage/index.ts";
import { eraseRequester, exportRequester, findRequester, placeLegalHold, rectifyRequester } from "./index.ts";

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const now = at("2024-04-01");

describe.each(testBackends())("a requester's own data on $name", (backend) => {
  let handle: DatabaseHandle;
  let files: FileStore;
  const officer: Actor = { userId: null, label: "Post room", role: "officer" };
  const manager: Actor = { userId: null, label: "Ivy Manager", role: "manager" };
  let requesterId = 0;
  const refs: string[] = [];
  const mail = memoryOutboxTransport();

  beforeAll(async () => {
    handle = await backend.open();
    files = memoryFileStore(() => now);
    await handle.db.insertInto("authority").values({ name: "Export Council" }).execute();
    for (const [body, received] of [
      ["Road gritting routes please", "2024-01-10"],
      ["Library opening hours", "2024-02-10"],
    ] as const) {
      const created = await createRequest(
        handle.db,
        {
          regime: "foia",
          channel: "email",
          receivedDate: received,
          body,
          requester: { name: "Kim Lee", email: "kim@example.org", address: "2 Mill Lane" },
        },
        officer,
        at(received),
      );
      refs.push(created.reference);
      if (refs.length === 1)
        await createMailer({ db: handle.db, transport: mail, now: () => at(received) }).send({
          to: "kim@example.org",
          subject: `Your request ${created.reference}`,
          text: "Dear Kim Lee, we have your request.",
          kind: "acknowledgement",
          requestId: created.id,
        });
      await addDocument(
        handle.db,
        files,
        created.id,
        { filename: "kim-letter.txt", bytes: new TextEncoder().encode(`Letter about ${body}`) },
        officer,
        at(received),
      );
      await performAction(
        handle.db,
        created.id,
        { type: "withdraw", date: received },
        2,
        officer,
        at(received),
      );
    }
    // Someone else's request: never in Kim's export.
    await createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "post",
        receivedDate: "2024-01-11",
        body: "Other",
        requester: { name: "Pat Other", address: "9 Far Road" },
      },
      officer,
      at("2024-01-11"),
    );
    requesterId = (await findRequester(handle.db, { email: "KIM@example.org" })).id;
  });
  afterAll(() => handle.close());

  it("exports everything held about the requester as a zip with a readable index", async () => {
    const exported = await exportRequester(handle.db, files, requesterId, now, mail);
    expect(exported).toMatchObject({ requests: 2, documents: 2 });
    const zip = unzipSync(exported.zip);
    const index = strFromU8(zip["index.html"]!);
    expect(index).toContain("Information held about Kim Lee");
    expect(index).toContain("2 Mill Lane");
    for (const reference of refs) expect(index).toContain(reference);
    expect(index).not.toContain("Pat Other");
    const documentNames = Object.keys(zip).filter((name) => name.includes("/documents/"));
    expect(documentNames).toHaveLength(2);
    expect(strFromU8(zip[documentNames[0]!]!)).toMatch(/^Letter about /);
    // The email sent to them, as it was sent.
    const sentNames = Object.keys(zip).filter((name) => name.includes("/email-sent/"));
    expect(sentNames).toHaveLength(1);
    expect(sentNames[0]).toMatch(/\.eml$/);
    expect(strFromU8(zip[sentNames[0]!]!)).toContain("Dear Kim Lee, we have your request.");
    expect(index).toContain(`email sent 2024-01-10: Your request ${refs[0]}`);
    expect(strFromU8(zip[`requests/${refs[0]!.replace(/[^A-Za-z0-9._-]+/g, "_")}/request.json`]!)).toContain(
      "Road gritting routes please",
    );
  });

  it("corrects the requester's details, recorded on each request without the values", async () => {
    await expect(
      rectifyRequester(handle.db, requesterId, { email: "not an email" }, manager, now),
    ).rejects.toMatchObject({
      code: "invalid",
      field: "email",
    });
    expect(await rectifyRequester(handle.db, requesterId, { address: "3 Mill Lane" }, manager, now)).toEqual({
      fields: ["address"],
    });
    expect((await findRequester(handle.db, { id: requesterId })).address).toBe("3 Mill Lane");
    const detail = await requestDetail(handle.db, { reference: refs[0]! }, manager, now);
    expect(detail.timeline.at(-1)).toMatchObject({
      type: "requester-rectified",
      details: { fields: ["address"] },
    });
  });

  it("refuses erasure under a legal hold, then erases every request's personal data once it is lifted", async () => {
    const held = await handle.db
      .selectFrom("requests")
      .select("id")
      .where("reference", "=", refs[1]!)
      .executeTakeFirstOrThrow();
    const { holdId } = await placeLegalHold(
      handle.db,
      held.id,
      "Pre-action letter from Kim's solicitor",
      manager,
      now,
    );
    await expect(eraseRequester(handle.db, files, requesterId, manager, now)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("legal hold"),
    });
    await expect(
      rectifyRequester(handle.db, requesterId, { name: "Kim Li" }, manager, now),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    expect((await findRequester(handle.db, { id: requesterId })).name).toBe("Kim Lee");
    await handle.db
      .updateTable("legal_holds")
      .set({ lifted_at: now, lifted_by: "test" })
      .where("id", "=", holdId)
      .execute();
    await expect(eraseRequester(handle.db, files, requesterId, officer, now)).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await eraseRequester(handle.db, files, requesterId, manager, now)).toEqual({ references: refs });
    await expect(findRequester(handle.db, { email: "kim@example.org" })).rejects.toMatchObject({
      code: "not-found",
    });
    expect((files as FileStore & { size: number }).size).toBe(0);
    const detail = await requestDetail(handle.db, { reference: refs[0]! }, manager, now);
    expect(detail.timeline.at(-1)).toMatchObject({
      type: "requester-erased",
      details: { article: "UK GDPR Art. 17", destroyed: { documents: 1 } },
    });
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, requests: 3 });
  });
});
