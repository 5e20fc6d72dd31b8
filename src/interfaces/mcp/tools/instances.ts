import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { listInstances } from "../../../application/instances/read-instances";
import { getSyncStatus } from "../../../application/sync/get-sync-status";
import { guarded, resolveInstance, type ToolContext } from "../context";
import { CursorInput, InstanceIdInput, LimitInput, pageOutput } from "../schemas";

const ListInput = z.strictObject({ limit: LimitInput(50), cursor: CursorInput });

const Instance = z.looseObject({
  id: z.string().describe("Pass it as instanceId to the other tools."),
  name: z.string(),
  baseUrl: z.string().describe("The Jira site, e.g. https://acme.atlassian.net."),
  authType: z.string(),
  webhookUrl: z.string(),
  webhookSecretConfigured: z.boolean(),
  createdAt: z.string(),
});

const StatusInput = z.strictObject({ instanceId: InstanceIdInput });

const nullableTime = z.string().nullable();

const SyncStatus = z.looseObject({
  state: z
    .enum(["idle", "backfilling", "polling", "reconciling", "error"])
    .describe("What the sync is doing now."),
  watermark: nullableTime.describe("Issues updated before this are synced."),
  lagSeconds: z.number().nullable().describe("Seconds since the last successful sync activity."),
  backfill: z.looseObject({
    status: z.string().describe("never, running, done or failed."),
    startedAt: nullableTime,
    finishedAt: nullableTime,
    issuesSynced: z.number(),
    error: z.string().nullable(),
  }),
  lastPollAt: nullableTime,
  lastReconcileAt: nullableTime,
  lastWebhookAt: nullableTime,
  counters: z.record(z.string(), z.number()),
});

export function registerInstanceTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "list_instances",
    {
      title: "List Jira instances",
      description:
        "List the Jira Cloud sites connected to your tenant, with the ids the other tools take as instanceId. Call it first when you need an instanceId or want to know which sites exist. Needs the read scope.",
      inputSchema: ListInput,
      outputSchema: pageOutput(Instance),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx, "read", async (args: z.infer<typeof ListInput>) => {
      const page = await listInstances(ctx.services, {
        tenantId: ctx.caller.tenantId,
        origin: ctx.origin,
        ...args,
      });
      const lines = page.items.map((i) => `${i.id}: ${i.name} (${i.baseUrl})`);
      return { summary: [`${page.items.length} instance(s)`, ...lines].join("\n"), data: page };
    }),
  );

  server.registerTool(
    "get_sync_status",
    {
      title: "Get sync status",
      description:
        "How fresh the synced data of a Jira instance is: sync state, watermark, lag, backfill progress, last poll/reconcile/webhook times, counters and dead letters waiting for a replay. Use it before trusting search results for very recent changes, or to see whether the first backfill has finished. Needs the read scope.",
      inputSchema: StatusInput,
      outputSchema: SyncStatus,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx, "read", async (args: z.infer<typeof StatusInput>) => {
      const { services } = ctx;
      const { state, ...status } = await getSyncStatus(
        { db: services.db, instances: services.bindings.JIRA_INSTANCE },
        { tenantId: ctx.caller.tenantId, instanceId: await resolveInstance(ctx, args.instanceId) },
      );
      const lag = status.lagSeconds === null ? "unknown" : `${status.lagSeconds} s`;
      return {
        summary: `Sync ${state}; backfill ${status.backfill.status} (${status.backfill.issuesSynced} issues); lag ${lag}`,
        data: { state, ...status },
      };
    }),
  );
}
