import { SecretBox } from "../../src/infrastructure/crypto/secret-box";
import { adminQuery } from "./admin-db";
import { testEnv } from "./env";

/** A fresh tenant (and optionally a Jira instance row) with unique ids, inserted as admin. */
export async function insertTenant(name = "Tenant"): Promise<{ id: string; slug: string }> {
  const slug = `t-${crypto.randomUUID().slice(0, 12)}`;
  const rows = await adminQuery<{ id: string }>(
    "insert into tenants (name, slug) values ($1, $2) returning id",
    [name, slug],
  );
  const row = rows[0];
  if (!row) {
    throw new Error("tenant insert returned nothing");
  }
  return { id: row.id, slug };
}

/** An instance row with real encrypted (but useless) credentials, pointing nowhere reachable. */
export async function insertInstance(tenantId: string, baseUrl = "http://127.0.0.1:9") {
  const box = await SecretBox.create(testEnv.ENCRYPTION_KEY);
  const sealed = await box.seal(
    JSON.stringify({ type: "basic", email: "nobody@example.com", apiToken: "unused" }),
  );
  const rows = await adminQuery<{ id: string }>(
    `insert into jira_instances (tenant_id, name, base_url, auth_type, secrets_ciphertext, secrets_key_id)
     values ($1, 'site', $2, 'basic', $3, $4) returning id`,
    [tenantId, baseUrl, sealed.ciphertext, sealed.keyId],
  );
  const row = rows[0];
  if (!row) {
    throw new Error("instance insert returned nothing");
  }
  return { id: row.id };
}

export async function insertIssue(tenantId: string, instanceId: string, key: string) {
  await adminQuery(
    `insert into issues (tenant_id, instance_id, jira_id, key, project_key, summary, created, updated, jira_updated, raw)
     values ($1, $2, $3, $4, split_part($4, '-', 1), 'Summary of ' || $4, now(), now(), now(), '{}')`,
    [tenantId, instanceId, String(Math.floor(Math.random() * 1e9)), key],
  );
}
