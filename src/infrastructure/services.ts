import { Redis } from "@upstash/redis/cloudflare";
import type { Config, Env } from "../env";
import { CursorCodec } from "./crypto/cursor";
import { SecretBox } from "./crypto/secret-box";
import { Database } from "./db/database";
import type { Logger } from "./observability/logger";
import { type Metrics, metrics } from "./observability/metrics";
import { CloudflareRateLimiter } from "./ratelimit/cloudflare-limiter";
import type { RateLimiter } from "./ratelimit/rate-limiter";
import { UpstashRateLimiter } from "./ratelimit/upstash-limiter";

/** The Cloudflare bindings use cases may reach (never the whole env). */
export type Bindings = Pick<
  Env,
  "JIRA_INSTANCE" | "SYNC_EVENTS" | "SYNC_JOBS" | "RATE_LIMITER" | "RATE_LIMITER_TENANT" | "AI"
>;

/** What use cases and handlers need from the outside world, built once per request or job. */
export interface Services {
  config: Config;
  bindings: Bindings;
  /** Opened on first use; closed by `dispose()`. */
  readonly db: Database;
  metrics: Metrics;
  logger: Logger;
  /** Upstash Redis, when configured (cache and rate limits); Cloudflare primitives otherwise. */
  redis: Redis | undefined;
  rateLimiters: { key: RateLimiter; tenant: RateLimiter };
  secretBox(): Promise<SecretBox>;
  /** Signs and checks pagination cursors. */
  cursors: CursorCodec;
  dispose(): Promise<void>;
}

// Importing keys costs a little; keep the box for the isolate's life, per key set.
const boxes = new Map<string, Promise<SecretBox>>();

function secretBoxFor(config: Config): Promise<SecretBox> {
  const id = [config.encryptionKey, ...config.previousEncryptionKeys].join(",");
  let box = boxes.get(id);
  if (!box) {
    box = SecretBox.create(config.encryptionKey, config.previousEncryptionKeys);
    box.catch(() => boxes.delete(id));
    boxes.set(id, box);
  }
  return box;
}

/** Per-binding limits as declared in wrangler.toml ([[ratelimits]]). */
export const BINDING_LIMITS = { key: 600, tenant: 3000 } as const;

export function createServices(config: Config, logger: Logger, bindings: Bindings): Services {
  let db: Database | undefined;
  const redis = config.upstash
    ? new Redis({ url: config.upstash.url, token: config.upstash.token, retry: false })
    : undefined;
  const limiter = (binding: RateLimit, limit: number): RateLimiter =>
    redis ? new UpstashRateLimiter(redis) : new CloudflareRateLimiter(binding, limit);
  return {
    config,
    bindings,
    metrics,
    logger,
    redis,
    rateLimiters: {
      key: limiter(bindings.RATE_LIMITER, BINDING_LIMITS.key),
      tenant: limiter(bindings.RATE_LIMITER_TENANT, BINDING_LIMITS.tenant),
    },
    secretBox: () => secretBoxFor(config),
    cursors: new CursorCodec(config.encryptionKey),
    get db() {
      db ??= new Database({ url: config.databaseUrl, wsProxy: config.dbWsProxy });
      return db;
    },
    async dispose() {
      await db?.close().catch(() => {});
    },
  };
}
