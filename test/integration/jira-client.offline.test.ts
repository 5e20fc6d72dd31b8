/**
 * Deterministic client tests against a scripted in-process `fetch` (no simulator needed):
 * retry policy, error classification, OAuth refresh, pacing and pagination edge cases.
 */
import { describe, expect, it } from "vitest";
import {
  collect,
  createJiraClient,
  type JiraClientEvent,
  type JiraClientOptions,
  JiraError,
  Pacer,
  refreshOAuthToken,
} from "../../src/infrastructure/jira";

type Handler = (request: Request, call: number) => Response | Promise<Response>;

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });

function harness(handler: Handler, options: Partial<JiraClientOptions> = {}) {
  const requests: Request[] = [];
  const sleeps: number[] = [];
  const events: JiraClientEvent[] = [];
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    return handler(request, requests.length);
  };
  const client = createJiraClient({
    baseUrl: "https://api.atlassian.com/ex/jira/cloud-123/",
    auth: { type: "basic", email: "bot@example.com", apiToken: "SECRET-TOKEN" },
    fetch: fakeFetch as typeof fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    ...options,
  });
  return { client, requests, sleeps, events };
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

const me = { accountId: "acc-1", displayName: "Bot", accountType: "atlassian" };

describe("request core", () => {
  it("builds URLs under a path prefix and sends Basic auth", async () => {
    const h = harness(() => json(me));
    expect(await h.client.myself()).toMatchObject({ accountId: "acc-1" });
    const request = h.requests[0]!;
    expect(request.url).toBe("https://api.atlassian.com/ex/jira/cloud-123/rest/api/3/myself");
    expect(request.headers.get("Authorization")).toBe(
      `Basic ${btoa("bot@example.com:SECRET-TOKEN")}`,
    );
    expect(h.events).toEqual([
      expect.objectContaining({ type: "request", method: "GET", route: "/myself", status: 200 }),
    ]);
  });

  it("honours Retry-After on 429, pausing the whole instance, capped by config", async () => {
    const h = harness(
      (_r, n) =>
        n === 1
          ? json({}, 429, { "Retry-After": "7" })
          : n === 2
            ? json({}, 429, { "Retry-After": "3600" })
            : json(me),
      { maxRetryAfterSeconds: 60 },
    );
    await h.client.myself();
    expect(h.requests).toHaveLength(3);
    // Retry sleeps (7 s, then 3600 s capped to 60 s); the pacer's pause adds its own waits.
    expect(h.sleeps).toContain(7000);
    expect(h.sleeps).toContain(60_000);
    expect(h.sleeps.every((ms) => ms <= 60_000)).toBe(true);
    const retries = h.events.filter((e) => e.type === "retry");
    expect(retries.map((e) => e.type === "retry" && e.reason)).toEqual([
      "rate_limited",
      "rate_limited",
    ]);
  });

  it("retries 5xx with full-jitter exponential backoff and gives up after maxAttempts", async () => {
    const h = harness(() => json({ errorMessages: ["boom"] }, 503), {
      maxAttempts: 4,
      baseDelayMs: 100,
    });
    const error = await failure(h.client.serverInfo());
    expect(h.requests).toHaveLength(4);
    // random() = 0.5 → half of min(cap, base * 2^(attempt-1))
    expect(h.sleeps).toEqual([50, 100, 200]);
    expect(error).toMatchObject({ kind: "retryable", status: 503, retry: true, attempts: 4 });
    expect(error.errorMessages).toEqual(["boom"]);
  });

  it.each([500, 502, 504])("recovers from a %i burst", async (status) => {
    const h = harness((_r, n) =>
      n <= 2 ? new Response("<html>bad gateway</html>", { status }) : json(me),
    );
    await h.client.myself();
    expect(h.requests).toHaveLength(3);
  });

  it.each([
    [400, "invalid"],
    [401, "auth"],
    [403, "auth"],
    [404, "not_found"],
    [409, "invalid"],
    [410, "invalid"],
  ] as const)("does not retry %i and classifies it as %s", async (status, kind) => {
    const body = { errorMessages: ["nope"], errors: { summary: "Summary is required" } };
    const h = harness(() => json(body, status));
    const error = await failure(h.client.getIssue("ABC-1"));
    expect(h.requests).toHaveLength(1);
    expect(error).toMatchObject({ kind, status, retry: false, route: "/issue/{issueIdOrKey}" });
    expect(error.errorMessages).toEqual(["nope"]);
    expect(error.errors).toEqual({ summary: "Summary is required" });
    expect(error.message).toContain("Summary is required");
    expect(error.message).not.toContain("SECRET-TOKEN");
    expect(error.message).not.toContain(btoa("bot@example.com:SECRET-TOKEN"));
  });

  it("retries network errors and times out hanging requests as retryable", async () => {
    let call = 0;
    const hang = (_input: RequestInfo | URL, init?: RequestInit) => {
      call++;
      if (call === 1) {
        return Promise.reject(new TypeError("Network connection lost."));
      }
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new Error("aborted")));
      });
    };
    const events: JiraClientEvent[] = [];
    const client = createJiraClient({
      baseUrl: "https://x.atlassian.net",
      auth: { type: "basic", email: "a@b.c", apiToken: "t" },
      fetch: hang as typeof fetch,
      timeoutMs: 20,
      maxAttempts: 3,
      sleep: async () => {},
      onEvent: (e) => events.push(e),
    });
    const error = await failure(client.myself());
    expect(call).toBe(3);
    expect(error).toMatchObject({ kind: "retryable", status: 0, retry: true, attempts: 3 });
    const reasons = events.flatMap((e) => (e.type === "retry" ? [e.reason] : []));
    expect(reasons).toEqual(["network", "timeout"]);
  });

  it("rejects a 2xx whose shape is wrong as invalid", async () => {
    const h = harness(() => json({ displayName: "no account id" }));
    expect(await failure(h.client.myself())).toMatchObject({ kind: "invalid" });
  });
});

describe("OAuth 2.0", () => {
  it("refreshes once on 401 and retries; concurrent 401s share one refresh", async () => {
    let token = "old";
    let refreshes = 0;
    const auth = {
      type: "oauth2" as const,
      getAccessToken: async () => token,
      refreshAccessToken: async () => {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        token = `new-${refreshes}`;
        return token;
      },
    };
    const h = harness(
      (r) => (r.headers.get("Authorization") === "Bearer new-1" ? json(me) : json({}, 401)),
      { auth },
    );
    await Promise.all([h.client.myself(), h.client.myself(), h.client.myself()]);
    expect(refreshes).toBe(1);
  });

  it("fails as auth when the refreshed token is refused too", async () => {
    let refreshes = 0;
    const h = harness(() => json({ errorMessages: ["Unauthorized"] }, 401), {
      auth: {
        type: "oauth2",
        getAccessToken: async () => `t${refreshes}`,
        refreshAccessToken: async () => `t${++refreshes}`,
      },
    });
    const error = await failure(h.client.myself());
    expect(error).toMatchObject({ kind: "auth", status: 401 });
    expect(refreshes).toBe(1);
    expect(h.requests).toHaveLength(2);
  });

  it("refreshOAuthToken posts a refresh_token grant and returns the rotated token", async () => {
    const bodies: unknown[] = [];
    const fakeFetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      bodies.push(JSON.parse(String(init?.body)));
      return bodies.length === 1
        ? json({
            access_token: "A2",
            refresh_token: "R2",
            expires_in: 3600,
            scope: "read:jira-work",
          })
        : json(
            { error: "invalid_grant", error_description: "Unknown or invalid refresh token." },
            403,
          );
    };
    const input = {
      tokenUrl: "https://auth.example/oauth/token",
      clientId: "cid",
      clientSecret: "SHHH",
      refreshToken: "R1",
      fetch: fakeFetch as typeof fetch,
      now: () => 1_000,
    };
    expect(await refreshOAuthToken(input)).toEqual({
      accessToken: "A2",
      refreshToken: "R2",
      expiresAt: 3_601_000,
      scope: "read:jira-work",
    });
    expect(bodies[0]).toEqual({
      grant_type: "refresh_token",
      client_id: "cid",
      client_secret: "SHHH",
      refresh_token: "R1",
    });
    const error = await failure(refreshOAuthToken(input));
    expect(error).toMatchObject({ kind: "auth", status: 403 });
    expect(error.errorMessages).toContain("invalid_grant");
    expect(error.message).not.toContain("SHHH");
    expect(error.message).not.toContain("R1");
  });
});

describe("pacer", () => {
  it("never starts more than N requests in any window, with a virtual clock", async () => {
    let clock = 0;
    const starts: number[] = [];
    const pacer = new Pacer({
      budget: { requests: 5, perSeconds: 1 },
      maxConcurrency: 3,
      marginMs: 0,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    await Promise.all(
      Array.from({ length: 23 }, async () => {
        const release = await pacer.acquire();
        starts.push(clock);
        expect(pacer.inFlight).toBeLessThanOrEqual(3);
        await Promise.resolve();
        release();
      }),
    );
    expect(starts).toHaveLength(23);
    for (let i = 5; i < starts.length; i++) {
      expect(starts[i]! - starts[i - 5]!).toBeGreaterThanOrEqual(1000);
    }
  });
});

describe("pagination and completion", () => {
  it("follows nextPageToken until isLast and sends the caller's fields", async () => {
    const h = harness(async (r) => {
      const body = (await r.json()) as { nextPageToken?: string; fields?: string[] };
      expect(body.fields).toEqual(["summary", "status"]);
      const page = Number(body.nextPageToken ?? "0");
      const issues = [0, 1].map((i) => ({
        id: String(page * 2 + i),
        key: `A-${page * 2 + i}`,
        fields: {},
      }));
      return json(
        page < 2
          ? { issues, nextPageToken: String(page + 1), isLast: false }
          : { issues, isLast: true },
      );
    });
    const issues = await collect(
      h.client.searchIssues({ jql: "project = A", fields: ["summary", "status"] }),
    );
    expect(issues.map((i) => i.key)).toEqual(["A-0", "A-1", "A-2", "A-3", "A-4", "A-5"]);
  });

  it("stops /users/search on a short page", async () => {
    const h = harness((r) => {
      const startAt = Number(new URL(r.url).searchParams.get("startAt"));
      const n = startAt === 0 ? 3 : 1;
      return json(Array.from({ length: n }, (_, i) => ({ accountId: `u${startAt + i}` })));
    });
    const users = await collect(h.client.users({ pageSize: 3 }));
    expect(users.map((u) => u.accountId)).toEqual(["u0", "u1", "u2", "u3"]);
    expect(h.requests).toHaveLength(2);
  });

  it("bulkFetchIssues chunks by 100 and reports missing ids", async () => {
    const h = harness(async (r) => {
      const body = (await r.json()) as { issueIdsOrKeys: string[] };
      expect(body.issueIdsOrKeys.length).toBeLessThanOrEqual(100);
      const found = body.issueIdsOrKeys.filter((id) => Number(id) % 50 !== 0);
      return json({
        issues: found.map((id) => ({
          id,
          key: `A-${id}`,
          fields: { customfield_1: { odd: [id] } },
        })),
        issueErrors: body.issueIdsOrKeys.includes("100")
          ? [{ id: "100", errorMessage: "too big" }]
          : [],
      });
    });
    const ids = Array.from({ length: 250 }, (_, i) => String(i + 1));
    const result = await h.client.bulkFetchIssues(ids, { fields: ["*all"] });
    expect(h.requests).toHaveLength(3);
    expect(result.issues).toHaveLength(245);
    expect(result.missing).toEqual(["50", "100", "150", "200", "250"]);
    expect(result.errors).toEqual([{ id: "100", errorMessage: "too big" }]);
    expect(result.issues[0]?.fields?.customfield_1).toEqual({ odd: ["1"] });
  });

  it("completeIssue pages truncated comments and changelog", async () => {
    const comments = Array.from({ length: 7 }, (_, i) => ({ id: `c${i}`, body: null }));
    const histories = Array.from({ length: 5 }, (_, i) => ({ id: `h${i}`, items: [] }));
    const h = harness((r) => {
      const url = new URL(r.url);
      const startAt = Number(url.searchParams.get("startAt"));
      if (url.pathname.endsWith("/comment")) {
        return json({
          startAt,
          maxResults: 3,
          total: 7,
          comments: comments.slice(startAt, startAt + 3),
        });
      }
      const values = histories.slice(startAt, startAt + 2);
      return json({ startAt, maxResults: 2, total: 5, isLast: startAt + 2 >= 5, values });
    });
    const issue = {
      id: "10",
      key: "A-10",
      fields: {
        summary: "s",
        comment: { comments: comments.slice(0, 2), total: 7, maxResults: 2, startAt: 0 },
      },
      changelog: { histories: histories.slice(3), total: 5, maxResults: 2, startAt: 0 },
    };
    const done = await h.client.completeIssue(issue);
    const doneComments = done.fields?.comment as { comments: { id: string }[]; total: number };
    expect(doneComments.comments.map((c) => c.id)).toEqual(comments.map((c) => c.id));
    expect(doneComments.total).toBe(7);
    expect(done.changelog?.histories.map((x) => x.id)).toEqual(histories.map((x) => x.id));
    expect(done.fields?.summary).toBe("s");
    expect(issue.fields.comment.comments).toHaveLength(2); // input untouched
    // complete issues cost nothing
    const before = h.requests.length;
    await h.client.completeIssue(done);
    expect(h.requests.length).toBe(before);
  });
});
