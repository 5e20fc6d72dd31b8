import { sql } from "drizzle-orm";
import { customType, timestamp, uuid } from "drizzle-orm/pg-core";

/** Primary key shared by every table: a random UUID. */
export const id = () => uuid("id").primaryKey().default(sql`gen_random_uuid()`);

/** The owning tenant; row-level security policies compare it with `app.tenant_id`. */
export const tenantId = () => uuid("tenant_id").notNull();

/** Millisecond precision, like Jira and JS dates, so keyset cursors round-trip exactly. */
export const timestamptz = (name: string) =>
  timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const createdAt = () => timestamptz("created_at").notNull().defaultNow();

export const tsvector = customType<{ data: string }>({
  dataType: () => "tsvector",
});
