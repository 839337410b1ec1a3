import {
  exemption,
  exemptions,
  type InformationRegime,
  informationRegimes,
  isEnvironmental,
  regimeRule,
} from "../law/index.ts";
import { type Outcome, outcomeLabels } from "../requests/index.ts";

// The facets the disclosure log is filtered by (year, regime, outcome, exemption cited, topic) and their
// names in words. An exemption is filtered by its section (FOIA, FOISA: "Section 31 Law enforcement") or,
// for the EIR and the EISR, by its exception ("Regulation 12(5)(b) The course of justice"), so that replies
// citing s.31(1)(a) and s.31(1)(b) are found together.

/** The law's names for each regime: "Freedom of Information Act" (without its year) and "FOIA". */
export const regimeNames = Object.fromEntries(
  informationRegimes.map((regime) => [regime, regimeRule(regime)!.law.name]),
) as Record<InformationRegime, string>;

export const regimeShortNames = Object.fromEntries(
  informationRegimes.map((regime) => [regime, regimeRule(regime)!.shortName]),
) as Record<InformationRegime, string>;

export function outcomeName(outcome: string): string {
  return outcomeLabels[outcome as Outcome] ?? outcome;
}

/**
 * The facet key of a catalogue entry: "foia-31", "foisa-35", "eir-12-5-b", "eisr-10-5-b"; undefined for an
 * unknown id.
 */
export function exemptionFacet(id: string): string | undefined {
  const entry = exemption(id);
  if (!entry) return undefined;
  const path = entry.path.map((part) => part.toLowerCase());
  return isEnvironmental(entry.regime)
    ? [entry.regime, ...path.slice(0, 3)].join("-")
    : `${entry.regime}-${path[0]}`;
}

const facetLabels = new Map<string, string>();
for (const entry of exemptions) {
  const key = exemptionFacet(entry.id);
  if (!key || facetLabels.has(key)) continue;
  const word = isEnvironmental(entry.regime) ? "Regulation" : "Section";
  const number = isEnvironmental(entry.regime)
    ? `${entry.path[0]}${entry.path
        .slice(1, 3)
        .map((part) => `(${part})`)
        .join("")}`
    : entry.path[0];
  facetLabels.set(key, `${word} ${number} ${entry.heading}`);
}

/** "Section 31 Law enforcement" for "foia-31"; the Scottish law named, since its headings repeat the others'. */
export function exemptionFacetName(key: string): string {
  const label = facetLabels.get(key) ?? key;
  if (key.startsWith("foisa-")) return `${label} (FOISA)`;
  return key.startsWith("eisr-") ? `${label} (EISR)` : label;
}

export function isExemptionFacet(key: string): boolean {
  return facetLabels.has(key);
}
