import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { datasetList, datasetPage } from "../datasets/index.ts";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { publicationScheme, schemeForStaff } from "../publication-scheme/index.ts";
import { complianceReport, quarterOf } from "../reporting/index.ts";
import { readableHistory, replyFor, requestStates, verifyAuditChain, workQueue } from "../requests/index.ts";
import { enterSecondFactor, signIn, totpCode } from "../users/index.ts";
import { demoRequests } from "./content.ts";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, demoWalkThroughReferences, loadDemoData } from "./index.ts";

/** The queue as the system sees it: every request, subject access included. */
const everyone = { userId: null, label: "test", role: "system" as const };

const [pglite] = testBackends();

describe("demo data", () => {
  let handle: DatabaseHandle;
  const now = new Date("2026-11-26T09:00:00Z");
  beforeAll(async () => {
    handle = await pglite!.open();
  });
  afterAll(async () => handle?.close());

  it("loads a fictional authority with requests in every state, some overdue, once", async () => {
    const first = await loadDemoData(handle.db, now);
    expect(first.loaded).toBe(true);
    expect(first.logins.map((login) => login.role)).toEqual([
      "officer",
      "officer",
      "approver",
      "manager",
      "admin",
    ]);
    const states = await handle.db.selectFrom("requests").select("state").distinct().execute();
    expect(states.map((row) => row.state).sort()).toEqual([...requestStates].sort());
    const queue = await workQueue(handle.db, {}, now, everyone);
    expect(queue.counts.overdue).toBeGreaterThan(0);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
    // Every answer under FOIA and the EIR was a reply sent, its letter on file (none recorded without one).
    const answers = await handle.db
      .selectFrom("requests as r")
      .leftJoin("replies as p", "p.request_id", "r.id")
      .select(["r.reference", "r.regime", "p.sent_at", "p.letter_document_id"])
      .where("r.outcome", "is not", null)
      .execute();
    const foi = answers.filter((answer) => answer.regime !== "sar");
    // A letter to post is a reply given when it is posted (FOIA s.10(1)): every postal letter the demo sent
    // was recorded as posted, and the outcome it gave is dated that day.
    const sends = await handle.db
      .selectFrom("request_events")
      .select("request_id")
      .where("type", "in", ["send-reply", "send-review-letter"])
      .execute();
    const histories = await Promise.all(
      [...new Set(sends.map((row) => row.request_id))].map((id) => readableHistory(handle.db, id)),
    );
    const postalSends = histories.flatMap((history) =>
      history.flatMap((event, index) =>
        event.type.startsWith("send-") && event.payload.sentBy === "post" ? [{ history, index, event }] : [],
      ),
    );
    expect(postalSends.length).toBeGreaterThan(0);
    for (const { history, index, event } of postalSends) {
      const posted = event.type === "send-reply" ? "record-posted" : "record-review-posted";
      expect(history[index + 1]?.type).toBe(posted);
      expect(history[index + 2]?.payload.date).toBe(history[index + 1]?.payload.date);
    }
    // A fees notice unpaid for three months lapsed by itself (FOIA s.9(2)).
    // The reason is read through the history (free text is held apart from the chain, retention's design).
    const lapsedIn = await handle.db
      .selectFrom("request_events")
      .select("request_id")
      .where("type", "=", "lapse")
      .where("actor_label", "=", "foidesk")
      .execute();
    const lapsedByFoidesk = (
      await Promise.all(lapsedIn.map((row) => readableHistory(handle.db, row.request_id)))
    )
      .flat()
      .filter((event) => event.type === "lapse" && event.actorLabel === "foidesk");
    expect(lapsedByFoidesk.map((event) => event.payload.reason)).toEqual([
      expect.stringContaining("FOIA s.9(2)"),
    ]);
    // Every internal review under FOIA-type laws was decided by a review letter sent, its letter on file; the
    // regulator stage has a decision notice with steps and a date to take them by, and an appeal.
    const reviews = await handle.db
      .selectFrom("requests as r")
      .leftJoin("review_letters as l", "l.request_id", "r.id")
      .select(["r.regime", "r.state", "l.sent_at", "l.letter_document_id"])
      .where("r.review_outcome", "is not", null)
      .execute();
    const foiReviews = reviews.filter((review) => review.regime !== "sar");
    expect(foiReviews.length).toBeGreaterThan(3);
    expect(foiReviews.filter((review) => !review.sent_at || review.letter_document_id === null)).toEqual([]);
    expect(reviews.map((review) => review.state)).toContain("review-decided");
    const notices = (
      await Promise.all(
        (
          await handle.db
            .selectFrom("requests")
            .select("id")
            .where("state", "in", ["decision-notice", "tribunal-appeal"])
            .execute()
        ).map((row) => readableHistory(handle.db, row.id)),
      )
    ).flat();
    expect(
      notices.find((event) => event.type === "record-decision-notice" && event.payload.steps),
    ).toMatchObject({ payload: { complianceDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } });
    expect(notices.some((event) => event.type === "record-appeal")).toBe(true);
    expect(foi.length).toBeGreaterThan(10);
    expect(foi.filter((answer) => !answer.sent_at || answer.letter_document_id === null)).toEqual([]);
    // The worked statistics example: the gangs dataset and its policy, and the force-wide table released for
    // the gangs request, whose draft reply links to it as advice and assistance.
    const [gangs] = await datasetList(handle.db);
    expect(gangs).toMatchObject({ name: "gangs-matrix", title: "Known gangs", records: 62, releases: 1 });
    const page = await datasetPage(handle.db, gangs!.id);
    expect(page.policy.summary.restricted[0]?.citations).toEqual(["Section 31(1)(a)(b) Law enforcement"]);
    const release = page.releases[0]!;
    expect(release.title).toBe("Known gangs by age band and category");
    expect(release.primary).toBeGreaterThan(0);
    const reply = await replyFor(handle.db, release.requestId!);
    expect(reply?.content.advice?.at(-1)?.link?.url).toBe(`http://localhost:3000/statistics/${release.id}`);
    // The publication scheme: entries in several classes, the disclosure log and the released table linked,
    // and the annual report (reviewed 13 months ago) due for review.
    const scheme = await publicationScheme(handle.db);
    expect(scheme.filter((schemeClass) => schemeClass.entries.length > 0).length).toBeGreaterThanOrEqual(4);
    const links = scheme.flatMap((schemeClass) => schemeClass.entries.map((entry) => entry.link));
    expect(links).toContain("/disclosure-log");
    expect(links).toContain(`/statistics/${release.id}`);
    const staffScheme = await schemeForStaff(handle.db, now);
    expect(staffScheme.reviewDue).toBe(1);
    // The manager's report for the year: the answers the demo sends after the 20 working days (FOIA s.10(1))
    // are late; one claimed a public-interest extension in time (s.10(3)) and answered within it; the rest,
    // signed-off replies too, are in time. And an overdue backlog.
    const timed = demoRequests.filter((request) => request.answeredOnWorkingDay !== undefined);
    const late = timed.filter(
      (request) => request.answeredOnWorkingDay! > 20 && request.extendedOnWorkingDay === undefined,
    );
    const extended = timed.filter(
      (request) => request.extendedOnWorkingDay! <= 20 && request.answeredOnWorkingDay! > 20,
    );
    expect(late.map((request) => request.topic)).toEqual(["Recruitment", "Surveillance"]);
    expect(extended.map((request) => request.topic)).toEqual(["Firearms"]);
    const report = await complianceReport(handle.db, { from: "2026-01-01", to: "2026-11-26" }, now);
    const answered = report.timeliness.at(-1)!.answered;
    expect(report.timeliness.at(-1)).toMatchObject({
      answered: 13,
      late: late.length,
      permittedExtension: extended.length,
      inTime: answered - late.length,
      meetsIcoExpectation: (answered - late.length) / answered >= 0.9,
    });
    expect(report.backlog.overdue).toBeGreaterThan(0);
    // They were answered within the last two quarters, so the quarter presets of the reports page show them.
    const quarters = [quarterOf("2026-11-26"), quarterOf("2026-09-30")];
    const byQuarter = await Promise.all(
      quarters.map((quarter) => complianceReport(handle.db, quarter, now).then((r) => r.timeliness.at(-1)!)),
    );
    expect(byQuarter.reduce((sum, row) => sum + row.late, 0)).toBe(late.length);
    expect(byQuarter.reduce((sum, row) => sum + row.permittedExtension, 0)).toBe(extended.length);
    const again = await loadDemoData(handle.db, now);
    expect(again.loaded).toBe(false);
  });

  it("signs its officers in with the password, and its manager and administrator with the published key's code", async () => {
    const ip = "127.0.0.1";
    const officer = await signIn(handle.db, { username: "officer", password: DEMO_PASSWORD, ip }, now);
    expect(officer.stage).toBe("signed-in");
    for (const username of ["manager", "admin"]) {
      const step = await signIn(handle.db, { username, password: DEMO_PASSWORD, ip }, now);
      expect(step.stage, username).toBe("second-factor");
      const done = await enterSecondFactor(
        handle.db,
        { token: step.token, code: totpCode(DEMO_TOTP_SECRET, now), ip },
        now,
      );
      expect(done.stage, username).toBe("signed-in");
    }
  });

  it("is the demo the README walks through: the gangs request it names is the one the table is released into", async () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    // The README names the gangs request by what it is; `npm start` prints its reference on this machine.
    expect(readme).toContain('under "The README\'s walk-through names:"');
    const named = (await demoWalkThroughReferences(handle.db)).find(
      (entry) => entry.label === "The gangs request",
    )?.reference;
    const released = await handle.db
      .selectFrom("statistics_releases as s")
      .innerJoin("requests as r", "r.id", "s.request_id")
      .innerJoin("users as u", "u.id", "r.assignee_id")
      .select(["r.reference", "r.body", "u.username"])
      .executeTakeFirstOrThrow();
    expect(released.reference).toBe(named);
    expect(readme.replace(/\s+/g, " ")).toContain(released.body.split("\n")[0]!.replace(/^1\. /, ""));
    expect(readme).toContain(`assigned to \`${released.username}\``);
    // The design map the README points at is in the project, not outside it.
    expect(readme).not.toContain("../shared/");
    expect(readme).toContain("(docs/design.md)");
    expect(existsSync(new URL("../../docs/design.md", import.meta.url))).toBe(true);
  });
});
