/** Catalogue rows (users, projects) as the sync stores them, and the JSON-records insert helper. */
import { hashEmail } from "../../src/domain/pii";
import { emailHashKey } from "../../src/infrastructure/crypto/email-hash-key";
import { adminQuery } from "./admin-db";
import { testEnv } from "./env";

/** `insert into <target> select $1, $2, <values> from jsonb_to_recordset($3) as r(<columns>)`. */
export async function insertJson(
  target: string,
  values: string,
  columns: string,
  [tenantId, instanceId, records]: [string, string, unknown[]],
): Promise<void> {
  await adminQuery(
    `insert into ${target} select $1, $2, ${values} from jsonb_to_recordset($3::jsonb) as r(${columns})`,
    [tenantId, instanceId, JSON.stringify(records)],
  );
}

/** Jira users as the sync stores them: the tenant's keyed email hash, never the address. */
export async function seedUsers(
  tenantId: string,
  instanceId: string,
  users: readonly { accountId: string; displayName: string; active?: boolean; email?: string }[],
): Promise<void> {
  const key = await emailHashKey(testEnv.ENCRYPTION_KEY, tenantId);
  const records = await Promise.all(
    users.map(async (u) => ({
      account_id: u.accountId,
      display_name: u.displayName,
      active: u.active ?? true,
      email_hash: u.email ? await hashEmail(u.email, key) : null,
    })),
  );
  await insertJson(
    "users (tenant_id, instance_id, account_id, display_name, active, email_hash, raw)",
    `r.account_id, r.display_name, coalesce(r.active, true), r.email_hash,
     jsonb_build_object('accountId', r.account_id, 'displayName', r.display_name)`,
    "account_id text, display_name text, active boolean, email_hash text",
    [tenantId, instanceId, records],
  );
}

export async function seedProjects(
  tenantId: string,
  instanceId: string,
  projects: readonly { key: string; name: string }[],
): Promise<void> {
  await insertJson(
    "projects (tenant_id, instance_id, jira_id, key, name, raw)",
    "'p-' || r.key, r.key, r.name, '{}'",
    "key text, name text",
    [tenantId, instanceId, [...projects]],
  );
}
