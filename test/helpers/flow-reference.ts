/**
 * CONTRACT §7's flow figures computed a second time, in plain TypeScript, straight from the
 * simulator's ground truth (every issue with its full changelog, and GET /status for the
 * categories). Shares no code with the product: the analytics tests compare the two exactly.
 */

type Json = Record<string, unknown>;

export interface TruthIssue {
  key: string;
  fields: Json;
  changelog?: { histories: Json[] };
}

export interface RefIssue {
  key: string;
  project: string;
  type: string | null;
  priority: string | null;
  assignee: { accountId: string; displayName: string | null } | null;
  status: string;
  created: number;
  /** [entered, left) per status, left = Infinity for the current one. */
  intervals: { status: string; category: string | null; entered: number; left: number }[];
  resolved: number | null;
  firstProgress: number | null;
}

const o = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {});
const s = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** Jira's "2025-01-15T10:23:45.123+0100" (offset without a colon) → epoch ms. */
export const jiraTime = (text: string): number =>
  Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));

export function referenceIssues(
  truth: readonly TruthIssue[],
  categoryOf: ReadonlyMap<string, string>,
): RefIssue[] {
  return truth.map((issue) => {
    const fields = issue.fields;
    const created = jiraTime(String(fields.created));
    const current = o(fields.status);
    const changes: { at: number; from: string; to: string; toName: string }[] = [];
    for (const history of issue.changelog?.histories ?? []) {
      for (const item of (history.items as Json[] | undefined) ?? []) {
        if ((item.fieldId ?? item.field) === "status") {
          changes.push({
            at: jiraTime(String(history.created)),
            from: String(item.from),
            to: String(item.to),
            toName: String(item.toString),
          });
        }
      }
    }
    const names = new Map<string, string>();
    const firstStatus = changes[0]?.from ?? String(current.id);
    const steps = [
      { status: firstStatus, at: created },
      ...changes.map((c) => ({ status: c.to, at: c.at })),
    ];
    for (const c of changes) {
      names.set(c.to, c.toName);
    }
    const intervals = steps.map((step, i) => ({
      status: step.status,
      category: categoryOf.get(step.status) ?? null,
      entered: step.at,
      left: steps[i + 1]?.at ?? Number.POSITIVE_INFINITY,
    }));
    const last = intervals[intervals.length - 1];
    const doneEntries = intervals.filter((v) => v.category === "done").map((v) => v.entered);
    const progress = intervals.filter((v) => v.category === "indeterminate").map((v) => v.entered);
    const assignee = o(fields.assignee);
    return {
      key: issue.key,
      project: String(o(fields.project).key),
      type: s(o(fields.issuetype).name),
      priority: s(o(fields.priority).name),
      assignee: s(assignee.accountId)
        ? { accountId: String(assignee.accountId), displayName: s(assignee.displayName) }
        : null,
      status: String(current.name),
      created,
      intervals,
      resolved: last?.category === "done" ? Math.max(...doneEntries) : null,
      firstProgress: progress.length > 0 ? Math.min(...progress) : null,
    };
  });
}

/** Continuous percentile (Postgres percentile_cont) of ascending `sorted`. */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) {
    return null;
  }
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? 0;
  return a + (pos - lo) * (b - a);
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentileCont(sorted, 0.5),
    p85: percentileCont(sorted, 0.85),
    p95: percentileCont(sorted, 0.95),
    mean: sorted.length === 0 ? null : sorted.reduce((x, y) => x + y, 0) / sorted.length,
  };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** UTC days or ISO weeks covering [from, to), clipped to it. */
export function referenceBuckets(from: number, to: number, interval: "day" | "week") {
  const step = interval === "day" ? DAY : 7 * DAY;
  let start = Math.floor(from / DAY) * DAY;
  if (interval === "week") {
    // 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) % 7.
    start -= ((start / DAY + 3) % 7) * DAY;
  }
  const out: { start: number; end: number }[] = [];
  for (; start < to; start += step) {
    out.push({ start: Math.max(start, from), end: Math.min(start + step, to) });
  }
  return from < to ? out : [];
}

export function referenceFlow(
  all: readonly RefIssue[],
  query: { project?: string; from: number; to: number; interval: "day" | "week"; now: number },
) {
  const issues = all.filter((i) => query.project === undefined || i.project === query.project);
  const within = (t: number | null, a: number, b: number) => t !== null && t >= a && t < b;
  const wipAt = (t: number) =>
    issues.filter((i) =>
      i.intervals.some((v) => v.category === "indeterminate" && v.entered <= t && t < v.left),
    ).length;
  const series = referenceBuckets(query.from, query.to, query.interval).map((b) => ({
    start: new Date(b.start).toISOString(),
    end: new Date(b.end).toISOString(),
    created: issues.filter((i) => within(i.created, b.start, b.end)).length,
    resolved: issues.filter((i) => within(i.resolved, b.start, b.end)).length,
    wip: wipAt(Math.min(b.end, query.now)),
  }));
  const resolved = issues.filter((i) => within(i.resolved, query.from, query.to));
  const inProgress = issues.filter(
    (i) => i.intervals[i.intervals.length - 1]?.category === "indeterminate",
  );
  const count = (values: (string | null)[]) => {
    const out: Record<string, number> = {};
    for (const v of values) {
      const k = v ?? "(none)";
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  };
  const assignees = new Map<string | null, { displayName: string | null; count: number }>();
  for (const i of issues) {
    const id = i.assignee?.accountId ?? null;
    const seen = assignees.get(id) ?? { displayName: i.assignee?.displayName ?? null, count: 0 };
    seen.count += 1;
    assignees.set(id, seen);
  }
  const categories = count(
    issues.map((i) => i.intervals[i.intervals.length - 1]?.category ?? null),
  );
  return {
    series,
    throughput: resolved.length,
    leadTimeHours: stats(resolved.map((i) => ((i.resolved ?? 0) - i.created) / HOUR)),
    cycleTimeHours: stats(
      resolved.flatMap((i) =>
        i.firstProgress === null ? [] : [((i.resolved ?? 0) - i.firstProgress) / HOUR],
      ),
    ),
    wip: inProgress.length,
    agingWip: inProgress
      .map((i) => ({ key: i.key, status: i.status, since: i.firstProgress ?? 0 }))
      .sort((a, b) => a.since - b.since || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    byStatusCategory: {
      new: categories.new ?? 0,
      indeterminate: categories.indeterminate ?? 0,
      done: categories.done ?? 0,
    },
    byType: count(issues.map((i) => i.type)),
    byPriority: count(issues.map((i) => i.priority)),
    byAssignee: [...assignees]
      .map(([accountId, v]) => ({
        accountId,
        displayName: accountId === null ? null : v.displayName,
        count: v.count,
      }))
      .sort(
        (a, b) =>
          b.count - a.count ||
          (a.accountId === null
            ? 1
            : b.accountId === null
              ? -1
              : a.accountId < b.accountId
                ? -1
                : 1),
      ),
  };
}
