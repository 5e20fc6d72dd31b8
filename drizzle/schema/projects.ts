import { jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, tenantId, timestamptz } from "./columns";
import { instanceId } from "./instance-ref";

export const projects = pgTable(
  "projects",
  {
    id: id(),
    tenantId: tenantId(),
    instanceId: instanceId(),
    jiraId: text("jira_id").notNull(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    projectType: text("project_type"),
    leadAccountId: text("lead_account_id"),
    raw: jsonb("raw").notNull(),
    syncedAt: timestamptz("synced_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("projects_jira_id_key").on(t.tenantId, t.instanceId, t.jiraId),
    uniqueIndex("projects_key_key").on(t.tenantId, t.instanceId, t.key),
  ],
);
