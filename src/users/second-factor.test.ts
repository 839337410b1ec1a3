import fc from "fast-check";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { sealTotpSecrets, testBackends } from "../db/testing.ts";
import { unseal } from "../sealed.ts";
import {
  accountHistory,
  beginEnrolment,
  changeRole,
  chooseNewPassword,
  createApiToken,
  createUser,
  deactivateUser,
  enterSecondFactor,
  finishEnrolment,
  forcePasswordReset,
  groupedSecret,
  nextStage,
  reactivateUser,
  resetSecondFactor,
  resumeSession,
  signIn,
  totpCode,
  userForApiToken,
} from "./index.ts";
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri } from "./totp.ts";

describe("TOTP (RFC 6238)", () => {
  it("gives the RFC's test values (Appendix B, SHA-1, 8 digits)", () => {
    const key = Buffer.from("12345678901234567890", "ascii");
    const cases: [number, string][] = [
      [59, "94287082"],
      [1111111109, "07081804"],
      [1111111111, "14050471"],
      [1234567890, "89005924"],
      [2000000000, "69279037"],
      [20000000000, "65353130"],
    ];
    for (const [seconds, code] of cases)
      expect(hotp(key, Math.floor(seconds / 30), 8), `T=${seconds}`).toBe(code);
  });

  it("reads back any secret it writes in base32 (RFC 4648)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
        expect(base32Decode(base32Encode(bytes))).toEqual(Buffer.from(bytes));
      }),
    );
    expect(base32Encode(Buffer.from("foobar"))).toBe("MZXW6YTBOI");
    expect(base32Decode("mzxw 6ytb-oi")).toEqual(Buffer.from("foobar"));
    expect(base32Decode("not base32!")).toBeNull();
  });

  it("accepts a code one step either side of now, never a used one, never a far one", () => {
    const secret = base32Encode(Buffer.from("12345678901234567890"));
    const at = new Date(1_700_000_000_000);
    const step = Math.floor(at.getTime() / 30_000);
    expect(matchTotp(secret, totpCode(secret, at), at, null)).toBe(step);
    expect(matchTotp(secret, totpCode(secret, new Date(at.getTime() - 30_000)), at, null)).toBe(step - 1);
    expect(matchTotp(secret, totpCode(secret, new Date(at.getTime() + 30_000)), at, null)).toBe(step + 1);
    expect(matchTotp(secret, totpCode(secret, new Date(at.getTime() - 90_000)), at, null)).toBeNull();
    // Replay: the step already accepted, and any before it, are refused.
    expect(matchTotp(secret, totpCode(secret, at), at, step)).toBeNull();
    expect(matchTotp(secret, "12345", at, null)).toBeNull();
  });

  it("writes the otpauth address authenticator apps read", () => {
    expect(otpauthUri({ issuer: "FOI casework", account: "mina", secret: "JBSWY3DPEHPK3PXP" })).toBe(
      "otpauth://totp/FOI%20casework:mina?secret=JBSWY3DPEHPK3PXP&issuer=FOI+casework&algorithm=SHA1&digits=6&period=30",
    );
  });
});

describe("the steps of a sign-in", () => {
  const state = (role: "officer" | "manager", totpEnabled: boolean, passwordResetRequired = false) => ({
    role,
    totpEnabled,
    passwordResetRequired,
  });
  it("asks for what the account needs, in order", () => {
    expect(nextStage(state("officer", false), "password", "managers")).toBe("signed-in");
    expect(nextStage(state("officer", false), "password", "everyone")).toBe("enrol");
    expect(nextStage(state("manager", false), "password", "managers")).toBe("enrol");
    expect(nextStage(state("officer", true), "password", "managers")).toBe("second-factor");
    expect(nextStage(state("manager", true, true), "password", "managers")).toBe("second-factor");
    expect(nextStage(state("manager", true, true), "second-factor", "managers")).toBe("new-password");
    expect(nextStage(state("manager", false, true), "password", "managers")).toBe("new-password");
    expect(nextStage(state("manager", false, false), "new-password", "managers")).toBe("enrol");
    expect(nextStage(state("manager", true, false), "enrol", "managers")).toBe("signed-in");
  });
});

describe.each(testBackends())("second factor and account lifecycle on $name", (backend) => {
  let handle: DatabaseHandle;
  const t0 = new Date("2025-03-03T09:00:00Z");
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  beforeAll(async () => {
    handle = await backend.open();
    for (const [username, role] of [
      ["adam", "admin"],
      ["mina", "manager"],
      ["olu", "officer"],
    ] as const) {
      await createUser(
        handle.db,
        { username, name: username, role, password: `${username}-password-1` },
        { userId: null, label: "command line" },
        t0,
      );
    }
  });
  afterAll(async () => handle?.close());
  const db = () => handle.db;

  /** Signs mina in with her password; the step it lands on. */
  const password = (seconds: number, ip = "10.0.0.1") =>
    signIn(db(), { username: "mina", password: "mina-password-1", ip }, at(seconds));

  let secret = "";
  let recoveryCodes: string[] = [];

  it("makes a manager set up an authenticator app before the back office opens", async () => {
    const step = await password(0);
    expect(step.stage).toBe("enrol");
    expect((await resumeSession(db(), step.token, at(1))).status).toBe("pending");
    const enrolment = await beginEnrolment(db(), step.user, "FOI casework");
    // Reloading the page offers the same secret, so a code already scanned still works.
    expect((await beginEnrolment(db(), step.user, "FOI casework")).secret).toBe(enrolment.secret);
    secret = enrolment.secret;
    await expect(finishEnrolment(db(), { token: step.token, code: "000000" }, at(2))).rejects.toMatchObject({
      code: "invalid",
      field: "code",
    });
    const done = await finishEnrolment(db(), { token: step.token, code: totpCode(secret, at(2)) }, at(2));
    expect(done.stage).toBe("signed-in");
    recoveryCodes = done.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    // The pending session is gone; the new one is signed in.
    expect((await resumeSession(db(), step.token, at(3))).status).toBe("none");
    expect(await resumeSession(db(), done.token, at(3))).toMatchObject({ status: "live" });
    const stored = await db().selectFrom("recovery_codes").select("code_hash").execute();
    for (const code of recoveryCodes) expect(JSON.stringify(stored)).not.toContain(code.replace("-", ""));
  });

  it("asks for a code at every later sign-in, refuses a wrong or reused code, and takes a recovery code once", async () => {
    const first = await password(100);
    expect(first.stage).toBe("second-factor");
    await expect(
      enterSecondFactor(db(), { token: first.token, code: "123456", ip: "10.0.0.1" }, at(101)),
    ).rejects.toMatchObject({ code: "invalid", field: "code" });
    const code = totpCode(secret, at(101));
    const signedIn = await enterSecondFactor(db(), { token: first.token, code, ip: "10.0.0.1" }, at(101));
    expect(signedIn.stage).toBe("signed-in");

    const second = await password(102);
    await expect(
      enterSecondFactor(db(), { token: second.token, code, ip: "10.0.0.1" }, at(102)),
    ).rejects.toMatchObject({ code: "invalid" });
    const recovered = await enterSecondFactor(
      db(),
      { token: second.token, code: recoveryCodes[0]!.toUpperCase(), ip: "10.0.0.1" },
      at(103),
    );
    expect(recovered.stage).toBe("signed-in");
    const third = await password(104);
    await expect(
      enterSecondFactor(db(), { token: third.token, code: recoveryCodes[0]!, ip: "10.0.0.1" }, at(104)),
    ).rejects.toMatchObject({ code: "invalid" });
  });

  it("keeps the authenticator secret sealed with the deployment's key, never as the base32 an app scans", async () => {
    const { totp_secret: stored } = await db()
      .selectFrom("users")
      .select("totp_secret")
      .where("username", "=", "mina")
      .executeTakeFirstOrThrow();
    expect(stored).toMatch(/^sealed:v1:/);
    for (const form of [secret, secret.toLowerCase(), groupedSecret(secret)])
      expect(stored).not.toContain(form);
    expect(unseal(stored!, "totp-secret")).toBe(secret);
    // Sealed for this purpose only: the same text does not open as a single sign-on cookie.
    expect(unseal(stored!, "sso-pending")).toBeNull();
  });

  it("seals a secret stored in plain text before migration 0042, and sign-in with a code still works", async () => {
    const plain = base32Encode(Buffer.from("an-old-plain-secret!"));
    await db()
      .updateTable("users")
      .set({ totp_secret: plain, totp_enabled_at: at(50) })
      .where("username", "=", "adam")
      .execute();
    await sealTotpSecrets(db() as unknown as Kysely<unknown>);
    const { totp_secret: stored } = await db()
      .selectFrom("users")
      .select("totp_secret")
      .where("username", "=", "adam")
      .executeTakeFirstOrThrow();
    expect(stored).toMatch(/^sealed:v1:/);
    expect(stored).not.toContain(plain);
    const step = await signIn(
      db(),
      { username: "adam", password: "adam-password-1", ip: "10.0.0.9" },
      at(60),
    );
    expect(step.stage).toBe("second-factor");
    const signedIn = await enterSecondFactor(
      db(),
      { token: step.token, code: totpCode(plain, at(61)), ip: "10.0.0.9" },
      at(61),
    );
    expect(signedIn.stage).toBe("signed-in");
    // Run again (a second process, a restore), it leaves sealed secrets as they are.
    await sealTotpSecrets(db() as unknown as Kysely<unknown>);
    expect(
      (
        await db()
          .selectFrom("users")
          .select("totp_secret")
          .where("username", "=", "adam")
          .executeTakeFirstOrThrow()
      ).totp_secret,
    ).toBe(stored);
  });

  it("slows guesses at the code as it slows guesses at the password", async () => {
    const step = await password(200, "10.0.0.2");
    for (let i = 0; i < 5; i++) {
      await enterSecondFactor(db(), { token: step.token, code: `00000${i}`, ip: "10.0.0.2" }, at(201)).catch(
        () => {},
      );
    }
    await expect(
      enterSecondFactor(
        db(),
        { token: step.token, code: totpCode(secret, at(202)), ip: "10.0.0.2" },
        at(202),
      ),
    ).rejects.toMatchObject({ code: "rate-limited" });
  });

  it("deactivation ends the account's sessions and API tokens at once, and is in the history", async () => {
    const officer = await signIn(
      db(),
      { username: "olu", password: "olu-password-1", ip: "10.0.0.3" },
      at(300),
    );
    const token = await createApiToken(db(), { username: "olu" }, at(300));
    expect(await userForApiToken(db(), token.token, at(301))).not.toBeNull();
    const admin = { userId: 1, label: "Adam Admin" };
    const result = await deactivateUser(db(), "olu", admin, at(302));
    expect(result.tokensRevoked).toBe(1);
    expect((await resumeSession(db(), officer.token, at(303))).status).toBe("none");
    expect(await userForApiToken(db(), token.token, at(303))).toBeNull();
    await expect(
      signIn(db(), { username: "olu", password: "olu-password-1", ip: "10.0.0.3" }, at(304)),
    ).rejects.toMatchObject({ code: "invalid" });
    await reactivateUser(db(), "olu", admin, at(305));
    // Reactivated: signs in again, but the old token stays revoked.
    await signIn(db(), { username: "olu", password: "olu-password-1", ip: "10.0.0.3" }, at(306));
    expect(await userForApiToken(db(), token.token, at(307))).toBeNull();
    const { user, events } = await accountHistory(db(), "olu");
    expect(user.lastSignInAt).toEqual(at(306));
    expect(events.map((event) => [event.kind, event.actorLabel])).toEqual([
      ["signed-in", "themselves"],
      ["reactivated", "Adam Admin"],
      ["deactivated", "Adam Admin"],
      ["signed-in", "themselves"],
      ["created", "command line"],
    ]);
  });

  it("never leaves the authority without an active administrator, and no one deactivates themselves", async () => {
    const adam = { userId: 1, label: "Adam" };
    await expect(deactivateUser(db(), "adam", { userId: 2, label: "Mina" }, at(400))).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(changeRole(db(), "adam", "manager", adam, at(400))).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(changeRole(db(), "olu", "wizard", adam, at(400))).rejects.toMatchObject({ field: "role" });
    await expect(deactivateUser(db(), "nobody", adam, at(400))).rejects.toMatchObject({ code: "not-found" });
  });

  it("a role change ends the sessions, so a new manager sets up an app before using the role", async () => {
    const officer = await signIn(
      db(),
      { username: "olu", password: "olu-password-1", ip: "10.0.0.3" },
      at(500),
    );
    await changeRole(db(), "olu", "manager", { userId: 1, label: "Adam" }, at(501));
    expect((await resumeSession(db(), officer.token, at(502))).status).toBe("none");
    const again = await signIn(
      db(),
      { username: "olu", password: "olu-password-1", ip: "10.0.0.3" },
      at(503),
    );
    expect(again.stage).toBe("enrol");
    const history = await accountHistory(db(), "olu");
    expect(history.events[0]).toMatchObject({
      kind: "role-changed",
      detail: "Case officer to Information-rights manager",
    });
  });

  it("a forced password reset asks for a new password after the code, and ends the sessions", async () => {
    const live = await password(600, "10.0.0.4");
    const signedIn = await enterSecondFactor(
      db(),
      { token: live.token, code: totpCode(secret, at(600)), ip: "10.0.0.4" },
      at(600),
    );
    await forcePasswordReset(db(), "mina", { userId: 1, label: "Adam" }, at(601));
    expect((await resumeSession(db(), signedIn.token, at(602))).status).toBe("none");
    const step = await password(660, "10.0.0.4");
    const coded = await enterSecondFactor(
      db(),
      { token: step.token, code: totpCode(secret, at(660)), ip: "10.0.0.4" },
      at(660),
    );
    expect(coded.stage).toBe("new-password");
    await expect(
      chooseNewPassword(
        db(),
        { token: coded.token, password: "mina-password-1", confirm: "mina-password-1" },
        at(661),
      ),
    ).rejects.toMatchObject({ field: "password" });
    await expect(
      chooseNewPassword(
        db(),
        { token: coded.token, password: "a-new-password", confirm: "a-new-passwort" },
        at(661),
      ),
    ).rejects.toMatchObject({ field: "confirm" });
    const done = await chooseNewPassword(
      db(),
      { token: coded.token, password: "a-new-password", confirm: "a-new-password" },
      at(662),
    );
    expect(done.stage).toBe("signed-in");
    await expect(password(700, "10.0.0.5")).rejects.toMatchObject({ code: "invalid" });
  });

  it("resetting the authenticator app makes the person set one up again", async () => {
    await resetSecondFactor(db(), "mina", { userId: 1, label: "Adam" }, at(800));
    const step = await signIn(
      db(),
      { username: "mina", password: "a-new-password", ip: "10.0.0.6" },
      at(801),
    );
    expect(step.stage).toBe("enrol");
    expect(
      await db().selectFrom("recovery_codes").select("id").where("user_id", "=", step.user.id).execute(),
    ).toEqual([]);
  });
});
