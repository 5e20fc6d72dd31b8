/**
 * A small client for the Worker's own API, shared by `npm run dev -- --demo` and
 * `npm run bench:sync`: tenants and keys (admin token), instances, sync status, and the
 * simulator's control API. Plain fetch; every non-2xx answer becomes an ApiError.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown, message: string) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  timeoutMs?: number;
}

/** JSON request; resolves with the parsed body (undefined for 204), rejects with ApiError. */
export async function call<T = unknown>(
  method: string,
  url: string,
  options: CallOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
  }
  const response = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text for the error message.
  }
  if (!response.ok) {
    const detail =
      parsed && typeof parsed === "object" && "detail" in parsed
        ? String((parsed as { detail: unknown }).detail)
        : text.slice(0, 300);
    throw new ApiError(response.status, parsed, `${method} ${url} → ${response.status}: ${detail}`);
  }
  return parsed as T;
}

export const ALL_SCOPES = ["read", "write", "sql", "ai"] as const;

export interface TenantWithKey {
  tenantId: string;
  apiKey: string;
  slug: string;
}

/**
 * A tenant (slug `base`, or `base-<n>` when that slug is taken) and an API key with every scope.
 */
export async function createTenantWithKey(
  apiUrl: string,
  adminToken: string,
  options: { name: string; slugBase: string; rateLimitPerMinute?: number },
): Promise<TenantWithKey> {
  let tenantId: string | undefined;
  let slug = options.slugBase;
  for (let attempt = 0; tenantId === undefined; attempt++) {
    slug = attempt === 0 ? options.slugBase : `${options.slugBase}-${randomSuffix()}`;
    try {
      const tenant = await call<{ id: string }>("POST", `${apiUrl}/v1/admin/tenants`, {
        token: adminToken,
        body: { name: options.name, slug },
      });
      tenantId = tenant.id;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409) || attempt >= 5) {
        throw error;
      }
    }
  }
  const key = await call<{ key: string }>(
    "POST",
    `${apiUrl}/v1/admin/tenants/${tenantId}/api-keys`,
    {
      token: adminToken,
      body: {
        name: `${options.name} key`,
        scopes: [...ALL_SCOPES],
        rateLimitPerMinute: options.rateLimitPerMinute ?? 6_000,
      },
    },
  );
  return { tenantId, apiKey: key.key, slug };
}

export interface InstanceInfo {
  id: string;
  name: string;
  baseUrl: string;
  webhookUrl: string;
}

export interface SimulatorSite {
  url: string;
  email: string;
  apiToken: string;
}

export function registerInstance(
  apiUrl: string,
  apiKey: string,
  site: SimulatorSite,
  options: { name: string; webhookSecret: string },
): Promise<InstanceInfo> {
  return call<InstanceInfo>("POST", `${apiUrl}/v1/instances`, {
    token: apiKey,
    body: {
      name: options.name,
      baseUrl: site.url,
      auth: { type: "basic", email: site.email, apiToken: site.apiToken },
      webhookSecret: options.webhookSecret,
    },
  });
}

export interface SyncStatus {
  state: string;
  running: string | null;
  pending: string[];
  lastError: string | null;
  backfill: {
    status: string;
    issuesSynced: number;
    error: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    progress: {
      phase?: string;
      projectsDone: number;
      projectsTotal: number;
      currentProject: string | null;
    } | null;
  };
  counters: Record<string, number>;
}

export function syncStatus(apiUrl: string, apiKey: string, instanceId: string) {
  return call<SyncStatus>("GET", `${apiUrl}/v1/instances/${instanceId}/sync`, { token: apiKey });
}

/**
 * Polls the sync status until the backfill has finished (done or failed) and nothing is running
 * or queued; `onProgress` sees every status read. `stopped()` ends the wait early (undefined).
 */
export async function waitForBackfill(
  apiUrl: string,
  apiKey: string,
  instanceId: string,
  options: {
    intervalMs?: number;
    timeoutMs?: number;
    onProgress?: (status: SyncStatus) => void;
    stopped?: () => boolean;
  } = {},
): Promise<SyncStatus | undefined> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  while (!options.stopped?.()) {
    const status = await syncStatus(apiUrl, apiKey, instanceId);
    options.onProgress?.(status);
    const finished = status.backfill.status === "done" || status.backfill.status === "failed";
    if (finished && status.running === null && status.pending.length === 0) {
      return status;
    }
    if (Date.now() > deadline) {
      throw new Error(`the backfill did not finish within ${options.timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
  return undefined;
}

/** `backfill: 120/300 issues · project 2/3 (WEB)` */
export function describeBackfill(status: SyncStatus, totalIssues?: number): string {
  const { backfill } = status;
  const issues = `${backfill.issuesSynced}${totalIssues ? `/${totalIssues}` : ""} issues`;
  const progress = backfill.progress;
  const project =
    progress && progress.projectsTotal > 0
      ? ` · project ${Math.min(progress.projectsDone + 1, progress.projectsTotal)}/${progress.projectsTotal}` +
        (progress.currentProject ? ` (${progress.currentProject})` : "")
      : "";
  const phase = progress?.phase === "catalog" ? " · fields, projects, users" : "";
  return `backfill: ${issues}${project}${phase} · ${backfill.status}`;
}

/** The paths the running Worker serves, from its OpenAPI document (empty set if unavailable). */
export async function servedPaths(apiUrl: string): Promise<Set<string>> {
  try {
    const doc = await call<{ paths?: Record<string, unknown> }>("GET", `${apiUrl}/openapi.json`);
    return new Set(Object.keys(doc.paths ?? {}));
  } catch {
    return new Set();
  }
}

function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 7);
}
