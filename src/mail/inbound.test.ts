import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import {
  type Actor,
  attachReceivedToRequest,
  createRequest,
  logReceivedAsRequest,
  performAction,
  requestDetail,
  verifyAuditChain,
} from "../requests/index.ts";
import { memoryFileStore } from "../storage/index.ts";
import { inboundDeps, type MailIntakeDeps } from "../web/index.ts";
import {
  acknowledgementMessage,
  createMailer,
  MAX_INBOUND_BYTES,
  type Mailer,
  markCorrespondenceRead,
  memoryOutboxTransport,
  receivedMailById,
  receivedMailForRequest,
  receivedMessageBytes,
  receiveMessage,
  referenceCandidates,
  sentMailForRequest,
  startInboundSmtp,
} from "./index.ts";
import { emlMessage } from "./testing.ts";

const now = new Date("2026-03-10T10:00:00Z");
const pdf = new Uint8Array(Buffer.from("%PDF-1.7 the requester's letter"));

describe("reference candidates", () => {
  it("finds the reference among the subject's words, without the punctuation around it", () => {
    expect(referenceCandidates("Re: Your request 01.FOI.26.000123.")).toEqual(["01.FOI.26.000123"]);
    expect(referenceCandidates("[01.EIR.26.000004] (follow-up), 2026")).toEqual(["01.EIR.26.000004", "2026"]);
    expect(referenceCandidates("No numbers here")).toEqual([]);
  });
});

describe.each(testBackends())("inbound mail on $name", (backend) => {
  let handle: DatabaseHandle;
  let deps: MailIntakeDeps;
  let mailer: Mailer;
  let outbox: ReturnType<typeof memoryOutboxTransport>;
  let logs: string[];
  let officer: Actor;

  const newRequest = async (body: string) =>
    createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "web",
        receivedDate: "2026-03-02",
        body,
        requester: { name: "Jo Bloggs", email: "jo@example.org" },
      },
      officer,
      now,
    );
  /** The listener on a free port of 127.0.0.1, and nodemailer to send to it. */
  const smtpPair = async (maxBytes?: number) => {
    const listener = await startInboundSmtp({
      port: 0,
      host: "127.0.0.1",
      addresses: ["foi@westmarch.example"],
      deps,
      ...(maxBytes ? { maxBytes } : {}),
    });
    const sender = nodemailer.createTransport({ host: "127.0.0.1", port: listener.port, ignoreTLS: true });
    return { listener, sender };
  };
  const receivedRow = async (id: number | null) => (await receivedMailById(handle.db, id ?? 0))!;

  beforeAll(async () => {
    handle = await backend.open();
    await handle.db
      .insertInto("authority")
      .values({ name: "Westmarch Constabulary", email: "foi@westmarch.example" })
      .execute();
    const user = await handle.db
      .insertInto("users")
      .values({ username: "olu", display_name: "Olu Officer", role: "officer", password_hash: "x" })
      .returning("id")
      .executeTakeFirstOrThrow();
    officer = { userId: user.id, label: "Olu Officer", role: "officer" };
    outbox = memoryOutboxTransport();
    logs = [];
    const log = {
      info: (details: Record<string, unknown>, message: string) =>
        logs.push(JSON.stringify({ ...details, message })),
      error: (details: Record<string, unknown>, message: string) =>
        logs.push(JSON.stringify({ ...details, message })),
    };
    mailer = createMailer({ db: handle.db, transport: outbox, now: () => now, log });
    deps = inboundDeps({
      db: handle.db,
      files: memoryFileStore(),
      mailer,
      now: () => now,
      log,
      baseUrl: "http://localhost:3000",
      serviceName: "FOI",
    });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("threads a reply naming the reference in its subject onto the request, with its attachment", async () => {
    const request = await newRequest("How many speed cameras are there?");
    const result = await receiveMessage(
      deps,
      emlMessage({
        subject: `Re: Your request ${request.reference}`,
        messageId: "<reply-subject@example.org>",
        text: "Here is the map you asked about.",
        attachments: [{ filename: "cameras.pdf", contentType: "application/pdf", content: pdf }],
      }),
    );
    expect(result).toMatchObject({ status: "threaded", requestId: request.id, reference: request.reference });
    const detail = await requestDetail(handle.db, { id: request.id }, officer, now);
    expect(detail.documents.map((document) => document.filename)).toEqual(["cameras.pdf"]);
    const event = detail.timeline.at(-1)!;
    expect(event).toMatchObject({ type: "correspondence-received", label: "Email received" });
    expect(event.details).toMatchObject({
      receivedMailId: result.receivedMailId,
      matchedBy: "reference",
      documents: [{ filename: "cameras.pdf" }],
      awaitingClarification: false,
    });
    const row = await receivedRow(result.receivedMailId);
    expect(row).toMatchObject({ status: "threaded", attachments: 1, seen_at: null, matched_by: "reference" });
    expect(row.text_body).toContain("Here is the map");
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });

  it("threads a reply by In-Reply-To when the subject names no reference", async () => {
    const request = await newRequest("How many police horses are there?");
    const { messageId } = await mailer.send(
      acknowledgementMessage({
        authorityName: "Westmarch Constabulary",
        requestId: request.id,
        reference: request.reference,
        regime: "foia",
        requesterName: "Jo Bloggs",
        email: "jo@example.org",
        receivedDate: "2026-03-02",
        dueDate: request.dueDate,
        body: "How many police horses are there?",
        preferredFormat: null,
        trackingUrl: "http://localhost:3000/track/x",
      }),
    );
    const result = await receiveMessage(
      deps,
      emlMessage({
        subject: "Re: thanks",
        messageId: "<reply-header@example.org>",
        inReplyTo: messageId,
        references: messageId,
      }),
    );
    expect(result).toMatchObject({ status: "threaded", requestId: request.id });
    expect((await receivedRow(result.receivedMailId)).matched_by).toBe("reply-header");
    // A later message naming only the earlier reply in References joins the same request.
    const later = await receiveMessage(
      deps,
      emlMessage({
        subject: "One more thing",
        messageId: "<reply-later@example.org>",
        references: "<reply-header@example.org>",
      }),
    );
    expect(later).toMatchObject({ status: "threaded", requestId: request.id });
  });

  it("flags a reply while a clarification is awaited, and leaves the clock stopped for the officer", async () => {
    const request = await newRequest("All the emails about the new headquarters");
    await performAction(
      handle.db,
      request.id,
      { type: "request-clarification", date: "2026-03-03", note: "Which years?" },
      1,
      officer,
      now,
    );
    const result = await receiveMessage(
      deps,
      emlMessage({ subject: `Re: ${request.reference}`, messageId: "<clarified@example.org>" }),
    );
    expect(result.status).toBe("threaded");
    const detail = await requestDetail(handle.db, { id: request.id }, officer, now);
    expect(detail.request.state).toBe("awaiting-clarification");
    expect(detail.request.clock_stopped).toBe(true);
    expect(detail.timeline.at(-1)!.details).toMatchObject({ awaitingClarification: true });
    // The officer reads it: the flag goes.
    expect(await markCorrespondenceRead(handle.db, request.id, officer, now)).toBe(1);
    const [row] = await receivedMailForRequest(handle.db, request.id);
    expect(row).toMatchObject({ seen_by: "Olu Officer" });
  });

  it("logs a new request from an email, with its attachment, and acknowledges it", async () => {
    const before = outbox.messages.size;
    const result = await receiveMessage(
      deps,
      emlMessage({
        from: '"Sam Requester" <sam@example.net>',
        subject: "Freedom of information request: knife crime",
        messageId: "<new-request@example.net>",
        text: "Please tell me how many knife crimes were recorded in 2025.",
        attachments: [{ filename: "earlier-letter.pdf", contentType: "application/pdf", content: pdf }],
      }),
    );
    expect(result.status).toBe("logged");
    const detail = await requestDetail(handle.db, { id: result.requestId! }, officer, now);
    expect(detail.request).toMatchObject({
      channel: "email",
      regime: "foia",
      valid: true,
      // Acknowledged as every channel acknowledges: the email, the event and the state together.
      state: "acknowledged",
      received_date: "2026-03-10",
      requester_name: "Sam Requester",
      requester_email: "sam@example.net",
    });
    expect(detail.request.body).toBe(
      "Freedom of information request: knife crime\n\nPlease tell me how many knife crimes were recorded in 2025.",
    );
    expect(detail.documents.map((document) => document.filename)).toEqual(["earlier-letter.pdf"]);
    expect(outbox.messages.size).toBe(before + 1);
    const sent = await sentMailForRequest(handle.db, result.requestId!);
    expect(sent).toMatchObject([{ kind: "acknowledgement" }]);
    expect(detail.timeline.find((entry) => entry.type === "acknowledge")).toMatchObject({
      label: "Request acknowledged",
      details: { sentBy: "email", sentTo: "sam@example.net" },
    });
    expect(detail.actions.map((action) => action.type)).not.toContain("acknowledge");
    expect((await receivedRow(result.receivedMailId)).status).toBe("logged");
  });

  it("records a request from a bare address, with no name, as not valid under s.8(1)(b) and sends nothing", async () => {
    const before = outbox.messages.size;
    const result = await receiveMessage(
      deps,
      emlMessage({ from: "anon@example.net", messageId: "<bare@example.net>", subject: "Drones" }),
    );
    expect(result.status).toBe("logged");
    const detail = await requestDetail(handle.db, { id: result.requestId! }, officer, now);
    expect(detail.request).toMatchObject({
      valid: false,
      state: "invalid",
      requester_email: "anon@example.net",
    });
    expect(detail.request.invalid_reason).toContain("requester's name (s.8(1)(b))");
    expect(outbox.messages.size).toBe(before);
  });

  it("ignores a message delivered again (same Message-ID)", async () => {
    const raw = emlMessage({
      from: '"Ray Again" <ray@example.net>',
      subject: "Budgets",
      messageId: "<twice@example.net>",
    });
    const first = await receiveMessage(deps, raw);
    const second = await receiveMessage(deps, raw);
    expect(first.status).toBe("logged");
    expect(second).toMatchObject({ status: "duplicate", receivedMailId: first.receivedMailId });
    const requests = await handle.db
      .selectFrom("requests as r")
      .innerJoin("requesters as q", "q.id", "r.requester_id")
      .select("r.id")
      .where("q.email", "=", "ray@example.net")
      .execute();
    expect(requests).toHaveLength(1);
  });

  it.each([
    ["an out-of-office reply", ["Auto-Submitted: auto-replied"], "Auto-Submitted: auto-replied"],
    ["bulk mail", ["Precedence: bulk"], "Precedence: bulk"],
    ["a bounce", ["Return-Path: <>"], "empty Return-Path"],
  ])("keeps %s as not processed, with the reason, and logs no request", async (_name, headers, reason) => {
    const countBefore = await handle.db
      .selectFrom("requests")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const result = await receiveMessage(
      deps,
      emlMessage({ subject: "Out of office", messageId: `<auto-${reason.length}@example.org>`, headers }),
    );
    expect(result.status).toBe("not-processed");
    expect(result.reason).toContain(reason);
    const countAfter = await handle.db
      .selectFrom("requests")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(countAfter.n)).toBe(Number(countBefore.n));
    expect((await receivedRow(result.receivedMailId)).reason).toContain(reason);
  });

  it("keeps mail with no sender, no headers, or over the size limit as not processed", async () => {
    const noFrom = await receiveMessage(deps, emlMessage({ from: null, messageId: "<no-from@example.org>" }));
    expect(noFrom).toMatchObject({
      status: "not-processed",
      reason: "The message has no sender address (From)",
    });
    const garbage = await receiveMessage(deps, Buffer.from("this is not an email at all"));
    expect(garbage.status).toBe("not-processed");
    expect(garbage.reason).toContain("no headers");
    const large = await receiveMessage(
      deps,
      emlMessage({ messageId: "<large@example.org>", subject: "A big scan" }),
      null,
      { total: MAX_INBOUND_BYTES + 1, limit: MAX_INBOUND_BYTES },
    );
    expect(large.status).toBe("not-processed");
    expect(large.reason).toContain("larger than 25 MB");
    expect(await receivedRow(large.receivedMailId)).toMatchObject({
      storage_key: null,
      subject: "A big scan",
    });
  });

  it("lets staff log a message that was not processed as a request, once", async () => {
    const kept = await receiveMessage(
      deps,
      emlMessage({
        from: '"Pat Auto" <pat@example.net>',
        subject: "Stop and search figures",
        messageId: "<staff-log@example.net>",
        headers: ["Auto-Submitted: auto-generated"],
      }),
    );
    expect(kept.status).toBe("not-processed");
    const logged = await logReceivedAsRequest(
      deps,
      kept.receivedMailId!,
      { regime: "foia", name: "Pat Auto" },
      officer,
    );
    expect(logged.status).toBe("logged");
    const detail = await requestDetail(handle.db, { id: logged.requestId! }, officer, now);
    expect(detail.request).toMatchObject({ valid: true, channel: "email", requester_name: "Pat Auto" });
    expect(detail.timeline[0]!.actor).toBe("Olu Officer");
    expect(await receivedRow(kept.receivedMailId)).toMatchObject({
      status: "logged",
      handled_by: "Olu Officer",
    });
    await expect(
      logReceivedAsRequest(deps, kept.receivedMailId!, { regime: "foia", name: "Pat Auto" }, officer),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("lets staff attach a message that was not processed to a request by its reference", async () => {
    const request = await newRequest("Overtime paid in 2025");
    const kept = await receiveMessage(
      deps,
      emlMessage({
        subject: "Out of office",
        messageId: "<staff-attach@example.org>",
        headers: ["Precedence: bulk"],
      }),
    );
    await expect(
      attachReceivedToRequest(deps, kept.receivedMailId!, { reference: "01.FOI.26.999999" }, officer),
    ).rejects.toMatchObject({ code: "invalid", field: "reference" });
    const attached = await attachReceivedToRequest(
      deps,
      kept.receivedMailId!,
      { reference: request.reference.toLowerCase() },
      officer,
    );
    expect(attached).toMatchObject({ status: "threaded", requestId: request.id });
    const detail = await requestDetail(handle.db, { id: request.id }, officer, now);
    expect(detail.timeline.at(-1)).toMatchObject({ type: "correspondence-received", actor: "Olu Officer" });
  });

  it("receives a message over SMTP on 127.0.0.1 for a configured address only", async () => {
    const request = await newRequest("How many fixed penalty notices?");
    const { listener, sender } = await smtpPair();
    try {
      const info = await sender.sendMail({
        from: '"Jo Bloggs" <jo@example.org>',
        to: "FOI@westmarch.example",
        subject: `Re: ${request.reference}`,
        text: "The spreadsheet is attached.",
        attachments: [{ filename: "penalties.csv", content: "year,count\n2025,12\n" }],
      });
      expect(info.accepted).toEqual(["FOI@westmarch.example"]);
      const detail = await requestDetail(handle.db, { id: request.id }, officer, now);
      expect(detail.timeline.at(-1)!.type).toBe("correspondence-received");
      expect(detail.documents.map((document) => document.filename)).toEqual(["penalties.csv"]);
      await expect(
        sender.sendMail({ from: "jo@example.org", to: "someone@elsewhere.example", subject: "x", text: "x" }),
      ).rejects.toThrow(/550/);
    } finally {
      sender.close();
      await listener.close();
    }
  });

  it("refuses a message over the SMTP size limit, and keeps its headers for staff", async () => {
    const { listener, sender } = await smtpPair(4096);
    try {
      await expect(
        sender.sendMail({
          from: '"Jo Bloggs" <jo@example.org>',
          to: "foi@westmarch.example",
          subject: "A very large scan",
          messageId: "<too-big@example.org>",
          text: "Attached.",
          attachments: [{ filename: "scan.pdf", content: Buffer.alloc(20_000, 1) }],
        }),
      ).rejects.toThrow(/552/);
      const row = await handle.db
        .selectFrom("received_mail")
        .selectAll()
        .where("message_id", "=", "<too-big@example.org>")
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: "not-processed", subject: "A very large scan", storage_key: null });
      expect(row.reason).toMatch(/^The message is larger than 4 KB \(\d+ KB\), so it was not kept$/);
    } finally {
      sender.close();
      await listener.close();
    }
  });

  it("keeps a message whose attachments are named like object properties, and stores the others", async () => {
    const request = await newRequest("How many dog handlers are there?");
    const result = await receiveMessage(
      deps,
      emlMessage({
        subject: `Re: ${request.reference}`,
        messageId: "<proto-names@example.org>",
        attachments: [
          { filename: "x.constructor", contentType: "application/octet-stream", content: pdf },
          { filename: "x.__proto__", contentType: "application/octet-stream", content: pdf },
          { filename: "handlers.pdf", contentType: "application/pdf", content: pdf },
        ],
      }),
    );
    expect(result).toMatchObject({ status: "threaded", requestId: request.id });
    const detail = await requestDetail(handle.db, { id: request.id }, officer, now);
    expect(detail.documents.map((document) => [document.filename, document.media_type])).toEqual([
      ["handlers.pdf", "application/pdf"],
    ]);
    expect(detail.timeline.at(-1)!.details).toMatchObject({
      notStored: [
        { filename: "x.constructor", reason: expect.stringContaining("The file must be one of") },
        { filename: "x.__proto__", reason: expect.stringContaining("The file must be one of") },
      ],
    });
    // The original message is kept, whatever became of its attachments.
    expect(await receivedMessageBytes(handle.db, deps.files, result.receivedMailId!)).not.toBeNull();
  });

  it("accepts a message with a NUL character over SMTP (no 451 retry loop), and keeps it without the NUL", async () => {
    const { listener, sender } = await smtpPair();
    try {
      const info = await sender.sendMail({
        envelope: { from: "jo@example.org", to: ["foi@westmarch.example"] },
        raw: emlMessage({
          subject: "Stop\u0000 and search figures",
          messageId: "<nul-text@example.org>",
          text: "How many stop and search\u0000 encounters were there in 2025?",
        }),
      });
      expect(info.accepted).toEqual(["foi@westmarch.example"]);
      const row = await handle.db
        .selectFrom("received_mail")
        .selectAll()
        .where("message_id", "=", "<nul-text@example.org>")
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: "logged", subject: "Stop and search figures" });
      expect(row.text_body).toContain("How many stop and search encounters were there in 2025?");
      expect(row.storage_key).not.toBeNull();
    } finally {
      sender.close();
      await listener.close();
    }
  });

  it("never logs an address, a subject or the text", () => {
    const all = logs.join("\n");
    expect(all).toContain("inbound mail threaded onto a request");
    for (const secret of ["jo@example.org", "sam@example.net", "knife", "speed cameras", "Bloggs"])
      expect(all).not.toContain(secret);
  });
});
