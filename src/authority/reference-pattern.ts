import { invalid } from "../errors.ts";

// The reference pattern is an authority setting (01.FOI.22.024103: unit, regime, two-digit year, sequence);
// its grammar lives here with the setting, and requests formats references by it (requests/reference.ts).

export const DEFAULT_REFERENCE_PATTERN = "{unit}.{regime}.{yy}.{seq:6}";

/** A placeholder of a reference pattern: its name and, for the sequence, its width. */
export const referencePlaceholder = /\{(unit|regime|yy|yyyy|seq)(?::(\d{1,2}))?\}/g;

export function checkReferencePattern(pattern: string): void {
  if (!pattern.includes("{seq"))
    throw invalid("referencePattern", "The reference pattern must include {seq}");
  const unknown = pattern.replace(referencePlaceholder, "").match(/\{[^}]*\}/);
  if (unknown)
    throw invalid("referencePattern", `The reference pattern has an unknown placeholder ${unknown[0]}`);
}
