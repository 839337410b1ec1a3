import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseSecretKey, seal, secretKeyFromEnv, unseal, useSecretKey } from "./sealed.ts";

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe("sealed secrets (AES-256-GCM with the deployment's key)", () => {
  it("open only unchanged, for the purpose they were sealed for, with the key they were sealed with", () => {
    const sealed = seal("JBSWY3DPEHPK3PXP", "totp-secret");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(seal("JBSWY3DPEHPK3PXP", "totp-secret")).not.toBe(sealed); // a fresh IV each time
    expect(unseal(sealed, "totp-secret")).toBe("JBSWY3DPEHPK3PXP");
    expect(unseal(sealed, "sso-pending")).toBeNull();
    // Any one character changed anywhere after the prefix is refused.
    const body = sealed.slice("sealed:v1:".length);
    for (let i = 0; i < body.length; i += 7) {
      const changed = body.slice(0, i) + (body[i] === "A" ? "B" : "A") + body.slice(i + 1);
      expect(unseal(`sealed:v1:${changed}`, "totp-secret"), `position ${i}`).toBeNull();
    }
    expect(unseal("JBSWY3DPEHPK3PXP", "totp-secret")).toBeNull();
    expect(unseal("sealed:v1:", "totp-secret")).toBeNull();
    const configured = secretKeyFromEnv();
    try {
      useSecretKey(Buffer.alloc(32, 7));
      expect(unseal(sealed, "totp-secret")).toBeNull();
    } finally {
      useSecretKey(configured);
    }
  });

  it("take the key from FOIDESK_SECRET_KEY, refusing one that is not 32 bytes", () => {
    expect(parseSecretKey(Buffer.alloc(32, 1).toString("base64"))).toEqual(Buffer.alloc(32, 1));
    expect(parseSecretKey("ab".repeat(32))).toEqual(Buffer.alloc(32, 0xab));
    expect(() => parseSecretKey("short")).toThrow(/FOIDESK_SECRET_KEY must be 32 random bytes/);
  });

  it("make a key file in the data folder, readable by its owner only, and use it again after", async () => {
    const folder = await mkdtemp(join(tmpdir(), "foidesk-key-"));
    folders.push(folder);
    const dataDir = join(folder, "data");
    const first = secretKeyFromEnv({ FOIDESK_DATA_DIR: dataDir });
    expect(first).toHaveLength(32);
    expect((await stat(join(dataDir, "secret.key"))).mode & 0o777).toBe(0o600);
    expect(secretKeyFromEnv({ FOIDESK_DATA_DIR: dataDir })).toEqual(first);
  });
});
