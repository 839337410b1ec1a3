import { describe, expect, it } from "vitest";
import { type ClockedRequest, currentDeadline } from "./clock.ts";

const settings = { receiptReading: "ico" as const };

describe("the deadline that matters now", () => {
  const underReview = (regime: string): ClockedRequest => ({
    regime,
    state: "review-requested",
    receivedDate: "2025-02-03",
    clock: [],
    reviewReceivedDate: "2025-04-01",
  });

  it("times an EISR review by reg 16(4): 20 Scottish working days, Easter Monday counted", () => {
    const deadline = currentDeadline(underReview("eisr"), settings, "2025-04-10");
    expect(deadline).toMatchObject({ regime: "eisr-review", dueDate: "2025-04-30", daysAllowed: 20 });
  });

  it("times a FOISA review by s.21(1): 20 Scottish working days, not the FOIA code's UK calendar", () => {
    const deadline = currentDeadline(underReview("foisa"), settings, "2025-04-10");
    expect(deadline).toMatchObject({ regime: "foisa-review", dueDate: "2025-04-30", daysAllowed: 20 });
  });

  it("times a FOIA or EIR review by the s.45 code, every UK bank holiday excluded", () => {
    for (const regime of ["foia", "eir"]) {
      const deadline = currentDeadline(underReview(regime), settings, "2025-04-10");
      expect(deadline).toMatchObject({ regime: "internal-review", dueDate: "2025-05-01" });
    }
  });

  it("times an EISR request by its own rule before any review", () => {
    const request: ClockedRequest = {
      ...underReview("eisr"),
      state: "in-progress",
      receivedDate: "2025-04-01",
    };
    expect(currentDeadline(request, settings, "2025-04-10")).toMatchObject({
      regime: "eisr",
      dueDate: "2025-04-30",
    });
  });
});
