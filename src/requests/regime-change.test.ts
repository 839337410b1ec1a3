import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { computeDeadline } from "../law/index.ts";
import { gangsReplyInput, type ReplyInput } from "../responses/index.ts";
import {
  type Actor,
  createRequest,
  performAction,
  replyFor,
  requestDetail,
  saveReplyDraft,
  submitReply,
  verifyAuditChain,
} from "./index.ts";
import { refusalOf, threeStaff } from "./testing.ts";

// Changing the law a request is handled under: the received date and reference stay, the deadline is the new
// law's, an extension it does not allow is dropped, a drafted reply is checked against its catalogue, and the
// history records it all and still verifies.

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);

function gangsDraft(): ReplyInput {
  const { reference: _r, regime: _g, date: _d, receivedDate: _rd, requester: _q, ...rest } = gangsReplyInput;
  return rest as ReplyInput;
}

const refusal = refusalOf;

describe.each(testBackends())("changing a request's regime on $name", (backend) => {
  let handle: DatabaseHandle;
  let officer: Actor;
  let approver: Actor;
  let manager: Actor;

  beforeAll(async () => {
    handle = await backend.open();
    // Its officers handle subject access requests too (requests/sar-access.ts).
    await handle.db
      .insertInto("authority")
      .values({ name: "Westmarch Council", sar_roles: ["officer", "manager"] })
      .execute();
    [officer, approver, manager] = await threeStaff(handle.db);
  });
  afterAll(async () => handle?.close());

  /** An action on a request by `actor`, taken at 10:00 UTC on `day`. */
  const act = (
    requestId: number,
    action: Parameters<typeof performAction>[2],
    version: number,
    actor: Actor,
    day: string,
  ) => performAction(handle.db, requestId, action, version, actor, at(day));

  async function logged(regime: string, receivedDate: string) {
    const created = await createRequest(
      handle.db,
      {
        regime,
        channel: "email",
        receivedDate,
        body: "1. What were the nitrogen dioxide readings on the High Street last year?\n2. What did the council do about them?",
        requester: { name: "Priya Raman", email: "priya@example.org", type: "journalist" },
      },
      officer,
      at(receivedDate),
    );
    const started = await act(created.id, { type: "start-work" }, 1, officer, receivedDate);
    return { ...created, version: started.version };
  }

  it("moves an extended FOIA request to the EIR: same received date and reference, the EIR's deadline, the public-interest extension dropped", async () => {
    const request = await logged("foia", "2024-03-04");
    const extended = await act(
      request.id,
      {
        type: "extend",
        extension: "pit",
        reason: "Balancing the public interest in s.31",
        date: "2024-03-20",
        notice: "Refusal notice under s.17(2): a decision by 2 May",
      },
      request.version,
      officer,
      "2024-03-20",
    );
    // FOIA s.10(3): 20 further working days.
    expect(extended.dueDate).toBe("2024-05-02");

    const changed = await act(
      request.id,
      { type: "change-regime", regime: "eir", reason: "Air quality readings are environmental information" },
      extended.version,
      officer,
      "2024-03-21",
    );
    // EIR reg 5(2): 20 working days from the same date of receipt; the pit extension is FOIA's only.
    expect(changed.dueDate).toBe(computeDeadline({ regime: "eir", received: "2024-03-04" }).dueDate);
    expect(changed.dueDate).toBe("2024-04-04");
    expect(changed.state).toBe("in-progress");
    expect(changed.reference).toBe(request.reference);

    const detail = await requestDetail(handle.db, { id: request.id }, officer, at("2024-03-21"));
    expect(detail.request.regime).toBe("eir");
    expect(detail.request.reference).toBe(request.reference);
    expect(detail.request.received_date).toBe("2024-03-04");
    expect(detail.request.due_date).toBe("2024-04-04");
    expect(detail.request.clock).toEqual([]);
    const event = detail.timeline.at(-1)!;
    expect(event.type).toBe("change-regime");
    expect(event.label).toBe("Law the request is handled under changed");
    expect(event.details).toMatchObject({
      previousRegime: "foia",
      regime: "eir",
      reason: "Air quality readings are environmental information",
      receivedDate: "2024-03-04",
      previousDueDate: "2024-05-02",
      dueDate: "2024-04-04",
      droppedExtension: "pit",
    });
    expect(event.details.referenceNote).toMatch(/is unchanged/);
    expect(event.details.extensionNote).toMatch(/pit extension does not apply under EIR.*"eir-complex"/);

    // The EIR's own extension (reg 7(1)) may now be claimed; FOIA's may not.
    const pit = await refusal(
      act(
        request.id,
        {
          type: "extend",
          extension: "pit",
          reason: "Public interest",
          date: "2024-03-22",
          notice: "s.17(2)",
        },
        changed.version,
        officer,
        "2024-03-22",
      ),
    );
    expect(pit.message).toBe(
      'an EIR request is extended as "eir-complex", the only extension its law allows',
    );
    const complex = await act(
      request.id,
      {
        type: "extend",
        extension: "eir-complex",
        reason: "Ten years of readings from 40 sites",
        date: "2024-03-22",
        notice: "Told by email: up to 40 working days (reg 7(3))",
      },
      changed.version,
      manager,
      "2024-03-22",
    );
    expect(complex.dueDate).toBe("2024-05-02");
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it("moves a request for the requester's own data to subject access: a calendar month from receipt", async () => {
    const request = await logged("foia", "2024-03-20");
    expect(request.dueDate).toBe("2024-04-19");
    const changed = await act(
      request.id,
      {
        type: "change-regime",
        regime: "sar",
        reason: "Asks for the requester's own case file (FOIA s.40(1))",
      },
      request.version,
      manager,
      "2024-03-25",
    );
    // UK GDPR Art.12(3): one month, to Sat 20 April, rolled to Mon 22 April.
    expect(changed.dueDate).toBe(computeDeadline({ regime: "sar", received: "2024-03-20" }).dueDate);
    expect(changed.dueDate).toBe("2024-04-22");
    const detail = await requestDetail(handle.db, { id: request.id }, officer, at("2024-03-25"));
    expect(detail.deadline).toMatchObject({ regime: "sar", unit: "calendar", dueDate: "2024-04-22" });
    expect(detail.request.reference).toBe(request.reference);
  });

  it("keeps a drafted reply, checks it against the new law's catalogue, and sends a reply with the approver back", async () => {
    const request = await logged("foia", "2024-03-04");
    const saved = await saveReplyDraft(
      handle.db,
      request.id,
      gangsDraft(),
      request.version,
      officer,
      at("2024-03-11"),
    );
    expect(saved.problems).toEqual([]);
    const submitted = await submitReply(handle.db, request.id, saved.version, officer, at("2024-03-11"));
    expect(submitted.state).toBe("awaiting-approval");

    const changed = await act(
      request.id,
      { type: "change-regime", regime: "eir", reason: "The gang data is about noise nuisance sites" },
      submitted.version,
      officer,
      "2024-03-12",
    );
    expect(changed.state).toBe("in-progress");
    const stored = await replyFor(handle.db, request.id);
    expect(stored?.content.regime).toBe("eir");
    expect(stored?.problems.length).toBeGreaterThan(0);
    expect(stored?.problems.map((problem) => problem.message).join("\n")).toMatch(
      /Section 31\(1\)\(a\) .* Refuse under the EIR exceptions/,
    );
    const detail = await requestDetail(handle.db, { id: request.id }, officer, at("2024-03-12"));
    expect(detail.timeline.at(-1)?.details).toMatchObject({
      approvalNote: expect.stringMatching(/approved under the new law/),
      replyNote: expect.stringMatching(/now checked against EIR's exceptions/),
    });
    // The old catalogue's exemptions are now problems: it cannot go for approval as it stands.
    const again = await refusal(
      submitReply(handle.db, request.id, changed.version, officer, at("2024-03-12")),
    );
    expect(again.code).toBe("invalid");
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it("refuses the same regime, a regime of another jurisdiction, no reason, a sent reply and an approver", async () => {
    const request = await logged("foia", "2024-03-04");
    const change = (input: Record<string, unknown>, actor: Actor = officer) =>
      refusal(
        act(
          request.id,
          { type: "change-regime", reason: "Wrong law", ...input },
          request.version,
          actor,
          "2024-03-05",
        ),
      );
    expect(await change({ regime: "foia" })).toMatchObject({
      code: "conflict",
      message: "the request is already handled under the FOIA: choose another law",
    });
    expect((await change({ regime: "eisr" })).message).toMatch(
      /^the EISR does not apply to a public authority outside Scotland/,
    );
    expect(await change({ regime: "eir", reason: " " })).toMatchObject({ code: "invalid", field: "reason" });
    expect(await change({ regime: "ccpa" })).toMatchObject({ code: "invalid", field: "regime" });
    expect(await change({ regime: "eir" }, approver)).toMatchObject({ code: "forbidden" });
    const detail = await requestDetail(handle.db, { id: request.id }, officer, at("2024-03-05"));
    expect(detail.request.version).toBe(request.version);
    expect(detail.request.regime).toBe("foia");
  });

  it("offers a Scottish authority FOISA, the EISR and subject access only", async () => {
    await handle.db.updateTable("authority").set({ jurisdiction: "scotland" }).execute();
    try {
      const request = await logged("foisa", "2024-03-20");
      expect(request.dueDate).toBe("2024-04-18");
      const eir = await refusal(
        act(
          request.id,
          { type: "change-regime", regime: "eir", reason: "Environmental" },
          request.version,
          officer,
          "2024-03-21",
        ),
      );
      expect(eir.message).toMatch(
        /^the EIR does not apply to a Scottish public authority: choose the FOISA, the EISR/,
      );
      const changed = await act(
        request.id,
        { type: "change-regime", regime: "eisr", reason: "Environmental (FOISA s.39(2))" },
        request.version,
        officer,
        "2024-03-21",
      );
      // EISR reg 5(2)(a): 20 Scottish working days from the same receipt.
      expect(changed.dueDate).toBe(computeDeadline({ regime: "eisr", received: "2024-03-20" }).dueDate);
    } finally {
      await handle.db.updateTable("authority").set({ jurisdiction: "england-and-wales" }).execute();
    }
  });
});
