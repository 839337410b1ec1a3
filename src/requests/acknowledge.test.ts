import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { deliverWaitingIfFree, readMessage } from "../mail/index.ts";
import { testMailer } from "../mail/testing.ts";
import { memoryFileStore } from "../storage/index.ts";
import {
  type Actor,
  acknowledgeRequest,
  createRequest,
  performAction,
  requestDetail,
  takeAction,
  trackingTokenHash,
  verifyAuditChain,
} from "./index.ts";

// Acknowledging is one thing on every channel: the message (an email, or a letter to post), the event that
// says how and to whom, and the state. These are the service's promises; the pages and the API are tested
// in web/staff and web/api.

const now = new Date("2026-03-12T10:00:00Z");

describe.each(testBackends())("acknowledging a request on $name", (backend) => {
  let handle: DatabaseHandle;
  let officer: Actor;
  const files = memoryFileStore();
  let mailer: ReturnType<typeof testMailer>;
  const deps = (given = mailer) => ({ db: handle.db, files, mailer: given, baseUrl: "https://foi.example" });

  beforeAll(async () => {
    handle = await backend.open();
    mailer = testMailer(handle.db, () => now);
    await handle.db
      .insertInto("authority")
      .values({ name: "Westmarch Constabulary", address: "1 Castle Street\nWestmarch WM1 1AA" })
      .execute();
    const [user] = await handle.db
      .insertInto("users")
      .values({ username: "o", display_name: "Olivia Okafor", role: "officer", password_hash: "x" })
      .returning(["id", "display_name", "role"])
      .execute();
    officer = { userId: user!.id, label: user!.display_name, role: user!.role };
  });
  afterAll(async () => handle?.close());

  /** Whether the tracking link in `text` is the request's: its hash is the one kept. */
  const linkOpens = async (id: number, text: string) => {
    const token = /https:\/\/foi\.example\/track\/([A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? "";
    const row = await handle.db
      .selectFrom("requests")
      .select("tracking_token_hash")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    return row.tracking_token_hash === trackingTokenHash(token);
  };

  const logged = (requester: Record<string, string>) =>
    createRequest(
      handle.db,
      {
        regime: "foia",
        channel: requester.email ? "email" : "post",
        receivedDate: "2026-03-10",
        body: "How many bicycles were reported stolen in Westmarch in 2025?",
        requester: { type: "public", ...requester },
      },
      officer,
      now,
    );

  it("posts a letter to a requester with only an address: PDF and Word on the request, recorded as posted", async () => {
    const { id, reference } = await logged({ name: "Pat Post", address: "9 Quay Street\nWestmarch WM1 4EF" });
    const before = mailer.queued.length;
    const result = await acknowledgeRequest(deps(), id, 1, officer, now);
    expect(result).toMatchObject({ state: "acknowledged", version: 2, method: "post" });
    expect(mailer.queued.length).toBe(before);

    const detail = await requestDetail(handle.db, { id }, officer, now);
    expect(detail.request.state).toBe("acknowledged");
    expect(detail.actions.map((action) => action.type)).not.toContain("acknowledge");
    expect(detail.timeline.at(-1)).toMatchObject({
      type: "acknowledge",
      label: "Request acknowledged",
      actor: "Olivia Okafor",
      details: {
        sentBy: "post",
        sentTo: "9 Quay Street\nWestmarch WM1 4EF",
        letter: `${reference}-acknowledgement.pdf`,
        word: `${reference}-acknowledgement.docx`,
      },
    });
    const [pdf, word] = detail.documents;
    expect(pdf).toMatchObject({ filename: `${reference}-acknowledgement.pdf`, part_of_reply: false });
    expect(word).toMatchObject({ filename: `${reference}-acknowledgement.docx`, part_of_reply: false });
    expect(strFromU8((await files.get(pdf!.storage_key)).subarray(0, 5))).toBe("%PDF-");
    // The Word copy says what the PDF says (the same letter; the PDF's wording is read in mail.test.ts).
    const text = strFromU8(unzipSync(await files.get(word!.storage_key))["word/document.xml"]!)
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ");
    expect(text).toContain("Dear Pat Post,");
    expect(text).toContain("9 Quay Street");
    expect(text).toContain(`Your reference is ${reference}`);
    expect(text).toContain("How many bicycles were reported stolen in Westmarch in 2025?");
    expect(text).toContain("Yours sincerely,");
    // The link in the letter opens the request: its hash is the one kept.
    expect(await linkOpens(id, text)).toBe(true);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });

  it("emails a requester with an email address, and records the email as the acknowledgement", async () => {
    const { id, reference } = await logged({ name: "Eve Mail", email: "eve@example.org" });
    const result = await takeAction(
      deps(),
      id,
      { type: "acknowledge", note: "Called her too" },
      1,
      officer,
      now,
    );
    expect(result).toMatchObject({ state: "acknowledged", version: 2 });
    const message = mailer.queued.at(-1)!;
    expect(message).toMatchObject({ to: "eve@example.org", kind: "acknowledgement", requestId: id });
    expect(message.subject).toBe(`We have received your request ${reference}`);
    expect(message.text).toMatch(/https:\/\/foi\.example\/track\/[A-Za-z0-9_-]{43}/);
    const detail = await requestDetail(handle.db, { id }, officer, now);
    expect(detail.documents).toEqual([]);
    expect(detail.timeline.at(-1)).toMatchObject({
      type: "acknowledge",
      details: { sentBy: "email", sentTo: "eve@example.org", note: "Called her too" },
    });
  });

  it("keeps the acknowledgement waiting in the outbox while the mail server refuses, and hands it over once it accepts", async () => {
    const { id, reference } = await logged({ name: "Fay Fail", email: "fay@example.org" });
    const refused = testMailer(handle.db, () => now, { refusing: true });
    const result = await acknowledgeRequest(deps(refused), id, 1, officer, now);
    // Acknowledged (the email is queued with the event, so it cannot be lost), and the refusal is in its history.
    expect(result).toMatchObject({ state: "acknowledged", method: "email", to: "fay@example.org" });
    const detail = await requestDetail(handle.db, { id }, officer, now);
    expect(detail.request.state).toBe("acknowledged");
    expect(detail.timeline.map((entry) => entry.type).slice(-2)).toEqual([
      "acknowledge",
      "acknowledgement-email-failed",
    ]);
    expect(detail.timeline.at(-1)).toMatchObject({
      label: "Acknowledgement email not delivered",
      details: { sentTo: "fay@example.org", error: "connection refused by smtp.example.org" },
    });
    expect(refused.delivered.size).toBe(0);
    const waiting = () =>
      handle.db
        .selectFrom("mail_outbox")
        .select(["kind", "to_address", "attempts", "delivered_at"])
        .where("request_id", "=", id)
        .execute();
    const sent = () =>
      handle.db.selectFrom("sent_mail").select("kind").where("request_id", "=", id).execute();
    expect(await sent()).toEqual([]);
    expect(await waiting()).toEqual([
      { kind: "acknowledgement", to_address: "fay@example.org", attempts: 1, delivered_at: null },
    ]);

    // The mail server is back: the outbox worker hands it over at its next try, a minute on.
    refused.refusing = false;
    const later = new Date(now.getTime() + 60_000);
    const run = await deliverWaitingIfFree(handle.db, refused.transport, () => later, "worker");
    expect(run?.delivered).toBeGreaterThanOrEqual(1);
    expect((await waiting())[0]?.delivered_at).toEqual(later);
    const [raw] = [...refused.delivered.values()];
    const message = readMessage(raw!);
    expect(message.headers.subject).toBe(`We have received your request ${reference}`);
    expect(message.headers.to).toBe("fay@example.org");
    // The link it carries opens the request.
    expect(await linkOpens(id, message.text)).toBe(true);
    expect(await sent()).toEqual([{ kind: "acknowledgement" }]);
  });

  it("sends nothing when the acknowledgement is not allowed (a stale page, or already acknowledged)", async () => {
    const { id } = await logged({ name: "Sid Stale", email: "sid@example.org" });
    await performAction(
      handle.db,
      id,
      { type: "add-note", note: "Rang to check the address" },
      1,
      officer,
      now,
    );
    const before = mailer.queued.length;
    await expect(acknowledgeRequest(deps(), id, 1, officer, now)).rejects.toThrow(/changed by Olivia Okafor/);
    await acknowledgeRequest(deps(), id, 2, officer, now);
    await expect(acknowledgeRequest(deps(), id, 3, officer, now)).rejects.toThrow(/not allowed/);
    expect(mailer.queued.length).toBe(before + 1);
  });
});
