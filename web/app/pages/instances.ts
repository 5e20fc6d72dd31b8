/** Instances with their live sync progress and the sync buttons (backfill, poll, reconcile, replay). */
import { ApiError, api, type Instance, type Page, type SyncStatus } from "../api";
import { h, numberFormat, seconds } from "../dom";
import type { PageContext } from "./context";

const REFRESH_MS = 1_500;

const COUNTERS: [string, string][] = [
  ["issuesUpserted", "Issues upserted"],
  ["issuesDeleted", "Issues deleted"],
  ["webhooksApplied", "Webhooks applied"],
  ["webhooksRejected", "Webhooks rejected"],
  ["jiraRequests", "Jira requests"],
  ["jiraRateLimited", "Jira 429s"],
  ["retries", "Retries"],
  ["failures", "Failures"],
  ["reconcileRepaired", "Drift repaired"],
];

const ACTIONS = [
  { path: "backfill", label: "Backfill", done: "Backfill queued." },
  { path: "poll", label: "Poll", done: "Poll queued." },
  { path: "reconcile", label: "Reconcile", done: "Reconcile queued." },
  { path: "replay-dead-letters", label: "Replay dead letters", done: "" },
] as const;

export async function renderInstances({ page, signal }: PageContext): Promise<void> {
  const { items } = await api<Page<Instance>>("GET", "/v1/instances", { query: { limit: 100 } });
  if (signal.aborted) {
    return; // the user moved on: this page's elements must not land on the next one
  }
  page.append(h("h1", {}, "Instances"));
  if (items.length === 0) {
    page.append(
      h("p", { class: "card" }, "No Jira instance yet. Register one with POST /v1/instances."),
    );
    return;
  }
  const cards = items.map((instance) => instanceCard(instance, signal));
  page.append(h("div", { class: "grid" }, ...cards.map((card) => card.element)));
  const refresh = () => Promise.all(cards.map((card) => card.refresh()));
  await refresh();
  if (signal.aborted) {
    return;
  }
  // Live progress: re-read the sync status while this page is shown.
  const timer = window.setInterval(() => void refresh(), REFRESH_MS);
  signal.addEventListener("abort", () => window.clearInterval(timer));
}

function instanceCard(instance: Instance, signal: AbortSignal) {
  const field = (name: string) => h("dd", { "data-field": name }, "—");
  const fields = {
    state: field("state"),
    backfill: field("backfill"),
    issuesSynced: field("issues-synced"),
    lag: field("lag"),
    queueLag: field("queue-lag"),
    deadLetters: field("dead-letters"),
    running: field("running"),
  };
  const bar = h("progress", {
    max: 100,
    value: 0,
    "aria-label": `Backfill progress of ${instance.name}`,
    "data-field": "backfill-progress",
  });
  const percent = h("span", { "data-field": "backfill-percent" }, "0 %");
  const counters = h("dl", { class: "counters" });
  const lastError = h("p", { class: "error", "data-field": "last-error" });
  const message = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const buttons = ACTIONS.map((action) =>
    h(
      "button",
      {
        type: "button",
        onclick: () => void act(action.path, action.label, action.done),
      },
      action.label,
    ),
  );

  async function act(path: string, label: string, done: string): Promise<void> {
    message.textContent = `${label}…`;
    try {
      const answer = await api<{ coalesced?: boolean; replayed?: number }>(
        "POST",
        `/v1/instances/${instance.id}/sync/${path}`,
      );
      message.textContent =
        answer.replayed !== undefined
          ? `${answer.replayed} dead letter(s) re-queued.`
          : answer.coalesced
            ? `${label}: already queued or running.`
            : done;
      await refresh();
    } catch (error) {
      message.textContent =
        error instanceof ApiError && error.status === 403
          ? `${label} needs a key with the write scope.`
          : `${label} failed: ${error instanceof Error ? error.message : error}`;
    }
  }

  async function refresh(): Promise<void> {
    if (signal.aborted) {
      return;
    }
    let status: SyncStatus;
    try {
      status = await api<SyncStatus>("GET", `/v1/instances/${instance.id}/sync`);
    } catch (error) {
      lastError.textContent = `Sync status unavailable: ${error instanceof Error ? error.message : error}`;
      return;
    }
    const progress = backfillPercent(status);
    fields.state.textContent = status.state;
    fields.state.className = `badge state-${status.state}`;
    fields.backfill.textContent = describeBackfill(status);
    fields.issuesSynced.textContent = numberFormat.format(status.backfill.issuesSynced);
    fields.lag.textContent = seconds(status.lagSeconds);
    fields.queueLag.textContent = seconds(status.queueLagSeconds);
    fields.deadLetters.textContent =
      status.deadLetters === undefined ? "—" : numberFormat.format(status.deadLetters);
    fields.running.textContent =
      [status.running, ...status.pending].filter(Boolean).join(", ") || "none";
    bar.value = progress;
    percent.textContent = `${progress} %`;
    counters.replaceChildren(
      ...COUNTERS.flatMap(([key, label]) => [
        h("dt", {}, label),
        h("dd", { "data-counter": key }, numberFormat.format(status.counters[key] ?? 0)),
      ]),
    );
    lastError.textContent = status.lastError ?? status.backfill.error ?? "";
  }

  const element = h(
    "section",
    { class: "card instance", "aria-label": instance.name, "data-instance": instance.id },
    h("h2", {}, instance.name),
    h("p", { class: "muted" }, instance.baseUrl),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "State"),
      fields.state,
      h("dt", {}, "Backfill"),
      fields.backfill,
      h("dt", {}, "Issues synced"),
      fields.issuesSynced,
      h("dt", {}, "Sync lag"),
      fields.lag,
      h("dt", {}, "Queue lag"),
      fields.queueLag,
      h("dt", {}, "Dead letters"),
      fields.deadLetters,
      h("dt", {}, "Running / queued"),
      fields.running,
    ),
    h("div", { class: "progress" }, bar, percent),
    h("details", {}, h("summary", {}, "Counters"), counters),
    lastError,
    h("div", { class: "actions" }, ...buttons),
    message,
  );
  return { element, refresh };
}

/** Share of the backfill done: projects finished (the issue total is not known up front). */
export function backfillPercent(status: SyncStatus): number {
  const { backfill } = status;
  if (backfill.status === "done") {
    return 100;
  }
  const progress = backfill.progress;
  if (!progress || progress.projectsTotal === 0) {
    return 0;
  }
  return Math.floor((progress.projectsDone / progress.projectsTotal) * 100);
}

function describeBackfill(status: SyncStatus): string {
  const { backfill } = status;
  const progress = backfill.progress;
  switch (backfill.status) {
    case "running":
      return progress && progress.phase === "issues"
        ? `running: project ${Math.min(progress.projectsDone + 1, progress.projectsTotal)} of ${progress.projectsTotal}${progress.currentProject ? ` (${progress.currentProject})` : ""}`
        : "running: fields, projects and users";
    case "done":
      return "done";
    case "failed":
      return "failed";
    default:
      return "never run";
  }
}
