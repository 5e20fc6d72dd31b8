import { describe, expect, it } from "vitest";
import { adminQuery } from "../helpers/admin-db";
import { call, json } from "../helpers/http";
import { createKey, createTenantWithKey } from "../helpers/tenancy";

interface ProviderView {
  type: string;
  baseUrl: string | null;
  model: string | null;
  hasApiKey: boolean;
}

const SECRET_KEY = "sk-test-provider-key-0123456789abcdef";

describe("AI provider configuration", () => {
  it("defaults to builtin and stores a vendor key encrypted, never returning it", async () => {
    const tenant = await createTenantWithKey();
    const initial = await call("GET", "/v1/ai/provider", { token: tenant.key });
    expect(initial.status).toBe(200);
    expect(await json<ProviderView>(initial)).toMatchObject({ type: "builtin", hasApiKey: false });

    const put = await call("PUT", "/v1/ai/provider", {
      token: tenant.key,
      body: {
        type: "openai",
        baseUrl: "http://127.0.0.1:9/v1",
        apiKey: SECRET_KEY,
        model: "gpt-x",
      },
    });
    const putText = await put.text();
    expect(put.status, putText).toBe(200);
    expect(putText).not.toContain(SECRET_KEY);
    const got = await call("GET", "/v1/ai/provider", { token: tenant.key });
    const gotText = await got.text();
    expect(gotText).not.toContain(SECRET_KEY);
    expect(JSON.parse(gotText)).toEqual({
      type: "openai",
      baseUrl: "http://127.0.0.1:9/v1",
      model: "gpt-x",
      hasApiKey: true,
      updatedAt: expect.any(String),
    });

    const rows = await adminQuery<{ api_key_ciphertext: string }>(
      "select api_key_ciphertext from ai_providers where tenant_id = $1",
      [tenant.id],
    );
    expect(rows[0]?.api_key_ciphertext).toMatch(/^[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(rows[0]?.api_key_ciphertext).not.toContain(SECRET_KEY);

    // The audit records the change without the key.
    const audit = await adminQuery<{ details: unknown }>(
      "select details from audit_log where tenant_id = $1 and action = 'ai.provider.update'",
      [tenant.id],
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(SECRET_KEY);

    // Another tenant still has the default.
    const other = await createTenantWithKey();
    const theirs = await call("GET", "/v1/ai/provider", { token: other.key });
    expect(await json<ProviderView>(theirs)).toMatchObject({ type: "builtin" });
  });

  it("needs the write scope to change and the ai scope to read", async () => {
    const tenant = await createTenantWithKey(["ai"]);
    const put = await call("PUT", "/v1/ai/provider", {
      token: tenant.key,
      body: { type: "builtin" },
    });
    expect(put.status).toBe(403);
    const readOnly = await createKey(tenant.id, ["read"]);
    const get = await call("GET", "/v1/ai/provider", { token: readOnly.key });
    expect(get.status).toBe(403);
  });

  it("refuses bad settings with problem+json", async () => {
    const tenant = await createTenantWithKey();
    const cases: [unknown, string][] = [
      [{ type: "openai", model: "m" }, "apiKey"],
      [{ type: "mystery" }, "type"],
      [{ type: "anthropic", apiKey: "k", model: "m", baseUrl: "http://10.0.0.5/v1" }, "baseUrl"],
      [
        { type: "openai", apiKey: "k", model: "m", baseUrl: "https://user:pw@api.openai.com/v1" },
        "baseUrl",
      ],
      [{ type: "openai", apiKey: "k", model: "m", baseUrl: "not a url" }, "baseUrl"],
    ];
    for (const [body, path] of cases) {
      const res = await call("PUT", "/v1/ai/provider", { token: tenant.key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const problem = await json<{ errors?: { path: string }[] }>(res);
      expect(problem.errors?.map((e) => e.path).join(",")).toContain(path);
    }
  });
});
