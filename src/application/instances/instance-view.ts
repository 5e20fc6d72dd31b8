import type { jiraInstances } from "../../../drizzle/schema";

type InstanceRow = typeof jiraInstances.$inferSelect;

/** The public shape of an instance: never a secret. */
export function instanceView(row: InstanceRow, origin: string) {
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.baseUrl,
    authType: row.authType,
    webhookUrl: `${origin.replace(/\/+$/, "")}/webhooks/jira/${row.id}`,
    webhookSecretConfigured: row.hasWebhookSecret,
    createdAt: row.createdAt.toISOString(),
  };
}

export type InstanceView = ReturnType<typeof instanceView>;
