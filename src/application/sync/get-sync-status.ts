import { and, count, isNull, sql } from "drizzle-orm";
import { deadLetters } from "../../../drizzle/schema";
import { instanceStub, type SyncDeps } from "./request-sync";

/**
 * The instance's sync status as its Durable Object keeps it, plus the number of its queue
 * messages that exhausted their retries and wait for a replay (kept in Postgres, not in the DO).
 */
export async function getSyncStatus(
  deps: SyncDeps,
  input: { tenantId: string; instanceId: string },
) {
  const stub = await instanceStub(deps, input.tenantId, input.instanceId);
  const [state, waiting] = await Promise.all([
    stub.getState(),
    deps.db.withTenant(input.tenantId, (tx) =>
      tx
        .select({ n: count() })
        .from(deadLetters)
        .where(
          and(
            isNull(deadLetters.replayedAt),
            sql`${deadLetters.body}->>'instanceId' = ${input.instanceId}`,
          ),
        ),
    ),
  ]);
  return { ...state, deadLetters: waiting[0]?.n ?? 0 };
}
