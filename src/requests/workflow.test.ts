import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ActorRole,
  actionAllowedFrom,
  allowedActions,
  closedStates,
  type GuardContext,
  isOpen,
  type RequestState,
  refusalFor,
  regimesForAuthority,
  requestStates,
  stateAfterRegimeChange,
  transitions,
} from "./workflow.ts";

const staffRoles: ActorRole[] = ["officer", "approver", "manager", "admin"];

function context(state: RequestState, role: ActorRole, input: Record<string, unknown> = {}): GuardContext {
  return {
    request: {
      regime: "foia",
      state,
      assigneeId: null,
      clockStopped: false,
      lastClarificationRequested: "2020-01-01",
    },
    submittedBy: 1,
    approvedOutcome: "partially-withheld",
    actor: { userId: 2, label: "Test", role },
    input,
    today: "2026-01-01",
    scottish: false,
  };
}

/** States reachable from `start` through the table, for any staff role, guards aside. */
function reachable(start: RequestState): Set<RequestState> {
  const seen = new Set<RequestState>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const state = queue.shift()!;
    for (const transition of transitions) {
      const next = transition.to ?? state;
      if (actionAllowedFrom(transition, state) && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

describe("the request lifecycle table", () => {
  it("reaches every state but 'invalid' (recorded at intake) from 'received'", () => {
    const states = reachable("received");
    expect([...requestStates].filter((state) => !states.has(state))).toEqual(["invalid"]);
  });

  it("lets every open state reach a closed one, so no request is stuck", () => {
    for (const state of requestStates.filter(isOpen)) {
      const closing = [...reachable(state)].filter((next) => !isOpen(next));
      expect(closing, state).not.toEqual([]);
    }
  });

  it("offers nothing on an invalid request, and only notes, reviews and complaints once closed", () => {
    expect(allowedActions("invalid", "manager")).toEqual([]);
    for (const state of closedStates.filter((state) => state !== "invalid")) {
      for (const transition of allowedActions(state, "admin")) {
        expect(
          ["add-note", "request-review", "record-complaint"],
          `${state}: ${transition.action}`,
        ).toContain(transition.action);
      }
    }
  });

  it("never lets an approver sign off their own reply", () => {
    const own = { ...context("awaiting-approval", "approver"), submittedBy: 2 };
    expect(refusalFor("approve", own)?.message).toMatch(/someone other than its author/);
    expect(refusalFor("approve", context("awaiting-approval", "approver"))).toBeNull();
    expect(refusalFor("approve", context("awaiting-approval", "officer"))?.kind).toBe("role");
  });

  it("checks the drafted reply: complete before it is submitted, approved or sent, and deciding the outcome", () => {
    const problems = [{ field: "exemptions.0.harm.reasoning", message: "Explain the harm" }];
    const incomplete = { reply: { outcome: "partially-withheld" as const, problems } };
    const complete = { reply: { outcome: "partially-withheld" as const, problems: [] } };
    for (const [action, state] of [
      ["submit-for-approval", "in-progress"],
      ["approve", "awaiting-approval"],
      ["send-reply", "approved"],
      ["record-outcome", "approved"],
    ] as const) {
      const refusal = refusalFor(action, {
        ...context(state, "approver", { outcome: "partially-withheld" }),
        ...incomplete,
      });
      expect(refusal, action).toMatchObject({ kind: "reply", problems });
      expect(refusal?.message).toMatch(/fix the problem listed/);
    }
    expect(refusalFor("send-reply", context("approved", "officer"))?.message).toMatch(
      /draft the reply first/,
    );
    expect(refusalFor("send-reply", { ...context("in-progress", "officer"), ...complete })?.message).toMatch(
      /needs an approver's sign-off first/,
    );
    expect(refusalFor("send-reply", { ...context("approved", "officer"), ...complete })).toBeNull();
    expect(
      refusalFor("record-outcome", {
        ...context("approved", "officer", { outcome: "partially-withheld" }),
        ...complete,
      })?.message,
    ).toMatch(/a FOIA request is answered only by sending its reply.*"Send the reply"/);
    expect(
      refusalFor("record-outcome", {
        ...context("approved", "officer", { outcome: "granted-in-full" }),
        reply: { ...complete.reply, sent: true },
      })?.message,
    ).toMatch(/the drafted reply's outcome is "Partially withheld"/);
    // The pages offer "Record the outcome" only for subject access, whose reply is made outside foidesk.
    expect(allowedActions("approved", "officer", "foia").map((t) => t.action)).not.toContain(
      "record-outcome",
    );
    expect(allowedActions("approved", "officer", "sar").map((t) => t.action)).toContain("record-outcome");
    expect(refusalFor("draft-reply", context("awaiting-approval", "officer"))?.kind).toBe("state");
  });

  it("extends each regime only as its rule allows: EIR and EISR reg 7(1), FOIA s.10(3), none under FOISA", () => {
    const extend = (regime: string, extension: string) => {
      const base = context("in-progress", "officer", { extension });
      return refusalFor("extend", { ...base, request: { ...base.request, regime } })?.message ?? null;
    };
    expect(extend("eisr", "eir-complex")).toBeNull();
    expect(extend("eir", "eir-complex")).toBeNull();
    expect(extend("foia", "pit")).toBeNull();
    expect(extend("eisr", "pit")).toBe(
      'an EISR request is extended as "eir-complex", the only extension its law allows',
    );
    expect(extend("foisa", "pit")).toBe(
      "a FOISA request cannot be extended: its law sets the time limit with no extension (FOISA s.10(1)), so reply by the due date",
    );
  });

  describe("proof of identity for a subject access request (UK GDPR Art.12(6))", () => {
    const identity = (
      action: "request-identity" | "identity-received",
      regime: string,
      state: RequestState,
      role: ActorRole = "officer",
    ) => {
      const base = context(state, role, { date: "2024-05-13" });
      return refusalFor(action, { ...base, request: { ...base.request, regime } });
    };

    it("is asked for by staff while the request is worked, before a reply, and stops the clock", () => {
      const from = requestStates.filter((state) =>
        allowedActions(state, "officer").some((transition) => transition.action === "request-identity"),
      );
      expect(from).toEqual(["received", "acknowledged", "in-progress", "extended"]);
      for (const role of staffRoles)
        expect(identity("request-identity", "sar", "acknowledged", role)).toBeNull();
      expect(identity("request-identity", "sar", "acknowledged", "requester")?.kind).toBe("role");
      expect(transitions.find((t) => t.action === "request-identity")?.to).toBe("awaiting-identity");
      expect(identity("request-identity", "sar", "responded")?.kind).toBe("state");
      const offered = (regime: string) =>
        allowedActions("in-progress", "officer", regime).some((t) => t.action === "request-identity");
      expect(offered("sar")).toBe(true);
      expect(offered("foia")).toBe(false);
    });

    it("is logged received only while it is awaited, and the request goes back to be worked", () => {
      expect(identity("identity-received", "sar", "awaiting-identity")).toBeNull();
      expect(transitions.find((t) => t.action === "identity-received")?.to).toBe("in-progress");
      expect(identity("identity-received", "sar", "in-progress")?.message).toMatch(
        /"Log proof of identity received" is not allowed when a request is in progress/,
      );
    });

    it("is refused for every other law, saying why", () => {
      for (const regime of ["foia", "eir", "foisa", "eisr"]) {
        expect(identity("request-identity", regime, "in-progress")).toEqual({
          kind: "guard",
          message: `proof of identity is asked for only for a subject access request (UK GDPR Art.12(6)); ${regime.startsWith("e") ? "an" : "a"} ${regime.toUpperCase()} request is answered whoever asks`,
        });
      }
      expect(identity("identity-received", "foia", "awaiting-identity")?.kind).toBe("guard");
    });

    it("keeps the law while proof of identity is awaited", () => {
      const base = context("awaiting-identity", "officer", { regime: "foia" });
      expect(refusalFor("change-regime", { ...base, request: { ...base.request, regime: "sar" } })).toEqual({
        kind: "guard",
        message:
          "the request awaits proof of identity, which only subject access asks for: log it received first",
      });
    });
  });

  it("does not extend a FOISA (s.21(1)), EISR (reg 16(4)) or EIR (reg 11(4)) review, but does a FOIA one", () => {
    const extendReview = (regime: string) => {
      const base = context("review-requested", "officer", { workingDays: 20 });
      return refusalFor("extend-review", { ...base, request: { ...base.request, regime } })?.message ?? null;
    };
    expect(extendReview("eisr")).toBe(
      "an EISR review cannot be extended: EISR review (reg 16(4)) allows 20 working days",
    );
    expect(extendReview("foisa")).toBe(
      "a FOISA review cannot be extended: FOISA review (s.21) allows 20 working days",
    );
    expect(extendReview("foia")).toBeNull();
    expect(extendReview("eir")).toBe(
      "an EIR review cannot be extended: EIR reconsideration (reg 11(4)) allows 40 working days",
    );
  });

  describe("changing the law a request is handled under", () => {
    const change = (
      regime: string,
      options: { from?: string; state?: RequestState; role?: ActorRole; scottish?: boolean } = {},
    ) => {
      const base = context(options.state ?? "in-progress", options.role ?? "officer", { regime });
      return refusalFor("change-regime", {
        ...base,
        request: { ...base.request, regime: options.from ?? "foia" },
        scottish: options.scottish ?? false,
      });
    };

    it("is for case officers and managers, not approvers or administrators", () => {
      expect(change("eir")).toBeNull();
      expect(change("eir", { role: "manager" })).toBeNull();
      expect(change("eir", { role: "approver" })).toEqual({
        kind: "role",
        message: '"Change the law this request is handled under" needs the role officer or manager',
      });
      expect(change("eir", { role: "admin" })?.kind).toBe("role");
      expect(change("eir", { role: "requester" })?.kind).toBe("role");
    });

    it("is allowed while the request is open and no reply has been sent", () => {
      const allowedFrom = requestStates.filter((state) =>
        allowedActions(state, "officer").some((transition) => transition.action === "change-regime"),
      );
      expect(allowedFrom).toEqual([
        "received",
        "acknowledged",
        "awaiting-clarification",
        "awaiting-fee",
        "awaiting-identity",
        "in-progress",
        "extended",
        "awaiting-approval",
        "approved",
      ]);
      for (const state of ["responded", "review-requested", "regulator-complaint", "withdrawn"] as const) {
        const refusal = change("eir", { state });
        expect(refusal?.kind, state).toBe("state");
        expect(refusal?.message).toMatch(
          /"Change the law this request is handled under" is not allowed when/,
        );
      }
    });

    it("refuses the same regime, and one that is not the authority's jurisdiction's", () => {
      expect(change("foia")?.message).toBe(
        "the request is already handled under the FOIA: choose another law",
      );
      expect(change("foisa")).toEqual({
        kind: "guard",
        message:
          "the FOISA does not apply to a public authority outside Scotland: choose the FOIA, the EIR, subject access (UK GDPR Art.15)",
      });
      expect(change("eisr")?.kind).toBe("guard");
      expect(change("eir", { from: "foisa", scottish: true })?.message).toBe(
        "the EIR does not apply to a Scottish public authority: choose the FOISA, the EISR, subject access (UK GDPR Art.15)",
      );
      expect(change("eisr", { from: "foisa", scottish: true })).toBeNull();
      expect(change("sar", { from: "foisa", scottish: true })).toBeNull();
      expect(change("sar")).toBeNull();
      // A SAR always needs sign-off: only a manager may move it to a law where some outcomes need none.
      expect(change("foia", { from: "sar" })?.message).toMatch(/only a manager can move it to another law/);
      expect(change("foia", { from: "sar", role: "manager" })).toBeNull();
      expect(change("sar", { from: "sar" })?.message).toMatch(/already handled under subject access/);
    });

    it("sends a reply with the approver back to be worked, and an extended request whose extension is dropped", () => {
      expect(stateAfterRegimeChange("awaiting-approval", false)).toBe("in-progress");
      expect(stateAfterRegimeChange("approved", false)).toBe("in-progress");
      expect(stateAfterRegimeChange("extended", true)).toBe("in-progress");
      expect(stateAfterRegimeChange("extended", false)).toBe("extended");
      expect(stateAfterRegimeChange("awaiting-clarification", false)).toBe("awaiting-clarification");
      expect(regimesForAuthority(true)).toEqual(["foisa", "eisr", "sar"]);
      expect(regimesForAuthority(false)).toEqual(["foia", "eir", "sar"]);
    });
  });

  it("answers every refused action with a reason that names what is allowed instead (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...requestStates),
        fc.constantFrom(...transitions.map((transition) => transition.action)),
        fc.constantFrom(...staffRoles),
        (state, action, role) => {
          const refusal = refusalFor(
            action,
            context(state, role, { outcome: "granted-in-full", extension: "pit", assigneeId: 2 }),
          );
          const allowed = allowedActions(state, role, "foia").some(
            (transition) => transition.action === action,
          );
          if (!allowed) {
            expect(refusal).not.toBeNull();
            if (refusal!.kind === "state") {
              const labels = allowedActions(state, role, "foia").map((transition) =>
                transition.label.toLowerCase(),
              );
              for (const label of labels) expect(refusal!.message).toContain(label);
            }
          }
        },
      ),
    );
  });

  it("keeps every walk through the table inside the known states, and closed states closed but for review and complaint (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...transitions.map((transition) => transition.action)), { maxLength: 40 }),
        fc.constantFrom(...staffRoles),
        (actions, role) => {
          let state: RequestState = "received";
          for (const action of actions) {
            const refusal = refusalFor(
              action,
              context(state, role, { outcome: "granted-in-full", extension: "pit", assigneeId: 2 }),
            );
            if (refusal) continue;
            const transition = transitions.find((candidate) => candidate.action === action)!;
            const next: RequestState = transition.to ?? state;
            if (!isOpen(state) && isOpen(next))
              expect(["request-review", "record-complaint"]).toContain(action);
            state = next;
            expect(requestStates).toContain(state);
          }
        },
      ),
    );
  });
});
