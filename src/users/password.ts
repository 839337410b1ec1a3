import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

// scrypt with its parameters kept in the stored string, so they can be raised later without breaking
// existing hashes: `scrypt$N$r$p$salt$hash` (salt and hash in base64). N = 2^15, r = 8, p = 1 follows
// OWASP's password storage guidance; it costs 32 MiB and tens of milliseconds per check.
export interface ScryptParameters {
  cost: number;
  blockSize: number;
  parallelization: number;
}

export const defaultScryptParameters: ScryptParameters = { cost: 2 ** 15, blockSize: 8, parallelization: 1 };

const keyLength = 64;
const saltLength = 16;

function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = {
    N: parameters.cost,
    r: parameters.blockSize,
    p: parameters.parallelization,
    maxmem: 256 * parameters.cost * parameters.blockSize + 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(
  password: string,
  parameters: ScryptParameters = defaultScryptParameters,
): Promise<string> {
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, parameters);
  const { cost, blockSize, parallelization } = parameters;
  return `scrypt$${cost}$${blockSize}$${parallelization}$${salt.toString("base64")}$${key.toString("base64")}`;
}

function parseHash(stored: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [cost, blockSize, parallelization] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![cost, blockSize, parallelization].every((n) => Number.isSafeInteger(n) && n > 0)) return null;
  // Refuse absurd parameters from a tampered row rather than exhaust the machine.
  if (cost > 2 ** 20 || blockSize > 32 || parallelization > 16) return null;
  const salt = Buffer.from(parts[4]!, "base64");
  const key = Buffer.from(parts[5]!, "base64");
  if (salt.length === 0 || key.length === 0) return null;
  return { parameters: { cost, blockSize, parallelization }, salt, key };
}

/** Whether `password` matches `stored`; false for a malformed hash. Constant-time in the comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.parameters);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/**
 * Whether a stored hash was made with parameters weaker than `current` (hashes from before a raise), so that it
 * should be made again the next time its password is known, at sign-in. A malformed hash is not upgraded.
 */
export function needsRehash(stored: string, current: ScryptParameters = defaultScryptParameters): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const { cost, blockSize, parallelization } = parsed.parameters;
  return (
    cost < current.cost ||
    blockSize < current.blockSize ||
    parallelization < current.parallelization ||
    parsed.key.length < keyLength
  );
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time a real check would when there is no such user, so response times do not tell an
 * attacker which usernames exist.
 */
export async function verifyAgainstNobody(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(password, await dummyHash);
  return false;
}
