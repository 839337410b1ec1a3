import {
  defineExemptions,
  type ExemptionSpec,
  type HarmTest,
  type NcndProvision,
} from "./exemption-model.ts";
import { publicInterestSamples as pi } from "./sample-arguments.ts";

// Freedom of Information (Scotland) Act 2002, Part 2 (ss.25–41). Absolute exemptions are those in s.2(2):
// s.25, s.26, s.36(2), s.37 and s.38(1)(a), (c), (d), and s.38(1)(b) where the first condition applies; the
// rest are qualified (s.2(1)(b)). FOISA's harm test is substantial prejudice ("would, or would be likely to,
// prejudice substantially"), a higher bar than FOIA's. Neither confirm nor deny is one general provision,
// s.18(1), available only with ss.28–35, 38, 39(1) and 41, and only where revealing whether the information
// exists or is held would be contrary to the public interest.

const s18: NcndProvision = { provision: "Section 18(1)", own: false };
const substantial = (interest: string): HarmTest => ({
  verb: "prejudice substantially",
  interest,
  likelihoods: ["would", "would-be-likely-to"],
});
const s18Note =
  "Neither confirm nor deny only under s.18(1), where revealing whether it is held would be contrary to the public interest.";

const specs: ExemptionSpec[] = [
  // s.25(1); absolute (s.2(2)(a)); not in s.18.
  {
    number: "25(1)",
    heading: "Information otherwise accessible",
    summary: "Information the requester can reasonably obtain other than by requesting it under s.1(1).",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: null,
    notes: ["Information available under the publication scheme is reasonably obtainable (s.25(3))."],
    source: "FOISA s.25(1), (3); absolute (s.2(2)(a))",
    samples: {
      reasons:
        "The information is published on our website under our publication scheme, so it is reasonably obtainable. A link is given under Advice and Assistance.",
    },
  },
  // s.26(a)–(c); absolute (s.2(2)(b)); not in s.18.
  ...(
    [
      [
        "a",
        "is prohibited by or under an enactment",
        "Disclosure is prohibited by the statute under which we obtained the information.",
      ],
      [
        "b",
        "is incompatible with a retained obligation derived from EU law",
        "Disclosure is incompatible with an obligation the authority is bound by.",
      ],
      [
        "c",
        "would constitute, or be punishable as, a contempt of court",
        "A court order restricts publication of this information, so disclosure would be a contempt of court.",
      ],
    ] as const
  ).map(
    ([letter, effect, reasons]): ExemptionSpec => ({
      number: `26(${letter})`,
      heading: "Prohibitions on disclosure",
      summary: `Information whose disclosure otherwise than under the Act ${effect}.`,
      status: "absolute",
      publicInterestTest: false,
      basis: "class",
      ncnd: null,
      notes: [],
      source: `FOISA s.26(${letter}); absolute (s.2(2)(b))`,
      samples: { reasons },
    }),
  ),
  // s.27(1) publication within twelve weeks; s.27(2) research; qualified; not in s.18.
  {
    number: "27(1)",
    heading: "Information intended for future publication",
    summary:
      "Information held, when the request is made, with a view to its publication within twelve weeks of the request, where withholding it until then is reasonable.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: ["Publication must be due no later than twelve weeks after the request; tell the requester when."],
    source: "FOISA s.27(1); qualified",
    samples: {
      reasons:
        "The information will be published in our annual statistics bulletin within twelve weeks of your request, and it was held for that purpose when you asked for it.",
      publicInterest: pi.futurePublication,
    },
  },
  {
    number: "27(2)",
    heading: "Information intended for future publication",
    summary:
      "Information from a continuing research programme whose disclosure before publication would, or would be likely to, prejudice substantially the programme, its participants or the authority.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantial("the research programme or the interests of its participants"),
    ncnd: null,
    notes: [],
    source: "FOISA s.27(2); qualified",
    samples: {
      harm: "Releasing the interim results would be likely to prejudice the research programme substantially, because participants could alter their responses once early findings were known.",
      publicInterest: pi.research,
    },
  },
  // s.28(1); qualified; s.18.
  {
    number: "28(1)",
    heading: "Relations within the United Kingdom",
    summary:
      "Substantial prejudice to relations between any administration in the United Kingdom and any other such administration.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantial("relations between administrations in the United Kingdom"),
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.28(1); qualified; NCND s.18(1)",
    samples: {
      harm: "Disclosure would be likely to prejudice substantially relations between the Scottish Government and the UK Government, because the exchanges were shared in confidence during negotiations that have not concluded.",
      publicInterest: pi.ukRelations,
    },
  },
  // s.29(1)(a)–(d); qualified, class-based; s.18.
  ...(
    [
      ["a", "the formulation or development of government policy"],
      ["b", "Ministerial communications"],
      ["c", "the provision of advice by any of the Law Officers, or any request for such advice"],
      ["d", "the operation of any Ministerial private office"],
    ] as const
  ).map(
    ([letter, subject]): ExemptionSpec => ({
      number: `29(1)(${letter})`,
      heading: "Formulation of Scottish Administration policy etc.",
      summary: `Information held by the Scottish Administration that relates to ${subject}.`,
      status: "qualified",
      publicInterestTest: true,
      basis: "class",
      ncnd: s18,
      notes: ["Only for the Scottish Administration; other authorities consider s.30.", s18Note],
      source: `FOISA s.29(1)(${letter}); qualified; NCND s.18(1)`,
      samples: { reasons: `The information relates to ${subject}.`, publicInterest: pi.policy },
    }),
  ),
  // s.30(a)–(c); qualified; substantial prejudice or substantial inhibition; no qualified person (unlike FOIA s.36).
  ...(
    [
      [
        "(a)",
        "prejudice substantially",
        "the maintenance of the convention of the collective responsibility of the Scottish Ministers",
      ],
      ["(b)(i)", "inhibit substantially", "the free and frank provision of advice"],
      [
        "(b)(ii)",
        "inhibit substantially",
        "the free and frank exchange of views for the purposes of deliberation",
      ],
      ["(c)", "prejudice substantially", "the effective conduct of public affairs"],
    ] as const
  ).map(
    ([number, verb, interest]): ExemptionSpec => ({
      number: `30${number}`,
      heading: "Prejudice to effective conduct of public affairs",
      summary: `Disclosure would, or would be likely to, ${verb} ${interest}.`,
      status: "qualified",
      publicInterestTest: true,
      basis: "prejudice",
      harm: { verb, interest, likelihoods: ["would", "would-be-likely-to"] },
      ncnd: s18,
      notes: ["FOISA needs no qualified person's opinion, unlike FOIA s.36.", s18Note],
      source: `FOISA s.30${number}; qualified; NCND s.18(1)`,
      samples: {
        harm: `Disclosure would be likely to ${verb} ${interest}: the officials gave these views on the understanding that they would stay internal while the matter was live, and releasing them now would make officials markedly more guarded in the same discussions in future.`,
        publicInterest: pi.publicAffairs,
      },
    }),
  ),
  // s.31(1) national security (required for safeguarding); s.31(4) defence (substantial prejudice); qualified; s.18.
  {
    number: "31(1)",
    heading: "National security and defence",
    summary: "Information whose exemption is required for the purpose of safeguarding national security.",
    status: "qualified",
    publicInterestTest: true,
    basis: "necessity",
    harm: { verb: "is required to safeguard", interest: "national security", likelihoods: [] },
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.31(1); qualified; NCND s.18(1); certificate s.31(2)",
    samples: {
      harm: "Withholding the information is required to safeguard national security, because it describes protective measures at a site of strategic importance.",
      publicInterest: pi.nationalSecurity,
    },
  },
  {
    number: "31(4)(a)",
    heading: "National security and defence",
    summary: "Substantial prejudice to the defence of the British Islands or of any colony.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantial("the defence of the British Islands or of any colony"),
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.31(4)(a); qualified; NCND s.18(1)",
    samples: {
      harm: "Disclosure would be likely to prejudice substantially the defence of the British Islands by revealing the pattern of deployments.",
      publicInterest: pi.defence,
    },
  },
  {
    number: "31(4)(b)",
    heading: "National security and defence",
    summary: "Substantial prejudice to the capability, effectiveness or security of any relevant forces.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantial("the capability, effectiveness or security of the relevant forces"),
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.31(4)(b); qualified; NCND s.18(1)",
    samples: {
      harm: "Disclosure would be likely to prejudice substantially the security of the forces concerned by revealing where they are vulnerable.",
      publicInterest: pi.defence,
    },
  },
  // s.32(1)(a)(i)–(iv) substantial prejudice; s.32(1)(b) confidential information from a State; qualified; s.18.
  ...(
    [
      ["i", "relations between the United Kingdom and any other State"],
      [
        "ii",
        "relations between the United Kingdom and any international organisation or international court",
      ],
      ["iii", "the interests of the United Kingdom abroad"],
      ["iv", "the promotion or protection by the United Kingdom of its interests abroad"],
    ] as const
  ).map(
    ([numeral, interest]): ExemptionSpec => ({
      number: `32(1)(a)(${numeral})`,
      heading: "International relations",
      summary: `Substantial prejudice to ${interest}.`,
      status: "qualified",
      publicInterestTest: true,
      basis: "prejudice",
      harm: substantial(interest),
      ncnd: s18,
      notes: [s18Note],
      source: `FOISA s.32(1)(a)(${numeral}); qualified; NCND s.18(1)`,
      samples: {
        harm: `Disclosure would be likely to prejudice substantially ${interest}, because the assessments were shared in confidence and their release would damage trust.`,
        publicInterest: pi.internationalRelations,
      },
    }),
  ),
  {
    number: "32(1)(b)",
    heading: "International relations",
    summary:
      "Confidential information obtained from a State other than the United Kingdom or from an international organisation or court.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.32(1)(b); qualified; NCND s.18(1)",
    samples: {
      reasons:
        "The information was provided in confidence by another State and remains confidential under the terms on which it was given.",
      publicInterest: pi.internationalRelations,
    },
  },
  // s.33(1)(a) trade secrets (class), s.33(1)(b) commercial interests, s.33(2) the economy; qualified; s.18.
  {
    number: "33(1)(a)",
    heading: "Commercial interests and the economy",
    summary: "Information that constitutes a trade secret.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.33(1)(a); qualified; NCND s.18(1)",
    samples: {
      reasons: "The information describes a supplier's production process, which is a trade secret.",
      publicInterest: pi.commercial,
    },
  },
  {
    number: "33(1)(b)",
    heading: "Commercial interests and the economy",
    summary: "Substantial prejudice to the commercial interests of any person, including the authority.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantial("the commercial interests of the authority or of its suppliers"),
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.33(1)(b); qualified; NCND s.18(1)",
    samples: {
      harm: "Disclosure would be likely to prejudice substantially the contractor's commercial interests, because competitors could use its unit prices to undercut it when the contract is re-tendered.",
      publicInterest: pi.commercial,
    },
  },
  {
    number: "33(2)(a)",
    heading: "Commercial interests and the economy",
    summary: "Substantial prejudice to the economic interests of the whole or part of the United Kingdom.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantial("the economic interests of the whole or part of the United Kingdom"),
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.33(2)(a); qualified; NCND s.18(1)",
    samples: {
      harm: "Early release of the forecasts would be likely to prejudice substantially the economic interests of Scotland by moving markets before the official announcement.",
      publicInterest: pi.economy,
    },
  },
  {
    number: "33(2)(b)",
    heading: "Commercial interests and the economy",
    summary: "Substantial prejudice to the financial interests of an administration in the United Kingdom.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantial("the financial interests of an administration in the United Kingdom"),
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.33(2)(b); qualified; NCND s.18(1)",
    samples: {
      harm: "Disclosure would be likely to prejudice substantially the Scottish Administration's financial interests by revealing its position in a pending sale.",
      publicInterest: pi.economy,
    },
  },
  // s.34(1)–(4); qualified, class-based; s.18.
  ...(
    [
      [
        "(1)(a)",
        "an investigation to ascertain whether a person should be prosecuted for an offence, or whether a person prosecuted is guilty of it",
      ],
      ["(1)(b)", "an investigation which may lead to a decision to make a report to the procurator fiscal"],
      ["(1)(c)", "criminal proceedings"],
      ["(2)", "an inquiry or investigation into a death that has not yet concluded"],
      [
        "(3)",
        "other investigations by the authority, where it relates to the obtaining of information from confidential sources",
      ],
      ["(4)", "civil proceedings arising out of an investigation mentioned in s.34(1) or (3)"],
    ] as const
  ).map(
    ([number, purpose]): ExemptionSpec => ({
      number: `34${number}`,
      heading:
        "Investigations by Scottish public authorities and proceedings arising out of such investigations",
      summary: `Information held by the authority for the purposes of ${purpose}.`,
      status: "qualified",
      publicInterestTest: true,
      basis: "class",
      ncnd: s18,
      notes: [s18Note],
      source: `FOISA s.34${number}; qualified; NCND s.18(1)`,
      samples: {
        reasons: `The information is held for the purposes of ${purpose}.`,
        publicInterest: pi.investigations,
      },
    }),
  ),
  // s.35(1)(a)–(h); qualified, substantial prejudice; s.18.
  ...(
    [
      [
        "a",
        "the prevention or detection of crime",
        "Disclosure would be likely to prejudice substantially the prevention or detection of crime, because it would show offenders where police intelligence is concentrated and where it is thin.",
      ],
      [
        "b",
        "the apprehension or prosecution of offenders",
        "Disclosure would be likely to prejudice substantially the apprehension or prosecution of offenders, because suspects could judge what the police know about them and avoid arrest.",
      ],
      [
        "c",
        "the administration of justice",
        "Disclosure would be likely to prejudice substantially the administration of justice, because the material is to be led in proceedings that have not concluded.",
      ],
      [
        "d",
        "the assessment or collection of any tax or duty",
        "Disclosure would be likely to prejudice substantially the collection of tax by revealing how cases are selected for enquiry.",
      ],
      [
        "e",
        "the operation of the immigration controls",
        "Disclosure would be likely to prejudice substantially the operation of the immigration controls by revealing when and where checks take place.",
      ],
      [
        "f",
        "the maintenance of security and good order in prisons or other institutions where persons are lawfully detained",
        "Disclosure would be likely to prejudice substantially good order in the prison by revealing staffing levels at particular times.",
      ],
      [
        "g",
        "the exercise by a public authority of its functions for a purpose in section 35(2)",
        "Disclosure would be likely to prejudice substantially our regulatory functions, because those we regulate would learn how inspections are targeted.",
      ],
      [
        "h",
        "civil proceedings arising out of an investigation for a purpose in section 35(2)",
        "Disclosure would be likely to prejudice substantially the civil proceedings that followed our investigation.",
      ],
    ] as const
  ).map(
    ([letter, interest, harm]): ExemptionSpec => ({
      number: `35(1)(${letter})`,
      heading: "Law enforcement",
      summary: `Substantial prejudice to ${interest}.`,
      status: "qualified",
      publicInterestTest: true,
      basis: "prejudice",
      harm: substantial(interest),
      ncnd: s18,
      notes: [s18Note],
      source: `FOISA s.35(1)(${letter}); qualified; NCND s.18(1)`,
      samples: { harm, publicInterest: pi.lawEnforcement },
    }),
  ),
  // s.36(1) legal privilege (qualified); s.36(2) actionable breach of confidence (absolute, s.2(2)(c)); not in s.18.
  {
    number: "36(1)",
    heading: "Confidentiality",
    summary:
      "Information in respect of which a claim to confidentiality of communications could be maintained in legal proceedings.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: ["Scotland's equivalent of legal professional privilege."],
    source: "FOISA s.36(1); qualified",
    samples: {
      reasons: "The information is confidential legal advice given to the authority by its solicitors.",
      publicInterest: pi.legalPrivilege,
    },
  },
  {
    number: "36(2)",
    heading: "Confidentiality",
    summary:
      "Information obtained from another person whose disclosure would be an actionable breach of confidence.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: null,
    notes: [],
    source: "FOISA s.36(2); absolute (s.2(2)(c))",
    samples: {
      reasons:
        "The information was given to us in confidence, and disclosing it would be a breach of confidence actionable by the person who gave it.",
    },
  },
  // s.37(1)(a), (b); absolute (s.2(2)(d)); not in s.18.
  {
    number: "37(1)(a)",
    heading: "Court records, etc.",
    summary:
      "Information contained in a document lodged with, or created by, a court for the purposes of proceedings.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: null,
    notes: [],
    source: "FOISA s.37(1)(a); absolute (s.2(2)(d))",
    samples: { reasons: "We hold this information only in documents lodged with the court in proceedings." },
  },
  {
    number: "37(1)(b)",
    heading: "Court records, etc.",
    summary:
      "Information contained in a document lodged with, or created by, a person conducting an inquiry or arbitration.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: null,
    notes: [],
    source: "FOISA s.37(1)(b); absolute (s.2(2)(d))",
    samples: {
      reasons: "We hold this information only in documents created for the purposes of an inquiry.",
    },
  },
  // s.38(1)(a)–(d); absolute (s.2(2)(e)), bar s.38(1)(b) under the second or third condition; s.18.
  {
    number: "38(1)(a)",
    heading: "Personal information",
    summary: "Personal data of which the requester is the data subject.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: s18,
    ownPersonalData: true,
    notes: ["Deal with it as a subject access request under UK GDPR Article 15.", s18Note],
    source: "FOISA s.38(1)(a); absolute (s.2(2)(e)(i)); NCND s.18(1)",
    samples: {
      reasons:
        "The information you have asked for is your own personal data, which is exempt under the Act. We are dealing with it as a subject access request under the UK General Data Protection Regulation.",
    },
  },
  {
    number: "38(1)(b)",
    variant: "the first condition: disclosure would breach the data protection principles",
    heading: "Personal information",
    summary:
      "Personal data of someone other than the requester, where disclosure would contravene the data protection principles (the first condition).",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.38(1)(b), (2A); absolute (s.2(2)(e)(ii)); NCND s.18(1)",
    samples: {
      reasons:
        "The information is the personal data of people other than you. They would not expect it to be made public, and disclosure is not necessary for any legitimate interest, so it would be unlawful and contravene the first data protection principle.",
    },
  },
  {
    number: "38(1)(b)",
    variant: "the second or third condition: an objection, or no right of subject access",
    idSuffix: "other-conditions",
    heading: "Personal information",
    summary:
      "Third-party personal data where the second or third condition in s.38 applies (an Article 21 objection, or no right of subject access).",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: s18,
    notes: [s18Note],
    source:
      "FOISA s.38(1)(b); qualified where the first condition does not apply (s.2(2)(e)(ii)); NCND s.18(1)",
    samples: {
      reasons:
        "The person concerned has objected to the processing of their data under Article 21 of the UK GDPR.",
      publicInterest: pi.personalData,
    },
  },
  {
    number: "38(1)(c)",
    heading: "Personal information",
    summary: "Personal census information.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.38(1)(c); absolute (s.2(2)(e)(i)); NCND s.18(1)",
    samples: { reasons: "The information is personal census information." },
  },
  {
    number: "38(1)(d)",
    heading: "Personal information",
    summary: "A deceased person's health record.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.38(1)(d); absolute (s.2(2)(e)(i)); NCND s.18(1)",
    samples: { reasons: "The information is contained in the health record of a person who has died." },
  },
  // s.39(1) health and safety (endanger; s.18); s.39(2) environmental information (not in s.18).
  {
    number: "39(1)",
    heading: "Health, safety and the environment",
    summary:
      "Disclosure would, or would be likely to, endanger the physical or mental health or the safety of an individual.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: {
      verb: "endanger",
      interest: "the physical or mental health or the safety of an individual",
      likelihoods: ["would", "would-be-likely-to"],
    },
    ncnd: s18,
    notes: ["The test is endangerment, not substantial prejudice.", s18Note],
    source: "FOISA s.39(1); qualified; NCND s.18(1)",
    samples: {
      harm: "Disclosure would be likely to endanger the safety of the staff named, who have received threats in connection with this case.",
      publicInterest: pi.healthSafety,
    },
  },
  {
    number: "39(2)",
    heading: "Health, safety and the environment",
    summary:
      "Environmental information the authority must make available under the Environmental Information (Scotland) Regulations 2004.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: ["Cite s.39(2) and answer under the Environmental Information (Scotland) Regulations 2004."],
    source: "FOISA s.39(2); qualified",
    samples: {
      reasons:
        "The information is environmental information, so we have dealt with your request under the Environmental Information (Scotland) Regulations 2004.",
      publicInterest: pi.environmental,
    },
  },
  // s.40(a), (b); qualified; not in s.18.
  {
    number: "40(a)",
    heading: "Audit functions",
    summary:
      "Substantial prejudice to the exercise of an authority's functions in relation to the audit of the accounts of other Scottish public authorities.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantial("the exercise of the authority's audit functions"),
    ncnd: null,
    notes: [],
    source: "FOISA s.40(a); qualified",
    samples: {
      harm: "Disclosure would be likely to prejudice substantially our audit of the council's accounts, because the draft findings have not yet been put to the council for comment.",
      publicInterest: pi.audit,
    },
  },
  {
    number: "40(b)",
    heading: "Audit functions",
    summary:
      "Substantial prejudice to the examination of the economy, efficiency and effectiveness with which other Scottish public authorities use their resources.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantial("the examination of the economy, efficiency and effectiveness of other authorities"),
    ncnd: null,
    notes: [],
    source: "FOISA s.40(b); qualified",
    samples: {
      harm: "Disclosure would be likely to prejudice substantially our value-for-money study, because the bodies taking part gave us information in confidence until the report is laid.",
      publicInterest: pi.audit,
    },
  },
  // s.41(a), (b); qualified, class-based; s.18.
  {
    number: "41(a)",
    heading: "Communications with Her Majesty etc. and honours",
    summary:
      "Information relating to communications with His Majesty, with other members of the Royal Family or with the Royal Household.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: s18,
    notes: [s18Note],
    source: "FOISA s.41(a); qualified; NCND s.18(1)",
    samples: {
      reasons: "The information consists of correspondence with the Royal Household.",
      publicInterest: pi.royal,
    },
  },
  {
    number: "41(b)",
    heading: "Communications with Her Majesty etc. and honours",
    summary: "Information relating to the exercise by His Majesty of His prerogative of honour.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: s18,
    notes: [
      "Generally not available for information more than 60 years old (Part 6, historical records).",
      s18Note,
    ],
    source: "FOISA s.41(b); qualified; NCND s.18(1)",
    samples: {
      reasons: "The information relates to a nomination for an honour.",
      publicInterest: pi.royal,
    },
  },
];

export const foisaExemptions = defineExemptions("foisa", specs);
