import { Redis } from "@upstash/redis/cloudflare";
import type { Config, Env } from "../env";
import { CursorCodec } from "./crypto/cursor";
import { SecretBox } from "./crypto/secret-box";
import { emailHashKey } from "./crypto/email-hash-key";
import { Database } from "./db/database";
import type { Logger } from "./observability/logger";
import { type Metrics, metrics } from "./observability/metrics";
import { AuthFailureThrottle } from "./ratelimit/auth-failures";
import { UpstashRateLimiter } from "./ratelimit/upstash-limiter";

/** The Cloudflare bindings use cases may reach (never the whole env). */
export type Bindings = Pick<Env, "JIRA_INSTANCE" | "SYNC_EVENTS" | "SYNC_JOBS" | "AI">;

/** What use cases and handlers need from the outside world, built once per request or job. */
export interface Services {
  config: Config;
  bindings: Bindings;
  /** Opened on first use; closed by `dispose()`. */
  readonly db: Database;
  metrics: Metrics;
  logger: Logger;
  /** Upstash Redis, when configured. */
  redis: Redis | undefined;
  /** Failed authentications per source address (API keys, admin token, webhook signatures). */
  authFailures: AuthFailureThrottle;
  secretBox(): Promise<SecretBox>;
  /** The tenant's key for emailHash (see crypto/email-hash-key.ts). */
  emailKeyOf(tenantId: string): Promise<CryptoKey>;
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

export function createServices(config: Config, logger: Logger, bindings: Bindings): Services {
  let db: Database | undefined;
  const redis = config.upstash
    ? new Redis({ url: config.upstash.url, token: config.upstash.token, retry: false })
    : undefined;
  return {
    config,
    bindings,
    metrics,
    logger,
    redis,
    authFailures: new AuthFailureThrottle(redis ? new UpstashRateLimiter(redis) : undefined),
    secretBox: () => secretBoxFor(config),
    emailKeyOf: (tenantId) => emailHashKey(config.emailHashKey ?? config.encryptionKey, tenantId),
    cursors: new CursorCodec(config.cursorSigningKey ?? config.encryptionKey),
    get db() {
      db ??= new Database({
        url: config.databaseUrl,
        wsProxy: config.dbWsProxy,
        httpEndpoint: config.dbHttpEndpoint,
        statementTimeoutMs: config.statementTimeoutMs,
      });
      return db;
    },
    async dispose() {
      await db?.close().catch(() => {});
    },
  };
}
