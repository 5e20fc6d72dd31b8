import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, timestamptz } from "./columns";
import { tenants } from "./tenants";

/**
 * The AI provider each tenant chose (GET/PUT /v1/ai/provider); no row means the built-in one.
 * The API key is stored only as AES-256-GCM ciphertext, like Jira secrets.
 */
export const aiProviders = pgTable(
  "ai_providers",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    type: text("type", { enum: ["builtin", "openai", "anthropic", "workers-ai"] }).notNull(),
    /** Null: the vendor's default endpoint. */
    baseUrl: text("base_url"),
    model: text("model"),
    /** `base64(iv).base64(ciphertext)` of the provider's API key; null for builtin and workers-ai. */
    apiKeyCiphertext: text("api_key_ciphertext"),
    apiKeyKeyId: text("api_key_key_id"),
    createdAt: createdAt(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("ai_providers_tenant_key").on(t.tenantId)],
);
