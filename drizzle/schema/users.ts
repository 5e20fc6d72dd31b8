import { boolean, index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, tenantId, timestamptz } from "./columns";
import { instanceId } from "./instance-ref";

/** Jira users. Raw emails are never stored: `emailHash` is a SHA-256 of the lower-cased address. */
export const users = pgTable(
  "users",
  {
    id: id(),
    tenantId: tenantId(),
    instanceId: instanceId(),
    accountId: text("account_id").notNull(),
    displayName: text("display_name").notNull(),
    active: boolean("active").notNull().default(true),
    accountType: text("account_type"),
    emailHash: text("email_hash"),
    timeZone: text("time_zone"),
    /** Jira's user JSON with `emailAddress` removed. */
    raw: jsonb("raw").notNull(),
    syncedAt: timestamptz("synced_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_account_key").on(t.tenantId, t.instanceId, t.accountId),
    // GET /v1/users lists by name, keyset on (display_name, id).
    index("users_display_name_idx").on(t.tenantId, t.displayName, t.id),
  ],
);
