import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "../../db/index.ts";
import { emlMessage } from "../../mail/testing.ts";
import { createRequest } from "../../requests/index.ts";
import { runCli } from "../testing.ts";
import { startServer } from "./serve.ts";

const actor = { userId: null, label: "Post room", role: "officer" as const };

/** The messages are processed at 09:00 on Tuesday 10 March 2026. */
const now = new Date("2026-03-10T09:00:00Z");
const foidesk = (argv: string[]) => runCli(argv, { now: () => now });

describe("foidesk mail", () => {
  let folder: string;
  let reference = "";
  const withDb = async <T>(work: (handle: DatabaseHandle) => Promise<T>) => {
    const handle = await openDatabase({ kind: "pglite", dataDir: folder });
    try {
      return await work(handle);
    } finally {
      await handle.close();
    }
  };

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "foidesk-mail-"));
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("FOIDESK_DATA_DIR", folder);
    vi.stubEnv("SMTP_URL", "");
    // Vitest sets BASE_URL to "/" for Vite; the app needs an absolute one for tracking links.
    vi.stubEnv("BASE_URL", "http://localhost:3000");
    vi.stubEnv("INBOUND_ADDRESSES", "");
    await withDb(async (handle) => {
      await migrateToLatest(handle.db);
      await handle.db
        .insertInto("authority")
        .values({ name: "Test Council", email: "foi@council.example" })
        .execute();
      reference = (
        await createRequest(
          handle.db,
          {
            regime: "foia",
            channel: "post",
            receivedDate: "2026-03-02",
            body: "How many potholes were repaired?",
            requester: { name: "Priya Raman", email: "priya@example.org" },
          },
          actor,
          new Date("2026-03-02T09:00:00Z"),
        )
      ).reference;
    });
    await writeFile(
      join(folder, "reply.eml"),
      emlMessage({
        from: "Priya Raman <priya@example.org>",
        subject: `Re: ${reference}`,
        messageId: "<r1@example.org>",
      }),
    );
    await writeFile(
      join(folder, "new.eml"),
      emlMessage({
        from: "Sam Lee <sam@example.org>",
        subject: "Gritting routes",
        messageId: "<n1@example.org>",
      }),
    );
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(folder, { recursive: true, force: true });
  });

  it("refuses a file it cannot read, naming it, before processing any", async () => {
    const result = await foidesk(["mail", "import", join(folder, "reply.eml"), join(folder, "missing.eml")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing.eml: ENOENT (FILE)");
    expect(await withDb((handle) => handle.db.selectFrom("received_mail").selectAll().execute())).toEqual([]);
  });

  it("imports saved messages: a reply joins its request, a new email is logged and acknowledged", async () => {
    const result = await foidesk(["mail", "import", join(folder, "reply.eml"), join(folder, "new.eml")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`reply.eml: added to request ${reference}`);
    const logged = /new\.eml: logged as request (01\.FOI\.26\.\d{6})\n/.exec(result.stdout)?.[1];
    expect(logged).toBeDefined();
    // Logged as received the day it was processed.
    const request = await withDb((handle) =>
      handle.db
        .selectFrom("requests")
        .select(["received_date"])
        .where("reference", "=", logged!)
        .executeTakeFirstOrThrow(),
    );
    expect(request.received_date).toBe("2026-03-10");
    expect(result.output).not.toContain("priya@example.org");
    expect(result.output).not.toContain("Gritting");
    expect((await readdir(join(folder, "outbox"))).length).toBe(1);
    const again = await foidesk(["mail", "import", join(folder, "new.eml")]);
    expect(again.stdout).toContain("new.eml: already received: ignored");
  });

  it("names INBOUND_ADDRESSES when an address to receive for is not one", async () => {
    vi.stubEnv("INBOUND_ADDRESSES", "foi@council.example, not-an-address");
    const result = await foidesk(["mail", "receive", "--listen", "0"]);
    vi.stubEnv("INBOUND_ADDRESSES", "");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"not-an-address" is not an email address (INBOUND_ADDRESSES)');
  });

  it("serve receives email too when INBOUND_SMTP_PORT is set", async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const server = await startServer(
      { port: 0, host: "127.0.0.1", demo: false, now: () => now },
      { ...process.env, INBOUND_SMTP_PORT: "0", PUBLISH_DUE_EVERY_MINUTES: "0" },
    ).finally(() => spy.mockRestore());
    try {
      const line = printed.find((text) => text.startsWith("Receiving email on port"));
      expect(line).toContain("for foi@council.example");
      const port = Number(/port (\d+)/.exec(line ?? "")?.[1]);
      const sender = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
      await sender.sendMail({
        from: "Priya Raman <priya@example.org>",
        to: "foi@council.example",
        subject: `Another question about ${reference}`,
        text: "And in 2024?",
      });
      sender.close();
      const row = await server.handle.db
        .selectFrom("received_mail")
        .select(["status", "received_at"])
        .where("subject", "=", `Another question about ${reference}`)
        .executeTakeFirstOrThrow();
      // Received by the server at its clock's time.
      expect(row).toEqual({ status: "threaded", received_at: now });
    } finally {
      await server.stop();
    }
  });
});
