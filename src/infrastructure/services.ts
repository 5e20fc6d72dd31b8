import { Redis } from "@upstash/redis/cloudflare";
import type { Config } from "../env";
import { Database } from "./db/database";
import type { Logger } from "./observability/logger";
import { type Metrics, metrics } from "./observability/metrics";

/** What use cases and handlers need from the outside world, built once per request or job. */
export interface Services {
  config: Config;
  /** Opened on first use; closed by `dispose()`. */
  readonly db: Database;
  metrics: Metrics;
  logger: Logger;
  /** Upstash Redis, when configured (cache and rate limits); Cloudflare primitives otherwise. */
  redis: Redis | undefined;
  dispose(): Promise<void>;
}

export function createServices(config: Config, logger: Logger): Services {
  let db: Database | undefined;
  return {
    config,
    metrics,
    logger,
    redis: config.upstash
      ? new Redis({ url: config.upstash.url, token: config.upstash.token, retry: false })
      : undefined,
    get db() {
      db ??= new Database({ url: config.databaseUrl, wsProxy: config.dbWsProxy });
      return db;
    },
    async dispose() {
      await db?.close().catch(() => {});
    },
  };
}
