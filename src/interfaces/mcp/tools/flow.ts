import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { getFlow } from "../../../application/analytics/get-flow";
import { guarded, resolveInstance, type ToolContext } from "../context";
import { InstanceIdInput } from "../schemas";

const FlowInput = z.strictObject({
  instanceId: InstanceIdInput,
  project: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,254}$/, "a Jira project key, e.g. PROJ")
    .optional()
    .describe("One project key; leave out for every project of the instance."),
  from: z
    .string()
    .max(64)
    .optional()
    .describe("Start (inclusive): ISO date (00:00 UTC) or date-time. Default: to minus 90 days."),
  to: z
    .string()
    .max(64)
    .optional()
    .describe("End (exclusive): ISO date (00:00 UTC) or date-time. Default: now."),
  interval: z
    .enum(["day", "week"])
    .default("week")
    .describe("Series buckets: UTC days or ISO weeks (Monday 00:00 UTC)."),
  agingLimit: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(1000)
    .describe("At most this many aging WIP issues (the oldest); wip counts them all."),
});

const Stats = z.looseObject({
  count: z.number(),
  p50: z.number().nullable(),
  p85: z.number().nullable(),
  p95: z.number().nullable(),
  mean: z.number().nullable(),
});

const FlowOutput = z.looseObject({
  instanceId: z.string(),
  project: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  interval: z.string(),
  series: z
    .array(
      z.looseObject({
        start: z.string(),
        end: z.string(),
        created: z.number(),
        resolved: z.number(),
        wip: z.number(),
      }),
    )
    .describe("Per bucket: issues created and resolved in [start, end), WIP at min(end, now)."),
  throughput: z.number().describe("Issues resolved in [from, to)."),
  leadTimeHours: Stats.describe("resolved − created, over issues resolved in the range."),
  cycleTimeHours: Stats.describe("resolved − first entry into progress, same issues."),
  wip: z.number().describe("Issues in an in-progress (indeterminate) status now."),
  agingWip: z.array(
    z.looseObject({ key: z.string(), status: z.string().nullable(), hoursInProgress: z.number() }),
  ),
  byStatusCategory: z.looseObject({ new: z.number(), indeterminate: z.number(), done: z.number() }),
  byType: z.record(z.string(), z.number()),
  byPriority: z.record(z.string(), z.number()),
  byAssignee: z.array(
    z.looseObject({
      accountId: z.string().nullable(),
      displayName: z.string().nullable(),
      count: z.number(),
    }),
  ),
});

const round = (hours: number | null) => (hours === null ? "n/a" : `${hours.toFixed(1)} h`);

export function registerFlowTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "get_flow_metrics",
    {
      title: "Get flow metrics",
      description:
        "Flow analytics of a Jira instance (or one project) over a date range: issues created, resolved and in progress per day or week, throughput, lead and cycle time percentiles (hours), current WIP with its oldest items, and counts by status category, type, priority and assignee. The same figures as GET /v1/analytics/flow. Needs the read scope.",
      inputSchema: FlowInput,
      outputSchema: FlowOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx, "read", async (args: z.infer<typeof FlowInput>) => {
      const instanceId = await resolveInstance(ctx, args.instanceId);
      const metrics = await getFlow(
        { db: ctx.services.db },
        { ...args, tenantId: ctx.caller.tenantId, instanceId },
      );
      const lead = metrics.leadTimeHours;
      return {
        summary:
          `${metrics.from} – ${metrics.to}: ${metrics.throughput} resolved, WIP ${metrics.wip}, ` +
          `lead time p50 ${round(lead.p50)} / p85 ${round(lead.p85)}, ` +
          `cycle time p50 ${round(metrics.cycleTimeHours.p50)}`,
        data: { ...metrics },
      };
    }),
  );
}
