import { referencePlaceholder as placeholder } from "../authority/index.ts";
import { regimeRule } from "../law/index.ts";
import { requestRegimes } from "./workflow.ts";

// References like 01.FOI.22.024103: unit, regime, two-digit year, sequence. The pattern is an authority
// setting; the sequence is allocated per regime and year by the repository (gap-free, concurrent-safe).

export { checkReferencePattern, DEFAULT_REFERENCE_PATTERN } from "../authority/index.ts";

/** Each regime's code in a reference (01.FOI.26.000123), as the law's rule gives it. */
export const referenceRegimeCodes: Record<string, string> = Object.fromEntries(
  requestRegimes.map((regime) => [regime, regimeRule(regime)!.referenceCode!]),
);

export function formatReference(
  pattern: string,
  parts: { unit: string; regime: string; year: number; seq: number },
): string {
  return pattern.replace(placeholder, (_match, name: string, width?: string) => {
    switch (name) {
      case "unit":
        return parts.unit;
      case "regime":
        return referenceRegimeCodes[parts.regime] ?? parts.regime.toUpperCase();
      case "yy":
        return String(parts.year % 100).padStart(2, "0");
      case "yyyy":
        return String(parts.year);
      default:
        return String(parts.seq).padStart(Number(width ?? 1), "0");
    }
  });
}
