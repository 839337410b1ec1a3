import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Exemption,
  environmentalProvisions,
  exemptions,
  informationRegimes,
  isEnvironmental,
} from "../law/index.ts";
import { renderReplyHtml } from "./html.ts";
import { replyCitations } from "./outcome.ts";
import { type Decision, type Reply, type ReplyInput, replySchema } from "./reply.ts";
import { validateReply } from "./validate.ts";

// Random drafts, most of them carefully filled in, some with an exemption from the wrong regime or a
// question left uncovered: whatever validates must be a lawful refusal notice in these respects.

const notHeldExceptions: readonly string[] = Object.values(environmentalProvisions).map((law) => law.notHeld);
const usable = exemptions.filter((entry) => !notHeldExceptions.includes(entry.id));

function applicationFor(
  entry: Exemption,
  questionNumbers: number[],
): NonNullable<ReplyInput["exemptions"]>[number] {
  return {
    exemptionIds: [entry.id],
    questionNumbers,
    reasons: ["The information falls within the exemption because of what it records."],
    ...(entry.harm
      ? {
          harm: {
            interest: entry.harm.interest,
            likelihood: entry.harm.likelihoods.includes("would-be-likely-to")
              ? "would-be-likely-to"
              : "would",
            reasoning: [
              "Disclosure would give people intent on harm a detailed picture they do not now have.",
            ],
          },
        }
      : {}),
    ...(entry.publicInterestTest
      ? {
          publicInterest: {
            favouringDisclosure: ["Transparency about how the authority works."],
            favouringWithholding: ["Protecting the interest the exemption serves."],
            balance: "The balance favours maintaining the exemption.",
          },
        }
      : {}),
    ...(entry.needsQualifiedPersonOpinion
      ? { qualifiedPersonOpinion: { name: "Chief Executive", role: "Qualified person", date: "2026-03-01" } }
      : {}),
  };
}

const draft = fc
  .record({
    regime: fc.constantFrom(...informationRegimes),
    decisions: fc.array(fc.constantFrom<Decision>("disclosed", "partly", "withheld", "not-held"), {
      minLength: 1,
      maxLength: 4,
    }),
    picks: fc.array(
      fc.record({
        sameRegime: fc.integer({ min: 0, max: 9 }),
        index: fc.nat(),
        questions: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
      }),
      { maxLength: 4 },
    ),
    notHeldException: fc.boolean(),
    subjectAccess: fc.boolean(),
  })
  .map(({ regime, decisions, picks, notHeldException, subjectAccess }): Reply => {
    const own = usable.filter((entry) => entry.regime === regime);
    const exemptionsApplied = picks.map(({ sameRegime, index, questions }) => {
      const pool = sameRegime > 0 ? own : usable;
      const entry = pool[index % pool.length] as Exemption;
      const asked = [...new Set(questions)].filter((n) => n <= decisions.length);
      // Mostly aimed at withheld questions, sometimes at any (which validation must catch).
      const aimed = asked.filter((n) => ["withheld", "partly"].includes(decisions[n - 1] ?? ""));
      return applicationFor(entry, sameRegime > 1 && aimed.length > 0 ? aimed : asked);
    });
    const notHeld = decisions.flatMap((decision, i) => (decision === "not-held" ? [i + 1] : []));
    if (isEnvironmental(regime) && notHeldException && notHeld.length > 0) {
      exemptionsApplied.push({
        exemptionIds: [environmentalProvisions[regime].notHeld],
        questionNumbers: notHeld,
        reasons: ["Not held."],
      });
    }
    const disclosing = decisions.some((d) => d === "disclosed" || d === "partly");
    return replySchema.parse({
      reference: "01.FOI.26.000200",
      regime,
      date: "2026-03-12",
      receivedDate: "2026-02-20",
      requester: { name: "Sam Doe" },
      questions: decisions.map((decision, i) => ({ text: `Question ${i + 1}`, decision })),
      exemptions: exemptionsApplied,
      disclosure: disclosing ? [{ kind: "text", text: "The figures are attached." }] : [],
      advice: [
        {
          purpose: "published-information",
          text: "Related figures are published.",
          link: { url: "https://example.org/figures", text: "Published figures" },
        },
      ],
      ...(subjectAccess ? { subjectAccessReference: "01.SAR.26.000001" } : {}),
    });
  });

describe("every reply that validates", () => {
  it("withholds each withheld question under at least one exemption of its own regime, and cites it", () => {
    let valid = 0;
    fc.assert(
      fc.property(draft, (reply) => {
        if (validateReply(reply, { costLimitPence: 45_000 }).length > 0) return;
        if (reply.questions.some((q) => q.decision === "withheld" || q.decision === "partly")) valid += 1;
        reply.questions.forEach((question, i) => {
          if (question.decision !== "withheld" && question.decision !== "partly") return;
          const covering = reply.exemptions.filter((application) =>
            application.questionNumbers.includes(i + 1),
          );
          expect(covering.length).toBeGreaterThan(0);
          for (const application of covering) {
            for (const id of application.exemptionIds)
              expect(id.startsWith(`${reply.regime}-`), id).toBe(true);
          }
        });
        const html = renderReplyHtml(reply).replace(/&#39;/g, "'");
        for (const citation of replyCitations(reply)) expect(html).toContain(citation);
      }),
      { numRuns: 1000 },
    );
    // Not vacuous: a fair share of the drafts that withhold something are complete.
    expect(valid).toBeGreaterThan(40); // about 90 in 1,000 on average
  });

  it("and a draft with an exemption from another regime never validates", () => {
    fc.assert(
      fc.property(draft, (reply) => {
        const foreign = reply.exemptions.some((application) =>
          application.exemptionIds.some((id) => !id.startsWith(`${reply.regime}-`)),
        );
        if (foreign) expect(validateReply(reply, { costLimitPence: 45_000 }).length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
