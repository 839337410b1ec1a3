import { eirExceptions } from "./eir-exceptions.ts";
import { eisrExceptions } from "./eisr-exceptions.ts";
import { type Exemption, type InformationRegime, isEnvironmental } from "./exemption-model.ts";
import { foiaExemptions } from "./foia-exemptions.ts";
import { foisaExemptions } from "./foisa-exemptions.ts";

// The exemptions (FOIA, FOISA) and exceptions (EIR, EISR) a reply may rely on, as data: what each covers, how it is
// printed in a reply, which test it carries and where its neither-confirm-nor-deny provision is. Each entry
// cites its provision; the samples beside each entry are worked wording that the tests and the paragraph
// library read.

export const exemptions: readonly Exemption[] = [
  ...foiaExemptions,
  ...eirExceptions,
  ...foisaExemptions,
  ...eisrExceptions,
];

const byId = new Map(exemptions.map((entry) => [entry.id, entry]));
const order = new Map(exemptions.map((entry, index) => [entry.id, index]));

/** The catalogue entry, or undefined for an unknown id. */
export function exemption(id: string): Exemption | undefined {
  return byId.get(id);
}

/** The law an exemption's or a procedural refusal's id belongs to: "foisa-14-1" is FOISA's. */
export function regimeOfId(id: string): string {
  return id.slice(0, id.indexOf("-"));
}

export function exemptionsFor(regime: InformationRegime): Exemption[] {
  return exemptions.filter((entry) => entry.regime === regime);
}

/** What follows an entry's provision in its id: "objection" for "eir-13-1-objection", "" for "eir-12-5-b". */
function idSuffix(entry: Exemption): string {
  return entry.id.slice([entry.regime, ...entry.path].join("-").length).toLowerCase();
}

/**
 * The entry in `regime`'s catalogue that protects the same thing as `id` (EIR reg 12(5)(b) and EISR reg
 * 10(5)(b) The course of justice; EIR reg 13(1) and EISR reg 11(2) Personal data), so a message can point a
 * case officer from one set of regulations to the other. Undefined where there is none.
 */
export function counterpartIn(regime: InformationRegime, id: string): Exemption | undefined {
  const entry = byId.get(id);
  if (!entry || entry.regime === regime) return entry;
  return exemptionsFor(regime).find(
    (other) => other.heading === entry.heading && idSuffix(other) === idSuffix(entry),
  );
}

export interface CitationOptions {
  /** Cite the neither-confirm-nor-deny provisions rather than the exemptions from disclosure. */
  ncnd?: boolean;
  /** The entries are cited in the alternative ("Section 23(5) or, in the alternative, Section 24(2)"). */
  alternative?: boolean;
}

function joinPaths(paths: readonly (readonly string[])[]): string {
  // Entries that differ only in their last part print as one: 31(1)(a) + 31(1)(b) → 31(1)(a)(b).
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const stem = path.slice(0, -1).join("|");
    const last = path[path.length - 1] as string;
    const group = groups.get(stem) ?? [];
    if (!group.includes(last)) group.push(last);
    groups.set(stem, group);
  }
  return [...groups]
    .map(([stem, lasts]) => {
      const parts = stem === "" ? [] : stem.split("|");
      if (parts.length === 0) return lasts.join(", ");
      return `${parts[0]}${parts
        .slice(1)
        .map((part) => `(${part})`)
        .join("")}${lasts.map((last) => `(${last})`).join("")}`;
    })
    .join(" and ");
}

/**
 * The citation lines a reply prints for a set of entries, in catalogue order: entries of one section with one
 * heading combine ("Section 31(1)(a)(b) Law enforcement"); with `ncnd`, each line names the provision that
 * excludes the duty to confirm or deny ("Section 31(3) Law enforcement"; FOISA: "Section 18(1), with Section
 * 35(1)(a) Law enforcement"). Throws on an unknown id.
 */
export function citeExemptions(ids: readonly string[], options: CitationOptions = {}): string[] {
  const entries = [...new Set(ids)]
    .map((id) => {
      const entry = byId.get(id);
      if (!entry) throw new Error(`unknown exemption ${id}`);
      return entry;
    })
    .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const groups = new Map<string, Exemption[]>();
  for (const entry of entries) {
    const key = `${entry.regime}|${entry.path[0]}|${entry.heading}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const lines = [...groups.values()].map((group) => {
    const first = group[0] as Exemption;
    const word = isEnvironmental(first.regime) ? "Regulation" : "Section";
    const cited = `${word} ${joinPaths(group.map((entry) => entry.path))} ${first.heading}`;
    if (!options.ncnd) return cited;
    const ncnd = [...new Set(group.map((entry) => entry.ncnd?.provision ?? "no NCND provision"))].join(
      " and ",
    );
    return first.ncnd?.own ? `${ncnd} ${first.heading}` : `${ncnd}, with ${cited}`;
  });
  return options.alternative && lines.length > 1 ? [lines.join(" or, in the alternative, ")] : lines;
}
