import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../../db/testing.ts";
import { DEMO_PASSWORD, loadDemoData } from "../../../demo/index.ts";
import { createRequest, performAction, saveReplyDraft } from "../../../requests/index.ts";
import { gangsReplyInput, type ReplyInput } from "../../../responses/index.ts";
import { docxParagraphs, normaliseSpace } from "../../../responses/testing.ts";
import { Browser, csrfFrom, openTestApp, type TestApp, visible } from "../../testing.ts";
import { replyFormValues } from "./replies-form.ts";

// The issue's "Done when", in the back office: an officer drafts the gangs reply (the borough breakdown
// withheld under s.31(1)(a)(b) with harm and public-interest reasoning, the rest disclosed, advice pointing
// to the published figures), submits it; they cannot approve it; the approver does; the officer sends it; the
// request is responded, partially withheld; the email carries the PDF; the PDF and the Word document are on
// the request as part of the reply, open, and say what the web page says. And an incomplete reply is refused
// at every step with its problems listed, each linked to its field.

// A fixed moment, given to the app as its clock: the tests never read the wall clock.
const now = new Date("2026-11-26T10:00:00Z");

/** A form as a browser sends it: repeated names for several choices (checkboxes, the exemption selects). */
async function submit(
  browser: Browser,
  url: string,
  fields: Record<string, string | string[]>,
): Promise<LightMyRequestResponse> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
  return browser.app.inject({
    method: "POST",
    url,
    headers: {
      ...browser.cookieHeader(),
      "content-type": "application/x-www-form-urlencoded",
    },
    payload: form.toString(),
  });
}

const versionFrom = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? "";

/** The gangs example as the editor's fields, for a request that supplies its own reference and requester. */
function gangsFields(change: (input: ReplyInput) => void = () => {}): Record<string, string | string[]> {
  const input = structuredClone(gangsReplyInput);
  change(input);
  return replyFormValues(input);
}

const withoutAdvice = () =>
  gangsFields((input) => {
    input.advice = [];
  });

/** The text blocks of the reply as the web page renders it (headings, paragraphs, list items, cells). */
function webBlocks(html: string): string[] {
  const reply = /<div class="app-reply">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? "";
  return [...reply.matchAll(/<(h[1-6]|p|li|td|th|caption)\b[^>]*>([\s\S]*?)<\/\1>/g)]
    .map((match) => visible(match[2] ?? ""))
    .filter((text) => text !== "");
}

const hasPdftotext = (() => {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.each(testBackends())("the reply in the back office on $name", (backend) => {
  let t: TestApp;
  let officer: Browser;
  let approver: Browser;
  let requestId: number;
  let reference: string;
  const work = mkdtempSync(join(tmpdir(), "foidesk-reply-"));

  /** The demo's officer, Olivia, as the actor of the requests created here. */
  async function officerActor() {
    const olivia = await t.handle.db
      .selectFrom("users")
      .select(["id", "display_name"])
      .where("username", "=", "officer")
      .executeTakeFirstOrThrow();
    return { userId: olivia.id, label: olivia.display_name, role: "officer" as const };
  }
  const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(now);

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    await loadDemoData(t.handle.db, now);
    officer = new Browser(t.app);
    expect((await officer.signIn("officer", DEMO_PASSWORD)).statusCode).toBe(303);
    approver = new Browser(t.app);
    expect((await approver.signIn("abi", DEMO_PASSWORD)).statusCode).toBe(303);
    const actor = await officerActor();
    const created = await createRequest(
      t.handle.db,
      {
        regime: "foia",
        channel: "web",
        receivedDate: today(),
        body: "1. How many known gangs are there in each London borough?\n2. How many known gangs are there in each London borough that have under 18's within them?",
        requester: {
          name: "Priya Raman",
          email: "priya.raman@westmarch-gazette.example",
          type: "journalist",
        },
        assigneeId: actor.userId,
      },
      actor,
      now,
    );
    await performAction(t.handle.db, created.id, { type: "start-work" }, 1, actor, now);
    requestId = created.id;
    reference = created.reference;
  }, 240_000);
  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    await t?.close();
  });

  const editor = () => `/staff/requests/${requestId}/reply`;

  async function save(browser: Browser, fields: Record<string, string | string[]>, command = "save") {
    const page = await browser.get(editor());
    expect(page.statusCode).toBe(200);
    return submit(browser, editor(), {
      ...fields,
      _csrf: csrfFrom(page.body),
      version: versionFrom(page.body),
      command,
    });
  }

  /** Posts one step of the workflow, at the request's current version (as its form would carry it). */
  async function step(browser: Browser, path: string, fields: Record<string, string> = {}) {
    const page = await browser.get(`${editor()}/preview`);
    const { version } = await t.handle.db
      .selectFrom("requests")
      .select("version")
      .where("id", "=", requestId)
      .executeTakeFirstOrThrow();
    return submit(browser, `${editor()}/${path}`, {
      _csrf: csrfFrom(page.body),
      version: String(version),
      ...fields,
    });
  }

  it("opens the editor from the request page with the request's questions", async () => {
    const request = await officer.get(`/staff/requests/${requestId}`);
    expect(request.body).toContain(`href="/staff/requests/${requestId}/reply"`);
    const page = await officer.get(editor());
    expect(page.statusCode).toBe(200);
    const text = visible(page.body);
    expect(text).toContain("How many known gangs are there in each London borough?");
    expect(text).toContain(
      "How many known gangs are there in each London borough that have under 18's within them?",
    );
    expect(page.body).toContain('value="add:exemption"');
    // An exemption added offers the catalogue of the request's regime.
    const added = await officer.get(`${editor()}?add=exemption`);
    expect(visible(added.body)).toContain("Section 31(1)(a) Law enforcement");
    expect(visible(added.body)).not.toContain("Regulation 12(5)(b)");
    // Each option says what sets it apart, and the library offers this law's wording only, once.
    const options = [...added.body.matchAll(/<option value="[^"]*"[^>]*>\s*([^<]*?)\s*<\/option>/g)].map(
      (match) => match[1]!,
    );
    const personal = options.filter((text) => text.startsWith("Section 40(2)"));
    expect(new Set(personal).size).toBe(3);
    for (const select of added.body.match(/<select[\s\S]*?<\/select>/g) ?? []) {
      const texts = [...select.matchAll(/<option[^>]*>\s*([^<]*?)\s*<\/option>/g)].map((match) => match[1]);
      expect(new Set(texts).size, select.slice(0, 80)).toBe(texts.length);
    }
    const refusalLibrary =
      /<select[^>]*id="library\.refusal\.reasons"[\s\S]*?<\/select>/.exec(page.body)?.[0] ?? "";
    const titles = [...refusalLibrary.matchAll(/<option[^>]*>\s*([^<]*?)\s*<\/option>/g)].map(
      (match) => match[1],
    );
    expect(titles.filter((title) => title?.startsWith("Section 14(1)"))).toHaveLength(1);
    expect(titles.filter((title) => title?.startsWith("Section 14(2)"))).toHaveLength(1);
    const opening = /<select[^>]*id="library\.reasons"[\s\S]*?<\/select>/.exec(page.body)?.[0] ?? "";
    expect(opening).not.toContain("Section 14");
    // The opening paragraphs' textarea is the only element with its id, so its label belongs to it.
    expect(page.body.match(/id="reasons"/g)).toHaveLength(1);
    expect(page.body).toMatch(/<label class="govuk-label[^"]*" for="reasons">\s*Opening paragraphs/);
  });

  it("offers a Scottish environmental request the EISR exceptions, not the EIR 2004's", async () => {
    const actor = await officerActor();
    const scottish = await createRequest(
      t.handle.db,
      {
        regime: "eisr",
        channel: "email",
        receivedDate: today(),
        body: "The dust readings at Carnbee quarry in 2025.",
        requester: { name: "Morag Fraser", email: "morag.fraser@example.org" },
        assigneeId: actor.userId,
      },
      actor,
      now,
    );
    await performAction(t.handle.db, scottish.id, { type: "start-work" }, 1, actor, now);
    const page = await officer.get(`/staff/requests/${scottish.id}/reply?add=exemption`);
    expect(page.statusCode).toBe(200);
    const text = visible(page.body);
    expect(text).toContain("Exceptions applied");
    expect(text).toContain("Add an exception");
    expect(text).toContain("Regulation 10(5)(b) The course of justice");
    expect(text).toContain("It is information on emissions (regulation 10(6))");
    expect(text).toContain("Regulation 10(4)(b) Manifestly unreasonable request");
    expect(text).not.toContain("Regulation 12(5)(b)");
  });

  it("inserts a library paragraph, its placeholders filled, into a field", async () => {
    const page = await officer.get(editor());
    // Add a piece of advice to insert into, then insert the library's "narrowing" advice.
    const added = await save(officer, withoutAdvice(), "add:advice");
    expect(added.statusCode).toBe(303);
    const withAdvice = await officer.get(added.headers.location as string);
    const option = /<option value="(\d+)"[^>]*>\s*Narrowing a request over the cost limit\s*<\/option>/.exec(
      withAdvice.body,
    );
    expect(option, "the library offers its advice paragraphs").not.toBeNull();
    const inserted = await submit(officer, editor(), {
      ...withoutAdvice(),
      "advice.0.purpose": "narrowing",
      "library.advice.0.text": option![1]!,
      _csrf: csrfFrom(page.body),
      version: versionFrom(withAdvice.body),
      command: "insert:advice.0.text",
    });
    expect(inserted.statusCode).toBe(303);
    expect(inserted.headers.location).toBe(`${editor()}?done=inserted#advice.0.text`);
    const after = await officer.get(editor());
    expect(visible(after.body)).toContain(
      `If you would like to send a revised request, please quote reference ${reference}.`,
    );
  });

  it("refuses to submit or send an incomplete reply, listing each problem linked to its field", async () => {
    const defects: [string, (input: ReplyInput) => void, string, string][] = [
      [
        "a withheld answer with no exemption",
        (input) => {
          input.exemptions = [];
        },
        "questions.0.decision",
        "Question 1 is partly withheld, but no exemption is applied to it",
      ],
      [
        "a qualified exemption with no public-interest balance",
        (input) => {
          input.exemptions![0]!.publicInterest!.balance = "";
        },
        "exemptions.0.publicInterest.balance",
        "conclude the public-interest test",
      ],
      [
        "a prejudice-based exemption with no harm reasoning",
        (input) => {
          input.exemptions![0]!.harm!.reasoning = [];
        },
        "exemptions.0.harm.reasoning",
        "Explain, with evidence, how disclosing this information would",
      ],
      [
        "a regime mismatch",
        (input) => {
          input.exemptions![0]!.exemptionIds = ["eir-12-5-b"];
        },
        "exemptions.0.exemptionIds",
        "is an EIR exception",
      ],
    ];
    for (const [defect, change, field, message] of defects) {
      const saved = await save(officer, gangsFields(change));
      expect(saved.statusCode, defect).toBe(303);
      const page = await officer.get(editor());
      expect(page.body, defect).toContain("This reply cannot be approved or sent yet");
      expect(page.body, defect).toMatch(
        new RegExp(`<a href="#${field.replace(/\./g, "\\.")}">[^<]*${message.replace(/[()]/g, "\\$&")}`),
      );
      expect(page.body, `${defect}: the field is there to link to`).toContain(`id="${field}"`);
      // The preview shows what stops the reply and no button that cannot work.
      const preview = await officer.get(`${editor()}/preview`);
      expect(preview.body, defect).not.toContain(`action="${editor()}/submit"`);
      expect(preview.body, defect).not.toContain(`action="${editor()}/send"`);
      expect(visible(preview.body), defect).toMatch(
        /Fix the (problem|\d+ problems) listed at the top of the page first/,
      );
      for (const path of ["submit", "send"]) {
        const refused = await step(officer, path);
        expect(refused.statusCode, `${defect}: ${path}`).toBe(422);
        expect(refused.body).toContain("There is a problem");
        expect(refused.body).toContain(`href="${editor()}#${field}"`);
        expect(visible(refused.body)).toContain(message);
      }
    }
    const state = await t.handle.db
      .selectFrom("requests")
      .select("state")
      .where("id", "=", requestId)
      .executeTakeFirstOrThrow();
    expect(state.state).toBe("in-progress");
  });

  it("keeps what was typed and names the field when the form cannot be read", async () => {
    const refused = await save(officer, {
      ...gangsFields(),
      "advice.0.link.url": "javascript:alert(1)",
      "refusal.ground": "cost",
      "refusal.estimate.lines.0.activity": "locating",
      "refusal.estimate.lines.0.hours": "lots",
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('<a href="#refusal.estimate.lines.0.hours">Enter the hours as a number');
    expect(refused.body).toContain('<a href="#advice.0.link.url">Enter a web address starting with https://');
    expect(refused.body).toContain('value="javascript:alert(1)"');
    expect(refused.body).toContain('value="lots"');
  });

  it("drafts, submits, is approved by someone else, and sends the gangs reply as letters and an email", async () => {
    const saved = await save(officer, gangsFields(), "preview");
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${editor()}/preview`);
    let preview = await officer.get(`${editor()}/preview`);
    let text = visible(preview.body);
    expect(text).toContain("The reply is complete: nothing stops it being submitted for approval");
    expect(text).toContain("I have today decided to disclose some of the requested information.");
    expect(text).toContain("Section 31(1)(a)(b) Law enforcement");
    expect(text).toContain("Gangs matrix: quarterly figures");
    // What the chosen exemptions ask for reads as a person would write it: one citation, one sentence.
    const notes = [
      ...(await officer.get(editor())).body.matchAll(/class="govuk-hint app-exemption-note">([^<]*)</g),
    ];
    expect(notes.map((note) => note[1])).toContain(
      "Section 31(1)(a)(b) Law enforcement is qualified and prejudice-based: the reply needs a harm test and the public-interest test.",
    );

    const submitted = await step(officer, "submit", { note: "Borough figures withheld, s.31" });
    expect(submitted.statusCode).toBe(303);
    expect(submitted.headers.location).toBe(`${editor()}/preview?done=submitted`);
    // Locked now: the editor shows no form.
    expect((await officer.get(editor())).body).not.toContain('value="add:exemption"');

    // The officer cannot approve their own reply (nor any: approving needs an approver's role).
    const own = await step(officer, "approve");
    expect(own.statusCode).toBe(403);

    preview = await approver.get(`${editor()}/preview`);
    text = visible(preview.body);
    expect(text).toContain("Olivia Okafor submitted this reply for approval.");
    const approved = await step(approver, "approve", { note: "Agreed" });
    expect(approved.statusCode).toBe(303);
    // The side panel says who signed it off and when, not that approval is still needed.
    const afterApproval = visible((await officer.get(`${editor()}/preview`)).body);
    expect(afterApproval).toMatch(/Approval Approved by Abi Patel on \d{1,2} \w+ \d{4} at/);
    expect(afterApproval).not.toContain("Needed: it refuses information");

    const sent = await step(officer, "send");
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${editor()}/preview?done=sent`);

    const request = await t.handle.db
      .selectFrom("requests")
      .select(["state", "outcome"])
      .where("id", "=", requestId)
      .executeTakeFirstOrThrow();
    expect(request).toEqual({ state: "responded", outcome: "partially-withheld" });

    // The history says who did what.
    const page = await officer.get(`/staff/requests/${requestId}`);
    text = visible(page.body);
    for (const line of [
      "Reply drafted by Olivia Okafor",
      "Submit for approval by Olivia Okafor",
      "Approve by Abi Patel",
      "Reply sent by Olivia Okafor",
      "Record the outcome by Olivia Okafor",
    ])
      expect(text).toContain(line);

    // The letter and the Word document are on the request, part of the reply.
    const documents = await t.handle.db
      .selectFrom("documents")
      .select(["id", "filename", "media_type", "part_of_reply"])
      .where("request_id", "=", requestId)
      .orderBy("id")
      .execute();
    expect(documents).toEqual([
      {
        id: expect.any(Number),
        filename: `${reference}-reply.pdf`,
        media_type: "application/pdf",
        part_of_reply: true,
      },
      {
        id: expect.any(Number),
        filename: `${reference}-reply.docx`,
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        part_of_reply: true,
      },
    ]);
    const pdf = await officer.get(`/staff/requests/${requestId}/documents/${documents[0]!.id}`);
    const docx = await officer.get(`/staff/requests/${requestId}/documents/${documents[1]!.id}`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    // Once sent, the reply's letter is the one sent, not a new rendering.
    expect((await officer.get(`${editor()}/letter.pdf`)).rawPayload.equals(pdf.rawPayload)).toBe(true);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe("PK");

    // The email to the requester, in the outbox, with the same PDF attached.
    const mail = await t.handle.db
      .selectFrom("sent_mail")
      .selectAll()
      .where("request_id", "=", requestId)
      .where("kind", "=", "reply")
      .executeTakeFirstOrThrow();
    expect(mail.to_address).toBe("priya.raman@westmarch-gazette.example");
    expect(mail.subject).toBe(`Our reply to your request ${reference}`);
    const raw = Buffer.from((await t.app.mailer.stored(mail.file_name!))!).toString("utf8");
    expect(raw).toContain("Section 31(1)(a)(b) Law enforcement");
    const part = new RegExp(
      `Content-Type: application/pdf; name=${reference.replace(/\./g, "\\.")}-reply\\.pdf\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n([A-Za-z0-9+/=\\r\\n]+)`,
    ).exec(raw);
    expect(part, "the PDF is attached").not.toBeNull();
    expect(Buffer.from(part![1]!.replace(/\s+/g, ""), "base64").equals(pdf.rawPayload)).toBe(true);

    // The PDF and the Word document say what the web page says.
    const web = webBlocks((await officer.get(`${editor()}/preview`)).body);
    expect(web).toContain("Section 31(1)(a)(b) Law enforcement");
    expect(web.length).toBeGreaterThan(20);
    const words = normaliseSpace(docxParagraphs(new Uint8Array(docx.rawPayload)).join(" "));
    for (const block of web) expect(words, "the Word document").toContain(block);
    if (hasPdftotext) {
      const file = join(work, "reply.pdf");
      writeFileSync(file, pdf.rawPayload);
      const pages = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
      const footer = new RegExp(`${reference.replace(/\./g, "\\.")}\\s+Page \\d+ of \\d+`, "g");
      const letter = normaliseSpace(pages.replace(/\f/g, " ").replace(footer, " "));
      for (const block of web) expect(letter, "the PDF letter").toContain(block);
      expect(letter).toContain("Dear Priya Raman,");
    }
  });

  it("sends a postal reply as a letter ready to post, and records it as posted on the request page", async () => {
    const actor = await officerActor();
    const created = await createRequest(
      t.handle.db,
      {
        regime: "foia",
        channel: "post",
        receivedDate: today(),
        body: "1. How many known gangs are there?",
        requester: { name: "Sam Post", address: "2 Mill Lane\nWestmarch WM4 2QT" },
        assigneeId: actor.userId,
      },
      actor,
      now,
    );
    const { id } = created;
    const started = await performAction(t.handle.db, id, { type: "start-work" }, 1, actor, now);
    const draft = structuredClone(gangsReplyInput);
    Object.assign(draft, {
      questions: [{ text: "How many known gangs are there?", decision: "disclosed" }],
      exemptions: [],
      reasons: [],
      disclosure: [{ kind: "text", text: "There are 62 known gangs.", questionNumbers: [1] }],
    });
    const saved = await saveReplyDraft(t.handle.db, id, draft, started.version, actor, now);
    expect(saved.problems).toEqual([]);
    const preview = `/staff/requests/${id}/reply/preview`;
    let page = await officer.get(preview);
    expect(visible(page.body)).toContain(
      "The request is recorded as responded (granted in full) when you record the letter as posted",
    );
    const sent = await submit(officer, `/staff/requests/${id}/reply/send`, {
      _csrf: csrfFrom(page.body),
      version: versionFrom(page.body),
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${preview}?done=posted`);
    const state = async () =>
      t.handle.db
        .selectFrom("requests")
        .select(["state", "outcome"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
    expect(await state()).toEqual({ state: "in-progress", outcome: null });

    page = await officer.get(`${preview}?done=posted`);
    let text = visible(page.body);
    expect(text).toContain("Letter ready to post: print it, post it, then record the day it was posted");
    expect(text).toContain("Letter ready to post");
    expect(text).toContain("2 Mill Lane");
    expect(page.body).toContain(`href="/staff/requests/${id}/reply/letter.pdf"`);
    expect(page.body).toContain(`action="/staff/requests/${id}/reply/record-posted"`);
    // The date posted starts on today.
    expect(page.body).toMatch(/name="date-day"[^>]*value="26"/);

    // The request page shows the same, with its own form; the generic action list leads to it.
    const requestPage = await officer.get(`/staff/requests/${id}`);
    text = visible(requestPage.body);
    expect(text).toContain("Letter ready to post");
    expect(requestPage.body).toContain(`action="/staff/requests/${id}/reply/record-posted"`);
    const viaAction = await officer.get(`/staff/requests/${id}/actions/record-posted`);
    expect(viaAction.headers.location).toBe(`${preview}#ready-to-post`);

    const post = (day: string) =>
      submit(officer, `/staff/requests/${id}/reply/record-posted`, {
        _csrf: csrfFrom(requestPage.body),
        version: versionFrom(page.body),
        "date-day": day,
        "date-month": "11",
        "date-year": "2026",
      });
    const future = await post("27");
    expect(future.statusCode).toBe(409);
    expect(visible(future.body)).toContain("the date posted, 2026-11-27, is in the future");
    // The refusal is about the date: the summary links to its first box, which keeps what was typed, and
    // the date input shows the message.
    for (const [day, message] of [
      ["27", "the date posted, 2026-11-27, is in the future"],
      ["25", "the letter was generated on 2026-11-26, so it cannot have been posted on 2026-11-25"],
    ] as const) {
      const refused = day === "27" ? future : await post(day);
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain(`<a href="#date-day">${message}`);
      const dateInput = /<div class="govuk-form-group govuk-form-group--error">[\s\S]*?<\/fieldset>/.exec(
        refused.body,
      )?.[0];
      expect(dateInput).toContain("Date posted");
      expect(visible(dateInput ?? "")).toContain(`Error: ${message}`);
      expect(dateInput).toMatch(new RegExp(`id="date-day" name="date-day" type="text" value="${day}"`));
    }

    // Until it is recorded as posted, the letter is the answer (FOIA s.10(1)): the request page offers no
    // withdrawing, extending or changing the law, and each form is refused saying what to do first.
    expect(requestPage.body).toContain(`href="/staff/requests/${id}/actions/add-note"`);
    for (const type of ["withdraw", "extend", "change-regime"])
      expect(requestPage.body).not.toContain(`href="/staff/requests/${id}/actions/${type}"`);
    for (const [type, fields] of [
      ["withdraw", { "date-day": "26", "date-month": "11", "date-year": "2026", note: "No longer wanted" }],
      [
        "extend",
        {
          extension: "pit",
          reason: "The public interest test needs more time",
          notice: "Refusal notice under s.17(2)",
          "date-day": "26",
          "date-month": "11",
          "date-year": "2026",
        },
      ],
      ["change-regime", { regime: "eir", reason: "It is about emissions" }],
    ] as const) {
      const refused = await submit(officer, `/staff/requests/${id}/actions/${type}`, {
        _csrf: csrfFrom(requestPage.body),
        version: versionFrom(page.body),
        ...fields,
      });
      expect(refused.statusCode, type).toBe(409);
      expect(visible(refused.body)).toMatch(
        /" cannot be done while the reply, generated on 26 November 2026, waits to be recorded as posted: it already answers the request, and the requester is given it the day it is posted \(FOIA s\.10\(1\)\)\. Post the letter and use "Record as posted" with the date it went first/,
      );
    }
    expect((await post("")).statusCode).toBe(422);
    expect(await state()).toEqual({ state: "in-progress", outcome: null });

    const posted = await post("26");
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`${preview}?done=recorded-posted`);
    expect(await state()).toEqual({ state: "responded", outcome: "granted-in-full" });
    text = visible((await officer.get(`${preview}?done=recorded-posted`)).body);
    expect(text).toContain("Letter recorded as posted, and the request recorded as responded");
    expect(text).toContain("Posted on 26 November 2026 to:");
    text = visible((await officer.get(`/staff/requests/${id}`)).body);
    expect(text).toContain("Record as posted by Olivia Okafor");
    expect(text).not.toContain("Letter ready to post");
  });

  it("refuses to approve a reply that has become incomplete since it was submitted", async () => {
    const { id } = await createRequest(
      t.handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(now),
        body: "How many known gangs are there in each London borough?",
        requester: { name: "Jordan Ellis", email: "jordan.ellis@example.org" },
      },
      { userId: null, label: "Import", role: "manager" },
      now,
    );
    const actor = { userId: null, label: "Olivia Okafor", role: "officer" as const };
    await performAction(t.handle.db, id, { type: "start-work" }, 1, actor, now);
    const { saveReplyDraft, submitReply } = await import("../../../requests/index.ts");
    const input = structuredClone(gangsReplyInput);
    input.questions = [input.questions![0]!];
    input.exemptions![0]!.questionNumbers = [1];
    input.disclosure = input.disclosure!.map((block) => ({ ...block, questionNumbers: [1] }));
    const saved = await saveReplyDraft(t.handle.db, id, input, 2, actor, now);
    await submitReply(t.handle.db, id, saved.version, actor, now);
    // The authority's rules changed while it waited: say, a reply stored before the harm reasoning was required.
    const stored = await t.handle.db
      .selectFrom("replies")
      .select("content")
      .where("request_id", "=", id)
      .executeTakeFirstOrThrow();
    const content = stored.content as { exemptions: { harm: { reasoning: string[] } }[] };
    content.exemptions[0]!.harm.reasoning = [];
    await t.handle.db
      .updateTable("replies")
      .set({ content: JSON.stringify(content) })
      .where("request_id", "=", id)
      .execute();
    const page = await approver.get(`/staff/requests/${id}/reply/preview`);
    const refused = await submit(approver, `/staff/requests/${id}/reply/approve`, {
      _csrf: csrfFrom(page.body),
      version: versionFrom(page.body),
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(`href="/staff/requests/${id}/reply#exemptions.0.harm.reasoning"`);
  });

  it("gives the demo's gangs request a complete draft to submit, approve and send", async () => {
    const gangs = await t.handle.db
      .selectFrom("requests")
      .select(["id"])
      .where("topic", "=", "Gangs")
      .where("state", "=", "in-progress")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const path = `/staff/requests/${gangs.id}/reply`;
    const page = await officer.get(path);
    expect(visible(page.body)).toContain(
      "The reply is complete: nothing stops it being submitted for approval",
    );
    const submitPage = await officer.get(`${path}/preview`);
    const submitted = await submit(officer, `${path}/submit`, {
      _csrf: csrfFrom(submitPage.body),
      version: versionFrom(submitPage.body),
    });
    expect(submitted.statusCode).toBe(303);
    const approvePage = await approver.get(`${path}/preview`);
    expect(
      (
        await submit(approver, `${path}/approve`, {
          _csrf: csrfFrom(approvePage.body),
          version: versionFrom(approvePage.body),
        })
      ).statusCode,
    ).toBe(303);
    const sendPage = await officer.get(`${path}/preview`);
    const sent = await submit(officer, `${path}/send`, {
      _csrf: csrfFrom(sendPage.body),
      version: versionFrom(sendPage.body),
    });
    expect(sent.headers.location).toBe(`${path}/preview?done=sent`);
    const done = visible((await officer.get(`${path}/preview?done=sent`)).body);
    expect(done).toContain("Reply sent, and the request recorded as responded");
    expect(done).toContain("Emailed to priya.raman@westmarch-gazette.example");
  });

  it("lets managers keep the paragraph library, and officers only read it", async () => {
    const list = await officer.get("/staff/paragraphs");
    expect(list.statusCode).toBe(200);
    expect(visible(list.body)).toContain("Section 31(1)(a) Law enforcement: harm");
    expect(list.body).not.toContain("Add a paragraph");
    expect((await officer.get("/staff/paragraphs/new")).statusCode).toBe(403);
    const manager = new Browser(t.app);
    await manager.signIn("manager", DEMO_PASSWORD);
    const form = await manager.get("/staff/paragraphs/new");
    const bad = await submit(manager, "/staff/paragraphs/new", {
      _csrf: csrfFrom(form.body),
      kind: "advice",
      title: "Ask us",
      text: "Quote {{referance}}.",
    });
    expect(bad.statusCode).toBe(422);
    expect(visible(bad.body)).toContain("Unknown placeholder {{referance}}");
    expect(bad.body).toContain("Quote {{referance}}.");
    const added = await submit(manager, "/staff/paragraphs/new", {
      _csrf: csrfFrom(form.body),
      kind: "advice",
      title: "Ask us about the matrix",
      text: "Quote {{reference}} if you write to us.",
    });
    expect(added.headers.location).toBe("/staff/paragraphs?done=added");
    const row = await t.handle.db
      .selectFrom("reply_paragraphs")
      .select("id")
      .where("title", "=", "Ask us about the matrix")
      .executeTakeFirstOrThrow();
    const edit = await manager.get(`/staff/paragraphs/${row.id}`);
    expect(edit.body).toContain("Quote {{reference}} if you write to us.");
    const changed = await submit(manager, `/staff/paragraphs/${row.id}`, {
      _csrf: csrfFrom(edit.body),
      kind: "advice",
      title: "Ask us about the matrix",
      text: "Quote {{reference}} when you write.",
    });
    expect(changed.headers.location).toBe("/staff/paragraphs?done=changed");
    const deleted = await submit(manager, `/staff/paragraphs/${row.id}/delete`, {
      _csrf: csrfFrom(edit.body),
    });
    expect(deleted.headers.location).toBe("/staff/paragraphs?done=deleted");
    expect((await manager.get(`/staff/paragraphs/${row.id}`)).statusCode).toBe(404);
  });
});
