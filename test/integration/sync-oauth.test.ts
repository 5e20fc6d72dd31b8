import { describe, expect, it } from "vitest";
import { SecretBox } from "../../src/infrastructure/crypto/secret-box";
import { adminQuery } from "../helpers/admin-db";
import { testEnv } from "../helpers/env";
import { call, json } from "../helpers/http";
import { createSimSite } from "../helpers/jira-site";
import { runSync, type SyncedSite, simSend } from "../helpers/sync";
import { createTenantWithKey } from "../helpers/tenancy";

async function storedRefreshToken(instanceId: string): Promise<string> {
  const [row] = await adminQuery<{ secrets_ciphertext: string; secrets_key_id: string }>(
    "select secrets_ciphertext, secrets_key_id from jira_instances where id = $1",
    [instanceId],
  );
  const box = await SecretBox.create(testEnv.ENCRYPTION_KEY);
  const secrets = JSON.parse(
    await box.open(
      { ciphertext: row?.secrets_ciphertext ?? "", keyId: row?.secrets_key_id ?? "" },
      instanceId,
    ),
  ) as { refreshToken: string };
  return secrets.refreshToken;
}

describe("OAuth 2.0 sites", () => {
  it("syncs with rotating refresh tokens, refreshing once when access tokens expire", async () => {
    const site = await createSimSite({ seed: 61, issues: 12 });
    const tenant = await createTenantWithKey();
    const res = await call("POST", "/v1/instances", {
      token: tenant.key,
      body: {
        name: "OAuth site",
        baseUrl: site.url,
        auth: { type: "oauth2", ...site.oauth, apiBaseUrl: site.url },
      },
    });
    expect(res.status).toBe(201);
    const { id } = await json<{ id: string }>(res);
    const synced: SyncedSite = { site, tenant, instanceId: id, webhookSecret: "" };
    const afterCreate = await storedRefreshToken(id);

    const first = await runSync(synced, "backfill");
    expect(first.backfill.status).toBe("done");
    expect(first.backfill.issuesSynced).toBe(12);
    const afterBackfill = await storedRefreshToken(id);
    expect(afterBackfill).not.toBe(afterCreate);

    // Every access token dies: the next sync refreshes (once) and persists the new refresh token.
    await simSend(synced, "POST", "/oauth/expire");
    const second = await runSync(synced, "reconcile");
    expect(second.lastError).toBeNull();
    expect(second.lastReconcile).toMatchObject({ deleted: 0, missing: 0 });
    expect(await storedRefreshToken(id)).not.toBe(afterBackfill);
  });
});
