import { describe, expect, it } from "vitest";
import { defaultScryptParameters, hashPassword, needsRehash, verifyPassword } from "./password.ts";

describe("password hashing", () => {
  it("accepts the password it hashed and nothing else", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("keeps the scrypt parameters and a fresh salt in each hash, never the password", async () => {
    const first = await hashPassword("same password");
    const second = await hashPassword("same password");
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain("same password");
  });

  it("checks a hash made with other parameters by the parameters stored in it", async () => {
    const stored = await hashPassword("older hash", { cost: 2 ** 10, blockSize: 8, parallelization: 1 });
    expect(stored.startsWith("scrypt$1024$8$1$")).toBe(true);
    expect(await verifyPassword("older hash", stored)).toBe(true);
  });

  it("treats a malformed or tampered hash as no match", async () => {
    for (const stored of [
      "",
      "plain text",
      "scrypt$0$8$1$c2FsdA==$a2V5",
      "scrypt$99999999$8$1$c2FsdA==$a2V5",
      "bcrypt$x",
    ]) {
      expect(await verifyPassword("anything", stored)).toBe(false);
    }
  });

  it("treats the same text in different Unicode forms as the same password", async () => {
    const stored = await hashPassword("caf\u00e9 au lait!");
    expect(await verifyPassword("cafe\u0301 au lait!", stored)).toBe(true);
  });

  it("asks for a new hash only when the stored one is weaker than today's parameters", async () => {
    expect(needsRehash(await hashPassword("current"))).toBe(false);
    const older = { cost: 2 ** 14, blockSize: 8, parallelization: 1 };
    expect(needsRehash(await hashPassword("older", older))).toBe(true);
    // Raising any one parameter makes today's hashes weaker than the new setting.
    expect(needsRehash(await hashPassword("current"), { ...defaultScryptParameters, blockSize: 16 })).toBe(
      true,
    );
    expect(needsRehash("scrypt$0$8$1$c2FsdA==$a2V5")).toBe(false);
  });
});
