import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { problem } from "../../problem";

/** Every problem `code` the API gives, with what it means and what to do about it. */
export const PROBLEM_CODES: Record<string, { title: string; explanation: string }> = {
  invalid_request: {
    title: "Invalid request",
    explanation:
      "A parameter, header or body field is malformed or out of range. `errors` names each one; fix them and send again.",
  },
  invalid_jql: {
    title: "Invalid JQL",
    explanation:
      "The JQL query cannot be answered: a syntax error, an unknown field, function or value (a status the site does not have), or an operator the field does not support. `detail` says which, worded as Jira words it, with the character position.",
  },
  unauthorized: {
    title: "Unauthorized",
    explanation:
      "No credentials, or ones we do not know (an unknown, revoked or mistyped API key, a bad admin token, or a webhook whose signature does not match).",
  },
  forbidden: {
    title: "Forbidden",
    explanation:
      "The API key is valid but lacks the scope the operation needs (read, write, sql, ai).",
  },
  not_found: {
    title: "Not found",
    explanation:
      "No such object for this tenant. Objects of other tenants are reported the same way, so their existence is never revealed.",
  },
  method_not_allowed: {
    title: "Method not allowed",
    explanation:
      "The path exists but not with this method; the `Allow` header lists those that do.",
  },
  conflict: {
    title: "Conflict",
    explanation:
      "The request conflicts with existing state: a duplicate slug, or an Idempotency-Key reused with another body.",
  },
  payload_too_large: {
    title: "Content too large",
    explanation: "Request bodies are limited to 1 MiB (webhook deliveries: 10 MiB).",
  },
  unprocessable: {
    title: "Unprocessable",
    explanation:
      "Well-formed, but Jira (or the data) refused it; `errors` says which fields and why.",
  },
  invalid_query: {
    title: "Invalid query",
    explanation:
      "Postgres refused the SQL query: `detail` says why, `sqlState` is its SQLSTATE and `position` where in the query it failed.",
  },
  statement_timeout: {
    title: "Statement timeout",
    explanation:
      "The query ran longer than the statement timeout (5 s by default) and was cancelled. Narrow it, add filters or use indexed columns.",
  },
  timeout: {
    title: "Timeout",
    explanation: "The operation took longer than allowed and was stopped.",
  },
  webhook_expired: {
    title: "Webhook delivery expired",
    explanation:
      "The delivery's signed `timestamp` is missing or more than 24 hours old. Old deliveries are refused so a captured one cannot be replayed; a reconcile repairs anything missed.",
  },
  auth_throttled: {
    title: "Too many failed authentications",
    explanation:
      "This source address failed authentication (API key, admin token or webhook signature) too often this minute. Wait for the seconds in `Retry-After` and check the credentials.",
  },
  too_many_queries: {
    title: "Too many concurrent queries",
    explanation:
      "The tenant already runs as many SQL queries (REST or MCP) at once as it may. Retry after the seconds in `Retry-After`, or run fewer queries in parallel.",
  },
  rate_limited: {
    title: "Rate limited",
    explanation:
      "The API key or the tenant made more requests this minute than its limit allows. Wait for the seconds in `Retry-After`.",
  },
  upstream_unavailable: {
    title: "Upstream unavailable",
    explanation:
      "A dependency (Jira, the database, an AI provider) did not answer in time or answered with an error. Nothing was changed; retry later.",
  },
  unsupported_question: {
    title: "Unsupported question",
    explanation:
      "The built-in AI provider understands a documented set of question shapes; this one is not among them. Rephrase it or configure an LLM provider.",
  },
  bad_gateway: {
    title: "Bad gateway",
    explanation: "An upstream service answered with something we could not use.",
  },
  internal: {
    title: "Internal error",
    explanation:
      "Something failed on our side. Nothing about it is shown here; quote the `requestId` when reporting it.",
  },
};

const htmlText = (text: string) =>
  text
    .replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
    .replace(/`([^`]+)`/g, "<code>$1</code>");

function page(code: string, entry: { title: string; explanation: string }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${htmlText(entry.title)} — Digital Spiral problem</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2328}code{background:#f0f2f4;padding:0 .25rem;border-radius:3px}</style></head>
<body><p><a href="/problems">All problem codes</a></p><h1>${htmlText(entry.title)}</h1><p><code>${htmlText(code)}</code></p><p>${htmlText(entry.explanation)}</p></body></html>`;
}

const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
  "x-content-type-options": "nosniff",
};

/** `/problems/{code}`: the pages that problems' `type` URLs point at. */
export function registerProblemPages(app: OpenAPIHono<AppEnv>): void {
  app.get("/problems", (c) => {
    const items = Object.entries(PROBLEM_CODES)
      .map(
        ([code, e]) =>
          `<li><a href="/problems/${code}"><code>${code}</code></a> — ${htmlText(e.title)}</li>`,
      )
      .join("");
    return c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Problem codes — Digital Spiral</title></head><body><h1>Problem codes</h1><ul>${items}</ul></body></html>`,
      200,
      SECURITY_HEADERS,
    );
  });
  app.get("/problems/:code", (c) => {
    const code = c.req.param("code");
    const entry = PROBLEM_CODES[code];
    if (!entry) {
      return problem(c, 404, `There is no problem code "${code.slice(0, 64)}".`);
    }
    if (c.req.header("accept")?.includes("application/json")) {
      return c.json({ code, ...entry });
    }
    return c.html(page(code, entry), 200, SECURITY_HEADERS);
  });
}
