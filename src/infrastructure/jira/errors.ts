/**
 * Errors raised by the Jira client. Messages carry the method, route, status and Jira's own
 * error messages — never credentials, headers or request bodies.
 */

export type JiraErrorKind = "retryable" | "auth" | "not_found" | "invalid" | "rate_limited";

export interface JiraErrorInit {
  kind: JiraErrorKind;
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  status: number;
  method: string;
  route: string;
  errorMessages?: string[];
  errors?: Record<string, string>;
  retryAfterSeconds?: number;
  attempts?: number;
  cause?: unknown;
  detail?: string;
}

export class JiraError extends Error {
  override readonly name = "JiraError";
  readonly kind: JiraErrorKind;
  readonly status: number;
  /** Whether trying again later may succeed (rate limits, 5xx, timeouts, network). */
  readonly retry: boolean;
  readonly method: string;
  readonly route: string;
  readonly errorMessages: string[];
  readonly errors: Record<string, string>;
  readonly retryAfterSeconds: number | undefined;
  readonly attempts: number;

  constructor(init: JiraErrorInit) {
    const messages = [...(init.errorMessages ?? []), ...Object.values(init.errors ?? {})];
    const detail = init.detail ?? (messages.length > 0 ? messages.join("; ") : init.kind);
    const status = init.status === 0 ? "no response" : String(init.status);
    super(`Jira ${init.method} ${init.route} failed (${status}): ${detail}`.slice(0, 1000), {
      cause: init.cause,
    });
    this.kind = init.kind;
    this.status = init.status;
    this.retry = init.kind === "retryable" || init.kind === "rate_limited";
    this.method = init.method;
    this.route = init.route;
    this.errorMessages = init.errorMessages ?? [];
    this.errors = init.errors ?? {};
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.attempts = init.attempts ?? 1;
  }
}

export function isJiraError(value: unknown): value is JiraError {
  return value instanceof JiraError;
}

/** Map an HTTP status to an error kind. */
export function classifyStatus(status: number): JiraErrorKind {
  if (status === 429) {
    return "rate_limited";
  }
  if (status === 401 || status === 403) {
    return "auth";
  }
  if (status === 404) {
    return "not_found";
  }
  if (status === 0 || (status >= 500 && status !== 501 && status !== 505)) {
    return "retryable";
  }
  return "invalid";
}

/** Whether a status is worth retrying within the same call (429 and transient 5xx only). */
export function isRetryableStatus(status: number): boolean {
  const kind = classifyStatus(status);
  return kind === "retryable" || kind === "rate_limited";
}

/** Extract Jira's `{errorMessages, errors}` (or OAuth `{error, error_description}`) from a body. */
export function parseErrorBody(text: string): {
  errorMessages: string[];
  errors: Record<string, string>;
} {
  const errorMessages: string[] = [];
  const errors: Record<string, string> = {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const trimmed = text.trim();
    if (trimmed !== "" && !trimmed.startsWith("<")) {
      errorMessages.push(trimmed.slice(0, 300));
    }
    return { errorMessages, errors };
  }
  if (typeof body !== "object" || body === null) {
    return { errorMessages, errors };
  }
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.errorMessages)) {
    for (const m of record.errorMessages) {
      if (typeof m === "string") {
        errorMessages.push(m);
      }
    }
  }
  if (typeof record.errors === "object" && record.errors !== null) {
    for (const [k, v] of Object.entries(record.errors)) {
      errors[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
  }
  for (const key of ["error", "error_description", "message"]) {
    const v = record[key];
    if (typeof v === "string" && v !== "") {
      errorMessages.push(v);
    }
  }
  return { errorMessages, errors };
}
