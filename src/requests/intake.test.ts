import { describe, expect, it } from "vitest";
import { parseInput } from "../errors.ts";
import { newRequestSchema, requestValidity, submissionSchema, validityProblems } from "./index.ts";

// One validity rule for every channel: what staff record as the reasons a request is invalid and what the
// API refuses, field by field, come from the same list.

const received = (input: Record<string, unknown>) =>
  parseInput(newRequestSchema, { receivedDate: "2026-03-02", body: "Gritting routes for 2025", ...input });

describe("request validity (FOIA s.8, EIR reg 5, UK GDPR Art.15)", () => {
  it("needs a FOIA request in writing, with a name, an address and a description", () => {
    const spoken = received({ regime: "foia", channel: "phone", body: "", requester: {} });
    expect(requestValidity(spoken).map((problem) => problem.field)).toEqual([
      "channel",
      "requester.name",
      "requester.email",
      "body",
    ]);
    expect(validityProblems(spoken)).toEqual([
      "A FOIA s.8(1)(a) request must be made in writing",
      "The request does not state the requester's name (s.8(1)(b))",
      "The request gives no address for correspondence (s.8(1)(b))",
      "The request does not describe the information requested (s.8(1)(c))",
    ]);
    const written = received({
      regime: "foia",
      channel: "email",
      requester: { name: "Ann", email: "a@x.org" },
    });
    expect(requestValidity(written)).toEqual([]);
  });

  it("takes an environmental request by phone and with no name, but not with no way to reply", () => {
    const spoken = received({ regime: "eir", channel: "phone", requester: { address: "4 River Road" } });
    expect(requestValidity(spoken)).toEqual([]);
    const nowhere = received({ regime: "eisr", channel: "phone", requester: {} });
    expect(validityProblems(nowhere)).toEqual(["The request gives no way to send a reply"]);
  });

  it("needs a subject access request to say who the person is and where to reply", () => {
    const bare = received({ regime: "sar", channel: "post", requester: {} });
    expect(validityProblems(bare)).toEqual([
      "A subject access request must say who the person is",
      "A subject access request needs an address to reply to",
    ]);
  });

  it("refuses online what it would record as invalid, asking for each field the rule names", () => {
    const input = { regime: "sar", requester: {}, body: "" };
    const refused = submissionSchema.safeParse(input);
    expect(refused.success).toBe(false);
    const asked = refused.error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(asked).toEqual([
      ["requester.name", "Give the requester's name"],
      ["requester.email", "Give an email address or a postal address for the reply"],
      ["body", "Describe the information requested"],
    ]);
    const fields = requestValidity(received({ ...input, channel: "api" })).map((problem) => problem.field);
    expect(asked?.map(([field]) => field)).toEqual(fields);
    // Staff logging a request from the post record it, invalid, rather than refuse it.
    expect(submissionSchema.safeParse({ ...input, channel: "post" }).success).toBe(true);
  });
});
