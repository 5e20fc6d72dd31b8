/** Errors the use cases raise; they know nothing of HTTP (the REST layer maps them in one place). */
export type DomainErrorCode =
  | "not_found"
  | "conflict"
  | "invalid"
  | "unprocessable"
  | "forbidden"
  | "unauthorized"
  | "rate_limited"
  | "upstream_unavailable";

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly errors: FieldError[];

  constructor(code: DomainErrorCode, message: string, errors: FieldError[] = []) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.errors = errors;
  }
}

export const notFound = (what: string) => new DomainError("not_found", `${what} was not found.`);
export const conflict = (message: string) => new DomainError("conflict", message);
export const invalid = (message: string, errors: FieldError[] = []) =>
  new DomainError("invalid", message, errors);
