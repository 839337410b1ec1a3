import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../db/index.ts";
import { userForApiToken } from "../../users/index.ts";
import { runCli } from "../testing.ts";
import { passwordInput } from "./user.ts";

/** Runs the CLI in-process, with `stdin` as standard input, and captures what it prints. */
const foidesk = (argv: string[], stdin = "") =>
  runCli(argv, { prepare: () => vi.spyOn(passwordInput, "read").mockResolvedValue(stdin) });

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
    const created = await foidesk(["token", "create", "--user", "jo", "--name", "case import"]);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^foidesk_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain("It is shown only this once");
    expect(created.stderr).toContain("Authorization: Bearer <token>");

    const listed = await foidesk(["token", "list"]);
    expect(listed.stdout).toMatch(/^1\tjo\tcase import\tlive\tnever used\n$/);
    expect(listed.stdout).not.toContain(token);

    expect((await foidesk(["token", "revoke", "--id", "1"])).stdout).toBe("Revoked API token 1.\n");
    const handle = await openDatabase({ kind: "pglite", dataDir: folder });
    try {
      expect(await userForApiToken(handle.db, token, new Date())).toBeNull();
    } finally {
      await handle.close();
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
    const token = (await foidesk(["token", "create", "--user", "jo"])).stdout.trim();
    const deactivated = await foidesk(["user", "deactivate", "--username", "jo"]);
    expect(deactivated).toMatchObject({
      code: 0,
      stdout: "Deactivated jo: sessions ended, 1 API token revoked.\n",
    });
    const handle = await openDatabase({ kind: "pglite", dataDir: folder });
    try {
      expect(await userForApiToken(handle.db, token, new Date())).toBeNull();
    } finally {
      await handle.close();
    }
    expect((await foidesk(["user", "deactivate", "--username", "jo"])).code).toBe(3);
    expect((await foidesk(["user", "reactivate", "--username", "jo"])).stdout).toBe("Reactivated jo.\n");
    expect((await foidesk(["user", "role", "--username", "jo", "--role", "approver"])).stdout).toBe(
      "jo is now approver.\n",
    );
    const badRole = await foidesk(["user", "role", "--username", "jo", "--role", "boss"]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain("(role)");
    expect((await foidesk(["user", "reset-password", "--username", "jo"])).stdout).toContain(
      "must choose a new password",
    );
    expect((await foidesk(["user", "reset-second-factor", "--username", "jo"])).code).toBe(3);
    const shown = await foidesk(["user", "show", "--username", "jo"]);
    expect(shown.stdout).toContain("jo (Jo Bloggs), approver, active");
    expect(shown.stdout).toContain("last sign-in never; must choose a new password");
    const history = shown.stdout.split("\n").filter((line) => line.startsWith("  "));
    expect(history.map((line) => line.replace(/^\s+\S+\s+/, ""))).toEqual([
      "Password reset required, by command line (ops)",
      "Role changed (Case officer to Approver), by command line (ops)",
      "Reactivated, by command line (ops)",
      "Deactivated (1 API token revoked), by command line (ops)",
      "Account created, by command line",
    ]);
    expect((await foidesk(["user", "show", "--username", "nobody"])).code).toBe(3);
  });
});
