import { type Regime, regimeRule } from "./regimes.ts";

// The shape of a catalogue entry (exemption, exception) and the helper the catalogue files declare them with.
// Kept apart from the lookup in exemptions.ts so the catalogue files can import it without a cycle.

/** The regimes that give a right to information and so have exemptions: FOIA, the EIR, FOISA and the EISR. */
export type InformationRegime = Extract<Regime, "foia" | "eir" | "foisa" | "eisr">;
export const informationRegimes: readonly InformationRegime[] = ["foia", "eir", "foisa", "eisr"];

export function isInformationRegime(value: unknown): value is InformationRegime {
  return informationRegimes.includes(value as InformationRegime);
}

/** The environmental regimes, whose grounds for refusal are exceptions in regulations. */
export type EnvironmentalRegime = Extract<InformationRegime, "eir" | "eisr">;

export function isEnvironmental(regime: InformationRegime): regime is EnvironmentalRegime {
  return regimeRule(regime)?.kind === "eir";
}

/**
 * Where each set of environmental regulations puts the rules a reply must follow: the EIR 2004 (SI
 * 2004/3391) for England, Wales and Northern Ireland, the EISR (SSI 2004/520) for Scottish public authorities.
 */
export interface EnvironmentalProvisions {
  /** The exception for information not held: EIR reg 12(4)(a), EISR reg 10(4)(a). */
  notHeld: string;
  /** The exception for a manifestly unreasonable request: EIR reg 12(4)(b), EISR reg 10(4)(b). */
  manifestlyUnreasonable: string;
  /** The regulations holding the exceptions, as a reply's advice names them. */
  exceptions: string;
  /** The presumption in favour of disclosure: EIR reg 12(2), EISR reg 10(2)(b). */
  presumption: string;
  /** The refusal notice: EIR reg 14, EISR reg 13. */
  refusalNotice: string;
  /** Why the notice explains an exception: EIR reg 14(3), EISR reg 13(b). */
  reasons: string;
  /** No exception in (5)(d)–(g) for information on emissions: EIR reg 12(9), EISR reg 10(6). */
  emissions: string;
  /** Which exceptions allow neither confirming nor denying. */
  ncnd: string;
  /** The requester's own personal data: EIR reg 5(3), EISR reg 11(1). */
  ownPersonalData: string;
}

export const environmentalProvisions: Record<EnvironmentalRegime, EnvironmentalProvisions> = {
  eir: {
    notHeld: "eir-12-4-a",
    manifestlyUnreasonable: "eir-12-4-b",
    exceptions: "regulations 12 and 13",
    presumption: "regulation 12(2)",
    refusalNotice: "regulation 14",
    reasons: "regulation 14(3)",
    emissions: "regulation 12(9)",
    ncnd: "regulation 12(5)(a) (by regulation 12(6)) and regulation 13 (by regulation 13(5A))",
    ownPersonalData: "regulation 5(3)",
  },
  eisr: {
    notHeld: "eisr-10-4-a",
    manifestlyUnreasonable: "eisr-10-4-b",
    exceptions: "regulations 10 and 11",
    presumption: "regulation 10(2)(b)",
    refusalNotice: "regulation 13",
    reasons: "regulation 13(b)",
    emissions: "regulation 10(6)",
    ncnd: "regulation 10(5)(a) (by regulation 10(8)) and regulation 11 (by regulation 11(6))",
    ownPersonalData: "regulation 11(1)",
  },
};

/** The Act or Regulations as a reply names them, with the short form used after the first mention. */
export const regimeLaw: Record<
  InformationRegime,
  { title: string; short: string; unit: "section" | "regulation" }
> = {
  foia: { title: `the ${regimeRule("foia")!.law.title}`, short: "the Act", unit: "section" },
  eir: { title: `the ${regimeRule("eir")!.law.title}`, short: "the Regulations", unit: "regulation" },
  foisa: { title: `the ${regimeRule("foisa")!.law.title}`, short: "the Act", unit: "section" },
  eisr: { title: `the ${regimeRule("eisr")!.law.title}`, short: "the Regulations", unit: "regulation" },
};

/**
 * How disclosure must be expected to harm an interest: "would" (more probable than not) or "would be likely
 * to" (a real and significant risk), the two limbs FOIA and FOISA use (Hogan v IC, EA/2005/0026).
 */
export type Likelihood = "would" | "would-be-likely-to";
export const likelihoods: readonly Likelihood[] = ["would", "would-be-likely-to"];
export const likelihoodLabels: Record<Likelihood, string> = {
  would: "would",
  "would-be-likely-to": "would be likely to",
};

/**
 * - "class": the information is exempt because of what it is (s.21, s.30, s.42);
 * - "prejudice": because of what disclosure would, or would be likely to, do to an interest (s.31, s.43(2));
 *   FOISA's and the EISR's prejudice must be substantial, the EIR's is an adverse effect;
 * - "necessity": because exemption is required to protect an interest (FOIA s.24(1), s.34; FOISA s.31(1)).
 */
export type ExemptionBasis = "class" | "prejudice" | "necessity";

export interface HarmTest {
  /** The verb the provision uses: "prejudice", "prejudice substantially", "adversely affect", "endanger"… */
  verb: string;
  /** The protected interest in the provision's words, e.g. "the prevention or detection of crime". */
  interest: string;
  /** The limbs the provision allows; empty for a necessity test. EIR reg 12(5) has "would" only. */
  likelihoods: readonly Likelihood[];
}

export interface NcndProvision {
  /** "Section 31(3)", "Section 18(1)", "Regulation 12(6)". */
  provision: string;
  /**
   * True when the provision is the exemption's own (FOIA: "Section 31(3) Law enforcement"); false when it is a
   * general one cited with the exemption (FOISA s.18(1), EIR reg 12(6) and 13(5A), EISR reg 10(8) and 11(6)).
   */
  own: boolean;
}

export interface ExemptionSamples {
  /** A worked harm argument (prejudice- and necessity-based entries). */
  harm?: string;
  /** Worked public-interest factors (entries subject to the public-interest test). */
  publicInterest?: { favouringDisclosure: readonly string[]; favouringWithholding: readonly string[] };
  /** Why a class-based exemption applies, as a reply explains it (s.17(1)(c)). */
  reasons?: string;
}

export interface Exemption {
  /** Stable key stored on replies and used in reports: "foia-31-1-a", "eir-12-5-b", "foisa-38-1-b", "eisr-10-5-b". */
  id: string;
  regime: InformationRegime;
  /** "Section 31(1)(a)", "Regulation 12(5)(b)". */
  provision: string;
  /** The section's heading as a reply prints it: "Law enforcement". */
  heading: string;
  /** The printed citation for this entry alone: "Section 31(1)(a) Law enforcement". */
  printed: string;
  /**
   * Where one provision has several entries, what sets this one apart, in a few words ("the first
   * condition: …"); the reply's citation does not print it.
   */
  variant?: string;
  /** The entry as a list of choices names it: the citation, and its variant when it has one. */
  choice: string;
  /** The provision's numbering, used to combine citations: ["31", "1", "a"]. */
  path: readonly string[];
  /** What it covers, in plain words close to the statute's. */
  summary: string;
  /** FOIA s.2(3), FOISA s.2(2): absolute exemptions carry no public-interest test. */
  status: "absolute" | "qualified";
  /** Whether a public-interest balance must be struck (qualified entries, bar EIR reg 12(4)(a)). */
  publicInterestTest: boolean;
  basis: ExemptionBasis;
  harm?: HarmTest;
  ncnd: NcndProvision | null;
  /** FOIA s.40(1), FOISA s.38(1)(a), EIR reg 5(3), EISR reg 11(1): the requester's own data (subject access). */
  ownPersonalData?: boolean;
  /** FOIA s.36: engaged only on the reasonable opinion of a qualified person (s.36(2), s.36(5)). */
  needsQualifiedPersonOpinion?: boolean;
  /** Entries this one may be cited with in the alternative (FOIA s.23 and s.24). */
  alternativeWith?: readonly string[];
  /** EIR reg 12(9), EISR reg 10(6): not available to refuse information on emissions. */
  notForEmissions?: boolean;
  notes: readonly string[];
  /** The statutory source, e.g. "FOIA s.31(1)(a); qualified (s.2(3)); NCND s.31(3)". */
  source: string;
  samples: ExemptionSamples;
}

/** What each catalogue file declares per entry; `id`, `printed` and `path` are derived here. */
export interface ExemptionSpec
  extends Omit<Exemption, "id" | "printed" | "choice" | "path" | "provision" | "regime"> {
  /** The numbering after the word "Section"/"Regulation": "31(1)(a)", "22A(1)", "12(5)(b)". */
  number: string;
  /** Only when one provision has several entries (FOIA s.40(2) by condition). */
  idSuffix?: string;
}

const numberPattern = /^(\d+[A-Z]?)((?:\([0-9a-z]+\))*)$/;

/** Splits "31(1)(a)" into ["31", "1", "a"]. */
export function provisionPath(number: string): string[] {
  const match = numberPattern.exec(number);
  if (!match) throw new Error(`not a provision number: ${number}`);
  const parts = [...(match[2] ?? "").matchAll(/\(([0-9a-z]+)\)/g)].map((part) => part[1] as string);
  return [match[1] as string, ...parts];
}

export function defineExemptions(regime: InformationRegime, specs: readonly ExemptionSpec[]): Exemption[] {
  const word = isEnvironmental(regime) ? "Regulation" : "Section";
  return specs.map(({ number, idSuffix, ...spec }) => {
    const path = provisionPath(number);
    const provision = `${word} ${number}`;
    return {
      id: [regime, ...path.map((part) => part.toLowerCase()), ...(idSuffix ? [idSuffix] : [])].join("-"),
      regime,
      provision,
      printed: `${provision} ${spec.heading}`,
      choice: `${provision} ${spec.heading}${spec.variant ? ` (${spec.variant})` : ""}`,
      path,
      ...spec,
    };
  });
}
