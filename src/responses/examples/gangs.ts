import type { Letterhead } from "../letter.ts";
import { type Reply, type ReplyInput, replySchema } from "../reply.ts";

// The worked example of a partial refusal: a journalist asks how many known gangs there are in each borough,
// and how many have members under 18. The force-wide totals are disclosed; the borough breakdown is withheld
// under FOIA s.31(1)(a) and (b) with a harm test and a public-interest balance; advice points to the figures
// the force already publishes. Demo data, the web pages and tests reuse it. The authority and all figures
// are fictional.

export const westmarchLetterhead: Letterhead = {
  name: "Westmarch Constabulary",
  address: "Information Rights Unit\nWestmarch Constabulary\n1 Castle Street\nWestmarch WM1 1AA",
  email: "foi@westmarch.police.example",
};

export const gangsReplyInput: ReplyInput = {
  reference: "01.FOI.26.000014",
  regime: "foia",
  date: "2026-03-12",
  receivedDate: "2026-02-20",
  requester: {
    name: "Priya Raman",
    email: "priya.raman@westmarch-gazette.example",
    address: "Westmarch Gazette\n22 Market Street\nWestmarch WM2 3BD",
  },
  questions: [
    { text: "How many known gangs are there in each London borough?", decision: "partly" },
    {
      text: "How many known gangs are there in each London borough that have under 18's within them?",
      decision: "partly",
    },
  ],
  reasons: [
    "We hold the number of known gangs for each borough, and the number of those with at least one member under 18. The totals for the force area are disclosed below. The breakdown by borough is withheld, for the reasons that follow.",
    "The force already publishes quarterly figures from its gangs matrix, by age group and category, for the force area as a whole. It does not publish them by borough, and the considerations below explain why.",
  ],
  exemptions: [
    {
      exemptionIds: ["foia-31-1-a", "foia-31-1-b"],
      questionNumbers: [1, 2],
      harm: {
        interest: "the prevention or detection of crime and the apprehension or prosecution of offenders",
        likelihood: "would-be-likely-to",
        reasoning: [
          "Figures for each borough would show where the force's intelligence about gangs is concentrated and, by implication, where it is thin. People involved in organised crime could use that picture to move drug supply and other activity into areas they believe are less closely watched, or to judge whether their own group is known to the police.",
          "Counts at this level change slowly and can be compared over time and across requests. Set beside local knowledge and media reports, a small number in one borough could help to identify particular groups and the people in them, putting individuals at risk of reprisal and undermining investigations that are under way.",
          "Our work against gangs relies on information from communities, partner agencies and young people themselves. If people believed that what they tell us could be reflected in public figures for their area, fewer would come forward, and both the prevention and detection of crime and the apprehension of offenders would suffer.",
        ],
      },
      publicInterest: {
        favouringDisclosure: [
          "There is a public interest in knowing the scale of gang activity in each area, so that residents, schools and councils understand the risks and can hold the force to account for how it uses its resources.",
          "Disclosure would show whether the force's approach to gangs is directed at the areas of greatest need.",
        ],
        favouringWithholding: [
          "A breakdown by borough would help offenders avoid detection and move their activity to places they believe are less policed, putting the public, and young people in particular, at greater risk.",
          "Disclosure could deter people from giving the police the intelligence on which the prevention and detection of gang crime depends.",
          "Without the context needed to interpret them, the figures could heighten fear of crime and tension in communities where the number appears high.",
        ],
        balance:
          "The Act presumes disclosure unless the public interest in maintaining the exemption outweighs the public interest in disclosing the information. The public's interest in understanding gang activity is real, and it is largely met by the force-wide figures disclosed here, the quarterly figures the force already publishes and the local information shared through neighbourhood policing and partnership meetings. Against that, a breakdown by borough would be likely to help offenders evade detection and would put people at risk. On balance, the public interest favours withholding the borough breakdown.",
      },
    },
  ],
  disclosure: [
    {
      kind: "text",
      text: "The figures below are for the whole force area, as recorded on the gangs matrix on 31 January 2026.",
      questionNumbers: [1, 2],
    },
    {
      kind: "table",
      caption: "Known gangs recorded by Westmarch Constabulary, 31 January 2026",
      columns: ["Measure", "Number"],
      rows: [
        ["Known gangs", "62"],
        ["Known gangs with at least one member under 18", "27"],
      ],
      questionNumbers: [1, 2],
    },
  ],
  advice: [
    {
      purpose: "published-information",
      text: "The force publishes quarterly figures from its gangs matrix, including the number of people recorded by age group and by category, for the force area as a whole.",
      link: {
        url: "https://www.westmarch.police.example/about-us/gangs-matrix",
        text: "Gangs matrix: quarterly figures",
      },
    },
    {
      purpose: "other",
      text: "If it would help to know how the gangs matrix categories are defined, please contact us quoting the reference number above.",
    },
  ],
  signOff: { name: "Olivia Okafor", jobTitle: "Information Rights Officer" },
};

/** The gangs reply, parsed (defaults filled in): valid, and a partial refusal under s.31(1)(a)(b). */
export const gangsReply: Reply = replySchema.parse(gangsReplyInput);
