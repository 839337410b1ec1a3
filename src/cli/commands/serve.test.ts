import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/index.ts";
import { testBackends } from "../../db/testing.ts";
import { isDomainError } from "../../errors.ts";
import {
  handoverTimeoutMs,
  outboxEverySeconds,
  parsePort,
  prepareFirstRun,
  publishEveryMinutes,
} from "./serve.ts";

describe("foidesk serve", () => {
  it("takes a port from 0 to 65535 and names the option otherwise", () => {
    expect(parsePort("3000", "--port")).toBe(3000);
    expect(parsePort("0", "PORT")).toBe(0);
    for (const text of ["70000", "-1", "http", ""]) {
      const error = (() => {
        try {
          parsePort(text, "--port");
        } catch (caught) {
          return caught;
        }
      })();
      expect(isDomainError(error) && error.field).toBe("--port");
    }
  });
});

describe("the publication timer's setting", () => {
  it("is hourly unless PUBLISH_DUE_EVERY_MINUTES says otherwise (0: off), and names the variable when wrong", () => {
    expect(publishEveryMinutes({})).toBe(60);
    expect(publishEveryMinutes({ PUBLISH_DUE_EVERY_MINUTES: "0" })).toBe(0);
    expect(publishEveryMinutes({ PUBLISH_DUE_EVERY_MINUTES: "15" })).toBe(15);
    for (const text of ["-5", "soon", "99999"])
      expect(() => publishEveryMinutes({ PUBLISH_DUE_EVERY_MINUTES: text })).toThrow(
        expect.objectContaining({ field: "PUBLISH_DUE_EVERY_MINUTES" }),
      );
  });

  it("hands mail over from the outbox every minute, taking a silent sender for dead after ten, unless set", () => {
    expect(outboxEverySeconds({})).toBe(60);
    expect(handoverTimeoutMs({})).toBe(600_000);
    expect(handoverTimeoutMs({ MAIL_HANDOVER_TIMEOUT_SECONDS: "2" })).toBe(2000);
    for (const text of ["0", "never", "100000"])
      expect(() => outboxEverySeconds({ MAIL_OUTBOX_EVERY_SECONDS: text })).toThrow(
        expect.objectContaining({ field: "MAIL_OUTBOX_EVERY_SECONDS" }),
      );
  });
});

describe.each(testBackends())("serve's first run on $name", (backend) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await backend.open();
  });
  afterAll(async () => handle?.close());

  it("without --demo, says how to create the first administrator when nobody can sign in", async () => {
    const lines = await prepareFirstRun(handle.db, false, new Date("2026-06-10T10:00:00Z"));
    expect(lines[0]).toBe("Nobody can sign in yet. Create the first administrator with:");
    expect(lines[1]).toContain("foidesk user create --username admin");
  });

  it("with --demo, loads the demo once and prints the log-ins every time", async () => {
    const now = new Date("2024-05-01T09:00:00Z");
    const first = await prepareFirstRun(handle.db, true, now);
    expect(first[0]).toMatch(/^Loaded the demo: \d+ requests\.$/);
    expect(first).toContain("Sign in as:");
    expect(first.some((line) => /^\s+officer\s+password \S+/.test(line))).toBe(true);
    // Managers and administrators need a code too: the banner says how to get one.
    expect(first.some((line) => /^\s+manager\s+password \S+ .*\+ code$/.test(line))).toBe(true);
    expect(first).toContain("  GVEW S4TU NBAW GZLE 6NXH I2LE MVZW WZLZ");
    expect(first).toContain("  npx foidesk demo code");
    // The README names the gangs request by what it is; the start-up says its reference on this machine.
    expect(first).toContain(
      "  The gangs request: 01.FOI.24.000001  /staff/requests/by-reference/01.FOI.24.000001",
    );
    const again = await prepareFirstRun(handle.db, true, now);
    expect(again[0]).toBe("Demo data already loaded.");
    expect(again.slice(1)).toEqual(first.slice(1));
    expect(await prepareFirstRun(handle.db, false, now)).toEqual([]);
  });
});
