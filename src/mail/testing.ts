import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/index.ts";
import { createMailer, type OutboundMessage } from "./outbound.ts";
import { type MailTransport, memoryOutboxTransport } from "./transports.ts";

// Test fixtures for inbound mail: RFC 5322 messages written out in full (CRLF lines, MIME parts), the way a
// mail client or a relay would deliver them.

export interface EmlFixture {
  from?: string | null;
  to?: string;
  subject?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string;
  date?: string;
  /** Extra header lines, e.g. `Auto-Submitted: auto-replied`. */
  headers?: readonly string[];
  text?: string;
  attachments?: readonly { filename: string; contentType: string; content: Uint8Array }[];
}

/** One message as bytes; multipart/mixed when it has attachments (base64, as clients send them). */
export function emlMessage(fixture: EmlFixture): Buffer {
  const head = [
    ...(fixture.from === null ? [] : [`From: ${fixture.from ?? '"Jo Bloggs" <jo@example.org>'}`]),
    `To: ${fixture.to ?? "foi@westmarch.example"}`,
    `Subject: ${fixture.subject ?? "Information request"}`,
    `Date: ${fixture.date ?? "Tue, 10 Mar 2026 09:30:00 +0000"}`,
    ...(fixture.messageId === null ? [] : [`Message-ID: ${fixture.messageId ?? "<fixture@example.org>"}`]),
    ...(fixture.inReplyTo ? [`In-Reply-To: ${fixture.inReplyTo}`] : []),
    ...(fixture.references ? [`References: ${fixture.references}`] : []),
    ...(fixture.headers ?? []),
    "MIME-Version: 1.0",
  ];
  const text = (fixture.text ?? "Please send me the information.").replace(/\r?\n/g, "\r\n");
  if (!fixture.attachments?.length) {
    return Buffer.from(
      [
        ...head,
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        text,
        "",
      ].join("\r\n"),
    );
  }
  const boundary = "----=_fixture_boundary";
  const parts = [
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    text,
    ...fixture.attachments.flatMap((file) => [
      `--${boundary}`,
      `Content-Type: ${file.contentType}; name="${file.filename}"`,
      `Content-Disposition: attachment; filename="${file.filename}"`,
      "Content-Transfer-Encoding: base64",
      "",
      ...(Buffer.from(file.content)
        .toString("base64")
        .match(/.{1,76}/g) ?? []),
    ]),
    `--${boundary}--`,
    "",
  ];
  return Buffer.from(
    [...head, `Content-Type: multipart/mixed; boundary="${boundary}"`, "", ...parts].join("\r\n"),
  );
}

/** A transport that refuses everything, as an SMTP server that is down. */
export function refusingTransport(error = "connection refused by smtp.example.org"): MailTransport {
  return {
    kind: "smtp",
    async deliver() {
      throw new Error(error);
    },
    async stored() {
      return null;
    },
    async discard() {},
    async close() {},
  };
}

/** The in-memory outbox that refuses, as a mail server that is down, while `refusing` is set. */
export function switchableTransport(options: { refusing?: boolean } = {}) {
  const memory = memoryOutboxTransport();
  const refusing = refusingTransport();
  const transport = {
    ...memory,
    refusing: options.refusing === true,
    deliver: (...args: Parameters<MailTransport["deliver"]>) =>
      transport.refusing ? refusing.deliver(...args) : memory.deliver(...args),
  };
  return transport;
}

/**
 * A real mailer over the in-memory outbox that also keeps each queued message as given (`queued`), and
 * refuses while `refusing` is set; `now` is the test's clock.
 */
export function testMailer(db: Kysely<Database>, now: () => Date, options: { refusing?: boolean } = {}) {
  const transport = switchableTransport(options);
  const mailer = createMailer({
    db,
    transport,
    now,
    from: '"Westmarch Constabulary" <foi@westmarch.example>',
  });
  const queued: OutboundMessage[] = [];
  return {
    ...mailer,
    get refusing() {
      return transport.refusing;
    },
    set refusing(yes: boolean) {
      transport.refusing = yes;
    },
    /** The transport behind the mailer, for the outbox worker (deliverWaitingIfFree). */
    transport,
    queued,
    delivered: transport.messages,
    async queue(trx: Transaction<Database>, message: OutboundMessage) {
      queued.push(message);
      return mailer.queue(trx, message);
    },
  };
}
