import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { DomainError } from "../errors.ts";
import { computeDeadline } from "../law/index.ts";
import { recordOnlyMailer } from "../mail/index.ts";
import { sampleReply } from "../responses/index.ts";
import { memoryFileStore } from "../storage/index.ts";
import {
  type Actor,
  addDocument,
  createRequest,
  lapseUnpaidFees,
  performAction,
  readDocument,
  requestDetail,
  requesterHistory,
  saveReplyDraft,
  sendReply,
  submitReply,
  verifyAuditChain,
  workQueue,
} from "./index.ts";
import { answerRequest, reviewRequest } from "./testing.ts";

/** The queue as the system sees it: every request, subject access included. */
const everyone = { userId: null, label: "test", role: "system" as const };

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);

async function seedStaff(handle: DatabaseHandle) {
  const db = handle.db;
  // These officers handle subject access requests too (requests/sar-access.ts).
  await db
    .insertInto("authority")
    .values({ name: "Test Constabulary", sar_roles: ["officer", "manager"] })
    .execute();
  const [gangs, disclosure] = await db
    .insertInto("teams")
    .values([{ name: "Gangs" }, { name: "Disclosure" }])
    .returning("id")
    .execute();
  const users = await db
    .insertInto("users")
    .values([
      {
        username: "olu",
        display_name: "Olu Officer",
        role: "officer",
        team_id: gangs!.id,
        password_hash: "x",
      },
      {
        username: "ada",
        display_name: "Ada Approver",
        role: "approver",
        team_id: gangs!.id,
        password_hash: "x",
      },
      {
        username: "mo",
        display_name: "Mo Manager",
        role: "manager",
        team_id: disclosure!.id,
        password_hash: "x",
      },
    ])
    .returning(["id", "display_name", "role"])
    .execute();
  const actor = (index: number): Actor => ({
    userId: users[index]!.id,
    label: users[index]!.display_name,
    role: users[index]!.role,
  });
  return {
    officer: actor(0),
    approver: actor(1),
    manager: actor(2),
    teams: { gangs: gangs!.id, disclosure: disclosure!.id },
  };
}

const gangsRequest = {
  regime: "foia",
  channel: "email",
  receivedDate: "2022-12-01",
  body: "1. How many known gangs are there in each London borough?\n2. How many have under-18s in them?",
  requester: { name: "Sam Requester", email: "sam@example.org", type: "journalist" },
};

describe.each(testBackends())("casework on $name", (backend) => {
  let handle: DatabaseHandle;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  beforeAll(async () => {
    handle = await backend.open();
    staff = await seedStaff(handle);
  });
  afterAll(async () => handle?.close());

  it("logs a request with a reference in the authority's pattern and its statutory due date", async () => {
    const created = await createRequest(
      handle.db,
      { ...gangsRequest, teamId: staff.teams.gangs },
      staff.officer,
      at("2022-12-01"),
    );
    expect(created.reference).toMatch(/^01\.FOI\.22\.\d{6}$/);
    expect(created.state).toBe("received");
    expect(created.dueDate).toBe(computeDeadline({ regime: "foia", received: "2022-12-01" }).dueDate);
    const detail = await requestDetail(handle.db, { id: created.id }, staff.officer, at("2022-12-02"));
    expect(detail.request.questions).toEqual([
      "How many known gangs are there in each London borough?",
      "How many have under-18s in them?",
    ]);
    expect(detail.timeline.map((entry) => entry.label)).toEqual(["Request logged"]);
    expect(detail.actions.map((action) => action.type)).toContain("acknowledge");
  });

  it("records a request that fails FOIA s.8 as invalid, with the reasons, rather than dropping it", async () => {
    const created = await createRequest(
      handle.db,
      { ...gangsRequest, channel: "post", requester: { name: "", type: "public" } },
      staff.officer,
      at("2022-12-01"),
    );
    expect(created.state).toBe("invalid");
    expect(created.problems.join(" ")).toMatch(/name.*s\.8\(1\)\(b\)/);
    expect(created.problems.join(" ")).toMatch(/address for correspondence/);
    const detail = await requestDetail(handle.db, { id: created.id }, staff.officer, at("2022-12-01"));
    expect(detail.request.invalid_reason).toMatch(/name/);
  });

  it("names every bad field and stores nothing", async () => {
    const before = await handle.db
      .selectFrom("requests")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    const attempt = createRequest(
      handle.db,
      {
        ...gangsRequest,
        regime: "foi",
        receivedDate: "2023-02-30",
        requester: { name: "X", email: "not-an-email" },
      },
      staff.officer,
      at("2023-03-01"),
    );
    await expect(attempt).rejects.toMatchObject({
      code: "invalid",
      problems: expect.arrayContaining([
        expect.objectContaining({ field: "regime" }),
        expect.objectContaining({ field: "receivedDate" }),
        expect.objectContaining({ field: "requester.email" }),
      ]),
    });
    const after = await handle.db
      .selectFrom("requests")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("works a request from receipt to a recorded outcome, four-eyes included, with the clock following", async () => {
    const { id } = await createRequest(
      handle.db,
      { ...gangsRequest, teamId: staff.teams.gangs },
      staff.officer,
      at("2022-12-01"),
    );
    let version = 1;
    const act = async (action: object, actor: Actor, day: string) => {
      const result = await performAction(handle.db, id, action, version, actor, at(day));
      version = result.version;
      return result;
    };
    await act({ type: "acknowledge" }, staff.officer, "2022-12-01");
    await act({ type: "assign", assigneeId: staff.officer.userId }, staff.officer, "2022-12-01");
    await act({ type: "start-work" }, staff.officer, "2022-12-02");
    const stopped = await act(
      { type: "request-clarification", date: "2022-12-05", note: "Which years?" },
      staff.officer,
      "2022-12-05",
    );
    expect(stopped.state).toBe("awaiting-clarification");
    const restarted = await act(
      { type: "receive-clarification", date: "2022-12-12" },
      staff.officer,
      "2022-12-12",
    );
    // FOIA s.1(3): the 20 working days start again from the day the clarification arrives.
    expect(restarted.dueDate).toBe(computeDeadline({ regime: "foia", received: "2022-12-12" }).dueDate);
    // FOIA s.17: no outcome without the reply that is the notice, even one that needs no sign-off.
    await expect(
      performAction(
        handle.db,
        id,
        { type: "record-outcome", outcome: "granted-in-full", date: "2023-01-05" },
        version,
        staff.officer,
        at("2023-01-05"),
      ),
    ).rejects.toThrow(/a FOIA request is answered only by sending its reply/);
    const saved = await saveReplyDraft(
      handle.db,
      id,
      sampleReply(
        {
          ...(await requestDetail(handle.db, { id }, staff.officer, at("2023-01-05"))).request,
          outcome: "partially-withheld",
        },
        "2023-01-05",
      ),
      version,
      staff.officer,
      at("2023-01-05"),
    );
    version = saved.version;
    expect(saved.problems).toEqual([]);
    await act({ type: "submit-for-approval", outcome: "partially-withheld" }, staff.officer, "2023-01-05");
    await expect(
      performAction(handle.db, id, { type: "approve" }, version, staff.officer, at("2023-01-05")),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    await act({ type: "approve" }, staff.approver, "2023-01-06");
    // Approved, and still no outcome without sending the reply.
    await expect(
      performAction(
        handle.db,
        id,
        { type: "record-outcome", outcome: "partially-withheld", date: "2023-01-06" },
        version,
        staff.officer,
        at("2023-01-06"),
      ),
    ).rejects.toThrow(/answered only by sending its reply/);
    const responded = await sendReply(
      handle.db,
      memoryFileStore(),
      recordOnlyMailer,
      id,
      version,
      staff.officer,
      at("2023-01-06"),
      { name: "Test Constabulary", address: "1 Street" },
    );
    expect(responded.state).toBe("responded");
    const detail = await requestDetail(handle.db, { id }, staff.officer, at("2023-01-06"));
    expect(detail.request.outcome).toBe("partially-withheld");
    expect(detail.timeline.map((entry) => `${entry.label} by ${entry.actor}`)).toEqual([
      "Request logged by Olu Officer",
      "Request acknowledged by Olu Officer",
      "Assign by Olu Officer",
      "Start work by Olu Officer",
      "Log clarification sent by Olu Officer",
      "Log clarification received by Olu Officer",
      "Reply drafted by Olu Officer",
      "Submit for approval by Olu Officer",
      "Approve by Ada Approver",
      "Reply sent by Olu Officer",
      "Record the outcome by Olu Officer",
    ]);
    expect(detail.actions.map((action) => action.type)).toContain("request-review");
  });

  it("stops a subject access clock while proof of identity is awaited, and starts the month again from its arrival", async () => {
    const team = (
      await handle.db
        .insertInto("teams")
        .values({ name: "Identity" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    const { id } = await createRequest(
      handle.db,
      { ...gangsRequest, regime: "sar", receivedDate: "2024-05-10", teamId: team },
      staff.officer,
      at("2024-05-10"),
    );
    let version = 1;
    const act = async (action: object, day: string) => {
      const result = await performAction(handle.db, id, action, version, staff.officer, at(day));
      version = result.version;
      return result;
    };
    await act({ type: "acknowledge" }, "2024-05-10");
    const asked = await act(
      { type: "request-identity", date: "2024-05-13", note: "A copy of a utility bill at the home address" },
      "2024-05-13",
    );
    expect(asked.state).toBe("awaiting-identity");
    const queue = await workQueue(handle.db, { teamId: team }, at("2024-06-25"), everyone);
    expect(queue.rows.map((row) => [row.state, row.clock_stopped, row.overdue])).toEqual([
      ["awaiting-identity", true, false],
    ]);
    await expect(act({ type: "identity-received", date: "2024-05-12" }, "2024-05-20")).rejects.toMatchObject({
      code: "invalid",
      field: "date",
    });
    // UK GDPR Art.12(6), ICO guidance: the month runs from the day the proof of identity arrives.
    const received = await act({ type: "identity-received", date: "2024-05-20" }, "2024-05-20");
    expect(received).toMatchObject({ state: "in-progress", dueDate: "2024-06-20" });
    const detail = await requestDetail(handle.db, { id }, staff.officer, at("2024-05-20"));
    expect(detail.timeline.map((entry) => entry.label).slice(-2)).toEqual([
      "Log proof of identity asked for",
      "Log proof of identity received",
    ]);
    expect(detail.timeline.at(-2)?.details).toMatchObject({
      note: "A copy of a utility bill at the home address",
    });
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);

    const foia = await createRequest(handle.db, gangsRequest, staff.officer, at("2024-05-10"));
    await expect(
      performAction(
        handle.db,
        foia.id,
        { type: "request-identity", date: "2024-05-13", note: "Passport" },
        1,
        staff.officer,
        at("2024-05-13"),
      ),
    ).rejects.toThrow(/proof of identity is asked for only for a subject access request/);
  });

  it("refuses an action not allowed from the state and says what is allowed instead", async () => {
    const { id } = await createRequest(handle.db, gangsRequest, staff.officer, at("2022-12-01"));
    const attempt = performAction(
      handle.db,
      id,
      { type: "decide-review", reviewOutcome: "upheld", date: "2022-12-02" },
      1,
      staff.officer,
      at("2022-12-02"),
    );
    await expect(attempt).rejects.toMatchObject({ code: "conflict" });
    await expect(attempt).rejects.toThrow(
      /not allowed when a request is received; allowed from here: acknowledge/,
    );
  });

  it("refuses a stale update and overwrites nothing", async () => {
    const { id } = await createRequest(handle.db, gangsRequest, staff.officer, at("2022-12-01"));
    await performAction(handle.db, id, { type: "acknowledge" }, 1, staff.approver, at("2022-12-01"));
    const stale = performAction(handle.db, id, { type: "start-work" }, 1, staff.officer, at("2022-12-01"));
    await expect(stale).rejects.toThrow(/changed by Ada Approver at .*; reload/);
    const detail = await requestDetail(handle.db, { id }, staff.officer, at("2022-12-01"));
    expect(detail.request.state).toBe("acknowledged");
    expect(detail.request.version).toBe(2);
  });

  it("leaves the request exactly as it was when an action fails part-way", async () => {
    const { id } = await createRequest(handle.db, gangsRequest, staff.officer, at("2022-12-01"));
    const attempt = performAction(
      handle.db,
      id,
      { type: "assign", assigneeId: 999_999 },
      1,
      staff.manager,
      at("2022-12-01"),
    );
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    const detail = await requestDetail(handle.db, { id }, staff.officer, at("2022-12-01"));
    expect(detail.request.version).toBe(1);
    expect(detail.timeline).toHaveLength(1);
  });

  it("lets an officer take a request but not hand it to someone else", async () => {
    const { id } = await createRequest(handle.db, gangsRequest, staff.officer, at("2022-12-01"));
    await expect(
      performAction(
        handle.db,
        id,
        { type: "assign", assigneeId: staff.approver.userId },
        1,
        staff.officer,
        at("2022-12-01"),
      ),
    ).rejects.toThrow(/only to themselves/);
    const assigned = await performAction(
      handle.db,
      id,
      { type: "assign", assigneeId: staff.approver.userId },
      1,
      staff.manager,
      at("2022-12-01"),
    );
    expect(assigned.version).toBe(2);
  });

  it("lets an officer log a request for themselves but not allocate it to someone else", async () => {
    await expect(
      createRequest(
        handle.db,
        { ...gangsRequest, assigneeId: staff.approver.userId },
        staff.officer,
        at("2022-12-01"),
      ),
    ).rejects.toMatchObject({ code: "forbidden", field: "assigneeId" });
    const mine = await createRequest(
      handle.db,
      { ...gangsRequest, assigneeId: staff.officer.userId },
      staff.officer,
      at("2022-12-01"),
    );
    expect(mine.state).toBe("received");
    const allocated = await createRequest(
      handle.db,
      { ...gangsRequest, assigneeId: staff.officer.userId },
      staff.manager,
      at("2022-12-01"),
    );
    expect(allocated.state).toBe("received");
  });

  it("keeps a document in the file store, records it in the history, and refuses unknown kinds", async () => {
    const files = memoryFileStore();
    const { id } = await createRequest(handle.db, gangsRequest, staff.officer, at("2022-12-01"));
    const bytes = new TextEncoder().encode("%PDF-1.4 reply");
    const added = await addDocument(
      handle.db,
      files,
      id,
      { filename: "reply.pdf", bytes },
      staff.officer,
      at("2022-12-02"),
    );
    expect(added).toMatchObject({
      filename: "reply.pdf",
      mediaType: "application/pdf",
      sizeBytes: bytes.length,
    });
    const read = await readDocument(handle.db, files, id, added.id, staff.officer, at("2022-12-02"));
    expect(Buffer.from(read.bytes).toString()).toBe("%PDF-1.4 reply");
    const detail = await requestDetail(handle.db, { id }, staff.officer, at("2022-12-02"));
    expect(detail.request.version).toBe(2);
    expect(detail.timeline.at(-1)).toMatchObject({
      label: "Document added",
      details: { filename: "reply.pdf" },
    });
    await expect(
      addDocument(handle.db, files, id, { filename: "setup.exe", bytes }, staff.officer, at("2022-12-02")),
    ).rejects.toMatchObject({ code: "invalid", field: "file" });
    await expect(
      readDocument(handle.db, files, id, added.id + 1000, staff.officer, at("2022-12-02")),
    ).rejects.toMatchObject({
      code: "not-found",
    });
  });

  it("keeps one requester per email address, even when their requests arrive at once", async () => {
    const requester = { name: "Cass Concurrent", email: "Cass@Example.org" };
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        createRequest(
          handle.db,
          {
            ...gangsRequest,
            body: `Question ${index}`,
            requester: { ...requester, email: index % 2 ? "cass@example.org" : requester.email },
          },
          staff.officer,
          at("2022-12-01"),
        ),
      ),
    );
    const ids = await handle.db
      .selectFrom("requests")
      .select("requester_id")
      .where(
        "id",
        "in",
        created.map((c) => c.id),
      )
      .distinct()
      .execute();
    expect(ids).toHaveLength(1);
  });

  it("gives unique, gap-free references to concurrent creators", async () => {
    const creations = Array.from({ length: 25 }, (_, index) =>
      createRequest(
        handle.db,
        { ...gangsRequest, regime: "eir", receivedDate: "2021-03-01", body: `Air quality ${index}` },
        staff.officer,
        at("2021-03-01"),
      ),
    );
    const references = (await Promise.all(creations)).map((created) => created.reference).sort();
    expect(new Set(references).size).toBe(25);
    expect(references).toEqual(
      Array.from({ length: 25 }, (_, index) => `01.EIR.21.${String(index + 1).padStart(6, "0")}`),
    );
  });

  it("verifies the whole history and names the first broken link after tampering", async () => {
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
    const { id, reference } = await createRequest(handle.db, gangsRequest, staff.officer, at("2022-12-01"));
    await performAction(handle.db, id, { type: "acknowledge" }, 1, staff.officer, at("2022-12-01"));
    await performAction(
      handle.db,
      id,
      { type: "add-note", note: "Called the requester" },
      2,
      staff.officer,
      at("2022-12-02"),
    );
    await handle.db
      .updateTable("request_events")
      .set({ payload: JSON.stringify({ note: "Never called" }) })
      .where("request_id", "=", id)
      .where("seq", "=", 3)
      .execute();
    expect(await verifyAuditChain(handle.db, 7)).toMatchObject({
      ok: false,
      reference,
      seq: 3,
      reason: expect.stringMatching(/hash/),
    });
    await handle.db.deleteFrom("request_events").where("request_id", "=", id).where("seq", "=", 3).execute();
    expect(await verifyAuditChain(handle.db)).toMatchObject({
      ok: false,
      reference,
      reason: expect.stringMatching(/version 3/),
    });
    // Leave the database's history whole again for the tests that follow.
    await handle.db.updateTable("requests").set({ version: 2 }).where("id", "=", id).execute();
  });

  it("shows the work queue soonest due first, with overdue and due-soon counts and filters", async () => {
    const team = (
      await handle.db.insertInto("teams").values({ name: "Queue" }).returning("id").executeTakeFirstOrThrow()
    ).id;
    const received = ["2022-10-03", "2022-11-10", "2022-11-28", "2022-12-01"];
    for (const date of received) {
      await createRequest(
        handle.db,
        { ...gangsRequest, receivedDate: date, teamId: team },
        staff.officer,
        at("2022-12-01"),
      );
    }
    const queue = await workQueue(handle.db, { teamId: team }, at("2022-12-05"), everyone);
    expect(queue.rows.map((row) => row.received_date)).toEqual(received);
    expect(queue.counts.open).toBe(4);
    expect(queue.counts.overdue).toBe(1);
    expect(queue.rows[0]!.overdue).toBe(true);
    expect(queue.rows[0]!.daysLeft).toBeLessThan(0);
    expect(queue.rows[0]!.unit).toBe("working");
    const overdue = await workQueue(handle.db, { teamId: team, overdue: true }, at("2022-12-05"), everyone);
    expect(overdue.rows.map((row) => row.received_date)).toEqual(["2022-10-03"]);
    expect(overdue.total).toBe(1);
    const dueSoon = await workQueue(
      handle.db,
      { teamId: team, dueWithinWorkingDays: 5 },
      at("2022-12-05"),
      everyone,
    );
    expect(dueSoon.rows.map((row) => row.received_date)).toEqual(["2022-10-03", "2022-11-10"]);
    expect(queue.counts.dueSoon).toBe(1);
    const paged = await workQueue(
      handle.db,
      { teamId: team, pageSize: 3, page: 2 },
      at("2022-12-05"),
      everyone,
    );
    expect(paged.rows).toHaveLength(1);
    expect(paged.pages).toBe(2);
  });

  it("extends only with the requester told within the original time, and records the notice (FOIA s.10(3), s.17(2); UK GDPR Art.12(3))", async () => {
    const extend = async (regime: string, received: string, day: string, extension: string) => {
      const { id } = await createRequest(
        handle.db,
        { ...gangsRequest, regime, receivedDate: received },
        staff.officer,
        at(received),
      );
      const started = await performAction(
        handle.db,
        id,
        { type: "start-work" },
        1,
        staff.officer,
        at(received),
      );
      return performAction(
        handle.db,
        id,
        { type: "extend", extension, reason: "More time", date: day, notice: "Notice sent by email" },
        started.version,
        staff.officer,
        at(day),
      ).then(
        async (result) => ({
          result,
          detail: await requestDetail(handle.db, { id }, staff.officer, at(day)),
        }),
        (error: DomainError) => ({ error, id }),
      );
    };
    // Received Thu 1 Dec 2022, due Wed 4 Jan 2023 (FOIA s.10(1)): claimed on 5 January, too late.
    const late = await extend("foia", "2022-12-01", "2023-01-05", "pit");
    expect("error" in late && late.error.message).toBe(
      "an extension must be claimed, and the requester told with the refusal notice saying the public interest test needs more time, with the date you expect to decide, by the original due date, Wed 4 Jan 2023 (FOIA s.10(3) and s.17(2)). That date has passed, so the request is late: send the reply as soon as you can",
    );
    if ("id" in late) {
      const detail = await requestDetail(handle.db, { id: late.id }, staff.officer, at("2023-01-05"));
      expect(detail.request.due_date).toBe("2023-01-04");
      expect(detail.overdue).toBe(true);
    }
    // Claimed in time: 20 further working days, with the notice and its date in the history.
    const inTime = await extend("foia", "2022-12-01", "2022-12-20", "pit");
    expect("result" in inTime && inTime.result.dueDate).toBe("2023-02-01");
    if ("detail" in inTime)
      expect(inTime.detail.timeline.at(-1)?.details).toMatchObject({
        date: "2022-12-20",
        notice: "Notice sent by email",
      });
    // Subject access: received 31 January 2023, due Tue 28 February; told on 1 March is too late.
    const sar = await extend("sar", "2023-01-31", "2023-03-01", "sar");
    expect("error" in sar && sar.error.message).toMatch(
      /by the original due date, Tue 28 Feb 2023 \(UK GDPR Art\.12\(3\)\)/,
    );
    const eir = await extend("eir", "2022-12-01", "2023-01-06", "eir-complex");
    expect("error" in eir && eir.error.message).toMatch(/\(EIR reg 7\(3\) \(EISR reg 7\(2\)\)\)/);
  });

  it("lapses a fees notice unpaid after three months by itself, and refuses a later payment saying why (FOIA s.9(2))", async () => {
    const { id } = await createRequest(
      handle.db,
      { ...gangsRequest, receivedDate: "2023-03-01" },
      staff.officer,
      at("2023-03-01"),
    );
    let version = (
      await performAction(handle.db, id, { type: "start-work" }, 1, staff.officer, at("2023-03-01"))
    ).version;
    version = (
      await performAction(
        handle.db,
        id,
        { type: "issue-fees-notice", date: "2023-03-10", amountPence: 2450 },
        version,
        staff.officer,
        at("2023-03-10"),
      )
    ).version;
    // The last day to pay is Fri 9 June: still awaited, read or not.
    expect((await requestDetail(handle.db, { id }, staff.officer, at("2023-06-09"))).request.state).toBe(
      "awaiting-fee",
    );
    // A payment logged on 10 June (before anyone has read the request) is refused with the reason.
    await expect(
      performAction(
        handle.db,
        id,
        { type: "receive-fee", date: "2023-06-10" },
        version,
        staff.officer,
        at("2023-06-12"),
      ),
    ).rejects.toThrow(
      "the fees notice of Fri 10 Mar 2023 lapsed on Sat 10 Jun 2023: a fee not paid within three months of the notice (FOIA s.9(2)) cannot be accepted, and the request need not be answered. Return the payment, and tell the requester they may make a new request",
    );
    // Read on Mon 12 June, the request has lapsed by itself, dated the day the three months ended.
    const detail = await requestDetail(handle.db, { id }, staff.officer, at("2023-06-12"));
    expect(detail.request.state).toBe("lapsed");
    expect(detail.timeline.at(-1)).toMatchObject({
      type: "lapse",
      actor: "foidesk",
      details: { date: "2023-06-10", reason: expect.stringContaining("FOIA s.9(2)") },
    });
    expect(detail.overdue).toBe(false);
    // Reading it again changes nothing.
    const again = await requestDetail(handle.db, { id }, staff.officer, at("2023-06-13"));
    expect(again.request.version).toBe(detail.request.version);
    // An EIR advance payment (reg 8) has no such period: it waits.
    const eir = await createRequest(
      handle.db,
      { ...gangsRequest, regime: "eir", receivedDate: "2023-03-01" },
      staff.officer,
      at("2023-03-01"),
    );
    const started = await performAction(
      handle.db,
      eir.id,
      { type: "start-work" },
      1,
      staff.officer,
      at("2023-03-01"),
    );
    await performAction(
      handle.db,
      eir.id,
      { type: "issue-fees-notice", date: "2023-03-10", amountPence: 2450 },
      started.version,
      staff.officer,
      at("2023-03-10"),
    );
    expect(await lapseUnpaidFees(handle.db, at("2023-09-01"))).not.toContain(eir.reference);
    expect(
      (await requestDetail(handle.db, { id: eir.id }, staff.officer, at("2023-09-01"))).request.state,
    ).toBe("awaiting-fee");
  });

  it("puts the regulator stage's own deadlines on the queue, never the original reply's (FOIA s.50, s.57)", async () => {
    const team = (
      await handle.db
        .insertInto("teams")
        .values({ name: "Regulator" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    const { id } = await createRequest(
      handle.db,
      { ...gangsRequest, receivedDate: "2024-01-08", teamId: team },
      staff.officer,
      at("2024-01-08"),
    );
    let version = (
      await performAction(handle.db, id, { type: "start-work" }, 1, staff.officer, at("2024-01-09"))
    ).version;
    version = await answerRequest(handle.db, id, version, { officer: staff.officer }, at("2024-01-20"));
    const act = async (action: object, day: string, who = staff.manager) => {
      const result = await performAction(handle.db, id, action, version, who, at(day));
      version = result.version;
      return result;
    };
    await act({ type: "request-review", date: "2024-02-01", grounds: "Disagree" }, "2024-02-01");
    // The review is decided by sending its letter (by someone not involved in the reply).
    version = await reviewRequest(handle.db, id, version, staff.manager, "upheld", at("2024-02-20"));
    await expect(act({ type: "record-complaint", date: "2024-03-01" }, "2024-03-01")).rejects.toMatchObject({
      field: "regulatorReference",
    });
    await act(
      { type: "record-complaint", date: "2024-03-01", regulatorReference: "IC-1234-A1B2" },
      "2024-03-01",
    );
    // Months later, under consideration by the regulator: nothing of ours is overdue.
    let queue = await workQueue(handle.db, { teamId: team }, at("2024-07-01"), staff.officer);
    expect(queue.rows[0]).toMatchObject({ due_date: null, overdue: false });
    expect(queue.counts.overdue).toBe(0);
    await expect(
      act(
        { type: "record-decision-notice", result: "upheld", date: "2024-07-01", steps: "Disclose" },
        "2024-07-01",
      ),
    ).rejects.toMatchObject({ field: "complianceDate" });
    await act(
      {
        type: "record-decision-notice",
        result: "upheld",
        date: "2024-07-01",
        regulatorReference: "IC-1234-A1B2",
        steps: "Disclose the figures for each borough",
        complianceDate: "2024-08-05",
      },
      "2024-07-01",
    );
    queue = await workQueue(handle.db, { teamId: team }, at("2024-08-06"), staff.officer);
    expect(queue.rows[0]).toMatchObject({
      due_date: "2024-08-05",
      deadlineKind: "compliance",
      overdue: true,
    });
    expect(queue.rows[0]!.daysLeft).toBe(-1);
    const page = await requestDetail(handle.db, { id }, staff.officer, at("2024-08-06"));
    expect(page.standing).toMatchObject({ kind: "compliance", overdue: true, unit: "calendar" });
    await expect(act({ type: "close-regulator-stage" }, "2024-08-06")).rejects.toThrow(
      /steps have not been logged as taken \(FOIA s\.54, FOISA s\.53\)/,
    );
    await act({ type: "record-compliance", date: "2024-08-06" }, "2024-08-06");
    // Then the appeal window: 28 days from the notice (1 July), which closes rather than falls overdue.
    queue = await workQueue(handle.db, { teamId: team }, at("2024-08-07"), staff.officer);
    expect(queue.rows[0]).toMatchObject({ due_date: "2024-07-29", deadlineKind: "appeal", overdue: false });
    expect(queue.counts.overdue).toBe(0);
    expect(
      (await workQueue(handle.db, { teamId: team, overdue: true }, at("2024-08-07"), staff.officer)).total,
    ).toBe(0);
    const closed = await act({ type: "close-regulator-stage" }, "2024-08-07");
    expect(closed.state).toBe("regulator-closed");
    expect((await workQueue(handle.db, { teamId: team }, at("2024-08-07"), staff.officer)).total).toBe(0);
  });

  it("gives FOISA's decision notice 42 days to appeal to the Court of Session (s.56), and logs the appeal and its outcome", async () => {
    const { id } = await createRequest(
      handle.db,
      { ...gangsRequest, regime: "foisa", receivedDate: "2024-01-08" },
      staff.officer,
      at("2024-01-08"),
    );
    let version = (
      await performAction(handle.db, id, { type: "start-work" }, 1, staff.officer, at("2024-01-09"))
    ).version;
    version = await answerRequest(handle.db, id, version, { officer: staff.officer }, at("2024-01-20"));
    version = (
      await performAction(
        handle.db,
        id,
        { type: "request-review", date: "2024-02-01", grounds: "Disagree" },
        version,
        staff.manager,
        at("2024-02-01"),
      )
    ).version;
    version = await reviewRequest(handle.db, id, version, staff.manager, "upheld", at("2024-02-20"));
    for (const [action, day] of [
      [{ type: "record-complaint", date: "2024-03-01", regulatorReference: "SIC-201" }, "2024-03-01"],
      [{ type: "record-decision-notice", result: "not-upheld", date: "2024-07-01" }, "2024-07-01"],
    ] as const) {
      version = (await performAction(handle.db, id, action, version, staff.manager, at(day))).version;
    }
    const detail = await requestDetail(handle.db, { id }, staff.officer, at("2024-07-02"));
    expect(detail.request.due_date).toBe("2024-08-12");
    expect(detail.standing).toMatchObject({ kind: "appeal", daysLeft: 41 });
    const appealed = await performAction(
      handle.db,
      id,
      { type: "record-appeal", date: "2024-07-20", appellant: "requester", tribunalReference: "XA12/24" },
      version,
      staff.manager,
      at("2024-07-20"),
    );
    expect(appealed).toMatchObject({ state: "tribunal-appeal", dueDate: null });
    const decided = await performAction(
      handle.db,
      id,
      { type: "record-tribunal-outcome", date: "2025-01-20", tribunalResult: "dismissed" },
      appealed.version,
      staff.manager,
      at("2025-01-20"),
    );
    expect(decided.state).toBe("tribunal-decided");
  });

  it("refuses approval by anyone who edited the draft since it was last returned, and a SAR's move to FOIA by an officer", async () => {
    const { id } = await createRequest(handle.db, gangsRequest, staff.officer, at("2022-12-01"));
    let version = (
      await performAction(handle.db, id, { type: "start-work" }, 1, staff.officer, at("2022-12-01"))
    ).version;
    const row = (await requestDetail(handle.db, { id }, staff.officer, at("2022-12-02"))).request;
    const draft = sampleReply({ ...row, outcome: "withheld-in-full" }, "2022-12-02");
    version = (await saveReplyDraft(handle.db, id, draft, version, staff.officer, at("2022-12-02"))).version;
    version = (await submitReply(handle.db, id, version, staff.officer, at("2022-12-02"))).version;
    version = (
      await performAction(
        handle.db,
        id,
        { type: "return-for-changes", note: "Redo" },
        version,
        staff.approver,
        at("2022-12-02"),
      )
    ).version;
    // The approver edits the returned draft herself, and the officer submits it: she may not approve it.
    version = (await saveReplyDraft(handle.db, id, draft, version, staff.approver, at("2022-12-03"))).version;
    version = (await submitReply(handle.db, id, version, staff.officer, at("2022-12-03"))).version;
    await expect(
      performAction(handle.db, id, { type: "approve" }, version, staff.approver, at("2022-12-03")),
    ).rejects.toThrow(
      /you wrote or edited this draft since it was last returned, so another approver must sign it off/,
    );
    expect(
      (await performAction(handle.db, id, { type: "approve" }, version, staff.manager, at("2022-12-03")))
        .state,
    ).toBe("approved");

    const sar = await createRequest(
      handle.db,
      { ...gangsRequest, regime: "sar" },
      staff.officer,
      at("2022-12-01"),
    );
    const change = { type: "change-regime", regime: "foia", reason: "Not their own data" };
    await expect(
      performAction(handle.db, sar.id, change, 1, staff.officer, at("2022-12-02")),
    ).rejects.toThrow(/only a manager can move it to another law/);
    expect((await performAction(handle.db, sar.id, change, 1, staff.manager, at("2022-12-02"))).state).toBe(
      "received",
    );
  });

  it("gives the same days left on the work queue, the request page and the API for FOISA, on Scotland's calendar with imported holidays", async () => {
    const team = (
      await handle.db
        .insertInto("teams")
        .values({ name: "Scotland" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    // An imported Scottish holiday on Mon 1 September 2025; England's summer bank holiday (Mon 25 August)
    // is not a working-day break under FOISA s.73.
    const holidays = { scotland: [{ date: "2025-09-01", title: "Extra" }] };
    await handle.db
      .updateTable("authority")
      .set({ imported_holidays: JSON.stringify(holidays) })
      .execute();
    try {
      const { id } = await createRequest(
        handle.db,
        { ...gangsRequest, regime: "foisa", receivedDate: "2025-08-18", teamId: team },
        staff.officer,
        at("2025-08-18"),
      );
      const expected = computeDeadline(
        { regime: "foisa", received: "2025-08-18" },
        { extraHolidays: holidays as never },
      );
      const queue = await workQueue(handle.db, { teamId: team }, at("2025-08-20"), staff.officer);
      const detail = await requestDetail(handle.db, { id }, staff.officer, at("2025-08-20"));
      expect(detail.deadline?.dueDate).toBe(expected.dueDate);
      // Thu 21 Aug .. due date, Scottish working days, less the imported holiday: 18 left on Wed 20 August.
      expect(detail.standing?.daysLeft).toBe(18);
      expect(queue.rows[0]!.daysLeft).toBe(18);
      expect(queue.rows[0]!.due_date).toBe(expected.dueDate);
    } finally {
      await handle.db.updateTable("authority").set({ imported_holidays: null }).execute();
    }
  });

  it("warns on a requester's page when a request repeats an earlier one within 60 working days", async () => {
    const requester = { name: "Rae Repeat", email: "rae@example.org" };
    const first = await createRequest(
      handle.db,
      { ...gangsRequest, requester, receivedDate: "2022-09-01" },
      staff.officer,
      at("2022-09-01"),
    );
    const second = await createRequest(
      handle.db,
      { ...gangsRequest, requester, receivedDate: "2022-10-03" },
      staff.officer,
      at("2022-10-03"),
    );
    const history = await requesterHistory(
      handle.db,
      (await requestDetail(handle.db, { id: first.id }, staff.officer, at("2022-10-03"))).request
        .requester_id,
      staff.officer,
    );
    expect(history.requests.map((request) => request.reference)).toEqual([second.reference, first.reference]);
    expect(history.warnings).toEqual([
      expect.objectContaining({
        about: second.reference,
        reference: first.reference,
        kind: "repeated",
        message: expect.stringMatching(/s\.14\(2\)/),
      }),
    ]);
  });
});
