import { afterEach, describe, expect, it, vi } from "vitest";
import { SecretBox } from "../../src/infrastructure/crypto/secret-box";
import { adminQuery } from "../helpers/admin-db";
import { testEnv } from "../helpers/env";
import { insertIssue } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { createSimSite } from "../helpers/jira-site";
import { createKey, createTenantWithKey } from "../helpers/tenancy";

interface Instance {
  id: string;
  name: string;
  baseUrl: string;
  authType: string;
  webhookUrl: string;
  webhookSecret?: string;
  createdAt: string;
}

const SECRET_TOKEN = "super-secret-api-token-123456";

async function createBasicInstance(key: string, baseUrl = "http://127.0.0.1:9/jira") {
  const res = await call("POST", "/v1/instances?verify=false", {
    token: key,
    body: {
      name: "Acme",
      baseUrl,
      auth: { type: "basic", email: "bot@acme.example", apiToken: SECRET_TOKEN },
      webhookSecret: "webhook-secret-xyz",
    },
  });
  expect(res.status).toBe(201);
  return json<Instance>(res);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("instances: happy paths", () => {
  it("registers an instance without verification and never returns its secrets", async () => {
    const logs: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => logs.push(String(line)));
    const { key } = await createTenantWithKey();
    const res = await call("POST", "/v1/instances?verify=false", {
      token: key,
      body: {
        name: "Acme",
        baseUrl: "http://127.0.0.1:9/jira/",
        auth: { type: "basic", email: "bot@acme.example", apiToken: SECRET_TOKEN },
      },
    });
    const text = await res.text();
    expect(res.status).toBe(201);
    const instance = JSON.parse(text) as Instance;
    expect(instance).toMatchObject({
      name: "Acme",
      baseUrl: "http://127.0.0.1:9/jira",
      authType: "basic",
      webhookUrl: `http://ds.test/webhooks/jira/${instance.id}`,
    });
    const listed = await (await call("GET", "/v1/instances", { token: key })).text();
    const one = await (await call("GET", `/v1/instances/${instance.id}`, { token: key })).text();
    for (const body of [text, listed, one, logs.join("\n")]) {
      expect(body).not.toContain(SECRET_TOKEN);
      expect(body).not.toContain("bot@acme.example");
    }
    const [row] = await adminQuery<{ secrets_ciphertext: string; secrets_key_id: string }>(
      "select secrets_ciphertext, secrets_key_id from jira_instances where id = $1",
      [instance.id],
    );
    expect(row?.secrets_ciphertext).not.toContain(SECRET_TOKEN);
    const box = await SecretBox.create(testEnv.ENCRYPTION_KEY);
    expect(row?.secrets_key_id).toBe(box.currentKeyId);
    const opened = JSON.parse(
      await box.open(
        { ciphertext: row?.secrets_ciphertext ?? "", keyId: row?.secrets_key_id ?? "" },
        instance.id,
      ),
    );
    expect(instance.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(opened).toEqual({
      type: "basic",
      email: "bot@acme.example",
      apiToken: SECRET_TOKEN,
      webhookSecret: instance.webhookSecret,
    });
    // Bound to its instance: the same ciphertext does not open as another instance's.
    await expect(
      box.open(
        { ciphertext: row?.secrets_ciphertext ?? "", keyId: row?.secrets_key_id ?? "" },
        crypto.randomUUID(),
      ),
    ).rejects.toThrow();
  });

  it("verifies basic credentials with Jira's /myself, and 422s with Jira's reason when wrong", async () => {
    const site = await createSimSite();
    const { key } = await createTenantWithKey();
    const ok = await call("POST", "/v1/instances", {
      token: key,
      body: {
        name: "Sim",
        baseUrl: site.url,
        auth: { type: "basic", email: site.email, apiToken: site.apiToken },
      },
    });
    expect(ok.status).toBe(201);
    const bad = await call("POST", "/v1/instances", {
      token: key,
      body: {
        name: "Sim",
        baseUrl: site.url,
        auth: { type: "basic", email: site.email, apiToken: "wrong-token" },
      },
    });
    expect(bad.status).toBe(422);
    const problem = await json<{ detail: string }>(bad);
    expect(problem.detail).toMatch(/^Jira refused the credentials/);
    expect(JSON.stringify(problem)).not.toContain("wrong-token");
  });

  it("verifies OAuth 2.0 credentials and stores the rotated refresh token", async () => {
    const site = await createSimSite();
    const { key } = await createTenantWithKey();
    const res = await call("POST", "/v1/instances", {
      token: key,
      body: {
        name: "OAuth site",
        baseUrl: site.url,
        auth: {
          type: "oauth2",
          ...site.oauth,
          apiBaseUrl: site.url,
        },
      },
    });
    expect(res.status).toBe(201);
    const instance = await json<Instance>(res);
    expect(instance.authType).toBe("oauth2");
    const [row] = await adminQuery<{ secrets_ciphertext: string; secrets_key_id: string }>(
      "select secrets_ciphertext, secrets_key_id from jira_instances where id = $1",
      [instance.id],
    );
    const box = await SecretBox.create(testEnv.ENCRYPTION_KEY);
    const secrets = JSON.parse(
      await box.open(
        { ciphertext: row?.secrets_ciphertext ?? "", keyId: row?.secrets_key_id ?? "" },
        instance.id,
      ),
    ) as { refreshToken: string };
    expect(secrets.refreshToken).not.toBe(site.oauth.refreshToken);
  });

  it("lists with cursor pagination, gets one, and deletes it with all its synced data", async () => {
    const tenant = await createTenantWithKey();
    const created = [
      await createBasicInstance(tenant.key),
      await createBasicInstance(tenant.key),
      await createBasicInstance(tenant.key),
    ];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await json<{ items: Instance[]; nextCursor: string | null }>(
        await call("GET", `/v1/instances?limit=2${query}`, { token: tenant.key }),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(created.map((i) => i.id).sort());

    const target = created[0]?.id ?? "";
    await insertIssue(tenant.id, target, "DEL-1");
    const del = await call("DELETE", `/v1/instances/${target}`, { token: tenant.key });
    expect(del.status).toBe(204);
    expect((await call("GET", `/v1/instances/${target}`, { token: tenant.key })).status).toBe(404);
    expect(await adminQuery("select 1 from issues where instance_id = $1", [target])).toHaveLength(
      0,
    );
    const audit = await json<{ items: { action: string; targetId: string }[] }>(
      await call("GET", "/v1/audit?action=instance.delete", { token: tenant.key }),
    );
    expect(audit.items).toEqual([
      expect.objectContaining({ action: "instance.delete", targetId: target }),
    ]);
  });
});

describe("instances: idempotency", () => {
  it("an Idempotency-Key replays the first registration and refuses another body", async () => {
    const tenant = await createTenantWithKey();
    const headers = { "idempotency-key": `idem-${crypto.randomUUID()}` };
    const body = {
      name: "Once",
      baseUrl: "http://127.0.0.1:9/jira",
      auth: { type: "basic", email: "bot@acme.example", apiToken: SECRET_TOKEN },
    };
    const first = await call("POST", "/v1/instances?verify=false", {
      token: tenant.key,
      body,
      headers,
    });
    expect(first.status).toBe(201);
    const again = await call("POST", "/v1/instances?verify=false", {
      token: tenant.key,
      body,
      headers,
    });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await json<Instance>(again)).id).toBe((await json<Instance>(first)).id);
    const rows = await adminQuery("select 1 from jira_instances where tenant_id = $1", [tenant.id]);
    expect(rows).toHaveLength(1);
    const other = await call("POST", "/v1/instances?verify=false", {
      token: tenant.key,
      body: { ...body, name: "Twice" },
      headers,
    });
    expect(other.status).toBe(409);
    const stored = await adminQuery<{ request_hash: string }>(
      "select request_hash from idempotency_keys where tenant_id = $1",
      [tenant.id],
    );
    expect(JSON.stringify(stored)).not.toContain(SECRET_TOKEN);
  });
});

describe("instances: errors and security", () => {
  it("another tenant's instance is 404 for every operation", async () => {
    const a = await createTenantWithKey();
    const b = await createTenantWithKey();
    const instance = await createBasicInstance(a.key);
    expect((await call("GET", `/v1/instances/${instance.id}`, { token: b.key })).status).toBe(404);
    expect((await call("DELETE", `/v1/instances/${instance.id}`, { token: b.key })).status).toBe(
      404,
    );
    const listed = await json<{ items: Instance[] }>(
      await call("GET", "/v1/instances", { token: b.key }),
    );
    expect(listed.items).toEqual([]);
    expect((await call("GET", `/v1/instances/${instance.id}`, { token: a.key })).status).toBe(200);
  });

  it("enforces scopes: a read-only key cannot create or delete (403)", async () => {
    const writer = await createTenantWithKey();
    const reader = await createKey(writer.id, ["read"]);
    const created = await createBasicInstance(writer.key);
    const res = await call("POST", "/v1/instances?verify=false", {
      token: reader.key,
      body: {
        name: "x",
        baseUrl: "http://127.0.0.1:9",
        auth: { type: "basic", email: "a@b.co", apiToken: "t" },
      },
    });
    expect(res.status).toBe(403);
    expect((await call("GET", "/v1/instances", { token: reader.key })).status).toBe(200);
    const del = await call("DELETE", `/v1/instances/${created.id}`, { token: reader.key });
    expect(del.status).toBe(403);
    expect((await call("GET", `/v1/instances/${created.id}`, { token: writer.key })).status).toBe(
      200,
    );
  });

  it("401 without a key or with an unknown one", async () => {
    expect((await call("GET", "/v1/instances")).status).toBe(401);
    expect((await call("GET", "/v1/instances", { token: "ds_unknown" })).status).toBe(401);
  });

  it("refuses unsafe or malformed base URLs with 400 saying why", async () => {
    const { key } = await createTenantWithKey();
    const cases: [string, RegExp][] = [
      ["http://10.0.0.5/jira", /https/],
      ["https://10.0.0.5", /private/],
      ["https://169.254.169.254", /private/],
      ["https://evil.example.com", /ALLOWED_JIRA_HOSTS/],
      ["not a url", /valid absolute URL/],
    ];
    for (const [baseUrl, reason] of cases) {
      const res = await call("POST", "/v1/instances?verify=false", {
        token: key,
        body: { name: "x", baseUrl, auth: { type: "basic", email: "a@b.co", apiToken: "t" } },
      });
      expect(res.status, baseUrl).toBe(400);
      expect((await json<{ detail: string }>(res)).detail, baseUrl).toMatch(reason);
    }
  });

  it("rejects malformed bodies with 400 naming the fields", async () => {
    const { key } = await createTenantWithKey();
    const res = await call("POST", "/v1/instances", {
      token: key,
      body: {
        name: "x",
        baseUrl: "https://a.atlassian.net",
        auth: { type: "basic", email: "nope" },
      },
    });
    expect(res.status).toBe(400);
    const paths = (await json<{ errors: { path: string }[] }>(res)).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["auth.email", "auth.apiToken"]));
  });

  it("a tampered or foreign cursor is a 400", async () => {
    const a = await createTenantWithKey();
    const b = await createTenantWithKey();
    await createBasicInstance(a.key);
    await createBasicInstance(a.key);
    const page = await json<{ nextCursor: string }>(
      await call("GET", "/v1/instances?limit=1", { token: a.key }),
    );
    const foreign = await call("GET", `/v1/instances?cursor=${page.nextCursor}`, { token: b.key });
    expect(foreign.status).toBe(400);
    const tampered = await call("GET", `/v1/instances?cursor=${page.nextCursor.slice(1)}x`, {
      token: a.key,
    });
    expect(tampered.status).toBe(400);
  });
});
