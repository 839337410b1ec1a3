import {
  defineExemptions,
  type ExemptionSpec,
  type HarmTest,
  type NcndProvision,
} from "./exemption-model.ts";
import { personalDataReasons, publicInterestSamples as pi } from "./sample-arguments.ts";

// The Environmental Information (Scotland) Regulations 2004 (SSI 2004/520), regs 10 and 11: what a Scottish
// public authority may rely on to refuse environmental information. Every exception in reg 10(4) and 10(5)
// is subject to the public-interest test (reg 10(1)(b)); the exceptions are read restrictively with a
// presumption in favour of disclosure (reg 10(2)). Unlike the EIR 2004, the harm in reg 10(5) is substantial
// prejudice, and "would, or would be likely to" both count. reg 10(6): the exceptions in 10(5)(d)–(g)
// cannot be used to refuse information on emissions. Neither confirm nor deny only for the interests in
// 10(5)(a) (reg 10(8)) and for personal data (reg 11(6)). The refusal notice is reg 13; its review, reg 16;
// the Scottish Information Commissioner's enforcement and appeal, FOISA Part 4 as applied by reg 17.

const substantialPrejudice = (interest: string): HarmTest => ({
  verb: "prejudice substantially",
  interest,
  likelihoods: ["would", "would-be-likely-to"],
});
const reg10_8: NcndProvision = { provision: "Regulation 10(8)", own: false };
const reg11_6: NcndProvision = { provision: "Regulation 11(6)", own: false };
const emissionsNote = "Not available for information on emissions (reg 10(6)).";

const specs: ExemptionSpec[] = [
  // reg 10(4)(a); "held" as in reg 2(2). Formally subject to the public-interest test (reg 10(1)(b)), which
  // cannot sensibly be applied to information that is not held (Scottish Information Commissioner's briefing).
  {
    number: "10(4)(a)",
    heading: "Information not held",
    summary: "The authority does not hold the information when the request is received.",
    status: "qualified",
    publicInterestTest: false,
    basis: "class",
    ncnd: null,
    notes: [
      "Under the EISR a reply saying information is not held is a refusal under reg 10(4)(a), so the reply is a refusal notice (reg 13).",
      "Explain the searches made; if another authority holds it, transfer the request or say so (reg 14, reg 9).",
    ],
    source:
      "EISR reg 10(4)(a); held as in reg 2(2); reg 10(1)(b) (public-interest test not applied in practice); refusal notice reg 13",
    samples: {
      reasons:
        "We searched the roads and flooding records and asked the team that inspects the culvert; no information of the kind described was held when your request was received.",
    },
  },
  // reg 10(4)(b); qualified. No cost limit: the Commissioner weighs the burden against the value.
  {
    number: "10(4)(b)",
    heading: "Manifestly unreasonable request",
    summary:
      "The request is manifestly unreasonable: vexatious, or so burdensome that complying would be disproportionate.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: [
      "The EISR have no cost limit (reg 8 allows only a reasonable charge); the Scottish Information Commissioner considers the proportionality of the burden when deciding whether a request is manifestly unreasonable.",
      "Offer advice and assistance to refine the request (reg 9(1)).",
    ],
    source: "EISR reg 10(4)(b); qualified (reg 10(1)(b)); advice reg 9",
    samples: {
      reasons:
        "To answer the request we would need to read every private water supply inspection file for the last twelve years by hand. Our estimate is set out below; that burden is out of all proportion to the value of the information.",
      publicInterest: pi.burden,
    },
  },
  // reg 10(4)(c); qualified; only once particulars have been asked for under reg 9(2).
  {
    number: "10(4)(c)",
    heading: "Request formulated in too general a manner",
    summary:
      "The request is formulated in too general a manner and the authority has complied with its duty under regulation 9.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: [
      "Available only once the authority has asked for more particulars, within 20 working days, and helped the applicant give them (reg 9(2)).",
    ],
    source: "EISR reg 10(4)(c), reg 9(2); qualified",
    samples: {
      reasons:
        "Your request covers 'everything about the council's land'. We asked you which sites and which kinds of information you need, and offered to help, but cannot identify the information from the request as it stands.",
      publicInterest: pi.generality,
    },
  },
  // reg 10(4)(d); qualified; reg 13(d): the notice says when the material will be finished.
  {
    number: "10(4)(d)",
    heading: "Material in the course of completion",
    summary:
      "The request relates to material still in the course of completion, to unfinished documents or to incomplete data.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: [
      "The refusal notice must state the time by which the authority considers the information will be finished or completed (reg 13(d)).",
    ],
    source: "EISR reg 10(4)(d), reg 13(d); qualified",
    samples: {
      reasons:
        "The local air quality progress report is still being drafted by our environmental health team and is expected to be finished by the end of June; its figures have not yet been checked.",
      publicInterest: pi.unfinished,
    },
  },
  // reg 10(4)(e); qualified.
  {
    number: "10(4)(e)",
    heading: "Internal communications",
    summary: "The request involves making available internal communications.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: [],
    source: "EISR reg 10(4)(e); qualified",
    samples: {
      reasons:
        "The information consists of emails exchanged between officers of the council while the options for the flood protection scheme were being considered.",
      publicInterest: pi.internalCommunications,
    },
  },
  // reg 10(5)(a); qualified; NCND reg 10(8).
  {
    number: "10(5)(a)",
    heading: "International relations, defence, national security or public safety",
    summary:
      "Disclosure would, or would be likely to, prejudice substantially international relations, defence, national security or public safety.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantialPrejudice("international relations, defence, national security or public safety"),
    ncnd: reg10_8,
    notes: ["The only reg 10(5) exception that allows a neither-confirm-nor-deny response (reg 10(8))."],
    source: "EISR reg 10(5)(a); qualified; NCND reg 10(8)",
    samples: {
      harm: "Disclosure would prejudice substantially public safety: the plans show where hazardous substances are stored at the depot and how they are secured, which would help anyone intending to cause harm.",
      publicInterest: pi.nationalSecurity,
    },
  },
  // reg 10(5)(b); qualified; covers confidentiality of communications (legal advice privilege).
  {
    number: "10(5)(b)",
    heading: "The course of justice",
    summary:
      "Disclosure would, or would be likely to, prejudice substantially the course of justice, the ability of a person to receive a fair trial or the ability of any public authority to conduct an inquiry of a criminal or disciplinary nature.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantialPrejudice(
      "the course of justice, a fair trial or an inquiry of a criminal or disciplinary nature",
    ),
    ncnd: null,
    notes: [
      "Covers information subject to legal professional privilege (the EISR have no separate exception for it).",
    ],
    source: "EISR reg 10(5)(b); qualified",
    samples: {
      harm: "Disclosure would prejudice substantially the course of justice, because the information is legal advice on the enforcement notice now under appeal to the sheriff court.",
      publicInterest: pi.courseOfJustice,
    },
  },
  // reg 10(5)(c); qualified.
  {
    number: "10(5)(c)",
    heading: "Intellectual property rights",
    summary: "Disclosure would, or would be likely to, prejudice substantially intellectual property rights.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantialPrejudice("intellectual property rights"),
    ncnd: null,
    notes: [],
    source: "EISR reg 10(5)(c); qualified",
    samples: {
      harm: "Disclosure would prejudice substantially the consultant's copyright in the catchment model, which it licenses commercially; releasing it would let it be copied without charge.",
      publicInterest: pi.intellectualProperty,
    },
  },
  // reg 10(5)(d)–(g); qualified; not for information on emissions (reg 10(6)).
  {
    number: "10(5)(d)",
    heading: "Confidentiality of proceedings",
    summary:
      "Disclosure would, or would be likely to, prejudice substantially the confidentiality of the proceedings of any public authority where such confidentiality is provided for by law.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantialPrejudice("the confidentiality of the authority's proceedings"),
    ncnd: null,
    notForEmissions: true,
    notes: [emissionsNote],
    source: "EISR reg 10(5)(d), 10(6); qualified",
    samples: {
      harm: "Disclosure would prejudice substantially the confidentiality of the committee's proceedings, held in private under Part IIIA of the Local Government (Scotland) Act 1973.",
      publicInterest: pi.internalCommunications,
    },
  },
  {
    number: "10(5)(e)",
    heading: "Confidentiality of commercial or industrial information",
    summary:
      "Disclosure would, or would be likely to, prejudice substantially the confidentiality of commercial or industrial information where such confidentiality is provided for by law to protect a legitimate economic interest.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantialPrejudice("the confidentiality of commercial or industrial information"),
    ncnd: null,
    notForEmissions: true,
    notes: [emissionsNote],
    source: "EISR reg 10(5)(e), 10(6); qualified",
    samples: {
      harm: "Disclosure would prejudice substantially the confidentiality of the developer's viability appraisal, which is protected by the law of confidence to safeguard its negotiating position with landowners.",
      publicInterest: pi.commercial,
    },
  },
  {
    number: "10(5)(f)",
    heading: "Interests of the person who provided the information",
    summary:
      "Disclosure would, or would be likely to, prejudice substantially the interests of a person who was not obliged to supply the information, did not supply it in circumstances allowing it to be made available, and has not consented.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantialPrejudice("the interests of the person who provided the information"),
    ncnd: null,
    notForEmissions: true,
    notes: [emissionsNote],
    source: "EISR reg 10(5)(f), 10(6); qualified",
    samples: {
      harm: "Disclosure would prejudice substantially the interests of the estate that volunteered its survey of the burn, which it was under no obligation to give us and has not agreed to release.",
      publicInterest: pi.voluntarySupplier,
    },
  },
  {
    number: "10(5)(g)",
    heading: "Protection of the environment",
    summary:
      "Disclosure would, or would be likely to, prejudice substantially the protection of the environment to which the information relates.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: substantialPrejudice("the protection of the environment to which the information relates"),
    ncnd: null,
    notForEmissions: true,
    notes: [emissionsNote],
    source: "EISR reg 10(5)(g), 10(6); qualified",
    samples: {
      harm: "Disclosure would prejudice substantially the protection of the environment, because it would reveal the nest sites of a protected raptor that have been targeted by egg collectors.",
      publicInterest: pi.environmentProtection,
    },
  },
  // reg 11(2)(a) with the first condition (reg 11(3A)): no public-interest test; NCND reg 11(6).
  {
    number: "11(2)",
    variant: "the first condition: disclosure would breach the data protection principles",
    heading: "Personal data",
    summary:
      "Personal data of someone other than the requester, where disclosure would contravene the data protection principles (the first condition, reg 11(3A)).",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: reg11_6,
    notes: ["Reached through reg 10(3); the first condition carries no public-interest test (reg 11(2)(a))."],
    source: "EISR reg 10(3), 11(2)(a), 11(3A); NCND reg 11(6)",
    samples: {
      reasons:
        "The names of the residents who reported the smell are their personal data. They would not expect them to be made public, and disclosure is not necessary to meet a legitimate interest, so it would contravene the first data protection principle.",
    },
  },
  // reg 11(2)(b) with the second (reg 11(3B)) or third (reg 11(4A)) condition: subject to the public interest.
  {
    number: "11(2)",
    variant: "the second condition: the person has objected under Article 21",
    idSuffix: "objection",
    heading: "Personal data",
    summary:
      "Third-party personal data where disclosure would contravene an objection under UK GDPR Article 21 (the second condition, reg 11(3B)).",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: reg11_6,
    notes: [],
    source: "EISR reg 11(2)(b), 11(3B); qualified; NCND reg 11(6)",
    samples: {
      reasons: personalDataReasons.objection,
      publicInterest: pi.personalData,
    },
  },
  {
    number: "11(2)",
    variant: "the third condition: the person could not have it by subject access",
    idSuffix: "no-access",
    heading: "Personal data",
    summary:
      "Third-party personal data that the data subject could not obtain by subject access because of an exemption in the Data Protection Act 2018 (the third condition, reg 11(4A)).",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: reg11_6,
    notes: [],
    source: "EISR reg 11(2)(b), 11(4A); qualified; NCND reg 11(6)",
    samples: {
      reasons: personalDataReasons.noAccess,
      publicInterest: pi.personalData,
    },
  },
  // reg 11(1): the duty to make information available does not apply to the applicant's own personal data.
  {
    number: "11(1)",
    heading: "Personal data of the applicant",
    summary:
      "Personal data of which the requester is the data subject: not made available under the Regulations.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: null,
    ownPersonalData: true,
    notes: ["Deal with it as a subject access request under UK GDPR Article 15."],
    source: "EISR reg 11(1)",
    samples: {
      reasons: personalDataReasons.requestersOwn,
    },
  },
];

export const eisrExceptions = defineExemptions("eisr", specs);
