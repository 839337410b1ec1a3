import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../db/testing.ts";
import {
  type Actor,
  createRequest,
  newTrackingToken,
  performAction,
  recordPosted,
  setTrackingToken,
} from "../../requests/index.ts";
import { recordingMailer, reviewRequest, sendSampleReply } from "../../requests/testing.ts";
import { openTestApp, setUpCasework, type TestApp, visible } from "../testing.ts";

// The tracking page of a requester who gave only a postal address (issue 14): a reply or review letter that
// has been generated but not yet posted has not been given (FOIA s.10(1)), so the page says so until the day
// it was posted is recorded, and then shows the reply, the date it went and the letter to download.

// Tuesday 4 March 2025, 10:00 in London, as the app's clock.
const now = new Date("2025-03-04T10:00:00Z");

describe.each(testBackends())("the tracking page of a reply by post on $name", (backend) => {
  let t: TestApp;
  let officer: Actor;
  let reviewer: Actor;

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    const casework = await setUpCasework(t, {
      authority: { name: "Westmarch Constabulary", address: "1 Castle Street, Westmarch WM1 1AA" },
      staff: [
        { username: "olu", name: "Olu Officer", role: "officer" },
        { username: "rae", name: "Rae Reviewer", role: "officer" },
      ],
      now,
    });
    officer = casework.actors.olu!;
    reviewer = casework.actors.rae!;
  });
  afterAll(async () => t?.close());

  /** A request by post (the requester gave only an address) with its tracking link, and Olu's reply sent. */
  async function replyByPost(receivedDate: string, body: string) {
    const { id } = await createRequest(
      t.handle.db,
      {
        regime: "foia",
        channel: "post",
        receivedDate,
        body,
        requester: { name: "Pat Post", address: "2 Mill Lane\nWestmarch WM2 2BB" },
      },
      officer,
      now,
    );
    const token = newTrackingToken();
    await setTrackingToken(t.handle.db, id, token);
    const started = await performAction(t.handle.db, id, { type: "start-work" }, 1, officer, now);
    const mailer = recordingMailer(t.handle.db, () => now);
    const sent = await sendSampleReply(
      t.handle.db,
      id,
      started.version,
      { officer, files: t.app.files, mailer },
      now,
    );
    return { id, token, sent };
  }

  it("says the reply is not yet sent while its letter waits to be posted, and replied once it is recorded as posted", async () => {
    const { id, token, sent } = await replyByPost(
      "2025-02-25",
      "How many stop and search encounters were there in 2024?",
    );
    const track = async () => {
      const page = await t.app.inject(`/track/${token}`);
      expect(page.statusCode).toBe(200);
      return { html: page.body, text: visible(page.body) };
    };
    expect(sent.method).toBe("post");

    // Generated, printed perhaps, but not posted: not yet a reply, and nothing to download.
    const waiting = await track();
    expect(waiting.text).toContain("Status In progress We are working on your request.");
    expect(waiting.text).toContain("Our reply We have not replied yet.");
    // 20 working days, St Patrick's Day (Mon 17 March, a bank holiday in Northern Ireland) not among them (FOIA s.10(6)).
    expect(waiting.text).toContain("Reply due by 26 March 2025");
    expect(waiting.text).not.toContain("Replied");
    expect(waiting.html).not.toContain(`/track/${token}/documents/`);
    expect(waiting.html).not.toContain(`action="/track/${token}/review"`);

    await recordPosted(t.handle.db, id, { date: "2025-03-04" }, sent.version, officer, now);
    const posted = await track();
    expect(posted.text).toContain("Status Replied We have replied to your request.");
    expect(posted.text).toContain("Replied 4 March 2025");
    expect(posted.text).toContain("We replied on 4 March 2025. The outcome was: Granted in full");
    expect(posted.html).toMatch(new RegExp(`href="/track/${token}/documents/\\d+" download>[^<]*\\.pdf<`));
    expect(posted.text).not.toContain("Reply due");
    expect(posted.html).toContain(`action="/track/${token}/review"`);
  });

  it("says the review is in progress while its letter waits to be posted, and sent once it is recorded as posted", async () => {
    const { id, token, sent } = await replyByPost("2025-02-03", "How many speed cameras are there?");
    let version = (await recordPosted(t.handle.db, id, { date: "2025-03-04" }, sent.version, officer, now))
      .version;
    version = (
      await performAction(
        t.handle.db,
        id,
        { type: "request-review", date: "2025-03-04", grounds: "You did not search the archive" },
        version,
        officer,
        now,
      )
    ).version;
    // Rae, not involved in the reply, writes the review letter; with no email address it is to be posted.
    version = await reviewRequest(t.handle.db, id, version, reviewer, "upheld", now);

    const waiting = visible((await t.app.inject(`/track/${token}`)).body);
    expect(waiting).toContain("Status Internal review in progress");
    expect(waiting).toContain("You asked for an internal review on 4 March 2025.");
    expect(waiting).not.toContain("the result of the internal review");
    expect(waiting).not.toContain("We upheld our original decision.");

    await recordPosted(t.handle.db, id, { date: "2025-03-04" }, version, officer, now, "review");
    const decided = visible((await t.app.inject(`/track/${token}`)).body);
    expect(decided).toContain(
      "Status Internal review completed We have sent you the result of the internal review.",
    );
    expect(decided).toContain(
      "We completed the internal review on 4 March 2025. We upheld our original decision.",
    );
    expect(decided).toContain("We sent you the review letter on 4 March 2025, with our reasons.");
  });
});
