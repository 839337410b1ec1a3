import { createHmac, randomBytes } from "node:crypto";

// Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), as every authenticator app reads them:
// HMAC-SHA-1, 30-second steps, 6 digits. Pure apart from the random secret: the time is passed in.

export const totpStepSeconds = 30;
export const totpDigits = 6;
/** Codes one step either side of now are accepted: phones' clocks drift (RFC 6238 s.5.2). */
export const totpDriftSteps = 1;

const base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32, without padding (authenticator apps take it so). */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let text = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += base32Alphabet[(value << (5 - bits)) & 31];
  return text;
}

/** Reads base32 as people type it: any case, spaces and hyphens ignored; null when it is not base32. */
export function base32Decode(text: string): Buffer | null {
  const clean = text.replace(/[\s-]/g, "").replace(/=+$/, "").toUpperCase();
  if (!/^[A-Z2-7]*$/.test(clean)) return null;
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    value = (value << 5) | base32Alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** A new secret: 160 bits, the length RFC 4226 s.4 recommends for HMAC-SHA-1. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** HOTP (RFC 4226 s.5.3): dynamic truncation of HMAC-SHA-1 over the 8-byte counter. */
export function hotp(key: Uint8Array, counter: number, digits = totpDigits): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The time step a moment falls in (RFC 6238 s.4.2, T0 = 0). */
export function totpStep(at: Date, stepSeconds = totpStepSeconds): number {
  return Math.floor(at.getTime() / 1000 / stepSeconds);
}

/** The code an authenticator shows at `at` for a base32 secret. */
export function totpCode(secret: string, at: Date): string {
  const key = base32Decode(secret);
  if (!key) throw new Error("a TOTP secret must be base32");
  return hotp(key, totpStep(at));
}

/**
 * The time step whose code `code` is, within the drift allowed around `at` and after `lastStep` (a code
 * already used, or an older one, is refused: RFC 6238 s.5.2), or null when it matches none.
 */
export function matchTotp(secret: string, code: string, at: Date, lastStep: number | null): number | null {
  const key = base32Decode(secret);
  const typed = code.replace(/\s/g, "");
  if (!key || !new RegExp(`^\\d{${totpDigits}}$`).test(typed)) return null;
  const now = totpStep(at);
  for (let step = Math.max(0, now - totpDriftSteps); step <= now + totpDriftSteps; step++) {
    if (lastStep !== null && step <= lastStep) continue;
    if (hotp(key, step) === typed) return step;
  }
  return null;
}

/** The `otpauth://` address authenticator apps read from the QR code (Google Authenticator's key URI format). */
export function otpauthUri(input: { issuer: string; account: string; secret: string }): string {
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const query = new URLSearchParams({
    secret: input.secret,
    issuer: input.issuer,
    algorithm: "SHA1",
    digits: String(totpDigits),
    period: String(totpStepSeconds),
  });
  return `otpauth://totp/${label}?${query}`;
}

/** The secret in groups of four, easier to type into an app by hand. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

// Recovery codes: 10 characters of base32 (50 bits each) shown as xxxxx-xxxxx, each usable once.
export const recoveryCodeCount = 10;

export function newRecoveryCodes(count = recoveryCodeCount): string[] {
  return Array.from({ length: count }, () => {
    const text = base32Encode(randomBytes(7)).slice(0, 10).toLowerCase();
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

/** A recovery code as typed, compared case- and hyphen-blind; null when it cannot be one. */
export function normaliseRecoveryCode(typed: string): string | null {
  const clean = typed.replace(/[\s-]/g, "").toLowerCase();
  return /^[a-z2-7]{10}$/.test(clean) ? clean : null;
}
