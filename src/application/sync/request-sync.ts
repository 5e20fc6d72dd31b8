import { eq } from "drizzle-orm";
import { jiraInstances } from "../../../drizzle/schema";
import type { JiraInstance } from "../../../durable-objects/jira-instance";
import { notFound } from "../../domain/errors";
import type { Database } from "../../infrastructure/db/database";
import type { SyncKind } from "../../interfaces/queue/messages";
import { recordAudit } from "../audit/record-audit";

export interface SyncDeps {
  db: Database;
  instances: DurableObjectNamespace<JiraInstance>;
}

/** The instance's Durable Object, after checking the instance is the tenant's (404 otherwise). */
export async function instanceStub(deps: SyncDeps, tenantId: string, instanceId: string) {
  const [row] = await deps.db.withTenant(tenantId, (tx) =>
    tx.select({ id: jiraInstances.id }).from(jiraInstances).where(eq(jiraInstances.id, instanceId)),
  );
  if (!row) {
    throw notFound("Jira instance");
  }
  return deps.instances.get(deps.instances.idFromName(instanceId));
}

/** Starts a sync on demand; one already queued or running is coalesced, not duplicated. */
export async function requestSync(
  deps: SyncDeps,
  input: { tenantId: string; instanceId: string; kind: SyncKind; actor: string; requestId: string },
) {
  const stub = await instanceStub(deps, input.tenantId, input.instanceId);
  const result = await stub.requestSync(
    { tenantId: input.tenantId, instanceId: input.instanceId },
    { kind: input.kind, verify: input.kind === "reconcile" ? "all" : undefined, trigger: "api" },
  );
  await deps.db.withTenant(input.tenantId, (tx) =>
    recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: `sync.${input.kind}`,
      targetType: "jira_instance",
      targetId: input.instanceId,
      outcome: "success",
      status: 202,
      requestId: input.requestId,
      details: { coalesced: result.coalesced },
    }),
  );
  return { kind: input.kind, accepted: true, coalesced: result.coalesced };
}
