import type { CalendarKind } from "../calendar/index.ts";

export const regimes = [
  "foia",
  "eir",
  "foisa",
  "eisr",
  "sar",
  "internal-review",
  "foisa-review",
  "eisr-review",
  "eir-review",
] as const;
export type Regime = (typeof regimes)[number];

export const extensionTypes = ["pit", "eir-complex", "sar", "internal-review"] as const;
export type ExtensionType = (typeof extensionTypes)[number];

/**
 * How the clock treats a clarification or a fee for one regime:
 * - "restart": the date of receipt becomes the day the clarification or fee arrives (the count starts again);
 * - "disregard": the days from the request to the arrival, both included, are not counted;
 * - "none": the regime has no such notice.
 */
export type StopRule = "restart" | "disregard" | "none";

/** One worked due-date case, kept beside its regime and checked by the tests (deadline.test.ts). */
export interface WorkedCase {
  why: string;
  received: string;
  clarificationRequested?: string;
  clarified?: string;
  feeRequested?: string;
  feePaid?: string;
  identityRequested?: string;
  identityReceived?: string;
  extension?: ExtensionType;
  reading?: "ico" | "code-2018";
  dueDate: string;
  refusalNoticeDue?: string;
}

/** Which kind of request a regime answers, whichever country's law it is. */
export type RegimeKind = "foi" | "eir" | "sar" | "review";

/** The laws themselves, as their titles are written (the short form without the year for the log's filter). */
const laws = {
  foia: { title: "Freedom of Information Act 2000", name: "Freedom of Information Act" },
  eir: { title: "Environmental Information Regulations 2004", name: "Environmental Information Regulations" },
  foisa: {
    title: "Freedom of Information (Scotland) Act 2002",
    name: "Freedom of Information (Scotland) Act",
  },
  eisr: {
    title: "Environmental Information (Scotland) Regulations 2004",
    name: "Environmental Information (Scotland) Regulations",
  },
  ukGdpr: { title: "UK General Data Protection Regulation", name: "UK General Data Protection Regulation" },
} as const;

export interface RegimeRule {
  regime: Regime;
  /** The rule's own title, naming the provision that sets its clock. */
  title: string;
  /** What people call it on a page: "FOIA", "Subject access", "Review (FOISA s.21)". */
  shortName: string;
  /** What the request page calls it in full: "Freedom of Information Act 2000". */
  longName: string;
  /** The law it is under: its full title and its name without the year. */
  law: { title: string; name: string };
  /** Its code in a request's reference (01.FOI.26.000123); reviews are no request of their own. */
  referenceCode?: string;
  kind: RegimeKind;
  /** Scots law (FOISA, EISR and their reviews), which only Scottish public authorities answer under (FOISA s.3). */
  scottish: boolean;
  /** The regulator a complaint goes to: the Information Commissioner or the Scottish Information Commissioner. */
  regulator: "ico" | "sic";
  /** How long a fees notice stands before it lapses; absent when the law sets no such period. */
  feeLapse?: { months: number; provision: string };
  /** Working days, or calendar days counted in months (subject access). */
  unit: "working" | "calendar";
  /** The calendar that says which days are working days (and, for subject access, where a due date rolls to). */
  calendar: CalendarKind;
  /** The time limit: working days, or calendar months for subject access. */
  limit: number;
  /** The one extension the regime allows, in the same unit as `limit`. */
  extension?: { type: ExtensionType; defaultLength: number; maxLength: number };
  clarification: StopRule;
  fee: StopRule;
  /** Proof of the requester's identity (subject access only): "restart" or "none". */
  identity: StopRule;
  /** The rule that times an internal review of a reply under this regime; "internal-review" when not given. */
  review?: Regime;
  workedCases: readonly WorkedCase[];
}

/**
 * FOIA s.10(1): comply promptly and not later than the twentieth working day following the date of receipt;
 * working day per s.10(6) (the "uk" calendar). s.10(6)(b) and s.1(3): the date of receipt is the day the
 * clarification arrives, so the count restarts. s.10(2): the working days from the fees notice to the fee
 * arriving are disregarded. s.10(3): a public-interest extension "reasonable in the circumstances", which the
 * ICO takes as no more than 20 further working days; the s.17(1) refusal notice is still due at day 20.
 */
const foia: RegimeRule = {
  regime: "foia",
  title: laws.foia.title,
  shortName: "FOIA",
  longName: laws.foia.title,
  law: laws.foia,
  referenceCode: "FOI",
  kind: "foi",
  scottish: false,
  regulator: "ico",
  // FOIA s.9(2): the fee is to be paid within three months beginning with the day the fees notice is given.
  feeLapse: { months: 3, provision: "FOIA s.9(2)" },
  unit: "working",
  calendar: "uk",
  limit: 20,
  extension: { type: "pit", defaultLength: 20, maxLength: 20 },
  clarification: "restart",
  fee: "disregard",
  identity: "none",
  workedCases: [
    {
      why: "Christmas and New Year 2022: Boxing Day, the Christmas substitute, the New Year substitute, and Scotland's 2nd January substitute on Tue 3 Jan, which stops the FOIA clock in England too (s.10(6): any part of the UK)",
      received: "2022-12-01",
      dueDate: "2023-01-04",
    },
    {
      why: "Northern Ireland's Battle of the Boyne, Wed 12 July 2023, is not a working day anywhere under s.10(6)",
      received: "2023-06-20",
      dueDate: "2023-07-19",
    },
    {
      why: "St Patrick's Day, Tue 17 March 2026 (NI only), inside the 20 days",
      received: "2026-03-02",
      dueDate: "2026-03-31",
    },
    {
      why: "Platinum Jubilee 2022: Mon 30 May is a working day (spring bank holiday moved to Thu 2 June, plus Fri 3 June)",
      received: "2022-05-20",
      dueDate: "2022-06-21",
    },
    {
      why: "the State Funeral of Queen Elizabeth II, Mon 19 September 2022",
      received: "2022-09-01",
      dueDate: "2022-09-30",
    },
    {
      why: "the Coronation, Mon 8 May 2023, a week after the early May bank holiday",
      received: "2023-04-20",
      dueDate: "2023-05-22",
    },
    {
      why: "VE Day 2020: the early May bank holiday moved from Mon 4 May to Fri 8 May; spring bank holiday Mon 25 May",
      received: "2020-04-24",
      dueDate: "2020-05-26",
    },
    {
      why: "received on Easter Saturday 2023, ICO reading: the Saturday is day 0 and Tue 11 April (after Easter Monday) is day 1",
      received: "2023-04-08",
      dueDate: "2023-05-10",
    },
    {
      why: "the same request under the 2018 code reading: deemed received on Tue 11 April, so Wed 12 April is day 1 and the due date is one working day later",
      received: "2023-04-08",
      reading: "code-2018",
      dueDate: "2023-05-11",
    },
    {
      why: "public-interest extension: 20 further working days, the s.17 refusal notice still due at day 20",
      received: "2022-12-01",
      extension: "pit",
      dueDate: "2023-02-01",
      refusalNoticeDue: "2023-01-04",
    },
    {
      why: "clarification received Tue 12 March 2024 restarts the count (s.1(3), s.10(6)(b)); NI's St Patrick's Day substitute Mon 18 March, Good Friday and Easter Monday fall inside",
      received: "2024-03-01",
      clarificationRequested: "2024-03-05",
      clarified: "2024-03-12",
      dueDate: "2024-04-12",
    },
    {
      why: "fees notice Fri 8 Sept 2023, fee paid Wed 20 Sept: those 9 working days are disregarded (s.10(2)), so Fri 29 Sept becomes Thu 12 Oct",
      received: "2023-09-01",
      feeRequested: "2023-09-08",
      feePaid: "2023-09-20",
      dueDate: "2023-10-12",
    },
  ],
};

/**
 * EIR reg 5(2): as soon as possible and no later than 20 working days after the date of receipt; working day
 * as in FOIA s.10(6) (reg 2(1)). reg 7(1): extended to 40 working days for a complex and voluminous request.
 * reg 9(4): after a request for particulars the 20 days run from their receipt (restart). reg 8: the days from
 * the notice of an advance payment to its receipt are disregarded.
 */
const eir: RegimeRule = {
  regime: "eir",
  title: laws.eir.title,
  shortName: "EIR",
  longName: laws.eir.title,
  law: laws.eir,
  referenceCode: "EIR",
  kind: "eir",
  scottish: false,
  regulator: "ico",
  unit: "working",
  calendar: "uk",
  limit: 20,
  extension: { type: "eir-complex", defaultLength: 20, maxLength: 20 },
  clarification: "restart",
  fee: "disregard",
  identity: "none",
  review: "eir-review",
  workedCases: [
    {
      why: "same working days as FOIA: Tue 3 Jan 2023 (Scotland's 2nd January substitute) is not a working day",
      received: "2022-12-01",
      dueDate: "2023-01-04",
    },
    {
      why: "complex and voluminous (reg 7(1)): 40 working days over Christmas 2019 and Scotland's Thu 2 January 2020",
      received: "2019-12-02",
      extension: "eir-complex",
      dueDate: "2020-01-31",
    },
  ],
};

/**
 * FOISA s.10(1): not later than the twentieth working day after receipt of the request or of the further
 * information asked for under s.1(3) (restart); s.10(2) disregards the days from the fees notice to the fee.
 * s.73: working day excludes Saturday, Sunday, Christmas Day and Scottish bank holidays only, so a FOISA
 * due date is never later than the FOIA one for the same dates (and earlier when an England-and-Wales or NI
 * holiday falls inside). No public-interest extension.
 */
const foisa: RegimeRule = {
  regime: "foisa",
  title: laws.foisa.title,
  shortName: "FOISA",
  longName: laws.foisa.title,
  law: laws.foisa,
  referenceCode: "FOISA",
  kind: "foi",
  scottish: true,
  regulator: "sic",
  // FOISA s.9(4): the same three months as FOIA s.9(2).
  feeLapse: { months: 3, provision: "FOISA s.9(4)" },
  unit: "working",
  calendar: "scotland",
  limit: 20,
  review: "foisa-review",
  clarification: "restart",
  fee: "disregard",
  identity: "none",
  workedCases: [
    {
      why: "Christmas and New Year 2022 in Scotland: 26, 27 December, 2 and 3 January",
      received: "2022-12-01",
      dueDate: "2023-01-04",
    },
    {
      why: "NI's 12 July 2023 is a working day in Scotland: one day earlier than FOIA",
      received: "2023-06-20",
      dueDate: "2023-07-18",
    },
    {
      why: "Easter Monday 2025 is a working day in Scotland (FOIA gives Thu 1 May)",
      received: "2025-04-01",
      dueDate: "2025-04-30",
    },
    {
      why: "St Andrew's Day 2024 falls on a Saturday: the substitute is Mon 2 December (St Andrew's Day Bank Holiday (Scotland) Act 2007)",
      received: "2024-11-15",
      dueDate: "2024-12-16",
    },
    {
      why: "the World Cup bank holiday, Mon 15 June 2026 (Scotland only, by proclamation)",
      received: "2026-06-01",
      dueDate: "2026-06-30",
    },
  ],
};

/**
 * The Environmental Information (Scotland) Regulations 2004 (SSI 2004/520), for Scottish public authorities.
 * reg 5(2)(a): as soon as possible and no later than 20 working days after the date of receipt; reg 2(1): a
 * working day as in FOISA s.73 (the "scotland" calendar). reg 7(1): up to 20 further working days where the
 * volume and complexity of the information make the 20 impracticable (the refusal notice's time, reg 13(a),
 * with it); reg 7(2): the applicant is told within the first 20 working days. reg 9(4): after a request for
 * particulars under reg 9(2) the 20 days run from their receipt (restart). reg 8: no cost limit, a reasonable
 * charge (reg 8(3)) that may be asked for in advance (reg 8(4)); the days from that notice to the payment
 * are not counted (reg 8). reg 16(4): a review is decided within 20 working days ("eisr-review").
 */
const eisr: RegimeRule = {
  regime: "eisr",
  title: laws.eisr.title,
  shortName: "EISR",
  longName: laws.eisr.title,
  law: laws.eisr,
  referenceCode: "EISR",
  kind: "eir",
  scottish: true,
  regulator: "sic",
  unit: "working",
  calendar: "scotland",
  limit: 20,
  extension: { type: "eir-complex", defaultLength: 20, maxLength: 20 },
  clarification: "restart",
  fee: "disregard",
  identity: "none",
  review: "eisr-review",
  workedCases: [
    {
      why: "St Andrew's Day, Thu 30 November 2023, is a Scottish bank holiday (FOISA s.73, by reg 2(1))",
      received: "2023-11-15",
      dueDate: "2023-12-14",
    },
    {
      why: "Christmas and New Year 2022 in Scotland: 26, 27 December, 2 and 3 January",
      received: "2022-12-01",
      dueDate: "2023-01-04",
    },
    {
      why: "Easter Monday 2025 is a working day in Scotland: one day earlier than the EIR's Thu 1 May",
      received: "2025-04-01",
      dueDate: "2025-04-30",
    },
    {
      why: "volume and complexity (reg 7(1)): 40 working days over Good Friday 2025 and the early May bank holiday, Easter Monday counted",
      received: "2025-03-17",
      extension: "eir-complex",
      dueDate: "2025-05-14",
    },
    {
      why: "particulars asked for Mon 24 March 2025 and received Mon 31 March: the 20 days run from then (reg 9(4))",
      received: "2025-03-21",
      clarificationRequested: "2025-03-24",
      clarified: "2025-03-31",
      dueDate: "2025-04-29",
    },
    {
      why: "advance payment asked for Mon 17 Nov 2025 and paid Wed 26 Nov: those days are not counted (reg 8), nor St Andrew's Day's substitute Mon 1 December",
      received: "2025-11-10",
      feeRequested: "2025-11-17",
      feePaid: "2025-11-26",
      dueDate: "2025-12-19",
    },
  ],
};

/**
 * UK GDPR Art.12(3): without undue delay and within one month of receipt, extendable by two further months.
 * ICO guidance on the right of access: count from the day of receipt (working day or not) to the
 * corresponding date the next month; the last day of the month if it has no such date; the next working day
 * if that date is a weekend or bank holiday ("uk" calendar). The month runs from the latest of receipt and
 * payment of a fee (restart); a request for clarification stops the clock from the day it is asked to the day
 * it is answered, both included (ICO guidance; Data (Use and Access) Act 2025), so the due date is the first
 * working day outside a pause by which the month's unpaused days have passed (a clarification asked on a due
 * date rolled past a weekend still stops the clock). The extension is counted as three months from the start.
 */
const sar: RegimeRule = {
  regime: "sar",
  title: "UK GDPR Article 15 subject access request",
  shortName: "Subject access",
  longName: "Subject access request (UK GDPR Art.15)",
  law: laws.ukGdpr,
  referenceCode: "SAR",
  kind: "sar",
  scottish: false,
  regulator: "ico",
  unit: "calendar",
  calendar: "uk",
  limit: 1,
  extension: { type: "sar", defaultLength: 2, maxLength: 2 },
  clarification: "disregard",
  fee: "restart",
  // UK GDPR Art.12(6): the controller may ask for information to confirm identity where it has reasonable
  // doubts; ICO right-of-access guidance ("How long do we have to comply?"): the month runs from receipt of
  // that information. The DUA Act 2025 writes the stop into the UK GDPR; its article number (Art.12A) could
  // not be confirmed from the sources searched, so the ICO guidance is the authority relied on here.
  identity: "restart",
  workedCases: [
    {
      why: "received on a Sunday: the corresponding date, Tue 3 October",
      received: "2023-09-03",
      dueDate: "2023-10-03",
    },
    { why: "no 31 February: the last day of the month", received: "2023-01-31", dueDate: "2023-02-28" },
    { why: "leap year: Thu 29 February 2024", received: "2024-01-31", dueDate: "2024-02-29" },
    {
      why: "corresponding date Sun 25 December 2022: Boxing Day and the Christmas substitute follow, so Wed 28 December",
      received: "2022-11-25",
      dueDate: "2022-12-28",
    },
    {
      why: "extended by two months: Sun 30 April 2023, then the early May bank holiday, so Tue 2 May",
      received: "2023-01-31",
      extension: "sar",
      dueDate: "2023-05-02",
    },
    {
      why: "clarification asked Mon 13 May 2024, answered Mon 20 May: 8 days not counted, 10 June becomes 18 June",
      received: "2024-05-10",
      clarificationRequested: "2024-05-13",
      clarified: "2024-05-20",
      dueDate: "2024-06-18",
    },
    {
      why: "clarification asked on the last day, Mon 10 June 2024, answered Wed 12 June: those 3 days are added",
      received: "2024-05-10",
      clarificationRequested: "2024-06-10",
      clarified: "2024-06-12",
      dueDate: "2024-06-13",
    },
    {
      why: "the month ends Sat 29 June 2024, so the due date rolls to Mon 1 July; clarification asked that Monday and answered Wed 3 July: due Thu 4 July",
      received: "2024-05-29",
      clarificationRequested: "2024-07-01",
      clarified: "2024-07-03",
      dueDate: "2024-07-04",
    },
    {
      why: "a fee paid Fri 15 March 2024 starts the month again",
      received: "2024-03-04",
      feeRequested: "2024-03-06",
      feePaid: "2024-03-15",
      dueDate: "2024-04-15",
    },
    {
      why: "identity asked Mon 13 May 2024, proof received Mon 20 May: the month runs from 20 May, so Thu 20 June",
      received: "2024-05-10",
      identityRequested: "2024-05-13",
      identityReceived: "2024-05-20",
      dueDate: "2024-06-20",
    },
  ],
};

/**
 * Internal review of a FOIA or EIR reply: the s.45 code of practice (2018) para 5.4–5.5 asks for 20 working
 * days, 40 at most in complex cases (EIR reg 11(4) makes 40 statutory). FOIA working days. A clarified review
 * request is treated as received when the clarification arrives; there is no fee.
 */
const internalReview: RegimeRule = {
  regime: "internal-review",
  title: "Internal review (s.45 code of practice)",
  shortName: "Internal review",
  longName: "Internal review (s.45 code of practice)",
  law: laws.foia,
  kind: "review",
  scottish: false,
  regulator: "ico",
  unit: "working",
  calendar: "uk",
  limit: 20,
  extension: { type: "internal-review", defaultLength: 20, maxLength: 20 },
  clarification: "restart",
  fee: "none",
  identity: "none",
  workedCases: [
    {
      why: "Christmas 2023 and Scotland's 2 January 2024",
      received: "2023-12-15",
      dueDate: "2024-01-18",
    },
    {
      why: "extended to 40 working days",
      received: "2023-12-15",
      extension: "internal-review",
      dueDate: "2024-02-15",
    },
  ],
};

/**
 * Review of a FOISA reply: s.21(1) requires the authority to comply with a requirement for review promptly and
 * in any event by the twentieth working day after receiving it; s.73 working days (Scottish bank holidays).
 * Statutory, and FOISA has no provision to extend it (unlike the FOIA code's 40 days).
 */
const foisaReview: RegimeRule = {
  regime: "foisa-review",
  title: "FOISA review (s.21)",
  shortName: "Review (FOISA s.21)",
  longName: "FOISA review (s.21)",
  law: laws.foisa,
  kind: "review",
  scottish: true,
  regulator: "sic",
  unit: "working",
  calendar: "scotland",
  limit: 20,
  clarification: "restart",
  fee: "none",
  identity: "none",
  workedCases: [
    {
      why: "Scotland's summer bank holiday, Mon 5 August 2024 (a working day in England)",
      received: "2024-07-22",
      dueDate: "2024-08-20",
    },
    {
      why: "Christmas 2023, 1 and 2 January 2024",
      received: "2023-12-15",
      dueDate: "2024-01-18",
    },
  ],
};

/**
 * Review of an EISR reply: reg 16(4) requires the decision on the applicant's representations as soon as
 * possible and no later than 20 working days after their receipt; Scottish working days (reg 2(1)); reg 7
 * extends only the times in regs 5(2)(a), 6(2)(a) and 13(a), so a review cannot be extended.
 */
const eisrReview: RegimeRule = {
  regime: "eisr-review",
  title: "EISR review (reg 16(4))",
  shortName: "Review (EISR reg 16)",
  longName: "EISR review (reg 16(4))",
  law: laws.eisr,
  kind: "review",
  scottish: true,
  regulator: "sic",
  unit: "working",
  calendar: "scotland",
  limit: 20,
  clarification: "restart",
  fee: "none",
  identity: "none",
  workedCases: [
    {
      why: "St Andrew's Day, Thu 30 November 2023",
      received: "2023-11-15",
      dueDate: "2023-12-14",
    },
    {
      why: "Easter Monday 2025 is a working day in Scotland, Good Friday is not",
      received: "2025-04-01",
      dueDate: "2025-04-30",
    },
  ],
};

/**
 * Reconsideration of an EIR reply: reg 11(4) requires the authority to notify its decision as soon as
 * possible and no later than 40 working days after receiving the representations; FOIA working days
 * (reg 2(1)). Statutory: reg 7 extends only the times in regs 5(2), 6(2)(a) and 14(2), so there is no
 * extension beyond the 40.
 */
const eirReview: RegimeRule = {
  regime: "eir-review",
  title: "EIR reconsideration (reg 11(4))",
  shortName: "Reconsideration (EIR reg 11)",
  longName: "EIR reconsideration (reg 11(4))",
  law: laws.eir,
  kind: "review",
  scottish: false,
  regulator: "ico",
  unit: "working",
  calendar: "uk",
  limit: 40,
  clarification: "restart",
  fee: "none",
  identity: "none",
  workedCases: [
    {
      why: "40 working days over Northern Ireland's St Patrick's Day substitute (Mon 18 March 2024), Easter 2024 and the early May bank holiday",
      received: "2024-03-15",
      dueDate: "2024-05-16",
    },
  ],
};

const rules = new Map<string, RegimeRule>([
  ["foia", foia],
  ["eir", eir],
  ["foisa", foisa],
  ["eisr", eisr],
  ["sar", sar],
  ["internal-review", internalReview],
  ["foisa-review", foisaReview],
  ["eisr-review", eisrReview],
  ["eir-review", eirReview],
]);

/** The rule object for a regime, or undefined for an unknown name. */
export function regimeRule(regime: string): RegimeRule | undefined {
  return rules.get(regime);
}

export function isRegime(value: unknown): value is Regime {
  return typeof value === "string" && rules.has(value);
}

/** What a page calls a regime ("FOIA", "Subject access"); the code itself for an unknown one. */
export function regimeName(regime: string): string {
  return rules.get(regime)?.shortName ?? regime;
}

/** Subject access (UK GDPR Art.15): the requester's own personal data, kept from staff without access to it. */
export function isSubjectAccess(regime: unknown): regime is "sar" {
  return typeof regime === "string" && rules.get(regime)?.kind === "sar";
}

/**
 * Whether an authority is a Scottish public authority, which answers under FOISA and the EISR rather than
 * FOIA and the EIR (FOISA s.3, sch.1; FOIA s.80): the one place that decides it, from the jurisdiction set.
 */
export function isScottishAuthority(jurisdiction: string | null | undefined): boolean {
  return jurisdiction === "scotland";
}

/** The regime a request of this kind is under at an authority in or outside Scotland (SAR: UK-wide). */
export function regimeFor(kind: Exclude<RegimeKind, "review">, scottish: boolean): Regime {
  const found = [...rules.values()].find(
    (rule) => rule.kind === kind && (kind === "sar" || rule.scottish === scottish),
  );
  return found!.regime;
}
