import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateAuthoritySettings } from "../authority/index.ts";
import { testBackends } from "../db/testing.ts";
import { pagedPdf } from "../files/testing.ts";
import { addDocument, createRequest, readDocument } from "../requests/index.ts";
import { findUserByUsername } from "../users/index.ts";
import { Browser, type Casework, openTestApp, setUpCasework, type TestApp } from "./testing.ts";

// Subject access requests are seen only by the SAR team and the roles a manager names (issue 16, "Who sees
// what"): to anyone else they do not exist, wherever they look; every view of their documents is recorded.

// Far ahead of the wall clock, which the test browser's cookie jar reads (src/web/testing.ts).
const now = new Date("2030-11-18T10:00:00Z");

describe.each(testBackends())("who sees subject access requests, on $name", (backend) => {
  let t: TestApp;
  let sar: { id: number; reference: string };
  let foi: { id: number; reference: string };
  let sarDocumentId: number;
  let requesterId: number;
  const browsers: Record<string, Browser> = {};
  let casework: Casework;

  const api = (who: string, url: string) => casework.api(who, "GET", url);

  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    const db = t.handle.db;
    casework = await setUpCasework(t, {
      authority: { name: "Westmarch Constabulary" },
      staff: [
        { username: "olu", name: "Olu Officer", role: "officer", team: "Information Rights" },
        { username: "sam", name: "Sam Subject", role: "officer", team: "Subject Access" },
        { username: "mina", name: "Mina Manager", role: "manager", team: "Information Rights" },
      ],
      now,
    });
    await updateAuthoritySettings(db, { sarTeam: "Subject Access", sarRoles: ["manager"] }, now);
    const actor = casework.actors.sam!;
    const requester = { name: "Lee Marsh", email: "lee.marsh@example.net" };
    // Both in Olu's team, the SAR assigned to Sam: Olu's team queue would show it if nothing hid it.
    const teamId = (await findUserByUsername(db, "olu"))!.teamId!;
    const made = await createRequest(
      db,
      {
        regime: "sar",
        channel: "email",
        receivedDate: "2030-11-11",
        body: "All my custody records",
        requester,
        teamId,
        assigneeId: actor.userId!,
      },
      actor,
      now,
    );
    sar = { id: made.id, reference: made.reference };
    const other = await createRequest(
      db,
      {
        regime: "foia",
        channel: "email",
        receivedDate: "2030-11-11",
        body: "Fleet budget 2030",
        requester,
        teamId,
      },
      actor,
      now,
    );
    foi = { id: other.id, reference: other.reference };
    const document = await addDocument(
      db,
      t.app.files,
      sar.id,
      { filename: "custody-record.pdf", bytes: new TextEncoder().encode("%PDF-1.7 custody") },
      actor,
      now,
    );
    sarDocumentId = document.id;
    requesterId = (
      await db
        .selectFrom("requests")
        .select("requester_id")
        .where("id", "=", sar.id)
        .executeTakeFirstOrThrow()
    ).requester_id;
    for (const username of ["olu", "sam", "mina"]) {
      browsers[username] = new Browser(t.app);
      expect((await browsers[username]!.signIn(username)).statusCode).toBe(303);
    }
  }, 60_000);
  afterAll(async () => t?.close());

  it("an officer outside the SAR team finds no SAR: queue, page, reference, documents, reply, API, requester", async () => {
    const olu = browsers.olu!;
    const queue = await olu.get("/staff/requests?view=team");
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(foi.reference);
    expect(queue.body).not.toContain(sar.reference);
    for (const url of [
      `/staff/requests/${sar.id}`,
      `/staff/requests/by-reference/${sar.reference}`,
      `/staff/requests/${sar.id}/documents/${sarDocumentId}`,
      `/staff/requests/${sar.id}/reply`,
      `/staff/requests/${sar.id}/actions/add-note`,
    ]) {
      const response = await olu.get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).not.toContain("custody");
    }
    const noted = await olu.post(`/staff/requests/${sar.id}/actions/add-note`, {
      _csrf: await olu.csrfToken(),
      version: "1",
      note: "Looked",
    });
    expect(noted.statusCode).toBe(404);
    const history = await olu.get(`/staff/requesters/${requesterId}`);
    expect(history.body).toContain(foi.reference);
    expect(history.body).not.toContain(sar.reference);

    const apiQueue = await api("olu", "/api/v1/requests?pageSize=200");
    expect(apiQueue.statusCode).toBe(200);
    expect(JSON.stringify(apiQueue.json())).not.toContain(sar.reference);
    for (const url of [
      `/api/v1/requests/${sar.id}`,
      `/api/v1/requests/by-reference/${sar.reference}`,
      `/api/v1/requests/${sar.id}/documents/${sarDocumentId}`,
    ]) {
      const response = await api("olu", url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().errors[0].message).toBe("There is no such request");
    }
    const apiHistory = await api("olu", `/api/v1/requesters/${requesterId}`);
    expect(JSON.stringify(apiHistory.json())).not.toContain(sar.reference);
    // The reports count it, but their lists of requests do not name it.
    const reports = await olu.get("/staff/reports");
    expect(reports.statusCode).toBe(200);
    expect(reports.body).not.toContain(sar.reference);
    const backlog = await olu.get("/staff/reports/backlog.csv?from=2030-10-01&to=2030-12-31");
    expect(backlog.body).toContain(foi.reference);
    expect(backlog.body).not.toContain(sar.reference);
    expect(
      (await browsers.mina!.get("/staff/reports/backlog.csv?from=2030-10-01&to=2030-12-31")).body,
    ).toContain(sar.reference);
    // Nothing was seen, so nothing was recorded.
    expect(await t.handle.db.selectFrom("sar_document_views").selectAll().execute()).toEqual([]);
  });

  it("the SAR team sees it, and each view of its documents is recorded for a manager to list", async () => {
    const sam = browsers.sam!;
    const queue = await sam.get("/staff/requests?view=mine");
    expect(queue.body).toContain(sar.reference);
    const page = await sam.get(`/staff/requests/${sar.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("custody-record.pdf");
    const file = await sam.get(`/staff/requests/${sar.id}/documents/${sarDocumentId}`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe("%PDF-1.7 custody");
    expect((await api("sam", `/api/v1/requests/${sar.id}/documents/${sarDocumentId}`)).statusCode).toBe(200);

    const views = await browsers.mina!.get("/staff/settings/subject-access-views");
    expect(views.statusCode).toBe(200);
    const rows = [...views.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
      .map((row) =>
        row[1]!
          .replace(/<[^>]+>/g, " ")
          .replace(/\s+/g, " ")
          .trim(),
      )
      .filter((row) => row.includes(sar.reference));
    // The download and the API's copy, by one person in one minute, are one view of the document.
    expect(rows).toHaveLength(2);
    expect(
      rows.filter((row) => row.includes("Sam Subject") && row.includes("Opened custody-record.pdf")),
    ).toHaveLength(1);
    expect(rows.filter((row) => row.includes("Saw the list of its 1 document(s)"))).toHaveLength(1);
    // An officer may not read the record of views.
    expect((await browsers.olu!.get("/staff/settings/subject-access-views")).statusCode).toBe(403);
  });

  it("records a scanned document's page images, opened together, as one view, and each other document as its own", async () => {
    const db = t.handle.db;
    const add = (filename: string, bytes: Uint8Array) =>
      addDocument(db, t.app.files, sar.id, { filename, bytes }, casework.actors.sam!, now);
    const scanned = await add(
      "scanned-custody-record.pdf",
      await pagedPdf([1, 2, 3, 4, 5].map((page) => `Custody record, page ${page}`)),
    );
    const interview = await add("interview-notes.pdf", new TextEncoder().encode("%PDF-1.7 notes"));
    const viewsOf = async (documentId: number) =>
      (
        await db
          .selectFrom("sar_document_views")
          .select("what")
          .where("document_id", "=", documentId)
          .execute()
      ).map((view) => view.what);

    const sam = browsers.sam!;
    const base = `/staff/requests/${sar.id}/documents/${scanned.id}`;
    expect((await sam.get(`${base}/redact`)).statusCode).toBe(200);
    for (const page of [1, 2, 3, 4, 5]) expect((await sam.get(`${base}/pages/${page}`)).statusCode).toBe(200);
    expect(await viewsOf(scanned.id)).toEqual(["Opened scanned-custody-record.pdf"]);

    expect((await sam.get(`/staff/requests/${sar.id}/documents/${interview.id}`)).statusCode).toBe(200);
    expect(await viewsOf(interview.id)).toEqual(["Opened interview-notes.pdf"]);
    // Someone else opening the same document is their own view.
    expect((await browsers.mina!.get(`${base}/pages/1`)).statusCode).toBe(200);
    expect(await viewsOf(scanned.id)).toHaveLength(2);
    // Opened again later, it is another view.
    const later = new Date(now.getTime() + 5 * 60_000);
    await readDocument(db, t.app.files, sar.id, scanned.id, casework.actors.sam!, later);
    expect(await viewsOf(scanned.id)).toHaveLength(3);
  });

  it("records a document opened many times at the very same moment (its page images at once) as one view", async () => {
    const db = t.handle.db;
    const scanned = await addDocument(
      db,
      t.app.files,
      sar.id,
      { filename: "scanned-charge-sheet.pdf", bytes: new TextEncoder().encode("%PDF-1.7 charge sheet") },
      casework.actors.sam!,
      now,
    );
    const at = new Date(now.getTime() + 10 * 60_000);
    await Promise.all(
      Array.from({ length: 8 }, () =>
        readDocument(db, t.app.files, sar.id, scanned.id, casework.actors.sam!, at),
      ),
    );
    const views = await db
      .selectFrom("sar_document_views")
      .select("what")
      .where("document_id", "=", scanned.id)
      .execute();
    expect(views.map((view) => view.what)).toEqual(["Opened scanned-charge-sheet.pdf"]);
  });

  it("staff pages, the API and a requester's tracking page are never kept by a browser or proxy (no-store)", async () => {
    for (const response of [
      await browsers.sam!.get(`/staff/requests/${sar.id}`),
      await browsers.sam!.get("/staff/requests"),
      await browsers.olu!.get(`/staff/requests/${sar.id}`),
      await api("sam", `/api/v1/requests/${sar.id}`),
      await api("sam", "/api/v1/requests"),
      await t.app.inject("/track/not-a-real-token"),
    ])
      expect(response.headers["cache-control"]).toContain("no-store");
  });

  it("a manager changes who sees them on the settings page", async () => {
    const mina = browsers.mina!;
    const saved = await mina.post("/staff/settings", {
      _csrf: await mina.csrfToken(),
      intakeTeam: "",
      sarTeam: "Information Rights",
      sarRoles: ["manager", "admin"],
    });
    expect(saved.statusCode).toBe(303);
    expect((await browsers.olu!.get(`/staff/requests/${sar.id}`)).statusCode).toBe(200);
    expect((await browsers.sam!.get(`/staff/requests/${sar.id}`)).statusCode).toBe(404);
    const refused = await mina.post("/staff/settings", {
      _csrf: await mina.csrfToken(),
      sarTeam: "Nobody Here",
      sarRoles: "manager",
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain("There is no team called Nobody Here");
    await updateAuthoritySettings(t.handle.db, { sarTeam: "Subject Access", sarRoles: ["manager"] }, now);
  });
});
