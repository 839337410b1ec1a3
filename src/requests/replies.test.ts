import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { excelWorkbook } from "../files/testing.ts";
import { testMailer } from "../mail/testing.ts";
import { complianceReport } from "../reporting/index.ts";
import { gangsReplyInput, type ReplyInput, westmarchLetterhead } from "../responses/index.ts";
import { memoryFileStore } from "../storage/index.ts";
import { makeCleanCopy } from "./file-release.ts";
import {
  type Actor,
  addDocument,
  createRequest,
  paragraphForRequest,
  paragraphLibrary,
  performAction,
  recordPosted,
  replyDelivery,
  replyFor,
  requestDetail,
  resendReplyEmail,
  saveParagraph,
  saveReplyDraft,
  sendReply,
  submitReply,
  verifyAuditChain,
} from "./index.ts";
import { refusalOf, threeStaff } from "./testing.ts";

// The reply through the service: drafted, locked while it awaits approval, refused with every problem when
// incomplete, approved by someone else, sent as stored letters and an email, and the outcome recorded.

const now = new Date("2026-03-12T10:00:00Z");

/** The gangs reply for a request logged here: the request's own questions, decisions as in the example. */
function gangsDraft(): ReplyInput {
  const { reference: _r, regime: _g, date: _d, receivedDate: _rd, requester: _q, ...rest } = gangsReplyInput;
  return rest as ReplyInput;
}

describe.each(testBackends())("replies on $name", (backend) => {
  let handle: DatabaseHandle;
  let officer: Actor;
  let approver: Actor;
  let manager: Actor;
  const files = memoryFileStore();

  beforeAll(async () => {
    handle = await backend.open();
    await handle.db
      .insertInto("authority")
      .values({ name: "Westmarch Constabulary", email: "foi@westmarch.police.example" })
      .execute();
    [officer, approver, manager] = await threeStaff(handle.db);
  });
  afterAll(async () => handle?.close());

  async function workedRequest(requester: Record<string, string> = {}) {
    const created = await createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: "2026-02-20",
        body: "1. How many known gangs are there in each London borough?\n2. How many known gangs are there in each London borough that have under 18's within them?",
        requester: {
          name: "Priya Raman",
          email: "priya.raman@westmarch-gazette.example",
          type: "journalist",
          ...requester,
        },
      },
      officer,
      new Date("2026-02-20T10:00:00Z"),
    );
    const started = await performAction(handle.db, created.id, { type: "start-work" }, 1, officer, now);
    return { id: created.id, version: started.version };
  }

  const refusal = refusalOf;

  it("drafts, submits, approves (not by its author) and sends the gangs reply", async () => {
    const request = await workedRequest();
    const saved = await saveReplyDraft(handle.db, request.id, gangsDraft(), request.version, officer, now);
    expect(saved.outcome).toBe("partially-withheld");
    expect(saved.problems).toEqual([]);
    const stored = await replyFor(handle.db, request.id);
    expect(stored?.reply?.requester.email).toBe("priya.raman@westmarch-gazette.example");
    expect(stored?.reply?.date).toBe("2026-03-12");

    // The reply decides the outcome: another one typed in is refused.
    const other = await refusal(
      performAction(
        handle.db,
        request.id,
        { type: "submit-for-approval", outcome: "granted-in-full" },
        saved.version,
        officer,
        now,
      ),
    );
    expect(other.message).toMatch(/the drafted reply's outcome is "Partially withheld"/);
    const submitted = await submitReply(handle.db, request.id, saved.version, officer, now, "Please check");
    expect(submitted.state).toBe("awaiting-approval");

    // Locked while it awaits approval.
    const locked = await refusal(
      saveReplyDraft(handle.db, request.id, gangsDraft(), submitted.version, officer, now),
    );
    expect(locked.code).toBe("conflict");
    expect(locked.message).toMatch(/"Draft the reply" is not allowed when a request is awaiting approval/);

    // Four-eyes: the author cannot approve, and an officer cannot send before approval.
    const own = await refusal(
      performAction(
        handle.db,
        request.id,
        { type: "approve" },
        submitted.version,
        { ...officer, role: "approver" },
        now,
      ),
    );
    expect(own.message).toMatch(/someone other than its author/);
    const early = await refusal(
      sendReply(
        handle.db,
        files,
        testMailer(handle.db, () => now),
        request.id,
        submitted.version,
        officer,
        now,
        westmarchLetterhead,
      ),
    );
    expect(early.code).toBe("conflict");

    // Returned with comments, the draft opens again; resubmitted, it is approved by the approver.
    const returned = await performAction(
      handle.db,
      request.id,
      { type: "return-for-changes", note: "Say when the figures were taken" },
      submitted.version,
      approver,
      now,
    );
    expect(returned.state).toBe("in-progress");
    const resaved = await saveReplyDraft(handle.db, request.id, gangsDraft(), returned.version, officer, now);
    const resubmitted = await submitReply(handle.db, request.id, resaved.version, officer, now);
    const approved = await performAction(
      handle.db,
      request.id,
      { type: "approve" },
      resubmitted.version,
      approver,
      now,
    );
    const mailer = testMailer(handle.db, () => now);
    const sent = await sendReply(
      handle.db,
      files,
      mailer,
      request.id,
      approved.version,
      officer,
      now,
      westmarchLetterhead,
    );
    expect(sent).toMatchObject({
      state: "responded",
      outcome: "partially-withheld",
      method: "email",
      emailed: true,
      emailError: null,
    });
    expect(mailer.queued).toHaveLength(1);
    const [message] = mailer.queued;
    expect(message!.to).toBe("priya.raman@westmarch-gazette.example");
    expect(message!.text).toContain("Section 31(1)(a)(b) Law enforcement");
    expect(message!.attachments?.map((file) => file.filename)).toEqual([
      `${(await replyFor(handle.db, request.id))!.reply!.reference}-reply.pdf`,
    ]);

    const detail = await requestDetail(handle.db, { id: request.id }, officer, now);
    expect(detail.request.state).toBe("responded");
    expect(detail.request.outcome).toBe("partially-withheld");
    const replyDocuments = detail.documents.filter((document) => document.part_of_reply);
    expect(replyDocuments.map((document) => document.media_type)).toEqual([
      "application/pdf",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]);
    expect(detail.timeline.map((entry) => [entry.type, entry.actor])).toEqual([
      ["created", "Olivia Okafor"],
      ["start-work", "Olivia Okafor"],
      ["draft-reply", "Olivia Okafor"],
      ["submit-for-approval", "Olivia Okafor"],
      ["return-for-changes", "Abi Patel"],
      ["draft-reply", "Olivia Okafor"],
      ["submit-for-approval", "Olivia Okafor"],
      ["approve", "Abi Patel"],
      ["send-reply", "Olivia Okafor"],
      ["record-outcome", "Olivia Okafor"],
    ]);
    expect((await replyFor(handle.db, request.id))?.sentAt).toEqual(now);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });

  it("refuses to submit, approve or send an incomplete reply, listing every problem", async () => {
    const request = await workedRequest();
    const defective = gangsDraft();
    const [application] = defective.exemptions!;
    defective.exemptions = [
      { ...application!, harm: { interest: "", reasoning: [] }, publicInterest: undefined },
    ];
    const saved = await saveReplyDraft(handle.db, request.id, defective, request.version, officer, now);
    expect(saved.problems.map((problem) => problem.field)).toEqual([
      "exemptions.0.harm.interest",
      "exemptions.0.harm.likelihood",
      "exemptions.0.harm.reasoning",
      "exemptions.0.publicInterest.favouringDisclosure",
      "exemptions.0.publicInterest.favouringWithholding",
      "exemptions.0.publicInterest.balance",
    ]);
    const submit = await refusal(submitReply(handle.db, request.id, saved.version, officer, now));
    expect(submit.code).toBe("invalid");
    expect(submit.message).toMatch(/cannot be submitted for approval yet: fix the 6 problems/);
    expect(submit.problems).toEqual(saved.problems);
    // The generic action is refused the same way.
    const other = await refusal(
      performAction(
        handle.db,
        request.id,
        { type: "submit-for-approval", outcome: "partially-withheld" },
        saved.version,
        officer,
        now,
      ),
    );
    expect(other.problems).toEqual(saved.problems);
    const send = await refusal(
      sendReply(
        handle.db,
        files,
        testMailer(handle.db, () => now),
        request.id,
        saved.version,
        officer,
        now,
        westmarchLetterhead,
      ),
    );
    expect(send.code).toBe("invalid");
    expect(send.problems).toHaveLength(6);
    const record = await refusal(
      performAction(
        handle.db,
        request.id,
        { type: "record-outcome", outcome: "granted-in-full", date: "2026-03-12" },
        saved.version,
        officer,
        now,
      ),
    );
    expect(record.problems).toEqual(saved.problems);
    // Nothing was written by the refusals.
    expect((await requestDetail(handle.db, { id: request.id }, officer, now)).request.version).toBe(
      saved.version,
    );
  });

  it("sends a disclosure in full without approval, by post when there is no email, with the disclosed file", async () => {
    const request = await workedRequest({ email: "", address: "14 Mill Lane, Westmarch WM4 2QT" });
    const document = await addDocument(
      handle.db,
      files,
      request.id,
      { filename: "gangs-matrix.csv", bytes: new TextEncoder().encode("measure,number\ngangs,62\n") },
      officer,
      now,
    );
    const input: ReplyInput = {
      ...gangsDraft(),
      questions: [{ text: "How many known gangs are there?", decision: "disclosed" }],
      exemptions: [],
      reasons: [],
      disclosure: [{ kind: "attachment", fileName: document.filename, description: "The figures" }],
    };
    const saved = await saveReplyDraft(handle.db, request.id, input, request.version + 1, officer, now);
    expect(saved.problems).toEqual([]);
    const mailer = testMailer(handle.db, () => now);
    const sent = await sendReply(
      handle.db,
      files,
      mailer,
      request.id,
      saved.version,
      officer,
      now,
      westmarchLetterhead,
    );
    // The letter is generated, validated and stored, but a letter is sent when it is posted (FOIA s.10(1)).
    expect(sent).toMatchObject({
      state: "in-progress",
      outcome: "granted-in-full",
      method: "post",
      emailed: false,
    });
    expect(sent.to).toBe("14 Mill Lane, Westmarch WM4 2QT");
    expect(mailer.queued).toEqual([]);
    const detail = await requestDetail(handle.db, { id: request.id }, officer, now);
    expect(detail.request.outcome).toBeNull();
    expect(detail.documents.filter((doc) => doc.part_of_reply).map((doc) => doc.filename)).toEqual(
      expect.arrayContaining(["gangs-matrix.csv", expect.stringMatching(/-reply\.pdf$/)]),
    );
    expect(detail.actions.map((action) => action.type)).toContain("record-posted");
    expect(await replyDelivery(handle.db, request.id)).toMatchObject({
      method: "post",
      emails: [],
      failure: null,
      postal: { awaitingPost: true, generatedOn: "2026-03-12", postedOn: null },
    });

    // Not editable, not sent twice, and no outcome recorded around it.
    expect(
      (await refusal(saveReplyDraft(handle.db, request.id, input, sent.version, officer, now))).code,
    ).toBe("conflict");
    const again = await refusal(
      sendReply(handle.db, files, mailer, request.id, sent.version, officer, now, westmarchLetterhead),
    );
    expect(again.message).toMatch(/generated on 2026-03-12 and is waiting to be posted.*Record as posted/);
    const outcome = await refusal(
      performAction(
        handle.db,
        request.id,
        { type: "record-outcome", outcome: "granted-in-full", date: "2026-03-12" },
        sent.version,
        officer,
        now,
      ),
    );
    expect(outcome.message).toMatch(/not been recorded as posted yet.*FOIA s\.10\(1\)/);

    // The day posted: not in the future, not before the letter was generated, a real date.
    const post = (date: string) => recordPosted(handle.db, request.id, { date }, sent.version, officer, now);
    expect((await refusal(post("2026-03-13"))).message).toMatch(/2026-03-13, is in the future/);
    expect((await refusal(post("2026-03-11"))).message).toMatch(
      /generated on 2026-03-12, so it cannot have been posted on 2026-03-11/,
    );
    expect(await refusal(post("12 March"))).toMatchObject({ code: "invalid", field: "date" });

    const posted = await post("2026-03-12");
    expect(posted.state).toBe("responded");
    const after = await requestDetail(handle.db, { id: request.id }, officer, now);
    expect(after.request.outcome).toBe("granted-in-full");
    const types = after.timeline.map((entry) => entry.type);
    expect(types.slice(-3)).toEqual(["send-reply", "record-posted", "record-outcome"]);
    expect(after.timeline.at(-1)?.details.date).toBe("2026-03-12");
    expect((await replyDelivery(handle.db, request.id))?.postal).toEqual({
      awaitingPost: false,
      generatedOn: "2026-03-12",
      postedOn: "2026-03-12",
    });
    expect((await refusal(post("2026-03-12"))).code).toBe("conflict");
  });

  it("counts a postal reply as given on the day it was posted: posted after the due date, it is late", async () => {
    const request = await workedRequest({ email: "", address: "3 Quay Street, Westmarch WM1 1AA" });
    const saved = await saveReplyDraft(handle.db, request.id, gangsDraft(), request.version, officer, now);
    const submitted = await submitReply(handle.db, request.id, saved.version, officer, now);
    const { version: approved } = await performAction(
      handle.db,
      request.id,
      { type: "approve" },
      submitted.version,
      approver,
      now,
    );
    const sent = await sendReply(
      handle.db,
      files,
      testMailer(handle.db, () => now),
      request.id,
      approved,
      officer,
      now,
      westmarchLetterhead,
    );
    expect(sent.state).toBe("approved");
    // Received 20 February 2026: due 20 March. Generated in time, posted on 25 March.
    const later = new Date("2026-03-26T10:00:00Z");
    const posted = await recordPosted(
      handle.db,
      request.id,
      { date: "2026-03-25" },
      sent.version,
      approver,
      later,
    );
    expect(posted.state).toBe("responded");
    const report = await complianceReport(handle.db, { from: "2026-03-21", to: "2026-03-31" }, later);
    expect(report.timeliness.find((row) => row.regime === "foia")).toMatchObject({ answered: 1, late: 1 });
  });

  it("refuses to send a workbook with a hidden sheet until a clean copy is made, and sends the copy", async () => {
    const request = await workedRequest();
    const document = await addDocument(
      handle.db,
      files,
      request.id,
      { filename: "staff.xlsx", bytes: excelWorkbook() },
      officer,
      now,
    );
    const input: ReplyInput = {
      ...gangsDraft(),
      questions: [{ text: "How many known gangs are there?", decision: "disclosed" }],
      exemptions: [],
      reasons: [],
      disclosure: [{ kind: "attachment", fileName: document.filename, description: "The figures" }],
    };
    const saved = await saveReplyDraft(handle.db, request.id, input, request.version + 1, officer, now);
    const mailer = testMailer(handle.db, () => now);
    const send = (version: number) =>
      sendReply(handle.db, files, mailer, request.id, version, officer, now, westmarchLetterhead);
    const refused = await refusal(send(saved.version));
    expect(refused.code).toBe("conflict");
    expect(refused.message).toMatch(
      /staff\.xlsx: it holds hidden data \(.*hidden sheet.*pivot table data.*\): make a clean copy/,
    );
    expect(mailer.queued).toEqual([]);
    const copy = await makeCleanCopy(handle.db, files, request.id, document.id, {}, officer, now);
    expect(copy.filename).toBe("staff.xlsx");
    const current = await requestDetail(handle.db, { id: request.id }, officer, now);
    const sent = await send(current.request.version);
    expect(sent.emailed).toBe(true);
    const attached = mailer.queued[0]!.attachments!.find((file) => file.filename === "staff.xlsx")!;
    const parts = Object.values(unzipSync(new Uint8Array(attached.content as Uint8Array))).map((part) =>
      strFromU8(part),
    );
    expect(parts.join("\n")).not.toMatch(/PLANT_/);
    expect(parts.join("\n")).toContain("Visible heading");
    const types = current.timeline.map((event) => event.type);
    expect(types).toContain("document-cleaned");
  });

  it("records a failed email in the history, and sends it again", async () => {
    const request = await workedRequest();
    const input: ReplyInput = {
      ...gangsDraft(),
      questions: [{ text: "How many known gangs are there?", decision: "disclosed" }],
      exemptions: [],
      reasons: [],
      disclosure: [{ kind: "text", text: "There are 62.", questionNumbers: [1] }],
    };
    const saved = await saveReplyDraft(handle.db, request.id, input, request.version, officer, now);
    const mailer = testMailer(handle.db, () => now, { refusing: true });
    const sent = await sendReply(
      handle.db,
      files,
      mailer,
      request.id,
      saved.version,
      officer,
      now,
      westmarchLetterhead,
    );
    expect(sent).toMatchObject({ state: "responded", emailed: false });
    expect(sent.emailError).toMatch(/connection refused/);
    expect((await replyDelivery(handle.db, request.id))?.failure?.error).toMatch(/connection refused/);
    const detail = await requestDetail(handle.db, { id: request.id }, officer, now);
    expect(detail.request.version).toBe(sent.version);
    expect(detail.timeline.at(-1)?.label).toBe("Reply email not delivered");

    // The server is back: the message waiting in the outbox goes now (not a second copy).
    mailer.refusing = false;
    expect(await resendReplyEmail(handle.db, files, mailer, request.id, officer, now)).toEqual({
      emailed: true,
      emailError: null,
    });
    expect(mailer.queued).toHaveLength(1);
    expect(mailer.delivered.size).toBe(1);
    expect(mailer.queued[0]?.attachments?.[0]?.filename).toMatch(/-reply\.pdf$/);
    expect(await replyDelivery(handle.db, request.id)).toMatchObject({ sending: false, failure: null });
  });

  it("keeps a paragraph library that managers edit and that fills placeholders for a request", async () => {
    const library = await paragraphLibrary(handle.db, now, { kind: "harm", exemptionId: "foia-31-1-a" });
    expect(library).toHaveLength(1);
    const refused = await refusal(
      saveParagraph(
        handle.db,
        null,
        { kind: "advice", title: "T", text: "Quote {{reference}}." },
        officer,
        now,
      ),
    );
    expect(refused.code).toBe("forbidden");
    const bad = await refusal(
      saveParagraph(
        handle.db,
        null,
        { kind: "advice", title: "T", text: "Quote {{referense}}." },
        manager,
        now,
      ),
    );
    expect(bad.field).toBe("text");
    const id = await saveParagraph(
      handle.db,
      null,
      { kind: "advice", title: "Quote the reference", text: "Dear {{requesterName}}, quote {{reference}}." },
      manager,
      now,
    );
    const request = await workedRequest();
    const detail = await requestDetail(handle.db, { id: request.id }, officer, now);
    expect(await paragraphForRequest(handle.db, request.id, id, now)).toBe(
      `Dear Priya Raman, quote ${detail.request.reference}.`,
    );
  });
});
