import type { FastifySchemaCompiler, FastifySerializerCompiler, FastifyTypeProvider } from "fastify";
import { z } from "zod";

/** Route schemas are Zod schemas: the request is typed by them, validated by them, documented from them. */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this["schema"] extends z.ZodType ? z.output<this["schema"]> : unknown;
  serializer: this["schema"] extends z.ZodType ? z.input<this["schema"]> : unknown;
}

function assertZod(schema: unknown, where: string): z.ZodType {
  if (!(schema instanceof z.ZodType)) throw new Error(`the ${where} schema of a route must be a Zod schema`);
  return schema;
}

/** A refused input reaches the error handler as the ZodError itself (with Fastify's validationContext). */
export const zodValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, method, url, httpPart }) => {
  const zod = assertZod(schema, `${httpPart ?? "input"} of ${method} ${url}`);
  return (data: unknown) => {
    const result = zod.safeParse(data);
    return result.success ? { value: result.data } : { error: result.error };
  };
};

/** Responses are parsed by their schema before sending: a field not in the schema never leaks out. */
export const zodSerializerCompiler: FastifySerializerCompiler<unknown> = ({ schema, method, url }) => {
  const zod = assertZod(schema, `response of ${method} ${url}`);
  return (data: unknown) => JSON.stringify(zod.parse(data));
};

/** A record's id in a route's path: a positive whole number that fits PostgreSQL's integer. */
export const recordId = z.coerce.number().int().positive().max(2_147_483_647);

/** The params of a route under `/:id`. */
export const idParams = z.object({ id: recordId });

export interface FieldError {
  field: string;
  message: string;
}

/** One message per field, the first Zod found, in the order of the form. */
export function fieldErrorsFrom(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".");
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: issue.message });
  }
  return errors;
}

// Helpers for HTML forms: every field arrives as a string (or not at all), and GOV.UK asks for an error
// message written for the person, such as "Enter your username".

/** A required text field, trimmed; `message` when it is missing or blank. */
export function formText(message: string, options: { max?: number; maxMessage?: string } = {}) {
  const text = z.string({ error: message }).trim().min(1, message);
  return options.max
    ? text.max(options.max, options.maxMessage ?? `Enter ${options.max} characters or fewer`)
    : text;
}

/** An optional text field, trimmed; blank becomes undefined. */
export function optionalFormText(options: { max?: number; maxMessage?: string } = {}) {
  const text = options.max
    ? z
        .string()
        .trim()
        .max(options.max, options.maxMessage ?? `Enter ${options.max} characters or fewer`)
    : z.string().trim();
  return text.optional().transform((value) => (value ? value : undefined));
}
