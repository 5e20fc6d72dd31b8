import type { Database } from "../../infrastructure/db/database";
import type { SyncScope } from "../../infrastructure/db/sync-store";
import type { JiraClient } from "../../infrastructure/jira";
import type { Logger } from "../../infrastructure/observability/logger";

/** Counter names reported by GET /v1/instances/{id}/sync and /metrics. */
export type SyncCounter =
  | "webhooksReceived"
  | "webhooksApplied"
  | "webhooksRejected"
  | "webhooksDuplicate"
  | "issuesUpserted"
  | "issuesDeleted"
  | "issuesSkippedStale"
  | "jiraRequests"
  | "jiraRateLimited"
  | "retries"
  | "failures"
  | "reconcileChecked"
  | "reconcileRepaired"
  | "reconcileMissing"
  | "reconcileDeleted";

/** Everything a sync step needs; built by the instance's Durable Object for each run. */
export interface SyncContext {
  scope: SyncScope;
  db: Database;
  jira: JiraClient;
  /** The Jira account's time zone: JQL dates are read in it. */
  timeZone: string;
  /** The tenant's emailHash key (src/domain/pii.ts). */
  emailKey: CryptoKey;
  count(counter: SyncCounter, by?: number): void;
  logger: Logger;
}

/** Runs `work` on `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
