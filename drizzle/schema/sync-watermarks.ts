import { pgTable, primaryKey } from "drizzle-orm/pg-core";
import { tenantId, timestamptz } from "./columns";
import { instanceId } from "./instance-ref";

/** Postgres mirror of each instance's sync progress (the Durable Object is the writer). */
export const syncWatermarks = pgTable(
  "sync_watermarks",
  {
    tenantId: tenantId(),
    instanceId: instanceId(),
    watermark: timestamptz("watermark"),
    lastPollAt: timestamptz("last_poll_at"),
    lastReconcileAt: timestamptz("last_reconcile_at"),
    lastWebhookAt: timestamptz("last_webhook_at"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "sync_watermarks_pkey", columns: [t.tenantId, t.instanceId] })],
);
