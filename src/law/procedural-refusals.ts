import { tryParseIsoDate, workingCalendar } from "../calendar/index.ts";
import type { InformationRegime } from "./exemption-model.ts";

// Refusals of a whole request that do not turn on what the information is: the cost of complying (FOIA s.12,
// FOISA s.12), vexatious requests (FOIA s.14(1), FOISA s.14(1)) and repeated requests (FOIA s.14(2), FOISA
// s.14(2)). The EIR and the EISR have none of these: a request that is too burdensome, vexatious or repeated
// is "manifestly unreasonable" (EIR reg 12(4)(b), EISR reg 10(4)(b)), an exception subject to the
// public-interest test.

export type RefusalGround = "cost" | "vexatious" | "repeated";
export const refusalGrounds: readonly RefusalGround[] = ["cost", "vexatious", "repeated"];

export interface ProceduralRefusal {
  id: string;
  regime: InformationRegime;
  ground: RefusalGround;
  /** "Section 12(1)", "Regulation 12(4)(b)". */
  provision: string;
  /** The citation as a reply prints it. */
  printed: string;
  /** The provision under which the refusal notice is given. */
  noticeProvision: string;
  /** EIR reg 12(4)(b) and EISR reg 10(4)(b) are exceptions subject to the public-interest test. */
  publicInterestTest: boolean;
  /** The requester must be advised how to bring the request within the limit (FOIA s.16, FOISA s.15, EIR reg 9). */
  narrowingAdviceRequired: boolean;
  /** The catalogue entry this refusal is made under, where it is one (EIR reg 12(4)(b), EISR reg 10(4)(b)). */
  exemptionId?: string;
  notes: readonly string[];
  source: string;
  /** Worked reasons, read by the tests and the paragraph library. */
  sample: string;
}

const eirManifestlyUnreasonable = {
  regime: "eir",
  provision: "Regulation 12(4)(b)",
  printed: "Regulation 12(4)(b) Manifestly unreasonable request",
  noticeProvision: "Regulation 14",
  publicInterestTest: true,
  exemptionId: "eir-12-4-b",
} as const;

const eisrManifestlyUnreasonable = {
  regime: "eisr",
  provision: "Regulation 10(4)(b)",
  printed: "Regulation 10(4)(b) Manifestly unreasonable request",
  noticeProvision: "Regulation 13",
  publicInterestTest: true,
  exemptionId: "eisr-10-4-b",
} as const;

export const proceduralRefusals: readonly ProceduralRefusal[] = [
  // FOIA s.12(1); the Freedom of Information and Data Protection (Appropriate Limit and Fees) Regulations 2004
  // (SI 2004/3244) regs 3–5; notice under s.17(5); advice and assistance under s.16 (s.45 code, part 6).
  {
    id: "foia-12",
    regime: "foia",
    ground: "cost",
    provision: "Section 12(1)",
    printed: "Section 12(1) Cost of compliance exceeds the appropriate limit",
    noticeProvision: "Section 17(5)",
    publicInterestTest: false,
    narrowingAdviceRequired: true,
    notes: [
      "Only the time spent determining whether the information is held, locating, retrieving and extracting it counts (reg 4(3)), at £25 an hour (reg 4(4)); not the time spent considering exemptions or redacting.",
      "Requests from one person, or people acting together or in a campaign, for the same or similar information received within 60 consecutive working days may be aggregated (reg 5).",
    ],
    source: "FOIA s.12(1), (4); SI 2004/3244 regs 3, 4, 5; notice s.17(5); advice s.16",
    sample:
      "The information is not held centrally. Each of the 420 case files for the period would have to be retrieved from storage and read to find whether it records the matter you ask about; at about ten minutes a file, that alone would take 70 hours.",
  },
  // FOIA s.14(1); notice s.17(5) (none needed where s.17(6) applies).
  {
    id: "foia-14-1",
    regime: "foia",
    ground: "vexatious",
    provision: "Section 14(1)",
    printed: "Section 14(1) Vexatious requests",
    noticeProvision: "Section 17(5)",
    publicInterestTest: false,
    narrowingAdviceRequired: false,
    notes: [
      "The request, not the requester, must be vexatious: a manifestly unjustified, inappropriate or improper use of the Act (Dransfield v IC [2015] EWCA Civ 454).",
      "No further notice is needed for a later vexatious request if one has been given and it would be unreasonable to expect another (s.17(6)).",
    ],
    source: "FOIA s.14(1); notice s.17(5), (6)",
    sample:
      "This is the fourteenth request you have made about the same closed complaint in six months. Each has been answered, the complaint has been reviewed independently, and the requests have become a means of reopening a decision rather than of obtaining information. Dealing with this one would impose a burden on our staff out of all proportion to any value it has.",
  },
  // FOIA s.14(2).
  {
    id: "foia-14-2",
    regime: "foia",
    ground: "repeated",
    provision: "Section 14(2)",
    printed: "Section 14(2) Repeated requests",
    noticeProvision: "Section 17(5)",
    publicInterestTest: false,
    narrowingAdviceRequired: false,
    notes: [
      "Only where the earlier request from the same person was complied with, the new one is identical or substantially similar, and no reasonable interval has elapsed.",
    ],
    source: "FOIA s.14(2); notice s.17(5)",
    sample:
      "Your request is substantially similar to the request you made earlier, which we answered in full. The information has not changed since then and a reasonable interval has not passed.",
  },
  // FOISA s.12(1); the Freedom of Information (Fees for Required Disclosure) (Scotland) Regulations 2004 (SSI
  // 2004/467) regs 3 and 5; notice s.16(4); advice s.15.
  {
    id: "foisa-12",
    regime: "foisa",
    ground: "cost",
    provision: "Section 12(1)",
    printed: "Section 12(1) Excessive cost of compliance",
    noticeProvision: "Section 16(4)",
    publicInterestTest: false,
    narrowingAdviceRequired: true,
    notes: [
      "Projected costs are those of locating, retrieving and providing the information (reg 3(1)); the cost of determining whether it is held, or whether it should be given, does not count (reg 3(2)(a)); staff time at no more than £15 an hour (reg 3(2)(b)); the prescribed amount is £600 (reg 5).",
    ],
    source: "FOISA s.12(1); SSI 2004/467 regs 3, 5; notice s.16(4); advice s.15",
    sample:
      "The information is held in 300 paper files in our archive. Locating and retrieving each file and copying the relevant pages would take about fifteen minutes a file, 75 hours in all.",
  },
  // FOISA s.14(1), (2); notice s.16(5).
  {
    id: "foisa-14-1",
    regime: "foisa",
    ground: "vexatious",
    provision: "Section 14(1)",
    printed: "Section 14(1) Vexatious requests",
    noticeProvision: "Section 16(5)",
    publicInterestTest: false,
    narrowingAdviceRequired: false,
    notes: [
      "The Scottish Information Commissioner looks at the request's burden, purpose and effect, and whether it lacks serious purpose or value.",
    ],
    source: "FOISA s.14(1); notice s.16(5)",
    sample:
      "The request is one of a series on the same matter that has already been fully answered and reviewed; complying would impose a significant burden without any serious purpose or value.",
  },
  {
    id: "foisa-14-2",
    regime: "foisa",
    ground: "repeated",
    provision: "Section 14(2)",
    printed: "Section 14(2) Repeated requests",
    noticeProvision: "Section 16(5)",
    publicInterestTest: false,
    narrowingAdviceRequired: false,
    notes: [
      "The earlier request from the same person must have been complied with and a reasonable period must not have elapsed.",
    ],
    source: "FOISA s.14(2); notice s.16(5)",
    sample:
      "Your request is identical to one you made earlier, which we answered in full, and a reasonable period has not passed since then.",
  },
  // EIR reg 12(4)(b) on each ground; notice reg 14; advice reg 9.
  {
    ...eirManifestlyUnreasonable,
    id: "eir-12-4-b-cost",
    ground: "cost",
    narrowingAdviceRequired: true,
    notes: [
      "The EIR set no cost limit: weigh the burden against the value of the information, using the £25 an hour rate as a guide (ICO guidance on reg 12(4)(b)); time spent considering exceptions and redacting may be counted.",
    ],
    source: "EIR reg 12(4)(b), 12(1)(b), 12(2); notice reg 14; advice reg 9",
    sample:
      "Answering would mean reviewing 2,400 inspection records by hand. Our estimate is set out below; that burden is grossly disproportionate to the value of the information to the public.",
  },
  {
    ...eirManifestlyUnreasonable,
    id: "eir-12-4-b-vexatious",
    ground: "vexatious",
    narrowingAdviceRequired: false,
    notes: [
      "A vexatious request is manifestly unreasonable; the public-interest test and the presumption in favour of disclosure still apply.",
    ],
    source: "EIR reg 12(4)(b), 12(1)(b), 12(2); notice reg 14",
    sample:
      "The request is one of a long series about a planning decision that has been answered, reviewed and upheld on appeal; it is a manifestly unreasonable use of the Regulations.",
  },
  {
    ...eirManifestlyUnreasonable,
    id: "eir-12-4-b-repeated",
    ground: "repeated",
    narrowingAdviceRequired: false,
    notes: [
      "The EIR have no repeated-request provision: a repeated request may be manifestly unreasonable (ICO guidance).",
    ],
    source: "EIR reg 12(4)(b), 12(1)(b), 12(2); notice reg 14",
    sample:
      "The request repeats one you made recently and that we answered in full; nothing has changed since, so answering it again would be manifestly unreasonable.",
  },
  // EISR reg 10(4)(b) on each ground, with the public-interest test (reg 10(1)(b)) and the presumption in
  // favour of disclosure (reg 10(2)); notice reg 13; advice reg 9.
  {
    ...eisrManifestlyUnreasonable,
    id: "eisr-10-4-b-cost",
    ground: "cost",
    narrowingAdviceRequired: true,
    notes: [
      "The EISR set no cost limit and allow only a reasonable charge (reg 8): weigh the burden against the value of the information, as the Scottish Information Commissioner does, using the £15 an hour of the FOISA fees regulations as a guide.",
    ],
    source: "EISR reg 10(4)(b), 10(1)(b), 10(2); notice reg 13; advice reg 9",
    sample:
      "Answering would mean reading 1,800 pollution incident files by hand. Our estimate is set out below; that burden is out of all proportion to the value of the information to the public.",
  },
  {
    ...eisrManifestlyUnreasonable,
    id: "eisr-10-4-b-vexatious",
    ground: "vexatious",
    narrowingAdviceRequired: false,
    notes: [
      "A vexatious request is manifestly unreasonable; the public-interest test and the presumption in favour of disclosure still apply.",
    ],
    source: "EISR reg 10(4)(b), 10(1)(b), 10(2); notice reg 13",
    sample:
      "The request is one of a long series about a planning decision that has been answered, reviewed and decided on by the Scottish Information Commissioner; it is a manifestly unreasonable use of the Regulations.",
  },
  {
    ...eisrManifestlyUnreasonable,
    id: "eisr-10-4-b-repeated",
    ground: "repeated",
    narrowingAdviceRequired: false,
    notes: [
      "The EISR have no repeated-request provision: a request that repeats one already answered may be manifestly unreasonable.",
    ],
    source: "EISR reg 10(4)(b), 10(1)(b), 10(2); notice reg 13",
    sample:
      "The request repeats one you made recently and that we answered in full; nothing has changed since, so answering it again would be manifestly unreasonable.",
  },
];

export function proceduralRefusal(regime: InformationRegime, ground: RefusalGround): ProceduralRefusal {
  const refusal = proceduralRefusals.find((entry) => entry.regime === regime && entry.ground === ground);
  if (!refusal) throw new Error(`no ${ground} refusal for ${regime}`);
  return refusal;
}

/** The activities an estimate may count, in the order a reply lists them. */
export type CostActivity =
  | "determining"
  | "locating"
  | "retrieving"
  | "extracting"
  | "providing"
  | "redacting";
export const costActivities: readonly CostActivity[] = [
  "determining",
  "locating",
  "retrieving",
  "extracting",
  "providing",
  "redacting",
];
export const costActivityLabels: Record<CostActivity, string> = {
  determining: "Determining whether the information is held",
  locating: "Locating the information",
  retrieving: "Retrieving the information",
  extracting: "Extracting the information",
  providing: "Providing the information",
  redacting: "Considering exceptions and redacting",
};

export interface CostRule {
  regime: InformationRegime;
  /** Pence per person per hour. FOISA's is a ceiling (the actual cost of staff time, up to £15). */
  hourlyRatePence: number;
  /** The limits an authority may have; null where the regime has none (EIR, EISR). */
  limitsPence: readonly number[] | null;
  activities: readonly CostActivity[];
  /** Working days within which one person's similar requests may be aggregated; null where not allowed. */
  aggregationWorkingDays: number | null;
  source: string;
}

export const costRules: Record<InformationRegime, CostRule> = {
  // SI 2004/3244 reg 3(2) £600 for the bodies in Schedule 1 Part I (central government, Parliament), reg 3(3)
  // £450 for the rest; reg 4(3) the four activities; reg 4(4) £25 an hour; reg 5 aggregation, 60 working days.
  foia: {
    regime: "foia",
    hourlyRatePence: 2500,
    limitsPence: [45_000, 60_000],
    activities: ["determining", "locating", "retrieving", "extracting"],
    aggregationWorkingDays: 60,
    source: "SI 2004/3244 regs 3, 4(3), 4(4), 5",
  },
  // SSI 2004/467 reg 3(1) locating, retrieving, providing; reg 3(2)(a) not determining; reg 3(2)(b) £15 an hour
  // at most; reg 5 £600. Reg 6 aggregates requests from different people only, on condition of publication.
  foisa: {
    regime: "foisa",
    hourlyRatePence: 1500,
    limitsPence: [60_000],
    activities: ["locating", "retrieving", "providing"],
    aggregationWorkingDays: null,
    source: "SSI 2004/467 regs 3, 5, 6",
  },
  // EIR: no limit; the FOIA rate as a guide to the burden under reg 12(4)(b) (ICO guidance).
  eir: {
    regime: "eir",
    hourlyRatePence: 2500,
    limitsPence: null,
    activities: ["determining", "locating", "retrieving", "extracting", "redacting"],
    aggregationWorkingDays: null,
    source: "EIR reg 12(4)(b); ICO guidance on manifestly unreasonable requests",
  },
  // EISR: no limit, only a reasonable charge (reg 8(3)); the burden under reg 10(4)(b) is the whole cost of
  // complying, with the £15 an hour of SSI 2004/467 reg 3(2)(b) as a guide to staff time.
  eisr: {
    regime: "eisr",
    hourlyRatePence: 1500,
    limitsPence: null,
    activities: ["determining", "locating", "retrieving", "extracting", "providing", "redacting"],
    aggregationWorkingDays: null,
    source: "EISR reg 8(3), 10(4)(b); SSI 2004/467 reg 3(2)(b) as a guide",
  },
};

/** Hours × the regime's rate, in pence, rounded to the penny. */
export function costOfHours(regime: InformationRegime, hours: number): number {
  return Math.round(hours * costRules[regime].hourlyRatePence);
}

/** "£450", "£462.50". */
export function formatPence(pence: number): string {
  const pounds = Math.floor(pence / 100);
  const rest = pence % 100;
  const whole = pounds.toLocaleString("en-GB");
  return rest === 0 ? `£${whole}` : `£${whole}.${String(rest).padStart(2, "0")}`;
}

/**
 * The working days spanned by a set of received dates, counted as FOIA counts them (s.10(6), the "uk"
 * calendar) from the first working day on or after the earliest to the latest: reg 5(2) lets requests be
 * aggregated when they all fall "within any period of sixty consecutive working days". NaN for a bad date.
 */
export function aggregationSpan(receivedDates: readonly string[]): number {
  const days = receivedDates.map(tryParseIsoDate);
  if (days.length === 0 || days.some(Number.isNaN)) return Number.NaN;
  const calendar = workingCalendar("uk");
  const first = Math.min(...days);
  const last = Math.max(...days);
  return calendar.countWorkingDays(first - 1, last);
}
