// Minimal HTTP plumbing (no framework): a request/response model, Jira-shaped errors and a tiny
// router whose templates double as the route names reported by GET /_sim/requests.

import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

export interface SimRequest {
  method: string;
  /** Path relative to the site root, without query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  params: Record<string, string>;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** Jira's standard error body. */
export function jiraError(
  status: number,
  errorMessages: string[],
  errors: Record<string, string> = {},
): HttpError {
  return new HttpError(status, { errorMessages, errors });
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SimResponse {
  return headers ? { status, body, headers } : { status, body };
}

export function readBody(req: IncomingMessage, limit = 20 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(jiraError(413, ["Request entity too large."]));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Parses a JSON body; Jira answers malformed JSON with 400 and a parser message. */
export function jsonBody(req: SimRequest): Record<string, unknown> {
  if (req.body.length === 0) {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString("utf8"));
  } catch (e) {
    throw jiraError(400, [
      `Unexpected character in JSON body: ${e instanceof Error ? e.message : String(e)}`,
    ]);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw jiraError(400, ["The request body must be a JSON object."]);
  }
  return parsed as Record<string, unknown>;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const names: string[] = [];
    const source = template
      .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
      .replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return "([^/]+)";
      });
    this.routes.push({ method, template, pattern: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  match(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | { allowed: string[] } | null {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) {
        continue;
      }
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1] ?? "");
      });
      return { route, params };
    }
    return allowed.length > 0 ? { allowed } : null;
  }
}

export function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === "") {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n)) {
    throw jiraError(400, [`The '${name}' parameter must be an integer.`]);
  }
  return n;
}
