import type { ReplyInput } from "../reply.ts";
import { gangsReplyInput } from "./gangs.ts";

// A complete, valid reply for each outcome, on the questions of any request: the demo answers its requests
// with these (sent through the reply editor's path, as a case officer would), and tests that need a request
// answered use them. Fictional, like the demo: Westmarch Constabulary.

/** What a sample reply is built from: the request as logged and the outcome it is to have. */
export interface SampleReplySource {
  reference: string;
  regime: string;
  received_date: string;
  body: string;
  topic: string | null;
  outcome: string | null;
  requester_name: string;
  requester_email: string | null;
  requester_address: string | null;
}

type Question = NonNullable<ReplyInput["questions"]>[number];

function questionsOf(source: SampleReplySource, decision: Question["decision"]): Question[] {
  const texts = source.body
    .split(/\n+|(?<=\?)\s+(?=[A-Z])/)
    .map((text) => text.replace(/^\d+\.\s*/, "").trim())
    .filter(Boolean);
  return texts.map((text) => ({ text, decision }));
}

const topicSentence = (topic: string | null) => (topic ? topic.toLowerCase() : "this subject");

/** A complete reply for a request, shaped by `source.outcome` (the demo's and the tests' replies). */
export function sampleReply(source: SampleReplySource, date: string): ReplyInput {
  const base = {
    reference: source.reference,
    regime: source.regime as ReplyInput["regime"],
    date,
    receivedDate: source.received_date,
    requester: {
      name: source.requester_name,
      ...(source.requester_email ? { email: source.requester_email } : {}),
      ...(source.requester_address ? { address: source.requester_address } : {}),
    },
    signOff: { name: "Olivia Okafor", jobTitle: "Information Rights Officer" },
  };
  const topic = topicSentence(source.topic);
  switch (source.outcome) {
    case "granted-in-full":
      return {
        ...base,
        questions: questionsOf(source, "disclosed"),
        reasons: [],
        disclosure: [
          {
            kind: "text",
            text: `The information we hold about ${topic} is set out below. The figures are taken from our systems as they stood at the end of the period asked about.`,
          },
          {
            kind: "table",
            caption: `${source.topic ?? "Figures"}: figures held by Westmarch Constabulary`,
            columns: ["Measure", "Number"],
            rows:
              source.regime === "eir"
                ? [
                    ["Police stations", "14"],
                    ["Electricity used, all stations (MWh)", "3,870"],
                    ["Largest single station (MWh)", "1,105"],
                  ]
                : [
                    ["Police constables recruited", "212"],
                    ["Of those, left the force since", "19"],
                  ],
          },
        ],
        advice: [
          {
            purpose: "published-information",
            text: "We publish workforce and estates figures each year in our annual report.",
            link: {
              url: "https://www.westmarch.police.example/about-us/annual-report",
              text: "Annual report",
            },
          },
        ],
      };
    case "not-held":
      return {
        ...base,
        questions: questionsOf(source, "not-held").map((question) => ({
          ...question,
          notHeldExplanation: `We searched the records of the departments that deal with ${topic}, and asked the officers responsible. The force has not recorded this information, and there is no business need for it to do so.`,
        })),
        reasons: [],
        advice: [
          {
            purpose: "other",
            text: "The national body that evaluates this technology publishes its own reports, which may help.",
          },
        ],
      };
    case "ncnd":
      return {
        ...base,
        questions: questionsOf(source, "ncnd"),
        exemptions: [
          {
            exemptionIds: ["foia-31-1-a", "foia-31-1-b"],
            questionNumbers: questionsOf(source, "ncnd").map((_, i) => i + 1),
            reasons: [
              "Confirming or denying whether the force holds this information would itself reveal whether a particular tactic is used, which those intent on crime could use to change how they communicate.",
            ],
            harm: {
              interest:
                "the prevention or detection of crime and the apprehension or prosecution of offenders",
              likelihood: "would",
              reasoning: [
                "Any confirmation or denial, given here and in answers to similar requests to other forces, would build a picture of where covert tactics are and are not used.",
              ],
            },
            publicInterest: {
              favouringDisclosure: [
                "There is a public interest in knowing how intrusive tactics are used and overseen.",
              ],
              favouringWithholding: [
                "Revealing whether covert tactics are used would help offenders avoid detection.",
              ],
              balance:
                "The oversight arrangements already published meet much of the public interest. On balance, the public interest favours neither confirming nor denying.",
            },
          },
        ],
        reasons: [],
      };
    case "refused-vexatious":
      return {
        ...base,
        questions: questionsOf(source, "refused"),
        refusal: {
          ground: "vexatious",
          reasons: [
            "This is the ninth request on the same matter in six months. Taken together, the requests place a burden on the force out of proportion to any public value in the information, which the requester has already been given through the complaints process.",
          ],
        },
        reasons: [],
        advice: [
          {
            purpose: "other",
            text: "If you want a copy of the personal data we hold about you, you can make a subject access request.",
          },
        ],
      };
    case "refused-cost":
      return {
        ...base,
        questions: questionsOf(source, "refused"),
        refusal: {
          ground: "cost",
          estimate: {
            lines: [
              {
                activity: "locating",
                basis: "Purchase card statements since 2015 are held as monthly files for each of 140 cards.",
                hours: 20,
              },
              {
                activity: "extracting",
                basis: "About 16,000 transactions, at about a minute each to read and record.",
                hours: 266,
              },
            ],
            limitPence: 45_000,
          },
          reasons: [],
        },
        reasons: [],
        advice: [
          {
            purpose: "narrowing",
            text: "If you narrowed the request to one financial year, we could probably answer it within the limit.",
          },
        ],
      };
    case "withheld-in-full": {
      const personal = source.topic === "Firearms";
      return {
        ...base,
        questions: questionsOf(source, "withheld"),
        exemptions: [
          {
            exemptionIds: [personal ? "foia-40-2" : "foia-30-1-a"],
            questionNumbers: questionsOf(source, "withheld").map((_, i) => i + 1),
            reasons: personal
              ? [
                  "The numbers of revocations for each reason are small. Set beside local knowledge, they would identify the certificate holders concerned, and disclosing their personal data would not be lawful under the UK GDPR: they would have no expectation that it would be made public.",
                ]
              : [
                  `The information about ${topic} is held for the purposes of investigations the force has a duty to conduct, and some of them are not yet concluded.`,
                ],
            ...(personal
              ? {}
              : {
                  publicInterest: {
                    favouringDisclosure: [
                      "Disclosure would show how the force carries out its investigations.",
                    ],
                    favouringWithholding: [
                      "Disclosure while matters are open could prejudice them and deter witnesses from coming forward.",
                    ],
                    balance:
                      "On balance, the public interest favours maintaining the exemption at this time.",
                  },
                }),
          },
        ],
        reasons: [],
      };
    }
    default: {
      const questions = questionsOf(source, "partly");
      if (source.topic !== "Gangs")
        return {
          ...base,
          questions,
          exemptions: [
            {
              exemptionIds: ["foia-43-2"],
              questionNumbers: questions.map((_, i) => i + 1),
              reasons: [
                "The contract is disclosed, except the unit prices and the provider's staffing model, which would show competitors how to undercut it when the contract is next tendered.",
              ],
              harm: {
                interest: "the commercial interests of the provider and of the force",
                likelihood: "would-be-likely-to",
                reasoning: [
                  "The contract is due to be re-tendered next year. Competitors knowing the current prices would bid against them rather than on their own costs, and the force could pay more.",
                ],
              },
              publicInterest: {
                favouringDisclosure: [
                  "There is a public interest in knowing how public money is spent on custody healthcare.",
                ],
                favouringWithholding: ["A fair tender for the next contract protects public money."],
                balance:
                  "The total value of the contract, disclosed here, meets much of the public interest. On balance, the public interest favours withholding the prices until the contract is re-tendered.",
              },
            },
          ],
          reasons: [],
          disclosure: [
            {
              kind: "text",
              text: "A copy of the contract is disclosed, with the unit prices and staffing model removed. Its total value over five years is £4.2 million.",
            },
          ],
        };
      // The gangs example, on this request's questions, thanking the requester by name.
      return {
        ...structuredClone(gangsReplyInput),
        ...base,
        questions,
        reasons: [
          `Thank you, ${source.requester_name}, for your request about ${topic}.`,
          ...(gangsReplyInput.reasons ?? []),
        ],
        exemptions: (gangsReplyInput.exemptions ?? []).map((application) => ({
          ...application,
          questionNumbers: questions.map((_, i) => i + 1),
        })),
        disclosure: (gangsReplyInput.disclosure ?? []).map((block) => ({
          ...block,
          questionNumbers: questions.map((_, i) => i + 1),
        })),
      };
    }
  }
}
