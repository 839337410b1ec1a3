import {
  defineExemptions,
  type ExemptionSpec,
  type HarmTest,
  type NcndProvision,
} from "./exemption-model.ts";
import { publicInterestSamples as pi } from "./sample-arguments.ts";

// Freedom of Information Act 2000, Part II (ss.21–44). Absolute exemptions are those listed in s.2(3); every
// other exemption is qualified and is subject to the public-interest test in s.2(1)(b) (duty to confirm or
// deny) and s.2(2)(b) (duty to communicate). s.25 is not an exemption (certificates under ss.23 and 24).

const own = (number: string): NcndProvision => ({ provision: `Section ${number}`, own: true });
const prejudice = (interest: string): HarmTest => ({
  verb: "prejudice",
  interest,
  likelihoods: ["would", "would-be-likely-to"],
});

const specs: ExemptionSpec[] = [
  // s.21(1); absolute by s.2(3)(a); s.21 has no exclusion from the duty to confirm or deny.
  {
    number: "21(1)",
    heading: "Information accessible to applicant by other means",
    summary: "Information the requester can reasonably obtain other than by making a request under the Act.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: null,
    notes: [
      "Say where the information is and give a link or directions (s.16 advice and assistance).",
      "Information in the publication scheme counts as reasonably accessible (s.21(3)).",
    ],
    source: "FOIA s.21(1); absolute (s.2(3)(a)); no NCND provision",
    samples: {
      reasons:
        "The information you have asked for is already published on our website, so it is reasonably accessible to you by other means. A link is given under Advice and Assistance.",
    },
  },
  // s.22(1); qualified; NCND s.22(2).
  {
    number: "22(1)",
    heading: "Information intended for future publication",
    summary:
      "Information held with a view to publication at a future date, where it is reasonable to withhold it until then.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: own("22(2)"),
    notes: ["The intention to publish must exist when the request is received; give the expected date."],
    source: "FOIA s.22(1); qualified; NCND s.22(2)",
    samples: {
      reasons:
        "The information is held with a view to its publication in our annual report, which is due to be published in the coming weeks. It is reasonable to withhold it until then.",
      publicInterest: pi.futurePublication,
    },
  },
  // s.22A(1) (inserted by the Intellectual Property Act 2014 s.20); qualified; NCND s.22A(2).
  {
    number: "22A(1)",
    heading: "Research",
    summary:
      "Information from a continuing programme of research intended for publication, where disclosure before publication would, or would be likely to, prejudice the programme, its participants or the authority.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: prejudice("the research programme, the interests of its participants or of the authority"),
    ncnd: own("22A(2)"),
    notes: ["The research programme must be continuing and a report intended for publication."],
    source: "FOIA s.22A(1); qualified; NCND s.22A(2)",
    samples: {
      harm: "The research is still under way. Releasing interim results would be likely to prejudice the programme, because participants could change their behaviour once early findings were known, and the results could be cited before they have been checked.",
      publicInterest: pi.research,
    },
  },
  // s.23(1); absolute by s.2(3)(b); NCND s.23(5). May be cited in the alternative with s.24.
  {
    number: "23(1)",
    heading: "Information supplied by, or relating to, bodies dealing with security matters",
    summary:
      "Information directly or indirectly supplied by, or relating to, a body listed in s.23(3), such as the Security Service.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: own("23(5)"),
    alternativeWith: ["foia-24-1"],
    notes: [
      "May be cited in the alternative with s.24(1) (and s.23(5) with s.24(2)) so as not to reveal which applies; the s.24 public-interest test must still be carried out (ICO guidance).",
    ],
    source: "FOIA s.23(1), (3); absolute (s.2(3)(b)); NCND s.23(5)",
    samples: {
      reasons:
        "The information was supplied by, or relates to, a body dealing with security matters listed in section 23(3) of the Act.",
    },
  },
  // s.24(1); qualified; NCND s.24(2); a Minister's certificate is conclusive (s.24(3)).
  {
    number: "24(1)",
    heading: "National security",
    summary: "Information whose exemption is required for the purpose of safeguarding national security.",
    status: "qualified",
    publicInterestTest: true,
    basis: "necessity",
    harm: { verb: "is required to safeguard", interest: "national security", likelihoods: [] },
    ncnd: own("24(2)"),
    alternativeWith: ["foia-23-1"],
    notes: [
      "'Required' means reasonably necessary (ICO guidance); there is no likelihood test.",
      "May be cited in the alternative with s.23(1).",
    ],
    source: "FOIA s.24(1); qualified; NCND s.24(2); certificate s.24(3)",
    samples: {
      harm: "Withholding the information is required to safeguard national security: details of the protective measures at this site, combined with other public material, would reveal where security is weakest.",
      publicInterest: pi.nationalSecurity,
    },
  },
  // s.26(1)(a), (b); qualified; NCND s.26(3).
  {
    number: "26(1)(a)",
    heading: "Defence",
    summary: "Prejudice to the defence of the British Islands or of any colony.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: prejudice("the defence of the British Islands or of any colony"),
    ncnd: own("26(3)"),
    notes: [],
    source: "FOIA s.26(1)(a); qualified; NCND s.26(3)",
    samples: {
      harm: "Disclosure would be likely to prejudice the defence of the British Islands by revealing the pattern of deployments that hostile states could exploit.",
      publicInterest: pi.defence,
    },
  },
  {
    number: "26(1)(b)",
    heading: "Defence",
    summary: "Prejudice to the capability, effectiveness or security of any relevant forces.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: prejudice("the capability, effectiveness or security of the relevant forces"),
    ncnd: own("26(3)"),
    notes: [],
    source: "FOIA s.26(1)(b); qualified; NCND s.26(3)",
    samples: {
      harm: "Disclosure would be likely to prejudice the security of the forces concerned, because it would reveal the equipment they lack and so the points at which they are vulnerable.",
      publicInterest: pi.defence,
    },
  },
  // s.27(1)(a)–(d) prejudice; s.27(2) confidential information from a State or international body; NCND s.27(4).
  ...(
    [
      ["a", "relations between the United Kingdom and any other State"],
      ["b", "relations between the United Kingdom and any international organisation or international court"],
      ["c", "the interests of the United Kingdom abroad"],
      ["d", "the promotion or protection by the United Kingdom of its interests abroad"],
    ] as const
  ).map(
    ([letter, interest]): ExemptionSpec => ({
      number: `27(1)(${letter})`,
      heading: "International relations",
      summary: `Prejudice to ${interest}.`,
      status: "qualified",
      publicInterestTest: true,
      basis: "prejudice",
      harm: prejudice(interest),
      ncnd: own("27(4)"),
      notes: [],
      source: `FOIA s.27(1)(${letter}); qualified; NCND s.27(4)`,
      samples: {
        harm: `Disclosure would be likely to prejudice ${interest}: the information records frank assessments made in confidence, and releasing them would damage trust and make future cooperation harder.`,
        publicInterest: pi.internationalRelations,
      },
    }),
  ),
  {
    number: "27(2)",
    heading: "International relations",
    summary:
      "Confidential information obtained from a State other than the United Kingdom or from an international organisation or court.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: own("27(4)"),
    notes: [
      "Confidential while the terms on which it was obtained require it, or the circumstances make it reasonable to expect it (s.27(3)).",
    ],
    source: "FOIA s.27(2), (3); qualified; NCND s.27(4)",
    samples: {
      reasons:
        "The information was provided to us in confidence by another State, and it remains confidential under the terms on which it was given.",
      publicInterest: pi.internationalRelations,
    },
  },
  // s.28(1); qualified; NCND s.28(3).
  {
    number: "28(1)",
    heading: "Relations within the United Kingdom",
    summary:
      "Prejudice to relations between any administration in the United Kingdom and any other such administration.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: prejudice("relations between administrations in the United Kingdom"),
    ncnd: own("28(3)"),
    notes: [
      "The administrations are the UK Government, the Scottish Government, the Welsh Government and the Northern Ireland Executive (s.28(2)).",
    ],
    source: "FOIA s.28(1), (2); qualified; NCND s.28(3)",
    samples: {
      harm: "Disclosure would be likely to prejudice relations between the administrations, because the exchanges were conducted on the shared understanding that they would remain confidential while negotiations continue.",
      publicInterest: pi.ukRelations,
    },
  },
  // s.29(1)(a), (b); qualified; NCND s.29(2).
  {
    number: "29(1)(a)",
    heading: "The economy",
    summary: "Prejudice to the economic interests of the United Kingdom or of any part of it.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: prejudice("the economic interests of the United Kingdom or of any part of it"),
    ncnd: own("29(2)"),
    notes: [],
    source: "FOIA s.29(1)(a); qualified; NCND s.29(2)",
    samples: {
      harm: "Disclosure would be likely to prejudice the economic interests of the region, because early release of the forecasts could move markets before the official announcement.",
      publicInterest: pi.economy,
    },
  },
  {
    number: "29(1)(b)",
    heading: "The economy",
    summary: "Prejudice to the financial interests of any administration in the United Kingdom.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: prejudice("the financial interests of an administration in the United Kingdom"),
    ncnd: own("29(2)"),
    notes: [],
    source: "FOIA s.29(1)(b); qualified; NCND s.29(2)",
    samples: {
      harm: "Disclosure would be likely to prejudice the Government's financial interests by revealing its negotiating position on a pending sale of public assets.",
      publicInterest: pi.economy,
    },
  },
  // s.30(1)(a)–(c), s.30(2); qualified, class-based; NCND s.30(3).
  {
    number: "30(1)(a)",
    heading: "Investigations and proceedings conducted by public authorities",
    summary:
      "Information held at any time for an investigation the authority has a duty to conduct with a view to deciding whether a person should be charged with an offence, or whether a person charged is guilty of it.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: own("30(3)"),
    notes: ["s.31 cannot apply to information that is exempt under s.30 (s.31(1))."],
    source: "FOIA s.30(1)(a); qualified; NCND s.30(3)",
    samples: {
      reasons:
        "The information was gathered in the course of a criminal investigation carried out by this force with a view to deciding whether a person should be charged.",
      publicInterest: pi.investigations,
    },
  },
  {
    number: "30(1)(b)",
    heading: "Investigations and proceedings conducted by public authorities",
    summary:
      "Information held at any time for an investigation that may lead to a decision by the authority to institute criminal proceedings which it has power to conduct.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: own("30(3)"),
    notes: [],
    source: "FOIA s.30(1)(b); qualified; NCND s.30(3)",
    samples: {
      reasons:
        "The information was gathered during an investigation that may lead to our deciding to bring criminal proceedings.",
      publicInterest: pi.investigations,
    },
  },
  {
    number: "30(1)(c)",
    heading: "Investigations and proceedings conducted by public authorities",
    summary: "Information held at any time for criminal proceedings the authority has power to conduct.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: own("30(3)"),
    notes: [],
    source: "FOIA s.30(1)(c); qualified; NCND s.30(3)",
    samples: {
      reasons:
        "The information is held for the purposes of criminal proceedings that we have power to conduct.",
      publicInterest: pi.investigations,
    },
  },
  {
    number: "30(2)",
    heading: "Investigations and proceedings conducted by public authorities",
    summary:
      "Information obtained or recorded for the authority's investigations or proceedings that relates to the obtaining of information from confidential sources.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: own("30(3)"),
    notes: [],
    source: "FOIA s.30(2); qualified; NCND s.30(3)",
    samples: {
      reasons:
        "The information relates to how we obtained information from confidential sources during an investigation.",
      publicInterest: pi.investigations,
    },
  },
  // s.31(1)(a)–(i); qualified, prejudice-based; NCND s.31(3). s.31 applies only where s.30 does not.
  ...(
    [
      [
        "a",
        "the prevention or detection of crime",
        "Disclosure would be likely to prejudice the prevention or detection of crime. It would reveal where police intelligence is concentrated, and so where it is not, allowing offenders to move their activity to the places they believe are least watched.",
      ],
      [
        "b",
        "the apprehension or prosecution of offenders",
        "Disclosure would be likely to prejudice the apprehension or prosecution of offenders, because those under investigation could use it to judge what the police know about them and change their behaviour to avoid arrest.",
      ],
      [
        "c",
        "the administration of justice",
        "Disclosure would be likely to prejudice the administration of justice, because the material is due to be considered in proceedings that have not concluded.",
      ],
      [
        "d",
        "the assessment or collection of any tax or duty or of any imposition of a similar nature",
        "Disclosure would be likely to prejudice the collection of tax by revealing the thresholds at which cases are selected for enquiry.",
      ],
      [
        "e",
        "the operation of the immigration controls",
        "Disclosure would be likely to prejudice the operation of the immigration controls by revealing when and where checks are carried out.",
      ],
      [
        "f",
        "the maintenance of security and good order in prisons or other institutions where persons are lawfully detained",
        "Disclosure would be likely to prejudice security and good order in the prison, because it would reveal staffing levels at particular times and so the moments when an incident would be hardest to control.",
      ],
      [
        "g",
        "the exercise by a public authority of its functions for a purpose in section 31(2)",
        "Disclosure would be likely to prejudice our regulatory functions under section 31(2), because businesses would learn how inspections are targeted and could prepare for them.",
      ],
      [
        "h",
        "civil proceedings arising out of an investigation for a purpose in section 31(2)",
        "Disclosure would be likely to prejudice the civil proceedings that have followed our investigation, because it would reveal the evidence before it is presented in court.",
      ],
      [
        "i",
        "an inquiry under the Inquiries into Fatal Accidents and Sudden Deaths etc. (Scotland) Act 2016 arising out of an investigation for a purpose in section 31(2)",
        "Disclosure would be likely to prejudice the fatal accident inquiry, which has not yet concluded.",
      ],
    ] as const
  ).map(
    ([letter, interest, harm]): ExemptionSpec => ({
      number: `31(1)(${letter})`,
      heading: "Law enforcement",
      summary: `Prejudice to ${interest}.`,
      status: "qualified",
      publicInterestTest: true,
      basis: "prejudice",
      harm: prejudice(interest),
      ncnd: own("31(3)"),
      notes: ["Only for information not exempt under s.30 (s.31(1))."],
      source: `FOIA s.31(1)(${letter}); qualified; NCND s.31(3)`,
      samples: { harm, publicInterest: pi.lawEnforcement },
    }),
  ),
  // s.32(1), (2); absolute by s.2(3)(c); NCND s.32(3).
  {
    number: "32(1)",
    heading: "Court records",
    summary:
      "Information held only because it is in a document filed with, served on or created by a court for the purposes of proceedings.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: own("32(3)"),
    notes: ["Court records may be available from the court itself under its own rules."],
    source: "FOIA s.32(1); absolute (s.2(3)(c)); NCND s.32(3)",
    samples: {
      reasons:
        "We hold this information only because it is contained in documents served on us for the purposes of court proceedings.",
    },
  },
  {
    number: "32(2)",
    heading: "Court records",
    summary:
      "Information held only because it is in a document placed in the custody of, or created by, a person conducting an inquiry or arbitration.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: own("32(3)"),
    notes: [],
    source: "FOIA s.32(2); absolute (s.2(3)(c)); NCND s.32(3)",
    samples: {
      reasons:
        "We hold this information only because it is contained in documents created for the purposes of a statutory inquiry.",
    },
  },
  // s.33(2); qualified; NCND s.33(3). Only for authorities with audit functions (s.33(1)).
  {
    number: "33(2)",
    heading: "Audit functions",
    summary:
      "Prejudice to the exercise of an authority's functions in relation to the audit of other public authorities' accounts or the examination of their economy, efficiency and effectiveness.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: prejudice("the exercise of the authority's audit functions"),
    ncnd: own("33(3)"),
    notes: ["Only authorities with functions described in s.33(1) can rely on it."],
    source: "FOIA s.33(1), (2); qualified; NCND s.33(3)",
    samples: {
      harm: "Disclosure would be likely to prejudice our audit functions, because the audited body gave us draft material on the understanding that it would not be released before our report.",
      publicInterest: pi.audit,
    },
  },
  // s.34(1); absolute by s.2(3)(d); NCND s.34(2); Speaker's or Clerk's certificate conclusive (s.34(3)).
  {
    number: "34(1)",
    heading: "Parliamentary privilege",
    summary:
      "Information whose exemption is required to avoid an infringement of the privileges of either House of Parliament.",
    status: "absolute",
    publicInterestTest: false,
    basis: "necessity",
    harm: {
      verb: "is required to avoid an infringement of",
      interest: "the privileges of either House of Parliament",
      likelihoods: [],
    },
    ncnd: own("34(2)"),
    notes: [],
    source: "FOIA s.34(1); absolute (s.2(3)(d)); NCND s.34(2); certificate s.34(3)",
    samples: {
      harm: "Exemption is required to avoid an infringement of parliamentary privilege: the information is a draft report of a select committee that the committee has not published.",
    },
  },
  // s.35(1)(a)–(d); qualified, class-based; NCND s.35(3). Government departments and the Welsh Government only.
  ...(
    [
      [
        "a",
        "the formulation or development of government policy",
        "The information is part of the development of government policy on this subject, which is still under way.",
      ],
      [
        "b",
        "Ministerial communications",
        "The information consists of communications between Ministers about the matter.",
      ],
      [
        "c",
        "the provision of advice by any of the Law Officers, or any request for such advice",
        "The information records a request for advice from the Law Officers.",
      ],
      [
        "d",
        "the operation of any Ministerial private office",
        "The information relates to the operation of a Minister's private office.",
      ],
    ] as const
  ).map(
    ([letter, subject, reasons]): ExemptionSpec => ({
      number: `35(1)(${letter})`,
      heading: "Formulation of government policy",
      summary: `Information held by a government department or the Welsh Government that relates to ${subject}.`,
      status: "qualified",
      publicInterestTest: true,
      basis: "class",
      ncnd: own("35(3)"),
      notes: ["Only for government departments and the Welsh Government; others consider s.36."],
      source: `FOIA s.35(1)(${letter}); qualified; NCND s.35(3)`,
      samples: { reasons, publicInterest: pi.policy },
    }),
  ),
  // s.36(2)(a)–(c); qualified (absolute for information held by either House, s.2(3)(e)); NCND s.36(3).
  ...(
    [
      [
        "(a)(i)",
        "prejudice",
        "the maintenance of the convention of the collective responsibility of Ministers of the Crown",
      ],
      ["(a)(ii)", "prejudice", "the work of the Executive Committee of the Northern Ireland Assembly"],
      ["(a)(iii)", "prejudice", "the work of the Cabinet of the Welsh Government"],
      ["(b)(i)", "inhibit", "the free and frank provision of advice"],
      ["(b)(ii)", "inhibit", "the free and frank exchange of views for the purposes of deliberation"],
      ["(c)", "otherwise prejudice", "the effective conduct of public affairs"],
    ] as const
  ).map(
    ([number, verb, interest]): ExemptionSpec => ({
      number: `36(2)${number}`,
      heading: "Prejudice to effective conduct of public affairs",
      summary: `In the reasonable opinion of a qualified person, disclosure would, or would be likely to, ${verb} ${interest}.`,
      status: "qualified",
      publicInterestTest: true,
      basis: "prejudice",
      harm: { verb, interest, likelihoods: ["would", "would-be-likely-to"] },
      ncnd: own("36(3)"),
      needsQualifiedPersonOpinion: true,
      notes: [
        "Engaged only on the reasonable opinion of the authority's qualified person (s.36(5)); record who gave it, when, and on which limb.",
        "Absolute for information held by the House of Commons or the House of Lords (s.2(3)(e)).",
      ],
      source: `FOIA s.36(2)${number}, (5); qualified; NCND s.36(3)`,
      samples: {
        harm: `The qualified person's opinion is that disclosure would be likely to ${verb} ${interest}: staff gave these views on the understanding that they would remain internal, and releasing them would make staff more guarded in future discussions of the same kind.`,
        publicInterest: pi.publicAffairs,
      },
    }),
  ),
  // s.37(1)(a)–(ab) absolute by s.2(3)(ea); (ac), (ad), (b) qualified; class-based; NCND s.37(2).
  ...(
    [
      ["a", "communications with the Sovereign", "absolute"],
      [
        "aa",
        "communications with the heir to, or the person second in line of succession to, the Throne",
        "absolute",
      ],
      [
        "ab",
        "communications with a person who has since acceded to the Throne or become heir or second in line to it",
        "absolute",
      ],
      ["ac", "communications with other members of the Royal Family", "qualified"],
      ["ad", "communications with the Royal Household", "qualified"],
      ["b", "the conferring by the Crown of any honour or dignity", "qualified"],
    ] as const
  ).map(
    ([letter, subject, status]): ExemptionSpec => ({
      number: `37(1)(${letter})`,
      heading: "Communications with Her Majesty, etc. and honours",
      summary: `Information relating to ${subject}.`,
      status,
      publicInterestTest: status === "qualified",
      basis: "class",
      ncnd: own("37(2)"),
      notes:
        status === "absolute"
          ? ["Absolute since the Constitutional Reform and Governance Act 2010 (s.2(3)(ea))."]
          : [],
      source: `FOIA s.37(1)(${letter}); ${status}${status === "absolute" ? " (s.2(3)(ea))" : ""}; NCND s.37(2)`,
      samples:
        status === "qualified"
          ? { reasons: `The information relates to ${subject}.`, publicInterest: pi.royal }
          : { reasons: `The information relates to ${subject}.` },
    }),
  ),
  // s.38(1)(a), (b); qualified; NCND s.38(2).
  {
    number: "38(1)(a)",
    heading: "Health and safety",
    summary:
      "Disclosure would, or would be likely to, endanger the physical or mental health of any individual.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: {
      verb: "endanger",
      interest: "the physical or mental health of an individual",
      likelihoods: ["would", "would-be-likely-to"],
    },
    ncnd: own("38(2)"),
    notes: [],
    source: "FOIA s.38(1)(a); qualified; NCND s.38(2)",
    samples: {
      harm: "Disclosure would be likely to endanger the mental health of the family concerned, who have told us of the distress that renewed publicity has already caused them.",
      publicInterest: pi.healthSafety,
    },
  },
  {
    number: "38(1)(b)",
    heading: "Health and safety",
    summary: "Disclosure would, or would be likely to, endanger the safety of any individual.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: {
      verb: "endanger",
      interest: "the safety of an individual",
      likelihoods: ["would", "would-be-likely-to"],
    },
    ncnd: own("38(2)"),
    notes: [],
    source: "FOIA s.38(1)(b); qualified; NCND s.38(2)",
    samples: {
      harm: "Disclosure would be likely to endanger the safety of staff, because it would reveal the locations where they work alone at night.",
      publicInterest: pi.healthSafety,
    },
  },
  // s.39(1); qualified; NCND s.39(2). The request is then dealt with under the EIR.
  {
    number: "39(1)",
    heading: "Environmental information",
    summary:
      "Information the authority must make available under the Environmental Information Regulations 2004, or would but for an exception.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: own("39(2)"),
    notes: [
      "Cite s.39 and answer the request under the EIR: the requester's rights are then those of the Regulations.",
    ],
    source: "FOIA s.39(1); qualified; NCND s.39(2)",
    samples: {
      reasons:
        "The information is environmental information, so we have dealt with your request under the Environmental Information Regulations 2004.",
      publicInterest: pi.environmental,
    },
  },
  // s.40(1); absolute by s.2(3)(f); NCND s.40(5A). The requester's own data: a subject access request.
  {
    number: "40(1)",
    heading: "Personal information",
    summary: "Personal data of which the requester is the data subject.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: own("40(5A)"),
    ownPersonalData: true,
    notes: [
      "The requester's own personal data is not released under FOIA: deal with it as a subject access request under UK GDPR Article 15 and the Data Protection Act 2018.",
    ],
    source: "FOIA s.40(1); absolute (s.2(3)(f)); NCND s.40(5A)",
    samples: {
      reasons:
        "The information you have asked for is your own personal data, which is exempt under the Act. We are dealing with it as a subject access request under the UK General Data Protection Regulation.",
    },
  },
  // s.40(2) with the first condition (s.40(3A)); absolute by s.2(3)(fa); NCND s.40(5B).
  {
    number: "40(2)",
    variant: "the first condition: disclosure would breach the data protection principles",
    heading: "Personal information",
    summary:
      "Personal data of someone other than the requester, where disclosure would contravene the data protection principles (the first condition, s.40(3A)).",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: own("40(5B)"),
    notes: [
      "The lawfulness test under UK GDPR Article 6(1)(f) (legitimate interests) is not a public-interest test: explain it as the reason the principles would be contravened.",
    ],
    source: "FOIA s.40(2), (3A); absolute (s.2(3)(fa)); NCND s.40(5B)",
    samples: {
      reasons:
        "The information is the personal data of people other than you. Disclosure under the Act is disclosure to the world; the people concerned would not expect it, and it is not necessary to meet any legitimate interest in the information, so it would be unlawful under Article 6(1)(f) of the UK GDPR and contravene the first data protection principle.",
    },
  },
  // s.40(2) with the second condition (s.40(3B), an Article 21 objection) or third (s.40(4A)); qualified.
  {
    number: "40(2)",
    variant: "the second condition: the person has objected under Article 21",
    idSuffix: "objection",
    heading: "Personal information",
    summary:
      "Third-party personal data where disclosure would contravene an objection under UK GDPR Article 21 (the second condition, s.40(3B)).",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: own("40(5B)"),
    notes: ["Rare: the data subject must have objected under Article 21."],
    source: "FOIA s.40(2), (3B); qualified; NCND s.40(5B)",
    samples: {
      reasons:
        "The person the information is about has objected to its processing under Article 21 of the UK GDPR, and there are no compelling legitimate grounds to override that objection.",
      publicInterest: pi.personalData,
    },
  },
  {
    number: "40(2)",
    variant: "the third condition: the person could not have it by subject access",
    idSuffix: "no-access",
    heading: "Personal information",
    summary:
      "Third-party personal data that the data subject could not obtain by subject access because of an exemption in the Data Protection Act 2018 (the third condition, s.40(4A)).",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: own("40(5B)"),
    notes: [],
    source: "FOIA s.40(2), (4A); qualified; NCND s.40(5B)",
    samples: {
      reasons:
        "The person the information is about could not obtain it by a subject access request, because an exemption in the Data Protection Act 2018 would apply.",
      publicInterest: pi.personalData,
    },
  },
  // s.41(1); absolute by s.2(3)(g); NCND s.41(2).
  {
    number: "41(1)",
    heading: "Information provided in confidence",
    summary:
      "Information obtained from another person whose disclosure would be an actionable breach of confidence.",
    status: "absolute",
    publicInterestTest: false,
    basis: "class",
    ncnd: own("41(2)"),
    notes: [
      "The law of confidence has its own public-interest defence; consider it as part of whether the breach would be actionable.",
    ],
    source: "FOIA s.41(1); absolute (s.2(3)(g)); NCND s.41(2)",
    samples: {
      reasons:
        "The information was given to us in confidence by a member of the public, it has the necessary quality of confidence, and its disclosure would be an actionable breach of that confidence.",
    },
  },
  // s.42(1); qualified; NCND s.42(2).
  {
    number: "42(1)",
    heading: "Legal professional privilege",
    summary:
      "Information in respect of which a claim to legal professional privilege could be maintained in legal proceedings.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: own("42(2)"),
    notes: ["Covers advice privilege and litigation privilege."],
    source: "FOIA s.42(1); qualified; NCND s.42(2)",
    samples: {
      reasons:
        "The information is confidential legal advice given to the authority by its lawyers, which attracts legal advice privilege.",
      publicInterest: pi.legalPrivilege,
    },
  },
  // s.43(1) trade secrets (class); s.43(2) commercial interests (prejudice); qualified; NCND s.43(3) for s.43(2).
  {
    number: "43(1)",
    heading: "Commercial interests",
    summary: "Information that constitutes a trade secret.",
    status: "qualified",
    publicInterestTest: true,
    basis: "class",
    ncnd: null,
    notes: ["s.43(3) excludes the duty to confirm or deny only for s.43(2)."],
    source: "FOIA s.43(1); qualified; no NCND provision (s.43(3) covers s.43(2) only)",
    samples: {
      reasons: "The information describes a supplier's manufacturing process, which is a trade secret.",
      publicInterest: pi.commercial,
    },
  },
  {
    number: "43(2)",
    heading: "Commercial interests",
    summary: "Prejudice to the commercial interests of any person, including the authority.",
    status: "qualified",
    publicInterestTest: true,
    basis: "prejudice",
    harm: prejudice("the commercial interests of the authority or of its suppliers"),
    ncnd: own("43(3)"),
    notes: [
      "Where the harm is to a third party's interests, the arguments should come from that party (ICO guidance).",
    ],
    source: "FOIA s.43(2); qualified; NCND s.43(3)",
    samples: {
      harm: "Disclosure would be likely to prejudice the supplier's commercial interests: the pricing breakdown would let competitors undercut it when the contract is re-tendered next year, and the supplier has told us so.",
      publicInterest: pi.commercial,
    },
  },
  // s.44(1)(a)–(c); absolute by s.2(3)(h); NCND s.44(2).
  ...(
    [
      [
        "a",
        "is prohibited by or under any enactment",
        "Disclosure is prohibited by the statute under which we obtained the information.",
      ],
      [
        "b",
        "is incompatible with any retained obligation derived from EU law",
        "Disclosure is incompatible with an obligation the authority is bound by.",
      ],
      [
        "c",
        "would constitute or be punishable as a contempt of court",
        "A court order restricting publication applies to this information, so disclosure would be a contempt of court.",
      ],
    ] as const
  ).map(
    ([letter, effect, reasons]): ExemptionSpec => ({
      number: `44(1)(${letter})`,
      heading: "Prohibitions on disclosure",
      summary: `Information whose disclosure otherwise than under the Act ${effect}.`,
      status: "absolute",
      publicInterestTest: false,
      basis: "class",
      ncnd: own("44(2)"),
      notes: letter === "a" ? ["Name the enactment that prohibits disclosure."] : [],
      source: `FOIA s.44(1)(${letter}); absolute (s.2(3)(h)); NCND s.44(2)`,
      samples: { reasons },
    }),
  ),
];

export const foiaExemptions = defineExemptions("foia", specs);
