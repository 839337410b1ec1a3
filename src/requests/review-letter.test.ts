import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import type { ReplyInput } from "../responses/index.ts";
import { memoryFileStore } from "../storage/index.ts";
import {
  type Actor,
  createRequest,
  newReplyInput,
  performAction,
  recordPosted,
  renderReplyFile,
  replyDelivery,
  replyFor,
  replyLetterhead,
  requestDetail,
  saveReplyDraft,
  sendReply,
  verifyAuditChain,
} from "./index.ts";
import { answerRequest, recordingMailer, refusalOf, threeStaff } from "./testing.ts";

// The internal review's letter (s.45 code of practice part 5, FOISA s.21): drafted by someone not involved in
// the original decision, validated as a reply is, sent by email or as a letter to post, and only then is the
// review recorded as decided; it gives the right to go to the Information Commissioner (FOIA s.50) or the
// Scottish Information Commissioner (FOISA s.47).

const at = (day: string) => new Date(`${day}T10:00:00Z`);

describe.each(testBackends())("the review letter on $name", (backend) => {
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

  /** A FOIA request withheld in full (drafted by the officer, signed off by the approver), review asked for. */
  async function underReview(requester: Record<string, string> = { email: "priya@example.org" }) {
    const { id } = await createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: "2026-02-02",
        body: "How many gangs are known to the force?",
        requester: { name: "Priya Raman", type: "journalist", ...requester },
      },
      officer,
      at("2026-02-02"),
    );
    let version = (await performAction(handle.db, id, { type: "start-work" }, 1, officer, at("2026-02-02")))
      .version;
    version = await answerRequest(
      handle.db,
      id,
      version,
      { officer, approver, outcome: "withheld-in-full" },
      at("2026-02-20"),
    );
    version = (
      await performAction(
        handle.db,
        id,
        { type: "request-review", date: "2026-03-02", grounds: "The public interest favours disclosure" },
        version,
        officer,
        at("2026-03-02"),
      )
    ).version;
    return { id, version };
  }

  it("refuses a review decision recorded without a review letter sent, naming the rule and what to do", async () => {
    const { id, version } = await underReview();
    const error = await refusalOf(
      performAction(
        handle.db,
        id,
        { type: "decide-review", reviewOutcome: "upheld", date: "2026-03-10" },
        version,
        manager,
        at("2026-03-10"),
      ),
    );
    expect(error.message).toBe(
      'the internal review of a FOIA request is decided only by sending the review letter, which gives the requester the decision, the reasons and their right to complain to the Information Commissioner (FOIA s.50): draft the review letter, then use "Send the review letter" (by email, or as a letter to post). A decision cannot be recorded without one',
    );
  });

  it("refuses the review letter to anyone who took part in the original decision", async () => {
    const { id, version } = await underReview();
    for (const who of [officer, approver]) {
      const draft = await newReplyInput(handle.db, id, who, at("2026-03-05"), "review");
      const error = await refusalOf(
        saveReplyDraft(handle.db, id, draft, version, who, at("2026-03-05"), "review"),
      );
      expect(error.message).toMatch(
        /^you took part in the original decision .* \(s\.45 code of practice, part 5\)/,
      );
    }
    expect(await replyFor(handle.db, id, "review")).toBeNull();
  });

  it("checks the letter, sends it by email with its PDF, and only then records the review as decided", async () => {
    const { id, version } = await underReview();
    const draft = await newReplyInput(handle.db, id, manager, at("2026-03-10"), "review");
    // Started from the reply under review, with the dates of the review request and of that reply.
    expect(draft.review).toMatchObject({ requestedDate: "2026-03-02", replyDate: "2026-02-20" });
    expect(draft.questions?.[0]?.decision).toBe("withheld");
    const incomplete = await saveReplyDraft(
      handle.db,
      id,
      draft,
      version,
      manager,
      at("2026-03-10"),
      "review",
    );
    expect(incomplete.problems.map((problem) => problem.field)).toEqual(["review.outcome", "review.reasons"]);
    const mailer = recordingMailer(handle.db, () => at("2026-03-10"));
    const send = (v: number) =>
      replyLetterhead(handle.db).then((letterhead) =>
        sendReply(handle.db, files, mailer, id, v, manager, at("2026-03-10"), letterhead, "review"),
      );
    const notReady = await refusalOf(send(incomplete.version));
    expect(notReady.message).toBe("The review letter cannot be sent yet: fix the 2 problems listed");
    expect(notReady.problems.map((problem) => problem.message)).toContain(
      "Choose the review decision: upheld, partly overturned or overturned",
    );
    // Overturned in full while the question is still withheld does not add up.
    const contradictory = await saveReplyDraft(
      handle.db,
      id,
      {
        ...draft,
        review: { ...draft.review!, outcome: "overturned", reasons: ["On reflection"] },
      } as ReplyInput,
      incomplete.version,
      manager,
      at("2026-03-10"),
      "review",
    );
    expect(contradictory.problems.map((problem) => problem.message)).toEqual([
      "The decision is overturned: add what is now disclosed under Disclosure, or say what happens next (for example, a new reply by a date)",
      "The decision is overturned in full, yet question 1 is still withheld: choose partly overturned, or change the question's decision",
    ]);
    const complete = await saveReplyDraft(
      handle.db,
      id,
      {
        ...draft,
        review: {
          ...draft.review!,
          outcome: "upheld",
          reasons: ["The exemption was correctly applied and the public interest still favours withholding."],
        },
      } as ReplyInput,
      contradictory.version,
      manager,
      at("2026-03-10"),
      "review",
    );
    expect(complete.problems).toEqual([]);
    // Still undecided until the letter goes.
    expect((await requestDetail(handle.db, { id }, manager, at("2026-03-10"))).request.state).toBe(
      "review-requested",
    );
    const sent = await send(complete.version);
    expect(sent).toMatchObject({ method: "email", emailed: true, state: "review-decided" });
    const detail = await requestDetail(handle.db, { id }, manager, at("2026-03-10"));
    expect(detail.request.review_outcome).toBe("upheld");
    expect(detail.timeline.slice(-2).map((entry) => entry.type)).toEqual([
      "send-review-letter",
      "decide-review",
    ]);
    expect(mailer.sent[0]).toMatchObject({
      to: "priya@example.org",
      subject: expect.stringContaining("The result of the internal review of your request"),
      kind: "review-letter",
    });
    expect(mailer.sent[0]!.attachments?.[0]?.filename).toMatch(/-review-letter\.pdf$/);
    const pdf = await renderReplyFile(handle.db, files, id, "pdf", at("2026-03-11"), "review");
    expect(pdf).toMatchObject({
      mediaType: "application/pdf",
      filename: expect.stringMatching(/-review-letter\.pdf$/),
    });
    // The email's text is rendered from the same blocks as the letter.
    const text = mailer.sent[0]!.text.replace(/\s+/g, " ");
    expect(text).toContain("Internal review decision");
    expect(text).toContain("We have upheld the original decision.");
    expect(text).toContain("section 50 of the Freedom of Information Act 2000");
    expect(text).not.toContain("you may ask for an internal review");
    // The original reply is untouched, and the history still verifies.
    expect((await replyFor(handle.db, id))?.reply?.review).toBeUndefined();
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it("generates a letter to post for a requester with only a postal address", async () => {
    const { id, version } = await underReview({ address: "1 High Street, Westmarch WM1 1AA" });
    const draft = await newReplyInput(handle.db, id, manager, at("2026-03-10"), "review");
    const saved = await saveReplyDraft(
      handle.db,
      id,
      {
        ...draft,
        review: { ...draft.review!, outcome: "partly-overturned", reasons: ["Part can now be released."] },
        disclosure: [{ kind: "text", text: "There are 14 known gangs.", questionNumbers: [1] }],
        questions: draft.questions?.map((question) => ({ ...question, decision: "partly" })),
      } as ReplyInput,
      version,
      manager,
      at("2026-03-10"),
      "review",
    );
    expect(saved.problems).toEqual([]);
    const mailer = recordingMailer(handle.db, () => at("2026-03-10"));
    const sent = await sendReply(
      handle.db,
      files,
      mailer,
      id,
      saved.version,
      manager,
      at("2026-03-10"),
      await replyLetterhead(handle.db),
      "review",
    );
    // Generated and stored, but the review is decided when the letter is posted (FOIA s.10(1)).
    expect(sent).toMatchObject({ method: "post", emailed: false, state: "review-requested" });
    expect(mailer.sent).toEqual([]);
    expect(await replyDelivery(handle.db, id, "review")).toMatchObject({
      method: "post",
      postal: { awaitingPost: true, generatedOn: "2026-03-10" },
    });
    const early = await refusalOf(
      recordPosted(handle.db, id, { date: "2026-03-09" }, sent.version, manager, at("2026-03-11"), "review"),
    );
    expect(early.message).toMatch(/generated on 2026-03-10, so it cannot have been posted on 2026-03-09/);
    const posted = await recordPosted(
      handle.db,
      id,
      { date: "2026-03-11" },
      sent.version,
      manager,
      at("2026-03-11"),
      "review",
    );
    expect(posted.state).toBe("review-decided");
    const detail = await requestDetail(handle.db, { id }, manager, at("2026-03-11"));
    expect(detail.request.review_outcome).toBe("partly-overturned");
    expect(detail.timeline.at(-1)).toMatchObject({ type: "decide-review", details: { date: "2026-03-11" } });
  });
});
