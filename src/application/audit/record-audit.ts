import { auditLog } from "../../../drizzle/schema";
import type { Tx } from "../../infrastructure/db/database";

export interface AuditEntry {
  tenantId: string;
  /** "admin", "key:<apiKeyId>" or "jira:<accountId>". */
  actor: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  outcome: "success" | "failure" | "denied";
  status?: number;
  requestId?: string;
  details?: Record<string, unknown>;
}

/** Appends to the audit log inside the caller's transaction, so the record and the act commit together. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId: entry.tenantId,
    actor: entry.actor,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    outcome: entry.outcome,
    status: entry.status ?? null,
    requestId: entry.requestId ?? null,
    details: entry.details ?? null,
  });
}
