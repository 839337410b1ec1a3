import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateAuthoritySettings } from "../../../authority/index.ts";
import { testBackends } from "../../../db/testing.ts";
import { computeDeadline } from "../../../law/index.ts";
import { sampleReply } from "../../../responses/index.ts";
import { type Casework, openTestApp, setUpCasework, type TestApp } from "../../testing.ts";

// The casework API as an integration uses it: Bearer tokens for an officer and an approver, JSON in and out.

const now = new Date("2026-06-10T10:00:00Z"); // a Wednesday

const gangsDue = computeDeadline({ regime: "foia", received: "2026-06-08" }).dueDate;

// A letter: with a postal address only, the request stays "received" until someone acknowledges it.
const gangs = {
  regime: "foia",
  channel: "post",
  receivedDate: "2026-06-08",
  body: "1. How many known gangs are there in each borough?\n2. How many have under-18s in them?",
  topic: "Gangs",
  requester: { name: "Sam Requester", address: "2 Harbour Row, Westmarch WM2 1AB", type: "journalist" },
};

describe.each(testBackends())("the casework API on $name", (backend) => {
  let t: TestApp;
  let casework: Casework;
  let officerId: number;

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    casework = await setUpCasework(t, {
      authority: { name: "Westmarch Council" },
      staff: [
        { username: "olu", name: "Olu Officer", role: "officer", team: "Disclosure" },
        { username: "ada", name: "Ada Approver", role: "approver", team: "Disclosure" },
      ],
      now,
    });
    // The Disclosure team handles subject access requests too (requests/sar-access.ts).
    await updateAuthoritySettings(t.handle.db, { sarTeam: "Disclosure" }, now);
    officerId = (await call("olu", "GET", "/api/v1/me")).json().id;
  });
  afterAll(async () => t?.close());

  const call: Casework["api"] = (...args) => casework.api(...args);

  async function logged(overrides: object = {}) {
    const response = await call("olu", "POST", "/api/v1/requests", { ...gangs, ...overrides });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: number; reference: string; valid: boolean; problems: string[] };
  }

  it("answers 401 without a token", async () => {
    for (const url of ["/api/v1/requests", "/api/v1/requests/1", "/api/v1/requesters/1"]) {
      const response = await call(null, "GET", url);
      expect(response.statusCode, url).toBe(401);
      expect(response.json().errors[0].message).toContain("Authorization: Bearer <token>");
    }
    expect((await call(null, "POST", "/api/v1/requests", gangs)).statusCode).toBe(401);
  });

  describe("logging a request", () => {
    it("logs a request with a reference and its due date (201)", async () => {
      const response = await call("olu", "POST", "/api/v1/requests", { ...gangs, assigneeId: officerId });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({
        id: expect.any(Number),
        reference: expect.stringMatching(/^01\.FOI\.26\.\d{6}$/),
        state: "received",
        dueDate: gangsDue,
        valid: true,
        problems: [],
        trackingUrl: expect.stringMatching(/^http:\/\/localhost:3000\/track\/[A-Za-z0-9_-]{43}$/),
      });
    });

    it("acknowledges a request with an email address by email as it is logged: the event, the state, the email", async () => {
      const created = await logged({
        channel: "email",
        requester: { name: "Sam Requester", email: "sam@example.org", type: "journalist" },
      });
      expect(created).toMatchObject({ state: "acknowledged" });
      const detail = (await call("olu", "GET", `/api/v1/requests/${created.id}`)).json();
      expect(detail).toMatchObject({ state: "acknowledged", version: 2 });
      expect(detail.actions.map((action: { type: string }) => action.type)).not.toContain("acknowledge");
      expect(detail.timeline.at(-1)).toMatchObject({
        type: "acknowledge",
        actor: "foidesk",
        details: { sentBy: "email", sentTo: "sam@example.org" },
      });
      const sent = await t.handle.db
        .selectFrom("sent_mail")
        .select(["kind", "subject"])
        .where("request_id", "=", created.id)
        .execute();
      expect(sent).toEqual([
        { kind: "acknowledgement", subject: `We have received your request ${created.reference}` },
      ]);
      // Acknowledging again is refused: it is one thing, done once.
      const again = await call("olu", "POST", `/api/v1/requests/${created.id}/actions`, {
        type: "acknowledge",
        version: 2,
      });
      expect(again.statusCode).toBe(409);
    });

    it("records a request that fails FOIA s.8 as invalid, with the reasons", async () => {
      const created = await logged({ channel: "post", requester: { name: "", type: "public" } });
      expect(created.valid).toBe(false);
      expect(created.problems).toEqual([
        "The request does not state the requester's name (s.8(1)(b))",
        "The request gives no address for correspondence (s.8(1)(b))",
      ]);
    });

    it("names each invalid field (422)", async () => {
      const response = await call("olu", "POST", "/api/v1/requests", {
        ...gangs,
        regime: "gdpr",
        receivedDate: "2026-02-30",
        requester: { name: "Sam", email: "not-an-email" },
      });
      expect(response.statusCode).toBe(422);
      const fields = response.json().errors.map((error: { field: string }) => error.field);
      expect(fields).toEqual(expect.arrayContaining(["regime", "receivedDate", "requester.email"]));
    });

    it("does not let an officer allocate a request to someone else (403)", async () => {
      const approver = (await call("ada", "GET", "/api/v1/me")).json().id;
      const response = await call("olu", "POST", "/api/v1/requests", { ...gangs, assigneeId: approver });
      expect(response.statusCode).toBe(403);
      expect(response.json().errors).toEqual([
        { field: "assigneeId", message: "An officer may assign a request only to themselves" },
      ]);
    });
  });

  describe("the work queue", () => {
    it("lists open requests, overdue first, with counts, and filters to the overdue ones", async () => {
      const late = await logged({ receivedDate: "2026-04-01", body: "How many police dogs are there?" });
      const all = (await call("olu", "GET", "/api/v1/requests")).json();
      expect(all.requests[0]).toMatchObject({
        id: late.id,
        overdue: true,
        daysLeft: expect.any(Number),
        unit: "working",
      });
      expect(all.requests[0].daysLeft).toBeLessThan(0);
      expect(all.counts.overdue).toBeGreaterThanOrEqual(1);
      expect(all.counts.open).toBe(all.total);
      const overdue = (await call("olu", "GET", "/api/v1/requests?overdue=true")).json();
      expect(overdue.requests.length).toBe(all.counts.overdue);
      expect(overdue.requests.every((row: { overdue: boolean }) => row.overdue)).toBe(true);
      const mine = (await call("olu", "GET", "/api/v1/requests?mine=true")).json();
      expect(mine.requests.every((row: { assignee: string }) => row.assignee === "Olu Officer")).toBe(true);
      const paged = (await call("olu", "GET", "/api/v1/requests?pageSize=1&page=2")).json();
      expect(paged).toMatchObject({ page: 2, pageSize: 1, pages: all.total });
      expect(paged.requests).toHaveLength(1);
    });

    it("refuses a filter it cannot read (422)", async () => {
      const response = await call("olu", "GET", "/api/v1/requests?state=sleeping&dueWithinWorkingDays=-1");
      expect(response.statusCode).toBe(422);
      expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual([
        "state",
        "dueWithinWorkingDays",
      ]);
    });
  });

  describe("a request and its actions", () => {
    it("returns the detail: deadline, timeline and the actions allowed for this user", async () => {
      const { id, reference } = await logged();
      const response = await call("olu", "GET", `/api/v1/requests/${id}`);
      expect(response.statusCode).toBe(200);
      const detail = response.json();
      expect(detail).toMatchObject({
        id,
        reference,
        state: "received",
        stateLabel: "Received",
        version: 1,
        questions: ["How many known gangs are there in each borough?", "How many have under-18s in them?"],
        requester: { name: "Sam Requester", address: "2 Harbour Row, Westmarch WM2 1AB", type: "journalist" },
        deadline: { dueDate: gangsDue, unit: "working", stopped: false, overdue: false },
        timeline: [{ seq: 1, type: "created", label: "Request logged", actor: "Olu Officer" }],
      });
      expect(detail.actions.map((action: { type: string }) => action.type)).toContain("acknowledge");
      const byReference = await call("olu", "GET", `/api/v1/requests/by-reference/${reference}`);
      expect(byReference.json().id).toBe(id);
      expect((await call("olu", "GET", "/api/v1/requests/999999")).statusCode).toBe(404);
    });

    it("takes an action at the version read and answers with the new state and version", async () => {
      const { id, reference } = await logged();
      const response = await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
        type: "acknowledge",
        version: 1,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        id,
        state: "acknowledged",
        stateLabel: "Acknowledged",
        version: 2,
      });
      // A postal address only: acknowledging makes the letter (PDF and Word) on the request, recorded as posted.
      const acknowledged = (await call("olu", "GET", `/api/v1/requests/${id}`)).json();
      expect(acknowledged.timeline.at(-1)).toMatchObject({
        type: "acknowledge",
        label: "Request acknowledged",
        details: {
          sentBy: "post",
          sentTo: "2 Harbour Row, Westmarch WM2 1AB",
          letter: `${reference}-acknowledgement.pdf`,
          word: `${reference}-acknowledgement.docx`,
        },
      });
      const letter = acknowledged.documents.find(
        (document: { filename: string }) => document.filename === `${reference}-acknowledgement.pdf`,
      );
      const pdf = await call("olu", "GET", `/api/v1/requests/${id}/documents/${letter.id}`);
      expect(pdf.headers["content-type"]).toBe("application/pdf");
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
      expect(acknowledged.documents.map((document: { filename: string }) => document.filename)).toContain(
        `${reference}-acknowledgement.docx`,
      );
      const clarify = await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
        type: "request-clarification",
        date: "2026-06-10",
        note: "Which years?",
        version: 2,
      });
      expect(clarify.json()).toMatchObject({ state: "awaiting-clarification", version: 3 });
      const detail = (await call("olu", "GET", `/api/v1/requests/${id}`)).json();
      expect(detail.deadline.stopped).toBe(true);
      expect(detail.timeline.at(-1)).toMatchObject({
        type: "request-clarification",
        actor: "Olu Officer",
        details: { date: "2026-06-10", note: "Which years?" },
      });
    });

    it("changes the law a request is handled under: the new law's deadline, same reference; 409, 403, 422 otherwise", async () => {
      const { id, reference } = await logged();
      const act = (who: string, action: object) =>
        call(who, "POST", `/api/v1/requests/${id}/actions`, { type: "change-regime", version: 1, ...action });
      const eisr = await act("olu", { regime: "eisr", reason: "Environmental" });
      expect(eisr.statusCode).toBe(409);
      expect(eisr.json().errors[0].message).toMatch(
        /^the EISR does not apply to a public authority outside Scotland/,
      );
      expect((await act("ada", { regime: "eir", reason: "Environmental" })).statusCode).toBe(403);
      const noReason = await act("olu", { regime: "eir" });
      expect(noReason.statusCode).toBe(422);
      expect(noReason.json().errors).toContainEqual({
        field: "reason",
        message: "Enter why the request is handled under this law",
      });
      const changed = await act("olu", {
        regime: "sar",
        reason: "Asks for the requester's own custody record",
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toMatchObject({
        id,
        reference,
        version: 2,
        dueDate: computeDeadline({ regime: "sar", received: "2026-06-08" }).dueDate,
      });
      const detail = (await call("olu", "GET", `/api/v1/requests/${id}`)).json();
      expect(detail).toMatchObject({ regime: "sar", reference, receivedDate: "2026-06-08" });
      expect(detail.deadline).toMatchObject({ regime: "sar", unit: "calendar" });
      expect(detail.timeline.at(-1)).toMatchObject({
        type: "change-regime",
        details: { previousRegime: "foia", regime: "sar", receivedDate: "2026-06-08" },
      });
    });

    it("refuses a stale version (409) and says who changed the request", async () => {
      const { id } = await logged();
      await call("ada", "POST", `/api/v1/requests/${id}/actions`, { type: "acknowledge", version: 1 });
      const stale = await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
        type: "start-work",
        version: 1,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().errors[0]).toEqual({
        field: "version",
        message: expect.stringMatching(/^This request was changed by Ada Approver at .* UTC; reload it/),
      });
    });

    it("refuses an action not allowed from the state (409), listing what is allowed from here", async () => {
      const { id } = await logged();
      const response = await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
        type: "decide-review",
        reviewOutcome: "upheld",
        date: "2026-06-10",
        version: 1,
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().errors[0].message).toBe(
        '"Record review decision" is not allowed when a request is received; allowed from here: acknowledge, assign, start work, log clarification sent, log fees notice sent, withdraw, add a note, change the law this request is handled under',
      );
    });

    it("names each invalid field of an action (422)", async () => {
      const { id } = await logged();
      const response = await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
        type: "request-clarification",
        date: "2026-13-01",
      });
      expect(response.statusCode).toBe(422);
      expect(
        response
          .json()
          .errors.map((error: { field: string }) => error.field)
          .sort(),
      ).toEqual(["date", "note", "version"]);
    });

    it("does not let an officer approve (403)", async () => {
      const { id, reference } = await logged();
      let version = (
        await call("olu", "POST", `/api/v1/requests/${id}/actions`, { type: "start-work", version: 1 })
      ).json().version;
      // Four-eyes signs off a reply: with none drafted there is nothing to submit.
      const nothing = await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
        type: "submit-for-approval",
        outcome: "withheld-in-full",
        version,
      });
      expect(nothing.statusCode).toBe(409);
      expect(nothing.json().errors[0].message).toContain(
        "there is no reply to approve: draft the reply first",
      );
      const reply = sampleReply(
        {
          reference,
          regime: "foia",
          received_date: gangs.receivedDate,
          body: gangs.body,
          topic: null,
          outcome: "withheld-in-full",
          requester_name: gangs.requester.name,
          requester_email: null,
          requester_address: null,
        },
        "2026-06-10",
      );
      version = (await call("olu", "PUT", `/api/v1/requests/${id}/reply`, { reply, version })).json().version;
      version = (
        await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
          type: "submit-for-approval",
          outcome: "withheld-in-full",
          version,
        })
      ).json().version;
      const response = await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
        type: "approve",
        version,
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().errors[0].message).toBe('"Approve" needs the role approver or manager or admin');
      const approved = await call("ada", "POST", `/api/v1/requests/${id}/actions`, {
        type: "approve",
        version,
      });
      expect(approved.json()).toMatchObject({ state: "approved" });
    });
  });

  describe("documents", () => {
    it("adds a document from base64 and serves it back as an attachment of its type", async () => {
      const { id } = await logged();
      const bytes = Buffer.from("%PDF-1.4\nreply\n");
      const added = await call("olu", "POST", `/api/v1/requests/${id}/documents`, {
        filename: "reply.pdf",
        contentBase64: bytes.toString("base64"),
      });
      expect(added.statusCode).toBe(201);
      expect(added.json()).toMatchObject({
        filename: "reply.pdf",
        mediaType: "application/pdf",
        sizeBytes: bytes.length,
      });
      const download = await call("olu", "GET", `/api/v1/requests/${id}/documents/${added.json().id}`);
      expect(download.statusCode).toBe(200);
      expect(download.headers["content-type"]).toBe("application/pdf");
      expect(download.headers["content-disposition"]).toBe(
        `attachment; filename="reply.pdf"; filename*=UTF-8''reply.pdf`,
      );
      expect(download.rawPayload.equals(bytes)).toBe(true);
      const detail = (await call("olu", "GET", `/api/v1/requests/${id}`)).json();
      expect(detail.documents).toEqual([expect.objectContaining({ filename: "reply.pdf" })]);
    });

    it("refuses a program (422), bad base64 (422) and an unknown document (404)", async () => {
      const { id } = await logged();
      const exe = await call("olu", "POST", `/api/v1/requests/${id}/documents`, {
        filename: "setup.exe",
        contentBase64: Buffer.from("MZ").toString("base64"),
      });
      expect(exe.statusCode).toBe(422);
      expect(exe.json().errors[0]).toMatchObject({
        field: "file",
        message: expect.stringContaining("pdf, doc"),
      });
      const garbled = await call("olu", "POST", `/api/v1/requests/${id}/documents`, {
        filename: "a.pdf",
        contentBase64: "not base64!",
      });
      expect(garbled.statusCode).toBe(422);
      expect(garbled.json().errors[0].field).toBe("contentBase64");
      expect((await call("olu", "GET", `/api/v1/requests/${id}/documents/424242`)).statusCode).toBe(404);
    });
  });

  it("refuses a fee logged after its notice lapsed, saying why (FOIA s.9(2))", async () => {
    const { id } = await logged({ receivedDate: "2026-02-02" });
    let version = (await call("olu", "GET", `/api/v1/requests/${id}`)).json().version as number;
    for (const action of [
      { type: "start-work" },
      { type: "issue-fees-notice", date: "2026-02-20", amountPence: 2450 },
    ]) {
      const done = await call("olu", "POST", `/api/v1/requests/${id}/actions`, { ...action, version });
      expect(done.statusCode).toBe(200);
      version = done.json().version;
    }
    // Three months from 20 February ended on 19 May: read on 10 June, the request has lapsed by itself.
    const read = (await call("olu", "GET", `/api/v1/requests/${id}`)).json();
    expect(read.state).toBe("lapsed");
    const paid = await call("olu", "POST", `/api/v1/requests/${id}/actions`, {
      type: "receive-fee",
      date: "2026-06-09",
      version: read.version,
    });
    expect(paid.statusCode).toBe(409);
    expect(paid.json().errors[0].message).toBe(
      "the fees notice of Fri 20 Feb 2026 lapsed on Wed 20 May 2026: a fee not paid within three months of the notice (FOIA s.9(2)) cannot be accepted, and the request need not be answered. Return the payment, and tell the requester they may make a new request",
    );
  });

  it("returns a requester's history with the repeat warning", async () => {
    const requester = { name: "Kit Asking", email: "kit@example.org", type: "researcher" };
    const body = "How many police horses does the mounted section keep, and what do they cost to feed?";
    const first = await logged({ requester, body, receivedDate: "2026-06-01" });
    const second = await logged({ requester, body, receivedDate: "2026-06-09" });
    const requesterId = (await call("olu", "GET", `/api/v1/requests/${second.id}`)).json().requester.id;
    const response = await call("olu", "GET", `/api/v1/requesters/${requesterId}`);
    expect(response.statusCode).toBe(200);
    const history = response.json();
    expect(history).toMatchObject({ name: "Kit Asking", type: "researcher" });
    expect(history.requests.map((request: { id: number }) => request.id)).toEqual([second.id, first.id]);
    expect(history.warnings).toContainEqual(
      expect.objectContaining({
        about: second.reference,
        reference: first.reference,
        kind: "repeated",
        message: expect.stringContaining("FOIA s.14(2)"),
      }),
    );
    expect((await call("olu", "GET", "/api/v1/requesters/999999")).statusCode).toBe(404);
  });

  it("describes the casework routes in the OpenAPI document", async () => {
    const document = (await t.app.inject("/api/openapi.json")).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/requests",
        "/api/v1/requests/{id}",
        "/api/v1/requests/by-reference/{reference}",
        "/api/v1/requests/{id}/actions",
        "/api/v1/requests/{id}/documents",
        "/api/v1/requests/{id}/documents/{documentId}",
        "/api/v1/requesters/{id}",
      ]),
    );
    const logRequest = document.paths["/api/v1/requests"].post;
    expect(logRequest.operationId).toBe("createRequest");
    expect(logRequest.summary).toContain("log one received by post, email or phone (staff)");
    expect(logRequest.requestBody.content["application/json"].schema.properties).toHaveProperty("requester");
    const actions = document.paths["/api/v1/requests/{id}/actions"].post;
    expect(Object.keys(actions.responses)).toEqual(
      expect.arrayContaining(["200", "401", "403", "409", "422"]),
    );
    expect(JSON.stringify(actions.requestBody)).toContain('"change-regime"');
    expect(actions.description).toContain("change-regime");
    expect(document.paths["/api/v1/requests"].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["overdue", "dueWithinWorkingDays", "state", "regime", "page"]),
    );
  });
});
