import { eq } from "drizzle-orm";
import { jiraInstances } from "../../../drizzle/schema";
import { notFound } from "../../domain/errors";
import { buckets, type FlowInterval, resolveRange } from "../../domain/flow-range";
import type { Database } from "../../infrastructure/db/database";
import {
  agingWip,
  breakdowns,
  createdPerBucket,
  type DurationStats,
  displayNames,
  durationStats,
  resolvedPerBucket,
  wipAt,
} from "./flow-queries";

export interface GetFlowInput {
  tenantId: string;
  instanceId: string;
  project?: string;
  from?: string;
  to?: string;
  interval: FlowInterval;
  /** At most this many aging WIP issues (the oldest); `wip` still counts them all. */
  agingLimit: number;
}

export interface FlowMetrics {
  instanceId: string;
  project: string | null;
  from: string;
  to: string;
  interval: FlowInterval;
  series: { start: string; end: string; created: number; resolved: number; wip: number }[];
  throughput: number;
  leadTimeHours: DurationStats;
  cycleTimeHours: DurationStats;
  wip: number;
  agingWip: { key: string; status: string | null; hoursInProgress: number }[];
  byStatusCategory: { new: number; indeterminate: number; done: number };
  byType: Record<string, number>;
  byPriority: Record<string, number>;
  byAssignee: { accountId: string | null; displayName: string | null; count: number }[];
}

/** Breakdown key of an issue without a type or priority. */
export const NONE = "(none)";
const HOUR_MS = 3_600_000;

/**
 * Flow metrics of one instance (optionally one project) over `[from, to)`, as CONTRACT §7
 * defines them, from the pre-computed flow tables in one tenant transaction. `now` is passed
 * in so a caller (and a test) pins the instant "now" means.
 */
export async function getFlow(
  deps: { db: Database },
  input: GetFlowInput,
  now: Date = new Date(),
): Promise<FlowMetrics> {
  const range = resolveRange(input, now);
  const slots = buckets(range, input.interval);
  const starts = slots.map((b) => b.start);
  const instants = slots.map((b) => new Date(Math.min(b.end.getTime(), now.getTime())));
  const scope = { instanceId: input.instanceId, project: input.project };
  const facts = await deps.db.withTenant(input.tenantId, async (tx) => {
    const [instance] = await tx
      .select({ id: jiraInstances.id })
      .from(jiraInstances)
      .where(eq(jiraInstances.id, input.instanceId));
    if (!instance) {
      throw notFound("Jira instance");
    }
    const created = await createdPerBucket(tx, scope, starts, range.to);
    const resolved = await resolvedPerBucket(tx, scope, starts, range.to);
    const wip = await wipAt(tx, scope, instants, now);
    const durations = await durationStats(tx, scope, range.from, range.to);
    const aging = await agingWip(tx, scope, input.agingLimit);
    const counts = await breakdowns(tx, scope);
    const assignees = counts.flatMap((r) =>
      r.dimension === "assignee" && r.value !== null ? [r.value] : [],
    );
    const names = await displayNames(tx, input.instanceId, assignees);
    return { created, resolved, wip, durations, aging, counts, names };
  });

  const byStatusCategory = { new: 0, indeterminate: 0, done: 0 };
  const byType: Record<string, number> = {};
  const byPriority: Record<string, number> = {};
  const byAssignee: FlowMetrics["byAssignee"] = [];
  for (const row of facts.counts) {
    if (row.dimension === "category") {
      if (row.value === "new" || row.value === "indeterminate" || row.value === "done") {
        byStatusCategory[row.value] = row.count;
      }
    } else if (row.dimension === "type") {
      byType[row.value ?? NONE] = row.count;
    } else if (row.dimension === "priority") {
      byPriority[row.value ?? NONE] = row.count;
    } else {
      const displayName = row.value === null ? null : (facts.names.get(row.value) ?? null);
      byAssignee.push({ accountId: row.value, displayName, count: row.count });
    }
  }
  // Most issues first; ties by account id (unassigned last) so the order is stable.
  byAssignee.sort(
    (a, b) =>
      b.count - a.count ||
      (a.accountId === null ? 1 : b.accountId === null ? -1 : a.accountId < b.accountId ? -1 : 1),
  );

  return {
    instanceId: input.instanceId,
    project: input.project ?? null,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    interval: input.interval,
    series: slots.map((slot, i) => ({
      start: slot.start.toISOString(),
      end: slot.end.toISOString(),
      created: facts.created[i] ?? 0,
      resolved: facts.resolved[i] ?? 0,
      wip: facts.wip[i] ?? 0,
    })),
    throughput: facts.durations.lead.count,
    leadTimeHours: facts.durations.lead,
    cycleTimeHours: facts.durations.cycle,
    wip: byStatusCategory.indeterminate,
    agingWip: facts.aging.map((row) => ({
      key: row.key,
      status: row.status,
      hoursInProgress: (now.getTime() - row.inProgressAt.getTime()) / HOUR_MS,
    })),
    byStatusCategory,
    byType,
    byPriority,
    byAssignee,
  };
}
