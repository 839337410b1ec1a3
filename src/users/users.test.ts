import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import {
  accountHistory,
  backoffSeconds,
  createApiToken,
  createUser,
  defaultSessionIdleMinutes,
  endSession,
  hashPassword,
  listTokens,
  type NewStaffUser,
  resumeSession,
  revokeToken,
  sessionLifetimeMs,
  signIn,
  signInAlarm,
  signInThrottle,
  userForApiToken,
} from "./index.ts";

const t0 = new Date("2024-05-01T09:00:00Z");
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

describe.each(testBackends())("staff accounts on $name", (backend) => {
  let handle: DatabaseHandle;
  const db = () => handle.db;
  const create = (user: NewStaffUser) => createUser(db(), user, { userId: null, label: "tests" }, t0);
  beforeAll(async () => {
    handle = await backend.open();
    await create({
      username: "olivia",
      name: "Olivia Officer",
      role: "officer",
      team: "Information Rights",
      password: "olivia-password-1",
    });
  });
  afterAll(async () => handle?.close());

  describe("creating users", () => {
    it("stores the user in their team, with the password hashed", async () => {
      const user = await create({
        username: "Martin",
        name: "Martin Manager",
        role: "manager",
        team: "Information Rights",
        password: "martin-password-1",
      });
      expect(user).toMatchObject({
        username: "Martin",
        name: "Martin Manager",
        role: "manager",
        teamName: "Information Rights",
      });
      const row = await db()
        .selectFrom("users")
        .select("password_hash")
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^scrypt\$/);
      const teams = await db().selectFrom("teams").select("name").execute();
      expect(teams).toEqual([{ name: "Information Rights" }]);
    });

    it("records who created the account and when, by the caller's clock", async () => {
      await createUser(
        db(),
        { username: "cleo", name: "Cleo", role: "officer", password: "cleo-password-1" },
        { userId: null, label: "command line" },
        minutes(7),
      );
      const { events } = await accountHistory(db(), "cleo");
      expect(events).toEqual([
        expect.objectContaining({ kind: "created", actorLabel: "command line", at: minutes(7) }),
      ]);
    });

    it("refuses a second user with the same username, whatever its case", async () => {
      await expect(
        create({
          username: "OLIVIA",
          name: "Another",
          role: "officer",
          password: "another-password",
        }),
      ).rejects.toMatchObject({ code: "conflict", field: "username" });
    });

    it("names the field that is wrong", async () => {
      await expect(
        create({ username: "x y", name: "N", role: "officer", password: "long-enough-1" }),
      ).rejects.toMatchObject({ code: "invalid", field: "username" });
      await expect(
        create({ username: "newbie", name: "N", role: "superuser", password: "long-enough-1" }),
      ).rejects.toMatchObject({ code: "invalid", field: "role" });
      await expect(
        create({ username: "newbie", name: "N", role: "officer", password: "short" }),
      ).rejects.toMatchObject({
        code: "invalid",
        field: "password",
        message: "A password must be at least 10 characters",
      });
    });
  });

  describe("sessions", () => {
    it("signs in with the right password and finds the session, kept in use, until its 12 hours are up", async () => {
      const signedIn = await signIn(
        db(),
        { username: "olivia", password: "olivia-password-1", ip: "10.0.0.1" },
        t0,
      );
      expect(signedIn.user.name).toBe("Olivia Officer");
      expect(signedIn.expiresAt).toEqual(new Date(t0.getTime() + sessionLifetimeMs));

      // Used every 20 minutes, all day.
      for (let minute = 20; minute < sessionLifetimeMs / 60_000; minute += 20) {
        const found = await resumeSession(db(), signedIn.token, minutes(minute));
        expect(found, `minute ${minute}`).toMatchObject({
          status: "live",
          session: { user: { username: "olivia" }, csrfToken: signedIn.csrfToken },
        });
      }
      const end = new Date(t0.getTime() + sessionLifetimeMs);
      expect(await resumeSession(db(), signedIn.token, end)).toEqual({ status: "none" });
    });

    it(`ends a session left unused for ${defaultSessionIdleMinutes} minutes, or as configured`, async () => {
      const signIns = await Promise.all(
        [1, 2].map(() =>
          signIn(db(), { username: "olivia", password: "olivia-password-1", ip: "10.0.0.1" }, t0),
        ),
      );
      const [first, second] = signIns.map((signedIn) => signedIn.token) as [string, string];
      expect((await resumeSession(db(), first, minutes(29))).status).toBe("live");
      expect((await resumeSession(db(), first, minutes(29 + 29.5))).status).toBe("live");
      expect(await resumeSession(db(), first, minutes(29 + 29.5 + 30))).toEqual({ status: "idle" });
      // Gone: the same cookie later is simply unknown.
      expect(await resumeSession(db(), first, minutes(29 + 29.5 + 31))).toEqual({ status: "none" });

      expect((await resumeSession(db(), second, minutes(9), 10)).status).toBe("live");
      expect((await resumeSession(db(), second, minutes(19), 10)).status).toBe("idle");
    });

    it("records a session's use at most once a minute", async () => {
      const signedIn = await signIn(
        db(),
        { username: "olivia", password: "olivia-password-1", ip: "10.0.0.1" },
        t0,
      );
      const lastSeen = async () =>
        (
          await db()
            .selectFrom("sessions")
            .select("last_seen_at")
            .where("csrf_token", "=", signedIn.csrfToken)
            .executeTakeFirstOrThrow()
        ).last_seen_at;
      for (const second of [1, 20, 59]) await resumeSession(db(), signedIn.token, minutes(second / 60));
      expect(await lastSeen()).toEqual(t0);
      await resumeSession(db(), signedIn.token, minutes(1));
      expect(await lastSeen()).toEqual(minutes(1));
    });

    it("stores only a hash of the session token", async () => {
      const signedIn = await signIn(
        db(),
        { username: "olivia", password: "olivia-password-1", ip: "10.0.0.1" },
        t0,
      );
      const ids = (await db().selectFrom("sessions").select("id").execute()).map((row) => row.id);
      expect(ids).not.toContain(signedIn.token);
      expect(ids.every((id) => /^[0-9a-f]{64}$/.test(id))).toBe(true);
    });

    it("forgets the session on sign-out", async () => {
      const signedIn = await signIn(
        db(),
        { username: "olivia", password: "olivia-password-1", ip: "10.0.0.1" },
        t0,
      );
      await endSession(db(), signedIn.token);
      expect(await resumeSession(db(), signedIn.token, t0)).toEqual({ status: "none" });
    });

    it("refuses a wrong password and an unknown username with the same message", async () => {
      const wrong = signIn(db(), { username: "olivia", password: "not-her-password", ip: "10.0.0.2" }, t0);
      await expect(wrong).rejects.toMatchObject({
        code: "invalid",
        message: "Enter a correct username and password",
      });
      const unknown = signIn(db(), { username: "nobody", password: "not-a-password", ip: "10.0.0.2" }, t0);
      await expect(unknown).rejects.toMatchObject({
        code: "invalid",
        message: "Enter a correct username and password",
      });
    });
  });

  describe("password hashes", () => {
    const storedHash = async (username: string) =>
      (
        await db()
          .selectFrom("users")
          .select("password_hash")
          .where("username", "=", username)
          .executeTakeFirstOrThrow()
      ).password_hash;

    it("are made again with today's parameters when their owner signs in, and the password still works", async () => {
      await create({
        username: "wendy",
        name: "Wendy",
        role: "officer",
        password: "wendy-password-1",
      });
      const weak = await hashPassword("wendy-password-1", {
        cost: 2 ** 10,
        blockSize: 8,
        parallelization: 1,
      });
      await db().updateTable("users").set({ password_hash: weak }).where("username", "=", "wendy").execute();

      await expect(
        signIn(db(), { username: "wendy", password: "not-wendys-password", ip: "10.3.0.1" }, t0),
      ).rejects.toMatchObject({ code: "invalid" });
      expect(await storedHash("wendy")).toBe(weak);

      await signIn(db(), { username: "wendy", password: "wendy-password-1", ip: "10.3.0.1" }, minutes(1));
      const upgraded = await storedHash("wendy");
      expect(upgraded).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(upgraded).not.toContain("wendy-password-1");

      const again = await signIn(
        db(),
        { username: "wendy", password: "wendy-password-1", ip: "10.3.0.1" },
        minutes(2),
      );
      expect(again.user.username).toBe("wendy");
      expect(await storedHash("wendy")).toBe(upgraded);
    });
  });

  describe("sign-in throttling", () => {
    const { free: pairFree } = signInThrottle.accountAddress;
    const { free: addressFree } = signInThrottle.address;
    const seconds = (n: number) => new Date(t0.getTime() + n * 1000);

    it(`slows guesses at one account from one address after ${pairFree} failures, doubling the wait, even for the right password`, async () => {
      await create({
        username: "tara",
        name: "Tara",
        role: "officer",
        password: "tara-password-1",
      });
      for (let i = 0; i < pairFree; i++) {
        await expect(
          signIn(db(), { username: "tara", password: "wrong-password", ip: "10.1.0.1" }, seconds(i)),
        ).rejects.toMatchObject({ code: "invalid" });
      }
      // The fifth failure (at second 4) starts a 30-second wait.
      await expect(
        signIn(db(), { username: "TARA", password: "tara-password-1", ip: "10.1.0.1" }, seconds(14)),
      ).rejects.toMatchObject({ code: "rate-limited", message: expect.stringContaining("Wait 20 seconds") });
      // After the wait, one more guess; failing doubles the wait to a minute.
      await expect(
        signIn(db(), { username: "tara", password: "wrong-3", ip: "10.1.0.1" }, seconds(34)),
      ).rejects.toMatchObject({ code: "invalid" });
      await expect(
        signIn(db(), { username: "tara", password: "tara-password-1", ip: "10.1.0.1" }, seconds(35)),
      ).rejects.toMatchObject({ code: "rate-limited", message: expect.stringContaining("Wait 59 seconds") });
      const later = await signIn(
        db(),
        { username: "tara", password: "tara-password-1", ip: "10.1.0.1" },
        seconds(94),
      );
      expect(later.user.username).toBe("tara");
    });

    it("cannot be used to lock someone out: guesses from elsewhere do not slow the owner at their own address", async () => {
      await create({ username: "lou", name: "Lou", role: "officer", password: "lou-password-1" });
      for (let i = 0; i < 40; i++) {
        await signIn(
          db(),
          { username: "lou", password: `guess-${i}`, ip: "203.0.113.66" },
          seconds(i * 100),
        ).catch(() => {});
      }
      await expect(
        signIn(db(), { username: "lou", password: "lou-password-1", ip: "203.0.113.66" }, seconds(1300)),
      ).rejects.toMatchObject({ code: "rate-limited" });
      const owner = await signIn(
        db(),
        { username: "lou", password: "lou-password-1", ip: "10.9.9.9" },
        seconds(1300),
      );
      expect(owner.user.username).toBe("lou");
    });

    it("starts an account's count at an address again after a successful sign-in", async () => {
      await create({ username: "sam", name: "Sam", role: "officer", password: "sam-password-1" });
      for (let i = 0; i < pairFree - 1; i++) {
        await signIn(db(), { username: "sam", password: "wrong", ip: "10.2.0.1" }, minutes(i)).catch(
          () => {},
        );
      }
      await signIn(db(), { username: "sam", password: "sam-password-1", ip: "10.2.0.1" }, minutes(5));
      for (let i = 0; i < pairFree - 1; i++) {
        await signIn(db(), { username: "sam", password: "wrong", ip: "10.2.0.1" }, minutes(6)).catch(
          () => {},
        );
      }
      const again = await signIn(
        db(),
        { username: "sam", password: "sam-password-1", ip: "10.2.0.1" },
        minutes(6),
      );
      expect(again.user.username).toBe("sam");
    });

    it(`slows an address after ${addressFree} failures across usernames, and no one elsewhere`, async () => {
      for (let i = 0; i < addressFree + 1; i++) {
        await signIn(db(), { username: `guess${i}`, password: "guess", ip: "192.0.2.9" }, t0).catch(() => {});
      }
      await expect(
        signIn(db(), { username: "olivia", password: "olivia-password-1", ip: "192.0.2.9" }, seconds(1)),
      ).rejects.toMatchObject({ code: "rate-limited" });
      const elsewhere = await signIn(
        db(),
        { username: "olivia", password: "olivia-password-1", ip: "192.0.2.10" },
        seconds(1),
      );
      expect(elsewhere.user.username).toBe("olivia");
      // The wait is short at first: a shared office address is slowed, not shut out.
      const after = await signIn(
        db(),
        { username: "olivia", password: "olivia-password-1", ip: "192.0.2.9" },
        seconds(signInThrottle.address.firstDelaySeconds * 2),
      );
      expect(after.user.username).toBe("olivia");
    });

    it("waits twice as long after each failure past the free ones, never more than 15 minutes", () => {
      const rule = signInThrottle.accountAddress;
      expect([4, 5, 6, 7, 8].map((failures) => backoffSeconds(failures, rule))).toEqual([
        0, 30, 60, 120, 240,
      ]);
      expect(backoffSeconds(100, rule)).toBe(15 * 60);
    });

    it(`raises the alarm once when so many sign-ins fail across accounts within ${signInThrottle.alarmWindowMinutes} minutes`, async () => {
      const later = new Date(t0.getTime() + 86_400_000);
      const alarms: number[] = [];
      const alarmFailures = 12;
      const options = {
        secondFactorFor: "managers" as const,
        alarmFailures,
        onAlarm: (n: number) => alarms.push(n),
      };
      for (let i = 0; i < alarmFailures + 3; i++) {
        // Spread over addresses, as a botnet would: none of them is slowed.
        await signIn(
          db(),
          { username: `spray${i % 7}`, password: "Winter2024!", ip: `198.18.${i >> 8}.${i & 255}` },
          later,
          options,
        ).catch(() => {});
      }
      expect(alarms).toEqual([alarmFailures]);
      expect(await signInAlarm(db(), later, alarmFailures)).toEqual({
        failures: alarmFailures + 3,
        raised: true,
      });
      expect(await signInAlarm(db(), new Date(later.getTime() + 16 * 60_000), alarmFailures)).toEqual({
        failures: 0,
        raised: false,
      });
    });
  });

  describe("sign-in throttling under concurrent attempts", () => {
    /** What each of a batch of sign-ins made at once came to: signed in, wrong password, or refused. */
    async function atOnce(attempts: { username: string; password: string; ip: string }[], at: Date) {
      const results = await Promise.allSettled(attempts.map((attempt) => signIn(db(), attempt, at)));
      const outcomes = results.map((result) =>
        result.status === "fulfilled" ? "signed-in" : (result.reason as { code: string }).code,
      );
      const count = (outcome: string) => outcomes.filter((each) => each === outcome).length;
      return { checked: count("invalid") + count("signed-in"), refused: count("rate-limited") };
    }

    it(`checks exactly ${signInThrottle.accountAddress.free} of many guesses at one account from one address made at once`, async () => {
      await create({
        username: "rita",
        name: "Rita",
        role: "officer",
        password: "rita-password-1",
      });
      const guesses = Array.from({ length: 12 }, (_, i) => ({
        username: "rita",
        password: `guess-${i}`,
        ip: "10.5.0.1",
      }));
      const checked = signInThrottle.accountAddress.free;
      expect(await atOnce(guesses, t0)).toEqual({ checked, refused: 12 - checked });
    });

    it(`checks exactly ${signInThrottle.address.free} of many guesses from one address made at once`, async () => {
      const guesses = Array.from({ length: 34 }, (_, i) => ({
        username: `someone${i}`,
        password: "guess",
        ip: "198.51.100.7",
      }));
      const checked = signInThrottle.address.free;
      expect(await atOnce(guesses, t0)).toEqual({ checked, refused: 34 - checked });
    });
  });

  describe("API tokens", () => {
    it("are shown once, stored as a hash, and act for their user until revoked", async () => {
      const created = await createApiToken(db(), { username: "olivia", name: "Case import" }, t0);
      expect(created.token).toMatch(/^foidesk_[A-Za-z0-9_-]{43}$/);
      const hashes = (await db().selectFrom("api_tokens").select("token_hash").execute()).map(
        (row) => row.token_hash,
      );
      expect(hashes).not.toContain(created.token);

      expect((await userForApiToken(db(), created.token, t0))?.username).toBe("olivia");
      const listed = (await listTokens(db())).find((token) => token.id === created.id);
      expect(listed).toMatchObject({
        username: "olivia",
        name: "Case import",
        lastUsedAt: t0,
        revokedAt: null,
      });

      await revokeToken(db(), created.id, minutes(1));
      expect(await userForApiToken(db(), created.token, minutes(2))).toBeNull();
      await expect(revokeToken(db(), created.id, minutes(3))).rejects.toMatchObject({ code: "not-found" });
    });

    it("know nothing of a made-up token or an unknown user", async () => {
      expect(await userForApiToken(db(), `foidesk_${"A".repeat(43)}`, t0)).toBeNull();
      expect(await userForApiToken(db(), "Bearer nonsense", t0)).toBeNull();
      await expect(createApiToken(db(), { username: "nobody" }, t0)).rejects.toMatchObject({
        code: "not-found",
      });
    });
  });
});
