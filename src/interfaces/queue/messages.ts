import { z } from "zod";

/** A Jira webhook delivery, queued on `sync-events` by POST /webhooks/jira/{instanceId}. */
export const WebhookEventMessage = z.object({
  type: z.literal("webhook"),
  tenantId: z.uuid(),
  instanceId: z.uuid(),
  /** `X-Atlassian-Webhook-Identifier`: stable across Jira's retries. */
  deliveryId: z.string().min(1),
  /** Hash of the signed body: a replay under a new identifier is still the same event. */
  eventKey: z.string().min(1).optional(),
  receivedAt: z.iso.datetime(),
  payload: z.record(z.string(), z.unknown()),
});
export type WebhookEventMessage = z.infer<typeof WebhookEventMessage>;

export const SyncKind = z.enum(["backfill", "poll", "reconcile"]);
export type SyncKind = z.infer<typeof SyncKind>;

/** A unit of sync work, queued on `sync-jobs` by the API, the cron and the Durable Object. */
export const SyncJobMessage = z.object({
  type: z.literal("sync"),
  tenantId: z.uuid(),
  instanceId: z.uuid(),
  kind: SyncKind,
  /** Reconcile only: verify every issue ("all", on demand) or the next hourly slice. */
  verify: z.enum(["all", "slice"]).optional(),
  /** Why the job exists: "api", "cron", "replay", … (for logs and audit). */
  trigger: z.string().default("api"),
  requestedAt: z.iso.datetime(),
});
export type SyncJobMessage = z.infer<typeof SyncJobMessage>;

export const QueueMessage = z.discriminatedUnion("type", [WebhookEventMessage, SyncJobMessage]);
export type QueueMessage = z.infer<typeof QueueMessage>;

export const QUEUES = {
  events: "sync-events",
  jobs: "sync-jobs",
  eventsDlq: "sync-events-dlq",
  jobsDlq: "sync-jobs-dlq",
} as const;
