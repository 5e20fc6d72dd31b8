import { z } from "zod";
import type { JiraInstance } from "../durable-objects/jira-instance";
import type { AiBinding } from "./infrastructure/ai/workers-ai-client";
import { setLogLevel } from "./infrastructure/observability/logger";

/** Worker bindings: the generated ones (wrangler types) plus secrets and local-only settings. */
export interface Env extends Omit<Cloudflare.Env, "ENVIRONMENT" | "JIRA_INSTANCE" | "AI"> {
  ENVIRONMENT: string;
  JIRA_INSTANCE: DurableObjectNamespace<JiraInstance>;
  DATABASE_URL: string;
  /** Local only: host:port/v1 of the WebSocket→TCP proxy the Neon driver uses without Neon. */
  DB_WS_PROXY?: string;
  /** Local only: Neon's SQL-over-HTTP endpoint on loopback (production derives Neon's from DATABASE_URL). */
  DB_HTTP_ENDPOINT?: string;
  /** Per-statement bound for API reads and the SQL interface, in ms (default 5000). */
  STATEMENT_TIMEOUT_MS?: string;
  ADMIN_TOKEN: string;
  /** Base64 of 32 bytes: the AES-256-GCM key for stored secrets. */
  ENCRYPTION_KEY: string;
  /** Comma-separated older keys, still accepted for decryption while secrets are re-encrypted. */
  ENCRYPTION_KEYS_PREVIOUS?: string;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  /** Comma-separated extra Jira hosts allowed in production (besides *.atlassian.net). */
  ALLOWED_JIRA_HOSTS?: string;
  /** Public origin used in webhook URLs when requests arrive through a proxy. */
  PUBLIC_URL?: string;
  /** debug | info | warn | error (default info). */
  LOG_LEVEL?: string;
  /** Requests per minute across all of a tenant's keys, for tenants without their own (default 3000). */
  TENANT_RATE_LIMIT_PER_MINUTE?: string;
  /** The pace each Jira site is called at, before Jira would answer 429 (default 10). */
  JIRA_REQUESTS_PER_SECOND?: string;
  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>` (production: required). */
  METRICS_TOKEN?: string;
  /** Signs pagination cursors; default: a key derived from ENCRYPTION_KEY for that purpose only. */
  CURSOR_SIGNING_KEY?: string;
  /** Keys emailHash per tenant; default: derived from ENCRYPTION_KEY for that purpose only. */
  EMAIL_HASH_KEY?: string;
  /** Workers AI (`[ai] binding = "AI"` in wrangler.toml), for tenants whose provider is workers-ai. */
  AI?: AiBinding;
  /** AI calls per minute per tenant, across its keys (default 60). */
  AI_RATE_LIMIT_PER_MINUTE?: string;
  /** Comma-separated extra AI provider hosts allowed in production (besides OpenAI's and Anthropic's). */
  ALLOWED_AI_HOSTS?: string;
}

const configSchema = z.object({
  environment: z.enum(["development", "production"]),
  databaseUrl: z.string().min(1, "DATABASE_URL is required"),
  dbWsProxy: z.string().optional(),
  dbHttpEndpoint: z.url().optional(),
  statementTimeoutMs: z.coerce.number().int().min(100).max(600_000),
  adminToken: z.string().min(16, "ADMIN_TOKEN must be at least 16 characters"),
  encryptionKey: z.string().min(1, "ENCRYPTION_KEY is required"),
  previousEncryptionKeys: z.array(z.string()),
  upstash: z.object({ url: z.url(), token: z.string().min(1) }).optional(),
  allowedJiraHosts: z.array(z.string()),
  publicUrl: z.url().optional(),
  logLevel: z.enum(["debug", "info", "warn", "error"]),
  tenantRateLimitPerMinute: z.coerce.number().int().positive(),
  jiraRequestsPerSecond: z.coerce.number().positive(),
  metricsToken: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  cursorSigningKey: z
    .string()
    .min(32, "CURSOR_SIGNING_KEY must be at least 32 characters")
    .optional(),
  emailHashKey: z.string().min(32, "EMAIL_HASH_KEY must be at least 32 characters").optional(),
  aiRateLimitPerMinute: z.coerce.number().int().positive(),
  allowedAiHosts: z.array(z.string()),
});

export type Config = z.infer<typeof configSchema>;

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

// Bindings do not change during an isolate's life: parse each env object once.
const cache = new WeakMap<object, Config>();

/** Validates the bindings once per isolate; a misconfiguration fails loudly and early. */
export function loadConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) {
    return cached;
  }
  const config = configSchema.parse({
    environment: env.ENVIRONMENT === "development" ? "development" : "production",
    databaseUrl: env.DATABASE_URL,
    dbWsProxy: env.DB_WS_PROXY || undefined,
    dbHttpEndpoint: env.DB_HTTP_ENDPOINT || undefined,
    statementTimeoutMs: env.STATEMENT_TIMEOUT_MS || 5000,
    adminToken: env.ADMIN_TOKEN,
    encryptionKey: env.ENCRYPTION_KEY,
    previousEncryptionKeys: list(env.ENCRYPTION_KEYS_PREVIOUS),
    upstash:
      env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
        ? { url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }
        : undefined,
    allowedJiraHosts: list(env.ALLOWED_JIRA_HOSTS).map((host) => host.toLowerCase()),
    publicUrl: env.PUBLIC_URL || undefined,
    logLevel: env.LOG_LEVEL || "info",
    tenantRateLimitPerMinute: env.TENANT_RATE_LIMIT_PER_MINUTE || 3000,
    jiraRequestsPerSecond: env.JIRA_REQUESTS_PER_SECOND || 10,
    metricsToken: env.METRICS_TOKEN || undefined,
    cursorSigningKey: env.CURSOR_SIGNING_KEY || undefined,
    emailHashKey: env.EMAIL_HASH_KEY || undefined,
    aiRateLimitPerMinute: env.AI_RATE_LIMIT_PER_MINUTE || 60,
    allowedAiHosts: list(env.ALLOWED_AI_HOSTS).map((host) => host.toLowerCase()),
  });
  setLogLevel(config.logLevel);
  cache.set(env, config);
  return config;
}
