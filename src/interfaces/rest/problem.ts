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
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

const SLUGS: Record<number, string> = {
  400: "bad-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  409: "conflict",
  413: "content-too-large",
  422: "unprocessable",
  429: "rate-limited",
  500: "internal",
  502: "bad-gateway",
  503: "unavailable",
};

export function problemBody(
  c: Context,
  status: number,
  detail: string,
  errors?: FieldError[],
): Problem {
  const requestId = c.get("requestId") ?? c.req.header("x-request-id") ?? "";
  return {
    type: `https://digital-spiral.dev/problems/${SLUGS[status] ?? "error"}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    instance: new URL(c.req.url).pathname,
    requestId,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** A problem+json response. */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  detail: string,
  options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
): Response {
  return new Response(JSON.stringify(problemBody(c, status, detail, options.errors)), {
    status,
    headers: {
      "content-type": "application/problem+json",
      "x-request-id": c.get("requestId") ?? "",
      ...options.headers,
    },
  });
}
