import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, takeLease } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import {
  composeMessage,
  deliverQueued,
  deliverWaitingIfFree,
  type MailTransport,
  OUTBOX_LEASE,
  outboxTransport,
  queueMessage,
  waitingMessages,
} from "./index.ts";
import { refusingTransport } from "./testing.ts";

// The outbox: a queued message is handed over once, even when the process handing it over dies before it
// could record that (the claim runs out, and the outbox folder keeps one copy per Message-ID); one process
// at a time claims a message; a refusal waits and is tried again, then the outbox gives up.

const t0 = new Date("2026-03-02T09:00:00Z");
const later = (ms: number) => new Date(t0.getTime() + ms);
const CLAIM_MS = 60_000;

describe.each(testBackends())("the mail outbox on $name", (backend) => {
  let handle: DatabaseHandle;
  let folder: string;
  beforeAll(async () => {
    handle = await backend.open();
    folder = await mkdtemp(join(tmpdir(), "foidesk-outbox-"));
  });
  afterAll(async () => {
    await handle.close();
    await rm(folder, { recursive: true, force: true });
  });

  async function queued(to = "jo@example.org") {
    const composed = await composeMessage(
      { to, subject: "Our reply to your request FOI-1", text: "The answer.", kind: "reply" },
      '"Council" <foi@council.example>',
      t0,
    );
    return handle.db
      .transaction()
      .execute((trx) =>
        queueMessage(
          trx,
          { ...composed, to, subject: "Our reply to your request FOI-1", kind: "reply", requestId: null },
          t0,
        ),
      );
  }

  /** The outbox folder, counting each hand-over it is given. */
  function countingFolder(path: string): MailTransport & { handovers: number } {
    const inner = outboxTransport(path);
    const counting = {
      ...inner,
      handovers: 0,
      deliver: (...args: Parameters<MailTransport["deliver"]>) => {
        counting.handovers++;
        return inner.deliver(...args);
      },
    };
    return counting;
  }

  it("hands a queued message over once and records it sent", async () => {
    const path = join(folder, "once");
    const transport = countingFolder(path);
    const message = await queued();
    expect(await deliverQueued(handle.db, message.id, { transport, now: later(1000) })).toEqual({
      status: "delivered",
      messageId: message.messageId,
    });
    expect(await deliverQueued(handle.db, message.id, { transport, now: later(2000) })).toEqual({
      status: "skipped",
    });
    expect(transport.handovers).toBe(1);
    expect(await readdir(path)).toHaveLength(1);
    const row = await handle.db
      .selectFrom("mail_outbox as o")
      .innerJoin("sent_mail as m", "m.id", "o.sent_mail_id")
      .select(["o.raw", "o.delivered_at", "m.message_id", "m.to_address", "m.file_name"])
      .where("o.id", "=", message.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ raw: null, message_id: message.messageId, to_address: "jo@example.org" });
    expect(row.file_name).toBe((await readdir(path))[0]);
  });

  it("after a process died mid-hand-over, hands it over again once its claim runs out, without a second copy", async () => {
    const path = join(folder, "crash");
    const transport = countingFolder(path);
    const message = await queued();
    // The first process claimed it and the transport took it; then it died before recording so.
    await handle.db
      .updateTable("mail_outbox")
      .set({ handed_over_at: later(0), attempts: 1 })
      .where("id", "=", message.id)
      .execute();
    const row = await handle.db
      .selectFrom("mail_outbox")
      .select(["raw", "envelope"])
      .where("id", "=", message.id)
      .executeTakeFirstOrThrow();
    await transport.deliver(Buffer.from(row.raw!), row.envelope as never, {
      messageId: message.messageId,
      date: t0,
    });

    // While the claim holds, nobody else takes it.
    expect(await waitingMessages(handle.db, later(CLAIM_MS - 1), CLAIM_MS)).not.toContain(message.id);
    expect(
      await deliverQueued(handle.db, message.id, { transport, now: later(CLAIM_MS - 1), claimMs: CLAIM_MS }),
    ).toEqual({ status: "skipped" });
    // Once it has run out, the worker hands it over: the folder already has it, so the requester has one.
    expect(await waitingMessages(handle.db, later(CLAIM_MS), CLAIM_MS)).toContain(message.id);
    const run = await deliverWaitingIfFree(handle.db, transport, () => later(CLAIM_MS), "worker-1", {
      claimMs: CLAIM_MS,
    });
    expect(run?.delivered).toBeGreaterThanOrEqual(1);
    expect(transport.handovers).toBe(2);
    expect(await readdir(path)).toHaveLength(1);
    const sent = await handle.db
      .selectFrom("sent_mail")
      .select("id")
      .where("message_id", "=", message.messageId)
      .execute();
    expect(sent).toHaveLength(1);
  });

  it("lets one of two processes hand a message over at the same moment", async () => {
    const path = join(folder, "race");
    const transport = countingFolder(path);
    const message = await queued();
    const results = await Promise.all([
      deliverQueued(handle.db, message.id, { transport, now: later(5000) }),
      deliverQueued(handle.db, message.id, { transport, now: later(5000) }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["delivered", "skipped"]);
    expect(transport.handovers).toBe(1);
  });

  it("tries a refused message again later, gives up after five tries, and a forced try still sends it", async () => {
    const refusing = refusingTransport();
    const message = await queued();
    const first = await deliverQueued(handle.db, message.id, { transport: refusing, now: later(0) });
    expect(first).toMatchObject({ status: "failed", gaveUp: false, error: /connection refused/ });
    // Not before its next try is due (a minute on).
    expect(await waitingMessages(handle.db, later(59_000))).not.toContain(message.id);
    expect(await waitingMessages(handle.db, later(60_000))).toContain(message.id);
    let at = 60_000;
    let last = first;
    for (let attempt = 2; attempt <= 5; attempt++) {
      last = await deliverQueued(handle.db, message.id, { transport: refusing, now: later(at) });
      at += 3 * 3_600_000;
    }
    expect(last).toMatchObject({ status: "failed", gaveUp: true });
    expect(await waitingMessages(handle.db, later(at + 86_400_000))).not.toContain(message.id);
    const transport = countingFolder(join(folder, "forced"));
    expect(
      await deliverQueued(handle.db, message.id, { transport, now: later(at), force: true }),
    ).toMatchObject({
      status: "delivered",
    });
  });

  // Found by CI: a process killed while its worker held the outbox lease held up every waiting reply for the
  // lease's 15 minutes, though the message it was handing over could be taken again after its claim.
  it("after a process died holding the outbox lease, another hands waiting mail over once one claim has run out", async () => {
    const message = await queued();
    // The dying process: its worker took the lease and a message, and the mail server never answered.
    const hanging: MailTransport = {
      ...countingFolder(join(folder, "hang")),
      deliver: () => new Promise(() => {}),
    };
    void deliverWaitingIfFree(handle.db, hanging, () => later(1000), "killed-process", { claimMs: CLAIM_MS });
    await expect
      .poll(() =>
        handle.db
          .selectFrom("mail_outbox")
          .select("handed_over_at")
          .where("id", "=", message.id)
          .executeTakeFirst(),
      )
      .toMatchObject({ handed_over_at: later(1000) });
    const transport = countingFolder(join(folder, "after-death"));
    expect(
      await deliverWaitingIfFree(handle.db, transport, () => later(2000), "restarted", { claimMs: CLAIM_MS }),
    ).toBeNull();
    const run = await deliverWaitingIfFree(handle.db, transport, () => later(1000 + CLAIM_MS), "restarted", {
      claimMs: CLAIM_MS,
    });
    expect(run?.delivered).toBeGreaterThanOrEqual(1);
    const row = await handle.db
      .selectFrom("mail_outbox")
      .select("delivered_at")
      .where("id", "=", message.id)
      .executeTakeFirstOrThrow();
    expect(row.delivered_at).toEqual(later(1000 + CLAIM_MS));
  });

  it("leaves waiting mail to the process that holds the outbox lease", async () => {
    await queued();
    expect(await takeLease(handle.db, OUTBOX_LEASE, "other-process", later(0), 60_000)).toBe(true);
    const transport = countingFolder(join(folder, "leased"));
    expect(await deliverWaitingIfFree(handle.db, transport, () => later(1000), "this-process")).toBeNull();
    expect(transport.handovers).toBe(0);
    expect(
      (await deliverWaitingIfFree(handle.db, transport, () => later(61_000), "this-process"))?.delivered,
    ).toBe(1);
  });
});
