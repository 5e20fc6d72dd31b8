import { eq } from "drizzle-orm";
import { jiraInstances } from "../../../drizzle/schema";
import { notFound } from "../../domain/errors";
import type { SecretBox } from "../../infrastructure/crypto/secret-box";
import type { Database } from "../../infrastructure/db/database";
import { recordAudit } from "../audit/record-audit";
import { generateWebhookSecret, openSecrets, sealSecrets } from "./credentials";

/**
 * Replaces the instance's webhook secret with a fresh one, returned once. Deliveries signed with
 * the old secret are refused from this moment: paste the new one into Jira's webhook settings.
 */
export async function rotateWebhookSecret(
  deps: { db: Database; secretBox: SecretBox },
  input: { tenantId: string; instanceId: string; actor: string; requestId: string },
): Promise<{ id: string; webhookSecret: string }> {
  const webhookSecret = generateWebhookSecret();
  await deps.db.withTenant(input.tenantId, async (tx) => {
    // FOR UPDATE: a concurrent refresh-token save must not write back the old secret.
    const [row] = await tx
      .select()
      .from(jiraInstances)
      .where(eq(jiraInstances.id, input.instanceId))
      .for("update");
    if (!row) {
      throw notFound("Jira instance");
    }
    const secrets = { ...(await openSecrets(deps.secretBox, row)), webhookSecret };
    await tx
      .update(jiraInstances)
      .set({
        ...(await sealSecrets(deps.secretBox, row.id, secrets)),
        hasWebhookSecret: true,
        updatedAt: new Date(),
      })
      .where(eq(jiraInstances.id, row.id));
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "instance.webhook_secret.rotate",
      targetType: "jira_instance",
      targetId: row.id,
      outcome: "success",
      status: 200,
      requestId: input.requestId,
    });
  });
  return { id: input.instanceId, webhookSecret };
}
