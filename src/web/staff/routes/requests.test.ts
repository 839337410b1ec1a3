import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { londonDate } from "../../../calendar/index.ts";
import { testBackends } from "../../../db/testing.ts";
import { DEMO_PASSWORD, loadDemoData } from "../../../demo/index.ts";
import {
  type Actor,
  createRequest,
  MAX_DOCUMENT_BYTES,
  newReplyInput,
  saveReplyDraft,
} from "../../../requests/index.ts";
import { answerRequest } from "../../../requests/testing.ts";
import { sampleReply } from "../../../responses/index.ts";
import { Browser, csrfFrom, openTestApp, type TestApp, visible } from "../../testing.ts";
import { replyFormValues } from "./replies-form.ts";

// The casework pages as a person uses them: the demo authority, signed in as the demo officer (and the
// approver), every change made by submitting the pages' own forms. On both backends, as the API tests: the
// demo is loaded once per backend and the tests share it.

// A fixed day (a Wednesday, no bank holiday near), given to the app as its clock: never the wall clock.
const now = new Date("2026-06-10T10:00:00Z");

/** The work queue's rows, as text, in the order shown. */
function queueRows(html: string): string[] {
  const body = /<tbody[\s\S]*?<\/tbody>/.exec(html)?.[0] ?? "";
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((row) => visible(row[1]!));
}

function versionFrom(html: string): string {
  const match = /name="version"[^>]*value="(\d+)"/.exec(html);
  if (!match) throw new Error("the page has no version field");
  return match[1]!;
}

function requestLinks(html: string): { href: string; reference: string }[] {
  return [...html.matchAll(/<a class="govuk-link" href="(\/staff\/requests\/\d+)">([^<]+)<\/a>/g)].map(
    (match) => ({ href: match[1]!, reference: match[2]!.trim() }),
  );
}

function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) {
  const boundary = "----foidesk-casework-test";
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`;
  return {
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(parts.join("") + head),
      file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

const todayFields = () => {
  const [year, month, day] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" })
    .format(now)
    .split("-");
  return { "date-day": String(Number(day)), "date-month": String(Number(month)), "date-year": year! };
};

describe.each(testBackends())("the casework pages on $name", (backend) => {
  let t: TestApp;
  /** A demo member of staff as the services take them. */
  const staffActor = async (username: string): Promise<Actor> => {
    const user = await t.handle.db
      .selectFrom("users")
      .select(["id", "display_name", "role"])
      .where("username", "=", username)
      .executeTakeFirstOrThrow();
    return { userId: user.id, label: user.display_name, role: user.role };
  };
  let officer: Browser;
  let approver: Browser;

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    await loadDemoData(t.handle.db, now);
    officer = new Browser(t.app);
    expect((await officer.signIn("officer", DEMO_PASSWORD)).statusCode).toBe(303);
    approver = new Browser(t.app);
    expect((await approver.signIn("abi", DEMO_PASSWORD)).statusCode).toBe(303);
  }, 180_000);
  afterAll(async () => t?.close());

  /** Opens a page, submits one of its action forms as the person would, and follows the redirect. */
  async function act(
    browser: Browser,
    requestHref: string,
    type: string,
    fields: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const page = await browser.get(`${requestHref}/actions/${type}`);
    expect(page.statusCode, `${type} should be offered`).toBe(200);
    return browser.post(`${requestHref}/actions/${type}`, {
      _csrf: csrfFrom(page.body),
      version: versionFrom(page.body),
      ...fields,
    });
  }

  async function firstInQueue(browser: Browser, query: string): Promise<{ href: string; reference: string }> {
    const queue = await browser.get(`/staff/requests?${query}`);
    const link = requestLinks(queue.body)[0];
    if (!link) throw new Error(`nothing in the queue for ${query}`);
    return link;
  }

  describe("the work queue", () => {
    it("shows the counts, and puts the overdue requests first with a red tag", async () => {
      const page = await officer.get("/staff/requests");
      expect(page.statusCode).toBe(200);
      const text = visible(page.body);
      expect(text).toMatch(/Work queue/);
      const overdue = Number(/(\d+) overdue/.exec(text)?.[1]);
      expect(overdue).toBeGreaterThan(0);
      expect(text).toMatch(/\d+ open/);
      expect(text).toMatch(/\d+ due within 5 working days/);
      const rows = queueRows(page.body);
      const flags = rows.map((row) => /Overdue by \d+ (working )?days?/.test(row));
      expect(flags.filter(Boolean)).toHaveLength(overdue);
      expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
      expect(page.body).toMatch(/govuk-tag--red app-due-date-tag">\s*Overdue by/);
    });

    it("filters to the overdue ones, keeping the filter in the address and the form", async () => {
      const all = visible((await officer.get("/staff/requests")).body);
      const overdue = Number(/(\d+) overdue/.exec(all)?.[1]);
      const page = await officer.get("/staff/requests?overdue=yes");
      const rows = queueRows(page.body);
      expect(rows).toHaveLength(overdue);
      for (const row of rows) expect(row).toMatch(/Overdue by/);
      expect(page.body).toMatch(/name="overdue" type="checkbox" value="yes" checked/);
      expect(page.body).toContain('href="/staff/requests?view=team"');
    });

    it("shows only the officer's own requests under 'Assigned to me'", async () => {
      const rows = queueRows((await officer.get("/staff/requests?view=mine")).body);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row).toContain("Olivia Okafor");
    });

    it("says what is wrong with a filter it cannot read, and keeps what was typed", async () => {
      const page = await officer.get("/staff/requests?due=soon");
      expect(page.statusCode).toBe(422);
      expect(page.body).toContain('<a href="#due">Enter a number of working days, like 5</a>');
      expect(page.body).toMatch(/id="due" name="due" type="text" value="soon"/);
    });

    it("shows 50 a page with GOV.UK pagination that keeps the filters", async () => {
      const manager = new Browser(t.app);
      await manager.signIn("manager", DEMO_PASSWORD);
      const actor = { userId: null, label: "Bulk import", role: "manager" as const };
      for (let index = 0; index < 55; index++) {
        await createRequest(
          t.handle.db,
          {
            regime: "eir",
            channel: "email",
            receivedDate: new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(now),
            body: `Noise complaint number ${index} near the firing range`,
            requester: { name: "Neighbour", email: `neighbour${index}@example.org` },
          },
          actor,
          now,
        );
      }
      const first = await manager.get("/staff/requests?view=all&regime=eir");
      const total = Number(/of (\d+) requests/.exec(visible(first.body))?.[1]);
      expect(total).toBeGreaterThan(50);
      expect(queueRows(first.body)).toHaveLength(50);
      expect(first.body).toMatch(/class="govuk-pagination"/);
      expect(first.body).toContain('href="/staff/requests?view=all&amp;regime=eir&amp;page=2"');
      const second = await manager.get("/staff/requests?view=all&regime=eir&page=2");
      expect(queueRows(second.body)).toHaveLength(total - 50);
      // "Next" reads on from the first page's last row (keyset), to the same rows as page 2 by number.
      const next = /govuk-pagination__next[\s\S]*?href="([^"]+)"/
        .exec(first.body)?.[1]
        ?.replace(/&amp;/g, "&");
      expect(next).toMatch(/^\/staff\/requests\?view=all&regime=eir&page=2&after=\d{4}-\d{2}-\d{2}\.\d+$/);
      const following = await manager.get(next!);
      expect(queueRows(following.body)).toEqual(queueRows(second.body));
      expect(visible(following.body)).toContain(`Showing 51 to ${total} of ${total} requests`);
      expect(following.body).not.toMatch(/govuk-pagination__next/);
      expect(visible(second.body)).toContain(`Showing 51 to ${total} of ${total} requests`);
      expect(second.body).toMatch(
        /govuk-pagination__prev[\s\S]*href="\/staff\/requests\?view=all&amp;regime=eir"/,
      );
      for (const row of [...queueRows(first.body), ...queueRows(second.body)]) expect(row).toContain("EIR");
    });

    it("finds a request by its reference", async () => {
      const { href, reference } = await firstInQueue(officer, "");
      const found = await officer.get(
        `/staff/requests/by-reference?reference=${encodeURIComponent(reference)}`,
      );
      expect(found.statusCode).toBe(303);
      const redirected = await officer.get(found.headers.location as string);
      expect(redirected.headers.location).toBe(href);
      const missing = await officer.get("/staff/requests/by-reference/01.FOI.99.999999");
      expect(missing.statusCode).toBe(404);
      expect(visible(missing.body)).toContain("No request has the reference 01.FOI.99.999999");
    });
  });

  describe("working a request", () => {
    it("takes a request from receipt to a recorded outcome through the page's forms, and shows the timeline", async () => {
      const { href, reference } = await firstInQueue(officer, "state=received");
      let page = await officer.get(href);
      expect(visible(page.body)).toContain(reference);
      expect(page.body).toMatch(/<button[^>]*>\s*Acknowledge\s*<\/button>/);
      expect(page.body).toMatch(/<button[^>]*>\s*Assign to me\s*<\/button>/);

      const acknowledged = await officer.post(`${href}/actions/acknowledge`, {
        _csrf: csrfFrom(page.body),
        version: versionFrom(page.body),
      });
      expect(acknowledged.statusCode).toBe(303);
      expect(acknowledged.headers.location).toBe(`${href}?done=acknowledge`);
      page = await officer.get(acknowledged.headers.location as string);
      // The acknowledgement itself went: an email to the requester, or a letter to post.
      expect(visible(page.body)).toMatch(/Acknowledgement (emailed to \S+@\S+|letter ready to post)/);
      expect(page.body).not.toMatch(/<button[^>]*>\s*Acknowledge\s*<\/button>/);

      page = await officer.get(href);
      const userId = /name="assigneeId" value="(\d+)"/.exec(page.body)![1]!;
      expect((await act(officer, href, "assign", { assigneeId: userId })).statusCode).toBe(303);
      expect((await act(officer, href, "start-work")).statusCode).toBe(303);

      const clarify = await act(officer, href, "request-clarification", {
        ...todayFields(),
        note: "Which years do you mean?",
      });
      expect(clarify.statusCode).toBe(303);
      page = await officer.get(href);
      expect(visible(page.body)).toMatch(/Awaiting clarification Clock stopped/);
      expect(visible(page.body)).toContain("The clock is stopped until the requester replies");

      expect(
        (await act(officer, href, "receive-clarification", { ...todayFields(), note: "2023 and 2024" }))
          .statusCode,
      ).toBe(303);
      // No outcome without a reply (FOIA s.17): the page says so and what to do instead.
      const worked = await officer.get(href);
      expect(visible(worked.body)).not.toContain("Record the outcome");
      const recorded = await officer.post(`${href}/actions/record-outcome`, {
        _csrf: csrfFrom(worked.body),
        version: versionFrom(worked.body),
        outcome: "granted-in-full",
        ...todayFields(),
      });
      expect(recorded.statusCode).toBe(409);
      expect(visible(recorded.body)).toContain(
        'a FOIA request is answered only by sending its reply, which is the notice the law requires: draft the reply, then use "Send the reply"',
      );
      const requestId = Number(href.split("/").at(-1));
      await answerRequest(
        t.handle.db,
        requestId,
        Number(versionFrom((await officer.get(href)).body)),
        { officer: await staffActor("officer") },
        now,
      );

      page = await officer.get(href);
      const text = visible(page.body);
      expect(text).toContain("State Responded");
      expect(text).toContain("Outcome Granted in full");
      expect(text).toContain("Assigned to Olivia Okafor");
      const timelineHtml = /<ol class="app-timeline">[\s\S]*?<\/ol>/.exec(page.body)![0];
      const timeline = visible(timelineHtml);
      const titles = [
        ...timelineHtml.matchAll(
          /app-timeline__title">([^<]+)<[\s\S]*?app-timeline__byline">by Olivia Okafor,/g,
        ),
      ].map((match) => match[1]);
      expect(titles).toEqual([
        "Record the outcome",
        "Reply sent",
        "Reply drafted",
        "Log clarification received",
        "Log clarification sent",
        "Start work",
        "Assign",
        "Request acknowledged",
        "Request logged",
      ]);
      expect(timeline).toContain("Note Which years do you mean?");
      expect(timeline).toContain("Outcome Granted in full");
      expect(timeline).toContain("Assigned to Olivia Okafor");
      // Nothing more is owed: the request has left the queue.
      expect(visible((await officer.get("/staff/requests")).body)).not.toContain(reference);
    });

    it("needs an approver for a refusal: the officer is told why, cannot approve (403), the approver can", async () => {
      const { href } = await firstInQueue(officer, "view=mine&state=in-progress");
      const unsigned = await act(officer, href, "submit-for-approval", { outcome: "withheld-in-full" });
      expect(unsigned.statusCode).toBe(409);
      expect(visible(unsigned.body)).toContain("there is no reply to approve: draft the reply first");
      const requestId = Number(href.split("/").at(-1));
      const row = await t.handle.db
        .selectFrom("requests as r")
        .innerJoin("requesters as q", "q.id", "r.requester_id")
        .select(["r.reference", "r.regime", "r.received_date", "r.body", "r.topic", "r.version"])
        .select(["q.name as requester_name", "q.email as requester_email", "q.address as requester_address"])
        .where("r.id", "=", requestId)
        .executeTakeFirstOrThrow();
      await saveReplyDraft(
        t.handle.db,
        requestId,
        sampleReply({ ...row, outcome: "withheld-in-full" }, londonDate(now)),
        row.version,
        await staffActor("officer"),
        now,
      );

      expect(
        (await act(officer, href, "submit-for-approval", { outcome: "withheld-in-full" })).statusCode,
      ).toBe(303);
      const officerPage = await officer.get(href);
      expect(visible(officerPage.body)).toContain("Awaiting approval");
      expect(officerPage.body).not.toMatch(/>\s*Approve\s*</);
      const forbidden = await officer.post(`${href}/actions/approve`, {
        _csrf: csrfFrom(officerPage.body),
        version: versionFrom(officerPage.body),
      });
      expect(forbidden.statusCode).toBe(403);
      expect(visible(forbidden.body)).toContain('"Approve" needs the role approver or manager or admin');

      const approverPage = await approver.get(href);
      expect(approverPage.body).toMatch(/<button[^>]*>\s*Approve\s*<\/button>/);
      const approved = await approver.post(`${href}/actions/approve`, {
        _csrf: csrfFrom(approverPage.body),
        version: versionFrom(approverPage.body),
      });
      expect(approved.statusCode).toBe(303);
      const preview = await officer.get(`${href}/reply/preview`);
      expect(
        (
          await officer.post(`${href}/reply/send`, {
            _csrf: csrfFrom(preview.body),
            version: versionFrom(preview.body),
          })
        ).statusCode,
      ).toBe(303);
      const text = visible((await officer.get(href)).body);
      expect(text).toContain("Outcome Withheld in full");
      expect(text).toContain("Approve by Abi Patel");
    });

    it("refuses a change made from a stale page and says who changed it (409), changing nothing", async () => {
      const { href } = await firstInQueue(officer, "state=acknowledged");
      const stale = await officer.get(href);
      expect((await act(approver, href, "add-note", { note: "Called the requester." })).statusCode).toBe(303);
      const response = await officer.post(`${href}/actions/start-work`, {
        _csrf: csrfFrom(stale.body),
        version: versionFrom(stale.body),
      });
      expect(response.statusCode).toBe(409);
      expect(visible(response.body)).toMatch(
        /There is a problem This request was changed by Abi Patel at \d{4}-\d\d-\d\d \d\d:\d\d UTC; reload it to see the change/,
      );
      expect(visible((await officer.get(href)).body)).toContain("State Acknowledged");
    });

    it("refuses an action not allowed in this state (409), saying what is allowed from here", async () => {
      const { href } = await firstInQueue(officer, "state=received");
      const page = await officer.get(href);
      const response = await officer.post(`${href}/actions/decide-review`, {
        _csrf: csrfFrom(page.body),
        version: versionFrom(page.body),
        reviewOutcome: "upheld",
        ...todayFields(),
      });
      expect(response.statusCode).toBe(409);
      expect(visible(response.body)).toContain(
        '"Record review decision" is not allowed when a request is received; allowed from here: acknowledge',
      );
      const form = await officer.get(`${href}/actions/decide-review`);
      expect(form.statusCode).toBe(409);
      expect(visible(form.body)).toContain("is not available for this request now");
    });

    it("decides an internal review only by the review letter, written and sent by someone not involved", async () => {
      // The demo's Gangs review: replied by the officer, signed off by the approver.
      const { href } = await firstInQueue(officer, "view=mine&state=review-requested");
      const id = Number(href.split("/").pop());
      const page = visible((await officer.get(href)).body);
      expect(page).toContain("Internal review letter");
      expect(page).toContain("The review is decided by sending this letter.");
      // A FOIA review is not recorded alone: the form is not offered, and the action is refused saying why.
      expect((await officer.get(`${href}/actions/decide-review`)).statusCode).not.toBe(200);
      const manager = new Browser(t.app);
      expect((await manager.signIn("manager", DEMO_PASSWORD)).statusCode).toBe(303);
      const managerActor = await staffActor("manager");
      const draft = await newReplyInput(t.handle.db, id, managerActor, now, "review");
      const fields = (html: string, extra: Record<string, string> = {}) => ({
        ...replyFormValues(draft),
        _csrf: csrfFrom(html),
        version: versionFrom(html),
        command: "save",
        ...extra,
      });
      // Those who took part in the reply may not write the review letter (s.45 code, part 5).
      for (const browser of [officer, approver]) {
        const editor = await browser.get(`${href}/review-letter`);
        expect(editor.statusCode).toBe(200);
        const refused = await browser.post(
          `${href}/review-letter`,
          fields(editor.body, { "review.outcome": "upheld", "review.reasons": "Fine." }),
        );
        expect(refused.statusCode).toBe(409);
        expect(visible(refused.body)).toContain(
          "you took part in the original decision (you drafted, approved, submitted or sent the reply): an internal review is decided by someone who was not involved (s.45 code of practice, part 5)",
        );
      }
      // The manager's letter, first without a decision: saved, with what it lacks listed; sending is refused.
      let editor = await manager.get(`${href}/review-letter`);
      expect(visible(editor.body)).toContain("The review decision");
      const incomplete = await manager.post(`${href}/review-letter`, fields(editor.body));
      expect(incomplete.statusCode).toBe(303);
      let preview = await manager.get(`${href}/review-letter/preview`);
      expect(visible(preview.body)).toContain(
        "Choose the review decision: upheld, partly overturned or overturned",
      );
      // The page offers no send button yet; a send posted anyway is refused with the problems.
      expect(visible(preview.body)).not.toContain("Send the review letter");
      editor = await manager.get(`${href}/review-letter`);
      const early = await manager.post(`${href}/review-letter/send`, {
        _csrf: csrfFrom(editor.body),
        version: versionFrom(editor.body),
      });
      expect(early.statusCode).toBe(422);
      expect(visible(early.body)).toContain("There is a problem Choose the review decision");
      editor = await manager.get(`${href}/review-letter`);
      const saved = await manager.post(
        `${href}/review-letter`,
        fields(editor.body, {
          "review.outcome": "upheld",
          "review.reasons":
            "The exemption was rightly applied.\n\nThe public interest still favours withholding.",
        }),
      );
      expect(saved.statusCode).toBe(303);
      preview = await manager.get(`${href}/review-letter/preview`);
      const letter = visible(preview.body);
      expect(letter).toContain("Internal review decision");
      expect(letter).toContain("We have upheld the original decision.");
      expect(letter).toContain("section 50 of the Freedom of Information Act 2000");
      expect(letter).toContain("Send the review letter");
      // Still undecided until it is sent.
      expect(visible((await manager.get(href)).body)).toContain("Internal review requested");
      const sent = await manager.post(`${href}/review-letter/send`, {
        _csrf: csrfFrom(preview.body),
        version: versionFrom(preview.body),
      });
      expect(sent.statusCode).toBe(303);
      const done = visible((await manager.get(sent.headers.location as string)).body);
      expect(done).toContain("Review letter sent, and the review recorded as decided");
      const request = visible((await manager.get(href)).body);
      expect(request).toContain("Internal review decided");
      expect(request).toContain("Review letter sent");
      expect(request).toContain("Read the review letter as sent");
    });

    it("refuses a fee logged after the fees notice lapsed, with the reason (FOIA s.9(2))", async () => {
      // The demo's fees notice that lapsed by itself, three months after it was given.
      const lapsed = await t.handle.db
        .selectFrom("request_events")
        .select("request_id")
        .where("type", "=", "lapse")
        .where("actor_label", "=", "foidesk")
        .executeTakeFirstOrThrow();
      const href = `/staff/requests/${lapsed.request_id}`;
      const page = await officer.get(href);
      expect(visible(page.body)).toContain("Lapsed");
      // The page offers no such form now; a payment posted anyway is refused, saying why.
      const { version } = await t.handle.db
        .selectFrom("requests")
        .select("version")
        .where("id", "=", lapsed.request_id)
        .executeTakeFirstOrThrow();
      const paid = await officer.post(`${href}/actions/receive-fee`, {
        _csrf: csrfFrom(page.body),
        version: String(version),
        ...todayFields(),
      });
      expect(paid.statusCode).toBe(409);
      expect(visible(paid.body)).toMatch(
        /the fees notice of \w+ \d+ \w+ \d{4} lapsed on \w+ \d+ \w+ \d{4}: a fee not paid within three months of the notice \(FOIA s\.9\(2\)\) cannot be accepted, and the request need not be answered\. Return the payment, and tell the requester they may make a new request/,
      );
    });

    it("names each field a form got wrong and keeps what was typed", async () => {
      const { href } = await firstInQueue(officer, "view=mine&state=in-progress");
      const response = await act(officer, href, "issue-fees-notice", {
        "date-day": "31",
        "date-month": "2",
        "date-year": "2025",
        amountPence: "twelve",
        note: "Copying costs",
      });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('<a href="#date">The date must be a real date, like 27 3 2024</a>');
      expect(response.body).toContain(
        '<a href="#amountPence">Enter the fee in pounds and pence, like 24.50</a>',
      );
      expect(response.body).toMatch(/id="amountPence" name="amountPence" type="text" value="twelve"/);
      expect(response.body).toContain("Copying costs</textarea>");
    });
  });

  describe("the regulator stage", () => {
    it("logs the complaint, the decision notice with its steps, the appeal and its outcome through the forms, with only the stage's own deadlines on the queue", async () => {
      // The demo's FOIA request whose internal review was decided (its review letter sent).
      const { id, reference } = await t.handle.db
        .selectFrom("requests")
        .select(["id", "reference"])
        .where("state", "=", "review-decided")
        .where("regime", "=", "foia")
        .executeTakeFirstOrThrow();
      const href = `/staff/requests/${id}`;
      const rowOf = async (state: string) =>
        queueRows((await officer.get(`/staff/requests?state=${state}`)).body).find((row) =>
          row.includes(reference),
        );

      // FOIA s.50: the complaint, with the regulator's reference; it has no deadline of ours.
      const complaint = await act(officer, href, "record-complaint", {
        ...todayFields(),
        regulatorReference: "IC-400001-Z9Z9",
      });
      expect(complaint.statusCode).toBe(303);
      const complained = await rowOf("regulator-complaint");
      expect(complained).toContain("No due date");
      expect(complained).not.toContain("Overdue");

      // FOIA s.50(4): steps need the date to take them by; that date is then the queue's deadline.
      const [year, month, day] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" })
        .format(new Date(now.getTime() + 35 * 86_400_000))
        .split("-");
      const withoutDate = await act(officer, href, "record-decision-notice", {
        result: "partly-upheld",
        ...todayFields(),
        steps: "Disclose the totals for each year.",
      });
      expect(withoutDate.statusCode).toBe(422);
      expect(withoutDate.body).toContain(
        '<a href="#complianceDate">Enter the date by which the decision notice&#39;s steps must be taken</a>',
      );
      const notice = await act(officer, href, "record-decision-notice", {
        result: "partly-upheld",
        ...todayFields(),
        steps: "Disclose the totals for each year.",
        "complianceDate-day": String(Number(day)),
        "complianceDate-month": String(Number(month)),
        "complianceDate-year": year!,
      });
      expect(notice.statusCode).toBe(303);
      const page = visible((await officer.get(href)).body);
      expect(page).toContain("Decision notice steps due");
      // The timeline keeps what the notice requires and by when (FOIA s.50(4)), as recorded.
      const timeline = visible(
        /id="timeline"[\s\S]*?id="documents"/.exec((await officer.get(href)).body)?.[0] ?? "",
      );
      expect(timeline).toMatch(
        new RegExp(
          `Record decision notice .*Steps required Disclose the totals for each year\\. Steps to be taken by ${Number(day)} \\w+ ${year}`,
        ),
      );
      const noticed = await rowOf("decision-notice");
      // The compliance date and the days left to it (the original reply's deadline is long gone).
      expect(noticed).toMatch(new RegExp(`${Number(day)} \\w+ ${year} 3[45] days left`));
      expect(noticed).not.toContain("Overdue");

      // FOIA s.57: the appeal to the First-tier Tribunal; while it is heard nothing of ours falls due.
      const appeal = await act(officer, href, "record-appeal", {
        appellant: "requester",
        ...todayFields(),
        tribunalReference: "EA/2026/0999",
      });
      expect(appeal.statusCode).toBe(303);
      const appealed = await rowOf("tribunal-appeal");
      expect(appealed).toContain("No due date");
      expect(appealed).not.toContain("Overdue");
      const outcome = await act(officer, href, "record-tribunal-outcome", {
        tribunalResult: "dismissed",
        ...todayFields(),
      });
      expect(outcome.statusCode).toBe(303);
      const decided = visible((await officer.get(href)).body);
      expect(decided).toContain("Appeal decided");
      expect(await rowOf("tribunal-appeal")).toBeUndefined();
    });
  });

  describe("extending the deadline", () => {
    it("refuses an extension once the original due date has passed, naming the rule, and the request stays overdue", async () => {
      const { href, reference } = await firstInQueue(officer, "overdue=yes&state=in-progress&regime=foia");
      const response = await act(officer, href, "extend", {
        extension: "pit",
        reason: "The public interest test needs more time",
        notice: "Refusal notice under s.17(2)",
        ...todayFields(),
      });
      expect(response.statusCode).toBe(409);
      expect(visible(response.body)).toMatch(
        /an extension must be claimed, and the requester told with the refusal notice saying the public interest test needs more time, with the date you expect to decide, by the original due date, \w+ \d+ \w+ \d{4} \(FOIA s\.10\(3\) and s\.17\(2\)\)\. That date has passed, so the request is late/,
      );
      const queue = await officer.get("/staff/requests?overdue=yes");
      expect(queueRows(queue.body).some((row) => row.includes(reference))).toBe(true);
    });

    it("asks for the date the requester was told and the notice sent", async () => {
      const { href } = await firstInQueue(officer, "state=in-progress&regime=foia");
      const form = await officer.get(`${href}/actions/extend`);
      expect(visible(form.body)).toContain("Date the requester was told");
      expect(visible(form.body)).toContain("Notice sent to the requester");
    });
  });

  describe("proof of identity for a subject access request", () => {
    it("shows the stopped clock in the queue, and logs proof of identity asked for and received through the forms", async () => {
      const waiting = await officer.get("/staff/requests?state=awaiting-identity");
      expect(queueRows(waiting.body).join("\n")).toMatch(/Awaiting proof of identity.*Clock stopped/);
      const { href } = await firstInQueue(officer, "state=awaiting-identity");
      expect(visible((await officer.get(href)).body)).toContain("Log proof of identity received");
      const wrong = await act(officer, href, "identity-received", {
        "date-day": "31",
        "date-month": "2",
        "date-year": "2025",
        note: "Utility bill seen",
      });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.body).toContain('<a href="#date">The date must be a real date, like 27 3 2024</a>');
      expect(wrong.body).toContain("Utility bill seen</textarea>");
      const received = await act(officer, href, "identity-received", {
        ...todayFields(),
        note: "Utility bill seen",
      });
      expect(received.statusCode).toBe(303);
      const page = visible((await officer.get(href)).body);
      expect(page).toContain("In progress");
      expect(page).toContain("Log proof of identity received");

      const asked = await act(officer, href, "request-identity", todayFields());
      expect(asked.statusCode).toBe(422);
      expect(asked.body).toContain('<a href="#note">');
      const again = await act(officer, href, "request-identity", {
        ...todayFields(),
        note: "A copy of a passport or driving licence",
      });
      expect(again.statusCode).toBe(303);
      expect(visible((await officer.get(href)).body)).toContain("Awaiting proof of identity");
    });

    it("is not offered on a FOIA request, and is refused there saying why", async () => {
      const { href } = await firstInQueue(officer, "regime=foia&state=in-progress");
      const page = await officer.get(href);
      expect(visible(page.body)).not.toContain("Log proof of identity asked for");
      const response = await officer.post(`${href}/actions/request-identity`, {
        _csrf: csrfFrom(page.body),
        version: versionFrom(page.body),
        note: "Passport",
        ...todayFields(),
      });
      expect(response.statusCode).toBe(409);
      expect(visible(response.body)).toContain(
        "proof of identity is asked for only for a subject access request (UK GDPR Art.12(6))",
      );
    });
  });

  describe("logging a request by hand", () => {
    async function logRequest(fields: Record<string, string>): Promise<LightMyRequestResponse> {
      const form = await officer.get("/staff/requests/new");
      expect(form.statusCode).toBe(200);
      const [year, month, day] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" })
        .format(now)
        .split("-");
      return officer.post("/staff/requests/new", {
        _csrf: csrfFrom(form.body),
        regime: "foia",
        channel: "post",
        "receivedDate-day": day!,
        "receivedDate-month": month!,
        "receivedDate-year": year!,
        "requester.type": "public",
        ...fields,
      });
    }

    it("logs a valid request with a reference and shows its questions", async () => {
      const response = await logRequest({
        "requester.name": "Ruth Letter",
        "requester.address": "4 Mill Lane\nWestmarch WM2 3CD",
        body: "1. How many speed cameras are there?\n2. How much did they raise in fines in 2025?",
        topic: "Road safety",
      });
      expect(response.statusCode).toBe(303);
      const page = await officer.get(response.headers.location as string);
      const text = visible(page.body);
      expect(text).toMatch(/Request logged as 01\.FOI\.\d\d\.\d{6}/);
      expect(text).toContain("Arrived by Post");
      expect(page.body).toMatch(
        /<ol class="govuk-list govuk-list--number app-questions">\s*<li>How many speed cameras are there\?<\/li>\s*<li>How much did they raise in fines in 2025\?<\/li>/,
      );
      expect(text).toMatch(/Due date \d+ \w+ \d{4} 20 working days left/);
    });

    it("acknowledges a letter with a letter to post, and an email by email, each in the timeline", async () => {
      const posted = await logRequest({
        "requester.name": "Pat Post",
        "requester.address": "9 Quay Street\nWestmarch WM1 4EF",
        body: "How many bicycles were reported stolen in 2025?",
      });
      const href = (posted.headers.location as string).split("?")[0]!;
      let page = await officer.get(href);
      expect(page.body).toMatch(/<button[^>]*>\s*Acknowledge\s*<\/button>/);
      expect(visible(page.body)).toContain(
        "Makes the acknowledgement letter (PDF and Word) to print and post to the requester's address.",
      );
      const done = await officer.post(`${href}/actions/acknowledge`, {
        _csrf: csrfFrom(page.body),
        version: versionFrom(page.body),
      });
      expect(done.statusCode).toBe(303);
      page = await officer.get(done.headers.location as string);
      let text = visible(page.body);
      expect(text).toContain("Acknowledgement letter ready to post");
      expect(text).toContain("Acknowledged");
      expect(page.body).not.toMatch(/<button[^>]*>\s*Acknowledge\s*<\/button>/);
      expect(text).toMatch(/Request acknowledged .*Sent by Post To 9 Quay Street/);
      const letter = /href="([^"]+)">open the acknowledgement letter \(PDF\)/.exec(page.body)?.[1];
      expect(letter).toBeDefined();
      const pdf = await officer.get(letter!);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers["content-type"]).toBe("application/pdf");
      expect(text).toMatch(/01\.FOI\.\d\d\.\d{6}-acknowledgement\.docx/);

      // Logged from an email with the sender's address: acknowledged by email as it is logged.
      const emailed = await logRequest({
        channel: "email",
        "requester.name": "Eve Mail",
        "requester.email": "eve.mail@example.org",
        body: "How many e-scooters were seized in 2025?",
      });
      page = await officer.get(emailed.headers.location as string);
      text = visible(page.body);
      expect(page.body).not.toMatch(/<button[^>]*>\s*Acknowledge\s*<\/button>/);
      expect(text).toMatch(/Request acknowledged .*Sent by Email To eve\.mail@example\.org/);
    });

    it("offers the EISR and logs a Scottish environmental request under it, made by phone without a name", async () => {
      const form = await officer.get("/staff/requests/new");
      expect(form.body).toMatch(/name="regime" type="radio" value="eisr"/);
      expect(visible(form.body)).toContain("EISR");
      const response = await logRequest({
        regime: "eisr",
        channel: "phone",
        "requester.email": "caller@example.org",
        body: "The pollution readings at the burn by the distillery last month.",
      });
      expect(response.statusCode).toBe(303);
      const page = await officer.get(response.headers.location as string);
      const text = visible(page.body);
      expect(text).toMatch(/Request logged as 01\.EISR\.\d\d\.\d{6}/);
      expect(text).toContain("Environmental Information (Scotland) Regulations 2004");
      expect(text).not.toContain("Recorded as not a valid request");
    });

    it("records a request that fails FOIA s.8 as not valid, with the reasons, rather than dropping it", async () => {
      const response = await logRequest({ "requester.name": "", body: "Everything about the helicopter." });
      expect(response.statusCode).toBe(303);
      const page = await officer.get(response.headers.location as string);
      const text = visible(page.body);
      expect(text).toContain("Recorded as not a valid request");
      expect(text).toContain("The request does not state the requester's name (s.8(1)(b))");
      expect(text).toContain("The request gives no address for correspondence (s.8(1)(b))");
      expect(text).toContain("State Invalid");
    });

    it("names each malformed field, linked to it, and keeps the typed text", async () => {
      const before = visible((await officer.get("/staff/requests?view=team")).body);
      const response = await logRequest({
        "requester.name": "Sam Typo",
        "requester.email": "sam-at-example",
        "receivedDate-day": "30",
        "receivedDate-month": "2",
        body: "How many horses does the mounted section keep?",
      });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain(
        '<a href="#receivedDate">The date must be a real date, like 27 3 2024</a>',
      );
      expect(response.body).toContain(
        '<a href="#requester.email">Enter an email address in the correct format, like name@example.com</a>',
      );
      expect(response.body).toMatch(
        /id="requester.email" name="requester.email" type="email"[^>]*value="sam-at-example"/,
      );
      expect(response.body).toContain("How many horses does the mounted section keep?</textarea>");
      expect(response.body).toMatch(/id="receivedDate-day" name="receivedDate-day" type="text" value="30"/);
      expect(visible((await officer.get("/staff/requests?view=team")).body)).toBe(before);
    });
  });

  describe("documents", () => {
    async function upload(href: string, file: { name: string; type: string; bytes: Buffer }) {
      const page = await officer.get(href);
      const body = multipart({ _csrf: csrfFrom(page.body) }, file);
      return t.app.inject({
        method: "POST",
        url: `${href}/documents`,
        headers: {
          ...body.headers,
          cookie: `foidesk_session=${officer.cookies.get("foidesk_session")}`,
        },
        payload: body.payload,
      });
    }

    it("uploads a document, lists it, and downloads it as an attachment of the right type", async () => {
      const { href } = await firstInQueue(officer, "view=mine");
      const bytes = Buffer.from("%PDF-1.4\nthe search results\n");
      const response = await upload(href, { name: "search results.pdf", type: "application/pdf", bytes });
      expect(response.statusCode).toBe(303);
      const page = await officer.get(href);
      expect(visible(page.body)).toContain("Document added");
      const link = /href="([^"]+\/documents\/\d+)" download>search results\.pdf</.exec(page.body);
      expect(link).not.toBeNull();
      const download = await officer.get(link![1]!);
      expect(download.statusCode).toBe(200);
      expect(download.headers["content-type"]).toBe("application/pdf");
      expect(download.headers["content-disposition"]).toBe(
        `attachment; filename="search results.pdf"; filename*=UTF-8''search%20results.pdf`,
      );
      expect(download.rawPayload.equals(bytes)).toBe(true);
      expect(visible(page.body)).toMatch(/Document added by Olivia Okafor/);
    });

    it("refuses a program, saying which kinds are allowed, on the request page", async () => {
      const { href, reference } = await firstInQueue(officer, "view=mine");
      const response = await upload(href, {
        name: "invoice.exe",
        type: "application/octet-stream",
        bytes: Buffer.from("MZ"),
      });
      expect(response.statusCode).toBe(422);
      expect(response.body).toMatch(/<a href="#file">The file must be one of: pdf, doc, docx/);
      expect(visible(response.body)).toContain(reference);
    });

    it("refuses a file over the size limit (413)", async () => {
      const { href } = await firstInQueue(officer, "view=mine");
      const response = await upload(href, {
        name: "huge.pdf",
        type: "application/pdf",
        bytes: Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 1),
      });
      expect(response.statusCode).toBe(413);
      expect(visible(response.body)).toContain("What you sent is too large");
    });
  });

  describe("the requester page", () => {
    it("lists a requester's requests and warns when one repeats another within 60 working days", async () => {
      const form = await officer.get("/staff/requests/new");
      const [year, month, day] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" })
        .format(now)
        .split("-");
      const log = () =>
        officer.post("/staff/requests/new", {
          _csrf: csrfFrom(form.body),
          regime: "foia",
          channel: "email",
          "receivedDate-day": day!,
          "receivedDate-month": month!,
          "receivedDate-year": year!,
          "requester.name": "Kit Asking",
          "requester.email": "kit@example.org",
          "requester.type": "researcher",
          body: "How many police horses does the mounted section keep, and what do they cost to feed?",
        });
      const first = await log();
      const second = await log();
      const requestPage = await officer.get(second.headers.location as string);
      expect(visible(requestPage.body)).toMatch(/may repeat it \(FOIA s\.14\(2\)\)/);
      const requesterLink = /href="(\/staff\/requesters\/\d+)">Kit Asking</.exec(requestPage.body)![1]!;
      const page = await officer.get(requesterLink);
      expect(page.statusCode).toBe(200);
      const text = visible(page.body);
      expect(text).toContain("Kit Asking");
      expect(text).toContain("Researcher");
      expect(text).toContain("2 requests, newest first");
      expect(page.body).toContain(`href="${(first.headers.location as string).split("?")[0]}"`);
      expect(page.body).toMatch(/govuk-warning-text[\s\S]*may repeat it \(FOIA s\.14\(2\)\)/);
    });
  });
});
