import { boolean, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, tenantId, timestamptz } from "./columns";
import { instanceId } from "./instance-ref";

/** The site's field catalogue (GET /rest/api/3/field), system and custom fields. */
export const customFields = pgTable(
  "custom_fields",
  {
    id: id(),
    tenantId: tenantId(),
    instanceId: instanceId(),
    fieldId: text("field_id").notNull(),
    name: text("name").notNull(),
    custom: boolean("custom").notNull(),
    schemaType: text("schema_type"),
    schemaCustom: text("schema_custom"),
    schemaItems: text("schema_items"),
    raw: jsonb("raw").notNull(),
    syncedAt: timestamptz("synced_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("custom_fields_field_key").on(t.tenantId, t.instanceId, t.fieldId)],
);
