import { boolean, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, timestamptz } from "./columns";
import { tenants } from "./tenants";

export interface InstanceSettings {
  cloudId?: string;
  /** Where REST calls go: the site itself (basic) or api.atlassian.com/ex/jira/{cloudId} (OAuth). */
  apiBaseUrl?: string;
  tokenUrl?: string;
  /** The connected Jira account (/myself), kept by the sync: JQL's currentUser() and time zone. */
  jiraAccountId?: string;
  jiraTimeZone?: string;
}

export const jiraInstances = pgTable(
  "jira_instances",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    baseUrl: text("base_url").notNull(),
    authType: text("auth_type", { enum: ["basic", "oauth2"] }).notNull(),
    /** AES-256-GCM ciphertext of the instance's secrets (API token or OAuth client secret and
     * refresh token, webhook secret), as `base64(iv).base64(ciphertext)`. */
    secretsCiphertext: text("secrets_ciphertext").notNull(),
    /** Which ENCRYPTION_KEY encrypted the secrets, so keys can rotate. */
    secretsKeyId: text("secrets_key_id").notNull(),
    /** Non-secret connection settings: OAuth cloud id, API base and token URLs. */
    settings: jsonb("settings").$type<InstanceSettings>().notNull().default({}),
    hasWebhookSecret: boolean("has_webhook_secret").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("jira_instances_tenant_idx").on(t.tenantId)],
);
