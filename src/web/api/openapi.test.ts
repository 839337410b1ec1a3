import type { RouteOptions } from "fastify";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openApiCollector } from "./openapi.ts";

const route = (options: Partial<RouteOptions>) => ({ handler: async () => ({}), ...options }) as RouteOptions;

describe("the OpenAPI document", () => {
  const collector = openApiCollector("/api/v1");
  collector.onRoute(
    route({
      method: "POST",
      url: "/api/v1/requests/:reference/events",
      schema: {
        summary: "Record an event on a request",
        tags: ["requests"],
        params: z.object({ reference: z.string().describe("The request's reference") }),
        querystring: z.object({ dryRun: z.enum(["yes", "no"]).optional() }),
        body: z.object({ type: z.string(), note: z.string().optional() }),
        response: { 201: z.object({ version: z.number().int() }) },
      },
    }),
  );
  collector.onRoute(route({ method: ["GET", "HEAD"], url: "/api/v1/me", schema: {} }));
  collector.onRoute(route({ method: "GET", url: "/api/openapi.json" }));
  const document = collector.document({ baseUrl: "https://foi.example", title: "T", version: "1" });

  it("lists each API route once per method, with OpenAPI path templates, and no HEAD", () => {
    expect(Object.keys(document.paths)).toEqual(["/api/v1/requests/{reference}/events", "/api/v1/me"]);
    expect(Object.keys(document.paths["/api/v1/me"]!)).toEqual(["get"]);
  });

  it("describes parameters, body and responses from the Zod schemas", () => {
    const post = JSON.parse(JSON.stringify(document.paths["/api/v1/requests/{reference}/events"]!.post));
    expect(post.summary).toBe("Record an event on a request");
    expect(post.parameters).toEqual([
      {
        name: "reference",
        in: "path",
        required: true,
        schema: { type: "string", description: "The request's reference" },
        description: "The request's reference",
      },
      { name: "dryRun", in: "query", required: false, schema: { type: "string", enum: ["yes", "no"] } },
    ]);
    expect(post.requestBody.content["application/json"].schema).toMatchObject({
      type: "object",
      required: ["type"],
      properties: { type: { type: "string" }, note: { type: "string" } },
    });
    expect(post.responses["201"].content["application/json"].schema.properties.version.type).toBe("integer");
    expect(post.responses["422"]).toBeDefined();
    expect(post.operationId).toBe("postRequestsReferenceEvents");
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });
});
