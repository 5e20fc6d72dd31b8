import { z } from "@hono/zod-openapi";

/** Query and answer of GET /v1/analytics/flow (CONTRACT §7), shared with the MCP tool. */
export const FlowQuery = z.object({
  instanceId: z.uuid().openapi({ description: "The Jira instance (GET /v1/instances)." }),
  project: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,254}$/, "a Jira project key, e.g. PROJ")
    .optional()
    .openapi({ description: "A project key; default all projects of the instance." }),
  from: z.string().max(64).optional().openapi({
    description: "Start (inclusive): ISO date (00:00 UTC) or date-time. Default `to` − 90 days.",
    example: "2026-01-01",
  }),
  to: z.string().max(64).optional().openapi({
    description: "End (exclusive): ISO date (00:00 UTC) or date-time. Default now.",
    example: "2026-04-01",
  }),
  interval: z.enum(["day", "week"]).default("week").openapi({
    description: "Series buckets: UTC days or ISO weeks (Monday 00:00 UTC), clipped to the range.",
  }),
  agingLimit: z.coerce.number().int().min(1).max(10_000).default(1000).openapi({
    description: "At most this many `agingWip` issues (the oldest); `wip` counts them all.",
  }),
});

const Hours = z.number().nullable();

const DurationStats = z
  .object({ count: z.number().int(), p50: Hours, p85: Hours, p95: Hours, mean: Hours })
  .openapi("FlowDurationStats", {
    description:
      "Hours, unrounded; percentiles continuous (percentile_cont); null when count is 0.",
  });

export const FlowMetricsSchema = z
  .object({
    instanceId: z.uuid(),
    project: z.string().nullable(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    interval: z.enum(["day", "week"]),
    series: z.array(
      z.object({
        start: z.iso.datetime(),
        end: z.iso.datetime(),
        created: z.number().int().openapi({ description: "Issues created in [start, end)." }),
        resolved: z.number().int().openapi({ description: "Issues resolved in [start, end)." }),
        wip: z.number().int().openapi({ description: "Issues in progress at min(end, now)." }),
      }),
    ),
    throughput: z.number().int().openapi({ description: "Issues resolved in [from, to)." }),
    leadTimeHours: DurationStats,
    cycleTimeHours: DurationStats,
    wip: z.number().int().openapi({ description: "Issues in progress now." }),
    agingWip: z.array(
      z.object({ key: z.string(), status: z.string().nullable(), hoursInProgress: z.number() }),
    ),
    byStatusCategory: z.object({
      new: z.number().int(),
      indeterminate: z.number().int(),
      done: z.number().int(),
    }),
    byType: z.record(z.string(), z.number().int()),
    byPriority: z.record(z.string(), z.number().int()),
    byAssignee: z.array(
      z.object({
        accountId: z.string().nullable(),
        displayName: z.string().nullable(),
        count: z.number().int(),
      }),
    ),
  })
  .openapi("FlowMetrics");
