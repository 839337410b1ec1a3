import { invalid } from "./errors.ts";

/** A whole number from the environment variable `name` (`fallback` when unset), within `min`..`max`. */
export function wholeNumberFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  range: { min: number; max: number; unit: string },
): number {
  const text = env[name] ?? String(fallback);
  const value = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= range.min && value <= range.max))
    throw invalid(name, `"${text}" is not a number of ${range.unit} (${range.min} to ${range.max})`);
  return value;
}
