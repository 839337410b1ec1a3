import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

// Secrets kept at rest (authenticator secrets) or handed to the browser to bring back (single sign-on's state,
// nonce and PKCE verifier) are sealed: AES-256-GCM, so they can be neither read nor changed without the key.
// The key is the deployment's, from configuration: FOIDESK_SECRET_KEY (the same on every app process), else a
// key file made on first use in the data folder (the embedded, one-machine setup and the demo).

/** What a sealed value is for; a value sealed for one purpose does not open for another. */
export type SealPurpose = "totp-secret" | "sso-pending";

const PREFIX = "sealed:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

let configured: Buffer | null = null;

/** 32 bytes from FOIDESK_SECRET_KEY (base64 or hex); refused, naming it, when it is anything else. */
export function parseSecretKey(text: string, field = "FOIDESK_SECRET_KEY"): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32)
    throw new Error(
      `${field} must be 32 random bytes, base64 or hex (make one with: openssl rand -base64 32)`,
    );
  return key;
}

/**
 * The deployment's key: FOIDESK_SECRET_KEY, else the file FOIDESK_SECRET_KEY_FILE, else `secret.key` in the
 * data folder (FOIDESK_DATA_DIR or ./data), made with 32 random bytes, readable by its owner only, if missing.
 */
export function secretKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.FOIDESK_SECRET_KEY) return parseSecretKey(env.FOIDESK_SECRET_KEY);
  const path = env.FOIDESK_SECRET_KEY_FILE ?? join(env.FOIDESK_DATA_DIR ?? "data", "secret.key");
  try {
    return parseSecretKey(readFileSync(path, "utf8"), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return parseSecretKey(readFileSync(path, "utf8"), path);
}

/** Uses `key` from now on (tests; a process that read its configuration itself). */
export function useSecretKey(key: Uint8Array): void {
  if (key.length !== 32) throw new Error("the secret key must be 32 bytes");
  configured = Buffer.from(key);
}

function key(): Buffer {
  configured ??= secretKeyFromEnv();
  return configured;
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function seal(plain: string, purpose: SealPurpose): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The sealed text, or null when it was changed, sealed with another key or for another purpose. */
export function unseal(sealed: string, purpose: SealPurpose): string | null {
  if (!isSealed(sealed)) return null;
  const bytes = Buffer.from(sealed.slice(PREFIX.length), "base64url");
  if (bytes.length < IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    return null;
  }
}
