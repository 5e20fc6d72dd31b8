import { recordAudit } from "../audit/record-audit";
import { syncCatalog } from "./backfill";
import type { SyncContext } from "./context";
import { refreshIssues } from "./store-issues";
import {
  accountIdOf,
  CATALOG_EVENTS,
  COMMENT_EVENTS,
  ISSUE_EVENTS,
  knownWebhookEvent,
  LINK_EVENTS,
  WORKLOG_EVENTS,
} from "./webhook-events";

/** What a batch of deliveries asks for, after folding duplicates of the same issue together. */
export interface WebhookPlan {
  /**
   * Issues to re-read from Jira: a payload is trusted for ids only. An issue Jira no longer has
   * is removed by that re-read, so a delete is applied only once Jira confirms it (404).
   */
  reread: Set<string>;
  catalog: boolean;
}

const idOf = (value: unknown): string | undefined =>
  (typeof value === "string" && /^\d{1,20}$/.test(value)) ||
  (typeof value === "number" && Number.isSafeInteger(value) && value >= 0)
    ? String(value)
    : undefined;

const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" ? (value as Record<string, unknown>) : {};

const ISSUE_SCOPED = new Set([...ISSUE_EVENTS, ...COMMENT_EVENTS, ...WORKLOG_EVENTS]);

export function planWebhooks(payloads: readonly Record<string, unknown>[]): WebhookPlan {
  const plan: WebhookPlan = { reread: new Set(), catalog: false };
  for (const payload of payloads) {
    const event = knownWebhookEvent(payload.webhookEvent);
    if (!event) {
      continue;
    }
    if (ISSUE_SCOPED.has(event)) {
      const issueId = idOf(obj(payload.issue).id);
      if (issueId) {
        plan.reread.add(issueId);
      }
    } else if (LINK_EVENTS.includes(event)) {
      const link = obj(payload.issueLink);
      for (const id of [idOf(link.sourceIssueId), idOf(link.destinationIssueId)]) {
        if (id) {
          plan.reread.add(id);
        }
      }
    } else if (CATALOG_EVENTS.includes(event)) {
      plan.catalog = true;
    }
  }
  return plan;
}

/** Applies a plan: one bulk re-read of every touched issue (which also removes deleted ones). */
export async function applyWebhookPlan(ctx: SyncContext, plan: WebhookPlan): Promise<void> {
  if (plan.catalog) {
    await syncCatalog(ctx);
  }
  await refreshIssues(ctx, [...plan.reread]);
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]{0,49}-\d{1,12}$/;

/**
 * Changes made in Jira belong in the tenant's audit log too: who did what to which issue. Only
 * signed deliveries get here; still, only known event names, well-formed account ids and issue
 * keys are written (anything else is recorded as unknown, never copied).
 */
export async function auditJiraChanges(
  ctx: SyncContext,
  events: readonly { deliveryId: string; payload: Record<string, unknown> }[],
): Promise<void> {
  const known = events.flatMap((e) => {
    const action = knownWebhookEvent(e.payload.webhookEvent);
    return action ? [{ ...e, action }] : [];
  });
  if (known.length === 0) {
    return;
  }
  await ctx.db.withTenant(ctx.scope.tenantId, async (tx) => {
    for (const { deliveryId, payload, action } of known) {
      const key = obj(payload.issue).key;
      const issueKey = typeof key === "string" && ISSUE_KEY.test(key) ? key : null;
      await recordAudit(tx, {
        tenantId: ctx.scope.tenantId,
        actor: `jira:${accountIdOf(obj(payload.user).accountId) ?? "unknown"}`,
        action,
        targetType: issueKey ? "issue" : "jira",
        targetId: issueKey,
        outcome: "success",
        details: { instanceId: ctx.scope.instanceId, deliveryId: deliveryId.slice(0, 200) },
      });
    }
  });
}
