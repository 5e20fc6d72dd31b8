import { index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz } from "./columns";

/** Queue messages that exhausted their retries; counted in /metrics and replayable. */
export const deadLetters = pgTable(
  "dead_letters",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull(),
    queue: text("queue").notNull(),
    messageId: text("message_id").notNull(),
    body: jsonb("body").notNull(),
    attempts: integer("attempts").notNull(),
    createdAt: createdAt(),
    replayedAt: timestamptz("replayed_at"),
  },
  (t) => [index("dead_letters_tenant_idx").on(t.tenantId, t.createdAt)],
);
