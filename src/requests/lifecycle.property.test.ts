import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { DomainError } from "../errors.ts";
import { type Actor, createRequest, performAction, requestDetail, verifyAuditChain } from "./index.ts";
import { actionAllowedFrom, type RequestState, transitionFor } from "./workflow.ts";

// Random walks of actions through the real service: an accepted action moves the version on by one and adds
// one event; a refused one changes nothing; and the history always verifies. Most steps pick among the actions
// the table allows from the current state (so walks go somewhere: a walk in which everything is refused proves
// nothing), the others pick any action, so refusals are exercised too; the runs together must accept a good
// share of their steps and reach every state these actions lead to under FOIA.

const [pglite] = testBackends();
const day = (offset: number) => new Date(Date.UTC(2024, 0, 2 + offset, 10));
const iso = (offset: number) => day(offset).toISOString().slice(0, 10);

/** Every action the walks take, dated `offset` days after the request arrived. */
const actionsFor = (offset: number): Array<Record<string, unknown> & { type: string }> => [
  { type: "acknowledge" },
  { type: "start-work" },
  { type: "request-clarification", date: iso(offset), note: "Which years?" },
  { type: "receive-clarification", date: iso(offset) },
  { type: "issue-fees-notice", date: iso(offset), amountPence: 1000 },
  { type: "receive-fee", date: iso(offset) },
  { type: "request-identity", date: iso(offset), note: "A copy of a utility bill" },
  { type: "identity-received", date: iso(offset) },
  { type: "extend", extension: "pit", reason: "PIT", date: iso(offset), notice: "s.17(2) notice by email" },
  { type: "extend", extension: "sar", reason: "Complex", date: iso(offset), notice: "Art.12(3) letter" },
  { type: "submit-for-approval", outcome: "granted-in-full" },
  { type: "submit-for-approval", outcome: "partially-withheld" },
  { type: "approve" },
  { type: "return-for-changes", note: "Redo" },
  { type: "record-outcome", outcome: "granted-in-full", date: iso(offset) },
  { type: "record-outcome", outcome: "partially-withheld", date: iso(offset) },
  { type: "withdraw", date: iso(offset) },
  { type: "request-review", date: iso(offset), grounds: "Disagree" },
  { type: "decide-review", reviewOutcome: "upheld", date: iso(offset) },
  { type: "add-note", note: "Note" },
];

/**
 * The states the actions above lead to from a request just received. Under FOIA a request is answered only by
 * sending its drafted reply (reply-send.ts, not these actions), so the walk stays before the answer; a subject
 * access request's outcome is recorded after its sign-off, so its walk goes on to the internal review.
 */
/** Reads the request whatever its law (a SAR is hidden from an officer outside the SAR team). */
const reader: Actor = { userId: null, label: "tests", role: "system" };

const walkStates: Record<"foia" | "sar", readonly RequestState[]> = {
  foia: [
    "received",
    "acknowledged",
    "in-progress",
    "awaiting-clarification",
    "awaiting-fee",
    "extended",
    "withdrawn",
  ],
  sar: [
    "received",
    "acknowledged",
    "in-progress",
    "awaiting-clarification",
    "awaiting-fee",
    "awaiting-identity",
    "extended",
    "awaiting-approval",
    "approved",
    "responded",
    "withdrawn",
    "review-requested",
    "review-decided",
  ],
};

describe.each(["foia", "sar"] as const)(
  "the lifecycle of a %s request through the service (property)",
  (regime) => {
    let handle: DatabaseHandle;
    let officer: Actor;
    let approver: Actor;
    let reviewer: Actor;
    beforeAll(async () => {
      handle = await pglite!.open();
      const users = await handle.db
        .insertInto("users")
        .values([
          { username: `o-${regime}`, display_name: "O", role: "officer", password_hash: "x" },
          { username: `a-${regime}`, display_name: "A", role: "approver", password_hash: "x" },
          { username: `m-${regime}`, display_name: "M", role: "manager", password_hash: "x" },
        ])
        .returning("id")
        .execute();
      officer = { userId: users[0]!.id, label: "O", role: "officer" };
      approver = { userId: users[1]!.id, label: "A", role: "approver" };
      // An internal review is decided by someone who took no part in the original decision (s.45 code, part 5).
      reviewer = { userId: users[2]!.id, label: "M", role: "manager" };
    });
    afterAll(async () => handle?.close());

    it("moves one event at a time, refuses without writing, and goes everywhere its actions lead", async () => {
      let steps = 0;
      let accepted = 0;
      const reached = new Set<RequestState>();
      const step = fc.record({
        gap: fc.nat(3),
        byApprover: fc.boolean(),
        // 4 in 5 steps choose among the actions allowed here; the rest any action (mostly refused).
        wild: fc.nat(4).map((n) => n === 0),
        choice: fc.nat(1000),
        action: fc.nat(1000),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 30 }), async (walk) => {
          const body = {
            regime,
            channel: "web",
            receivedDate: iso(0),
            body: "Property",
            requester: { name: "P", email: "p@example.org" },
          };
          const { id } = await createRequest(handle.db, body, officer, day(0));
          let version = 1;
          let state: RequestState = "received";
          reached.add(state);
          for (const [index, move] of walk.entries()) {
            const offset = index * 2 + move.gap;
            const everything = actionsFor(offset);
            // A guided step takes an action the table allows here, by the officer when they may, else the approver.
            const mayTake = (candidate: { type: string }, who: Actor) => {
              const transition = transitionFor(candidate.type as Parameters<typeof transitionFor>[0]);
              return (
                actionAllowedFrom(transition, state) &&
                transition.roles.includes(who.role) &&
                (!transition.regimes || transition.regimes.includes(regime))
              );
            };
            const here = everything.filter(
              (candidate) => mayTake(candidate, officer) || mayTake(candidate, approver),
            );
            // ...and, while some state is still unseen, one that leads somewhere new (coverage-guided).
            const fresh = here.filter((candidate) => {
              const to = transitionFor(candidate.type as Parameters<typeof transitionFor>[0]).to;
              return to !== null && !reached.has(to);
            });
            const choices = fresh.length > 0 ? fresh : here;
            const guided = !move.wild && choices.length > 0;
            const action = guided
              ? choices[move.choice % choices.length]!
              : everything[move.action % everything.length]!;
            const actor = guided
              ? action.type === "decide-review"
                ? reviewer
                : mayTake(action, officer)
                  ? officer
                  : approver
              : move.byApprover
                ? approver
                : officer;
            steps++;
            try {
              const result = await performAction(handle.db, id, action, version, actor, day(offset + 1));
              expect(result.version).toBe(version + 1);
              version = result.version;
              accepted++;
            } catch (error) {
              expect(error).toBeInstanceOf(DomainError);
            }
            const detail = await requestDetail(handle.db, { id }, reader, day(offset + 1));
            expect(detail.request.version).toBe(version);
            expect(detail.timeline).toHaveLength(version);
            state = detail.request.state;
            reached.add(state);
          }
        }),
        // A fixed seed: the same 30 walks every run, so the coverage asked for below is reached every time.
        { numRuns: 30, seed: 20261206 },
      );
      expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
      // The walks went somewhere: most steps were taken, and every state these actions lead to was reached.
      expect(accepted / steps).toBeGreaterThan(0.4);
      expect([...reached].sort()).toEqual([...walkStates[regime]].sort());
    });
  },
);
