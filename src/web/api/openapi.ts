import type { RouteOptions } from "fastify";
import { z } from "zod";

// The OpenAPI document is generated from the routes themselves: each API route's Zod schemas become its
// parameters, request body and responses, so the document cannot drift from what the server accepts.

interface CollectedRoute {
  method: string;
  url: string;
  schema: Record<string, unknown>;
}

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: unknown, io: "input" | "output"): JsonSchema {
  if (!(schema instanceof z.ZodType)) return {};
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

function parameters(schema: unknown, location: "path" | "query") {
  const object = jsonSchema(schema, "input");
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || required.has(name),
    schema: property,
    ...(typeof property.description === "string" ? { description: property.description } : {}),
  }));
}

const errorsSchema = {
  type: "object",
  required: ["errors"],
  properties: {
    errors: {
      type: "array",
      items: {
        type: "object",
        required: ["message"],
        properties: { field: { type: "string" }, message: { type: "string" } },
      },
    },
    correlationId: { type: "string", description: "Quote it when reporting a problem; it is in the logs." },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Errors" } } },
});

function operation(route: CollectedRoute) {
  const { schema } = route;
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries((schema.response ?? {}) as Record<string, unknown>)) {
    const body = jsonSchema(response, "output");
    responses[status] = {
      description: typeof body.description === "string" ? body.description : "Success",
      content: { "application/json": { schema: body } },
    };
  }
  // `security: []` on a route: public, no token (the disclosure log).
  const open = Array.isArray(schema.security) && schema.security.length === 0;
  if (!open) responses["401"] = errorResponse("No valid API token was sent");
  if (schema.body || schema.querystring || schema.params)
    responses["422"] = errorResponse("The input was refused; each problem names its field");
  return {
    ...(schema.summary ? { summary: schema.summary } : {}),
    ...(schema.description ? { description: schema.description } : {}),
    ...(schema.tags ? { tags: schema.tags } : {}),
    ...(Array.isArray(schema.security) ? { security: schema.security } : {}),
    operationId:
      typeof schema.operationId === "string"
        ? schema.operationId
        : `${route.method.toLowerCase()}${route.url.replace(/^\/api\/v1/, "").replace(/[/:{}-](\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    parameters: [...parameters(schema.params, "path"), ...parameters(schema.querystring, "query")],
    ...(schema.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchema(schema.body, "input") } },
          },
        }
      : {}),
    responses,
  };
}

export function openApiCollector(prefix: string) {
  const routes: CollectedRoute[] = [];
  return {
    /** An onRoute hook: remembers every route under `prefix`. */
    onRoute(route: RouteOptions) {
      if (!route.url.startsWith(prefix)) return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === "HEAD") continue;
        routes.push({ method, url: route.url, schema: (route.schema ?? {}) as Record<string, unknown> });
      }
    },
    document(info: { baseUrl: string; title: string; version: string }) {
      const paths: Record<string, Record<string, unknown>> = {};
      for (const route of routes) {
        const path = route.url.replace(/:(\w+)/g, "{$1}");
        paths[path] ??= {};
        paths[path][route.method.toLowerCase()] = operation(route);
      }
      return {
        openapi: "3.1.0",
        info: { title: info.title, version: info.version },
        servers: [{ url: info.baseUrl }],
        security: [{ bearerAuth: [] }],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: "http",
              scheme: "bearer",
              description: "A token from `foidesk token create`",
            },
          },
          schemas: { Errors: errorsSchema },
        },
        paths,
      };
    },
  };
}
