import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { testBackends } from "../../db/testing.ts";
import { createApiToken, revokeToken } from "../../users/index.ts";
import { addStaff, openTestApp, type TestApp } from "../testing.ts";

describe.each(testBackends())("the API on $name", (backend) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await openTestApp(backend, {
      // A route with a body schema, standing in for the request routes to come.
      extraRoutes: (app) =>
        app.post(
          "/api/v1/echo",
          {
            schema: {
              body: z.object({
                regime: z.enum(["foia", "eir"]),
                body: z.string().min(1, "Enter the request"),
              }),
            },
          },
          async (request) => ({ regime: request.body.regime }),
        ),
    });
    await addStaff(t.handle, {
      username: "olivia",
      name: "Olivia Officer",
      role: "officer",
      team: "Information Rights",
    });
    token = (await createApiToken(t.handle.db, { username: "olivia", name: "tests" }, t.app.now())).token;
  });
  afterAll(async () => t?.close());

  describe("GET /api/v1/me", () => {
    it("answers 401, saying how to authenticate, without a token", async () => {
      const response = await t.app.inject("/api/v1/me");
      expect(response.statusCode).toBe(401);
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
      expect(response.json().errors[0].message).toContain("Authorization: Bearer <token>");
    });

    it("answers 401 to a made-up token", async () => {
      const response = await t.app.inject({
        url: "/api/v1/me",
        headers: { authorization: `Bearer foidesk_${"x".repeat(43)}` },
      });
      expect(response.statusCode).toBe(401);
    });

    it("returns the token's user, and nothing secret", async () => {
      const response = await t.app.inject({
        url: "/api/v1/me",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        id: expect.any(Number),
        username: "olivia",
        name: "Olivia Officer",
        email: "",
        role: "officer",
        team: "Information Rights",
      });
    });

    it("stops accepting a revoked token", async () => {
      const made = await createApiToken(t.handle.db, { username: "olivia" }, t.app.now());
      await revokeToken(t.handle.db, made.id, t.app.now());
      const response = await t.app.inject({
        url: "/api/v1/me",
        headers: { authorization: `Bearer ${made.token}` },
      });
      expect(response.statusCode).toBe(401);
    });

    it("does not log the token", async () => {
      await t.app.inject({ url: "/api/v1/me", headers: { authorization: `Bearer ${token}` } });
      expect(t.logs.join("\n")).not.toContain(token);
    });
  });

  it("refuses invalid input with 422 naming each field", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/echo",
      payload: { regime: "gdpr", body: "" },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([
      { field: "regime", message: expect.stringContaining("foia") },
      { field: "body", message: "Enter the request" },
    ]);
  });

  it("refuses malformed JSON with 400", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/echo",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toHaveLength(1);
  });

  describe("GET /api/openapi.json", () => {
    it("is an OpenAPI 3.1 document, open to all, describing /api/v1/me from its route schema", async () => {
      const response = await t.app.inject("/api/openapi.json");
      expect(response.statusCode).toBe(200);
      const document = JSON.parse(response.body);
      expect(document.openapi).toBe("3.1.0");
      expect(document.components.securitySchemes.bearerAuth).toMatchObject({
        type: "http",
        scheme: "bearer",
      });
      const me = document.paths["/api/v1/me"].get;
      expect(me.summary).toBe("The user this API token acts for");
      const schema = me.responses["200"].content["application/json"].schema;
      expect(schema.properties.username).toEqual({ type: "string" });
      expect(schema.properties.role.enum).toEqual(["officer", "approver", "manager", "admin"]);
      expect(me.responses["401"]).toBeDefined();
      expect(Object.keys(document.paths).every((path) => path.startsWith("/api/v1/"))).toBe(true);
    });
  });
});
