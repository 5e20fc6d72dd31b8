import { expect } from "vitest";
import { testEnv } from "./env";
import { call, json } from "./http";
import { createSimSite, type SimSite, simCall } from "./jira-site";
import { createTenantWithKey, type TestTenant } from "./tenancy";

export interface SyncedSite {
  site: SimSite;
  tenant: TestTenant;
  instanceId: string;
  webhookSecret: string;
}

/** A simulator site, a tenant, and an instance pointing at the site (credentials verified). */
export async function connectSite(
  options: { seed?: number; issues?: number } = {},
): Promise<SyncedSite> {
  const site = await createSimSite(options);
  const tenant = await createTenantWithKey();
  const webhookSecret = `whsec-${crypto.randomUUID()}`;
  const res = await call("POST", "/v1/instances", {
    token: tenant.key,
    body: {
      name: "Sim",
      baseUrl: site.url,
      auth: { type: "basic", email: site.email, apiToken: site.apiToken },
      webhookSecret,
    },
  });
  expect(res.status).toBe(201);
  const { id } = await json<{ id: string }>(res);
  return { site, tenant, instanceId: id, webhookSecret };
}

export interface SyncStatusBody {
  state: string;
  watermark: string | null;
  backfill: { status: string; issuesSynced: number; error: string | null };
  lastPollAt: string | null;
  lastReconcileAt: string | null;
  lastReconcile: Record<string, number> | null;
  lastError: string | null;
  running: string | null;
  pending: string[];
  counters: Record<string, number>;
}

export async function syncStatus(synced: SyncedSite): Promise<SyncStatusBody> {
  const res = await call("GET", `/v1/instances/${synced.instanceId}/sync`, {
    token: synced.tenant.key,
  });
  expect(res.status).toBe(200);
  return json<SyncStatusBody>(res);
}

/** Starts a sync through the API and waits until the instance is idle again. */
export async function runSync(
  synced: SyncedSite,
  kind: "backfill" | "poll" | "reconcile",
  timeout = 60_000,
): Promise<SyncStatusBody> {
  const res = await call("POST", `/v1/instances/${synced.instanceId}/sync/${kind}`, {
    token: synced.tenant.key,
  });
  expect(res.status).toBe(202);
  return waitForIdle(synced, timeout);
}

export async function waitForIdle(synced: SyncedSite, timeout = 60_000): Promise<SyncStatusBody> {
  let status: SyncStatusBody | undefined;
  await expect
    .poll(
      async () => {
        status = await syncStatus(synced);
        return status.running === null && status.pending.length === 0 && status.state !== "error";
      },
      { timeout, interval: 100 },
    )
    .toBe(true);
  if (!status) {
    throw new Error("no status");
  }
  return status;
}

export const simGet = <T>(synced: SyncedSite, path: string) =>
  simCall<T>(`${synced.site.url}/_sim${path}`);

export const simSend = (synced: SyncedSite, method: string, path: string, body?: unknown) =>
  simCall<unknown>(`${synced.site.url}/_sim${path}`, method, body);

export const stubOf = (instanceId: string) =>
  testEnv.JIRA_INSTANCE.get(testEnv.JIRA_INSTANCE.idFromName(instanceId));
