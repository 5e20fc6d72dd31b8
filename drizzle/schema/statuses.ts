import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, tenantId, timestamptz } from "./columns";
import { instanceId } from "./instance-ref";

/**
 * The site's workflow statuses with their category (new | indeterminate | done): changelog items
 * name statuses by id only, and flow analytics need the category of every status an issue passed
 * through. Filled by the catalog step (GET /status) and by every issue upsert (its current status).
 */
export const statuses = pgTable(
  "statuses",
  {
    id: id(),
    tenantId: tenantId(),
    instanceId: instanceId(),
    /** Jira's status id, as changelog items' `from`/`to` carry it. */
    jiraId: text("jira_id").notNull(),
    name: text("name").notNull(),
    category: text("category"),
    syncedAt: timestamptz("synced_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("statuses_jira_id_key").on(t.tenantId, t.instanceId, t.jiraId)],
);
