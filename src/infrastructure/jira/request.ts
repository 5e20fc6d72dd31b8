/** Request/response plumbing shared by the request core: specs, URLs, Retry-After, errors. */
import { classifyStatus, JiraError, parseErrorBody } from "./errors";

export type RetryReason = "rate_limited" | "server_error" | "timeout" | "network" | "auth_refresh";

export type JiraClientEvent =
  | { type: "request"; method: string; route: string; status: number; durationMs: number }
  | {
      type: "retry";
      reason: RetryReason;
      method: string;
      route: string;
      attempt: number;
      delayMs: number;
    };

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under `/rest/api/3`, already encoded, e.g. `/issue/ABC-1/comment`. */
  path: string;
  /** Low-cardinality template for metrics and errors, e.g. `/issue/{issueIdOrKey}/comment`. */
  route: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

export type Attempt =
  | { ok: true; status: number; text: string; headers: Headers }
  | { ok: false; status: number; text: string; headers: Headers }
  | { ok: false; status: 0; failure: "timeout" | "network"; cause: unknown };

export function buildUrl(
  baseUrl: string,
  path: string,
  query?: Record<string, QueryValue>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) {
      continue;
    }
    params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  const qs = params.toString();
  return `${baseUrl.replace(/\/+$/, "")}/rest/api/3${path}${qs ? `?${qs}` : ""}`;
}

/** Retry-After: delta-seconds or an HTTP date. Returns milliseconds, or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000);
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function parseBody(text: string, spec: RequestSpec): unknown {
  if (text.trim() === "") {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new JiraError({
      kind: "invalid",
      status: 200,
      method: spec.method,
      route: spec.route,
      detail: "response is not JSON",
      cause,
    });
  }
}

export function toError(spec: RequestSpec, result: Attempt, attempts: number): JiraError {
  if ("failure" in result) {
    const detail = result.failure === "timeout" ? "request timed out" : "network error";
    return new JiraError({
      kind: "retryable",
      status: 0,
      method: spec.method,
      route: spec.route,
      detail,
      attempts,
      cause: result.cause,
    });
  }
  const { errorMessages, errors } = parseErrorBody(result.text);
  const retryAfter = parseRetryAfter(result.headers.get("Retry-After"));
  return new JiraError({
    kind: classifyStatus(result.status),
    status: result.status,
    method: spec.method,
    route: spec.route,
    errorMessages,
    errors,
    attempts,
    retryAfterSeconds: retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000),
  });
}
