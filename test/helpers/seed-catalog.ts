/** Catalogue rows (users, projects) as the sync stores them, and the JSON-records insert helper. */
import { adminQuery } from "./admin-db";

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

/** Jira users as the sync stores them: an email hash, never the address. */
export async function seedUsers(
  tenantId: string,
  instanceId: string,
  users: readonly { accountId: string; displayName: string; active?: boolean; email?: string }[],
): Promise<void> {
  await insertJson(
    "users (tenant_id, instance_id, account_id, display_name, active, email_hash, raw)",
    `r.account_id, r.display_name, coalesce(r.active, true),
     encode(sha256(convert_to(lower(r.email), 'UTF8')), 'hex'),
     jsonb_build_object('accountId', r.account_id, 'displayName', r.display_name)`,
    "account_id text, display_name text, active boolean, email text",
    [
      tenantId,
      instanceId,
      users.map((u) => ({
        account_id: u.accountId,
        display_name: u.displayName,
        active: u.active ?? true,
        email: u.email ?? null,
      })),
    ],
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
