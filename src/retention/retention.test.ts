import { mkdtemp, readdir, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { sealExistingHistories, testBackends } from "../db/testing.ts";
import { createMailer, type MailTransport, outboxTransport, waitingMessages } from "../mail/index.ts";
import {
  type Actor,
  addDocument,
  createRequest,
  eventHash,
  GENESIS_HASH,
  performAction,
  requestDetail,
  verifyAuditChain,
} from "../requests/index.ts";
import { answerRequest } from "../requests/testing.ts";
import { type FileStore, localFolderStore, newStorageKey } from "../storage/index.ts";
import {
  anonymiseDue,
  checkOrphanFiles,
  dueForAnonymisation,
  liftLegalHold,
  placeLegalHold,
  setRetentionPeriod,
} from "./index.ts";

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const later = at("2025-06-02");

describe.each(testBackends())("retention on $name", (backend) => {
  let handle: DatabaseHandle;
  let files: FileStore;
  let folder: string;
  let mailCopies: MailTransport;
  let manager: Actor;
  const officer: Actor = { userId: null, label: "Post room", role: "officer" };
  const ids = { withdrawn: 0, reviewed: 0, heldByManager: 0 };
  let holdId = 0;
  let documentKey = "";

  async function logRequest(name: string, email: string, body: string) {
    const created = await createRequest(
      handle.db,
      { regime: "foia", channel: "email", receivedDate: "2024-01-10", body, requester: { name, email } },
      officer,
      at("2024-01-10"),
    );
    return created.id;
  }
  async function act(id: number, input: Record<string, unknown>, when: string) {
    const { version } = await handle.db
      .selectFrom("requests")
      .select("version")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    await performAction(handle.db, id, input, version, officer, at(when));
  }

  beforeAll(async () => {
    handle = await backend.open();
    folder = await mkdtemp(join(tmpdir(), "foidesk-retention-"));
    files = localFolderStore(join(folder, "files"));
    mailCopies = outboxTransport(join(folder, "outbox"));
    await handle.db.insertInto("authority").values({ name: "Retention Council" }).execute();
    const user = await handle.db
      .insertInto("users")
      .values({ username: "im", display_name: "Ivy Manager", role: "manager", password_hash: "x" })
      .returning("id")
      .executeTakeFirstOrThrow();
    manager = { userId: user.id, label: "Ivy Manager", role: "manager" };

    ids.withdrawn = await logRequest("Sam Doe", "sam.doe@example.org", "Please send the gritting routes.");
    await act(ids.withdrawn, { type: "add-note", note: "Phoned Sam Doe on 07700 900123" }, "2024-01-11");
    const document = await addDocument(
      handle.db,
      files,
      ids.withdrawn,
      { filename: "sam-doe-letter.txt", bytes: new TextEncoder().encode("Dear Sam Doe, 1 Elm Road") },
      officer,
      at("2024-01-12"),
    );
    documentKey = (
      await handle.db
        .selectFrom("documents")
        .select("storage_key")
        .where("id", "=", document.id)
        .executeTakeFirstOrThrow()
    ).storage_key;
    // Email about it: an acknowledgement sent (a copy kept in the outbox folder), and a message still
    // waiting in the mail outbox.
    const mailer = createMailer({ db: handle.db, transport: mailCopies, now: () => at("2024-01-12") });
    await mailer.send({
      to: "sam.doe@example.org",
      subject: "Your request about gritting routes, Sam Doe",
      text: "Dear Sam Doe",
      kind: "acknowledgement",
      requestId: ids.withdrawn,
    });
    await handle.db.transaction().execute((trx) =>
      mailer.queue(trx, {
        to: "sam.doe@example.org",
        subject: "A question for Sam Doe",
        text: "Dear Sam Doe, 1 Elm Road",
        kind: "clarification",
        requestId: ids.withdrawn,
      }),
    );
    await act(
      ids.withdrawn,
      { type: "withdraw", date: "2024-01-20", note: "Sam Doe no longer needs it" },
      "2024-01-20",
    );

    ids.reviewed = await logRequest("Rae Roe", "rae@example.org", "How many potholes were filled?");
    await act(ids.reviewed, { type: "start-work" }, "2024-01-11");
    // Answered the only way the law allows: a drafted reply, signed off, sent.
    const { version } = await handle.db
      .selectFrom("requests")
      .select("version")
      .where("id", "=", ids.reviewed)
      .executeTakeFirstOrThrow();
    await answerRequest(
      handle.db,
      ids.reviewed,
      version,
      { officer, approver: manager, outcome: "not-held" },
      at("2024-01-15"),
    );
    await act(
      ids.reviewed,
      { type: "request-review", date: "2024-02-01", grounds: "Rae Roe thinks it is held" },
      "2024-02-01",
    );

    ids.heldByManager = await logRequest("Lee Poe", "lee@example.org", "Contracts with Acme Ltd?");
    await act(ids.heldByManager, { type: "withdraw", date: "2024-01-21" }, "2024-01-21");
    holdId = (
      await placeLegalHold(
        handle.db,
        ids.heldByManager,
        "Acme Ltd v Council claim",
        manager,
        at("2024-03-01"),
      )
    ).holdId;
  });
  afterAll(async () => {
    await handle.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("lets only a manager set the schedule, and names a bad field", async () => {
    await expect(setRetentionPeriod(handle.db, "foi-case", 12, officer, later)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(setRetentionPeriod(handle.db, "foi-case", "twelve", manager, later)).rejects.toMatchObject({
      code: "invalid",
      field: "months",
    });
    await expect(setRetentionPeriod(handle.db, "casefile", 12, manager, later)).rejects.toMatchObject({
      field: "recordType",
    });
    const schedule = await setRetentionPeriod(handle.db, "foi-case", 12, manager, later);
    expect(schedule.find((entry) => entry.recordType === "foi-case")).toMatchObject({
      months: 12,
      updatedBy: "Ivy Manager",
    });
    await setRetentionPeriod(handle.db, "internal-review", 12, manager, later);
  });

  it("shows what is due and what a hold keeps, and a dry run changes nothing", async () => {
    expect((await dueForAnonymisation(handle.db, at("2025-01-19"))).due).toEqual([]);
    const report = await dueForAnonymisation(handle.db, later);
    expect(report.due.map((record) => record.requestId)).toEqual([ids.withdrawn]);
    expect(report.due[0]).toMatchObject({
      recordType: "foi-case",
      closedOn: "2024-01-20",
      retainUntil: "2025-01-20",
    });
    // The review is open (a closed state is never reached), so it is not even a candidate; the manager's hold is.
    expect(report.held).toEqual([
      expect.objectContaining({
        requestId: ids.heldByManager,
        hold: expect.stringContaining("Acme Ltd v Council claim"),
      }),
    ]);
    const dry = await anonymiseDue(handle.db, files, later, { dryRun: true });
    expect(dry.anonymised.map((record) => record.requestId)).toEqual([ids.withdrawn]);
    const requester = await handle.db
      .selectFrom("requests as r")
      .innerJoin("requesters as q", "q.id", "r.requester_id")
      .select("q.name")
      .where("r.id", "=", ids.withdrawn)
      .executeTakeFirstOrThrow();
    expect(requester.name).toBe("Sam Doe");
  });

  it("anonymises what is due: personal data, files and text gone, the history whole and verifiable", async () => {
    expect(await readdir(join(folder, "outbox"))).toHaveLength(1);
    const run = await anonymiseDue(handle.db, files, later, { mailCopies });
    expect(run.failed).toEqual([]);
    expect(run.anonymised).toHaveLength(1);
    expect(run.anonymised[0]?.destroyed).toMatchObject({
      documents: 1,
      personalValues: 3,
      requestText: true,
      sentEmails: 1,
      // Both went through the outbox: the acknowledgement sent, and the message still waiting.
      outboxMessages: 2,
      storedEmailCopies: 1,
    });
    // The stored copy of the email is gone, and the waiting one will never be sent.
    expect(await readdir(join(folder, "outbox"))).toEqual([]);
    expect(await waitingMessages(handle.db, new Date("2100-01-01T00:00:00Z"))).toEqual([]);

    const detail = await requestDetail(handle.db, { id: ids.withdrawn }, manager, later);
    expect(detail.request).toMatchObject({
      requester_name: "",
      requester_email: null,
      body: "",
      state: "withdrawn",
    });
    expect(detail.documents).toEqual([]);
    await expect(files.get(documentKey)).rejects.toMatchObject({ code: "not-found" });
    const last = detail.timeline.at(-1)!;
    expect(last).toMatchObject({ type: "anonymised", label: "Anonymised under the retention schedule" });
    expect(last.details).toMatchObject({
      recordType: "foi-case",
      retentionMonths: 12,
      closedOn: "2024-01-20",
    });
    // No trace of the person anywhere in the database, events included.
    const everything = JSON.stringify([
      await handle.db
        .selectFrom("request_events")
        .selectAll()
        .where("request_id", "=", ids.withdrawn)
        .execute(),
      await handle.db
        .selectFrom("personal_values")
        .selectAll()
        .where("request_id", "=", ids.withdrawn)
        .execute(),
      await handle.db.selectFrom("requesters").selectAll().execute(),
      await handle.db.selectFrom("sent_mail").selectAll().where("request_id", "=", ids.withdrawn).execute(),
      await handle.db
        .selectFrom("mail_outbox")
        .select(["to_address", "subject", "envelope", sql<string>`encode(raw, 'escape')`.as("raw")])
        .where("request_id", "=", ids.withdrawn)
        .execute(),
    ]);
    expect(everything).not.toContain("Sam Doe");
    expect(everything).not.toContain("sam.doe@example.org");
    expect(everything).not.toContain("sam-doe-letter");
    expect(detail.timeline.find((entry) => entry.type === "add-note")?.details.note).toBe(
      "(personal data destroyed)",
    );
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, requests: 3 });
    // The others are untouched, and run again there is nothing more to do.
    expect((await anonymiseDue(handle.db, files, later)).anonymised).toEqual([]);
  });

  it("still detects any other change: a kept value altered, a value destroyed off the record, an event edited", async () => {
    const value = await handle.db
      .selectFrom("personal_values")
      .selectAll()
      .where("request_id", "=", ids.reviewed)
      .where("value", "is not", null)
      .executeTakeFirstOrThrow();
    const restore = () =>
      handle.db
        .updateTable("personal_values")
        .set({ salt: value.salt, value: value.value, destroyed_at: null, destroyed_seq: null })
        .where("id", "=", value.id)
        .execute();
    await handle.db
      .updateTable("personal_values")
      .set({ value: "Rae Roe is satisfied" })
      .where("id", "=", value.id)
      .execute();
    expect(await verifyAuditChain(handle.db)).toMatchObject({
      ok: false,
      reason: `personal value ${value.id} does not match its salted hash`,
    });
    await handle.db
      .updateTable("personal_values")
      .set({ salt: null, value: null, destroyed_at: later, destroyed_seq: 1 })
      .where("id", "=", value.id)
      .execute();
    expect(await verifyAuditChain(handle.db)).toMatchObject({
      ok: false,
      reason: `personal value ${value.id} was destroyed without an anonymisation or erasure event`,
    });
    await restore();
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
    const anonymised = await handle.db
      .selectFrom("request_events")
      .select("id")
      .where("request_id", "=", ids.withdrawn)
      .where("type", "=", "anonymised")
      .executeTakeFirstOrThrow();
    const setType = (type: string) =>
      handle.db.updateTable("request_events").set({ type }).where("id", "=", anonymised.id).execute();
    await setType("withdraw");
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: false, requestId: ids.withdrawn });
    await setType("anonymised");
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });

  it("anonymises a held request only once its hold is lifted", async () => {
    await liftLegalHold(handle.db, holdId, manager, later);
    const run = await anonymiseDue(handle.db, files, later);
    expect(run.anonymised.map((record) => record.requestId)).toEqual([ids.heldByManager]);
    const detail = await requestDetail(handle.db, { id: ids.heldByManager }, manager, later);
    expect(detail.timeline.map((entry) => entry.type)).toEqual([
      "created",
      "withdraw",
      "legal-hold-placed",
      "legal-hold-lifted",
      "anonymised",
    ]);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });

  it("finds files in the store that nothing refers to, and removes them once they are an hour old", async () => {
    const stray = newStorageKey(later);
    await files.put(stray, new TextEncoder().encode("left behind"));
    const storedAt = at("2025-06-01");
    await utimes(join(folder, "files", ...stray.split("/")), storedAt, storedAt);
    const found = await checkOrphanFiles(handle.db, files, new Date(storedAt.getTime() + 30 * 60_000), {
      remove: true,
    });
    expect(found).toEqual({ orphans: [stray], removed: [] });
    const removed = await checkOrphanFiles(handle.db, files, later, { remove: true });
    expect(removed).toEqual({ orphans: [stray], removed: [stray] });
    expect(await checkOrphanFiles(handle.db, files, later)).toEqual({ orphans: [], removed: [] });
  });

  it("moves the personal values of histories written before 0031 out of their events, keeping verify passing", async () => {
    const id = await logRequest("Old Timer", "old@example.org", "Legacy question");
    const { version } = await handle.db
      .selectFrom("requests")
      .select("version")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const first = await handle.db
      .selectFrom("request_events")
      .select("hash")
      .where("request_id", "=", id)
      .executeTakeFirstOrThrow();
    const legacy = {
      requestId: id,
      seq: version + 1,
      type: "add-note",
      payload: { note: "Old Timer rang" },
      actorId: null,
      actorLabel: "Post room",
      occurredAt: at("2024-01-11"),
      prevHash: first.hash ?? GENESIS_HASH,
    };
    await handle.db
      .insertInto("request_events")
      .values({
        request_id: id,
        seq: legacy.seq,
        type: legacy.type,
        payload: JSON.stringify(legacy.payload),
        actor_id: null,
        actor_label: legacy.actorLabel,
        occurred_at: legacy.occurredAt,
        prev_hash: legacy.prevHash,
        hash: eventHash(legacy),
      })
      .execute();
    await handle.db.updateTable("requests").set({ version: legacy.seq }).where("id", "=", id).execute();
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
    await sealExistingHistories(handle.db as never);
    const stored = await handle.db
      .selectFrom("request_events")
      .select("payload")
      .where("request_id", "=", id)
      .where("seq", "=", legacy.seq)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.payload)).not.toContain("Old Timer");
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
    const detail = await requestDetail(handle.db, { id }, manager, later);
    expect(detail.timeline.at(-1)?.details.note).toBe("Old Timer rang");
  });
});
