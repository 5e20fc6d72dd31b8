import { testEnv } from "./env";

export interface SimSite {
  siteId: string;
  url: string;
  email: string;
  apiToken: string;
  timeZone: string;
  oauth: {
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    cloudId: string;
    tokenUrl: string;
  };
  counts: { issues: number; projects: number; users: number };
}

/** A call to the simulator (its REST or control API); anything but 2xx throws. */
export async function simCall<T>(url: string, method = "GET", body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    throw new Error(`simulator ${method} ${url} → ${res.status}: ${await res.text()}`);
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A fresh, isolated Jira site on the simulator (options as `POST /_sim/sites` takes them). */
export function createSimSite(
  options: { seed?: number; issues?: number } & Record<string, unknown> = {},
): Promise<SimSite> {
  return simCall<SimSite>(`${testEnv.JIRA_SIM_URL}/_sim/sites`, "POST", {
    seed: 7,
    issues: 5,
    ...options,
  });
}
