import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { recordOnlyMailer } from "../mail/index.ts";
import {
  type Actor,
  createRequest,
  type Outcome,
  performAction,
  saveReplyDraft,
  sendReply,
  submitReply,
} from "../requests/index.ts";
import { answerRequest, reviewRequest } from "../requests/testing.ts";
import { gangsReplyInput, type ReplyInput, westmarchLetterhead } from "../responses/index.ts";
import { memoryFileStore } from "../storage/index.ts";
import { complianceReport, reportCsv } from "./index.ts";

// The report from the database: requests logged and moved through the requests service, one reply sent
// with its exemptions, and the report for the quarter read back on both backends.

const at = (date: string) => new Date(`${date}T10:00:00Z`);

describe.each(testBackends())("the compliance report on $name", (backend) => {
  let handle: DatabaseHandle;
  let officer: Actor;
  let approver: Actor;
  let reviewer: Actor;

  beforeAll(async () => {
    handle = await backend.open();
    const db = handle.db;
    await db.insertInto("authority").values({ name: "Westmarch Constabulary" }).execute();
    const [team] = await db
      .insertInto("teams")
      .values([{ name: "Disclosure" }])
      .returning("id")
      .execute();
    const users = await db
      .insertInto("users")
      .values([
        {
          username: "o",
          display_name: "Olu Officer",
          role: "officer",
          team_id: team!.id,
          password_hash: "x",
        },
        {
          username: "a",
          display_name: "Abi Approver",
          role: "approver",
          team_id: team!.id,
          password_hash: "x",
        },
        {
          username: "m",
          display_name: "Mo Manager",
          role: "manager",
          team_id: team!.id,
          password_hash: "x",
        },
      ])
      .returning(["id", "display_name", "role"])
      .execute();
    [officer, approver, reviewer] = users.map(
      (user): Actor => ({ userId: user.id, label: user.display_name, role: user.role }),
    ) as [Actor, Actor, Actor];

    const log = async (receivedDate: string, regime = "foia") => {
      const created = await createRequest(
        db,
        {
          regime,
          channel: "email",
          receivedDate,
          body: "1. How many known gangs are there in each London borough?\n2. How many have under-18s in them?",
          requester: { name: "Priya Raman", email: "priya.raman@example.org", type: "journalist" },
          teamId: team!.id,
          assigneeId: officer.userId!,
        },
        officer,
        at(receivedDate),
      );
      return { id: created.id, version: 1 };
    };
    const act = async (
      request: { id: number; version: number },
      action: Record<string, unknown>,
      date: string,
      who = officer,
    ) => {
      // An answer is a reply drafted and sent (the only way a request is answered).
      request.version =
        action.type === "record-outcome"
          ? await answerRequest(
              db,
              request.id,
              request.version,
              { officer: who, approver, outcome: action.outcome as Outcome },
              at(date),
            )
          : (await performAction(db, request.id, action, request.version, who, at(date))).version;
    };

    // Received Mon 2 March 2026, answered on working day 20 (Tue 31 March): in time.
    const onTime = await log("2026-03-02");
    await act(onTime, { type: "start-work" }, "2026-03-03");
    await act(
      onTime,
      { type: "record-outcome", outcome: "granted-in-full", date: "2026-03-31" },
      "2026-03-31",
    );
    // The same, answered on day 21: late.
    const late = await log("2026-03-02");
    await act(late, { type: "start-work" }, "2026-03-03");
    await act(late, { type: "record-outcome", outcome: "not-held", date: "2026-04-01" }, "2026-04-01");
    // A clarification: asked Thu 5 March, received Thu 12 March, the count restarts; answered Fri 10 April, day 18.
    const clarified = await log("2026-03-02");
    await act(
      clarified,
      { type: "request-clarification", date: "2026-03-05", note: "Which years?" },
      "2026-03-05",
    );
    await act(clarified, { type: "receive-clarification", date: "2026-03-12" }, "2026-03-12");
    await act(
      clarified,
      { type: "record-outcome", outcome: "granted-in-full", date: "2026-04-10" },
      "2026-04-10",
    );
    // Still open and overdue at the end of the quarter.
    const open = await log("2026-03-02", "eir");
    await act(open, { type: "start-work" }, "2026-03-03");
    // The gangs reply, sent with s.31(1)(a)(b), approved by someone else, on Tue 24 March.
    const replied = await log("2026-03-02");
    await act(replied, { type: "start-work" }, "2026-03-03");
    const {
      reference: _r,
      regime: _g,
      date: _d,
      receivedDate: _rd,
      requester: _q,
      ...draft
    } = gangsReplyInput;
    const saved = await saveReplyDraft(
      db,
      replied.id,
      draft as ReplyInput,
      replied.version,
      officer,
      at("2026-03-20"),
    );
    const submitted = await submitReply(db, replied.id, saved.version, officer, at("2026-03-20"));
    const approved = await performAction(
      db,
      replied.id,
      { type: "approve" },
      submitted.version,
      approver,
      at("2026-03-23"),
    );
    const sent = await sendReply(
      db,
      memoryFileStore(),
      recordOnlyMailer,
      replied.id,
      approved.version,
      officer,
      at("2026-03-24"),
      westmarchLetterhead,
    );
    replied.version = sent.version;
    // Its internal review: asked Wed 1 April, decided Thu 30 April (day 20), overturned in part.
    await act(
      replied,
      { type: "request-review", date: "2026-04-01", grounds: "I do not accept s.31." },
      "2026-04-01",
    );
    // Decided by someone not involved in the reply: not its author, not its approver (s.45 code, part 5).
    await expect(
      reviewRequest(db, replied.id, replied.version, approver, "partly-overturned", at("2026-04-30")),
    ).rejects.toThrow(/you took part in the original decision/);
    // Decided by sending the review letter.
    replied.version = await reviewRequest(
      db,
      replied.id,
      replied.version,
      reviewer,
      "partly-overturned",
      at("2026-04-30"),
    );
  });
  afterAll(async () => handle?.close());

  it("reports the first quarter's timeliness, backlog, outcomes and exemptions", async () => {
    const report = await complianceReport(
      handle.db,
      { from: "2026-01-01", to: "2026-03-31" },
      at("2026-05-06"),
    );
    const foia = report.timeliness.find((row) => row.regime === "foia");
    expect(foia).toMatchObject({ received: 4, answered: 2, metDeadline: 2, late: 0, percentInTime: 100 });
    expect(report.backlogDate).toBe("2026-03-31");
    // The EIR request is due on 31 March itself: open, not yet overdue.
    expect(report.backlog).toMatchObject({ open: 3, overdue: 0 });
    expect(report.backlog.byTeam).toEqual([{ name: "Disclosure", open: 3, overdue: 0 }]);
    expect(report.backlog.byOfficer).toEqual([{ name: "Olu Officer", open: 3, overdue: 0 }]);
    expect(report.exemptions.rows.map((row) => [row.label, row.requests])).toEqual([
      ["Section 31(1)(a) Law enforcement", 1],
      ["Section 31(1)(b) Law enforcement", 1],
    ]);
    expect(report.cabinetOffice).toMatchObject({
      Quarter: "2026 Q1",
      "Total requests received": 5,
      Processed: 4,
      "Not yet processed": 1,
      "Met deadline": 3,
      "Deadline exceeded": 1,
      "Granted in full": 2,
      "Partially withheld": 1,
      "Information not held": 1,
    });
  });

  it("reports the second quarter's late answer and the review decided in time", async () => {
    const report = await complianceReport(
      handle.db,
      { from: "2026-04-01", to: "2026-06-30" },
      at("2026-05-06"),
    );
    expect(report.timeliness.find((row) => row.regime === "foia")).toMatchObject({
      received: 0,
      answered: 2,
      metDeadline: 1,
      late: 1,
      percentInTime: 50,
      // 18 working days after the clarification (Easter falls inside), and 21.
      medianDays: 19.5,
    });
    expect(report.reviews).toMatchObject({ received: 1, decided: 1, within20: 1, percentInTime: 100 });
    expect(report.reviews.outcomes.find((o) => o.outcome === "partly-overturned")?.reviews).toBe(1);
    expect(report.backlogDate).toBe("2026-05-06");
    // Due 31 March; by Wed 6 May 23 working days have passed (Good Friday, Easter Monday, 4 May not counted).
    expect(report.backlog.oldest[0]).toMatchObject({ regime: "eir", daysOverdue: 23 });
  });

  it("never puts the requester or the reply's text in a download", async () => {
    const report = await complianceReport(
      handle.db,
      { from: "2026-01-01", to: "2026-06-30" },
      at("2026-05-06"),
    );
    const csv = reportTablesCsv(report);
    expect(csv).not.toMatch(/Priya|example\.org|gangs/i);
  });

  it("names the field of a bad date", async () => {
    await expect(
      complianceReport(handle.db, { from: "2026-13-01", to: "2026-03-31" }, at("2026-05-06")),
    ).rejects.toMatchObject({ code: "invalid", field: "from" });
  });
});

function reportTablesCsv(report: Awaited<ReturnType<typeof complianceReport>>): string {
  return (["timeliness", "backlog", "outcomes", "exemptions", "reviews", "cabinet-office"] as const)
    .map((table) => reportCsv(report, table))
    .join("\n");
}
