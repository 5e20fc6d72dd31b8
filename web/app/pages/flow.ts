/**
 * Flow analytics for an instance, project and range, drawn from one GET /v1/analytics/flow answer:
 * created vs resolved, throughput, cycle-time scatter with p50/p85/p95, cumulative flow, aging WIP.
 * The scatter's points (one per resolved issue) come from the pre-computed `issue_flow` table
 * through /v1/sql when the key has the sql scope; its percentile lines come from the flow answer.
 */
import type uPlot from "uplot";
import {
  ApiError,
  api,
  type FlowAnswer,
  type Instance,
  type Page,
  type Project,
  type SqlAnswer,
} from "../api";
import { bars, COLOURS, chartFigure, line, points } from "../charts";
import { h, hours, numberFormat } from "../dom";
import type { PageContext } from "./context";

const DAY_MS = 86_400_000;
/** The aging-WIP chart shows the oldest issues in progress; more bars would not be readable. */
const AGING_SHOWN = 30;

const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const unix = (iso: string) => Date.parse(iso) / 1000;

export async function renderFlow({ page, params, signal }: PageContext): Promise<void> {
  const { items: instances } = await api<Page<Instance>>("GET", "/v1/instances", {
    query: { limit: 100 },
  });
  if (signal.aborted) {
    return; // the user moved on: this page's elements must not land on the next one
  }
  page.append(h("h1", {}, "Flow"));
  if (instances.length === 0) {
    page.append(h("p", { class: "card" }, "No Jira instance yet."));
    return;
  }
  const today = new Date();
  const choice = {
    instanceId: params.get("instance") ?? instances[0]?.id ?? "",
    project: params.get("project") ?? "",
    from: params.get("from") ?? isoDate(new Date(today.getTime() - 90 * DAY_MS)),
    to: params.get("to") ?? isoDate(new Date(today.getTime() + DAY_MS)),
    interval: params.get("interval") === "day" ? "day" : "week",
  };
  const { items: projects } = await api<Page<Project>>("GET", "/v1/projects", {
    query: { instanceId: choice.instanceId, limit: 100 },
  });
  if (signal.aborted) {
    return;
  }
  page.append(controls(instances, projects, choice));

  const results = h("div", { id: "flow-results", "aria-live": "polite" });
  page.append(results);
  const flow = await api<FlowAnswer>("GET", "/v1/analytics/flow", {
    query: {
      instanceId: choice.instanceId,
      project: choice.project || undefined,
      from: choice.from,
      to: choice.to,
      interval: choice.interval,
      agingLimit: AGING_SHOWN,
    },
  });
  if (signal.aborted) {
    return;
  }
  results.append(summary(flow));
  const scatterPoints = await cycleTimePoints(flow, choice.project);
  if (signal.aborted) {
    return;
  }
  const charts = [
    createdVsResolved(flow),
    throughput(flow),
    cycleScatter(flow, scatterPoints),
    cumulativeFlow(flow),
    agingWip(flow),
  ];
  results.append(h("div", { class: "charts" }, ...charts.map((chart) => chart.figure)));
  for (const chart of charts) {
    chart.draw();
  }
  results.append(breakdowns(flow), seriesTable(flow));
}

function controls(
  instances: Instance[],
  projects: Project[],
  choice: { instanceId: string; project: string; from: string; to: string; interval: string },
): HTMLElement {
  const option = (value: string, label: string, selected: boolean) =>
    h("option", { value, selected }, label);
  const form = h(
    "form",
    { class: "card controls", "aria-label": "Flow range" },
    h(
      "label",
      {},
      "Instance",
      h(
        "select",
        { name: "instance" },
        ...instances.map((i) => option(i.id, i.name, i.id === choice.instanceId)),
      ),
    ),
    h(
      "label",
      {},
      "Project",
      h(
        "select",
        { name: "project" },
        option("", "All projects", choice.project === ""),
        ...projects.map((p) => option(p.key, `${p.key} — ${p.name}`, p.key === choice.project)),
      ),
    ),
    h(
      "label",
      {},
      "From",
      h("input", { type: "date", name: "from", value: choice.from, required: true }),
    ),
    h(
      "label",
      {},
      "To (exclusive)",
      h("input", { type: "date", name: "to", value: choice.to, required: true }),
    ),
    h(
      "label",
      {},
      "Interval",
      h(
        "select",
        { name: "interval" },
        option("week", "Week", choice.interval === "week"),
        option("day", "Day", choice.interval === "day"),
      ),
    ),
    h("button", { type: "submit" }, "Show"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const query = new URLSearchParams();
    for (const name of ["instance", "project", "from", "to", "interval"]) {
      query.set(name, String(data.get(name) ?? ""));
    }
    window.location.hash = `#/flow?${query}`;
  });
  // A new instance has other projects: reload the page for it straight away.
  form.querySelector('select[name="instance"]')?.addEventListener("change", (event) => {
    const instance = (event.target as HTMLSelectElement).value;
    window.location.hash = `#/flow?${new URLSearchParams({ ...choice, instance, project: "" })}`;
  });
  return form;
}

function summary(flow: FlowAnswer): HTMLElement {
  const figure = (label: string, name: string, value: string) =>
    h("div", { class: "figure" }, h("dt", {}, label), h("dd", { "data-figure": name }, value));
  return h(
    "dl",
    { class: "figures card", "aria-label": "Key figures" },
    figure("Throughput", "throughput", numberFormat.format(flow.throughput)),
    figure("WIP now", "wip", numberFormat.format(flow.wip)),
    figure("Lead time p50", "lead-p50", hours(flow.leadTimeHours.p50)),
    figure("Lead time p85", "lead-p85", hours(flow.leadTimeHours.p85)),
    figure("Cycle time p50", "cycle-p50", hours(flow.cycleTimeHours.p50)),
    figure("Cycle time p85", "cycle-p85", hours(flow.cycleTimeHours.p85)),
    figure("Cycle time p95", "cycle-p95", hours(flow.cycleTimeHours.p95)),
    figure(
      "To do / in progress / done",
      "by-category",
      [flow.byStatusCategory.new, flow.byStatusCategory.indeterminate, flow.byStatusCategory.done]
        .map((n) => numberFormat.format(n))
        .join(" / "),
    ),
  );
}

const starts = (flow: FlowAnswer) => flow.series.map((bucket) => unix(bucket.start));
const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);

function createdVsResolved(flow: FlowAnswer) {
  const created = flow.series.map((b) => b.created);
  const resolved = flow.series.map((b) => b.resolved);
  return chartFigure({
    id: "chart-created-resolved",
    title: `Created vs resolved per ${flow.interval}`,
    summary: `${total(created)} issues created and ${total(resolved)} resolved over ${flow.series.length} ${flow.interval}s.`,
    series: [
      line("Created", COLOURS.blue, { points: { show: true } }),
      line("Resolved", COLOURS.green, { points: { show: true } }),
    ],
    data: [starts(flow), created, resolved],
    yLabel: "Issues",
  });
}

function throughput(flow: FlowAnswer) {
  const resolved = flow.series.map((b) => b.resolved);
  return chartFigure({
    id: "chart-throughput",
    title: `Throughput: ${numberFormat.format(flow.throughput)} resolved in the range`,
    summary: `Issues resolved per ${flow.interval}; ${flow.throughput} in total.`,
    series: [
      { label: "Resolved", stroke: COLOURS.green, fill: `${COLOURS.green}99`, paths: bars() },
    ],
    data: [starts(flow), resolved],
    yLabel: "Issues",
  });
}

interface ScatterPoints {
  data: [number[], number[]];
  note: string;
}

/** One point per resolved issue with a cycle time, from the pre-computed flow table. */
async function cycleTimePoints(flow: FlowAnswer, project: string): Promise<ScatterPoints> {
  const params: unknown[] = [flow.instanceId, flow.from, flow.to];
  let query =
    "select extract(epoch from resolved_at)::float8 as resolved, cycle_time_hours from issue_flow " +
    "where instance_id = $1 and resolved_at >= $2::timestamptz and resolved_at < $3::timestamptz " +
    "and cycle_time_hours is not null";
  if (project) {
    params.push(project);
    query += " and project_key = $4";
  }
  query += " order by resolved_at";
  try {
    const answer = await api<SqlAnswer>("POST", "/v1/sql", {
      body: { query, params, maxRows: 10_000 },
    });
    const xs = answer.rows.map((row) => Number(row[0]));
    const ys = answer.rows.map((row) => Number(row[1]));
    return {
      data: [xs, ys],
      note: answer.truncated ? "Showing the first 10,000 issues." : "",
    };
  } catch (error) {
    const why =
      error instanceof ApiError && error.status === 403
        ? "this key lacks the sql scope"
        : "the per-issue figures could not be read";
    return { data: [[], []], note: `Only the percentiles are drawn: ${why}.` };
  }
}

function cycleScatter(flow: FlowAnswer, scatter: ScatterPoints) {
  const { p50, p85, p95 } = flow.cycleTimeHours;
  const xs = scatter.data[0].length > 0 ? scatter.data[0] : [unix(flow.from), unix(flow.to)];
  const ys = scatter.data[0].length > 0 ? scatter.data[1] : xs.map(() => null);
  const level = (value: number | null) => xs.map(() => value);
  const chart = chartFigure({
    id: "chart-cycle-scatter",
    title: `Cycle time of resolved issues (p50 ${hours(p50)}, p85 ${hours(p85)}, p95 ${hours(p95)})`,
    summary: `${flow.cycleTimeHours.count} resolved issues with a cycle time; p50 ${hours(p50)}, p85 ${hours(p85)}, p95 ${hours(p95)}.`,
    series: [
      points("Issue", COLOURS.blue),
      line("p50", COLOURS.green, { dash: [6, 4] }),
      line("p85", COLOURS.yellow, { dash: [6, 4] }),
      line("p95", COLOURS.orange, { dash: [6, 4] }),
    ],
    data: [xs, ys, level(p50), level(p85), level(p95)] as uPlot.AlignedData,
    yLabel: "Hours",
  });
  if (scatter.note) {
    chart.figure.append(h("p", { class: "muted" }, scatter.note));
  }
  return chart;
}

function cumulativeFlow(flow: FlowAnswer) {
  let created = 0;
  let resolved = 0;
  const cumCreated: number[] = [];
  const cumResolved: number[] = [];
  for (const bucket of flow.series) {
    created += bucket.created;
    resolved += bucket.resolved;
    cumCreated.push(created);
    cumResolved.push(resolved);
  }
  const ends = flow.series.map((b) => unix(b.end));
  return chartFigure({
    id: "chart-cumulative-flow",
    title: "Cumulative flow since the start of the range",
    summary: `Cumulative created ${created}, cumulative resolved ${resolved}; WIP at each ${flow.interval}'s end.`,
    series: [
      { label: "Created (cumulative)", stroke: COLOURS.blue, fill: `${COLOURS.blue}33`, width: 2 },
      {
        label: "Resolved (cumulative)",
        stroke: COLOURS.green,
        fill: `${COLOURS.green}55`,
        width: 2,
      },
      line("WIP", COLOURS.orange),
    ],
    data: [ends, cumCreated, cumResolved, flow.series.map((b) => b.wip)],
    yLabel: "Issues",
  });
}

function agingWip(flow: FlowAnswer) {
  const items = flow.agingWip;
  const keys = items.map((item) => item.key);
  return chartFigure({
    id: "chart-aging-wip",
    title: `Aging WIP: ${flow.wip} issue(s) in progress; the ${items.length} oldest`,
    summary:
      items.length === 0
        ? "No issue is in progress."
        : `Oldest in progress: ${items[0]?.key} for ${hours(items[0]?.hoursInProgress)}.`,
    time: false,
    series: [
      {
        label: "Hours in progress",
        stroke: COLOURS.purple,
        fill: `${COLOURS.purple}99`,
        paths: bars(0.8),
        value: (_plot, value, _series, index) =>
          value === null ? "—" : `${keys[index ?? 0] ?? ""} ${value.toFixed(1)} h`,
      },
    ],
    data: [items.map((_, index) => index), items.map((item) => item.hoursInProgress)],
    yLabel: "Hours",
    scales: { x: { time: false, range: (_plot, min, max) => [min - 0.5, max + 0.5] } },
    axes: [
      {
        values: (_plot, splits) =>
          splits.map((split) => (Number.isInteger(split) ? (keys[split] ?? "") : "")),
        rotate: -45,
        size: 64,
      },
      { label: "Hours", size: 56, labelSize: 18 },
    ],
  });
}

function breakdowns(flow: FlowAnswer): HTMLElement {
  const table = (caption: string, rows: [string, number][]) =>
    h(
      "table",
      {},
      h("caption", {}, caption),
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Issues")),
      ),
      h(
        "tbody",
        {},
        ...rows.map(([name, count]) =>
          h("tr", {}, h("th", { scope: "row" }, name), h("td", {}, numberFormat.format(count))),
        ),
      ),
    );
  const sorted = (record: Record<string, number>) =>
    Object.entries(record).sort((a, b) => b[1] - a[1]);
  return h(
    "div",
    { class: "breakdowns card" },
    table("By type", sorted(flow.byType)),
    table("By priority", sorted(flow.byPriority)),
    table(
      "By assignee",
      flow.byAssignee.map((a) => [a.displayName ?? a.accountId ?? "Unassigned", a.count]),
    ),
  );
}

/** The numbers behind the time charts, as a table (for screen readers and for copying). */
function seriesTable(flow: FlowAnswer): HTMLElement {
  return h(
    "details",
    { class: "card" },
    h("summary", {}, `Figures per ${flow.interval}`),
    h(
      "table",
      { id: "series-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["Start", "Created", "Resolved", "WIP at end"].map((label) =>
            h("th", { scope: "col" }, label),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        ...flow.series.map((bucket) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, bucket.start.slice(0, 10)),
            h("td", {}, bucket.created),
            h("td", {}, bucket.resolved),
            h("td", {}, bucket.wip),
          ),
        ),
      ),
    ),
  );
}
