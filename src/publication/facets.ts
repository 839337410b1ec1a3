import { exemption, exemptions, type InformationRegime } from "../law/index.ts";
import { type Outcome, outcomeLabels } from "../requests/index.ts";

// The facets the disclosure log is filtered by (year, regime, outcome, exemption cited, topic) and their
// names in words. An exemption is filtered by its section (FOIA, FOISA: "Section 31 Law enforcement") or,
// for the EIR, by its exception ("Regulation 12(5)(b) The course of justice"), so that replies citing
// s.31(1)(a) and s.31(1)(b) are found together.

export const regimeNames: Record<InformationRegime, string> = {
  foia: "Freedom of Information Act",
  eir: "Environmental Information Regulations",
  foisa: "Freedom of Information (Scotland) Act",
};

export const regimeShortNames: Record<InformationRegime, string> = {
  foia: "FOIA",
  eir: "EIR",
  foisa: "FOISA",
};

export function outcomeName(outcome: string): string {
  return outcomeLabels[outcome as Outcome] ?? outcome;
}

/** The facet key of a catalogue entry: "foia-31", "foisa-35", "eir-12-5-b"; undefined for an unknown id. */
export function exemptionFacet(id: string): string | undefined {
  const entry = exemption(id);
  if (!entry) return undefined;
  const path = entry.path.map((part) => part.toLowerCase());
  return entry.regime === "eir" ? ["eir", ...path.slice(0, 3)].join("-") : `${entry.regime}-${path[0]}`;
}

const facetLabels = new Map<string, string>();
for (const entry of exemptions) {
  const key = exemptionFacet(entry.id);
  if (!key || facetLabels.has(key)) continue;
  const word = entry.regime === "eir" ? "Regulation" : "Section";
  const number =
    entry.regime === "eir"
      ? `${entry.path[0]}${entry.path
          .slice(1, 3)
          .map((part) => `(${part})`)
          .join("")}`
      : entry.path[0];
  facetLabels.set(key, `${word} ${number} ${entry.heading}`);
}

/** "Section 31 Law enforcement" for "foia-31"; prefixed with the law where a number means two things. */
export function exemptionFacetName(key: string): string {
  const label = facetLabels.get(key) ?? key;
  return key.startsWith("foisa-") ? `${label} (FOISA)` : label;
}

export function isExemptionFacet(key: string): boolean {
  return facetLabels.has(key);
}
