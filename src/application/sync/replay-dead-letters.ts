import { and, eq, isNull, sql } from "drizzle-orm";
import { deadLetters } from "../../../drizzle/schema";
import type { Database } from "../../infrastructure/db/database";
import { QUEUES, type QueueMessage } from "../../interfaces/queue/messages";
import { recordAudit } from "../audit/record-audit";

export interface ReplayDeps {
  db: Database;
  send: (queue: "events" | "jobs", message: QueueMessage) => Promise<void>;
}

/**
 * Puts an instance's dead letters back on their queues (once the cause is fixed) and marks them
 * replayed; a message that fails again comes back as a new dead letter.
 */
export async function replayDeadLetters(
  deps: ReplayDeps,
  input: { tenantId: string; instanceId: string; actor: string; requestId: string },
) {
  return deps.db.withTenant(input.tenantId, async (tx) => {
    const rows = await tx
      .select()
      .from(deadLetters)
      .where(
        and(
          isNull(deadLetters.replayedAt),
          sql`${deadLetters.body}->>'instanceId' = ${input.instanceId}`,
        ),
      )
      .limit(500);
    for (const row of rows) {
      await deps.send(row.queue === QUEUES.eventsDlq ? "events" : "jobs", row.body as QueueMessage);
      await tx
        .update(deadLetters)
        .set({ replayedAt: new Date() })
        .where(eq(deadLetters.id, row.id));
    }
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "sync.replay_dead_letters",
      targetType: "jira_instance",
      targetId: input.instanceId,
      outcome: "success",
      status: 202,
      requestId: input.requestId,
      details: { replayed: rows.length },
    });
    return { replayed: rows.length };
  });
}
