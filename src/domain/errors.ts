/** Errors the use cases raise; they know nothing of HTTP (the REST layer maps them in one place). */
export type DomainErrorCode =
  | "not_found"
  | "conflict"
  | "invalid"
  | "unprocessable"
  | "forbidden"
  | "unauthorized"
  | "rate_limited"
  | "upstream_unavailable"
  | "timeout";

export interface FieldError {
  path: string;
  message: string;
}

export interface DomainErrorOptions {
  /**
   * The stable machine-readable `code` a client sees (e.g. `statement_timeout`); defaults to the
   * error's category (`invalid` → `invalid_request`).
   */
  problemCode?: string;
  /** Whether trying again later can succeed (queue consumers ack what never can). */
  retryable?: boolean;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly errors: FieldError[];
  readonly problemCode: string;
  readonly retryable: boolean;

  constructor(
    code: DomainErrorCode,
    message: string,
    errors: FieldError[] = [],
    options: DomainErrorOptions = {},
  ) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.errors = errors;
    this.problemCode = options.problemCode ?? (code === "invalid" ? "invalid_request" : code);
    this.retryable = options.retryable ?? (code === "upstream_unavailable" || code === "timeout");
  }
}

export const notFound = (what: string) => new DomainError("not_found", `${what} was not found.`);
export const conflict = (message: string) => new DomainError("conflict", message);
export const invalid = (message: string, errors: FieldError[] = []) =>
  new DomainError("invalid", message, errors);

/** What is left of a rate limit; the basis of the `RateLimit-*` and `Retry-After` headers. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** Refused by a per-minute limit: the key's own or its tenant's. */
export class RateLimitedError extends DomainError {
  readonly state: RateLimitState;
  readonly limitedBy: "key" | "tenant";

  constructor(state: RateLimitState, limitedBy: "key" | "tenant") {
    super("rate_limited", "Rate limit exceeded; retry after the time in Retry-After.");
    this.state = state;
    this.limitedBy = limitedBy;
  }
}
