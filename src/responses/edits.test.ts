import { describe, expect, it } from "vitest";
import { reviewLetterStart, withAdvice, withRefusal } from "./edits.ts";
import type { ReplyInput } from "./reply.ts";

// The edits other modules make to a draft reply: advice linking to a published table, a refusal decided by a
// release policy, the review letter's first draft.

const draft = (extra: Partial<ReplyInput> = {}) =>
  ({
    reference: "FOI-1",
    regime: "foia",
    receivedDate: "2026-01-05",
    date: "2026-01-20",
    requester: { name: "Priya Raman" },
    questions: [{ text: "How many gangs?" }, { text: "By borough?", decision: "disclosed" }],
    signOff: { name: "Olivia Okafor", jobTitle: "" },
    ...extra,
  }) as ReplyInput;

const link = { url: "https://foi.example/statistics/7", text: "Known gangs by age band" };
const advice = { purpose: "published-information" as const, text: "We have published a table.", link };

describe("edits of a draft reply", () => {
  it("adds advice linking to a page once, leaving the draft it was given unchanged", () => {
    const before = draft();
    const once = withAdvice(before, advice);
    expect(once.advice).toEqual([advice]);
    expect(withAdvice(once, { ...advice, text: "Again." }).advice).toEqual([advice]);
    expect(before.advice).toBeUndefined();
  });

  it("applies a prejudice-based exemption with the policy's reason as harm reasoning, and withholds undecided questions", () => {
    const refusal = {
      exemptionIds: ["foia-31-1-b", "foia-31-1-a"],
      reason: "Small counts by borough would identify people.",
      harm: { interest: "the prevention or detection of crime", likelihood: "would-be-likely-to" as const },
      publicInterest: { favouringDisclosure: ["Openness."], favouringWithholding: ["Safety."], balance: "" },
    };
    const before = draft();
    const after = withRefusal(before, refusal, 2);
    expect(after.exemptions).toEqual([
      {
        exemptionIds: ["foia-31-1-a", "foia-31-1-b"],
        questionNumbers: [1, 2],
        harm: {
          interest: "the prevention or detection of crime",
          likelihood: "would-be-likely-to",
          reasoning: ["Small counts by borough would identify people."],
        },
        publicInterest: refusal.publicInterest,
      },
    ]);
    expect(after.questions?.map((question) => question.decision)).toEqual(["withheld", "disclosed"]);
    // Applied again, the same exemptions are not listed twice and the reason is not repeated.
    expect(withRefusal(after, refusal, 2).exemptions).toEqual(after.exemptions);
    expect(before.exemptions).toBeUndefined();
  });

  it("gives a class-based exemption the reason as why it applies, keeping the officer's public-interest test", () => {
    const weighed = { favouringDisclosure: [], favouringWithholding: [], balance: "The officer's balance." };
    const before = draft({ exemptions: [{ exemptionIds: ["foia-21-1"], publicInterest: weighed }] });
    const after = withRefusal(
      before,
      {
        exemptionIds: ["foia-21-1"],
        reason: "The figures are published.",
        publicInterest: { favouringDisclosure: ["x"], favouringWithholding: [], balance: "y" },
      },
      1,
    );
    expect(after.exemptions).toEqual([
      { exemptionIds: ["foia-21-1"], publicInterest: weighed, reasons: ["The figures are published."] },
    ]);
  });

  it("starts the review letter from the decisions and reasons of the reply under review", () => {
    const reviewed = draft({ reasons: ["Why."], advice: [advice], disclosure: [] });
    expect(reviewLetterStart(reviewed)).toEqual({
      questions: reviewed.questions,
      exemptions: undefined,
      refusal: undefined,
      reasons: ["Why."],
      advice: [advice],
      subjectAccessReference: undefined,
    });
  });
});
