import { describe, expect, it } from "vitest";
import {
  collect,
  createJiraClient,
  type JiraClientEvent,
  type JiraClientOptions,
  JiraError,
  refreshOAuthToken,
} from "../../src/infrastructure/jira";
import { createSimSite, type SimSite, simCall } from "../helpers/jira-site";

interface SimStats {
  total: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  maxConcurrent: number;
  maxPerSecond: number;
}

const setFaults = (site: SimSite, faults: Record<string, unknown>) =>
  simCall(`${site.url}/_sim/faults`, "POST", faults);
const stats = (site: SimSite) => simCall<SimStats>(`${site.url}/_sim/requests`);
const resetStats = (site: SimSite) => simCall(`${site.url}/_sim/requests/reset`, "POST");

function clientFor(site: SimSite, options: Partial<JiraClientOptions> = {}) {
  const events: JiraClientEvent[] = [];
  const sleeps: number[] = [];
  const client = createJiraClient({
    baseUrl: site.url,
    auth: { type: "basic", email: site.email, apiToken: site.apiToken },
    baseDelayMs: 10,
    onEvent: (e) => events.push(e),
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
    ...options,
  });
  const retries = () => events.flatMap((e) => (e.type === "retry" ? [e] : []));
  return { client, events, sleeps, retries };
}

async function failure(promise: Promise<unknown>): Promise<JiraError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof JiraError) {
      return error;
    }
    throw error;
  }
  throw new Error("expected a JiraError");
}

describe("jira client resilience", () => {
  it("rides out a 429 storm, honouring Retry-After", async () => {
    const site = await createSimSite({ seed: 21, issues: 60, projects: 1 });
    const answered: { status: number; at: number }[] = [];
    const { client } = clientFor(site, {
      maxAttempts: 10,
      onEvent: (e) => {
        if (e.type === "request") {
          answered.push({ status: e.status, at: Date.now() });
        }
      },
    });
    const [project] = await collect(client.projects());
    await setFaults(site, { rate429: 0.5, retryAfterSeconds: 1 });
    await resetStats(site);
    answered.length = 0;
    const jql = `project = ${project?.key}`;
    const issues = await collect(client.searchIssues({ jql, fields: ["summary"], maxResults: 10 }));
    expect(issues).toHaveLength(60);
    const s = await stats(site);
    expect(s.byStatus["429"]).toBeGreaterThanOrEqual(2);
    expect(answered.filter((a) => a.status === 429)).toHaveLength(s.byStatus["429"] ?? 0);
    // Sequential paging: after every 429 the next answer comes at least Retry-After later.
    answered.forEach((a, i) => {
      const next = answered[i + 1];
      if (a.status === 429 && next) {
        expect(next.at - a.at).toBeGreaterThanOrEqual(990);
      }
    });
  });

  it("shares a 429 pause across concurrent requests and caps Retry-After", async () => {
    const site = await createSimSite({ seed: 28, issues: 12, projects: 1 });
    const { client, retries, sleeps } = clientFor(site, {
      maxAttempts: 10,
      maxConcurrency: 6,
      maxRetryAfterSeconds: 1,
    });
    const [project] = await collect(client.projects());
    const ids = (await collect(client.searchIssues({ jql: `project = ${project?.key}` }))).map(
      (i) => i.id,
    );
    await setFaults(site, { rate429: 0.4, retryAfterSeconds: 30 });
    const issues = await Promise.all(ids.map((id) => client.getIssue(id, { fields: ["summary"] })));
    expect(issues.map((i) => i.id)).toEqual(ids);
    const limited = retries().filter((r) => r.reason === "rate_limited");
    expect(limited.length).toBeGreaterThan(0);
    // Retry-After: 30 is capped at 1 s by config.
    expect(limited.every((r) => r.delayMs === 1000)).toBe(true);
    expect(sleeps.every((ms) => ms <= 1000)).toBe(true);
  });

  it("recovers from 503 bursts and 5xx without Retry-After", async () => {
    const site = await createSimSite({ seed: 22, issues: 5, projects: 1 });
    const { client, retries } = clientFor(site);
    await setFaults(site, { failNext: { status: 503, count: 3 }, retryAfterSeconds: 0 });
    await resetStats(site);
    expect((await client.myself()).accountId).toEqual(expect.any(String));
    let s = await stats(site);
    expect(s.byStatus).toMatchObject({ "503": 3, "200": 1 });

    await setFaults(site, { failNext: { status: 502, count: 2 } });
    await client.serverInfo();
    await setFaults(site, { rate503: 0.3, retryAfterSeconds: 0 });
    await resetStats(site);
    const users = await collect(client.users({ pageSize: 5 }));
    expect(users.length).toBeGreaterThan(0);
    s = await stats(site);
    expect(retries().filter((r) => r.reason === "server_error").length).toBeGreaterThanOrEqual(5);
    expect(s.byStatus["503"] ?? 0).toBeGreaterThan(0);
  });

  it("times out hanging requests, retries, then fails as retryable", async () => {
    const site = await createSimSite({ seed: 23, issues: 2, projects: 1 });
    const { client, retries } = clientFor(site, { timeoutMs: 300, maxAttempts: 3 });
    await setFaults(site, { hangMs: 20_000 });
    await resetStats(site);
    const error = await failure(client.myself());
    expect(error).toMatchObject({ kind: "retryable", status: 0, retry: true, attempts: 3 });
    expect(retries().map((r) => r.reason)).toEqual(["timeout", "timeout"]);
    expect((await stats(site)).byRoute).toMatchObject({ "GET /rest/api/3/myself": 3 });
    await setFaults(site, {});
    expect((await client.myself()).accountId).toEqual(expect.any(String));
  });

  it("does not retry 400 or 404 and classifies them", async () => {
    const site = await createSimSite({ seed: 24, issues: 2, projects: 1 });
    const { client, retries } = clientFor(site);
    await setFaults(site, { failNext: { status: 400, count: 1 } });
    await resetStats(site);
    expect(await failure(client.myself())).toMatchObject({ kind: "invalid", status: 400 });
    await setFaults(site, { failNext: { status: 404, count: 1 } });
    expect(await failure(client.serverInfo())).toMatchObject({ kind: "not_found", status: 404 });
    expect((await stats(site)).total).toBe(2);
    expect(retries()).toHaveLength(0);
  });

  it("never exceeds the request budget", async () => {
    const site = await createSimSite({ seed: 25, issues: 30, projects: 1 });
    const { client } = clientFor(site, {
      budget: { requests: 5, perSeconds: 1 },
      maxConcurrency: 4,
    });
    const [project] = await collect(client.projects());
    const jql = `project = ${project?.key} ORDER BY key`;
    const keys = (await collect(client.searchIssues({ jql, maxResults: 100 })))
      .map((i) => i.id)
      .slice(0, 18);
    await setFaults(site, { budget: { limit: 5, windowSeconds: 1 } });
    await resetStats(site);
    const issues = await Promise.all(keys.map((k) => client.getIssue(k, { fields: ["summary"] })));
    expect(issues).toHaveLength(keys.length);
    const s = await stats(site);
    expect(s.total).toBe(keys.length);
    expect(s.byStatus["429"]).toBeUndefined();
    expect(s.maxPerSecond).toBeLessThanOrEqual(5);
    expect(s.maxConcurrent).toBeLessThanOrEqual(4);
  });
});

describe("OAuth 2.0 with rotating refresh tokens", () => {
  /** Stands in for the Durable Object that owns the tokens and serializes refreshes. */
  function tokenOwner(site: SimSite) {
    const state = { refreshToken: site.oauth.refreshToken, accessToken: "", refreshes: 0 };
    let chain: Promise<string> = Promise.resolve("");
    return {
      state,
      getAccessToken: async () => state.accessToken,
      refreshAccessToken: () => {
        chain = chain.then(async () => {
          const tokens = await refreshOAuthToken({
            tokenUrl: site.oauth.tokenUrl,
            clientId: site.oauth.clientId,
            clientSecret: site.oauth.clientSecret,
            refreshToken: state.refreshToken,
          });
          state.refreshToken = tokens.refreshToken; // persist before use
          state.accessToken = tokens.accessToken;
          state.refreshes++;
          return tokens.accessToken;
        });
        return chain;
      },
    };
  }

  it("refreshes on 401 through the owner's callback; old refresh tokens are refused", async () => {
    const site = await createSimSite({ seed: 26, issues: 3, projects: 1 });
    const owner = tokenOwner(site);
    const { client, retries } = clientFor(site, {
      baseUrl: `${site.url}/ex/jira/${site.oauth.cloudId}`,
      auth: {
        type: "oauth2",
        getAccessToken: owner.getAccessToken,
        refreshAccessToken: owner.refreshAccessToken,
      },
    });
    // No access token yet: the first call is refused, refreshed once, retried.
    expect((await client.myself()).accountId).toEqual(expect.any(String));
    expect(owner.state.refreshes).toBe(1);
    const firstRotation = owner.state.refreshToken;
    expect(firstRotation).not.toBe(site.oauth.refreshToken);

    // Expired access tokens: concurrent 401s share a single refresh.
    await simCall(`${site.url}/_sim/oauth/expire`, "POST");
    const results = await Promise.all([client.myself(), client.serverInfo(), client.fields()]);
    expect(results).toHaveLength(3);
    expect(owner.state.refreshes).toBe(2);
    expect(owner.state.refreshToken).not.toBe(firstRotation);
    expect(retries().filter((r) => r.reason === "auth_refresh").length).toBeGreaterThanOrEqual(1);

    // Rotation: a refresh token works exactly once.
    const reuse = await failure(
      refreshOAuthToken({
        tokenUrl: site.oauth.tokenUrl,
        clientId: site.oauth.clientId,
        clientSecret: site.oauth.clientSecret,
        refreshToken: firstRotation,
      }),
    );
    expect(reuse).toMatchObject({ kind: "auth", retry: false });
    expect(reuse.errorMessages).toContain("invalid_grant");
    expect(reuse.message).not.toContain(site.oauth.clientSecret);
    expect(reuse.message).not.toContain(firstRotation);
  });

  it("fails as auth when the refresh itself is refused", async () => {
    const site = await createSimSite({ seed: 27, issues: 1, projects: 1 });
    const { client } = clientFor(site, {
      baseUrl: `${site.url}/ex/jira/${site.oauth.cloudId}`,
      auth: {
        type: "oauth2",
        getAccessToken: async () => "not-a-token",
        refreshAccessToken: () =>
          refreshOAuthToken({
            tokenUrl: site.oauth.tokenUrl,
            clientId: site.oauth.clientId,
            clientSecret: site.oauth.clientSecret,
            refreshToken: "stale-refresh-token",
          }).then((t) => t.accessToken),
      },
    });
    const error = await failure(client.myself());
    expect(error).toMatchObject({ kind: "auth", retry: false });
  });
});
