import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../db/index.ts";
import { userForApiToken } from "../../users/index.ts";
import { runCli } from "../testing.ts";
import { passwordInput } from "./user.ts";

/** A time on 10 June 2026 (BST, but the CLI prints UTC). */
const at = (time: string) => new Date(`2026-06-10T${time}Z`);

/** The CLI's clock: each step sets the time it runs at. */
let now = at("09:00:00");

/** Runs the CLI in-process at `now`, with `stdin` as standard input, and captures what it prints. */
const foidesk = (argv: string[], stdin = "") =>
  runCli(argv, {
    now: () => now,
    prepare: () => vi.spyOn(passwordInput, "read").mockResolvedValue(stdin),
  });

describe("foidesk migrate, user and token", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "foidesk-cli-"));
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("FOIDESK_DATA_DIR", folder);
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(folder, { recursive: true, force: true });
  });

  it("migrate brings a new database up to date, and says so the second time", async () => {
    const first = await foidesk(["migrate"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Migrated embedded PGlite in .*: applied 0001_casework/);
    const second = await foidesk(["migrate"]);
    expect(second.stdout).toMatch(/is up to date \(\d{4}_\w+\)/);
  });

  it("user create reads the password from standard input and prints who was created", async () => {
    const result = await foidesk(
      [
        "user",
        "create",
        "--username",
        "jo",
        "--name",
        "Jo Bloggs",
        "--role",
        "officer",
        "--team",
        "Information Rights",
        "--password-stdin",
      ],
      "jo-password-12\n",
    );
    expect(result).toMatchObject({
      code: 0,
      stdout: "Created jo (Jo Bloggs), case officer in Information Rights.\n",
    });
    const list = await foidesk(["user", "list"]);
    expect(list.stdout).toBe("jo\tJo Bloggs\tofficer\tInformation Rights\tlast sign-in never\n");
  });

  it("user create refuses a password on the command line, a short password and a duplicate, with exit codes", async () => {
    const noStdin = await foidesk([
      "user",
      "create",
      "--username",
      "kim",
      "--name",
      "Kim",
      "--role",
      "officer",
    ]);
    expect(noStdin.code).toBe(2);
    expect(noStdin.stderr).toContain("--password-stdin");
    const short = await foidesk(
      ["user", "create", "--username", "kim", "--name", "Kim", "--role", "officer", "--password-stdin"],
      "short\n",
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("A password must be at least 10 characters");
    const badRole = await foidesk(
      ["user", "create", "--username", "kim", "--name", "Kim", "--role", "boss", "--password-stdin"],
      "long-enough-pass\n",
    );
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain("A role must be one of: officer, approver, manager, admin (role)");
    const duplicate = await foidesk(
      ["user", "create", "--username", "JO", "--name", "Jo Again", "--role", "officer", "--password-stdin"],
      "another-password\n",
    );
    expect(duplicate.code).toBe(3);
    expect(duplicate.stderr).toContain("there is already a user called JO");
  });

  it("token create prints the token alone on stdout, once; it works until revoked", async () => {
    now = at("10:00:00");
    const created = await foidesk(["token", "create", "--user", "jo", "--name", "case import"]);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^foidesk_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain("It is shown only this once");
    expect(created.stderr).toContain("Authorization: Bearer <token>");

    const listed = await foidesk(["token", "list"]);
    expect(listed.stdout).toMatch(/^1\tjo\tcase import\tlive\tnever used\n$/);
    expect(listed.stdout).not.toContain(token);

    const handle = await openDatabase({ kind: "pglite", dataDir: folder });
    try {
      expect(await userForApiToken(handle.db, token, at("10:05:00"))).toMatchObject({ username: "jo" });
    } finally {
      await handle.close();
    }
    now = at("10:30:00");
    expect((await foidesk(["token", "revoke", "--id", "1"])).stdout).toBe("Revoked API token 1.\n");
    expect((await foidesk(["token", "list"])).stdout).toBe(
      "1\tjo\tcase import\trevoked 2026-06-10T10:30:00.000Z\tlast used 2026-06-10T10:05:00.000Z\n",
    );
    const after = await openDatabase({ kind: "pglite", dataDir: folder });
    try {
      expect(await userForApiToken(after.db, token, at("10:31:00"))).toBeNull();
    } finally {
      await after.close();
    }
    expect((await foidesk(["token", "revoke", "--id", "1"])).code).toBe(3);
  });

  it("token create names an unknown user", async () => {
    const result = await foidesk(["token", "create", "--user", "nobody"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("there is no user called nobody");
    expect(result.stdout).toBe("");
  });

  it("user deactivate stops a live API token at once; role, reset-password and show record and tell it", async () => {
    vi.stubEnv("USER", "ops");
    now = at("11:00:00");
    const token = (await foidesk(["token", "create", "--user", "jo"])).stdout.trim();
    now = at("11:10:00");
    const deactivated = await foidesk(["user", "deactivate", "--username", "jo"]);
    expect(deactivated).toMatchObject({
      code: 0,
      stdout: "Deactivated jo: sessions ended, 1 API token revoked.\n",
    });
    const handle = await openDatabase({ kind: "pglite", dataDir: folder });
    try {
      expect(await userForApiToken(handle.db, token, at("11:11:00"))).toBeNull();
    } finally {
      await handle.close();
    }
    expect((await foidesk(["user", "deactivate", "--username", "jo"])).code).toBe(3);
    now = at("11:20:00");
    expect((await foidesk(["user", "reactivate", "--username", "jo"])).stdout).toBe("Reactivated jo.\n");
    now = at("11:30:00");
    expect((await foidesk(["user", "role", "--username", "jo", "--role", "approver"])).stdout).toBe(
      "jo is now approver.\n",
    );
    const badRole = await foidesk(["user", "role", "--username", "jo", "--role", "boss"]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain("(role)");
    now = at("11:40:00");
    expect((await foidesk(["user", "reset-password", "--username", "jo"])).stdout).toContain(
      "must choose a new password",
    );
    expect((await foidesk(["user", "reset-second-factor", "--username", "jo"])).code).toBe(3);
    const shown = await foidesk(["user", "show", "--username", "jo"]);
    expect(shown.stdout).toContain("jo (Jo Bloggs), approver, active");
    expect(shown.stdout).toContain("last sign-in never; must choose a new password");
    const history = shown.stdout.split("\n").filter((line) => line.startsWith("  "));
    // Each change is dated by the command's clock; the account was created at 09:00.
    expect(history).toEqual([
      "  2026-06-10T11:40:00.000Z  Password reset required, by command line (ops)",
      "  2026-06-10T11:30:00.000Z  Role changed (Case officer to Approver), by command line (ops)",
      "  2026-06-10T11:20:00.000Z  Reactivated, by command line (ops)",
      "  2026-06-10T11:10:00.000Z  Deactivated (1 API token revoked), by command line (ops)",
      "  2026-06-10T09:00:00.000Z  Account created, by command line",
    ]);
    expect((await foidesk(["user", "show", "--username", "nobody"])).code).toBe(3);
  });
});
