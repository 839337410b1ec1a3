import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random, URL-safe secret of `bytes` bytes of entropy (session tokens, CSRF tokens, API tokens). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** What is stored in place of a secret: a leaked table gives no usable token. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Compares two secrets in time that depends only on their length, never on where they differ. */
export function secretsEqual(a: string, b: string): boolean {
  // Hashing first gives equal-length buffers, which timingSafeEqual needs, without leaking the lengths.
  const left = createHash("sha256").update(a).digest();
  const right = createHash("sha256").update(b).digest();
  return timingSafeEqual(left, right);
}
