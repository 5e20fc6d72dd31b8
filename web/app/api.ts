/**
 * The dashboard's only way to the server: the public /v1 API with the signed-in key as a bearer
 * token. The key lives in sessionStorage (this tab only, gone when it closes), never in a URL.
 */
const KEY_STORAGE = "ds.apiKey";

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string): void {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY_STORAGE);
}

/** An API answer other than 2xx, with the problem+json fields when the server sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined | null>;

export async function api<T>(
  method: "GET" | "POST",
  path: string,
  options: { query?: Query; body?: unknown; key?: string } = {},
): Promise<T> {
  const key = options.key ?? storedKey();
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null && value !== "") {
      url.searchParams.set(name, String(value));
    }
  }
  const headers: Record<string, string> = { accept: "application/json" };
  if (key) {
    headers.authorization = `Bearer ${key}`;
  }
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
  }
  const response = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: "omit",
  });
  const text = await response.text();
  const payload: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem = (payload ?? {}) as { detail?: string; title?: string; code?: string };
    throw new ApiError(
      response.status,
      problem.code,
      problem.detail ?? problem.title ?? `${response.status} ${response.statusText}`,
    );
  }
  return payload as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ── shapes of the answers the dashboard reads (CONTRACT §4, §6, §7) ─────────────────────────────

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Instance {
  id: string;
  name: string;
  baseUrl: string;
}

export interface Project {
  key: string;
  name: string;
}

export interface SyncStatus {
  state: string;
  lagSeconds: number | null;
  queueLagSeconds: number | null;
  lastError: string | null;
  running: string | null;
  pending: string[];
  deadLetters?: number;
  backfill: {
    status: "never" | "running" | "done" | "failed";
    issuesSynced: number;
    error: string | null;
    progress: {
      phase: string;
      projectsDone: number;
      projectsTotal: number;
      currentProject: string | null;
    } | null;
  };
  counters: Record<string, number>;
}

export interface Percentiles {
  count: number;
  p50: number | null;
  p85: number | null;
  p95: number | null;
  mean: number | null;
}

export interface FlowAnswer {
  instanceId: string;
  project: string | null;
  from: string;
  to: string;
  interval: "day" | "week";
  series: { start: string; end: string; created: number; resolved: number; wip: number }[];
  throughput: number;
  leadTimeHours: Percentiles;
  cycleTimeHours: Percentiles;
  wip: number;
  agingWip: { key: string; status: string; hoursInProgress: number }[];
  byStatusCategory: { new: number; indeterminate: number; done: number };
  byType: Record<string, number>;
  byPriority: Record<string, number>;
  byAssignee: { accountId: string | null; displayName: string | null; count: number }[];
}

export interface IssueSummary {
  key: string;
  projectKey: string;
  summary: string;
  status: string | null;
  statusCategory: string | null;
  type: string | null;
  priority: string | null;
  assignee: { accountId: string; displayName: string | null } | null;
  updated: string;
}

export interface SqlAnswer {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}
