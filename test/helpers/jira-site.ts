import { testEnv } from "./env";

export interface SimSite {
  siteId: string;
  url: string;
  email: string;
  apiToken: string;
  oauth: {
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    cloudId: string;
    tokenUrl: string;
  };
}

/** A fresh, isolated Jira site on the simulator. */
export async function createSimSite(
  options: { seed?: number; issues?: number } = {},
): Promise<SimSite> {
  const res = await fetch(`${testEnv.JIRA_SIM_URL}/_sim/sites`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ seed: options.seed ?? 7, issues: options.issues ?? 5 }),
  });
  if (res.status !== 201) {
    throw new Error(`simulator site create failed: ${res.status}`);
  }
  return (await res.json()) as SimSite;
}
