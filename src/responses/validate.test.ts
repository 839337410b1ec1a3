import { describe, expect, it } from "vitest";
import { isDomainError } from "../errors.ts";
import { gangsReply } from "./examples/gangs.ts";
import { renderReplyHtml } from "./html.ts";
import { type Reply, type ReplyInput, replySchema } from "./reply.ts";
import { draftFrom } from "./testing.ts";
import { assertReplyReady, confirmingPhrase, type ReplyProblem, validateReply } from "./validate.ts";

const context = { costLimitPence: 45_000 };
const problems = (reply: Reply) => validateReply(reply, context);
const fields = (list: ReplyProblem[]) => list.map((problem) => problem.field);
const messages = (list: ReplyProblem[]) => list.map((problem) => problem.message).join("\n");

const base = {
  reference: "01.FOI.26.000100",
  date: "2026-03-12",
  receivedDate: "2026-02-20",
  requester: { name: "Jordan Ellis", email: "jordan.ellis@example.org" },
};

function build(input: Omit<ReplyInput, keyof typeof base> & Partial<ReplyInput>): Reply {
  return replySchema.parse({ ...base, ...input });
}

const narrowing = {
  purpose: "narrowing" as const,
  text: "A request for a single year could be answered within the limit.",
};

/** A complete s.12 refusal: 30 hours at £25 is £750, over the £450 limit. */
function costRefusal(change: (input: ReplyInput) => void = () => {}): Reply {
  const input: ReplyInput = {
    ...base,
    regime: "foia",
    questions: [{ text: "Every complaint about noise since 2010, with the outcome.", decision: "refused" }],
    refusal: {
      ground: "cost",
      reasons: ["Complaints are filed by address, not by type."],
      estimate: {
        limitPence: 45_000,
        lines: [
          { activity: "locating", basis: "1,200 files to check at about a minute each", hours: 20 },
          { activity: "extracting", basis: "about 300 relevant files at two minutes each", hours: 10 },
        ],
      },
    },
    advice: [narrowing],
  };
  change(input);
  return replySchema.parse(input);
}

/** A complete neither-confirm-nor-deny reply under s.31(3). */
function ncndReply(change: (input: ReplyInput) => void = () => {}): Reply {
  const input: ReplyInput = {
    ...base,
    regime: "foia",
    questions: [{ text: "Is there a covert camera in Mill Lane?", decision: "ncnd" }],
    exemptions: [
      {
        exemptionIds: ["foia-31-1-a"],
        questionNumbers: [1],
        harm: {
          interest: "the prevention or detection of crime",
          likelihood: "would-be-likely-to",
          reasoning: [
            "Confirming or denying whether any information is held would tell offenders whether a location is monitored.",
          ],
        },
        publicInterest: {
          favouringDisclosure: ["Confirmation would reassure residents about how crime is tackled."],
          favouringWithholding: [
            "Offenders could map which places are watched by asking about each in turn.",
          ],
          balance: "The balance favours neither confirming nor denying.",
        },
      },
    ],
  };
  change(input);
  return replySchema.parse(input);
}

describe("complete replies pass", () => {
  it("the gangs reply: borough breakdown withheld under s.31(1)(a)(b), the rest disclosed, advice given", () => {
    expect(problems(gangsReply)).toEqual([]);
    expect(() => assertReplyReady(gangsReply, context)).not.toThrow();
  });

  it("a cost refusal over the limit with an estimate and advice on narrowing", () => {
    expect(problems(costRefusal())).toEqual([]);
  });

  it("a neither-confirm-nor-deny reply whose wording does not confirm", () => {
    expect(problems(ncndReply())).toEqual([]);
  });

  it("an absolute exemption with its reasons and no public-interest test (s.2(3))", () => {
    const reply = draftFrom((input) => {
      input.exemptions = [
        {
          exemptionIds: ["foia-40-2"],
          questionNumbers: [1, 2],
          reasons: ["The names are the personal data of the officers concerned."],
        },
      ];
    });
    expect(problems(reply)).toEqual([]);
  });

  it("an EIR reply that does not hold the information, refused under reg 12(4)(a)", () => {
    const reply = build({
      regime: "eir",
      questions: [
        {
          text: "The noise readings taken at the quarry in 2019.",
          decision: "not-held",
          notHeldExplanation: "No readings were taken that year; the monitoring began in 2021.",
        },
      ],
      exemptions: [
        { exemptionIds: ["eir-12-4-a"], questionNumbers: [1], reasons: ["No readings were taken."] },
      ],
    });
    expect(problems(reply)).toEqual([]);
    const explainedOnce = build({
      regime: "eir",
      questions: [
        {
          text: "Readings from 2019.",
          decision: "not-held",
          notHeldExplanation: "Monitoring began in 2021.",
        },
      ],
      exemptions: [{ exemptionIds: ["eir-12-4-a"], questionNumbers: [1] }],
    });
    expect(problems(explainedOnce)).toEqual([]);
  });
});

describe("a withheld answer needs an exemption", () => {
  it("flags each withheld or partly withheld question with none", () => {
    const reply = draftFrom((input) => {
      input.exemptions = [];
    });
    const found = problems(reply);
    expect(fields(found)).toEqual(["questions.0.decision", "questions.1.decision"]);
    expect(found[0]?.message).toMatch(/Question 1 is partly withheld, but no exemption is applied to it/);
  });

  it("flags an exemption applied to a question marked disclosed", () => {
    const reply = draftFrom((input) => {
      input.questions[1]!.decision = "disclosed";
      input.exemptions![0]!.questionNumbers = [1, 2];
    });
    expect(messages(problems(reply))).toMatch(/Question 2 is marked disclosed, but Section 31\(1\)\(a\)/);
  });
});

describe("a qualified exemption needs the public-interest balance", () => {
  it("flags missing factors both ways and the conclusion", () => {
    const reply = draftFrom((input) => {
      delete input.exemptions![0]!.publicInterest;
    });
    expect(fields(problems(reply))).toEqual([
      "exemptions.0.publicInterest.favouringDisclosure",
      "exemptions.0.publicInterest.favouringWithholding",
      "exemptions.0.publicInterest.balance",
    ]);
  });

  it("flags a balance with no conclusion", () => {
    const reply = draftFrom((input) => {
      input.exemptions![0]!.publicInterest!.balance = "  ";
    });
    const found = problems(reply);
    expect(fields(found)).toEqual(["exemptions.0.publicInterest.balance"]);
    expect(found[0]?.message).toMatch(/which way the balance falls/);
  });
});

describe("a prejudice-based exemption needs the harm test", () => {
  it("flags the interest, the likelihood and the reasoning", () => {
    const reply = draftFrom((input) => {
      delete input.exemptions![0]!.harm;
    });
    const found = problems(reply);
    expect(fields(found)).toEqual([
      "exemptions.0.harm.interest",
      "exemptions.0.harm.likelihood",
      "exemptions.0.harm.reasoning",
    ]);
    expect(found[1]?.message).toMatch(/would, or would be likely to, prejudice/);
    // Said as a person would: the provisions cited together, as the reply prints them, then what to do.
    expect(found[0]?.message).toBe(
      "Name the interest that disclosure would harm: Section 31(1)(a)(b) Law enforcement applies only where disclosure would, or would be likely to, prejudice an interest it protects, such as the prevention or detection of crime",
    );
  });

  it("EIR reg 12(5) accepts only 'would'", () => {
    const reply = build({
      regime: "eir",
      questions: [{ text: "The site's hazardous storage plan.", decision: "withheld" }],
      exemptions: [
        {
          exemptionIds: ["eir-12-5-a"],
          questionNumbers: [1],
          harm: {
            interest: "public safety",
            likelihood: "would-be-likely-to",
            reasoning: ["It shows where chemicals are."],
          },
          publicInterest: {
            favouringDisclosure: ["Safety."],
            favouringWithholding: ["Security."],
            balance: "Withhold.",
          },
        },
      ],
    });
    const found = problems(reply);
    expect(fields(found)).toEqual(["exemptions.0.harm.likelihood"]);
    expect(found[0]?.message).toMatch(/"would", not "would be likely to"/);
  });

  it("a class-based exemption needs its reasons instead (s.17(1)(c))", () => {
    const reply = draftFrom((input) => {
      input.exemptions = [{ exemptionIds: ["foia-40-2"], questionNumbers: [1, 2] }];
    });
    expect(messages(problems(reply))).toMatch(
      /Explain why Section 40\(2\) Personal information applies.*s\.17\(1\)\(c\)/,
    );
  });
});

describe("a cost refusal", () => {
  it("needs an estimate", () => {
    const reply = costRefusal((input) => {
      if (input.refusal?.ground === "cost") delete input.refusal.estimate;
    });
    const found = problems(reply);
    expect(fields(found)).toContain("refusal.estimate");
    expect(messages(found)).toMatch(/A refusal on cost needs an estimate/);
  });

  it("must exceed the limit: 18 hours at £25 is £450, which does not", () => {
    const reply = costRefusal((input) => {
      if (input.refusal?.ground === "cost") {
        input.refusal.estimate!.lines = [
          { activity: "retrieving", basis: "90 files at 12 minutes", hours: 18 },
        ];
      }
    });
    const found = problems(reply);
    expect(fields(found)).toEqual(["refusal.estimate"]);
    expect(found[0]?.message).toBe(
      "The estimate (18 hours, £450) does not exceed the appropriate limit of £450, so section 12 does not apply: answer the request or revise the estimate",
    );
  });

  it("uses the authority's limit: £600 for central government", () => {
    const reply = costRefusal();
    // 30 hours at £25 is £750, over £600 too; only the stated limit is wrong.
    expect(validateReply(reply, { costLimitPence: 60_000 }).map((p) => p.message)).toEqual([
      "The limit for this request is £600, not £450",
    ]);
  });

  it("needs advice on narrowing the request (s.16)", () => {
    const reply = costRefusal((input) => {
      input.advice = [{ purpose: "other", text: "Our annual report has some figures." }];
    });
    const found = problems(reply);
    expect(fields(found)).toEqual(["advice"]);
    expect(found[0]?.message).toMatch(/narrow the request.*section 16/);
  });

  it("counts only the activities in the regulations (reg 4(3)): not redaction", () => {
    const reply = costRefusal((input) => {
      if (input.refusal?.ground === "cost") {
        input.refusal.estimate!.lines!.push({ activity: "redacting", basis: "Redacting names", hours: 5 });
      }
    });
    expect(fields(problems(reply))).toEqual(["refusal.estimate.lines.2.activity"]);
  });

  it("under FOISA does not count determining whether the information is held (reg 3(2)(a))", () => {
    const reply = costRefusal((input) => {
      input.regime = "foisa";
      if (input.refusal?.ground === "cost") {
        input.refusal.estimate = {
          lines: [
            { activity: "determining", basis: "Checking each file", hours: 10 },
            { activity: "retrieving", basis: "300 files at 10 minutes", hours: 50 },
          ],
        };
      }
    });
    const found = problems(reply);
    expect(fields(found)).toEqual(["refusal.estimate.lines.0.activity"]);
    expect(found[0]?.message).toMatch(/not determining whether it is held/);
  });

  it("aggregates only requests received within 60 consecutive working days (reg 5)", () => {
    const within = costRefusal((input) => {
      if (input.refusal?.ground === "cost") {
        input.refusal.estimate!.aggregatedRequests = [
          { reference: "01.FOI.26.000050", receivedDate: "2026-01-12" },
        ];
      }
    });
    expect(problems(within)).toEqual([]);
    const beyond = costRefusal((input) => {
      if (input.refusal?.ground === "cost") {
        input.refusal.estimate!.aggregatedRequests = [
          { reference: "01.FOI.25.000900", receivedDate: "2025-10-01" },
        ];
      }
    });
    const found = problems(beyond);
    expect(fields(found)).toEqual(["refusal.estimate.aggregatedRequests"]);
    expect(found[0]?.message).toMatch(/within 60 consecutive working days.*these span \d+/);
  });

  it("marks every question refused and carries no exemptions", () => {
    const reply = costRefusal((input) => {
      input.questions.push({ text: "And the number of fines.", decision: "disclosed" });
    });
    expect(fields(problems(reply))).toContain("questions.1.decision");
  });
});

describe("a neither-confirm-nor-deny reply must not confirm or deny", () => {
  it("by disclosing anything", () => {
    const reply = ncndReply((input) => {
      input.disclosure = [{ kind: "text", text: "There are two cameras." }];
    });
    const found = problems(reply);
    expect(fields(found)).toEqual(["disclosure.0"]);
    expect(found[0]?.message).toMatch(/must disclose nothing/);
  });

  it("by saying the information is not held", () => {
    const reply = ncndReply((input) => {
      input.questions[0]!.notHeldExplanation = "We searched the camera register and found nothing.";
    });
    expect(fields(problems(reply))).toEqual(["questions.0.notHeldExplanation"]);
  });

  it("by stating in its reasons that the information is held", () => {
    const reply = ncndReply((input) => {
      input.exemptions![0]!.harm!.reasoning = [
        "The information is held by the surveillance unit and is sensitive.",
      ];
    });
    const found = problems(reply);
    expect(fields(found)).toEqual(["exemptions.0.harm.reasoning.0"]);
    expect(found[0]?.message).toMatch(/"is held" confirms or denies/);
  });

  it("or in the reply's own opening reasons", () => {
    const reply = ncndReply((input) => {
      input.reasons = ["We do not hold a camera register for Mill Lane."];
    });
    expect(fields(problems(reply))).toEqual(["reasons.0"]);
  });

  it("and it needs an exemption that has a neither-confirm-nor-deny provision (s.21 has none)", () => {
    const reply = ncndReply((input) => {
      input.exemptions = [
        { exemptionIds: ["foia-21-1"], questionNumbers: [1], reasons: ["It is published."] },
      ];
      input.advice = [
        {
          purpose: "published-information",
          text: "See our website.",
          link: { url: "https://example.org/", text: "Website" },
        },
      ];
    });
    expect(messages(problems(reply))).toMatch(
      /Section 21\(1\) .* has no provision to neither confirm nor deny/,
    );
  });

  it("FOISA: s.18(1) needs the public-interest test even for an absolute exemption", () => {
    const reply = build({
      regime: "foisa",
      questions: [{ text: "Has my neighbour been reported to the police?", decision: "ncnd" }],
      exemptions: [
        {
          exemptionIds: ["foisa-38-1-b"],
          questionNumbers: [1],
          reasons: ["It would be a third party's personal data."],
        },
      ],
    });
    expect(fields(problems(reply))).toEqual([
      "exemptions.0.publicInterest.favouringDisclosure",
      "exemptions.0.publicInterest.favouringWithholding",
      "exemptions.0.publicInterest.balance",
    ]);
  });

  it("states the harm as that of confirming or denying", () => {
    const html = renderReplyHtml(ncndReply());
    expect(html).toContain(
      "Confirming or denying whether we hold the information would be likely to prejudice the prevention or detection of crime.",
    );
    expect(html).toContain("Section 31(3) Law enforcement");
    expect(html).not.toContain("Disclosure would");
  });

  it("hedged wording is not a confirmation", () => {
    expect(
      confirmingPhrase("Confirming or denying whether any information is held would reveal tactics."),
    ).toBeNull();
    expect(
      confirmingPhrase("Even to say if such records were held would harm the investigation."),
    ).toBeNull();
    expect(confirmingPhrase("The information is held by the unit.")).toBe("is held");
    expect(confirmingPhrase("We do not hold it.")).toBe("We do not hold");
    expect(confirmingPhrase("No records were found.")).toBe("No records were found");
  });
});

describe("the requester's own personal data is a subject access request", () => {
  const ownData = (subjectAccessReference?: string) =>
    build({
      regime: "foia",
      questions: [{ text: "Everything you hold about me.", decision: "withheld", requestersOwnData: true }],
      exemptions: [
        { exemptionIds: ["foia-40-1"], questionNumbers: [1], reasons: ["It is your own personal data."] },
      ],
      subjectAccessReference,
    });

  it("s.40(1) applied without logging the subject access request", () => {
    const found = problems(ownData());
    expect(fields(found)).toEqual(["subjectAccessReference"]);
    expect(found[0]?.message).toMatch(/^This is a subject access request: Section 40\(1\)/);
  });

  it("passes once the subject access request is recorded", () => {
    expect(problems(ownData("01.SAR.26.000007"))).toEqual([]);
  });

  it("s.40(2) (third parties) applied to the requester's own data", () => {
    const reply = build({
      regime: "foia",
      questions: [{ text: "The notes of my interview.", decision: "withheld", requestersOwnData: true }],
      exemptions: [{ exemptionIds: ["foia-40-2"], questionNumbers: [1], reasons: ["Personal data."] }],
    });
    expect(messages(problems(reply))).toMatch(
      /this is a subject access request. The exemption is section 40\(1\), not Section 40\(2\)/,
    );
  });

  it("the requester's own data disclosed under FOIA", () => {
    const reply = build({
      regime: "foia",
      questions: [{ text: "My custody record.", decision: "disclosed", requestersOwnData: true }],
      disclosure: [{ kind: "attachment", fileName: "custody-record.pdf" }],
    });
    expect(messages(problems(reply))).toMatch(/this is a subject access request/);
  });
});

describe("regime mismatches", () => {
  it("an EIR request refused under a FOIA exemption", () => {
    const reply = draftFrom((input) => {
      input.regime = "eir";
    });
    const found = problems(reply);
    expect(found.map((p) => p.field)).toContain("exemptions.0.exemptionIds.0");
    expect(messages(found)).toMatch(
      /This is an environmental information request: Section 31\(1\)\(a\) Law enforcement is in the Freedom of Information Act 2000/,
    );
  });

  it("a FOIA request citing an EIR exception", () => {
    const reply = build({
      regime: "foia",
      questions: [{ text: "The legal advice on the bypass.", decision: "withheld" }],
      exemptions: [
        {
          exemptionIds: ["eir-12-5-b"],
          questionNumbers: [1],
          harm: {
            interest: "the course of justice",
            likelihood: "would",
            reasoning: ["Litigation is live."],
          },
          publicInterest: { favouringDisclosure: ["a"], favouringWithholding: ["b"], balance: "c" },
        },
      ],
    });
    expect(messages(problems(reply))).toMatch(
      /This is a FOIA request: Regulation 12\(5\)\(b\) .* is an EIR exception/,
    );
  });

  it("a FOISA request citing FOIA, and a FOIA request citing FOISA", () => {
    const foisa = draftFrom((input) => {
      input.regime = "foisa";
    });
    expect(messages(problems(foisa))).toMatch(
      /This is a FOISA request: Section 31\(1\)\(a\) Law enforcement is in the Freedom of Information Act 2000/,
    );
    const foia = draftFrom((input) => {
      input.exemptions![0]!.exemptionIds = ["foisa-35-1-a", "foisa-35-1-b"];
    });
    expect(messages(problems(foia))).toMatch(
      /This is a FOIA request: Section 35\(1\)\(a\) Law enforcement is in the Freedom of Information \(Scotland\) Act 2002/,
    );
  });
});

describe("section 36 needs the qualified person's opinion", () => {
  const s36 = (change: (input: ReplyInput) => void = () => {}) => {
    const input: ReplyInput = {
      ...base,
      regime: "foia",
      questions: [
        { text: "The minutes of the chief officers' meeting on the merger.", decision: "withheld" },
      ],
      exemptions: [
        {
          exemptionIds: ["foia-36-2-b-ii"],
          questionNumbers: [1],
          harm: {
            interest: "the free and frank exchange of views for the purposes of deliberation",
            likelihood: "would-be-likely-to",
            reasoning: ["The discussion is still live."],
          },
          publicInterest: { favouringDisclosure: ["a"], favouringWithholding: ["b"], balance: "c" },
          qualifiedPersonOpinion: {
            name: "Chief Constable",
            role: "Qualified person",
            date: "2026-03-10",
            likelihood: "would-be-likely-to",
          },
        },
      ],
    };
    change(input);
    return replySchema.parse(input);
  };

  it("passes with the opinion recorded before the reply", () => {
    expect(problems(s36())).toEqual([]);
  });

  it("is refused without the opinion", () => {
    const found = problems(s36((input) => delete input.exemptions![0]!.qualifiedPersonOpinion));
    expect(fields(found)).toEqual(["exemptions.0.qualifiedPersonOpinion"]);
    expect(found[0]?.message).toMatch(/reasonable opinion of the qualified person/);
  });

  it("is refused when the opinion post-dates the reply, or differs from the stated likelihood", () => {
    expect(
      fields(problems(s36((input) => (input.exemptions![0]!.qualifiedPersonOpinion!.date = "2026-03-13")))),
    ).toEqual(["exemptions.0.qualifiedPersonOpinion.date"]);
    expect(
      fields(problems(s36((input) => (input.exemptions![0]!.qualifiedPersonOpinion!.likelihood = "would")))),
    ).toEqual(["exemptions.0.harm.likelihood"]);
  });
});

describe("absolute exemptions carry no public-interest test", () => {
  it("flags a public-interest balance on an absolute exemption", () => {
    const reply = draftFrom((input) => {
      input.exemptions = [
        {
          exemptionIds: ["foia-40-2"],
          questionNumbers: [1, 2],
          reasons: ["The names are personal data."],
          publicInterest: {
            favouringDisclosure: ["Transparency."],
            favouringWithholding: ["Privacy."],
            balance: "Withhold.",
          },
        },
      ];
    });
    const found = problems(reply);
    expect(fields(found)).toEqual(["exemptions.0.publicInterest"]);
    expect(found[0]?.message).toMatch(/is absolute: remove the public-interest factors/);
  });
});

describe("the EIR's own rules", () => {
  it("information on emissions cannot be refused under reg 12(5)(d)–(g) (reg 12(9))", () => {
    const reply = build({
      regime: "eir",
      questions: [
        {
          text: "The plant's sulphur dioxide emissions in 2025.",
          decision: "withheld",
          concernsEmissions: true,
        },
      ],
      exemptions: [
        {
          exemptionIds: ["eir-12-5-e"],
          questionNumbers: [1],
          harm: {
            interest: "commercial confidentiality",
            likelihood: "would",
            reasoning: ["Competitors would learn output."],
          },
          publicInterest: { favouringDisclosure: ["a"], favouringWithholding: ["b"], balance: "c" },
        },
      ],
    });
    expect(messages(problems(reply))).toMatch(
      /concerns information on emissions, which cannot be refused under Regulation 12\(5\)\(e\)/,
    );
  });

  it("'not held' is refused under reg 12(4)(a)", () => {
    const reply = build({
      regime: "eir",
      questions: [{ text: "Readings from 2019.", decision: "not-held" }],
    });
    expect(messages(problems(reply))).toMatch(/apply that exception to question 1/);
  });
});

describe("what is disclosed must match the decisions", () => {
  it("a partly disclosed answer with nothing under Disclosure", () => {
    const reply = draftFrom((input) => {
      input.disclosure = [];
    });
    expect(fields(problems(reply))).toEqual(["disclosure"]);
  });

  it("a table row with the wrong number of cells", () => {
    const reply = draftFrom((input) => {
      const table = input.disclosure![1];
      if (table?.kind === "table") table.rows.push(["Only one cell"]);
    });
    expect(fields(problems(reply))).toEqual(["disclosure.1.rows.2"]);
  });

  it("a reply dated before the request arrived", () => {
    const reply = draftFrom((input) => {
      input.date = "2026-02-19";
    });
    expect(fields(problems(reply))).toEqual(["date"]);
  });
});

describe("assertReplyReady", () => {
  it("throws one invalid domain error listing every problem", () => {
    const reply = draftFrom((input) => {
      input.exemptions = [];
    });
    try {
      assertReplyReady(reply, context);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error) && error.code).toBe("invalid");
      expect(isDomainError(error) && error.problems.length).toBe(2);
    }
  });
});

describe("a reply under the Environmental Information (Scotland) Regulations 2004", () => {
  const eisrBase = { ...base, reference: "01.EISR.26.000007" };
  const courseOfJustice = (exemptionIds: string[], change: (input: ReplyInput) => void = () => {}) => {
    const input: ReplyInput = {
      ...eisrBase,
      regime: "eisr",
      questions: [
        { text: "The legal advice on the enforcement notice at the quarry.", decision: "withheld" },
      ],
      exemptions: [
        {
          exemptionIds,
          questionNumbers: [1],
          harm: {
            interest: "the course of justice",
            likelihood: "would-be-likely-to",
            reasoning: ["The notice is under appeal to the sheriff court and the advice is privileged."],
          },
          publicInterest: {
            favouringDisclosure: ["Transparency about enforcement."],
            favouringWithholding: ["Lawyer and client must be able to speak freely."],
            balance: "The presumption in favour of disclosure is outweighed while the appeal is live.",
          },
        },
      ],
    };
    change(input);
    return replySchema.parse(input);
  };

  it("is a complete refusal notice citing reg 10(5)(b), which allows 'would be likely to' (substantial prejudice)", () => {
    expect(problems(courseOfJustice(["eisr-10-5-b"]))).toEqual([]);
  });

  it("refuses an EIR 2004 exception and names the Scottish one", () => {
    const found = problems(courseOfJustice(["eir-12-5-b"]));
    expect(fields(found)).toEqual(["exemptions.0.exemptionIds.0"]);
    expect(messages(found)).toBe(
      "This is an environmental information request under the Environmental Information (Scotland) Regulations 2004: Regulation 12(5)(b) The course of justice is an exception in the EIR for England, Wales and Northern Ireland. Use Regulation 10(5)(b) The course of justice instead.",
    );
  });

  it("refuses a FOISA exemption: the exceptions are in regulations 10 and 11", () => {
    const found = problems(courseOfJustice(["foisa-35-1-a"]));
    expect(messages(found)).toMatch(
      /Section 35\(1\)\(a\) Law enforcement is in the Freedom of Information \(Scotland\) Act 2002\. Refuse under the EISR exceptions \(regulations 10 and 11\) instead/,
    );
  });

  it("a FOISA request citing an EIR 2004 exception is pointed to the EISR, with the exception there", () => {
    const foisa = courseOfJustice(["eir-12-5-b"], (input) => {
      input.regime = "foisa";
    });
    expect(messages(problems(foisa))).toBe(
      "This is a FOISA request: Regulation 12(5)(b) The course of justice is an exception in the EIR for England, Wales and Northern Ireland. If the information is environmental, cite section 39(2) and deal with the request under the Environmental Information (Scotland) Regulations 2004 (log it as an EISR request), where the exception is Regulation 10(5)(b) The course of justice; otherwise use a FOISA exemption.",
    );
  });

  it("information not held is refused under reg 10(4)(a)", () => {
    const notHeld = (exemptions: ReplyInput["exemptions"]) =>
      build({
        ...eisrBase,
        regime: "eisr",
        questions: [
          {
            text: "Water quality samples from the loch in 2019.",
            decision: "not-held",
            notHeldExplanation: "Sampling at the loch began in 2021.",
          },
        ],
        exemptions,
      });
    expect(messages(problems(notHeld([])))).toBe(
      "Under the EISR, information that is not held is refused under regulation 10(4)(a): apply that exception to question 1",
    );
    expect(problems(notHeld([{ exemptionIds: ["eisr-10-4-a"], questionNumbers: [1] }]))).toEqual([]);
  });

  it("reg 10(5)(d)–(g) cannot refuse information on emissions (reg 10(6))", () => {
    const emissions = courseOfJustice(["eisr-10-5-e"], (input) => {
      input.questions[0]!.concernsEmissions = true;
      input.exemptions![0]!.harm!.interest = "the confidentiality of commercial information";
    });
    expect(messages(problems(emissions))).toMatch(
      /concerns information on emissions, which cannot be refused under Regulation 10\(5\)\(e\) .* \(regulation 10\(6\)\)/,
    );
  });

  it("neither confirm nor deny only under reg 10(8) and reg 11(6)", () => {
    const ncnd = courseOfJustice(["eisr-10-5-b"], (input) => {
      input.questions[0]!.decision = "ncnd";
      input.exemptions![0]!.harm!.reasoning = ["Saying whether advice exists would reveal the strategy."];
    });
    expect(messages(problems(ncnd))).toMatch(
      /Regulation 10\(5\)\(b\) The course of justice has no neither-confirm-nor-deny provision: under the EISR only regulation 10\(5\)\(a\) \(by regulation 10\(8\)\) and regulation 11 \(by regulation 11\(6\)\) allow it/,
    );
  });

  it("a manifestly unreasonable refusal on cost has no limit to exceed but needs narrowing advice (reg 9)", () => {
    const refusal = costRefusal((input) => {
      const cost = input.refusal as Extract<NonNullable<ReplyInput["refusal"]>, { ground: "cost" }>;
      input.regime = "eisr";
      delete cost.estimate?.limitPence;
      cost.publicInterest = {
        favouringDisclosure: ["Scrutiny of noise enforcement."],
        favouringWithholding: ["The burden would divert the team from inspections."],
        balance: "The burden outweighs the presumption in favour of disclosure.",
      };
    });
    expect(problems(refusal)).toEqual([]);
    const withoutAdvice = replySchema.parse({ ...refusal, advice: [] });
    expect(messages(problems(withoutAdvice))).toMatch(/narrow the request .* \(regulation 9\)/);
  });
});
