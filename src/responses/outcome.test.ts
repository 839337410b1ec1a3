import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gangsReply } from "./examples/gangs.ts";
import { decisionSentence, isRefusalNotice, replyCitations, replyOutcome } from "./outcome.ts";
import { type Decision, type Reply, replySchema } from "./reply.ts";

function withDecisions(regime: Reply["regime"], decisions: Decision[], extra: Partial<Reply> = {}): Reply {
  return replySchema.parse({
    reference: "R1",
    regime,
    date: "2026-03-12",
    receivedDate: "2026-02-20",
    requester: { name: "A Person" },
    questions: decisions.map((decision, i) => ({ text: `Question ${i + 1}`, decision })),
    ...extra,
  });
}

describe("outcome", () => {
  it("the gangs reply is a partial refusal and a refusal notice", () => {
    expect(replyOutcome(gangsReply)).toBe("partially-withheld");
    expect(isRefusalNotice(gangsReply)).toBe(true);
    expect(replyCitations(gangsReply)).toEqual(["Section 31(1)(a)(b) Law enforcement"]);
  });

  it("follows the decisions on each question", () => {
    const cases: [Decision[], string][] = [
      [["disclosed", "disclosed"], "granted-in-full"],
      [["disclosed", "not-held"], "granted-in-full"],
      [["not-held"], "not-held"],
      [["withheld", "withheld"], "withheld-in-full"],
      [["withheld", "not-held"], "withheld-in-full"],
      [["disclosed", "withheld"], "partially-withheld"],
      [["partly"], "partially-withheld"],
      [["disclosed", "ncnd"], "partially-withheld"],
      [["ncnd"], "ncnd"],
      [["ncnd", "not-held"], "ncnd"],
      [["withheld", "ncnd"], "withheld-in-full"],
    ];
    for (const [decisions, outcome] of cases) {
      expect(replyOutcome(withDecisions("foia", decisions)), decisions.join(",")).toBe(outcome);
    }
  });

  it("a whole-request refusal decides the outcome", () => {
    for (const ground of ["cost", "vexatious", "repeated"] as const) {
      const reply = withDecisions("foia", ["refused"], {
        refusal: { ground, reasons: [] } as Reply["refusal"],
      });
      expect(replyOutcome(reply)).toBe(`refused-${ground}`);
      expect(isRefusalNotice(reply)).toBe(true);
    }
  });

  it("a refusal notice is due whenever anything is withheld, and for EIR and EISR 'not held' too", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("foia", "eir", "foisa", "eisr" as const),
        fc.array(fc.constantFrom<Decision>("disclosed", "partly", "withheld", "not-held", "ncnd"), {
          minLength: 1,
          maxLength: 6,
        }),
        (regime, decisions) => {
          const reply = withDecisions(regime, decisions);
          const outcome = replyOutcome(reply);
          const withholds = ["partially-withheld", "withheld-in-full", "ncnd"].includes(outcome);
          const eirNotHeld = (regime === "eir" || regime === "eisr") && decisions.includes("not-held");
          expect(isRefusalNotice(reply)).toBe(withholds || eirNotHeld);
          expect(decisionSentence(reply).endsWith(":")).toBe(isRefusalNotice(reply));
        },
      ),
    );
  });
});

describe("the decision sentence", () => {
  it("a partial refusal under FOIA is a section 17 refusal notice", () => {
    expect(decisionSentence(gangsReply)).toBe(
      "I have today decided to disclose some of the requested information. The rest is exempt from disclosure. This response therefore serves as a Refusal Notice under section 17 of the Freedom of Information Act 2000 (the Act) by virtue of the following exemptions:",
    );
  });

  it("disclosure in full, and disclosure of what is held", () => {
    expect(decisionSentence(withDecisions("foia", ["disclosed"]))).toBe(
      "I have today decided to disclose the requested information.",
    );
    expect(decisionSentence(withDecisions("foia", ["disclosed", "not-held"]))).toBe(
      "I have today decided to disclose the requested information that we hold. We do not hold some of the information you asked for.",
    );
  });

  it("under the EIR, 'not held' is refused under reg 12(4)(a) in a reg 14 notice", () => {
    expect(decisionSentence(withDecisions("eir", ["not-held"]))).toBe(
      "I can confirm that we do not hold the requested information. Under the Regulations, not holding information is an exception to disclosure (regulation 12(4)(a)). This response therefore serves as a Refusal Notice under regulation 14 of the Environmental Information Regulations 2004 (the Regulations) by virtue of the following exceptions:",
    );
  });

  it("under FOISA, 'not held' is a section 17 notice", () => {
    const reply = withDecisions("foisa", ["not-held"]);
    expect(decisionSentence(reply)).toBe(
      "I can confirm that we do not hold the requested information. This response serves as notice under section 17(1) of the Freedom of Information (Scotland) Act 2002 (the Act) that we do not hold the information.",
    );
    expect(isRefusalNotice(reply)).toBe(false);
  });

  it("neither confirm nor deny cites the NCND provisions", () => {
    const foia = withDecisions("foia", ["ncnd"], {
      exemptions: [{ exemptionIds: ["foia-31-1-a"], questionNumbers: [1] }] as Reply["exemptions"],
    });
    expect(decisionSentence(foia)).toBe(
      "I can neither confirm nor deny whether we hold the requested information. This response therefore serves as a Refusal Notice under section 17 of the Freedom of Information Act 2000 (the Act) by virtue of the following provisions:",
    );
    expect(replyCitations(foia)).toEqual(["Section 31(3) Law enforcement"]);
    const foisa = withDecisions("foisa", ["ncnd"], {
      exemptions: [{ exemptionIds: ["foisa-35-1-a"], questionNumbers: [1] }] as Reply["exemptions"],
    });
    expect(decisionSentence(foisa)).toMatch(
      /section 16 of the Freedom of Information \(Scotland\) Act 2002 \(the Act\), read with section 18\(1\),/,
    );
    expect(replyCitations(foisa)).toEqual(["Section 18(1), with Section 35(1)(a) Law enforcement"]);
  });

  it("cost, vexatious and repeated refusals name their provision and notice", () => {
    const cost = withDecisions("foia", ["refused"], {
      refusal: {
        ground: "cost",
        reasons: [],
        estimate: { lines: [], limitPence: 45_000, aggregatedRequests: [] },
      },
    });
    expect(decisionSentence(cost)).toBe(
      "I have today decided to refuse your request because the cost of complying with it would exceed the appropriate limit of £450 under section 12 of the Freedom of Information Act 2000 (the Act). This response serves as a Refusal Notice under section 17(5) of the Act.",
    );
    const foisaCost = withDecisions("foisa", ["refused"], { refusal: { ground: "cost", reasons: [] } });
    expect(decisionSentence(foisaCost)).toMatch(
      /exceed £600, the amount prescribed under section 12 .* section 16\(4\) of the Act\.$/,
    );
    const vexatious = withDecisions("foia", ["refused"], { refusal: { ground: "vexatious", reasons: [] } });
    expect(decisionSentence(vexatious)).toMatch(
      /vexatious under section 14\(1\) of the Freedom of Information Act 2000/,
    );
    const repeated = withDecisions("foia", ["refused"], {
      refusal: {
        ground: "repeated",
        reasons: [],
        previousRequest: { reference: "01.FOI.25.000321", answeredDate: "2025-11-03" },
      },
    });
    expect(decisionSentence(repeated)).toMatch(
      /your earlier request 01\.FOI\.25\.000321, which we answered on 3 November 2025, .*section 14\(2\)/,
    );
    const eir = withDecisions("eir", ["refused"], { refusal: { ground: "cost", reasons: [] } });
    expect(decisionSentence(eir)).toMatch(
      /manifestly unreasonable under regulation 12\(4\)\(b\).*regulation 14 of the Regulations\.$/,
    );
    expect(replyCitations(eir)).toEqual(["Regulation 12(4)(b) Manifestly unreasonable request"]);
    const eisr = withDecisions("eisr", ["refused"], { refusal: { ground: "vexatious", reasons: [] } });
    expect(decisionSentence(eisr)).toBe(
      "I have today decided to refuse your request as manifestly unreasonable under regulation 10(4)(b) of the Environmental Information (Scotland) Regulations 2004 (the Regulations), because it is vexatious. This response serves as a Refusal Notice under regulation 13 of the Regulations.",
    );
    expect(replyCitations(eisr)).toEqual(["Regulation 10(4)(b) Manifestly unreasonable request"]);
  });
});
