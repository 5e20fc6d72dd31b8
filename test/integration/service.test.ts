import { describe, expect, it } from "vitest";
import { call, json } from "../helpers/http";

describe("service endpoints", () => {
  it("GET /health is 200 and touches nothing", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("echoes a client's X-Request-Id", async () => {
    const res = await call("GET", "/health", { headers: { "x-request-id": "abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123");
  });

  it("GET /healthz reports the database and redis as ok", async () => {
    const res = await call("GET", "/healthz");
    const body = await json(res);
    expect(res.status).toBe(200);
    expect(body).toEqual({ status: "ok", checks: { database: "ok", redis: "ok" } });
  });

  it("unknown routes are 404 problem+json", async () => {
    const res = await call("GET", "/nope", { headers: { "x-request-id": "r-404" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toEqual({
      type: "http://ds.test/problems/not_found",
      title: "Not Found",
      status: 404,
      detail: "No route matches GET /nope.",
      instance: "/nope",
      requestId: "r-404",
      code: "not_found",
    });
  });

  it("each problem's type is a page the product serves", async () => {
    const res = await call("GET", "/problems/not_found");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("Not found");
    const json = await call("GET", "/problems/rate_limited", {
      headers: { accept: "application/json" },
    });
    expect(await json.json()).toMatchObject({ code: "rate_limited", title: "Rate limited" });
    const unknown = await call("GET", "/problems/no_such_code");
    expect(unknown.status).toBe(404);
  });

  it("a known path with another method is 405 with Allow", async () => {
    const res = await call("DELETE", "/health");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain("GET");
    const body = await json(res);
    expect(body.status).toBe(405);
    expect(body.title).toBe("Method Not Allowed");
  });

  it("bodies over 1 MiB are 413", async () => {
    const res = await call("POST", "/v1/admin/tenants", {
      rawBody: "x".repeat(1024 * 1024 + 1),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect((await json(res)).title).toBe("Content Too Large");
  });

  it("GET /metrics counts requests by route and status", async () => {
    await call("GET", "/health");
    const res = await call("GET", "/metrics");
    const text = await res.text();
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    expect(text).toContain("# TYPE http_request_duration_seconds histogram");
    expect(text).toMatch(/http_request_duration_seconds_bucket\{.*le="\+Inf"\} \d+/);
  });

  it("GET /docs serves the interactive reference", async () => {
    const res = await call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("/openapi.json");
  });
});
