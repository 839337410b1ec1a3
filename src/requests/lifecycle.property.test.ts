import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { DomainError } from "../errors.ts";
import { type Actor, createRequest, performAction, requestDetail, verifyAuditChain } from "./index.ts";

// Random walks of actions through the real service: an accepted action moves the version on by one and adds
// one event; a refused one changes nothing; and the history always verifies.

const [pglite] = testBackends();
const day = (offset: number) => new Date(Date.UTC(2024, 0, 2 + offset, 10));
const iso = (offset: number) => day(offset).toISOString().slice(0, 10);

const actionArbitrary = (offset: number) =>
  fc.oneof(
    fc.constant({ type: "acknowledge" }),
    fc.constant({ type: "start-work" }),
    fc.constant({ type: "request-clarification", date: iso(offset), note: "Which years?" }),
    fc.constant({ type: "receive-clarification", date: iso(offset) }),
    fc.constant({ type: "issue-fees-notice", date: iso(offset), amountPence: 1000 }),
    fc.constant({ type: "receive-fee", date: iso(offset) }),
    fc.constant({ type: "extend", extension: "pit", reason: "PIT", date: iso(offset), notice: "s.17(2)" }),
    fc
      .constantFrom("granted-in-full", "partially-withheld")
      .map((outcome) => ({ type: "submit-for-approval", outcome })),
    fc.constant({ type: "approve" }),
    fc.constant({ type: "return-for-changes", note: "Redo" }),
    fc
      .constantFrom("granted-in-full", "partially-withheld")
      .map((outcome) => ({ type: "record-outcome", outcome, date: iso(offset) })),
    fc.constant({ type: "withdraw", date: iso(offset) }),
    fc.constant({ type: "request-review", date: iso(offset), grounds: "Disagree" }),
    fc.constant({ type: "decide-review", reviewOutcome: "upheld", date: iso(offset) }),
    fc.constant({ type: "add-note", note: "Note" }),
  );

describe("the lifecycle through the service (property)", () => {
  let handle: DatabaseHandle;
  let officer: Actor;
  let approver: Actor;
  beforeAll(async () => {
    handle = await pglite!.open();
    const users = await handle.db
      .insertInto("users")
      .values([
        { username: "o", display_name: "O", role: "officer", password_hash: "x" },
        { username: "a", display_name: "A", role: "approver", password_hash: "x" },
      ])
      .returning("id")
      .execute();
    officer = { userId: users[0]!.id, label: "O", role: "officer" };
    approver = { userId: users[1]!.id, label: "A", role: "approver" };
  });
  afterAll(async () => handle?.close());

  it("moves one event at a time and refuses without writing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(3), fc.boolean()), { minLength: 1, maxLength: 14 }).chain((steps) =>
          fc.tuple(
            ...steps.map(([gap, byApprover], index) =>
              actionArbitrary(index * 2 + gap).map((action) => ({
                action,
                byApprover,
                offset: index * 2 + gap,
              })),
            ),
          ),
        ),
        async (steps) => {
          const body = {
            regime: "foia",
            channel: "web",
            receivedDate: iso(0),
            body: "Property",
            requester: { name: "P", email: "p@example.org" },
          };
          const { id } = await createRequest(handle.db, body, officer, day(0));
          let version = 1;
          for (const step of steps) {
            const actor = step.byApprover ? approver : officer;
            try {
              const result = await performAction(
                handle.db,
                id,
                step.action,
                version,
                actor,
                day(step.offset + 1),
              );
              expect(result.version).toBe(version + 1);
              version = result.version;
            } catch (error) {
              expect(error).toBeInstanceOf(DomainError);
            }
            const detail = await requestDetail(handle.db, { id }, officer, day(step.offset + 1));
            expect(detail.request.version).toBe(version);
            expect(detail.timeline).toHaveLength(version);
          }
        },
      ),
      { numRuns: 12 },
    );
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });
});
