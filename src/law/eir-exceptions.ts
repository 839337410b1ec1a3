import { defineExemptions, type ExemptionSpec, type HarmTest } from "./exemption-model.ts";
import { personalDataReasons, publicInterestSamples as pi } from "./sample-arguments.ts";

// Environmental Information Regulations 2004 (SI 2004/3391), Part 3. Every exception in reg 12(4) and 12(5)
// is subject to the public-interest test (reg 12(1)(b)) and to a presumption in favour of disclosure
// (reg 12(2)); an adverse effect under reg 12(5) must be more probable than not ("would"), there is no
// "would be likely to" limb. Reg 12(9): the exceptions in 12(5)(d)–(g) cannot be used to refuse information
// on emissions. Neither confirm nor deny only for the interests in 12(5)(a) (reg 12(6)) and for personal
// data (reg 13(5A)).

const adverseEffect = (interest: string): HarmTest => ({
  verb: "adversely affect",
  interest,
  likelihoods: ["would"],
});

const specs: ExemptionSpec[] = [
  // reg 12(4)(a). Formally subject to the public-interest test, but the test cannot sensibly be applied to
  // information that is not held (ICO guidance on reg 12(4)(a)); the reply records the decision "not held".
  {
    number: "12(4)(a)",
    heading: "Information not held",
    summary: "The authority does not hold the information when the request is received.",
    status: "qualified",
    publicInterestTest: false,
    basis: "class",
    ncnd: null,
    notes: [
      "Under the EIR a reply saying information is not held is a refusal under reg 12(4)(a), so the reply is a refusal notice (reg 14).",
      "Explain the searches made; transfer or advise if another authority holds it (reg 10).",
    ],
    source:
      "EIR reg 12(4)(a); reg 12(1)(b) (public-interest test not applied in practice); refusal notice reg 14",
    samples: {
      reasons:
        "We searched the planning and enforcement systems and asked the team that manages the site; no information of the kind described was held when your request was received.",
    },
  },
  // reg 12(4)(b); qualified.
  {
    number: "12(4)(b)",
    heading: "Manifestly unreasonable request",
    summary:
      "The request is manifestly unreasonable: vexatious, or the burden of complying would be grossly disproportionate.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: [
      "Covers both vexatious requests and requests whose cost is too great; the EIR have no fixed cost limit, but the £25 an hour rate of the FOIA fees regulations is a useful guide (ICO guidance).",
      "Offer advice and assistance to refine the request (reg 9).",
    ],
    source: "EIR reg 12(4)(b); qualified (reg 12(1)(b)); advice reg 9",
    samples: {
      reasons:
        "To answer the request we would need to review every inspection file for the last ten years by hand. Our estimate is set out below; that burden is grossly disproportionate to the value of the information.",
      publicInterest: pi.burden,
    },
  },
  // reg 12(4)(c); qualified; only after advice and assistance under reg 9.
  {
    number: "12(4)(c)",
    heading: "Request formulated in too general a manner",
    summary:
      "The request is formulated in too general a manner and the authority has complied with regulation 9.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: [
      "Available only once the authority has offered advice and assistance under reg 9 to clarify the request.",
    ],
    source: "EIR reg 12(4)(c), reg 9; qualified",
    samples: {
      reasons:
        "Your request covers 'all environmental information about the estate'. We asked you to clarify which information you need but have not been able to identify it from the request as it stands.",
      publicInterest: pi.generality,
    },
  },
  // reg 12(4)(d); qualified; reg 14(4): the notice names who is completing the material and when.
  {
    number: "12(4)(d)",
    heading: "Material in the course of completion",
    summary:
      "The request relates to material still in the course of completion, unfinished documents or incomplete data.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: [
      "The refusal notice must name the authority preparing the information and the estimated time for completion (reg 14(4)).",
    ],
    source: "EIR reg 12(4)(d), reg 14(4); qualified",
    samples: {
      reasons:
        "The air quality report is still being drafted by our environmental health team and is expected to be finished in the autumn; the figures in it have not yet been checked.",
      publicInterest: pi.unfinished,
    },
  },
  // reg 12(4)(e); qualified; reg 12(8) includes communications between government departments.
  {
    number: "12(4)(e)",
    heading: "Internal communications",
    summary: "The request involves the disclosure of internal communications.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: ["Communications between government departments are internal (reg 12(8))."],
    source: "EIR reg 12(4)(e), 12(8); qualified",
    samples: {
      reasons:
        "The information consists of emails exchanged between officers of the authority while the decision was being considered.",
      publicInterest: pi.internalCommunications,
    },
  },
  // reg 12(5)(a); qualified; NCND reg 12(6).
  {
    number: "12(5)(a)",
    heading: "International relations, defence, national security or public safety",
    summary:
      "Disclosure would adversely affect international relations, defence, national security or public safety.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: adverseEffect("international relations, defence, national security or public safety"),
    ncnd: { provision: "Regulation 12(6)", own: false },
    notes: ["The only reg 12(5) exception that allows a neither-confirm-nor-deny response (reg 12(6))."],
    source: "EIR reg 12(5)(a); qualified; NCND reg 12(6)",
    samples: {
      harm: "Disclosure would adversely affect public safety: the plans show where hazardous substances are stored on the site and how they are protected, which would help anyone intending to cause harm.",
      publicInterest: pi.nationalSecurity,
    },
  },
  // reg 12(5)(b); qualified.
  {
    number: "12(5)(b)",
    heading: "The course of justice",
    summary:
      "Disclosure would adversely affect the course of justice, the ability of a person to receive a fair trial or the ability of a public authority to conduct an inquiry of a criminal or disciplinary nature.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: adverseEffect(
      "the course of justice, a fair trial or an inquiry of a criminal or disciplinary nature",
    ),
    ncnd: null,
    notes: ["Covers legally privileged information (the EIR have no separate exception for it)."],
    source: "EIR reg 12(5)(b); qualified",
    samples: {
      harm: "Disclosure would adversely affect the course of justice, because the information is legal advice on the enforcement action now before the magistrates' court.",
      publicInterest: pi.courseOfJustice,
    },
  },
  // reg 12(5)(c); qualified.
  {
    number: "12(5)(c)",
    heading: "Intellectual property rights",
    summary: "Disclosure would adversely affect intellectual property rights.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: adverseEffect("intellectual property rights"),
    ncnd: null,
    notes: [],
    source: "EIR reg 12(5)(c); qualified",
    samples: {
      harm: "Disclosure would adversely affect the consultant's copyright in the flood model, which it licenses commercially; releasing it would allow it to be copied without charge.",
      publicInterest: pi.intellectualProperty,
    },
  },
  // reg 12(5)(d)–(g); qualified; not for information on emissions (reg 12(9)).
  {
    number: "12(5)(d)",
    heading: "Confidentiality of proceedings",
    summary:
      "Disclosure would adversely affect the confidentiality of the proceedings of that or any other public authority where such confidentiality is provided by law.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: adverseEffect("the confidentiality of the authority's proceedings"),
    ncnd: null,
    notForEmissions: true,
    notes: ["Not available for information on emissions (reg 12(9))."],
    source: "EIR reg 12(5)(d), 12(9); qualified",
    samples: {
      harm: "Disclosure would adversely affect the confidentiality of the committee's proceedings held in private under the Local Government Act 1972.",
      publicInterest: pi.internalCommunications,
    },
  },
  {
    number: "12(5)(e)",
    heading: "Confidentiality of commercial or industrial information",
    summary:
      "Disclosure would adversely affect the confidentiality of commercial or industrial information where such confidentiality is provided by law to protect a legitimate economic interest.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: adverseEffect("the confidentiality of commercial or industrial information"),
    ncnd: null,
    notForEmissions: true,
    notes: ["Not available for information on emissions (reg 12(9))."],
    source: "EIR reg 12(5)(e), 12(9); qualified",
    samples: {
      harm: "Disclosure would adversely affect the confidentiality of the developer's viability assessment, which is protected by the law of confidence to protect its negotiating position with landowners.",
      publicInterest: pi.commercial,
    },
  },
  {
    number: "12(5)(f)",
    heading: "Interests of the person who provided the information",
    summary:
      "Disclosure would adversely affect the interests of a person who supplied the information voluntarily, did not supply it in circumstances entitling the authority to disclose it, and has not consented.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: adverseEffect("the interests of the person who provided the information"),
    ncnd: null,
    notForEmissions: true,
    notes: ["Not available for information on emissions (reg 12(9))."],
    source: "EIR reg 12(5)(f), 12(9); qualified",
    samples: {
      harm: "Disclosure would adversely affect the interests of the landowner who volunteered the survey results, who was under no obligation to give them to us and has not consented to their release.",
      publicInterest: pi.voluntarySupplier,
    },
  },
  {
    number: "12(5)(g)",
    heading: "Protection of the environment",
    summary:
      "Disclosure would adversely affect the protection of the environment to which the information relates.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: adverseEffect("the protection of the environment to which the information relates"),
    ncnd: null,
    notForEmissions: true,
    notes: ["Not available for information on emissions (reg 12(9))."],
    source: "EIR reg 12(5)(g), 12(9); qualified",
    samples: {
      harm: "Disclosure would adversely affect the protection of the environment, because it would reveal the nesting sites of a protected species that has been targeted by egg collectors.",
      publicInterest: pi.environmentProtection,
    },
  },
  // reg 13(1)(a) with the first condition (reg 13(2A)): no public-interest test; NCND reg 13(5A).
  {
    number: "13(1)",
    variant: "the first condition: disclosure would breach the data protection principles",
    heading: "Personal data",
    summary:
      "Personal data of someone other than the requester, where disclosure would contravene the data protection principles (the first condition, reg 13(2A)).",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: { provision: "Regulation 13(5A)", own: false },
    notes: ["Reached through reg 12(3); the first condition carries no public-interest test (reg 13(1)(a))."],
    source: "EIR reg 12(3), 13(1)(a), 13(2A); NCND reg 13(5A)",
    samples: {
      reasons:
        "The names of the residents who complained are their personal data. They would not expect them to be released to the world, and disclosure is not necessary to meet a legitimate interest, so it would contravene the first data protection principle.",
    },
  },
  // reg 13(1)(b) with the second (reg 13(2B)) or third (reg 13(3A)) condition: subject to the public interest.
  {
    number: "13(1)",
    variant: "the second condition: the person has objected under Article 21",
    idSuffix: "objection",
    heading: "Personal data",
    summary:
      "Third-party personal data where disclosure would contravene an objection under UK GDPR Article 21 (reg 13(2B)).",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: { provision: "Regulation 13(5A)", own: false },
    notes: [],
    source: "EIR reg 13(1)(b), 13(2B); qualified; NCND reg 13(5A)",
    samples: {
      reasons: personalDataReasons.objection,
      publicInterest: pi.personalData,
    },
  },
  {
    number: "13(1)",
    variant: "the third condition: the person could not have it by subject access",
    idSuffix: "no-access",
    heading: "Personal data",
    summary:
      "Third-party personal data that the data subject could not obtain by subject access because of an exemption in the Data Protection Act 2018 (reg 13(3A)).",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: { provision: "Regulation 13(5A)", own: false },
    notes: [],
    source: "EIR reg 13(1)(b), 13(3A); qualified; NCND reg 13(5A)",
    samples: {
      reasons: personalDataReasons.noAccess,
      publicInterest: pi.personalData,
    },
  },
  // reg 5(3): the duty to make information available does not apply to the requester's own personal data.
  {
    number: "5(3)",
    heading: "Personal data of the applicant",
    summary:
      "Personal data of which the requester is the data subject: not made available under the Regulations.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: null,
    ownPersonalData: true,
    notes: ["Deal with it as a subject access request under UK GDPR Article 15."],
    source: "EIR reg 5(3)",
    samples: {
      reasons: personalDataReasons.requestersOwn,
    },
  },
];

export const eirExceptions = defineExemptions("eir", specs);
