import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { createApp } from "../../src/interfaces/rest/app";

// Ajv compiles validators with `new Function`, which workerd forbids: this check runs in Node,
// on the same app factory the Worker uses.
const env = {
  ENVIRONMENT: "development",
  LOG_LEVEL: "warn",
  DATABASE_URL: "postgres://unused@127.0.0.1:1/unused",
  ADMIN_TOKEN: "openapi-test-admin-token",
  ENCRYPTION_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
} as unknown as Env;

const executionCtx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };

async function fetchDocument(): Promise<Record<string, unknown>> {
  const app = createApp();
  const res = await app.request("/openapi.json", {}, env, executionCtx);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const document = await fetchDocument();
    expect(document.openapi).toBe("3.1.0");
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents every route with an operationId, tags and a summary", async () => {
    const document = await fetchDocument();
    const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(["/health", "/healthz"]));
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.operationId, `${method} ${path}`).toEqual(expect.any(String));
        expect(operation.summary, `${method} ${path}`).toEqual(expect.any(String));
        expect(operation.tags, `${method} ${path}`).toEqual(expect.any(Array));
      }
    }
  });
});
