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

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** The input field, option or column the problem is about, when there is one. */
  readonly field: string | undefined;

  constructor(code: DomainErrorCode, message: string, field?: string) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.field = field;
  }
}

export function invalid(field: string, message: string): DomainError {
  return new DomainError("invalid", message, field);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
