import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateAuthoritySettings } from "../../../authority/index.ts";
import { londonDate } from "../../../calendar/index.ts";
import { testBackends } from "../../../db/testing.ts";
import { computeDeadline } from "../../../law/index.ts";
import { type Actor, createRequest, performAction, saveReplyDraft } from "../../../requests/index.ts";
import { gangsReplyInput, type ReplyInput } from "../../../responses/index.ts";
import { addStaff, Browser, csrfFrom, openTestApp, type TestApp, visible } from "../../testing.ts";

// Changing the law a request is handled under, as an officer does it: the request page offers it, its form
// (radios of the authority's other regimes, a reason, the CSRF token) names what is missing, and once changed
// the request page, its timeline and the reply pages say so.

// The real time: the browser drops a session cookie that has expired by the clock on the wall.
// A fixed moment, given to the app as its clock: the tests never read the wall clock.
const now = new Date("2026-11-26T10:00:00Z");
const today = londonDate(now);

function versionFrom(html: string): string {
  const match = /name="version"[^>]*value="(\d+)"/.exec(html);
  if (!match) throw new Error("the page has no version field");
  return match[1]!;
}

describe.each(testBackends())("changing the regime on the staff pages on $name", (backend) => {
  let t: TestApp;
  let officer: Browser;
  let approver: Browser;
  let actor: Actor;

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    await updateAuthoritySettings(t.handle.db, { name: "Westmarch Council" }, now);
    await addStaff(t.handle, { username: "olu", name: "Olu Officer", role: "officer", team: "Disclosure" });
    await addStaff(t.handle, { username: "abi", name: "Abi Patel", role: "approver", team: "Disclosure" });
    const user = await t.handle.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", "olu")
      .executeTakeFirstOrThrow();
    actor = { userId: user.id, label: "Olu Officer", role: "officer" };
    officer = new Browser(t.app);
    expect((await officer.signIn("olu")).statusCode).toBe(303);
    approver = new Browser(t.app);
    expect((await approver.signIn("abi")).statusCode).toBe(303);
  });
  afterAll(async () => t?.close());

  async function loggedFoia() {
    const created = await createRequest(
      t.handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: today,
        body: "1. How many known gangs are there in each borough?\n2. How many have under-18s in them?",
        requester: { name: "Priya Raman", email: "priya@example.org", type: "journalist" },
      },
      actor,
      now,
    );
    return { ...created, href: `/staff/requests/${created.id}` };
  }

  it("offers the form to the officer, not the approver, with the authority's other regimes and a reason", async () => {
    const request = await loggedFoia();
    const page = await officer.get(request.href);
    expect(page.body).toContain(`href="${request.href}/actions/change-regime"`);
    expect(visible(page.body)).toContain("Change the law this request is handled under");
    expect((await approver.get(request.href)).body).not.toContain("/actions/change-regime");

    const form = await officer.get(`${request.href}/actions/change-regime`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="_csrf"');
    const radios = [...form.body.matchAll(/type="radio" value="([^"]+)"/g)].map((match) => match[1]);
    expect(radios).toEqual(["eir", "sar"]);
    expect(visible(form.body)).toContain("Environmental Information Regulations 2004");
    expect(form.body).toContain('name="reason"');
  });

  it("names each missing field, refuses without the CSRF token, and changes the law when complete", async () => {
    const request = await loggedFoia();
    const form = await officer.get(`${request.href}/actions/change-regime`);
    const fields = { _csrf: csrfFrom(form.body), version: versionFrom(form.body) };

    const empty = await officer.post(`${request.href}/actions/change-regime`, fields);
    expect(empty.statusCode).toBe(422);
    const problems = visible(empty.body);
    expect(problems).toContain("Choose the law the request is handled under");
    expect(problems).toContain("Enter why the request is handled under this law");
    expect(empty.body).toContain('href="#regime"');

    const forged = await officer.post(`${request.href}/actions/change-regime`, {
      version: fields.version,
      regime: "eir",
      reason: "Environmental",
    });
    expect(forged.statusCode).toBe(403);

    const changed = await officer.post(`${request.href}/actions/change-regime`, {
      ...fields,
      regime: "eir",
      reason: "It asks about noise from the depot, which is environmental information",
    });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe(`${request.href}?done=change-regime`);
    const page = visible((await officer.get(request.href)).body);
    expect(page).toContain("Environmental Information Regulations 2004");
    expect(page).toContain(request.reference);
    expect(page).toContain("Law the request is handled under changed");
    expect(page).toContain("Previously handled under FOIA");
    expect(page).toContain("It asks about noise from the depot");
    expect(page).toMatch(/Reference The reference .* is unchanged/);
    const due = computeDeadline({ regime: "eir", received: today, asOf: today }).dueDate;
    const row = await t.handle.db
      .selectFrom("requests")
      .select(["regime", "due_date", "reference"])
      .where("id", "=", request.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ regime: "eir", due_date: due, reference: request.reference });

    // The same law again, from a fresh form: refused (409) with the guard's words.
    const again = await officer.get(`${request.href}/actions/change-regime`);
    expect([...again.body.matchAll(/type="radio" value="([^"]+)"/g)].map((match) => match[1])).toEqual([
      "foia",
      "sar",
    ]);
    const same = await officer.post(`${request.href}/actions/change-regime`, {
      _csrf: csrfFrom(again.body),
      version: versionFrom(again.body),
      regime: "eir",
      reason: "Still environmental",
    });
    expect(same.statusCode).toBe(409);
    expect(visible(same.body)).toContain("the request is already handled under the EIR: choose another law");
  });

  it("tells the reply pages that the law changed and checks the draft against the new catalogue", async () => {
    const request = await loggedFoia();
    const started = await performAction(t.handle.db, request.id, { type: "start-work" }, 1, actor, now);
    const {
      reference: _r,
      regime: _g,
      date: _d,
      receivedDate: _rd,
      requester: _q,
      ...draft
    } = gangsReplyInput;
    const saved = await saveReplyDraft(
      t.handle.db,
      request.id,
      draft as ReplyInput,
      started.version,
      actor,
      now,
    );
    expect(saved.problems).toEqual([]);
    const form = await officer.get(`${request.href}/actions/change-regime`);
    const changed = await officer.post(`${request.href}/actions/change-regime`, {
      _csrf: csrfFrom(form.body),
      version: versionFrom(form.body),
      regime: "eir",
      reason: "The locations are noise nuisance sites",
    });
    expect(changed.statusCode).toBe(303);
    for (const path of ["reply", "reply/preview"]) {
      const page = visible((await officer.get(`${request.href}/${path}`)).body);
      expect(page, path).toContain(
        "This request is now handled under the Environmental Information Regulations 2004, not the Freedom of Information Act 2000.",
      );
      expect(page, path).toContain("The draft is kept and is now checked against the EIR's exceptions");
      expect(page, path).toContain("Refuse under the EIR exceptions");
    }
  });
});
