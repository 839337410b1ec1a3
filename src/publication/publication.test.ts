import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, giveBackLease, takeLease } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { excelWorkbook } from "../files/testing.ts";
import { type Actor, addDocument, createRequest, requestDetail } from "../requests/index.ts";
import { gangsReplyInput, type ReplyInput } from "../responses/index.ts";
import { type FileStore, memoryFileStore } from "../storage/index.ts";
import {
  addRedactionRule,
  addRequestRedaction,
  dueForPublication,
  isDueForPublication,
  PUBLISH_DUE_LEASE,
  publicationPage,
  publishDue,
  publishDueIfFree,
  publishedFile,
  publishedPage,
  publishReply,
  searchDisclosureLog,
  similarityQuery,
  similarPublishedReplies,
  withdrawReply,
} from "./index.ts";

// Publishing on both backends, as the service is used: a sent reply with files, previewed, published by a
// manager, found by search, taken down; automatic publication when due; similar replies for a new request.

const now = new Date("2026-04-20T10:00:00Z");
const priya = {
  name: "Priya Raman",
  email: "priya.raman@westmarch-gazette.example",
  address: "22 Market Street\nWestmarch WM2 3BD",
  organisation: "Westmarch Gazette",
  type: "journalist",
};

function replyFor(reference: string, change: (input: ReplyInput) => void = () => {}): ReplyInput {
  const input = structuredClone(gangsReplyInput);
  input.reference = reference;
  input.requester = { name: priya.name, email: priya.email, address: priya.address };
  input.reasons = [
    "Dear Ms Raman, thank you for your request. Call Priya on 07700 900123 if anything is unclear.",
    "The figures once appeared in a report marked <script>alert('gang')</script> by mistake.",
    "Detective Sergeant Holt compiled the figures.",
    ...(input.reasons ?? []),
  ];
  change(input);
  return input;
}

describe.each(testBackends())("publication on $name", (backend) => {
  let handle: DatabaseHandle;
  let files: FileStore;
  let manager: Actor;
  let officer: Actor;
  let requestId: number;
  let reference: string;

  async function sentRequest(body: string, reply: (reference: string) => ReplyInput, sentAt: Date) {
    const created = await createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: "2026-02-20",
        body,
        topic: "Gangs",
        requester: priya,
      },
      officer,
      new Date("2026-02-20T10:00:00Z"),
    );
    await handle.db
      .insertInto("replies")
      .values({
        request_id: created.id,
        content: JSON.stringify(reply(created.reference)),
        updated_at: sentAt,
        updated_by: "Olu Officer",
        sent_at: sentAt,
      })
      .execute();
    return created;
  }

  beforeAll(async () => {
    handle = await backend.open();
    files = memoryFileStore();
    const db = handle.db;
    await db
      .insertInto("authority")
      .values({
        name: "Westmarch Constabulary",
        email: "foi@westmarch.police.example",
        address: "1 Castle Street, Westmarch WM1 1AA",
      })
      .execute();
    const users = await db
      .insertInto("users")
      .values([
        { username: "mo", display_name: "Mo Manager", role: "manager", password_hash: "x" },
        { username: "olu", display_name: "Olu Officer", role: "officer", password_hash: "x" },
      ])
      .returning(["id", "display_name", "role"])
      .execute();
    manager = { userId: users[0]!.id, label: "Mo Manager", role: "manager" };
    officer = { userId: users[1]!.id, label: "Olu Officer", role: "officer" };
    const created = await createRequest(
      db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: "2026-02-20",
        body: "How many known gangs are there in each London borough?",
        topic: "Gangs",
        requester: priya,
      },
      officer,
      new Date("2026-02-20T10:00:00Z"),
    );
    requestId = created.id;
    reference = created.reference;
    const encoder = new TextEncoder();
    const csv = await addDocument(
      db,
      files,
      requestId,
      {
        filename: "gangs-figures.csv",
        bytes: encoder.encode(
          "Measure,Number,Contact\nKnown gangs,62,priya.raman@westmarch-gazette.example\nPrepared for,Priya Raman,WM2 3BD\n",
        ),
      },
      officer,
      now,
    );
    const pdf = await addDocument(
      db,
      files,
      requestId,
      { filename: "matrix-guidance.pdf", bytes: encoder.encode("%PDF-1.4 guidance") },
      officer,
      now,
    );
    const letter = await addDocument(
      db,
      files,
      requestId,
      { filename: "letter.pdf", bytes: encoder.encode("%PDF-1.4 Dear Priya Raman, 22 Market Street") },
      officer,
      now,
    );
    await addDocument(
      db,
      files,
      requestId,
      { filename: "case-notes.txt", bytes: encoder.encode("Priya Raman rang about this") },
      officer,
      now,
    );
    await db
      .updateTable("documents")
      .set({ part_of_reply: true })
      .where("id", "in", [csv.id, pdf.id, letter.id])
      .execute();
    await db
      .insertInto("replies")
      .values({
        request_id: requestId,
        content: JSON.stringify(replyFor(reference)),
        updated_at: now,
        updated_by: "Olu Officer",
        sent_at: null,
        letter_document_id: letter.id,
      })
      .execute();
  });
  afterAll(() => handle.close());

  it("does not publish a reply that has not been sent", async () => {
    const page = await publicationPage(handle.db, files, requestId, now);
    expect(page.problem).toMatch(/has not been sent/);
    expect(page.preview).toBeNull();
    await expect(publishReply(handle.db, files, requestId, {}, manager, now)).rejects.toMatchObject({
      code: "conflict",
    });
    await handle.db
      .updateTable("replies")
      .set({ sent_at: new Date("2026-03-12T10:00:00Z") })
      .where("request_id", "=", requestId)
      .execute();
  });

  it("previews exactly what the public will see, every masked span highlighted with why", async () => {
    await addRequestRedaction(
      handle.db,
      requestId,
      { phrase: "Detective Sergeant Holt", reason: "Junior officer (s.40(2))" },
      officer,
      now,
    );
    const page = await publicationPage(handle.db, files, requestId, now);
    expect(page.problem).toBeNull();
    const preview = page.preview!;
    expect(preview.html).toContain(
      'Dear Ms <mark class="app-redaction" id="mask-1"><span class="app-redaction__text">Raman</span> <span class="app-redaction__reason">[1: The requester&#39;s name]</span></mark>',
    );
    expect(preview.html).toContain("The requester&#39;s name");
    expect(preview.html).toContain("&lt;script&gt;");
    expect(preview.html).not.toContain("<script");
    const reasons = preview.masks.map((mask) => `${mask.text} → ${mask.reason}`);
    expect(reasons).toContain("Raman → The requester's name");
    expect(reasons).toContain("07700 900123 → A UK phone number");
    expect(reasons).toContain("Detective Sergeant Holt → Junior officer (s.40(2))");
    expect(reasons).toContain(`${priya.email} → The requester's email address`);
    expect(preview.attachments.map((file) => [file.fileName, file.status])).toEqual([
      ["gangs-figures.csv", "masked-copy"],
      ["matrix-guidance.pdf", "held-back"],
    ]);
  });

  it("lets only a manager publish; the history records it", async () => {
    await expect(publishReply(handle.db, files, requestId, {}, officer, now)).rejects.toMatchObject({
      code: "forbidden",
    });
    const result = await publishReply(handle.db, files, requestId, {}, manager, now);
    expect(result.url).toBe(`/disclosure-log/${reference}`);
    const detail = await requestDetail(handle.db, { id: requestId }, manager, now);
    expect(detail.timeline.at(-1)).toMatchObject({ type: "published", actor: "Mo Manager" });
  });

  it("publishes nothing that identifies the requester, and no case papers or letters", async () => {
    const page = await publishedPage(handle.db, reference);
    if (page.status !== "published") throw new Error("not published");
    const csvFile = page.attachments.find((file) => file.fileName === "gangs-figures.csv")!;
    const csv = new TextDecoder().decode(
      (await publishedFile(handle.db, files, reference, csvFile.id)).bytes,
    );
    expect(page.attachments.map((file) => file.fileName)).toEqual(["gangs-figures.csv"]);
    const row = await handle.db
      .selectFrom("published_replies")
      .selectAll()
      .where("reference", "=", reference)
      .executeTakeFirstOrThrow();
    for (const text of [page.html, csv, JSON.stringify(row)]) {
      for (const secret of [
        "Priya",
        "Raman",
        priya.email,
        "22 Market Street",
        "WM2 3BD",
        "Westmarch Gazette",
        "07700",
        "Holt",
      ])
        expect(text).not.toContain(secret);
    }
    expect(csv).toBe(
      "Measure,Number,Contact\nKnown gangs,62,[redacted]\nPrepared for,[redacted],[redacted]\n",
    );
    expect(page.html).toContain("Dear Ms [redacted], thank you");
  });

  it("finds the reply by a word in its body, by its exemption, and highlights the match safely", async () => {
    const byWord = await searchDisclosureLog(handle.db, { q: "boroughs" });
    expect(byWord.results.map((result) => result.reference)).toEqual([reference]);
    expect(byWord.results[0]!.snippetHtml).toMatch(/<mark>boroughs?<\/mark>/i);
    const byExemption = await searchDisclosureLog(handle.db, { exemption: "foia-31" });
    expect(byExemption.total).toBe(1);
    expect(byExemption.facets.exemption).toEqual([
      { value: "foia-31", label: "Section 31 Law enforcement", count: 1, selected: true },
    ]);
    const script = await searchDisclosureLog(handle.db, { q: "alert" });
    expect(script.results[0]!.snippetHtml).toContain(
      "&lt;script&gt;<mark>alert</mark>(&#39;gang&#39;)&lt;/script&gt;",
    );
    expect(script.results[0]!.snippetHtml).not.toMatch(/<script|<\/script/);
    expect((await searchDisclosureLog(handle.db, { q: '"known gangs" -borough' })).total).toBe(0);
    expect((await searchDisclosureLog(handle.db, { q: "parking or gangs" })).total).toBe(1);
    expect((await searchDisclosureLog(handle.db, { q: "the" })).total).toBe(1);
    expect((await searchDisclosureLog(handle.db, { q: "gangs", year: "2025" })).total).toBe(0);
    // Each facet counts with every other filter applied, but not its own: the other outcomes stay in view.
    const otherOutcome = await searchDisclosureLog(handle.db, { q: "boroughs", outcome: "not-held" });
    expect(otherOutcome.total).toBe(0);
    expect(otherOutcome.facets.outcome).toEqual([
      { value: "partially-withheld", label: "Partially withheld", count: 1, selected: false },
    ]);
    expect(otherOutcome.facets.year).toEqual([]);
  });

  it("keeps a search until the log changes, whichever app process changes it", async () => {
    const first = await searchDisclosureLog(handle.db, { q: "boroughs" });
    expect(await searchDisclosureLog(handle.db, { q: "boroughs" })).toBe(first);
    // Another process's change (plain SQL here: nothing in this process is told of it).
    const { title } = first.results[0]!;
    const retitle = (to: string) =>
      sql`update published_replies set title = ${to} where reference = ${reference}`.execute(handle.db);
    await retitle("Known gangs (corrected)");
    const after = await searchDisclosureLog(handle.db, { q: "boroughs" });
    expect(after.results[0]!.title).toBe("Known gangs (corrected)");
    await retitle(title);
    expect((await searchDisclosureLog(handle.db, { q: "boroughs" })).results[0]!.title).toBe(title);
    expect((await searchDisclosureLog(handle.db, { q: "boroughs" }, { cache: false })).total).toBe(1);
  });

  it("suggests the published reply for a like request, but not for the request itself", async () => {
    const created = await createRequest(
      handle.db,
      {
        regime: "foia",
        channel: "web",
        receivedDate: "2026-04-01",
        body: "Please tell me the number of gangs recorded in each borough, and how many have members under 18.",
        requester: { name: "Sam Doe", email: "sam@example.org" },
      },
      officer,
      now,
    );
    const similar = await similarPublishedReplies(handle.db, created.id, 5);
    expect(similar.map((reply) => reply.reference)).toEqual([reference]);
    expect(await similarPublishedReplies(handle.db, requestId, 5)).toEqual([]);
    expect(similarityQuery("Please provide the number of speed cameras")).toBe("cameras or speed");
  });

  it("takes a reply down with a reason: its page is gone and search no longer finds it", async () => {
    await expect(withdrawReply(handle.db, requestId, " ", manager, now)).rejects.toMatchObject({
      code: "invalid",
      field: "reason",
    });
    await withdrawReply(handle.db, requestId, "A name was missed", manager, now);
    expect(await publishedPage(handle.db, reference)).toMatchObject({ status: "withdrawn" });
    expect((await searchDisclosureLog(handle.db, { q: "boroughs" })).total).toBe(0);
    // The counts when browsing without words come from counts a trigger keeps: they follow the takedown.
    const browsing = await searchDisclosureLog(handle.db, {});
    expect(browsing.facets.exemption.find((value) => value.value === "foia-31")).toBeUndefined();
    expect((await searchDisclosureLog(handle.db, { exemption: "foia-31" })).total).toBe(0);
    await expect(withdrawReply(handle.db, requestId, "again", manager, now)).rejects.toMatchObject({
      code: "conflict",
    });
    const detail = await requestDetail(handle.db, { id: requestId }, manager, now);
    expect(detail.timeline.at(-1)).toMatchObject({
      type: "publication-withdrawn",
      details: { reason: "A name was missed" },
    });
  });

  it("a manager's rule masks in every reply; publishing again restores the page", async () => {
    await expect(
      addRedactionRule(handle.db, { kind: "pattern", pattern: "(", reason: "x" }, manager, now),
    ).rejects.toMatchObject({ field: "pattern" });
    await expect(
      addRedactionRule(handle.db, { kind: "phrase", pattern: "matrix", reason: "x" }, officer, now),
    ).rejects.toMatchObject({ code: "forbidden" });
    await addRedactionRule(
      handle.db,
      { kind: "phrase", pattern: "gangs matrix", reason: "Internal system name" },
      manager,
      now,
    );
    await publishReply(handle.db, files, requestId, {}, manager, now);
    const page = await publishedPage(handle.db, reference);
    if (page.status !== "published") throw new Error("not published");
    expect(page.html).not.toMatch(/gangs matrix/i);
    expect((await searchDisclosureLog(handle.db, { q: "boroughs" })).total).toBe(1);
    expect((await searchDisclosureLog(handle.db, { exemption: "foia-31" })).facets.exemption).toEqual([
      { value: "foia-31", label: "Section 31 Law enforcement", count: 1, selected: true },
    ]);
  });

  it("publishes automatically what is due, once", async () => {
    expect(isDueForPublication(new Date("2026-03-01T10:00:00Z"), 20, new Date("2026-03-21T10:00:00Z"))).toBe(
      true,
    );
    expect(isDueForPublication(new Date("2026-03-01T10:00:00Z"), 20, new Date("2026-03-21T09:59:59Z"))).toBe(
      false,
    );
    expect(isDueForPublication(new Date("2026-03-01T10:00:00Z"), null, now)).toBe(false);
    const old = await sentRequest(
      "Speed cameras in Westmarch",
      (ref) => replyFor(ref),
      new Date("2026-03-01T10:00:00Z"),
    );
    const recent = await sentRequest(
      "Speed cameras on the A1",
      (ref) => replyFor(ref),
      new Date("2026-04-15T10:00:00Z"),
    );
    expect(await dueForPublication(handle.db, now)).toEqual([]);
    await handle.db.updateTable("authority").set({ publish_after_days: 20 }).execute();
    expect((await dueForPublication(handle.db, now)).map((row) => row.id)).toEqual([old.id]);
    // Another app process holds the job: this one publishes nothing, and says so.
    expect(await takeLease(handle.db, PUBLISH_DUE_LEASE, "other-process", now, 60_000)).toBe(true);
    expect(await publishDueIfFree(handle.db, files, now, "this-process")).toBeNull();
    expect((await dueForPublication(handle.db, now)).map((row) => row.id)).toEqual([old.id]);
    await giveBackLease(handle.db, PUBLISH_DUE_LEASE, "other-process");
    const report = await publishDueIfFree(handle.db, files, now, "this-process");
    expect(report).toEqual({
      published: [{ reference: old.reference, url: `/disclosure-log/${old.reference}` }],
      failed: [],
    });
    expect(await publishDue(handle.db, files, now)).toEqual({ published: [], failed: [] });
    expect(await dueForPublication(handle.db, now)).toEqual([]);
    expect((await publishedPage(handle.db, recent.reference).catch((error) => error)).code).toBe("not-found");
  });

  it("holds back a checked PDF whose text names the requester, and any file with hidden data, whatever is ticked", async () => {
    const { default: PDFDocument } = await import("pdfkit");
    const render = async (lines: string[]) => {
      const doc = new PDFDocument({ info: { Producer: "test" } });
      const chunks: Buffer[] = [];
      doc.on("data", (chunk: Buffer) => chunks.push(chunk));
      const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
      for (const line of lines) doc.text(line);
      doc.end();
      await done;
      return new Uint8Array(Buffer.concat(chunks));
    };
    const named = await addDocument(
      handle.db,
      files,
      requestId,
      { filename: "named.pdf", bytes: await render(["Figures prepared for Priya Raman."]) },
      officer,
      now,
    );
    const hidden = await addDocument(
      handle.db,
      files,
      requestId,
      { filename: "staff.xlsx", bytes: excelWorkbook() },
      officer,
      now,
    );
    await handle.db
      .updateTable("documents")
      .set({ part_of_reply: true })
      .where("id", "in", [named.id, hidden.id])
      .execute();
    const page = await publicationPage(handle.db, files, requestId, now);
    const plans = page.preview!.attachments;
    expect(plans.find((file) => file.fileName === "named.pdf")).toMatchObject({
      status: "held-back",
      why: expect.stringMatching(/holds the requester's details or a redaction phrase in 1 place/),
    });
    expect(plans.find((file) => file.fileName === "staff.xlsx")).toMatchObject({
      status: "held-back",
      why: expect.stringMatching(/^Not published: it holds hidden data \(.*hidden sheet/),
    });
    await publishReply(handle.db, files, requestId, { checkedFileIds: [named.id, hidden.id] }, manager, now);
    const published = await publishedPage(handle.db, reference);
    if (published.status !== "published") throw new Error("not published");
    expect(published.attachments.map((file) => file.fileName)).not.toContain("named.pdf");
    expect(published.attachments.map((file) => file.fileName)).not.toContain("staff.xlsx");
  });
});
