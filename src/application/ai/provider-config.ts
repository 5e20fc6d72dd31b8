import { aiProviders } from "../../../drizzle/schema";
import { invalid } from "../../domain/errors";
import { checkJiraUrl, type JiraUrlPolicy } from "../../domain/jira-url";
import type { ProviderType } from "../../infrastructure/ai/provider";
import type { SecretBox } from "../../infrastructure/crypto/secret-box";
import type { Database, Tx } from "../../infrastructure/db/database";
import { recordAudit } from "../audit/record-audit";

export type ProviderSetting =
  | { type: "builtin" }
  | { type: "openai" | "anthropic"; baseUrl?: string; apiKey: string; model: string }
  | { type: "workers-ai"; model: string };

/** What GET/PUT /v1/ai/provider show: never the key, only whether one is stored. */
export interface ProviderView {
  type: ProviderType;
  baseUrl: string | null;
  model: string | null;
  hasApiKey: boolean;
  updatedAt: string | null;
}

/** Vendor hosts a production deployment may call without extra configuration. */
export const DEFAULT_AI_HOSTS = ["api.openai.com", "api.anthropic.com"] as const;

const BUILTIN_VIEW: ProviderView = {
  type: "builtin",
  baseUrl: null,
  model: "builtin",
  hasApiKey: false,
  updatedAt: null,
};

type ProviderRow = typeof aiProviders.$inferSelect;

function view(row: ProviderRow | undefined): ProviderView {
  if (!row) {
    return BUILTIN_VIEW;
  }
  return {
    type: row.type,
    baseUrl: row.baseUrl,
    model: row.type === "builtin" ? "builtin" : row.model,
    hasApiKey: row.apiKeyCiphertext !== null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function providerRow(tx: Tx): Promise<ProviderRow | undefined> {
  const [row] = await tx.select().from(aiProviders).limit(1);
  return row;
}

export async function getProviderConfig(
  deps: { db: Database },
  input: { tenantId: string },
): Promise<ProviderView> {
  return view(await deps.db.withTenant(input.tenantId, providerRow));
}

export interface PutProviderDeps {
  db: Database;
  secretBox: SecretBox;
  urlPolicy: JiraUrlPolicy;
}

/**
 * Sets the tenant's provider. The key is sealed with the deployment's SecretBox; the base URL
 * passes the same SSRF policy as Jira URLs (loopback http only in development).
 */
export async function putProviderConfig(
  deps: PutProviderDeps,
  input: { tenantId: string; actor: string; requestId: string; setting: ProviderSetting },
): Promise<ProviderView> {
  const { setting } = input;
  let baseUrl: string | null = null;
  let sealed: { ciphertext: string; keyId: string } | null = null;
  if (setting.type === "openai" || setting.type === "anthropic") {
    if (setting.baseUrl !== undefined) {
      const check = checkJiraUrl(setting.baseUrl, deps.urlPolicy);
      if (!check.ok) {
        throw invalid(`The baseUrl ${check.reason}.`, [{ path: "baseUrl", message: check.reason }]);
      }
      baseUrl = check.url;
    }
    sealed = await deps.secretBox.seal(setting.apiKey);
  }
  const values = {
    tenantId: input.tenantId,
    type: setting.type,
    baseUrl,
    model: setting.type === "builtin" ? null : setting.model,
    apiKeyCiphertext: sealed?.ciphertext ?? null,
    apiKeyKeyId: sealed?.keyId ?? null,
    updatedAt: new Date(),
  };
  const row = await deps.db.withTenant(input.tenantId, async (tx) => {
    const [saved] = await tx
      .insert(aiProviders)
      .values(values)
      .onConflictDoUpdate({ target: aiProviders.tenantId, set: values })
      .returning();
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "ai.provider.update",
      targetType: "ai_provider",
      targetId: setting.type,
      outcome: "success",
      status: 200,
      requestId: input.requestId,
      details: { type: setting.type, model: values.model, baseUrl },
    });
    return saved;
  });
  return view(row);
}
