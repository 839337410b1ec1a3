import { describe, expect, it } from "vitest";
import { replyBlocks, runsText } from "./document.ts";
import { sampleReply } from "./examples/outcomes.ts";
import { replyEmailSubject, replyPlainText } from "./plain-text.ts";
import { parseReply } from "./reply.ts";
import { validateReply } from "./validate.ts";

// The internal review's letter is a reply with a review section: the decision and its reasons, then where the
// request stands, and only the regulator left to go to (FOIA s.50; FOISA s.47(1) and s.56).

const costLimitPence = 45_000;

function reviewLetter(regime: "foia" | "foisa" | "eisr", review: Record<string, unknown>, disclosure = []) {
  const reply = sampleReply(
    {
      reference: "01.X.26.000001",
      regime,
      received_date: "2026-01-05",
      body: "How many gangs are known?",
      topic: null,
      outcome: "withheld-in-full",
      requester_name: "Priya Raman",
      requester_email: "priya@example.org",
      requester_address: null,
    },
    "2026-03-10",
  );
  return parseReply({
    ...reply,
    disclosure,
    review: { requestedDate: "2026-02-10", replyDate: "2026-02-02", ...review },
  });
}

const text = (letter: ReturnType<typeof reviewLetter>) =>
  replyBlocks(letter)
    .map((block) =>
      block.kind === "paragraph" ? runsText(block.runs) : block.kind === "heading" ? block.text : "",
    )
    .join("\n");

describe("the review letter", () => {
  it("states the decision and reasons, and gives FOISA's s.47 and s.56 rights, not another review", () => {
    const letter = reviewLetter("foisa", { outcome: "upheld", reasons: ["The exemption still applies."] });
    const words = text(letter);
    expect(words).toContain("Internal review decision");
    expect(words).toContain(
      "On 10 February 2026 you asked us to review our reply of 2 February 2026. The review was carried out by someone who was not involved in the original decision.",
    );
    expect(words).toContain("We have upheld the original decision.");
    expect(words).toContain("The exemption still applies.");
    expect(words).toContain("Scottish Information Commissioner for a decision under section 47(1)");
    expect(words).toContain("Court of Session on a point of law only (section 56");
    expect(words).not.toContain("you may ask us to review our decision");
    expect(replyPlainText(letter)).toContain("No further information is disclosed with this response.");
  });

  it("gives FOIA's s.50 right to the Information Commissioner", () => {
    const words = text(reviewLetter("foia", { outcome: "upheld", reasons: ["Right first time."] }));
    expect(words).toContain("apply to the Information Commissioner under section 50");
    expect(words).not.toContain("you may ask for an internal review");
  });

  it("is emailed as the result of the internal review, not as the reply", () => {
    const letter = reviewLetter("foia", { outcome: "upheld", reasons: ["Right first time."] });
    expect(replyEmailSubject(letter)).toBe(
      "The result of the internal review of your request 01.X.26.000001",
    );
    expect(replyEmailSubject({ ...letter, review: undefined })).toBe(
      "Our reply to your request 01.X.26.000001",
    );
  });

  it("refuses a letter whose decision does not match what it does", () => {
    const problems = (review: Record<string, unknown>, disclosure: never[] = []) =>
      validateReply(reviewLetter("foia", review, disclosure), { costLimitPence }).map((p) => p.message);
    expect(problems({ reasons: [] })).toEqual([
      "Choose the review decision: upheld, partly overturned or overturned",
      "Give the reasons for the review decision: the requester is told why the original decision stands or was changed (s.45 code of practice, part 5)",
    ]);
    const newly = [{ kind: "text", text: "There are 14.", questionNumbers: [1] }] as never[];
    expect(problems({ outcome: "upheld", reasons: ["x"] }, newly)).toContain(
      "The decision is upheld, yet the letter discloses information: choose partly overturned, or remove the disclosure",
    );
    expect(problems({ outcome: "partly-overturned", reasons: ["x"] })).toEqual([
      "The decision is overturned: add what is now disclosed under Disclosure, or say what happens next (for example, a new reply by a date)",
    ]);
    expect(
      problems({ outcome: "partly-overturned", reasons: ["x"], nextSteps: "A new reply by 1 April." }),
    ).toEqual([]);
  });
});
