import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../../db/testing.ts";
import { gangsReplyInput } from "../../../responses/index.ts";
import { type Casework, openTestApp, setUpCasework, type TestApp } from "../../testing.ts";

// The reply over the API: a draft saved with what it lacks, submission refused until it is complete, approval
// by someone else (the request's actions), sending.

const now = new Date("2026-06-10T10:00:00Z");

const authority = { name: "Westmarch Constabulary" };
const olu = { username: "olu", name: "Olu Officer", role: "officer", team: "Disclosure" } as const;
const ada = { username: "ada", name: "Ada Approver", role: "approver", team: "Disclosure" } as const;
const rae = { username: "rae", name: "Rae Reviewer", role: "officer", team: "Disclosure" } as const;

/** A requester who gave only a postal address: the reply is a letter to post. */
const samPost = { name: "Sam Post", address: "2 Mill Lane, Westmarch WM4 2QT" };
/** A one-question request and its complete reply. */
const speedCameras = {
  body: "How many speed cameras are there?",
  reply: {
    questions: [{ text: "How many speed cameras are there?", decision: "disclosed" }],
    disclosure: [{ kind: "text", text: "There are 42." }],
  },
};

describe.each(testBackends())("the reply API on $name", (backend) => {
  let t: TestApp;
  let casework: Casework;

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    casework = await setUpCasework(t, { authority, staff: [olu, ada], now });
  });
  afterAll(async () => t?.close());

  const call: Casework["api"] = (...args) => casework.api(...args);

  it("generates a postal reply on send, and records the request responded only once it is recorded as posted", async () => {
    const created = await call("olu", "POST", "/api/v1/requests", {
      regime: "foia",
      requester: samPost,
      body: "1. How many known gangs are there in each London borough?",
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: number };
    let version = (await call("olu", "GET", `/api/v1/requests/${id}`)).json().version as number;
    version = (
      await call("olu", "POST", `/api/v1/requests/${id}/actions`, { type: "start-work", version })
    ).json().version;
    const saved = await call("olu", "PUT", `/api/v1/requests/${id}/reply`, {
      version,
      reply: {
        ...gangsReplyInput,
        questions: [{ text: "How many known gangs are there?", decision: "disclosed" }],
        exemptions: [],
        reasons: [],
        disclosure: [{ kind: "text", text: "There are 62 known gangs.", questionNumbers: [1] }],
      },
    });
    expect(saved.json().problems).toEqual([]);
    const sent = await call("olu", "POST", `/api/v1/requests/${id}/reply/send`, {
      version: saved.json().version,
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ state: "in-progress", method: "post", emailed: false });
    version = sent.json().version;

    const outcome = await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
      type: "record-outcome",
      outcome: "granted-in-full",
      date: "2026-06-10",
      version,
    });
    expect(outcome.statusCode).toBe(409);
    const future = await call("olu", "POST", `/api/v1/requests/${id}/reply/record-posted`, {
      version,
      date: "2026-06-11",
    });
    expect(future.statusCode).toBe(409);
    expect(future.json().errors[0].message).toMatch(/2026-06-11, is in the future/);
    const unreadable = await call("olu", "POST", `/api/v1/requests/${id}/reply/record-posted`, {
      version,
      date: "soon",
    });
    expect(unreadable.statusCode).toBe(422);
    expect(unreadable.json().errors[0].field).toBe("date");

    // Any officer on the case may record it: here the approver, who did not send it.
    const posted = await call("ada", "POST", `/api/v1/requests/${id}/reply/record-posted`, {
      version,
      date: "2026-06-10",
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.json().state).toBe("responded");
    const detail = (await call("olu", "GET", `/api/v1/requests/${id}`)).json();
    expect(detail.outcome).toBe("granted-in-full");
    const again = await call("olu", "POST", `/api/v1/requests/${id}/reply/record-posted`, {
      version: posted.json().version,
      date: "2026-06-10",
    });
    expect(again.statusCode).toBe(409);
  });

  it("refuses to withdraw, extend or move to another law a request whose letter waits to be posted, saying to record it first", async () => {
    const { id, sent } = await casework.replyOverApi(
      "olu",
      { regime: "foia", requester: samPost, body: speedCameras.body },
      speedCameras.reply,
    );
    expect(sent.json()).toMatchObject({ state: "in-progress", method: "post" });
    const version = sent.json().version as number;

    // FOIA s.10(1): the printed letter is the answer, given the day it is posted.
    const attempts = [
      { type: "withdraw", date: "2026-06-10", note: "The requester no longer wants it" },
      {
        type: "extend",
        extension: "pit",
        reason: "The public interest test needs more time",
        notice: "Refusal notice under s.17(2)",
        date: "2026-06-10",
      },
      { type: "change-regime", regime: "eir", reason: "It is about emissions" },
      { type: "request-clarification", date: "2026-06-10", note: "Which roads?" },
    ];
    for (const attempt of attempts) {
      const refused = await call("olu", "POST", `/api/v1/requests/${id}/actions`, { ...attempt, version });
      expect(refused.statusCode, attempt.type).toBe(409);
      expect(refused.json().errors[0].message).toMatch(
        /^".+" cannot be done while the reply, generated on 10 June 2026, waits to be recorded as posted: .*\(FOIA s\.10\(1\)\)\. Post the letter and use "Record as posted" with the date it went first$/,
      );
    }
    const detail = (await call("olu", "GET", `/api/v1/requests/${id}`)).json();
    expect(detail).toMatchObject({ state: "in-progress", regime: "foia", version });
    expect(detail.actions.map((action: { type: string }) => action.type)).not.toContain("withdraw");

    const posted = await call("olu", "POST", `/api/v1/requests/${id}/reply/record-posted`, {
      version,
      date: "2026-06-10",
    });
    expect(posted.json().state).toBe("responded");
  });

  it("saves, checks, submits, approves and sends a reply", async () => {
    const created = await call("olu", "POST", "/api/v1/requests", {
      regime: "foia",
      requester: { name: "Priya Raman", email: "priya@example.org" },
      body: "1. How many known gangs are there in each London borough?\n2. And with under-18s?",
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: number };
    let version = (await call("olu", "GET", `/api/v1/requests/${id}`)).json().version as number;
    const started = await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
      type: "start-work",
      version,
    });
    version = started.json().version;
    expect((await call("olu", "GET", `/api/v1/requests/${id}/reply`)).statusCode).toBe(404);

    const defective = structuredClone(gangsReplyInput);
    defective.exemptions![0]!.harm!.reasoning = [];
    const draft = await call("olu", "PUT", `/api/v1/requests/${id}/reply`, { version, reply: defective });
    expect(draft.statusCode).toBe(200);
    expect(draft.json()).toMatchObject({
      outcome: "partially-withheld",
      problems: [{ field: "exemptions.0.harm.reasoning" }],
    });
    version = draft.json().version;
    const refused = await call("olu", "POST", `/api/v1/requests/${id}/reply/submit`, { version });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      { field: "exemptions.0.harm.reasoning", message: expect.stringMatching(/^Explain, with evidence/) },
    ]);

    const saved = await call("olu", "PUT", `/api/v1/requests/${id}/reply`, {
      version,
      reply: gangsReplyInput,
    });
    expect(saved.json().problems).toEqual([]);
    const reply = (await call("olu", "GET", `/api/v1/requests/${id}/reply`)).json();
    expect(reply.content.reference).toBe(created.json().reference);
    expect(reply.content.requester.email).toBe("priya@example.org");

    const submitted = await call("olu", "POST", `/api/v1/requests/${id}/reply/submit`, {
      version: reply.requestVersion,
    });
    expect(submitted.json().state).toBe("awaiting-approval");
    const early = await call("olu", "POST", `/api/v1/requests/${id}/reply/send`, {
      version: submitted.json().version,
    });
    expect(early.statusCode).toBe(409);
    const approved = await call("ada", "POST", `/api/v1/requests/${id}/actions`, {
      type: "approve",
      version: submitted.json().version,
    });
    expect(approved.statusCode).toBe(200);
    const sent = await call("olu", "POST", `/api/v1/requests/${id}/reply/send`, {
      version: approved.json().version,
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({
      state: "responded",
      outcome: "partially-withheld",
      method: "email",
      to: "priya@example.org",
      emailed: true,
    });
    const detail = (await call("olu", "GET", `/api/v1/requests/${id}`)).json();
    expect(detail.outcome).toBe("partially-withheld");
    expect(detail.documents.map((document: { mediaType: string }) => document.mediaType)).toEqual([
      "application/pdf",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]);
  });
});

// The internal review's letter over the API (s.45 code of practice part 5; FOIA s.50): written and sent by
// someone who took no part in the reply, checked like a reply, and the only way the review is decided.
describe.each(testBackends())("the review letter API on $name", (backend) => {
  let t: TestApp;
  let casework: Casework;

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    casework = await setUpCasework(t, { authority, staff: [olu, rae], now });
  });
  afterAll(async () => t?.close());

  const call: Casework["api"] = (...args) => casework.api(...args);

  it("refuses a review decided without its letter, and sends a checked letter that decides it", async () => {
    const { id, sent: replySent } = await casework.replyOverApi(
      "olu",
      {
        regime: "foia",
        receivedDate: "2026-05-01",
        requester: { name: "Priya Raman", email: "priya@example.org" },
        body: speedCameras.body,
      },
      speedCameras.reply,
    );
    const reply = speedCameras.reply;
    let version = replySent.json().version as number;
    const asked = await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
      type: "request-review",
      date: "2026-06-01",
      grounds: "I think there are more",
      version,
    });
    version = asked.json().version;

    const alone = await call("rae", "POST", `/api/v1/requests/${id}/actions`, {
      type: "decide-review",
      reviewOutcome: "upheld",
      date: "2026-06-10",
      version,
    });
    expect(alone.statusCode).toBe(409);
    expect(alone.json().errors[0].message).toMatch(
      /^the internal review of a FOIA request is decided only by sending the review letter/,
    );
    const byAuthor = await call("olu", "PUT", `/api/v1/requests/${id}/review-letter`, {
      version,
      reply: { review: { outcome: "upheld", reasons: ["Fine"] } },
    });
    expect(byAuthor.statusCode).toBe(409);
    expect(byAuthor.json().errors[0].message).toMatch(/^you took part in the original decision/);
    expect((await call("rae", "GET", `/api/v1/requests/${id}/review-letter`)).statusCode).toBe(404);

    const draft = await call("rae", "PUT", `/api/v1/requests/${id}/review-letter`, {
      version,
      reply: { questions: reply.questions, review: { reasons: [] } },
    });
    expect(draft.statusCode).toBe(200);
    expect(draft.json().problems.map((problem: { field: string }) => problem.field)).toEqual([
      "review.outcome",
      "review.reasons",
    ]);
    const early = await call("rae", "POST", `/api/v1/requests/${id}/review-letter/send`, {
      version: draft.json().version,
    });
    expect(early.statusCode).toBe(422);
    expect(early.json().errors.map((error: { field: string }) => error.field)).toEqual([
      "review.outcome",
      "review.reasons",
    ]);
    const complete = await call("rae", "PUT", `/api/v1/requests/${id}/review-letter`, {
      version: draft.json().version,
      reply: {
        questions: reply.questions,
        review: { outcome: "upheld", reasons: ["The figure given was right on the day of the request."] },
      },
    });
    expect(complete.json().problems).toEqual([]);
    const letter = (await call("rae", "GET", `/api/v1/requests/${id}/review-letter`)).json();
    expect(letter).toMatchObject({
      reviewOutcome: "upheld",
      content: { review: { requestedDate: "2026-06-01", replyDate: "2026-06-10" } },
    });
    const sent = await call("rae", "POST", `/api/v1/requests/${id}/review-letter/send`, {
      version: complete.json().version,
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ state: "review-decided", method: "email", emailed: true });
    const detail = (await call("olu", "GET", `/api/v1/requests/${id}`)).json();
    expect(detail.reviewOutcome).toBe("upheld");
    expect(
      detail.documents
        .map((document: { filename: string }) => document.filename)
        .filter((name: string) => name.includes("review-letter")),
    ).toHaveLength(2);
  });

  it("lets anyone record a posted letter as posted, while the review is decided only by someone independent", async () => {
    const { id, sent: replySent } = await casework.replyOverApi(
      "olu",
      { regime: "foia", receivedDate: "2026-05-01", requester: samPost, body: speedCameras.body },
      speedCameras.reply,
    );
    const reply = speedCameras.reply;
    let version = replySent.json().version as number;
    // Rae only records Olu's reply letter as posted: clerical, not a part in the decision.
    const replyPosted = await call("rae", "POST", `/api/v1/requests/${id}/reply/record-posted`, {
      version,
      date: "2026-06-10",
    });
    expect(replyPosted.json().state).toBe("responded");
    version = (
      await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
        type: "request-review",
        date: "2026-06-10",
        grounds: "I think there are more",
        version: replyPosted.json().version,
      })
    ).json().version;

    // Olu drafted and sent the reply: the review is not his (s.45 code of practice, part 5).
    const byAuthor = await call("olu", "PUT", `/api/v1/requests/${id}/review-letter`, {
      version,
      reply: { questions: reply.questions, review: { outcome: "upheld", reasons: ["Fine"] } },
    });
    expect(byAuthor.statusCode).toBe(409);
    expect(byAuthor.json().errors[0].message).toMatch(
      /^you took part in the original decision .*anyone may still record its letter as posted$/,
    );
    const letter = await call("rae", "PUT", `/api/v1/requests/${id}/review-letter`, {
      version,
      reply: {
        questions: reply.questions,
        review: { outcome: "upheld", reasons: ["The figure given was right on the day of the request."] },
      },
    });
    expect(letter.statusCode).toBe(200);
    expect(letter.json().problems).toEqual([]);
    const sent = await call("rae", "POST", `/api/v1/requests/${id}/review-letter/send`, {
      version: letter.json().version,
    });
    expect(sent.json()).toMatchObject({ state: "review-requested", method: "post" });
    version = sent.json().version;

    // While the review letter waits to be posted the review is not extended (FOIA s.10(1)).
    const extend = await call("rae", "POST", `/api/v1/requests/${id}/actions`, {
      type: "extend-review",
      workingDays: 20,
      reason: "Complex",
      version,
    });
    expect(extend.statusCode).toBe(409);
    expect(extend.json().errors[0].message).toMatch(
      /^"Extend the internal review" cannot be done while the review letter, generated on 10 June 2026, waits to be recorded as posted: .*use "Record the review letter as posted" with the date it went first$/,
    );

    // Olu took part in the original decision, yet may record Rae's letter as posted: the decision is Rae's.
    const posted = await call("olu", "POST", `/api/v1/requests/${id}/review-letter/record-posted`, {
      version,
      date: "2026-06-10",
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.json().state).toBe("review-decided");
    const detail = (await call("olu", "GET", `/api/v1/requests/${id}`)).json();
    expect(detail.reviewOutcome).toBe("upheld");
  });
});
