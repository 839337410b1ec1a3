import { describe, expect, it } from "vitest";
import { applyToClock, type ClockedRequest, clockUnderRegime, currentDeadline, dueColumns } from "./clock.ts";
import type { RequestEvent } from "./events.ts";

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

  it("times a FOIA review by the s.45 code, every UK bank holiday excluded", () => {
    const deadline = currentDeadline(underReview("foia"), settings, "2025-04-10");
    expect(deadline).toMatchObject({ regime: "internal-review", dueDate: "2025-05-01" });
  });

  it("gives an EIR reconsideration the 40 working days of reg 11(4)", () => {
    const deadline = currentDeadline(underReview("eir"), settings, "2025-04-10");
    expect(deadline).toMatchObject({ regime: "eir-review", daysAllowed: 40, dueDate: "2025-06-02" });
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

describe("proof of identity on the clock (UK GDPR Art.12(6))", () => {
  const sar: ClockedRequest = {
    regime: "sar",
    state: "in-progress",
    receivedDate: "2024-05-10",
    clock: [],
    reviewReceivedDate: null,
  };

  it("is asked for and received as one stop, and the month runs from its arrival", () => {
    const asked = applyToClock(
      sar,
      { type: "request-identity", date: "2024-05-13", note: "Passport" },
      "2024-05-13",
    );
    expect(asked).toEqual([{ kind: "identity", requested: "2024-05-13" }]);
    expect(() =>
      applyToClock({ ...sar, clock: asked }, { type: "identity-received", date: "2024-05-12" }, "2024-05-20"),
    ).toThrow(/cannot arrive before it was asked for on 2024-05-13/);
    const received = applyToClock(
      { ...sar, clock: asked },
      { type: "identity-received", date: "2024-05-20" },
      "2024-05-20",
    );
    expect(currentDeadline({ ...sar, clock: received }, settings, "2024-05-20").dueDate).toBe("2024-06-20");
    expect(() => applyToClock(sar, { type: "identity-received", date: "2024-05-20" }, "2024-05-20")).toThrow(
      /No proof of identity is awaited/,
    );
  });

  it("is dropped when the request moves to a law that does not ask for it", () => {
    const clock = [{ kind: "identity" as const, requested: "2024-05-13", received: "2024-05-20" }];
    expect(clockUnderRegime(clock, "foia")).toEqual({ clock: [], dropped: clock });
    expect(clockUnderRegime(clock, "sar")).toEqual({ clock, dropped: [] });
  });
});

describe("the due date cached on the request row (what the work queue shows)", () => {
  const replyDeadline = currentDeadline(
    { regime: "foia", state: "in-progress", receivedDate: "2024-01-02", clock: [], reviewReceivedDate: null },
    settings,
    "2024-01-10",
  );
  const notice = (payload: Record<string, unknown>): RequestEvent[] => [
    { type: "record-complaint", payload: { date: "2024-05-01" } } as RequestEvent,
    {
      type: "record-decision-notice",
      payload: { result: "upheld", date: "2024-07-01", ...payload },
    } as RequestEvent,
  ];

  it("is the reply's deadline while the request is worked on", () => {
    expect(dueColumns("foia", "in-progress", [], replyDeadline)).toMatchObject({
      due_date: replyDeadline.dueDate,
      due_kind: "reply",
    });
  });

  it("is the decision notice's compliance date while its steps are owed (FOIA s.50(4))", () => {
    const events = notice({ steps: "Disclose the report", complianceDate: "2024-08-05" });
    expect(dueColumns("foia", "decision-notice", events, replyDeadline)).toEqual({
      due_date: "2024-08-05",
      due_kind: "compliance",
      refusal_notice_due: null,
      clock_stopped: false,
    });
  });

  it("is the appeal window once complied with, or with no steps: 28 days (FOIA s.57), 42 under FOISA (s.56)", () => {
    const complied = [
      ...notice({ steps: "Disclose the report", complianceDate: "2024-08-05" }),
      { type: "record-compliance", payload: { date: "2024-07-20" } } as RequestEvent,
    ];
    expect(dueColumns("foia", "decision-notice", complied, replyDeadline)).toMatchObject({
      due_date: "2024-07-29",
      due_kind: "appeal",
    });
    expect(dueColumns("foisa", "decision-notice", notice({}), replyDeadline)).toMatchObject({
      due_date: "2024-08-12",
      due_kind: "appeal",
    });
  });

  it("is none for a complaint with the regulator or an appeal before the tribunal, never the old reply deadline", () => {
    for (const state of ["regulator-complaint", "tribunal-appeal", "regulator-closed"] as const)
      expect(dueColumns("foia", state, notice({}), replyDeadline)).toMatchObject({
        due_date: null,
        due_kind: null,
      });
  });
});
