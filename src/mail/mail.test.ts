import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { sentMailPage } from "../requests/index.ts";
import { renderLetterPdf, westmarchLetterhead } from "../responses/index.ts";
import { pdfText, testLetterFonts } from "../responses/testing.ts";
import {
  acknowledgementLetter,
  acknowledgementMessage,
  composeMessage,
  createMailer,
  type MailLog,
  memoryOutboxTransport,
  outboxForRequest,
  outboxTransport,
  readMessage,
  sentMailForRequest,
  smtpTransport,
} from "./index.ts";

const sentAt = new Date("2025-03-04T10:15:00Z");

function capturingLog(): MailLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (details, message) => lines.push(JSON.stringify({ ...details, message })),
    error: (details, message) => lines.push(JSON.stringify({ ...details, message })),
  };
}

const acknowledgement = acknowledgementMessage({
  authorityName: "Westmarch Constabulary",
  requestId: 0,
  reference: "01.FOI.25.000042",
  regime: "foia",
  requesterName: "Zoë <script>alert(1)</script>",
  email: "zoe@example.org",
  receivedDate: "2025-03-04",
  dueDate: "2025-04-01",
  body: "How many known gangs are there in each borough?\nAnd <b>how many</b> have under-18s?",
  preferredFormat: "electronic",
  trackingUrl: "http://localhost:3000/track/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
});

describe("the acknowledgement as a letter", () => {
  it("says what the email says, on the letterhead, to the postal address, with the link and the sign-off kept together", async () => {
    const letter = acknowledgementLetter(
      {
        ...letterInput(),
        address: "14 Mill Lane, Westmarch WM4 2QT",
        body: "How many burglaries were there on Mill Lane?\n\nAnd how many were solved?",
        trackingUrl: "http://localhost:3000/track/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
      },
      "2025-03-05",
    );
    const text = pdfText(
      await renderLetterPdf(letter, westmarchLetterhead, { compress: false, fonts: testLetterFonts }),
    ).replace(/\s+/g, " ");
    for (const words of [
      "14 Mill Lane",
      "Our reference: 01.FOI.25.000043",
      "Date: 5 March 2025",
      "Dear Mary Doyle,",
      "Thank you for your request, which we received on 4 March 2025 and are handling under the Freedom of Information Act 2000. Your reference is 01.FOI.25.000043.",
      "We will reply by 1 April 2025.",
      "You asked to receive the information as: a paper copy, by post.",
      "How many burglaries were there on Mill Lane?",
      "And how many were solved?",
      "http://localhost:3000/track/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
      "Please quote 01.FOI.25.000043 if you contact us about this request.",
      "Yours sincerely,",
    ])
      expect(text).toContain(words);
    // Nothing of the letter is said differently in the email: one wording.
    const email = acknowledgementMessage({ ...letterInput(), email: "mary@example.org", requestId: 1 });
    expect(email.text).toContain("You asked to receive the information as: a paper copy, by post.");
  });
});

function letterInput() {
  return {
    authorityName: "Westmarch Constabulary",
    reference: "01.FOI.25.000043",
    regime: "foia" as const,
    requesterName: "Mary Doyle",
    receivedDate: "2025-03-04",
    dueDate: "2025-04-01",
    body: "How many burglaries were there on Mill Lane?",
    preferredFormat: "paper" as const,
    trackingUrl: "http://localhost:3000/track/x",
  };
}

describe("composing", () => {
  it("builds an RFC 5322 message with CRLF lines, a Message-ID, and plain-text and HTML parts", async () => {
    const { raw, messageId } = await composeMessage(
      acknowledgement,
      '"Westmarch" <foi@westmarch.example>',
      sentAt,
    );
    const text = raw.toString("utf8");
    expect(messageId).toMatch(/^<[0-9a-f]{32}@westmarch\.example>$/);
    expect(text).toContain(`Message-ID: ${messageId}`);
    expect(text).toMatch(/^From: Westmarch <foi@westmarch\.example>\r$/m);
    expect(text).toMatch(/^To: zoe@example\.org\r$/m);
    expect(text).toMatch(/^Date: Tue, 04 Mar 2025 10:15:00 \+0000\r$/m);
    expect(text).toMatch(/^MIME-Version: 1\.0\r$/m);
    expect(text).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(text).toMatch(/^Content-Type: text\/plain; charset=utf-8\r$/m);
    expect(text).toMatch(/^Content-Type: text\/html; charset=utf-8\r$/m);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/\n/); // every line ends CRLF
  });

  it("reads back as the same text, and the HTML part escapes what the requester typed", async () => {
    const { raw } = await composeMessage(acknowledgement, "foi@westmarch.example", sentAt);
    const read = readMessage(raw);
    expect(read.headers.subject).toBe("We have received your request 01.FOI.25.000042");
    expect(read.headers.to).toBe("zoe@example.org");
    expect(read.text).toContain("Dear Zoë <script>alert(1)</script>,");
    expect(read.text).toContain("We will reply by 1 April 2025.");
    expect(read.text).toContain("http://localhost:3000/track/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
    expect(read.text).toContain("  And <b>how many</b> have under-18s?");
    expect(acknowledgement.html).toContain("Dear Zoë &lt;script&gt;alert(1)&lt;/script&gt;,");
    expect(acknowledgement.html).not.toContain("<script>");
    expect(acknowledgement.html).not.toContain("<b>how");
  });

  it("attaches files (the reply's letter) beside the text, which still reads back", async () => {
    const pdf = new Uint8Array(Buffer.from("%PDF-1.7 letter"));
    const { raw } = await composeMessage(
      {
        ...acknowledgement,
        html: undefined,
        attachments: [{ filename: "01.FOI.25.000042.pdf", contentType: "application/pdf", content: pdf }],
      },
      "foi@westmarch.example",
      sentAt,
    );
    const text = raw.toString("utf8");
    expect(text).toMatch(/^Content-Type: multipart\/mixed;/m);
    expect(text).toMatch(/^Content-Type: application\/pdf; name=01\.FOI\.25\.000042\.pdf\r$/m);
    expect(text).toMatch(/^Content-Disposition: attachment; filename=01\.FOI\.25\.000042\.pdf\r$/m);
    expect(text).toContain(Buffer.from(pdf).toString("base64"));
    expect(readMessage(raw).text).toContain("We will reply by 1 April 2025.");
  });

  it("decodes encoded-word subjects", async () => {
    const { raw } = await composeMessage(
      { ...acknowledgement, subject: "Réponse à votre demande — 01.FOI.25.000042" },
      "foi@westmarch.example",
      sentAt,
    );
    expect(raw.toString("utf8")).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(readMessage(raw).headers.subject).toBe("Réponse à votre demande — 01.FOI.25.000042");
  });
});

describe.each(testBackends())("sending on $name", (backend) => {
  let handle: DatabaseHandle;
  let folder: string;
  let requestId: number;
  beforeAll(async () => {
    handle = await backend.open();
    folder = await mkdtemp(join(tmpdir(), "foidesk-outbox-"));
    await handle.db
      .insertInto("authority")
      .values({ name: "Westmarch Constabulary", email: "foi@westmarch.police.example" })
      .execute();
    const requester = await handle.db
      .insertInto("requesters")
      .values({ name: "Zoë", email: "zoe@example.org" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const request = await handle.db
      .insertInto("requests")
      .values({
        reference: "01.FOI.25.000042",
        regime: "foia",
        channel: "web",
        received_date: "2025-03-04",
        body: "How many gangs?",
        questions: "[]",
        state: "received",
        outcome: null,
        invalid_reason: null,
        clock: "[]",
        due_date: "2025-04-01",
        refusal_notice_due: null,
        review_received_date: null,
        review_outcome: null,
        requester_id: requester.id,
        assignee_id: null,
        team_id: null,
        tracking_token_hash: null,
        preferred_format: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    requestId = request.id;
  });
  afterAll(async () => {
    await handle?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("the development outbox writes an .eml file, records the message, and logs no address or body", async () => {
    const log = capturingLog();
    const mailer = createMailer({
      db: handle.db,
      transport: outboxTransport(folder),
      now: () => sentAt,
      log,
    });
    const { messageId } = await mailer.send({ ...acknowledgement, requestId });
    const files = await readdir(folder);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^20250304T101500Z-[0-9a-f]{12}\.eml$/);
    const raw = await readFile(join(folder, files[0]!));
    expect(raw.toString()).toContain(`Message-ID: ${messageId}`);
    expect(raw.toString()).toMatch(/^From: Westmarch Constabulary <foi@westmarch\.police\.example>\r$/m);
    expect(Buffer.from((await mailer.stored(files[0]!))!)).toEqual(raw);
    expect(await mailer.stored("../../etc/passwd")).toBeNull();

    const page = await sentMailPage(handle.db, 10, 0);
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({
      message_id: messageId,
      to_address: "zoe@example.org",
      subject: "We have received your request 01.FOI.25.000042",
      kind: "acknowledgement",
      request_id: requestId,
      reference: "01.FOI.25.000042",
      transport: "outbox",
      file_name: files[0],
    });
    expect(await sentMailForRequest(handle.db, requestId)).toHaveLength(1);

    expect(log.lines.join("\n")).toContain(messageId);
    expect(log.lines.join("\n")).not.toContain("zoe@example.org");
    expect(log.lines.join("\n")).not.toContain("gangs");
    expect(log.lines.join("\n")).not.toContain("/track/");
  });

  it("lists messages newest first", async () => {
    const mailer = createMailer({
      db: handle.db,
      transport: memoryOutboxTransport(),
      now: () => new Date("2025-03-05T09:00:00Z"),
    });
    await mailer.send({ to: "a@example.org", subject: "Later", text: "x", kind: "test" });
    const page = await sentMailPage(handle.db, 10, 0);
    expect(page.rows.map((row) => row.subject)).toEqual([
      "Later",
      "We have received your request 01.FOI.25.000042",
    ]);
  });

  it("delivers over SMTP when configured, keeping no copy", async () => {
    const smtp = await fakeSmtpServer();
    try {
      const mailer = createMailer({
        db: handle.db,
        transport: smtpTransport(`smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`),
        from: "foi@westmarch.example",
        now: () => sentAt,
      });
      const { messageId } = await mailer.send({ ...acknowledgement, requestId });
      await mailer.close();
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.from).toBe("foi@westmarch.example");
      expect(smtp.received[0]!.to).toEqual(["zoe@example.org"]);
      expect(smtp.received[0]!.data).toContain(`Message-ID: ${messageId}`);
      const row = (await sentMailPage(handle.db, 10, 0)).rows.find((r) => r.message_id === messageId);
      expect(row).toMatchObject({ transport: "smtp", file_name: null });
    } finally {
      await smtp.close();
    }
  });

  it("does not record a message the transport failed to send, and keeps it waiting in the outbox", async () => {
    const log = capturingLog();
    const before = (await sentMailPage(handle.db, 1, 0)).total;
    const mailer = createMailer({
      db: handle.db,
      transport: smtpTransport("smtp://127.0.0.1:1?connectionTimeout=1000"),
      from: "foi@westmarch.example",
      log,
    });
    await expect(mailer.send({ ...acknowledgement, requestId })).rejects.toThrow();
    expect((await sentMailPage(handle.db, 1, 0)).total).toBe(before);
    const waiting = await outboxForRequest(handle.db, requestId, acknowledgement.kind);
    expect(waiting[0]).toMatchObject({ waiting: true, attempts: 1, delivered_at: null });
    expect(log.lines.join("\n")).toContain("mail not sent");
    expect(log.lines.join("\n")).not.toContain("zoe@example.org");
  });
});

/** Just enough of an SMTP server (RFC 5321) to receive one message in a test. */
async function fakeSmtpServer(): Promise<{
  port: number;
  received: { from: string; to: string[]; data: string }[];
  close(): Promise<void>;
}> {
  const received: { from: string; to: string[]; data: string }[] = [];
  const server: Server = createServer((socket) => {
    let buffer = "";
    let inData = false;
    let current = { from: "", to: [] as string[], data: "" };
    socket.write("220 fake ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          received.push(current);
          current = { from: "", to: [], data: "" };
          socket.write("250 OK queued\r\n");
          continue;
        }
        const newline = buffer.indexOf("\r\n");
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const command = line.slice(0, 4).toUpperCase();
        if (command === "EHLO" || command === "HELO") socket.write("250 fake\r\n");
        else if (command === "MAIL") {
          current.from = /<([^>]*)>/.exec(line)?.[1] ?? "";
          socket.write("250 OK\r\n");
        } else if (command === "RCPT") {
          current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? "");
          socket.write("250 OK\r\n");
        } else if (command === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (command === "QUIT") {
          socket.end("221 bye\r\n");
        } else socket.write("250 OK\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
