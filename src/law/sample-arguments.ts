// Worked public-interest factors by subject, shared by the FOIA, FOISA and EIR entries that protect the same
// interest. They are starting points that a case officer adapts to the information in front of them: the
// ICO and the Scottish Information Commissioner expect arguments about the actual information, not a class.

export interface PublicInterestSample {
  favouringDisclosure: readonly string[];
  favouringWithholding: readonly string[];
}

const accountability =
  "Disclosure would promote accountability and transparency in how public money is spent and decisions are made.";

export const publicInterestSamples = {
  futurePublication: {
    favouringDisclosure: [
      "Releasing the information now would let the public see it without waiting for the planned publication.",
      "Early release could inform debate that is taking place before the publication date.",
    ],
    favouringWithholding: [
      "The information will be published soon in a planned, complete form with the context needed to understand it.",
      "Releasing parts of it early would disrupt the publication timetable and could give a misleading picture.",
    ],
  },
  research: {
    favouringDisclosure: [
      "There is a public interest in research funded by public money and in the evidence behind it.",
      "Disclosure would allow the methods and interim findings to be scrutinised.",
    ],
    favouringWithholding: [
      "Premature release of unfinished research could damage the programme, its participants and the credibility of its findings.",
      "The research will be published once complete, after peer review, which better serves the public.",
    ],
  },
  nationalSecurity: {
    favouringDisclosure: [
      "The public has an interest in knowing that national security work is lawful, proportionate and effective.",
      "Disclosure would inform public debate about the threats the country faces.",
    ],
    favouringWithholding: [
      "Safeguarding national security is a very weighty public interest; it would take a strong countervailing interest to outweigh it.",
      "Those who wish to harm the United Kingdom could piece the information together with other material to identify vulnerabilities.",
    ],
  },
  defence: {
    favouringDisclosure: [
      "Disclosure would increase understanding of how the armed forces are equipped and deployed.",
      "There is a public interest in scrutiny of defence spending and decisions.",
    ],
    favouringWithholding: [
      "Revealing capabilities or vulnerabilities would assist those who may wish to harm the armed forces.",
      "The safety of service personnel outweighs the general benefit of transparency in this case.",
    ],
  },
  internationalRelations: {
    favouringDisclosure: [
      "The public has an interest in knowing how the United Kingdom conducts its relations with other states.",
      "Disclosure would show what was said on the public's behalf and hold officials to account.",
    ],
    favouringWithholding: [
      "Other states and organisations share information on the understanding that it stays confidential; breaching that trust would make them less candid.",
      "Damage to relations with another state would harm the United Kingdom's ability to protect its interests abroad.",
    ],
  },
  ukRelations: {
    favouringDisclosure: [
      "Disclosure would show how the administrations of the United Kingdom work together on matters affecting the public.",
      accountability,
    ],
    favouringWithholding: [
      "The administrations need to be able to discuss difficult issues with each other in confidence.",
      "Disclosure would be likely to make the other administration less willing to share information in future.",
    ],
  },
  economy: {
    favouringDisclosure: [
      "There is a public interest in understanding the economic position and the financial decisions taken on the public's behalf.",
      accountability,
    ],
    favouringWithholding: [
      "Premature disclosure could distort markets or give some people an unfair advantage.",
      "Protecting the financial interests of the administration protects public funds.",
    ],
  },
  investigations: {
    favouringDisclosure: [
      "The public has an interest in knowing that investigations are carried out thoroughly and fairly.",
      "Disclosure would increase confidence in the authority's investigative work.",
    ],
    favouringWithholding: [
      "Investigations depend on a safe space in which evidence can be gathered and assessed without it being released to the world.",
      "Disclosure could deter witnesses and informants from coming forward in future.",
    ],
  },
  lawEnforcement: {
    favouringDisclosure: [
      "Disclosure would show how effectively crime is being tackled and how police resources are used.",
      "It would help the public understand the scale of a problem in their area and take steps to protect themselves.",
    ],
    favouringWithholding: [
      "Disclosure would help offenders to avoid detection and so would put the public at greater risk.",
      "Effective law enforcement depends on intelligence remaining confidential and on the public's confidence in providing it.",
    ],
  },
  audit: {
    favouringDisclosure: [
      "Disclosure would show how public bodies are held to account by their auditors.",
      accountability,
    ],
    favouringWithholding: [
      "Audit depends on the audited body being candid; early disclosure would make that less likely.",
      "The audit findings will be reported in full once the work is complete.",
    ],
  },
  policy: {
    favouringDisclosure: [
      "Disclosure would improve understanding of how the policy was developed and the options considered.",
      "It would let the public take part in debate about the policy while it can still be influenced.",
    ],
    favouringWithholding: [
      "Officials and ministers need a safe space to develop policy and consider options away from public scrutiny.",
      "Disclosure while the policy is still live would be likely to close down the range of options considered.",
    ],
  },
  publicAffairs: {
    favouringDisclosure: [
      "Disclosure would show how decisions were reached and increase trust in the authority.",
      accountability,
    ],
    favouringWithholding: [
      "Staff need to be able to give advice and exchange views freely and frankly; disclosure would be likely to inhibit that in future.",
      "Decisions reached without candid discussion would be poorer, which is not in the public interest.",
    ],
  },
  royal: {
    favouringDisclosure: [
      "There is a public interest in understanding the constitutional role of the monarchy and its influence on public affairs.",
      "Disclosure would increase transparency in the honours system.",
    ],
    favouringWithholding: [
      "The constitutional convention that communications with the Royal Family are confidential protects their political neutrality.",
      "The honours system relies on candid assessments given in confidence.",
    ],
  },
  healthSafety: {
    favouringDisclosure: [
      "Disclosure would inform the public about risks to health and safety and how they are managed.",
      accountability,
    ],
    favouringWithholding: [
      "Protecting the physical and mental health and the safety of individuals is a very weighty public interest.",
      "The information could be used to identify, target or distress the people concerned.",
    ],
  },
  environmental: {
    favouringDisclosure: [
      "There is a strong public interest in access to environmental information.",
      "The information can still be requested under the environmental information regime, which is designed for it.",
    ],
    favouringWithholding: [
      "Environmental information is properly dealt with under the Regulations designed for it, which give the requester equal or greater rights.",
      "Handling the request under one regime avoids inconsistent decisions on the same information.",
    ],
  },
  personalData: {
    favouringDisclosure: [
      "There is a legitimate interest in transparency about the people who carry out public functions.",
      accountability,
    ],
    favouringWithholding: [
      "The individuals would not expect their personal data to be released to the world.",
      "Disclosure would cause them distress and intrude into their private lives.",
    ],
  },
  legalPrivilege: {
    favouringDisclosure: [
      "Disclosure would show whether the authority acted on sound legal advice.",
      "There is a public interest in understanding the legal basis for decisions affecting many people.",
    ],
    favouringWithholding: [
      "There is a strong inbuilt public interest in the confidentiality of legal advice, so that authorities can seek and receive full and frank advice.",
      "Disclosure would weaken the authority's position in any legal challenge.",
    ],
  },
  commercial: {
    favouringDisclosure: [
      "Disclosure would show whether the authority obtained value for money.",
      "It would increase transparency in public procurement and competition for public contracts.",
    ],
    favouringWithholding: [
      "Disclosure would harm the commercial position of the authority or its suppliers in future negotiations.",
      "Suppliers may be less willing to share information with public authorities if it could be released.",
    ],
  },
  burden: {
    favouringDisclosure: [
      "There is a presumption in favour of disclosing environmental information (EIR reg 12(2)).",
      "The subject matter is of genuine interest to the public.",
    ],
    favouringWithholding: [
      "Complying would divert a disproportionate amount of staff time from the authority's other work, including other requests.",
      "The value of the information to the public does not justify the burden of producing it.",
    ],
  },
  generality: {
    favouringDisclosure: [
      "There is a presumption in favour of disclosing environmental information (EIR reg 12(2)).",
      "The requester has a genuine interest in the subject.",
    ],
    favouringWithholding: [
      "We cannot identify the information sought from the request as framed, even after offering advice and assistance.",
      "A focused request would let us answer fully and promptly.",
    ],
  },
  unfinished: {
    favouringDisclosure: [
      "Disclosure would let the public take part in the decision while it is still being made.",
      "There is a presumption in favour of disclosing environmental information (EIR reg 12(2)).",
    ],
    favouringWithholding: [
      "Unfinished documents and incomplete data could mislead the public.",
      "The authority needs the space to complete the work before it is published.",
    ],
  },
  internalCommunications: {
    favouringDisclosure: [
      "Disclosure would show how the authority reached its decision on an environmental matter.",
      "There is a presumption in favour of disclosing environmental information (EIR reg 12(2)).",
    ],
    favouringWithholding: [
      "Staff need a private space to discuss issues candidly before a decision is taken.",
      "Disclosure while the matter is live would be likely to inhibit those discussions.",
    ],
  },
  courseOfJustice: {
    favouringDisclosure: [
      "There is a public interest in the openness of justice and of inquiries.",
      "Disclosure would show that proceedings are conducted properly.",
    ],
    favouringWithholding: [
      "Disclosure would undermine the fairness of proceedings that are still live.",
      "There is a strong public interest in protecting the administration of justice.",
    ],
  },
  intellectualProperty: {
    favouringDisclosure: [
      "Disclosure would make publicly funded work available to the public.",
      "There is a presumption in favour of disclosing environmental information (EIR reg 12(2)).",
    ],
    favouringWithholding: [
      "Disclosure would allow the owner's work to be copied without permission, causing it loss.",
      "Protecting intellectual property encourages the creation of valuable work.",
    ],
  },
  voluntarySupplier: {
    favouringDisclosure: [
      "Disclosure would show what information the authority relied on in reaching its decision.",
      "There is a presumption in favour of disclosing environmental information (EIR reg 12(2)).",
    ],
    favouringWithholding: [
      "The information was given voluntarily; disclosure would make people less willing to help the authority in future.",
      "The supplier has not consented to disclosure and would be harmed by it.",
    ],
  },
  environmentProtection: {
    favouringDisclosure: [
      "There is a public interest in knowing about the condition of the environment.",
      "There is a presumption in favour of disclosing environmental information (EIR reg 12(2)).",
    ],
    favouringWithholding: [
      "Disclosure would put the environment to which it relates at risk, for example by revealing the location of a protected species.",
      "The public interest in protecting the environment itself outweighs that in knowing the detail.",
    ],
  },
} satisfies Record<string, PublicInterestSample>;

/** Reasons for the personal-data entries that read the same under the EIR and the EISR. */
export const personalDataReasons = {
  objection:
    "The person concerned has objected to the processing of their data under Article 21 of the UK GDPR.",
  noAccess:
    "The person concerned could not obtain this information by subject access, because an exemption in the Data Protection Act 2018 applies.",
  requestersOwn:
    "The information you have asked for is your own personal data, which the Regulations do not cover. We are dealing with it as a subject access request under the UK General Data Protection Regulation.",
} as const;
