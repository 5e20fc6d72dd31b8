import { DomainError } from "../../domain/errors";
import { AnthropicClient } from "../../infrastructure/ai/anthropic-client";
import { OpenAiClient } from "../../infrastructure/ai/openai-client";
import {
  AiUnavailableError,
  type Completion,
  type CompletionRequest,
  type LlmClient,
  type ProviderType,
} from "../../infrastructure/ai/provider";
import { type AiBinding, WorkersAiClient } from "../../infrastructure/ai/workers-ai-client";
import type { SecretBox } from "../../infrastructure/crypto/secret-box";
import type { Database } from "../../infrastructure/db/database";
import type { Metrics } from "../../infrastructure/observability/metrics";
import type { RateLimitResult } from "../../infrastructure/ratelimit/rate-limiter";
import { recordAudit } from "../audit/record-audit";
import { providerRow } from "./provider-config";

export interface AiDeps {
  db: Database;
  metrics: Metrics;
  secretBox(): Promise<SecretBox>;
  aiBinding: AiBinding | undefined;
}

/** Who asks, for the audit log. */
export interface AiCaller {
  tenantId: string;
  actor: string;
  requestId: string;
}

export type Provider =
  | { type: "builtin"; model: string }
  | { type: LlmClient["type"]; model: string; client: LlmClient };

export const BUILTIN: Provider = { type: "builtin", model: "builtin" };

/** The tenant's provider, with its key decrypted for this call only. */
export async function resolveProvider(deps: AiDeps, tenantId: string): Promise<Provider> {
  const row = await deps.db.withTenant(tenantId, providerRow);
  if (!row || row.type === "builtin" || !row.model) {
    return BUILTIN;
  }
  if (row.type === "workers-ai") {
    if (!deps.aiBinding) {
      throw new DomainError(
        "upstream_unavailable",
        "This deployment has no Workers AI binding.",
        [],
        {
          retryable: false,
        },
      );
    }
    return {
      type: row.type,
      model: row.model,
      client: new WorkersAiClient(row.model, deps.aiBinding),
    };
  }
  if (!row.apiKeyCiphertext || !row.apiKeyKeyId) {
    throw new DomainError("unprocessable", "The AI provider has no API key; PUT /v1/ai/provider.");
  }
  const box = await deps.secretBox();
  const apiKey = await box.open({ ciphertext: row.apiKeyCiphertext, keyId: row.apiKeyKeyId });
  const baseUrl = row.baseUrl ?? undefined;
  const client =
    row.type === "openai"
      ? new OpenAiClient(row.model, apiKey, baseUrl)
      : new AnthropicClient(row.model, apiKey, baseUrl);
  return { type: row.type, model: row.model, client };
}

/** Counts the tokens of every completion a use case makes, for the audit record. */
export class MeteredClient {
  tokensIn = 0;
  tokensOut = 0;
  calls = 0;

  constructor(readonly client: LlmClient) {}

  async complete(request: CompletionRequest): Promise<Completion> {
    this.calls += 1;
    const answer = await this.client.complete(request);
    this.tokensIn += answer.tokensIn;
    this.tokensOut += answer.tokensOut;
    return answer;
  }
}

/** The per-tenant AI limit (AI calls cost money and CPU): a window of its own, per minute. */
export async function limitAiCalls(
  deps: { db: Database },
  tenantId: string,
  perMinute: number,
): Promise<RateLimitResult> {
  const usage = await deps.db.countTenantUse(tenantId, "ai", perMinute);
  return {
    success: usage.allowed,
    limit: usage.limit,
    remaining: usage.remaining,
    resetSeconds: usage.resetSeconds,
  };
}

const CALLS = "ai_calls_total";
const CALLS_HELP = "AI calls by provider type, action and outcome.";

/**
 * Runs one AI use case and audits it whatever happens: provider, model, tokens in and out,
 * outcome — never the text. A provider that stays down becomes a 503 `upstream_unavailable`.
 */
export async function auditedAiCall<R>(
  deps: AiDeps,
  caller: AiCaller,
  action: string,
  target: { type: string; id: string | null },
  run: (provider: Provider, metered: MeteredClient | undefined) => Promise<R>,
  options: { builtinOnly?: boolean } = {},
): Promise<R & { provider: ProviderType; model: string }> {
  let provider: Provider = BUILTIN;
  let metered: MeteredClient | undefined;
  let outcome: "success" | "failure" = "failure";
  let status = 500;
  try {
    provider = options.builtinOnly ? BUILTIN : await resolveProvider(deps, caller.tenantId);
    metered = provider.type === "builtin" ? undefined : new MeteredClient(provider.client);
    const result = await run(provider, metered);
    outcome = "success";
    status = 200;
    return { provider: provider.type, model: provider.model, ...result };
  } catch (error) {
    if (error instanceof AiUnavailableError) {
      status = 503;
      throw new DomainError("upstream_unavailable", error.message, [], { retryable: true });
    }
    if (error instanceof DomainError) {
      status = error.code === "not_found" ? 404 : error.code === "upstream_unavailable" ? 503 : 422;
    }
    throw error;
  } finally {
    deps.metrics.inc(CALLS, CALLS_HELP, { provider: provider.type, action, outcome });
    await deps.db
      .withTenant(caller.tenantId, (tx) =>
        recordAudit(tx, {
          tenantId: caller.tenantId,
          actor: caller.actor,
          action,
          targetType: target.type,
          targetId: target.id,
          outcome,
          status,
          requestId: caller.requestId,
          details: {
            provider: provider.type,
            model: provider.model,
            tokensIn: metered?.tokensIn ?? 0,
            tokensOut: metered?.tokensOut ?? 0,
            calls: metered?.calls ?? 0,
          },
        }),
      )
      .catch(() => {});
  }
}
