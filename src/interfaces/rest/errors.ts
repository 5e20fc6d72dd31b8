import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import {
  DomainError,
  type DomainErrorCode,
  type FieldError,
  RateLimitedError,
} from "../../domain/errors";
import type { AppEnv } from "./app-env";
import { findPgError } from "../../infrastructure/db/errors";
import { rateLimitHeaders, unauthorizedHeaders } from "./middleware/api-key-auth";
import { problem } from "./problem";

/** Headers a refusal carries: when to come back, or how to authenticate. */
function headersOf(error: DomainError): Record<string, string> | undefined {
  if (error instanceof RateLimitedError) {
    return {
      ...rateLimitHeaders(error.state),
      "Retry-After": String(Math.max(1, error.state.resetSeconds)),
    };
  }
  return error.code === "unauthorized" ? unauthorizedHeaders : undefined;
}

/** The one mapping from domain error codes to HTTP statuses. */
export const codeToStatus: Record<DomainErrorCode, ContentfulStatusCode> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  unprocessable: 422,
  forbidden: 403,
  unauthorized: 401,
  rate_limited: 429,
  upstream_unavailable: 503,
  timeout: 422,
};

export function zodIssues(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

/** `@hono/zod-openapi`'s hook for request validation failures: 400 naming every bad field. */
export const validationHook = (
  result: { success: true } | { success: false; error: ZodError; target?: string },
  c: Context<AppEnv>,
) => {
  if (!result.success) {
    const where = result.target === "json" ? "request body" : `request ${result.target ?? "input"}`;
    return problem(c, 400, `The ${where} is invalid.`, { errors: zodIssues(result.error) });
  }
  return undefined;
};

const INPUT_REASONS: Record<string, string> = {
  "22P05": "NUL characters (\\u0000) are not allowed",
  "22021": "not valid UTF-8",
  "22003": "a number is out of range",
  "22P02": "a value has the wrong form",
  "22008": "a date or time is out of range",
  "22007": "a date or time has the wrong form",
};
const BAD_INPUT_SQLSTATES = new Set(Object.keys(INPUT_REASONS));

export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof DomainError) {
    if (error instanceof RateLimitedError) {
      c.var.services?.metrics.inc("http_rate_limited_total", "Requests refused by rate limits.", {
        limit: error.limitedBy,
      });
    }
    return problem(c, codeToStatus[error.code], error.message, {
      errors: error.errors,
      code: error.problemCode,
      headers: headersOf(error),
    });
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    // Hono's own errors (e.g. malformed JSON) carry safe, short messages.
    return problem(c, status, error.message || "The request could not be processed.");
  }
  // Values Postgres cannot store (a NUL in a JSON string, bytes that are not UTF-8) or numbers
  // past a column's range are the client's input, not our failure.
  const refused = findPgError(error);
  if (refused && BAD_INPUT_SQLSTATES.has(refused.code)) {
    return problem(c, 400, "A value in the request cannot be stored or compared as given.", {
      errors: [{ path: "(input)", message: INPUT_REASONS[refused.code] ?? "invalid value" }],
    });
  }
  c.var.services?.logger.error("unhandled error", {
    requestId: c.var.requestId,
    error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
  });
  return problem(c, 500, "An unexpected error occurred. Quote the request id when reporting it.");
};

export const notFound: NotFoundHandler<AppEnv> = (c) =>
  problem(c, 404, `No route matches ${c.req.method} ${c.req.path}.`);
