import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { testMailer } from "../mail/testing.ts";
import {
  type Actor,
  askForReview,
  createRequest,
  newTrackingToken,
  performAction,
  readableHistory,
  resendTrackingLinks,
  setTrackingToken,
  trackedRequest,
  trackingTokenHash,
} from "./index.ts";
import { answerRequest, threeStaff } from "./testing.ts";

// What a requester does with no account, without HTTP: asking for the tracking link again, and asking for an
// internal review through it. The pages are tested in web/public.

// Tuesday 4 March 2025, 10:00 in London.
const now = new Date("2025-03-04T10:00:00Z");
const authorityName = "Westmarch Constabulary";

describe.each(testBackends())("a requester's own actions on $name", (backend) => {
  let handle: DatabaseHandle;
  let officer: Actor;
  let mailer: ReturnType<typeof testMailer>;
  const errors: string[] = [];
  const log = { error: (_details: Record<string, unknown>, message: string) => void errors.push(message) };
  const deps = () => ({ db: handle.db, mailer, log, baseUrl: "https://foi.example" });

  beforeAll(async () => {
    handle = await backend.open();
    mailer = testMailer(handle.db, () => now);
    [officer] = await threeStaff(handle.db);
  });
  afterAll(async () => handle?.close());

  /** A request from `email` with a tracking link; returns it and the link's token. */
  async function trackedRequestOf(name: string, email: string) {
    const created = await createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: "2025-03-04",
        body: "How many bicycles were reported stolen in Westmarch in 2024?",
        requester: { type: "public", name, email },
      },
      officer,
      now,
    );
    const token = newTrackingToken();
    await setTrackingToken(handle.db, created.id, token);
    return { ...created, token };
  }

  const outboxTo = (address: string, kind: string) =>
    handle.db
      .selectFrom("mail_outbox")
      .select(["request_id", "to_address"])
      .where("to_address", "=", address)
      .where("kind", "=", kind)
      .execute();

  const tokenHashOf = async (id: number) =>
    (
      await handle.db
        .selectFrom("requests")
        .select("tracking_token_hash")
        .where("id", "=", id)
        .executeTakeFirstOrThrow()
    ).tracking_token_hash;

  describe("sending the tracking link again", () => {
    it("gives the request a new link, queues exactly one email with it, and the old link stops working", async () => {
      const { id, reference, token: old } = await trackedRequestOf("Lou Lost", "lou.lost@example.org");
      const queuedBefore = mailer.queued.length;
      await resendTrackingLinks(deps(), "Lou.Lost@Example.org", authorityName, now);

      expect(await outboxTo("lou.lost@example.org", "tracking-link")).toEqual([
        { request_id: id, to_address: "lou.lost@example.org" },
      ]);
      const [message] = mailer.queued.slice(queuedBefore);
      expect(mailer.queued.length - queuedBefore).toBe(1);
      expect(message!.subject).toBe(`Your link to request ${reference}`);
      const fresh = /https:\/\/foi\.example\/track\/([A-Za-z0-9_-]{43})/.exec(message!.text)?.[1] ?? "";
      expect(await tokenHashOf(id)).toBe(trackingTokenHash(fresh));
      expect(await trackedRequest(handle.db, fresh, now)).toMatchObject({ id });
      expect(await trackedRequest(handle.db, old, now)).toBeNull();

      // Asked again at once: nothing more is queued, and the link just sent still works.
      await resendTrackingLinks(deps(), "lou.lost@example.org", authorityName, now);
      expect(await outboxTo("lou.lost@example.org", "tracking-link")).toHaveLength(1);
      expect(await tokenHashOf(id)).toBe(trackingTokenHash(fresh));
    });

    it("answers an unknown address the same, and queues nothing", async () => {
      const queuedBefore = mailer.queued.length;
      const known = await trackedRequestOf("Kay Known", "kay.known@example.org");
      const answers = await Promise.all([
        resendTrackingLinks(deps(), "kay.known@example.org", authorityName, now),
        resendTrackingLinks(deps(), "nobody@example.org", authorityName, now),
      ]);
      expect(answers).toEqual([undefined, undefined]);
      expect(await outboxTo("nobody@example.org", "tracking-link")).toEqual([]);
      expect(mailer.queued.slice(queuedBefore).map((message) => message.to)).toEqual([
        "kay.known@example.org",
      ]);
      expect(await trackedRequest(handle.db, known.token, now)).toBeNull();
    });
  });

  describe("asking for an internal review", () => {
    it("is refused, naming the field, before we have replied: nothing recorded, nothing queued", async () => {
      const { id, token } = await trackedRequestOf("Ty Early", "ty.early@example.org");
      await expect(askForReview(deps(), token, "Too soon", authorityName, now)).rejects.toMatchObject({
        code: "conflict",
        field: "grounds",
        message: "You can ask for an internal review once we have replied to your request.",
      });
      expect(await outboxTo("ty.early@example.org", "review-acknowledgement")).toEqual([]);
      const history = await readableHistory(handle.db, id);
      expect(history.map((entry) => entry.type)).not.toContain("request-review");
    });

    it("once we have replied: records the review and queues its acknowledgement with it", async () => {
      const { id, token } = await trackedRequestOf("Rev Iew", "review@example.org");
      const started = await performAction(handle.db, id, { type: "start-work" }, 1, officer, now);
      await answerRequest(handle.db, id, started.version, { officer }, now);

      const result = await askForReview(deps(), token, "You did not search the archive", authorityName, now);
      expect(result).toMatchObject({ id, state: "review-requested", dueDate: "2025-04-02" });
      const history = await readableHistory(handle.db, id);
      expect(history.find((entry) => entry.type === "request-review")).toMatchObject({
        actorLabel: "Requester (web form)",
        payload: { grounds: "You did not search the archive" },
      });
      expect(await outboxTo("review@example.org", "review-acknowledgement")).toEqual([
        { request_id: id, to_address: "review@example.org" },
      ]);
      const message = mailer.queued.find((queued) => queued.kind === "review-acknowledgement");
      expect(message?.subject).toBe(`Internal review requested: ${result.reference}`);
      expect(message?.text).toContain("We will send you the result by 2 April 2025.");
      expect(message?.text).toContain(authorityName);

      // Asked again: refused, saying why.
      await expect(askForReview(deps(), token, "Again", authorityName, now)).rejects.toMatchObject({
        code: "conflict",
        field: "grounds",
        message: "You have already asked for an internal review of this request.",
      });
      expect(await outboxTo("review@example.org", "review-acknowledgement")).toHaveLength(1);
    });

    it("treats a link that opens nothing as not found", async () => {
      await expect(askForReview(deps(), "A".repeat(43), "Grounds", authorityName, now)).rejects.toMatchObject(
        {
          code: "not-found",
        },
      );
    });
  });
});
