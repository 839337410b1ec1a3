import { describe, expect, it } from "vitest";
import { isDomainError } from "../errors.ts";
import { gangsReplyInput } from "./examples/gangs.ts";
import { isIsoDate, parseReply, replySchema } from "./reply.ts";

describe("the reply schema (a draft)", () => {
  it("fills defaults so a draft can be saved with little in it", () => {
    const reply = parseReply({
      reference: "01.FOI.26.000001",
      regime: "foia",
      date: "2026-03-12",
      receivedDate: "2026-03-01",
      requester: {},
      questions: [{ text: "How many?", decision: "disclosed" }],
    });
    expect(reply).toMatchObject({
      exemptions: [],
      disclosure: [],
      advice: [],
      reasons: [],
      requester: { name: "" },
      questions: [{ concernsEmissions: false, requestersOwnData: false }],
    });
  });

  it("parses the gangs example", () => {
    expect(replySchema.safeParse(gangsReplyInput).success).toBe(true);
  });

  it("names every bad field in one domain error", () => {
    try {
      parseReply({
        reference: "",
        regime: "sar",
        date: "2026-02-30",
        receivedDate: "2026-02-01",
        requester: {},
        questions: [{ text: "Q", decision: "maybe" }],
        advice: [{ text: "See", link: { url: "ftp://example.org/file", text: "file" } }],
      });
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error)).toBe(true);
      if (!isDomainError(error)) return;
      expect(error.problems.map((p) => p.field).sort()).toEqual(
        ["advice.0.link.url", "date", "questions.0.decision", "reference", "regime"].sort(),
      );
      expect(error.problems.find((p) => p.field === "date")?.message).toBe(
        "Enter a real date, like 2026-03-12",
      );
    }
  });

  it("knows real dates", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2025-02-29")).toBe(false);
    expect(isIsoDate("2100-02-29")).toBe(false);
    expect(isIsoDate("2000-02-29")).toBe(true);
    expect(isIsoDate("2026-13-01")).toBe(false);
    expect(isIsoDate("26-01-01")).toBe(false);
  });
});
