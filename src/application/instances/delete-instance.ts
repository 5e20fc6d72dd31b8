import { eq } from "drizzle-orm";
import { jiraInstances } from "../../../drizzle/schema";
import { notFound } from "../../domain/errors";
import type { Database } from "../../infrastructure/db/database";
import { recordAudit } from "../audit/record-audit";

/**
 * Removes the instance and, through foreign-key cascades, every row synced from it; then clears
 * its Durable Object's sync state so a webhook arriving late finds nothing to resume.
 */
export async function deleteInstance(
  deps: { db: Database; resetSyncState: (instanceId: string) => Promise<void> },
  input: { tenantId: string; instanceId: string; actor: string; requestId: string },
) {
  await deps.db.withTenant(input.tenantId, async (tx) => {
    const [row] = await tx
      .delete(jiraInstances)
      .where(eq(jiraInstances.id, input.instanceId))
      .returning({ id: jiraInstances.id, baseUrl: jiraInstances.baseUrl });
    if (!row) {
      throw notFound("Jira instance");
    }
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "instance.delete",
      targetType: "jira_instance",
      targetId: input.instanceId,
      outcome: "success",
      status: 204,
      requestId: input.requestId,
      details: { baseUrl: row.baseUrl },
    });
  });
  await deps.resetSyncState(input.instanceId);
}
