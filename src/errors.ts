/**
 * The one error type for the domain. Pure modules throw it; the web layer maps `code` to an HTTP status and
 * the CLI maps it to an exit code, each in one place (web/errors.ts, cli/main.ts).
 */
export type DomainErrorCode =
  | "invalid" // bad input: a field is missing or malformed
  | "not-found"
  | "conflict" // a stale update or an illegal transition
  | "forbidden"
  | "unauthenticated"
  | "too-large"
  | "rate-limited";

export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** The input field, option or column the problem is about, when there is one. */
  readonly field: string | undefined;
  /** Every invalid field, when input had several problems (the error summary lists them all). */
  readonly problems: readonly FieldProblem[];

  constructor(code: DomainErrorCode, message: string, field?: string, problems?: readonly FieldProblem[]) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.field = field;
    this.problems = problems ?? (field ? [{ field, message }] : []);
  }
}

export function invalid(field: string, message: string): DomainError {
  return new DomainError("invalid", message, field);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** Input that failed its schema, as one domain error listing every field (paths joined with dots). */
export function invalidInput(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): DomainError {
  const problems = issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "body",
    message: issue.message,
  }));
  const first = problems[0] ?? { field: "body", message: "The input is not valid" };
  return new DomainError("invalid", first.message, first.field, problems);
}

/** Parses `input` with a Zod-style schema, throwing one `invalid` domain error naming each bad field. */
export function parseInput<T>(
  schema: {
    safeParse(
      input: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
  },
  input: unknown,
): T {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(result.error.issues);
  return result.data;
}
