import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../db/testing.ts";
import { computeDeadline } from "../../law/index.ts";
import { readMessage } from "../../mail/index.ts";
import { createApiToken } from "../../users/index.ts";
import { addStaff, openTestApp, type TestApp } from "../testing.ts";

// POST /api/v1/requests as issue 4 defines it for integrations: JSON in (regime, requester, body), 201 out
// with the reference, due date and private tracking link, 422 naming each invalid field. The same route logs
// staff requests (web/api/routes/requests.test.ts).

const now = new Date("2026-06-10T10:00:00Z"); // a Wednesday

describe.each(testBackends())("submitting a request through the API on $name", (backend) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await openTestApp(backend, { now: () => now });
    await t.handle.db.insertInto("authority").values({ name: "Westmarch Constabulary" }).execute();
    await addStaff(t.handle, { username: "portal", name: "Partner website", role: "officer" });
    token = (await createApiToken(t.handle.db, { username: "portal", name: "integration" }, now)).token;
  });
  afterAll(async () => t?.close());

  const submit = (payload: object, bearer: string | null = token) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/requests",
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      payload,
    });

  it("stores the request, answers 201 with its reference, due date and tracking link, and acknowledges it", async () => {
    const response = await submit({
      regime: "foia",
      requester: { name: "Ivy Integration", email: "ivy@example.org", address: "3 Quay Street" },
      body: "How many CCTV cameras does the force operate?",
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      reference: expect.stringMatching(/^01\.FOI\.26\.\d{6}$/),
      // 20 working days (FOIA s.10); Scotland's one-off holiday on 15 June 2026 counts (s.10(6)).
      dueDate: computeDeadline({ regime: "foia", received: "2026-06-10" }).dueDate,
      trackingUrl: expect.stringMatching(/^http:\/\/localhost:3000\/track\/[A-Za-z0-9_-]{43}$/),
      valid: true,
    });
    const row = await t.handle.db
      .selectFrom("requests")
      .selectAll()
      .where("reference", "=", created.reference)
      .executeTakeFirstOrThrow();
    // Acknowledged the one way every channel acknowledges: the email, the event and the state together.
    expect(row).toMatchObject({ channel: "api", received_date: "2026-06-10", state: "acknowledged" });
    expect(created.state).toBe("acknowledged");
    const detail = (
      await t.app.inject({ url: `/api/v1/requests/${row.id}`, headers: { authorization: `Bearer ${token}` } })
    ).json();
    expect(detail.actions.map((action: { type: string }) => action.type)).not.toContain("acknowledge");
    expect(detail.timeline.at(-1)).toMatchObject({ type: "acknowledge", label: "Request acknowledged" });

    const sent = await t.handle.db
      .selectFrom("sent_mail")
      .selectAll()
      .where("request_id", "=", row.id)
      .executeTakeFirstOrThrow();
    const message = readMessage((await t.app.mailer.stored(sent.file_name!))!);
    expect(message.text).toContain(created.trackingUrl);
    const tracking = await t.app.inject(new URL(created.trackingUrl).pathname);
    expect(tracking.statusCode).toBe(200);
    expect(tracking.body).toContain(created.reference);
  });

  it("refuses what FOIA s.8 would not accept, naming each field (422), and stores nothing", async () => {
    const before = await t.handle.db.selectFrom("requests").select("id").execute();
    const response = await submit({ regime: "foia", requester: {}, body: " " });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([
      { field: "requester.name", message: "Give the requester's name" },
      { field: "requester.email", message: "Give an email address or a postal address for the reply" },
      { field: "body", message: "Describe the information requested" },
    ]);
    const malformed = await submit({ regime: "gdpr", requester: { name: "X", email: "not-an-email" } });
    expect(malformed.statusCode).toBe(422);
    const fields = malformed.json().errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(["regime", "requester.email"]));
    expect(await t.handle.db.selectFrom("requests").select("id").execute()).toHaveLength(before.length);
  });

  it("takes an environmental request without a name (EIR reg 5), by post", async () => {
    const response = await submit({
      regime: "eir",
      requester: { address: "Flat 1, 4 River Road, Westmarch" },
      body: "Noise complaints about the depot in 2025",
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().reference).toMatch(/\.EIR\./);
  });

  it("takes a Scottish authority's environmental request under the EISR: Scottish working days, EISR reference", async () => {
    const response = await submit({
      regime: "eisr",
      requester: { address: "4 Harbour Road, Anstruther" },
      body: "Bathing water samples at the harbour beach in 2025",
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created.reference).toMatch(/^01\.EISR\.26\.\d{6}$/);
    // EISR reg 5(2)(a), reg 2(1): 20 Scottish working days; the World Cup holiday of 15 June 2026 counts.
    expect(created.dueDate).toBe(computeDeadline({ regime: "eisr", received: "2026-06-10" }).dueDate);
    const row = await t.handle.db
      .selectFrom("requests")
      .select(["regime", "valid"])
      .where("reference", "=", created.reference)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ regime: "eisr", valid: true });
    const listed = await t.app.inject({
      url: "/api/v1/requests?regime=eisr",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.statusCode).toBe(200);
    expect(JSON.stringify(listed.json())).toContain(created.reference);
  });

  it("answers 401 without a token", async () => {
    const response = await submit(
      { regime: "foia", requester: { name: "A", email: "a@example.org" }, body: "x" },
      null,
    );
    expect(response.statusCode).toBe(401);
  });

  it("documents the route in OpenAPI, with the tracking link in the answer", async () => {
    const document = (await t.app.inject("/api/openapi.json")).json();
    const operation = document.paths["/api/v1/requests"].post;
    expect(operation.responses["201"].content["application/json"].schema.properties).toHaveProperty(
      "trackingUrl",
    );
    expect(Object.keys(operation.requestBody.content["application/json"].schema.required)).not.toContain(
      "channel",
    );
    expect(operation.responses).toHaveProperty("422");
  });
});
