import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { FieldError } from "../../domain/errors";

/** RFC 9457 problem details, as every error response of the API is shaped. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  /** Stable and machine-readable; `type` is the page (served by us) that explains it. */
  code: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Content Too Large",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** The code a status gets when the caller names none. */
const DEFAULT_CODES: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  408: "timeout",
  409: "conflict",
  413: "payload_too_large",
  422: "unprocessable",
  429: "rate_limited",
  500: "internal",
  502: "bad_gateway",
  503: "upstream_unavailable",
};

export function defaultProblemCode(status: number): string {
  return DEFAULT_CODES[status] ?? "error";
}

export function problemBody(
  c: Context,
  status: number,
  detail: string,
  errors?: FieldError[],
  code: string = defaultProblemCode(status),
): Problem {
  const requestId = c.get("requestId") ?? c.req.header("x-request-id") ?? "";
  const url = new URL(c.req.url);
  return {
    type: `${url.origin}/problems/${code}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    instance: url.pathname,
    requestId,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** A problem+json response. */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  detail: string,
  options: { errors?: FieldError[]; headers?: Record<string, string>; code?: string } = {},
): Response {
  const body = problemBody(c, status, detail, options.errors, options.code);
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/problem+json",
      "x-request-id": c.get("requestId") ?? "",
      ...options.headers,
    },
  });
}
