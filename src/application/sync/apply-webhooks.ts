import { recordAudit } from "../audit/record-audit";
import { syncCatalog } from "./backfill";
import type { SyncContext } from "./context";
import { refreshIssues, removeIssues } from "./store-issues";

/** What a batch of deliveries asks for, after folding duplicates of the same issue together. */
export interface WebhookPlan {
  /** Issues to re-read from Jira: webhook bodies are v2 and partial, never the stored truth. */
  reread: Set<string>;
  /** Issues Jira deleted, with the event time (so a late older version cannot resurrect them). */
  deleted: Map<string, Date>;
  catalog: boolean;
}

const idOf = (value: unknown): string | undefined =>
  typeof value === "string" || typeof value === "number" ? String(value) : undefined;

const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" ? (value as Record<string, unknown>) : {};

export function planWebhooks(payloads: readonly Record<string, unknown>[]): WebhookPlan {
  const plan: WebhookPlan = { reread: new Set(), deleted: new Map(), catalog: false };
  for (const payload of payloads) {
    const event = String(payload.webhookEvent ?? "");
    const issueId = idOf(obj(payload.issue).id);
    if (event === "jira:issue_deleted" && issueId) {
      const at = typeof payload.timestamp === "number" ? new Date(payload.timestamp) : new Date();
      plan.deleted.set(issueId, at);
    } else if (
      event.startsWith("jira:issue_") ||
      event.startsWith("comment_") ||
      event.startsWith("worklog_")
    ) {
      if (issueId) {
        plan.reread.add(issueId);
      }
    } else if (event.startsWith("issuelink_")) {
      const link = obj(payload.issueLink);
      for (const id of [idOf(link.sourceIssueId), idOf(link.destinationIssueId)]) {
        if (id) {
          plan.reread.add(id);
        }
      }
    } else if (event.startsWith("project_") || event.startsWith("user_")) {
      plan.catalog = true;
    }
  }
  for (const id of plan.deleted.keys()) {
    plan.reread.delete(id);
  }
  return plan;
}

/** Applies a plan: deletions first, then one bulk re-read of every touched issue. */
export async function applyWebhookPlan(ctx: SyncContext, plan: WebhookPlan): Promise<void> {
  if (plan.catalog) {
    await syncCatalog(ctx);
  }
  for (const [id, at] of plan.deleted) {
    await removeIssues(ctx, [id], at);
  }
  await refreshIssues(ctx, [...plan.reread]);
}

/** Changes made in Jira belong in the tenant's audit log too: who did what to which issue. */
export async function auditJiraChanges(
  ctx: SyncContext,
  events: readonly { deliveryId: string; payload: Record<string, unknown> }[],
): Promise<void> {
  await ctx.db.withTenant(ctx.scope.tenantId, async (tx) => {
    for (const { deliveryId, payload } of events) {
      const user = obj(payload.user);
      const issue = obj(payload.issue);
      await recordAudit(tx, {
        tenantId: ctx.scope.tenantId,
        actor: `jira:${typeof user.accountId === "string" ? user.accountId : "unknown"}`,
        action: String(payload.webhookEvent ?? "jira:event"),
        targetType: issue.key ? "issue" : "jira",
        targetId: typeof issue.key === "string" ? issue.key : null,
        outcome: "success",
        details: { instanceId: ctx.scope.instanceId, deliveryId },
      });
    }
  });
}
