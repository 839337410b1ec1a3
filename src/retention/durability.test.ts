import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServedProcess, type ServedStore, servedStores, serveProcess, stopped } from "../cli/testing.ts";
import { migrateToLatest } from "../db/index.ts";
import { deliverQueued, memoryOutboxTransport, waitingMessages } from "../mail/index.ts";
import { createRequest, performAction, verifyAuditChain } from "../requests/index.ts";
import { draftSampleReply } from "../requests/testing.ts";
import { createApiToken } from "../users/index.ts";
import { addTestUser } from "../users/testing.ts";

// Durability: the app is killed outright (SIGKILL: no shutdown, no flush) while 50 requests are being
// submitted, and while replies are being sent. Every request the app acknowledged (201 with a reference) must
// be there after a restart, none half-written; a reply recorded as sent is emailed exactly once (mail/outbox.ts);
// and the history must verify. Both backends: the embedded database in a folder, and a PostgreSQL schema.

const since = new Date("2026-01-01T00:00:00Z");
const officer = { userId: null, label: "Post room", role: "officer" as const };
const { stores, remove } = await servedStores("foidesk-durability-");
afterAll(() => remove());

const REPLIES = 4;

describe.each(stores)("durability under SIGKILL on $name", (store: ServedStore) => {
  let token = "";
  /** Requests with a complete reply drafted, ready to send: id and version. */
  const drafted: { id: number; version: number }[] = [];
  const children: ServedProcess[] = [];
  beforeAll(async () => {
    const handle = await store.open();
    await migrateToLatest(handle.db);
    await handle.db.insertInto("authority").values({ name: "Durable Council" }).execute();
    await addTestUser(handle.db, { username: "portal", name: "Partner website", role: "officer" }, since);
    token = (await createApiToken(handle.db, { username: "portal", name: "durability" }, since)).token;
    for (let index = 0; index < REPLIES; index++) {
      const created = await createRequest(
        handle.db,
        {
          regime: "foia",
          channel: "email",
          receivedDate: "2026-01-05",
          body: `Gritting routes, question ${index}`,
          requester: { name: `Replied ${index}`, email: `replied${index}@example.org` },
        },
        officer,
        new Date("2026-01-05T09:00:00Z"),
      );
      const started = await performAction(
        handle.db,
        created.id,
        { type: "start-work" },
        1,
        officer,
        new Date("2026-01-05T10:00:00Z"),
      );
      const version = await draftSampleReply(
        handle.db,
        created.id,
        started.version,
        { officer },
        new Date("2026-01-06T09:00:00Z"),
      );
      drafted.push({ id: created.id, version });
    }
    await handle.close();
  });
  afterAll(async () => {
    for (const served of children) await stopped(served.child);
  });

  const api = (server: ServedProcess, path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });

  it("keeps every acknowledged request of 50 submitted when killed part-way, and the history verifies", async () => {
    // The acknowledgements the killed app leaves in the outbox are handed over on restart: a process killed
    // mid-hand-over holds the outbox for one claim, kept short here so as not to hold up the next test.
    const env = { MAIL_HANDOVER_TIMEOUT_SECONDS: "2" };
    const server = await serveProcess(store, env);
    children.push(server);
    const acknowledged: string[] = [];
    const kill: { done: Promise<void> | null } = { done: null };
    const submissions = Array.from({ length: 50 }, (_, index) =>
      api(server, "/requests", {
        method: "POST",
        body: JSON.stringify({
          regime: "foia",
          requester: { name: `Requester ${index}`, email: `r${index}@example.org` },
          body: `Question number ${index} about road repairs`,
        }),
      })
        .then(async (response) => {
          if (response.status !== 201)
            throw new Error(`answered ${response.status}: ${await response.text()}`);
          acknowledged.push(((await response.json()) as { reference: string }).reference);
          // Killed once a third have been acknowledged: the rest are in flight or not yet read.
          if (acknowledged.length === 17) kill.done = stopped(server.child);
        })
        .catch(() => undefined),
    );
    await Promise.all(submissions);
    await (kill.done ?? stopped(server.child));
    expect(server.child.signalCode).toBe("SIGKILL");
    expect(acknowledged.length).toBeGreaterThanOrEqual(17);
    expect(acknowledged.length).toBeLessThan(50);

    // Restarted: it opens the data folder the killed process left, and serves.
    const again = await serveProcess(store, env);
    children.push(again);
    const health = await fetch(`${again.url}/healthz`).catch(() => null);
    expect(health?.status).toBe(200);
    await stopped(again.child);

    const handle = await store.open();
    try {
      const stored = await handle.db.selectFrom("requests").select(["reference", "version"]).execute();
      const references = new Set(stored.map((row) => row.reference));
      for (const reference of acknowledged) expect(references.has(reference)).toBe(true);
      // Each acknowledged request's acknowledgement email is in the mail outbox with it, sent or waiting.
      const acknowledgements = await handle.db
        .selectFrom("mail_outbox as o")
        .innerJoin("requests as r", "r.id", "o.request_id")
        .select("r.reference")
        .where("o.kind", "=", "acknowledgement")
        .execute();
      const emailed = new Set(acknowledgements.map((row) => row.reference));
      for (const reference of acknowledged) expect(emailed.has(reference)).toBe(true);
      // What the killed app left waiting, or mid-hand-over, is handed over once its claim has run out (as the
      // outbox worker would; no lease is taken, that would hold up the next test's apps).
      const afterClaims = new Date("2100-01-01T00:00:00Z");
      const transport = memoryOutboxTransport();
      for (const id of await waitingMessages(handle.db, afterClaims))
        await deliverQueued(handle.db, id, { transport, now: afterClaims });
      const undelivered = await handle.db
        .selectFrom("mail_outbox")
        .select("id")
        .where("kind", "=", "acknowledgement")
        .where("delivered_at", "is", null)
        .execute();
      expect(undelivered).toEqual([]);
      expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, requests: stored.length });
      // Each stored request is whole: its requester and its first event came with it (one transaction).
      const orphans = await handle.db
        .selectFrom("requests as r")
        .leftJoin("requesters as q", "q.id", "r.requester_id")
        .select("r.reference")
        .where("q.id", "is", null)
        .execute();
      expect(orphans).toEqual([]);
    } finally {
      await handle.close();
    }
  }, 300_000);

  it("emails each reply recorded as sent exactly once when killed while the mail server takes one", async () => {
    // A mail server in the test: it keeps what it accepts (answers 250). The first message it is given kills
    // the app before it is accepted, as a power cut would while the reply is being handed over.
    const accepted: string[] = [];
    let interrupted: string | null = null;
    let app: ServedProcess | null = null;
    let killing: Promise<void> | null = null;
    let restarted = false;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["AUTH", "STARTTLS"],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const messageId = /^Message-ID:\s*(\S+)/im.exec(Buffer.concat(chunks).toString("utf8"))?.[1] ?? "";
          if (interrupted === null && app) {
            interrupted = messageId;
            killing = stopped(app.child);
            void killing.then(() => callback(new Error("451 the sender went away")));
            return;
          }
          // The app hands several replies over at once: one that reaches the end of its message while the
          // first is killing the app (SIGKILL takes a moment on a loaded machine) is refused for now, as a
          // server going down would, so that "nothing accepted before the restart" does not hang on timing.
          if (!restarted) {
            callback(new Error("451 try again later"));
            return;
          }
          accepted.push(messageId);
          callback();
        });
      },
    });
    // The killed app drops its connection: a reset the server reports, and expected here.
    smtp.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET") throw error;
    });
    const port = await new Promise<number>((done) => {
      smtp.listen(0, "127.0.0.1", () => done((smtp.server.address() as { port: number }).port));
    });
    const env = {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_HANDOVER_TIMEOUT_SECONDS: "2",
      MAIL_OUTBOX_EVERY_SECONDS: "1",
    };
    try {
      app = await serveProcess(store, env);
      children.push(app);
      const sends = await Promise.allSettled(
        drafted.map((request) =>
          api(app!, `/requests/${request.id}/reply/send`, {
            method: "POST",
            body: JSON.stringify({ version: request.version }),
          }).then((response) => response.status),
        ),
      );
      await killing;
      expect(app.child.signalCode).toBe("SIGKILL");
      expect(interrupted).toMatch(/^<.+@.+>$/);
      expect(accepted).toEqual([]);
      // Whatever the app answered before it died: no send was answered with anything but success.
      for (const send of sends) if (send.status === "fulfilled") expect(send.value).toBe(200);

      // Restarted: the outbox worker hands over what is waiting, the interrupted reply once its claim ran out.
      restarted = true;
      const again = await serveProcess(store, env);
      children.push(again);
      const responded = async () => {
        const states = await Promise.all(
          drafted.map((request) =>
            api(again, `/requests/${request.id}`).then(
              async (response) => ((await response.json()) as { state: string }).state,
            ),
          ),
        );
        return states.filter((state) => state === "responded").length;
      };
      const sent = await responded();
      expect(sent).toBeGreaterThanOrEqual(1);
      for (let waited = 0; accepted.length < sent && waited < 60; waited++)
        await new Promise((done) => setTimeout(done, 500));
      // A little longer: nothing may come a second time.
      await new Promise((done) => setTimeout(done, 3000));
      await stopped(again.child, "SIGTERM");

      expect(accepted).toHaveLength(sent);
      expect(new Set(accepted).size).toBe(accepted.length);
      expect(accepted.filter((messageId) => messageId === interrupted)).toHaveLength(1);
      const handle = await store.open();
      try {
        const replies = await handle.db
          .selectFrom("replies as p")
          .leftJoin("mail_outbox as o", "o.request_id", "p.request_id")
          .leftJoin("sent_mail as m", "m.id", "o.sent_mail_id")
          .select([
            "p.request_id",
            "p.sent_at",
            "o.message_id",
            "o.delivered_at",
            "m.message_id as sent_message_id",
          ])
          .where(
            "p.request_id",
            "in",
            drafted.map((request) => request.id),
          )
          .execute();
        const sentReplies = replies.filter((reply) => reply.sent_at !== null);
        expect(sentReplies).toHaveLength(sent);
        // "Sent" means stored and emailed once: each has one delivered outbox row, recorded in sent mail.
        for (const reply of sentReplies) {
          expect(reply.delivered_at).not.toBeNull();
          expect(reply.sent_message_id).toBe(reply.message_id);
          expect(accepted).toContain(reply.message_id);
        }
        // A reply not recorded as sent left nothing in the outbox and nothing at the mail server.
        for (const reply of replies.filter((row) => row.sent_at === null))
          expect(reply.message_id).toBeNull();
        const all = await handle.db.selectFrom("requests").select("id").execute();
        expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, requests: all.length });
      } finally {
        await handle.close();
      }
    } finally {
      await new Promise((done) => smtp.close(() => done(undefined)));
    }
  }, 300_000);
});
